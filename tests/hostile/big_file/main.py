"""Writes one file past probe.json's size, in 8 MiB steps, in the temporary folder it is given."""
import json
from pathlib import Path

probe = json.loads(Path("probe.json").read_text())
with open("/tmp/big-file-by-hostile", "wb") as handle:
    for _ in range(probe["bytes"] // (8 << 20) + 1):
        handle.write(b"x" * (8 << 20))
raise RuntimeError("wrote the whole file")
