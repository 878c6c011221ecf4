"""Kills the Node.js runtime the worker shares between projects (jsii's), then tries to synthesize."""
import os
import signal
from pathlib import Path

killed = []
for entry in Path("/proc").iterdir():
    try:
        if entry.name.isdigit() and (entry / "comm").read_text().strip() == "node":
            os.kill(int(entry.name), signal.SIGKILL)
            killed.append(entry.name)
    except OSError:
        pass

from cdktf import App, TerraformOutput, TerraformStack  # noqa: E402

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=f"killed {killed}")
app.synth()
