from __future__ import annotations

import os
from pathlib import Path

# Every repair the tests run (in-process and through the CLI) checks its spliced code against libcst's code
# generation of the whole tree (repair/transforms/_splice.py); set before repair.engine is imported.
os.environ["CDKTF_REPAIR_CHECK_SPLICE"] = "1"

import shutil
import signal

import pytest

from repair.proof.synth import SynthWorker as _REAL_SYNTH_WORKER

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "broken_samples"
FIXED = ROOT / "fixed_samples"


def pytest_sessionstart(session):
    # A CI runner's or `timeout`'s stop (SIGTERM) ends the session as Ctrl-C does: the session's synth workers are
    # closed on the way out, and their staged trees leave TMPDIR with them (the CLI does the same, repair/cli.py).
    # The session stops even where the interrupt lands inside the CLI under test, which turns it into exit 130.
    def stop(signum, frame):
        session.shouldstop = "stopped by SIGTERM"
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, stop)


def sample_files() -> list[Path]:
    """Every Python file under broken_samples/, relative to it."""
    return sorted(p.relative_to(BROKEN) for p in BROKEN.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    # Tests must not depend on (or write to) the user's provider-index cache.
    monkeypatch.setenv("CDKTF_REPAIR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "provider-cache"))


# Credentials in the environment of every worker the tests start: no synthesized project may see them
# (tests/test_sandbox.py checks).
FAKE_SECRETS = {"AWS_SECRET_ACCESS_KEY": "fake-secret-key-for-the-sandbox-tests",
                "GITHUB_TOKEN": "ghp_fake_token_for_the_sandbox_tests"}


def _start_worker(**kwargs):
    SynthWorker = _REAL_SYNTH_WORKER  # noqa: N806  (`shared_synth` replaces the module's name with the shared ones)
    if shutil.which("node") is None:
        pytest.fail("Node.js is required for the synth tests (jsii runs the provider on it)")
    saved = {key: os.environ.get(key) for key in FAKE_SECRETS}
    os.environ.update(FAKE_SECRETS)
    try:
        worker = SynthWorker(**kwargs)
        worker.start()  # the provider loaded, with the secrets set
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return worker


@pytest.fixture(scope="session")
def synth_worker():
    """The one synth worker of the test session, in the default sandbox (bwrap where it runs, as in CI): loading
    the provider costs ~20 s and ~1 GB, paid once (again only after a test makes it stop)."""
    worker = _start_worker()
    yield worker
    worker.close()


_LAZY_WORKERS: dict = {}


def _none_worker():
    """The session's worker at sandbox level `none` (the fallback): started only when a test needs it. Its
    process limit is small, so that its fork-bomb test is quick."""
    if "none" not in _LAZY_WORKERS:
        _LAZY_WORKERS["none"] = _start_worker(sandbox="none", max_processes=64)
    return _LAZY_WORKERS["none"]


@pytest.fixture(scope="session", autouse=True)
def _close_lazy_workers():
    yield
    for worker in _LAZY_WORKERS.values():
        worker.close()


@pytest.fixture(scope="session")
def synth_worker_none():
    return _none_worker()


class _SharedWorker:
    """Stands in for `SynthWorker(...)` inside the code under test: the session's real worker of the sandbox level
    asked for, which a `with` block must not close; the timeout and memory limit asked for apply to each project."""

    def __init__(self, workers: dict, timeout=None, memory_limit=None) -> None:
        self._workers = workers
        self._timeout = timeout
        self._memory_limit = memory_limit
        self._worker = None
        self._sandbox = None

    def __call__(self, *args, timeout=None, memory_limit=None, sandbox="auto", **kwargs) -> "_SharedWorker":
        from repair.proof.sandbox import Sandbox

        level = sandbox.level if isinstance(sandbox, Sandbox) else sandbox
        if memory_limit is None and isinstance(sandbox, Sandbox):
            memory_limit = sandbox.memory_limit
        view = _SharedWorker(self._workers, timeout, memory_limit)
        view._worker = self._workers["none" if level == "none" else "auto"]()
        view._sandbox = sandbox if isinstance(sandbox, Sandbox) else None
        return view

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    @property
    def sandbox(self):
        """The sandbox the code under test asked for (its level is the worker's; its memory limit applies)."""
        return self._sandbox or self._worker.sandbox

    def synth(self, project, timeout=None, memory_limit=None, in_place=False, root=None):
        return self._worker.synth(project, timeout=timeout or self._timeout,
                                  memory_limit=memory_limit or self._memory_limit, in_place=in_place, root=root)

    def stage(self, tree, files=None):
        return self._worker.stage(tree, files)

    def restage(self, staged, tree, files):
        return self._worker.restage(staged, tree, files)

    def synth_staged(self, staged, timeout=None, memory_limit=None, keep=False):
        return self._worker.synth_staged(staged, timeout=timeout or self._timeout,
                                         memory_limit=memory_limit or self._memory_limit, keep=keep)

    def unstage(self, staged) -> None:
        return self._worker.unstage(staged)

    def close(self) -> None:
        return None


@pytest.fixture
def shared_synth(monkeypatch, synth_worker):
    """The CLI's verify paths synthesize with the session's workers instead of loading the provider again."""
    import repair.proof.synth

    workers = {"auto": lambda: synth_worker, "none": _none_worker}
    monkeypatch.setattr(repair.proof.synth, "SynthWorker", _SharedWorker(workers))
    return synth_worker


def stop_when(process, ready, polls: int = 1200, timeout: float = 120) -> bytes:
    """Send SIGTERM to `process` (started with start_new_session) once `ready()` holds, polled every 0.05 s at most
    `polls` times (a bound, not a timing), and return its stderr; its process group is killed if it outlives this."""
    import time

    try:
        for _ in range(polls):
            if ready():
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        else:
            raise AssertionError("the process never got ready to be stopped")
        process.send_signal(signal.SIGTERM)
        return process.communicate(timeout=timeout)[1]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

