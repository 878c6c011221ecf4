"""Untrusted answers run in a sandbox: each hostile sample project (tests/hostile/) is stopped or sees nothing, the
run goes on, and the report says what happened. The default level (bwrap, which .ci/run installs) runs in the
session's worker; the fallback level (none) in a worker of its own. A hostile project that needs a fresh worker
(the memory hog) is the only one that costs a provider load."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair.cli import app
from repair.config import ConfigError, load_config
from repair.proof import sandbox as sandboxing
from repair.proof.sandbox import GIB, format_memory, parse_memory

from conftest import FAKE_SECRETS, FIXED, ROOT

pytestmark = pytest.mark.synth

HOSTILE = Path(__file__).parent / "hostile"
REVIEW = FIXED / "review_system"


def hostile(name: str, tmp_path: Path, **probe) -> Path:
    """A copy of the hostile project `name`, with the probe.json it reads."""
    project = tmp_path / name
    shutil.copytree(HOSTILE / name, project)
    (project / "probe.json").write_text(json.dumps(probe))
    return project


def seen(result) -> dict:
    """What a hostile project reported (its stack's `seen` output)."""
    assert result.ok, result.error
    return json.loads(result.stacks["hostile"]["output"]["seen"]["value"])


def sleepers(marker: str) -> list[int]:
    """Processes on this machine running `sleep <marker>`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().split(b"\0")[:2] == [b"sleep",
                                                                                             marker.encode()]:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def assert_still_synthesizes(worker) -> None:
    result = worker.synth(REVIEW)
    assert result.ok, result.error
    assert list(result.stacks) == ["ReviewSystemdev"]


# -- the default level: bwrap -----------------------------------------------------------------------------------------
def test_the_default_sandbox_is_bwrap(synth_worker):
    assert synth_worker.sandbox.level == "bwrap", (
        f"the tests must run in the real sandbox: {synth_worker.sandbox.describe()} (install bubblewrap; .ci/run does)")
    assert synth_worker.sandbox.describe().startswith("bwrap (read-only system")


def test_an_answer_sees_no_credentials(synth_worker, tmp_path):
    secret = tmp_path / "credentials"
    secret.write_text("aws_secret_access_key = leaked\n")
    project = hostile("secrets", tmp_path, user_home=os.path.expanduser("~"),
                      files={"secret_file": str(secret), "linked_secret": "linked_secret", "shadow": "/etc/shadow"})
    (project / "linked_secret").symlink_to(secret)  # the parent copies the link, never what it points to
    report = seen(synth_worker.synth(project))
    env = report["env"]
    assert not any(value in json.dumps(env) for value in FAKE_SECRETS.values())
    assert not [key for key in env if any(word in key for word in ("SECRET", "TOKEN", "AWS", "KEY", "PASS"))]
    assert set(env) <= {"PATH", "LANG", "LANGUAGE", "TZ", "HOME", "TMPDIR", "PWD", "PYTHONDONTWRITEBYTECODE",
                        "PYTHONIOENCODING", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION",
                        "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "JSII_RUNTIME_PACKAGE_CACHE_ROOT"} | {
        key for key in env if key.startswith("LC_")}
    assert report["home"] == "/tmp/home" != os.path.expanduser("~")
    for name in ("secret_file", "linked_secret", "shadow"):
        assert report[name].startswith("error: "), (name, report[name])
    # The user's home shows only the folders that lead to the interpreter and packages bound back into it.
    home = Path(os.path.expanduser("~"))
    bound = {Path(p).relative_to(home).parts[0] for p in sandboxing._needed_paths()
             if Path(p).is_relative_to(home) and Path(p) != home}
    assert set(report["user_home"]) <= bound, report["user_home"]
    if os.geteuid() == 0:
        assert report["uid"] == 65534  # root's answers run as nobody


def test_an_answer_cannot_write_outside_its_project(synth_worker, tmp_path):
    home = Path(os.path.expanduser("~"))
    project = tmp_path / "write_outside"
    targets = [project / "escaped", tmp_path / "escaped", home / "repair-sandbox-test-escaped",
               ROOT / "repair-sandbox-test-escaped", Path("/etc/repair-sandbox-test-escaped")]
    leftover = Path("/tmp/left-by-hostile")
    leftover.unlink(missing_ok=True)
    try:
        report = seen(synth_worker.synth(hostile("write_outside", tmp_path, targets=[str(t) for t in targets])))
        for target in targets:
            assert report[str(target)].startswith("error: "), (target, report[str(target)])
            assert not target.exists()
        # Its own private /tmp and HOME take writes, and vanish: nothing reaches the machine's.
        assert report["/tmp/left-by-hostile"] == "written" and not leftover.exists()
        assert report[str(Path("/tmp/home/left-by-hostile"))] == "written"
    finally:
        for target in targets:
            if target.is_file():
                target.unlink()


def test_an_answer_cannot_reach_the_network(synth_worker, tmp_path):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    abstract = f"repair-sandbox-test-{os.getpid()}"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind("\0" + abstract)
    unix.listen()
    unix.setblocking(False)
    with listener, unix:
        report = seen(synth_worker.synth(hostile("network", tmp_path, port=listener.getsockname()[1],
                                                 abstract=abstract)))
        for server in (listener, unix):
            with pytest.raises(BlockingIOError):
                server.accept()  # nobody connected
    assert report["loopback"] == "error: Connection refused"  # the sandbox's own loopback: nothing listens
    assert report["abstract_unix"] == "error: Connection refused"
    assert report["internet"] == "error: Network is unreachable"


def test_an_answer_that_never_finishes_is_stopped(synth_worker, tmp_path):
    starts = synth_worker.starts
    result = synth_worker.synth(hostile("spin", tmp_path), timeout=3)
    assert (result.ok, result.error_type, result.error) == (False, "Timeout", "synth did not finish within 3 s")
    assert_still_synthesizes(synth_worker)
    assert synth_worker.starts == starts  # only the project's process was stopped


def test_a_fork_bomb_is_bounded_and_cleaned_up(synth_worker, tmp_path):
    marker = f"{os.getpid() % 1000 + 7000}"
    result = synth_worker.synth(hostile("fork_bomb", tmp_path, bound=5000, marker=marker), timeout=120)
    assert not result.ok and result.error_type == "RuntimeError", result.error
    started = int(result.error.split("started ")[1].split()[0])
    assert 0 < started < synth_worker.sandbox.max_processes
    assert "Resource temporarily unavailable" in result.error  # the kernel refused the next one
    assert_still_synthesizes(synth_worker)  # once the worker has cleaned up after the bomb:
    assert sleepers(marker) == []  # all killed, none left running on the machine
    assert synth_worker.usage().processes <= 6  # bwrap, its init, the worker, Node.js (and the last project's)


def test_a_file_past_the_size_limit_stops_the_project(synth_worker, tmp_path):
    def tmpfs() -> int:
        return sandboxing.tmpfs_used(synth_worker.usage().pids[1])  # the sandbox's private /tmp

    before = tmpfs()
    result = synth_worker.synth(hostile("big_file", tmp_path, bytes=synth_worker.sandbox.max_output + (16 << 20)))
    assert (result.ok, result.error_type, result.error) == (False, "OutputLimit",
                                                            "wrote a file over the size limit (64 MiB)")
    assert_still_synthesizes(synth_worker)
    assert tmpfs() - before < 8 << 20  # the 64 MiB it wrote went with the project's temporary files


def test_state_an_answer_leaves_does_not_reach_the_next(synth_worker, tmp_path):
    clean = seen(synth_worker.synth(hostile("taint_check", tmp_path / "first")))
    assert clean == {"json_dumps": '{"a": 1}', "cdktf_global": False, "environ": None, "cwd_is_project": True,
                     "lib_module": False, "threads": ["MainThread"], "leftover_files": [], "leftover_processes": []}
    starts = synth_worker.starts
    tainted = synth_worker.synth(hostile("taint", tmp_path / "second"))
    assert tainted.ok, tainted.error
    after = synth_worker.synth(hostile("taint_check", tmp_path / "third"))
    assert seen(after) == clean
    assert synth_worker.starts == starts  # cleaned up in place, no new provider load


def test_an_answer_that_breaks_the_shared_runtime_costs_only_itself(synth_worker, tmp_path):
    starts = synth_worker.starts
    result = synth_worker.synth(hostile("node_killer", tmp_path))
    assert not result.ok  # its own synthesis needed the runtime it killed
    assert_still_synthesizes(synth_worker)  # the worker found Node.js gone and left: a fresh one took this
    assert synth_worker.starts == starts + 1


def test_an_answer_holding_too_much_memory_is_stopped_and_the_next_gets_a_fresh_worker(synth_worker, tmp_path):
    idle = synth_worker.usage().memory
    limit = idle + int(1.5 * GIB)
    starts = synth_worker.starts
    project = hostile("memory", tmp_path, bytes=int(2.5 * GIB), wait=60)
    result = synth_worker.synth(project, timeout=120, memory_limit=limit)
    assert (result.ok, result.error_type) == (False, "MemoryLimit"), result.error
    assert result.error == f"exceeded the memory limit ({format_memory(limit)})"
    assert synth_worker.pid is None  # the worker was stopped
    assert_still_synthesizes(synth_worker)
    assert synth_worker.starts == starts + 1


# -- the fallback level: none -------------------------------------------------------------------------------------
def test_fallback_says_what_it_is(synth_worker_none):
    assert synth_worker_none.sandbox.level == "none"
    assert synth_worker_none.sandbox.describe().startswith("none (--sandbox none; scrubbed environment and limits")


def test_fallback_scrubs_the_environment(synth_worker_none, tmp_path):
    project = hostile("secrets", tmp_path, user_home=os.path.expanduser("~"), files={})
    report = seen(synth_worker_none.synth(project))
    assert not any(value in json.dumps(report["env"]) for value in FAKE_SECRETS.values())
    assert report["home"] != os.path.expanduser("~") and report["home"].endswith("/tmp/home")


def test_fallback_synthesizes_what_bwrap_synthesizes(synth_worker, synth_worker_none):
    bwrap, none = synth_worker.synth(REVIEW), synth_worker_none.synth(REVIEW)
    assert bwrap.ok and none.ok
    assert json.dumps(bwrap.stacks, sort_keys=True) == json.dumps(none.stacks, sort_keys=True)


def test_fallback_bounds_processes_and_cleans_up(synth_worker_none, tmp_path):
    marker = f"{os.getpid() % 1000 + 8000}"
    starts = synth_worker_none.starts
    result = synth_worker_none.synth(hostile("fork_bomb", tmp_path, bound=1000, marker=marker), timeout=120)
    assert not result.ok
    if os.geteuid() == 0:
        # RLIMIT_NPROC does not bind root: the worker stops the project past the limit (or, when the project
        # outran it, the parent stops the worker: the next project then gets a fresh one).
        assert (result.error_type, result.error) == ("ProcessLimit", "exceeded the process limit (64)")
    else:
        assert "Resource temporarily unavailable" in result.error
    assert_still_synthesizes(synth_worker_none)
    assert sleepers(marker) == []
    assert synth_worker_none.starts - starts <= (1 if os.geteuid() == 0 else 0)


def test_fallback_state_does_not_reach_the_next(synth_worker_none, tmp_path):
    Path("/tmp/left-by-taint").unlink(missing_ok=True)  # an earlier run's, stopped before its clean-up
    clean = seen(synth_worker_none.synth(hostile("taint_check", tmp_path / "first")))
    try:
        synth_worker_none.synth(hostile("taint", tmp_path / "second"))
        after = seen(synth_worker_none.synth(hostile("taint_check", tmp_path / "third")))
    finally:
        left = set()
        for root in ("/tmp", os.path.expanduser("~")):
            # os.walk, not rglob: the workers' staging folders under /tmp are removed by a thread of their own while
            # this looks (rglob raises on a folder gone between its listing and its reading; os.walk skips it).
            left |= {path for folder, _, files in os.walk(root) for name in files if name.startswith("left-by-")
                     and (path := Path(folder, name)) and str(path) not in clean["leftover_files"]}
        for path in left:
            path.unlink(missing_ok=True)
    # At `none` the machine's /tmp is the real one: what the answer wrote there stays (docs/security.md), but
    # nothing in the worker's own folders, and nothing of its process (modules, environment, threads, processes).
    new_files = sorted(set(after.pop("leftover_files")) - set(clean.pop("leftover_files")))
    assert "/tmp/left-by-taint" in new_files
    assert not any("<project>" in path or "/home/" in path for path in new_files), new_files
    assert after == clean


# -- what the commands say ----------------------------------------------------------------------------------------
def test_verify_says_which_sandbox_and_what_stopped_a_project(shared_synth, tmp_path):
    project = hostile("spin", tmp_path)
    result = CliRunner().invoke(app, ["verify", str(project), "--timeout", "2"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == f"sandbox: {shared_synth.sandbox.describe()}"
    assert f"{project}: before: synth failed: synth did not finish within 2 s" in result.stdout


def test_verify_json_records_the_fallback_sandbox(shared_synth, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nsandbox = "none"\nmemory-limit = "5GiB"\n')
    project = tmp_path / "review_system"
    shutil.copytree(REVIEW, project)
    result = CliRunner().invoke(app, ["verify", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["sandbox"]["level"] == "none" and document["sandbox"]["requested"] == "none"
    assert document["sandbox"]["memory_limit"] == 5 * GIB
    assert result.stderr.startswith("sandbox: none (--sandbox none; scrubbed environment and limits only: memory 5 GiB")
    assert document["projects"][0]["after"]["ok"]


def test_a_worker_that_cannot_start_says_why_in_one_line():
    from repair.proof.synth import SynthError, SynthWorker

    worker = SynthWorker(sandbox="bwrap", memory_limit=parse_memory("300MiB"))  # the provider alone needs 1 GiB
    with pytest.raises(SynthError) as raised:
        worker.start()
    assert str(raised.value) == "the synth worker did not start (bwrap sandbox): exceeded the memory limit (300 MiB)"
    assert worker.pid is None


def test_sandbox_flags_are_checked(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["verify", str(tmp_path), "--sandbox", "docker"])
    assert result.exit_code == 2 and "repair: error: unknown sandbox 'docker' (expected one of auto, bwrap, none)" \
        in result.stderr
    result = runner.invoke(app, ["verify", str(tmp_path), "--memory-limit", "lots"])
    assert result.exit_code == 2 and "--memory-limit: not a memory size: 'lots'" in result.stderr
    assert "Traceback" not in result.output


def test_memory_sizes():
    assert parse_memory("4") == parse_memory("4GiB") == 4 * GIB
    assert parse_memory("1500MiB") == 1500 << 20 and parse_memory("1.5G") == int(1.5 * GIB)
    assert format_memory(4 * GIB) == "4 GiB" and format_memory(int(2.5 * GIB)) == "2.50 GiB"
    for bad in ("lots", "-1", "10MiB"):
        with pytest.raises(ValueError):
            parse_memory(bad)


def test_config_sets_the_sandbox_and_rejects_bad_values(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nsandbox = "bwrap"\nmemory-limit = "6GiB"\n')
    config = load_config(tmp_path)
    assert (config.sandbox, config.memory_limit) == ("bwrap", 6 * GIB)
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nsandbox = "docker"\n')
    with pytest.raises(ConfigError, match=r"\[tool.repair\] sandbox: expected one of auto, bwrap, none"):
        load_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nmemory-limit = "a lot"\n')
    with pytest.raises(ConfigError, match=r"\[tool.repair\] memory-limit: not a memory size"):
        load_config(tmp_path)
