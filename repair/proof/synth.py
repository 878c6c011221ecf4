"""Synthesize CDKTF projects with the real cdktf and provider, in a long-lived, sandboxed worker process.

Importing the provider starts jsii's Node.js runtime and loads the provider assembly: about 20 s and 1 GB, paid
once per worker. The answers synthesized are untrusted code, so the worker runs in a sandbox (repair/proof/
sandbox.py: bubblewrap where it runs, else a scrubbed environment and limits) and each project runs in a process
of its own, forked from the worker once the provider is loaded: whatever a project changes in Python (patched
modules, globals, threads, the working folder, the environment) ends with its process; the files it leaves in the
worker's temporary folder are removed, and the processes it leaves are killed, before the next project. A project
that hangs, takes too much memory or kills the worker costs only itself: the next one gets a clean worker.

The worker speaks JSON lines on its own copies of stdin/stdout (the projects' processes never hold them): a request
{"id": str, "stage": dir, "project": path, "lone_module": name | null, "context_env": str | null, "timeout": s,
"keep": bool, "reuse": bool, "changed": [path]} names a tree the parent copied into the staging folder and where the
project is in it (a relative folder); with `keep` the worker keeps its copy of the tree for the next request, which,
with `reuse` and the same `stage`, gets that copy brought up to date (what the staging changed: the `changed` files
and whatever else it finds changed, and what the project's run changed in the copy) instead of a new copy (one
staged copy per proof: repair/proof/verify.py). The worker answers {"id": str, "accepted": true} when it takes it, then {"id": str, "ok": bool, "error_type": str, "error": str,
"stacks": {name: JSON}, "restart": bool, "timings": {...}} with the synthesized Terraform JSON itself. It cleans up
after a project once the answer is sent (the parent has it meanwhile); when the clean-up finds the worker unfit for
another project, it says {"id": null, "restart": true} and ends, and the parent gives the request it had sent, if
any, to a fresh worker. The app runs with the context `cdktf synth` gives it (repair/proof/tree.py's cdktf_context:
cdktf.json's `context`, read from the project's copy by the project's own process, else the parent's
CDKTF_CONTEXT_JSON, sent as `context_env`: the sandbox's environment does not carry it).
"""

from __future__ import annotations

import json
import os
import runpy
import secrets
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from repair.proof import sandbox as sandboxing
from repair.proof.sandbox import Sandbox, SandboxError, format_memory
# Where an app's entry is: the project's knowledge (repair.project), named here too for the worker's callers.
from repair.project import find_entry  # noqa: F401
from repair.proof.tree import CONTEXT_ENV, cdktf_context


@dataclass
class SynthResult:
    ok: bool
    error_type: str = ""
    error: str = ""
    stacks: dict[str, dict] = field(default_factory=dict)  # stack name -> synthesized Terraform JSON

    @property
    def first_error_line(self) -> str:
        return self.error.strip().splitlines()[0] if self.error.strip() else ""


# -- worker side -------------------------------------------------------------------------------------------------
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36
KEPT = "tree"  # the worker's folder holding the project's copy (tmp/tree/project), kept between two requests
MAX_ERROR = 16_000  # characters of a project's error message kept
NODE_PRELOAD = Path(__file__).resolve().with_name("node_preload.js")
_DUMPS = json.dumps  # taken before any project runs: a project may replace json.dumps in its own process


def _prctl(option: int, value: int) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _install_hooks(state: dict) -> None:
    """Point every App at the current request's output folder and resolve relative asset paths against the
    project, whatever the app passes."""
    import cdktf

    original_app_init = cdktf.App.__init__
    original_asset_init = cdktf.TerraformAsset.__init__

    def app_init(self, *args, **kwargs):
        state["apps"] = state.get("apps", 0) + 1
        kwargs["outdir"] = state["outdir"]
        if state.get("context"):  # over the app's own, as App applies CDKTF_CONTEXT_JSON over its constructor's
            kwargs["context"] = {**(kwargs.get("context") or {}), **state["context"]}
        original_app_init(self, *args, **kwargs)

    def asset_init(self, scope, id, *, path, **kwargs):
        if not os.path.isabs(path):
            path = os.path.join(state["project"], path)
        original_asset_init(self, scope, id, path=path, **kwargs)

    cdktf.App.__init__ = app_init
    cdktf.TerraformAsset.__init__ = asset_init


def _run_lone_module(path: Path, state: dict) -> None:
    """A stack module without an app: instantiate each TerraformStack subclass it defines, with its defaults. A
    module that builds an app of its own when imported (`app = App()` ... `app.synth()` at its top level) has
    synthesized its stacks already: instantiating them again would prove each twice, under another id."""
    import cdktf

    apps = state.get("apps", 0)
    namespace = runpy.run_path(str(path), run_name="repair_synth_module")
    if state.get("apps", 0) > apps:
        return
    stacks = [obj for obj in namespace.values()
              if isinstance(obj, type) and issubclass(obj, cdktf.TerraformStack) and obj is not cdktf.TerraformStack
              and obj.__module__ == "repair_synth_module"]
    if not stacks:
        raise LookupError(f"{path.name} defines no TerraformStack subclass")
    app = cdktf.App()
    for stack in stacks:
        stack(app, stack.__name__)
    app.synth()


def _run_project(project: Path, lone_module: str | None, outdir: str, state: dict,
                 context_env: str | None = None) -> dict:
    """Runs in the project's own process: the app, or the lone module; the result without the stacks. The app
    gets the context `cdktf synth` would give it (cdktf.json's, else `context_env`: the caller's
    CDKTF_CONTEXT_JSON)."""
    entry = project / lone_module if lone_module else find_entry(project)
    if entry is None:
        return {"ok": False, "error_type": "NoEntry", "error": "no app entry (cdktf.json app, tap.py, main.py) in "
                "the project"}
    context = cdktf_context(None if lone_module else project, context_env)
    state.update(project=str(project), outdir=outdir, context=context)
    # As `python lib/main.py` runs it: the entry's own folder first on the path (a lone module: the project's).
    sys.path.insert(0, str(project if lone_module else entry.parent))
    os.chdir(project)
    try:
        if lone_module:
            _run_lone_module(entry, state)
        else:
            runpy.run_path(str(entry), run_name="__main__")
    except BaseException as exc:  # the app's own failure is the result, not the worker's
        message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return {"ok": False, "error_type": type(exc).__name__, "error": message[:MAX_ERROR]}
    return {"ok": True}


def _entries(root: Path, skip: str | None = None):
    """(path relative to `root`, path, lstat) of every entry under `root`, links not followed; without the entry
    `skip` of `root` itself. An entry gone while it is read is left out."""
    for folder, folders, files in os.walk(root):
        if skip is not None and folder == str(root):
            folders[:] = [f for f in folders if f != skip]
            files = [f for f in files if f != skip]
        for name in folders + files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            yield os.path.relpath(path, root), path, info
        folders[:] = [f for f in folders if not os.path.islink(os.path.join(folder, f))]


def _snapshot(root: Path, skip: str | None = None) -> dict[str, tuple]:
    """Every entry under `root` with what identifies its state (type, mode, size and time, link target); without
    the entry `skip` of `root` itself (the tree a worker keeps for a project's next synthesis)."""
    found: dict[str, tuple] = {}
    for relative, path, info in _entries(root, skip):
        if stat.S_ISLNK(info.st_mode):
            found[relative] = ("l", os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            found[relative] = ("d", info.st_mode)
        elif stat.S_ISREG(info.st_mode):
            found[relative] = ("f", info.st_mode, info.st_size, info.st_mtime_ns)
        else:
            found[relative] = ("o", info.st_mode)
    return found


def _state(root: Path) -> dict[str, tuple]:
    """Every entry under `root` (links not followed) with what changes whenever the entry is written, replaced or
    its mode changed: the inode and the change time (a process can set a file's modification time, not its change
    time). A folder's own times are left out: they change with what it holds, which has entries of its own."""
    found: dict[str, tuple] = {}
    for relative, path, info in _entries(root):
        if stat.S_ISLNK(info.st_mode):
            found[relative] = ("l", info.st_ino, os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            found[relative] = ("d", info.st_mode, info.st_ino)
        else:
            found[relative] = (stat.S_IFMT(info.st_mode), info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns,
                               info.st_ctime_ns)
    return found


def _refresh(tree: Path, stage: Path, kept: dict, changed: list[str]) -> int:
    """Bring the copy `tree` of the staged tree `stage` back to what a fresh copy of `stage` would be: every entry
    the staging changed since the copy (`kept["staged"]`, and `changed`, named by the parent) or the project's
    process changed in the copy (`kept["pristine"]`: written, replaced, removed, added, its mode changed) is
    removed and copied again from the stage, parents before what they hold (a folder replaced is copied whole, and
    nothing is written through a link the project left). The number of entries copied again or removed."""
    staged, copied = _state(stage), _state(tree)
    dirty = {r for r in set(staged) | set(kept["staged"]) if staged.get(r) != kept["staged"].get(r)}
    dirty |= {r for r in set(copied) | set(kept["pristine"]) if copied.get(r) != kept["pristine"].get(r)}
    dirty |= {os.path.normpath(r) for r in changed if r in staged or r in copied}
    redone: list[str] = []
    for relative in sorted(dirty, key=lambda r: (r.count(os.sep), r)):
        if any(relative.startswith(done + os.sep) for done in redone):
            continue  # inside a folder copied again whole
        target, source = tree / relative, stage / relative
        if os.path.lexists(target):
            if not os.path.islink(target.parent):
                os.chmod(target.parent, os.lstat(target.parent).st_mode | 0o700)
            _remove(str(target))
        if os.path.lexists(source):
            if os.path.isdir(source) and not os.path.islink(source):
                shutil.copytree(source, target, symlinks=True)
                _owner_writable(target)
            elif os.path.islink(source):
                os.symlink(os.readlink(source), target)
            else:
                shutil.copy2(source, target)
                os.chmod(target, os.stat(target).st_mode | 0o600)
        redone.append(relative)
    return len(redone)


def _owner_writable(root: Path) -> None:
    for folder, _, files in os.walk(root):
        os.chmod(folder, os.stat(folder).st_mode | 0o700)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o600)


def _remove(path: str) -> None:
    """Remove a file or a whole folder, whatever permissions a project left on it."""
    def writable(function, failed, _exc):
        os.chmod(os.path.dirname(failed), 0o700)
        if os.path.isdir(failed) and not os.path.islink(failed):
            os.chmod(failed, 0o700)
        function(failed)

    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        shutil.rmtree(path, onexc=writable) if sys.version_info >= (3, 12) else shutil.rmtree(path, onerror=writable)
    else:
        os.unlink(path)


class _Worker:
    """The worker process: loads the provider once, then forks one process per project."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.tmp = Path(config["tmp"])
        self.stage = Path(config["stage"])
        self.max_output = int(config["max_output"])
        self.max_processes = int(config.get("max_processes") or sandboxing.DEFAULT_MAX_PROCESSES)
        self.state: dict = {}
        self.node = None  # jsii's Node.js process (subprocess.Popen)
        self.node_lost = False
        self.serial = 0
        self.pending: tuple[int | None, Path] | None = None  # the last project: its unreaped process, its folder
        self.kept: dict | None = None  # the copy kept for the next request of the same staging (`_tree`)
        self.dying: set[int] = set()  # projects' processes killed, not yet reaped (`clean_up`)
        self.clean_up_seconds = 0.0
        self.clean_up_parts: dict[str, float] = {}

    # Set-up, before any answer's code runs.
    def secure(self) -> None:
        user = self.config.get("user")
        if user:
            uid, gid = user
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)  # from root to nobody: every capability is gone with it
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _prctl(PR_SET_DUMPABLE, 0)  # a project's process (same user) may not trace or read the worker
        _prctl(PR_SET_CHILD_SUBREAPER, 1)  # what a project leaves running stays ours to kill
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.config.get("nproc"):
            resource.setrlimit(resource.RLIMIT_NPROC, (self.config["nproc"], self.config["nproc"]))
        for folder in ("home", "work"):
            (self.tmp / folder).mkdir(exist_ok=True)

    def jsii_cache(self) -> None:
        """jsii's package cache as links to the read-only entries: jsii touches each entry's marker file, which it
        may do in this private copy, while the packages' files stay out of any project's reach."""
        cache = self.tmp / "jsii-cache"
        for relative, source in self.config.get("jsii", []):
            entry = cache / relative
            entry.mkdir(parents=True, exist_ok=True)
            for child in os.listdir(source):
                if child != sandboxing.JSII_MARKER:
                    os.symlink(os.path.join(source, child), entry / child)
            (entry / sandboxing.JSII_MARKER).touch()
        os.environ["JSII_RUNTIME_PACKAGE_CACHE_ROOT"] = str(cache)

    def load(self) -> None:
        # jsii's Node.js runtime starts with repair/proof/node_preload.js (cdktf's archiveSync without a Node.js
        # process per archive); only it: the variable is gone before any project runs.
        os.environ["NODE_OPTIONS"] = f"--require {json.dumps(str(NODE_PRELOAD))}"
        try:
            import cdktf
            import cdktf_cdktf_provider_aws  # noqa: F401  (loads the provider assembly once)
        finally:
            os.environ.pop("NODE_OPTIONS", None)
        from cdktf_cdktf_provider_aws.provider import AwsProvider

        # One synthesis before any project: Node.js loads the provider's JavaScript now, from the read-only
        # package files, not later from links a project could have replaced.
        warm = self.tmp / "warm-up"
        app = cdktf.App(outdir=str(warm))
        AwsProvider(cdktf.TerraformStack(app, "warm"), "aws", region="us-east-1")
        app.synth()
        _remove(str(warm))
        _install_hooks(self.state)
        try:
            import jsii._runtime

            self.node = jsii._runtime.kernel.provider._process._process
        except AttributeError:
            self.node = None

    def node_healthy(self) -> bool:
        """Node.js still answers, with nothing half-sent left in its pipe by a project's process."""
        if self.node_lost:
            return False
        if self.node is None:
            return True
        if self.node.poll() is not None:
            return False
        if select.select([self.node.stdout], [], [], 0)[0]:
            return False  # a project's process was stopped in the middle of a call
        import cdktf

        def too_slow(*_):
            raise TimeoutError

        previous = signal.signal(signal.SIGALRM, too_slow)
        signal.setitimer(signal.ITIMER_REAL, 10)
        try:
            return cdktf.Token.is_unresolved("plain") is False
        except BaseException:
            return False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    # One project.
    def serve(self, request: dict, responses) -> dict:
        """Run one project in a process of its own; its result, sent before the clean-up (`clean_up`)."""
        self.serial += 1
        marks = [("start", time.perf_counter())]
        work = self.tmp / "work" / str(self.serial)
        outdir = work / "cdktf.out"
        self.pending = (None, work)
        work.mkdir(parents=True)
        tree, reused = self._tree(request)
        project = _inside(tree, request.get("project") or "")
        marks.append(("copy", time.perf_counter()))
        timeout = float(request.get("timeout") or 300)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the project's process
            try:
                os.close(read_end)
                self._child(project, request.get("lone_module"), str(outdir), write_end, timeout, responses,
                            request.get("context_env"))
            except BaseException:
                if self.config.get("debug"):
                    traceback.print_exc()
            finally:
                os._exit(0)
        os.close(write_end)
        marks.append(("fork", time.perf_counter()))
        result, unreaped = self._await(pid, read_end, timeout)
        self.pending = (unreaped, work)
        os.close(read_end)
        marks.append(("run", time.perf_counter()))
        if result.get("ok"):
            result.update(self._collect(outdir))
        marks.append(("collect", time.perf_counter()))
        timings = {b[0]: round(b[1] - a[1], 4) for a, b in zip(marks, marks[1:])}
        timings["previous_clean_up"] = round(self.clean_up_seconds, 4)
        timings["previous_clean_up_parts"] = {k: round(v, 4) for k, v in self.clean_up_parts.items()}
        timings["reused"] = reused
        result.update(id=request["id"], restart=False, timings=timings)
        return result

    def _tree(self, request: dict) -> tuple[Path, int | None]:
        """The project's copy of its staged tree, in `tmp/tree/project`: a fresh copy, or, when the request
        reuses the copy kept for the same staging (`keep` on the request before), that copy brought up to date
        (`_refresh`: what the staging changed, what the project's process changed, nothing else copied again).
        With `keep`, the copy stays for the next request. The tree and how many entries were copied again when it
        was reused (None for a fresh copy)."""
        staged = _inside(self.stage, request["stage"])
        holder = self.tmp / KEPT
        tree = holder / "project"
        kept, self.kept = self.kept, None
        reused = None
        if kept is not None and request.get("reuse") and kept["stage"] == request["stage"] and _same_folder(
                holder, kept["holder"]) and _same_folder(tree, kept["tree"]):
            try:
                os.chmod(holder, 0o700)
                os.chmod(tree, 0o700)  # whatever mode the project's run left on them
                for name in os.listdir(holder):
                    if name != "project":
                        _remove(str(holder / name))  # what the project's process put beside its copy
                reused = _refresh(tree, staged, kept, [str(c) for c in request.get("changed") or []])
            except OSError:
                reused = None  # what the run left cannot be put back: a fresh copy instead
        if reused is None:
            if os.path.lexists(holder):
                _remove(str(holder))
            holder.mkdir()
            shutil.copytree(staged, tree, symlinks=True)
            _owner_writable(tree)  # the copy is the project's to write, whatever modes its files came with
        if request.get("keep"):
            self.kept = {"stage": request["stage"], "staged": _state(staged), "pristine": _state(tree),
                         "holder": os.lstat(holder).st_ino, "tree": os.lstat(tree).st_ino}
        return tree, reused

    def clean_up(self) -> bool:
        """After a project's result is sent, before the next project: its process gone (the kernel takes a while
        to take a forked copy of the worker apart), what it left running killed, Node.js checked, its files
        removed. True when the worker must not serve another project."""
        started = time.perf_counter()
        unreaped, work = self.pending
        self._reap_dying()
        if unreaped is not None:
            if _dying(unreaped):
                # Killed and past running any code of its own: the kernel takes its copy of the worker apart
                # (tens of ms) while the next project starts; reaped then.
                self.dying.add(unreaped)
            else:
                try:
                    os.waitpid(unreaped, 0)
                except ChildProcessError:
                    pass
        reaped = time.perf_counter()
        self._kill_leftovers()
        killed = time.perf_counter()
        restart = not self.node_healthy()
        checked = time.perf_counter()
        try:
            if os.path.lexists(work):
                _remove(str(work))  # the project's output (read already)
            if self.kept is None and os.path.lexists(self.tmp / KEPT):
                _remove(str(self.tmp / KEPT))  # the project's copy, unless kept for its next synthesis
        except OSError:
            restart = True
        removed = time.perf_counter()
        restart = self._restore_tmp() or restart
        self.clean_up_seconds = time.perf_counter() - started
        self.clean_up_parts = {"reap": reaped - started, "leftovers": killed - reaped, "node": checked - killed,
                               "remove": removed - checked, "restore_tmp": time.perf_counter() - removed}
        return restart

    def _child(self, project: Path, lone_module: str | None, outdir: str, result_fd: int, timeout: float,
               responses, context_env: str | None = None) -> None:
        import resource

        os.close(responses.fileno())
        os.close(self.requests_fd)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)  # Python ignores SIGXFSZ: past the file-size limit, the process ends
        # Fresh stream objects: a lock another thread of the worker held at the fork stays held in these copies.
        sys.stdout = sys.stderr = open(2, "w", closefd=False, errors="replace")
        cpu = int(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.max_output, self.max_output))
        result = _run_project(project, lone_module, outdir, self.state, context_env)
        data = (_DUMPS(result) + "\n").encode()
        while data:
            data = data[os.write(result_fd, data):]

    def _await(self, pid: int, read_end: int, timeout: float) -> tuple[dict, int | None]:
        """The project process's result, its message or why it ended without one; and the process when it was
        killed but not yet waited for (clean_up waits)."""
        deadline = time.monotonic() + timeout
        data, status, open_end = b"", None, True
        while b"\n" not in data and len(data) <= 4 * MAX_ERROR:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(pid)
                return ({"ok": False, "error_type": "Timeout", "error": f"synth did not finish within {timeout:g} s"},
                        pid)
            if open_end and select.select([read_end], [], [], min(remaining, 0.05))[0]:
                chunk = os.read(read_end, 1 << 16)
                data += chunk
                open_end = bool(chunk)
                continue
            if not open_end:
                time.sleep(min(remaining, 0.05))
            if len(sandboxing.tree(pid)) > self.max_processes:
                _kill(pid)
                return {"ok": False, "error_type": "ProcessLimit",
                        "error": f"exceeded the process limit ({self.max_processes})"}, pid
            done, exited = os.waitpid(pid, os.WNOHANG)
            if done:
                status = exited
                while open_end and b"\n" not in data and select.select([read_end], [], [], 0)[0]:
                    chunk = os.read(read_end, 1 << 16)  # what it wrote just before it ended
                    data += chunk
                    open_end = bool(chunk)
                break
        if status is None and b"\n" in data:
            _kill(pid)  # it has answered: whatever it still does is of no interest
            return _checked(data.split(b"\n", 1)[0]), pid
        if status is None:
            status = _kill_and_reap(pid)
        if data:
            return _checked(data.split(b"\n", 1)[0]), None
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXCPU:
                return {"ok": False, "error_type": "CpuLimit",
                        "error": f"exceeded the CPU time limit ({int(timeout) + 1} s)"}, None
            if number == signal.SIGXFSZ:
                return {"ok": False, "error_type": "OutputLimit",
                        "error": f"wrote a file over the size limit ({format_memory(self.max_output)})"}, None
            return {"ok": False, "error_type": "Killed",
                    "error": f"the project's process was killed by {signal.Signals(number).name}"}, None
        return {"ok": False, "error_type": "NoResult", "error": "the project's process ended without a result "
                f"(exit status {os.waitstatus_to_exitcode(status)})"}, None

    def _reap_dying(self) -> None:
        for pid in list(self.dying):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.dying.discard(pid)

    def _kill_leftovers(self) -> None:
        """Kill every process a project left (orphans come back to this worker, its subreaper), but Node.js; a
        project's own process already dying (`_dying`) is left to end."""
        keep = {self.node.pid} if self.node is not None else set()
        for _ in range(200):
            left = [p for p in sandboxing.tree(os.getpid())[1:] if p not in keep and not self._under(p, keep)
                    and not (p in self.dying and _dying(p))]
            if not left:
                return
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            while True:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    time.sleep(0.01)
                    break
                self.dying.discard(pid)
                if pid in keep:
                    self.node_lost = True

    @staticmethod
    def _under(pid: int, ancestors: set[int]) -> bool:
        try:
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        return parent in ancestors

    def _collect(self, outdir: Path) -> dict:
        """The synthesized stacks, read by the worker once the project's processes are gone."""
        manifests = sorted(outdir.glob("stacks/*/cdk.tf.json"))
        if not manifests:
            return {"ok": False, "error_type": "NoStacks", "error": "the app synthesized no stack (no app.synth()?)"}
        stacks, total = {}, 0
        for manifest in manifests:
            try:
                descriptor = os.open(manifest, os.O_RDONLY | os.O_NOFOLLOW)
                with os.fdopen(descriptor, "rb") as handle:
                    data = handle.read(self.max_output + 1 - total)
                total += len(data)
                if total > self.max_output:
                    return {"ok": False, "error_type": "OutputLimit",
                            "error": f"the synthesized JSON exceeds the output limit ({format_memory(self.max_output)})"}
                stacks[manifest.parent.name] = json.loads(data)
            except (OSError, ValueError) as exc:
                return {"ok": False, "error_type": "BadOutput", "error": f"{manifest.parent.name}/cdk.tf.json: {exc}"}
        return {"ok": True, "stacks": stacks}

    def _restore_tmp(self) -> bool:
        """Remove what the project left in the temporary folder; True when something the worker relies on was
        changed (the worker then restarts)."""
        skip = KEPT if self.kept is not None else None
        current = _snapshot(self.tmp, skip)
        new = set(current) - set(self.snapshot)
        for relative in sorted(new, key=lambda r: r.count(os.sep)):
            path = self.tmp / relative
            if os.path.lexists(path):
                try:
                    _remove(str(path))
                except OSError:
                    return True
        return (_snapshot(self.tmp, skip) if new else current) != self.snapshot

    def run(self) -> None:
        self.requests_fd = os.dup(0)
        responses = os.fdopen(os.dup(1), "wb")
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(2, 1)  # the apps' prints must not reach the protocol
        sys.stdout = sys.stderr
        try:
            self.secure()
            self.jsii_cache()
            self.load()
        except BaseException as exc:
            responses.write((json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n").encode())
            responses.flush()
            return
        self.snapshot = _snapshot(self.tmp)
        if not self.config.get("debug"):
            os.dup2(devnull, 2)  # from now on what the projects print goes nowhere (the parent reads only start-up)
        import gc

        gc.collect()
        gc.freeze()  # the loaded provider stays out of the projects' collections: fewer pages copied after a fork
        responses.write((json.dumps({"ready": True, "uid": os.getuid()}) + "\n").encode())
        responses.flush()
        requests = os.fdopen(self.requests_fd, "rb", closefd=False)
        for line in requests:
            if not line.strip():
                continue
            request = json.loads(line)
            self.send(responses, {"id": request.get("id"), "accepted": True})
            try:
                response = self.serve(request, responses)
            except Exception as exc:  # the worker's own failure: this project's error, then a fresh worker
                response = {"id": request.get("id"), "ok": False, "error_type": "WorkerError",
                            "error": f"the synth worker failed: {type(exc).__name__}: {exc}", "restart": True}
            self.send(responses, response)
            if response.get("restart"):
                return
            try:
                restart = self.clean_up()
            except Exception:
                restart = True
            if restart:
                # Unasked: the parent starts a fresh worker and sends it any request this one did not read.
                self.send(responses, {"id": None, "restart": True})
                return

    @staticmethod
    def send(responses, message: dict) -> None:
        responses.write((json.dumps(message, separators=(",", ":"), ensure_ascii=False) + "\n").encode())
        responses.flush()


PF_EXITING = 0x4


def _dying(pid: int) -> bool:
    """The process (a child of the worker) is a zombie, exiting, or has SIGKILL pending: it runs no code of its
    own any more."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        if fields[0] in "ZXx" or int(fields[6]) & PF_EXITING:
            return True
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(("SigPnd:", "ShdPnd:")) and int(line.split()[1], 16) & (1 << (signal.SIGKILL - 1)):
                    return True
    except (OSError, IndexError, ValueError):
        return not os.path.exists(f"/proc/{pid}")
    return False


def _same_folder(path: Path, inode: int) -> bool:
    """`path` is still the folder it was (not replaced, not a link)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_ino == inode


def _inside(tree: Path, relative: str) -> Path:
    """The project's folder in the copy of its tree: `relative` (a folder the parent named), never outside it."""
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts:
        raise ValueError(f"the project must be inside its tree: {relative!r}")
    return tree.joinpath(*parts)


def _checked(line: bytes) -> dict:
    """A project process's result, as far as it has the expected shape (the process may have sent anything)."""
    try:
        result = json.loads(line)
    except ValueError:
        result = None
    if not isinstance(result, dict) or not isinstance(result.get("ok"), bool):
        return {"ok": False, "error_type": "BadResult", "error": "the project's process sent an unreadable result"}
    return {"ok": result["ok"], "error_type": str(result.get("error_type", ""))[:200],
            "error": str(result.get("error", ""))[:MAX_ERROR]}


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _kill_and_reap(pid: int) -> int:
    _kill(pid)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def worker_main(config: dict | None = None) -> None:
    _Worker(config or {}).run()


# -- parent side -------------------------------------------------------------------------------------------------
class SynthError(RuntimeError):
    """The worker could not start (no Node.js, provider missing, sandbox unusable) or died."""


class _Stopped(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


GRACE = 60.0  # seconds the parent gives the worker beyond a project's timeout (clean-up, health check)
WATCH_INTERVAL = 0.2
RECYCLE_AT = 0.75  # an idle worker using more than this share of the memory limit is replaced


class SynthWorker:
    """A sandboxed worker process; `synth(project)` synthesizes one project. Use as a context manager.

    `sandbox`: "auto" (bwrap where it runs, else none), "bwrap", "none", or a resolved `Sandbox`;
    `memory_limit` (bytes): the worker's resident memory past which the project is stopped and the worker
    replaced."""

    def __init__(self, timeout: float = 300.0, startup_timeout: float = 300.0, sandbox: str | Sandbox = "auto",
                 memory_limit: int = sandboxing.DEFAULT_MEMORY_LIMIT,
                 max_processes: int = sandboxing.DEFAULT_MAX_PROCESSES) -> None:
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        try:
            self.sandbox = sandbox if isinstance(sandbox, Sandbox) else sandboxing.resolve(
                sandbox, memory_limit or sandboxing.DEFAULT_MEMORY_LIMIT, max_processes)
        except SandboxError as exc:
            raise SynthError(str(exc)) from exc
        self._process: subprocess.Popen | None = None
        self._owner = os.getpid()  # the process that started the worker (the only one that can wait for it)
        self._folder: str | None = None  # the running worker's own (its temporary folder at level none)
        self._staging: str | None = None  # the staged trees, bound read-only into every worker; until close()
        self._removals: list = []  # [pid, queue] of the thread removing staged trees (off the critical path)
        self._buffer = b""
        self._serial = 0
        self._accepted = False
        self._stderr = b""
        self.last_timings: dict | None = None
        self.starts = 0  # workers started so far (the first load and every replacement)

    def __enter__(self) -> "SynthWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _alive(self) -> bool:
        if self._process is None:
            return False
        if self._owner == os.getpid():
            return self._process.poll() is None
        # A forked copy of this object (a batch job's process) cannot wait for the worker: ask /proc.
        try:
            return Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
        except (OSError, IndexError):
            return False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._alive() else None

    def usage(self) -> sandboxing.Usage | None:
        """The running worker's resident memory and processes, as the watch counts them."""
        pid = self.pid
        return sandboxing.usage(pid, self.sandbox.level == "bwrap") if pid else None

    def _start(self) -> subprocess.Popen:
        if shutil.which("node") is None:
            raise SynthError("Node.js is not installed: cdktf synth runs jsii on Node.js (install the `nodejs` package)")
        self._folder = tempfile.mkdtemp(prefix="repair-worker-")
        weakref.finalize(self, _remove_at_exit, self._folder, os.getpid())
        stage = Path(self._staging_folder())
        entries = sandboxing.ensure_jsii_cache(self.startup_timeout)
        # CDKTF_REPAIR_DEBUG_WORKER=1 shows the worker's stderr (and the projects') on this process's.
        debug = bool(os.environ.get("CDKTF_REPAIR_DEBUG_WORKER"))
        config = {"max_output": self.sandbox.max_output, "max_processes": self.sandbox.max_processes, "debug": debug}
        if self.sandbox.level == "bwrap":
            user = sandboxing.sandbox_user()
            config.update(tmp=sandboxing.SANDBOX_TMP, stage=sandboxing.STAGE_MOUNT, user=user,
                          nproc=sandboxing.task_count(user[0] if user else os.getuid()) + self.sandbox.max_processes,
                          jsii=[[relative, f"{sandboxing.JSII_MOUNT}/{relative}"] for relative, _ in entries])
            argv = sandboxing.bwrap_argv(self.sandbox, str(stage), entries, config)
            env = sandboxing.worker_env(home=f"{sandboxing.SANDBOX_TMP}/home", tmpdir=sandboxing.SANDBOX_TMP)
            cwd = "/"
        else:
            tmp = Path(self._folder, "tmp")
            tmp.mkdir()
            config.update(tmp=str(tmp), stage=str(stage), user=None, jsii=[list(e) for e in entries],
                          nproc=None if os.geteuid() == 0 else
                          sandboxing.task_count(os.getuid()) + self.sandbox.max_processes)
            argv = sandboxing.plain_argv(config)
            env = sandboxing.worker_env(home=str(tmp / "home"), tmpdir=str(tmp))
            cwd = str(tmp)
        self._buffer = b""
        # Its stderr is read while it starts (bubblewrap's and Python's own errors), then the worker points it at
        # /dev/null: nothing a project prints can fill a pipe or a file of the parent's.
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=None if debug else subprocess.PIPE, env=env, cwd=cwd, start_new_session=True)
        self._process = process
        self._stderr = b""
        self.starts += 1
        try:
            ready = self._read(time.monotonic() + self.startup_timeout, None, self.sandbox.memory_limit)
        except _Stopped as stop:
            ready = {"ready": False, "error": str(stop)}
        if not ready or not ready.get("ready"):
            sandboxing.kill_tree(process.pid)
            process.wait()
            if process.stderr is not None and not process.stderr.closed:
                self._stderr += process.stderr.read(1 << 16) or b""
            said = [line.strip() for line in self._stderr.decode(errors="replace").splitlines() if line.strip()]
            self._stop()
            raise SynthError(f"the synth worker did not start ({self.sandbox.level} sandbox): "
                             f"{(ready or {}).get('error') or (said[-1] if said else 'no answer')}")
        if process.stderr is not None and not process.stderr.closed:
            process.stderr.close()
        return process

    def _read(self, deadline: float, request_id: str | None, memory_limit: int) -> dict | None:
        """The worker's next message (the one answering `request_id`), watching its memory and processes while
        waiting; None when it died or the deadline passed; _Stopped past a limit."""
        process = self._process
        descriptor = process.stdout.fileno()
        limit = 2 * self.sandbox.max_output + (1 << 20)  # the stacks' JSON, re-encoded in the response
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if request_id is not None and message.get("id") == request_id and message.get("accepted"):
                    self._accepted = True  # the worker took the project: what happens now is the project's
                    continue
                if request_id is None or message.get("id") == request_id or (
                        message.get("id") is None and message.get("restart")):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            errors = process.stderr if process.stderr is not None and not process.stderr.closed else None
            readable = select.select([descriptor] + ([errors] if errors else []), [], [],
                                     min(remaining, WATCH_INTERVAL))[0]
            if errors in readable:  # only while the worker starts
                said = os.read(errors.fileno(), 1 << 16)
                if not said:
                    errors.close()
                self._stderr = (self._stderr + said)[-(1 << 14):]
                if descriptor not in readable:
                    continue
            if readable:
                chunk = os.read(descriptor, 1 << 20)
                if not chunk:
                    return None
                self._buffer += chunk
                if len(self._buffer) > limit:
                    raise _Stopped("OutputLimit", "the synthesized JSON exceeds the output limit "
                                   f"({format_memory(self.sandbox.max_output)})")
                continue
            seen = sandboxing.usage(process.pid, self.sandbox.level == "bwrap")
            if seen.memory > memory_limit:
                raise _Stopped("MemoryLimit", f"exceeded the memory limit ({format_memory(memory_limit)})")
            if seen.processes > 2 * self.sandbox.max_processes + 16:  # the worker stops a project at the limit
                raise _Stopped("ProcessLimit", f"exceeded the process limit ({self.sandbox.max_processes})")

    def _stage(self, project: Path, in_place: bool = False, root: Path | None = None
               ) -> tuple[str, str, str | None]:
        """Copy `root` (by default the project itself) into the staging folder: its name there, the project's
        folder inside it (relative) and, for a lone module, the module's name."""
        name = self._new_stage()
        target = Path(self._staging, name)
        project = Path(os.path.abspath(project))
        root = Path(os.path.abspath(root)) if root is not None else project
        folder, lone = (project.parent, project.name) if project.is_file() else (project, None)
        if root.is_file():
            if root != project:
                raise ValueError(f"{project} is not the module {root}")
            shutil.copy(project, target / project.name)
            relative = Path()
        else:
            relative = folder.relative_to(root)  # ValueError when the project is not inside its tree
            # Links are copied as links: the parent must not read, for the answer, what a link points to. The
            # caller's own copy of a tree (in_place: repair/proof/tree.py's copy_tree) is staged as it is: it
            # left out the tools' folders already, and keeps what an asset folder holds (its hash is cdktf's).
            ignore = None if in_place else shutil.ignore_patterns("cdktf.out", "__pycache__", ".terraform",
                                                                  "node_modules")
            shutil.copytree(root, target, symlinks=True, ignore=ignore, dirs_exist_ok=True)
        _readable(target)
        return name, relative.as_posix(), lone

    def _staging_folder(self) -> str:
        if self._staging is None:
            self._staging = tempfile.mkdtemp(prefix="repair-stage-")
            weakref.finalize(self, _remove_at_exit, self._staging, os.getpid())
            os.chmod(self._staging, 0o755)  # as root, the sandbox's `nobody` reads it
        return self._staging

    def _new_stage(self) -> str:
        self._serial += 1
        name = str(self._serial)
        Path(self._staging_folder(), name).mkdir()
        return name

    # One tree staged for several syntheses (repair/proof/verify.py: before and after the repair).
    def stage(self, tree, files: dict[Path, str] | None = None) -> "Staged":
        """Copy a project's tree (repair/proof/tree.py's `Tree`) into the staging folder once, with `files`
        (absolute path inside the tree -> text) written over their copies: the parent's only copy of it. Raises
        OSError (shutil.Error included) or RecursionError when the tree cannot be copied."""
        from repair.proof.tree import copy_tree

        name = self._new_stage()
        folder = Path(self._staging, name)
        try:
            project = copy_tree(tree, folder, files)
            _readable(folder)
        except BaseException:
            self._remove_later(folder)
            raise
        base = folder / tree.base.name
        if base.is_dir():
            return Staged(name, base, f"{name}/{tree.base.name}", project.relative_to(base).parent.as_posix()
                          if project.is_file() else project.relative_to(base).as_posix(),
                          project.name if project.is_file() else None)
        return Staged(name, base, name, "", base.name)

    def restage(self, staged: "Staged", tree, files: dict[Path, str]) -> None:
        """Write `files` (absolute path inside `tree.base` -> text) over the staged copy, each as a new file (a new
        inode: the worker sees it changed whatever its size and times), and name them for the next request."""
        from repair.proof.tree import write_files

        written = write_files(tree, staged.base, files, replace=True)
        _readable(staged.base if staged.base.is_dir() else staged.base.parent)
        folder = Path(self._staging, staged.request)
        staged.changed = sorted(set(staged.changed) | {p.relative_to(folder).as_posix() for p in written})

    def synth_staged(self, staged: "Staged", timeout: float | None = None, memory_limit: int | None = None,
                     keep: bool = False) -> SynthResult:
        """Synthesize a staged tree. `keep`: the worker keeps its copy of it for the next request of the same
        staging, which then copies again only what changed (in the staging, or in the copy by the project)."""
        request = {"stage": staged.request, "project": staged.project, "lone_module": staged.lone, "keep": keep,
                   "reuse": staged.used, "changed": staged.changed}
        result = self._synth(lambda: request, timeout, memory_limit)
        staged.used, staged.changed = True, []
        return result

    def unstage(self, staged: "Staged") -> None:
        """Give up a staged tree: removed by a thread of its own, off the next project's critical path."""
        self._remove_later(Path(self._staging, staged.name))

    def _remove_later(self, folder: Path) -> None:
        """Removed by this process's removal thread (one, started with the first removal; a forked copy of this
        object starts its own)."""
        if not self._removals or self._removals[0] != os.getpid():
            import queue
            import threading

            pending: queue.SimpleQueue = queue.SimpleQueue()
            threading.Thread(target=_removal_thread, args=(pending,), daemon=True,
                             name="repair-stage-removal").start()
            self._removals = [os.getpid(), pending]
        self._removals[1].put(str(folder))

    def start(self) -> None:
        """Start the worker (load the provider) unless it runs; SynthError when it cannot start."""
        if not self._alive():
            self._stop()
            self._process = self._start()
            self._owner = os.getpid()

    def synth(self, project: Path, timeout: float | None = None, memory_limit: int | None = None,
              in_place: bool = False, root: Path | None = None) -> SynthResult:
        """Synthesize a copy of `project` (a folder with an app entry, or a lone stack module) in the sandbox;
        nothing is written into the project itself. `timeout` and `memory_limit` override the worker's for this
        project. `in_place`: `project` already is in a temporary copy the caller owns (repair/proof/tree.py's
        copy_tree), staged as it is; `root`: the folder of that copy holding everything the project reads (its
        tree), staged whole with the project run where it is inside it (by default the project alone)."""
        name, relative, lone = self._stage(project, in_place, root)
        try:
            return self._synth(lambda: {"stage": name, "project": relative, "lone_module": lone}, timeout,
                               memory_limit)
        finally:
            self._remove_later(Path(self._staging, name))

    def _synth(self, make_request, timeout: float | None, memory_limit: int | None) -> SynthResult:
        """Send the request `make_request()` gives (for each attempt: a worker that left before it took the
        project is replaced and given it again) and read its answer."""
        timeout = timeout or self.timeout
        memory_limit = memory_limit or self.sandbox.memory_limit
        for _ in range(3):
            self.start()
            request_id = secrets.token_hex(8)
            request = {"id": request_id, **make_request(), "context_env": os.environ.get(CONTEXT_ENV),
                       "timeout": timeout}
            self._accepted = False
            try:
                self._process.stdin.write((json.dumps(request) + "\n").encode())
                self._process.stdin.flush()
                response = self._read(time.monotonic() + timeout + GRACE, request_id, memory_limit)
            except _Stopped as stop:
                self._stop()
                return SynthResult(False, stop.error_type, str(stop))
            except OSError:
                response = None
            if not self._accepted and (response is None or response.get("id") is None):
                # The worker left (after cleaning up the previous project, or killed by what it left) before it
                # took this project: a fresh worker takes it.
                self._stop()
                continue
            break
        if response is None:
            self._stop()  # hung or died: this project costs only itself
            return SynthResult(False, "Timeout", f"synth did not finish within {timeout:g} s, or the worker died")
        if response.get("restart"):
            self._stop()
        else:
            seen = self.usage()
            if seen is not None and seen.memory > RECYCLE_AT * self.sandbox.memory_limit:
                self._stop()  # grown over many projects: replaced now rather than blamed on the next one
        self.last_timings = response.get("timings")
        return SynthResult(bool(response.get("ok")), response.get("error_type", ""), response.get("error", ""),
                           response.get("stacks") or {})

    def close(self) -> None:
        """Stop the worker and remove the staging folder (once the removals under way are done)."""
        self._stop()
        self.wait_removals()
        if self._staging is not None:
            _force_remove(self._staging)
            self._staging = None

    def wait_removals(self) -> None:
        """Wait until the staged trees given up (`unstage`) are removed."""
        if self._removals and self._removals[0] == os.getpid():
            import threading

            done = threading.Event()
            self._removals[1].put(done)
            done.wait()

    def _stop(self) -> None:
        """Stop the worker process (a fresh one starts with the next project); the staged trees stay."""
        if self._process is not None:
            sandboxing.kill_tree(self._process.pid)
            try:
                self._process.kill()
            except OSError:
                pass
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._process = None
        if self._folder is not None:
            _force_remove(self._folder)
            self._folder = None


@dataclass
class Staged:
    """A project's tree in the staging folder (`SynthWorker.stage`)."""
    name: str  # its folder in the staging folder
    base: Path  # the staged copy of the tree's base folder (or lone module)
    request: str  # the folder the worker copies (relative to the staging folder)
    project: str  # the project's folder inside it (relative)
    lone: str | None  # a lone module's name
    used: bool = False  # synthesized once already: the worker may hold a copy of it
    changed: list[str] = field(default_factory=list)  # written since the last request (relative to `request`)


def _readable(target: Path) -> None:
    """The staged copy is ours to remove, and, as root, the sandbox's `nobody` reads it."""
    folders, files = (0o755, 0o644) if os.geteuid() == 0 else (0o700, 0o600)
    for folder, _, names in os.walk(target):
        mode = os.stat(folder).st_mode
        if mode & folders != folders:
            os.chmod(folder, mode | folders)
        for file in names:
            path = os.path.join(folder, file)
            if not os.path.islink(path):
                mode = os.stat(path).st_mode
                if mode & files != files:
                    os.chmod(path, mode | files)


def _removal_thread(pending) -> None:
    while True:
        item = pending.get()
        if isinstance(item, str):
            try:
                _force_remove(item)
            except Exception:  # the thread must go on: wait_removals waits for it
                pass
        else:
            item.set()  # wait_removals: everything before it is removed


def _remove_at_exit(folder: str, owner: int) -> None:
    """The last resort for a folder of a worker nobody closed (a script stopped by an exception, the object dropped):
    removed when the object goes or the interpreter exits, by the process that made it only (a forked copy of the
    object, a batch job's process, leaves it to its owner). After close() there is nothing left to remove."""
    if os.getpid() == owner and os.path.lexists(folder):
        _force_remove(folder)


def _force_remove(folder: str) -> None:
    try:
        _remove(folder)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    worker_main(json.loads(sys.argv[1]) if len(sys.argv) > 1 else None)
