"""Reads what a credential thief would: the environment, the user's home, a secret file outside the project."""
import json
import os
from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack

probe = json.loads(Path("probe.json").read_text())
seen = {"env": dict(os.environ), "home": os.path.expanduser("~"), "uid": os.getuid()}
try:
    seen["user_home"] = sorted(os.listdir(probe["user_home"]))
except OSError as exc:
    seen["user_home"] = f"error: {exc.strerror}"
for name, path in probe["files"].items():
    try:
        seen[name] = Path(path).read_text()
    except OSError as exc:
        seen[name] = f"error: {exc.strerror}"

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=json.dumps(seen))
app.synth()
