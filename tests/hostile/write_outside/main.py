"""Writes outside its project copy: every target in probe.json, and the temporary folder and HOME it is given."""
import json
import os
from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack

probe = json.loads(Path("probe.json").read_text())
seen = {}
for path in probe["targets"] + ["/tmp/left-by-hostile", os.path.expanduser("~/left-by-hostile")]:
    try:
        Path(path).write_text("written by a hostile answer\n")
        seen[path] = "written"
    except OSError as exc:
        seen[path] = f"error: {exc.strerror}"

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=json.dumps(seen))
app.synth()
