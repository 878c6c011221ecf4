"""Leaves state behind for the next project in the same worker, then synthesizes normally."""
import json
import os
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import cdktf
from cdktf import App, TerraformOutput, TerraformStack

cdktf.TAINTED = True
os.environ["TAINTED"] = "1"
sys.modules["lib"] = types.ModuleType("lib")  # where the next project's stack module would come from
sys.modules["lib"].TAINTED = True
Path("/tmp/left-by-taint").write_text("left\n")
Path(os.path.expanduser("~/left-by-taint")).write_text("left\n")


def later():
    time.sleep(0.3)
    for folder in Path("/tmp").rglob("*"):
        try:
            if folder.is_dir() and os.access(folder, os.W_OK):
                (folder / "left-by-thread").write_text("left\n")
        except OSError:
            pass


threading.Thread(target=later, daemon=False).start()
# A detached process (its own session, its parent gone) that writes into every project folder it finds, later.
subprocess.Popen([sys.executable, "-c", "import os, sys, time\n"
                  "if os.fork(): sys.exit()\n"
                  "os.setsid(); time.sleep(0.5)\n"
                  "[open(os.path.join(root, 'left-by-daemon'), 'w').write('x') for root, _, _ in os.walk('/tmp')]\n"
                  "time.sleep(600)", "taint-daemon"], start_new_session=True)
os.chdir("/")

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value="tainted the worker")
app.synth()
json.dumps = lambda *args, **kwargs: '"tainted"'  # every later json.dumps
cdktf.TerraformOutput.__init__ = lambda self, *args, **kwargs: None  # every later output
