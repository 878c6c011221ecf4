"""Starts processes until the system refuses, up to probe.json's bound; each waits for minutes."""
import json
import subprocess
from pathlib import Path

probe = json.loads(Path("probe.json").read_text())
started = []
try:
    while len(started) < probe["bound"]:
        started.append(subprocess.Popen(["sleep", probe["marker"]]))
except OSError as exc:
    raise RuntimeError(f"started {len(started)} processes, then: {exc}") from None
raise RuntimeError(f"started {len(started)} processes, never refused")
