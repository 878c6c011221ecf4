from __future__ import annotations

import os
from pathlib import Path

# Every repair the tests run (in-process and through the CLI) checks its spliced code against libcst's code
# generation of the whole tree (repair/transforms/_splice.py); set before repair.engine is imported.
os.environ["CDKTF_REPAIR_CHECK_SPLICE"] = "1"

import shutil

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "broken_samples"
FIXED = ROOT / "fixed_samples"


def sample_files() -> list[Path]:
    """Every Python file under broken_samples/, relative to it."""
    return sorted(p.relative_to(BROKEN) for p in BROKEN.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    # Tests must not depend on (or write to) the user's provider-index cache.
    monkeypatch.setenv("CDKTF_REPAIR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "provider-cache"))


@pytest.fixture(scope="session")
def synth_worker():
    """The one synth worker of the test session: loading the provider costs ~20 s and ~1 GB, paid once."""
    from repair.proof.synth import SynthWorker

    if shutil.which("node") is None:
        pytest.fail("Node.js is required for the synth tests (jsii runs the provider on it)")
    with SynthWorker() as running:
        yield running


class _SharedWorker:
    """Stands in for `SynthWorker(...)` inside the code under test: the session's real worker, which a `with`
    block must not close."""

    def __init__(self, worker) -> None:
        self._worker = worker

    def __call__(self, *args, **kwargs) -> "_SharedWorker":
        return self

    def __enter__(self):
        return self._worker

    def __exit__(self, *exc) -> None:
        return None

    def synth(self, *args, **kwargs):
        return self._worker.synth(*args, **kwargs)

    def close(self) -> None:
        return None


@pytest.fixture
def shared_synth(monkeypatch, synth_worker):
    """The CLI's verify paths synthesize with the session worker instead of loading the provider again."""
    import repair.proof.synth

    monkeypatch.setattr(repair.proof.synth, "SynthWorker", _SharedWorker(synth_worker))
    return synth_worker
