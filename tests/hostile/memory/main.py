"""Holds memory in 64 MiB steps up to probe.json's bound (so that a broken limit fails the test, not the machine),
then waits."""
import json
import time
from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack

probe = json.loads(Path("probe.json").read_text())
held = []
while sum(map(len, held)) < probe["bytes"]:
    held.append(b"x" * (64 << 20))  # written, so resident
    time.sleep(0.02)
time.sleep(probe["wait"])

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=json.dumps({"held": sum(map(len, held))}))
app.synth()
