"""The sandbox the synth worker runs untrusted answers in, seen from the parent: which level, how it is started,
and the watch kept on it (docs/security.md says what each level guarantees).

Levels:

- `bwrap`: bubblewrap. A read-only view of the machine with the user's home, /run and /tmp masked (only the
  interpreter, its packages, Node.js and the jsii package cache are bound back, read-only), a private size-limited
  tmpfs as the only writable place (the project copies, HOME and TMPDIR live there), no network, its own pid, IPC,
  UTS and cgroup namespaces, and, when `repair` runs as root, the unprivileged user `nobody` inside.
- `none`: the scrubbed environment and the limits only, for machines without bubblewrap.

Both levels: the environment rebuilt from an allow-list (never credentials or tokens), a process limit
(RLIMIT_NPROC), a CPU-time limit and a file-size limit on each project's process, and the parent's watch of the
worker's resident memory (its processes' and the private tmpfs's) and process count, which stops the worker past
the limits.
"""

from __future__ import annotations

import functools
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("auto", "bwrap", "none")
GIB = 1 << 30
MIB = 1 << 20
DEFAULT_MEMORY_LIMIT = 4 * GIB
DEFAULT_MAX_PROCESSES = 512  # tasks (threads count) of the sandbox's user: Node.js alone runs about a dozen
DEFAULT_TMP_SIZE = 1 * GIB  # the private tmpfs: project copies, synth output, HOME, jsii's package links
DEFAULT_MAX_OUTPUT = 64 * MIB  # the synthesized Terraform JSON of one project, all stacks together

# Where the parent's folders appear inside a bwrap sandbox.
STAGE_MOUNT = "/run/repair/stage"
JSII_MOUNT = "/run/repair/jsii"
SANDBOX_TMP = "/tmp"

# Environment variables the worker gets from the user's environment; everything else is dropped. The worker adds
# HOME and TMPDIR (temporary), and jsii's settings.
ALLOWED_ENV = ("PATH", "LANG", "LANGUAGE", "TZ")
ALLOWED_ENV_PREFIXES = ("LC_",)

# The jsii assemblies the provider needs, read from each Python package's `_jsii/__init__.py`.
JSII_PACKAGES = ("constructs", "cdktf", "cdktf_cdktf_provider_aws")
JSII_MARKER = ".jsii-runtime-package-cache"


class SandboxError(RuntimeError):
    """The requested sandbox cannot be used here (worded for the user)."""


def parse_memory(text: str | float | int) -> int:
    """'4', '4GiB', '1.5G', '1500MiB', '512M' -> bytes (a bare number is GiB); ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(GiB|G|GB|MiB|M|MB)?\s*", str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f"not a memory size: {text!r} (expected e.g. 4GiB or 1500MiB)")
    number, unit = float(match.group(1)), (match.group(2) or "G").upper()
    size = int(number * (MIB if unit.startswith("M") else GIB))
    if size < 256 * MIB:
        raise ValueError(f"memory limit {text!r} is below 256 MiB: the provider alone needs over 1 GiB")
    return size


def format_memory(size: int) -> str:
    """4 GiB, 2.50 GiB, 512 MiB."""
    if size >= GIB:
        return f"{size // GIB} GiB" if size % GIB == 0 else f"{size / GIB:.2f} GiB"
    return f"{size // MIB} MiB" if size % MIB == 0 else f"{size / MIB:.1f} MiB"


@dataclass(frozen=True)
class Sandbox:
    """The level a worker runs at, and why (when `auto` fell back)."""

    level: str  # "bwrap" or "none"
    requested: str = "auto"
    reason: str = ""  # why bwrap is not used, when it is not
    memory_limit: int = DEFAULT_MEMORY_LIMIT
    max_processes: int = DEFAULT_MAX_PROCESSES
    tmp_size: int = DEFAULT_TMP_SIZE
    max_output: int = DEFAULT_MAX_OUTPUT

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    @property
    def process_limit_enforced(self) -> bool:
        """RLIMIT_NPROC binds every user but root; as root, bwrap's sandbox runs as `nobody`."""
        return self.level == "bwrap" or not self.as_root

    def describe(self) -> str:
        limits = f"memory {format_memory(self.memory_limit)}, {self.max_processes} processes"
        if self.level == "bwrap":
            who = "as nobody, " if self.as_root else ""
            return (f"bwrap (read-only system, home and /run hidden, private /tmp of "
                    f"{format_memory(self.tmp_size)}, no network, {who}{limits})")
        why = f"{self.reason}; " if self.reason else ""
        root = "; as root, the process limit is only watched" if self.as_root else ""
        return f"none ({why}scrubbed environment and limits only: {limits}{root})"


@functools.lru_cache(maxsize=None)
def _bwrap_probe() -> str:
    """'' when bubblewrap runs here with the namespaces the sandbox uses, else why not."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap not found (install bubblewrap)"
    argv = [bwrap, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        probe = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bwrap does not run: {exc}"
    if probe.returncode != 0:
        first = (probe.stderr.strip().splitlines() or [f"exit status {probe.returncode}"])[0]
        return f"bwrap does not run here: {first}"
    return ""


def resolve(requested: str = "auto", memory_limit: int = DEFAULT_MEMORY_LIMIT,
            max_processes: int = DEFAULT_MAX_PROCESSES) -> Sandbox:
    """The sandbox a worker gets for `requested` (auto, bwrap or none); SandboxError when `bwrap` was asked for
    and cannot run."""
    if requested not in LEVELS:
        raise SandboxError(f"unknown sandbox {requested!r} (expected one of {', '.join(LEVELS)})")
    common = {"requested": requested, "memory_limit": memory_limit, "max_processes": max_processes}
    if requested == "none":
        return Sandbox("none", reason="--sandbox none", **common)
    if not sys.platform.startswith("linux"):
        if requested == "bwrap":
            raise SandboxError("the bwrap sandbox needs Linux")
        return Sandbox("none", reason="not Linux", **common)
    problem = _bwrap_probe()
    if problem:
        if requested == "bwrap":
            raise SandboxError(f"cannot use the bwrap sandbox: {problem}")
        return Sandbox("none", reason=problem, **common)
    return Sandbox("bwrap", **common)


# -- the worker's environment and command ---------------------------------------------------------------------------
def worker_env(home: str, tmpdir: str) -> dict[str, str]:
    """The worker's whole environment: the allow-listed variables of the user's, a temporary HOME and TMPDIR."""
    env = {key: value for key, value in os.environ.items()
           if key in ALLOWED_ENV or key.startswith(ALLOWED_ENV_PREFIXES)}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    env.update(HOME=home, TMPDIR=tmpdir, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8",
               JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1", JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION="1")
    return env


def python_paths() -> list[str]:
    """The parent's import path (absolute folders), this package's root first: the worker, started isolated
    (`python -I`), imports exactly the `repair`, cdktf and provider the parent would."""
    root = str(Path(__file__).resolve().parents[2])
    paths = [root] + [p for p in sys.path if p and os.path.isabs(p) and os.path.isdir(p)]
    return list(dict.fromkeys(paths))


BOOTSTRAP = ("import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
             "from repair.proof.synth import worker_main; worker_main(json.loads(sys.argv[2]))")


def _namespace_args() -> list[str]:
    args = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() == 0:
        # Root keeps no capability but the two that let the worker become `nobody` before it runs anything.
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    return args


def _masked_homes() -> list[str]:
    homes = {os.path.expanduser("~")}
    try:
        homes.add(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    return sorted(h for h in homes if h and h != "/" and os.path.isdir(h))


def _needed_paths() -> list[str]:
    """What the worker reads from the machine: the interpreter, its import path, Node.js."""
    needed = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable),
              os.path.dirname(os.path.realpath(sys.executable)), *python_paths()}
    node = shutil.which("node")
    if node:
        real = os.path.realpath(node)
        needed |= {os.path.dirname(node), os.path.dirname(os.path.dirname(real))}
    return sorted(p for p in needed if p and os.path.exists(p))


def bwrap_argv(sandbox: Sandbox, stage: str, jsii_entries: list[tuple[str, str]], config: dict) -> list[str]:
    """The bubblewrap command that runs the worker."""
    argv = [shutil.which("bwrap") or "bwrap", *_namespace_args(),
            "--ro-bind", "/", "/",
            "--proc", "/proc", "--ro-bind-try", "/proc/sys", "/proc/sys",
            "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
            "--dev", "/dev", "--remount-ro", "/dev",
            "--perms", "1777", "--size", str(sandbox.tmp_size), "--tmpfs", SANDBOX_TMP,
            "--tmpfs", "/run"]
    homes = _masked_homes()
    for home in homes:
        argv += ["--tmpfs", home]
    created: set[str] = set()

    def parents(path: str) -> None:
        # bwrap makes the folders a mount point needs mode 0700; `nobody` must be able to walk through them.
        for parent in reversed(Path(path).parents):
            folder = str(parent)
            if folder != "/" and folder not in created and any(folder.startswith(m.rstrip("/") + "/")
                                                             for m in homes + ["/run"]):
                argv.extend(["--perms", "0755", "--dir", folder])
                created.add(folder)

    for path in _needed_paths():
        # Bound back over the masks, read-only (the root's own view is read-only already).
        for each in dict.fromkeys([path, os.path.realpath(path)]):
            if any(each == home or each.startswith(home.rstrip("/") + "/") for home in homes):
                parents(each)
                argv += ["--ro-bind-try", each, each]
    parents(STAGE_MOUNT)
    argv += ["--ro-bind", stage, STAGE_MOUNT]
    for relative, source in jsii_entries:
        target = f"{JSII_MOUNT}/{relative}"
        parents(target)
        argv += ["--ro-bind", source, target]
    argv += ["--chdir", SANDBOX_TMP, "--", sys.executable, "-I", "-B", "-c", BOOTSTRAP, json.dumps(python_paths()),
             json.dumps(config)]
    return argv


def plain_argv(config: dict) -> list[str]:
    return [sys.executable, "-I", "-B", "-c", BOOTSTRAP, json.dumps(python_paths()), json.dumps(config)]


def sandbox_user() -> tuple[int, int] | None:
    """The user a root parent's bwrap worker becomes: nobody (None when not running as root)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def task_count(uid: int) -> int:
    """Tasks (processes and threads) the user `uid` runs now: RLIMIT_NPROC counts them all."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        uid_line = re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE)
        threads = re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE)
        if uid_line and int(uid_line.group(1)) == uid:
            total += int(threads.group(1)) if threads else 1
    return total


# -- the jsii package cache ---------------------------------------------------------------------------------------
def jsii_cache_root() -> Path:
    """jsii's package cache, as the user's own cdktf runs use it."""
    configured = os.environ.get("JSII_RUNTIME_PACKAGE_CACHE_ROOT")
    if configured and os.path.isabs(configured):
        return Path(configured)
    return Path(os.path.expanduser("~"), ".cache", "aws", "jsii", "package-cache")


def needed_assemblies() -> list[tuple[str, str]]:
    """(npm name, version) of the jsii assemblies cdktf and the provider load, read from their files (nothing
    is imported: that would start Node.js)."""
    import importlib.util

    found = []
    for package in JSII_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            init = Path(location, "_jsii", "__init__.py")
            if init.is_file():
                match = re.search(r'JSIIAssembly\.load\(\s*"([^"]+)",\s*"([^"]+)"', init.read_text(encoding="utf-8"))
                if match:
                    found.append((match.group(1), match.group(2)))
                break
    return found


def jsii_entries(root: Path, assemblies: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(relative path, absolute path) of the complete cache entries of `assemblies`: <name>/<version>/<digest>."""
    entries = []
    for name, version in assemblies:
        folder = root / name / version
        try:
            candidates = sorted(folder.iterdir())
        except OSError:
            continue
        for candidate in candidates:
            if (candidate / JSII_MARKER).is_file():
                entries.append((f"{name}/{version}/{candidate.name}", str(candidate)))
    return entries


def ensure_jsii_cache(timeout: float) -> list[tuple[str, str]]:
    """The cache entries the sandbox binds read-only; when one is missing, fill the cache first by loading the
    installed packages (no answer's code runs there). A worker whose entries are missing still works: jsii then
    unpacks the provider into the worker's private tmpfs, slower."""
    root = jsii_cache_root()
    assemblies = needed_assemblies()
    entries = jsii_entries(root, assemblies)
    if len({e[0].rsplit("/", 1)[0] for e in entries}) >= len(assemblies):
        return entries
    with tempfile.TemporaryDirectory(prefix="repair-jsii-") as tmp:
        env = worker_env(home=os.path.expanduser("~"), tmpdir=tmp)
        env["JSII_RUNTIME_PACKAGE_CACHE_ROOT"] = str(root)
        try:
            subprocess.run([sys.executable, "-I", "-c", "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
                            "import cdktf, cdktf_cdktf_provider_aws", json.dumps(python_paths())],
                           env=env, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout)
        except (OSError, subprocess.SubprocessError):
            pass
    return jsii_entries(root, assemblies)


# -- the watch over the worker's processes --------------------------------------------------------------------------
def tree(pid: int) -> list[int]:
    """`pid` and its descendants (all threads' children), from /proc."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                pending.extend(int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split())
            except (OSError, ValueError):
                continue
    return found


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident(pids: list[int]) -> int:
    """Bytes resident in `pids`, each process's pages counted in full (pages shared after a fork count in each:
    the figure errs high, never low)."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


def tmpfs_used(pid: int) -> int:
    """Bytes used in the private /tmp of the sandbox `pid` runs in (0 when it cannot be read)."""
    try:
        stat = os.statvfs(f"/proc/{pid}/root{SANDBOX_TMP}")
    except OSError:
        return 0
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and every descendant, until none is left (a process forking while it is killed included)."""
    for _ in range(50):
        pids = tree(pid)
        for each in pids:
            try:
                os.kill(each, signal.SIGKILL)
            except OSError:
                pass
        if len(pids) <= 1:
            return


@dataclass
class Usage:
    """What the watch saw of a worker at one moment."""

    memory: int = 0
    processes: int = 0
    pids: list[int] = field(default_factory=list)


def usage(pid: int, sandboxed: bool) -> Usage:
    pids = tree(pid)
    memory = resident(pids)
    if sandboxed and len(pids) > 1:
        memory += tmpfs_used(pids[1])  # bwrap's own process sees the host's /tmp; its child is in the sandbox
    return Usage(memory, len(pids), pids)
