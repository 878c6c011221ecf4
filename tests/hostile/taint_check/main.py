"""Reports what a previous project could have left in the worker; the test compares it with a clean worker's."""
import json
import os
import sys
import threading
import time
from pathlib import Path

import cdktf
from cdktf import App, TerraformOutput, TerraformStack

time.sleep(1.5)  # long enough for a leftover thread (0.3 s) or process (0.5 s) to act
here = Path(__file__).resolve().parent
leftovers = sorted(str(p) for p in Path("/tmp").rglob("left-by-*")) + sorted(
    str(p) for p in Path(os.path.expanduser("~")).rglob("left-by-*"))
processes = []
for entry in Path("/proc").iterdir():
    try:
        if entry.name.isdigit() and b"taint-daemon" in (entry / "cmdline").read_bytes():
            processes.append(entry.name)
    except OSError:
        pass
seen = {
    "json_dumps": json.dumps({"a": 1}),
    "cdktf_global": hasattr(cdktf, "TAINTED"),
    "environ": os.environ.get("TAINTED"),
    "cwd_is_project": Path.cwd().resolve() == here,
    "lib_module": "lib" in sys.modules,
    "threads": sorted(t.name for t in threading.enumerate()),
    "leftover_files": [p.replace(str(here), "<project>") for p in leftovers],
    "leftover_processes": processes,
}

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=json.dumps(seen, sort_keys=True))
app.synth()
