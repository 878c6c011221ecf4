"""`repair batch --engine ray`: the chunks of a batch processed by the tasks and actors of a Ray cluster.

The engine changes only where items are processed. run.py still lists the items, decides what --resume
reuses and what --shard owns, cuts the chunks (whole projects with --verify) and writes the report, the summary
and the removal of stale outputs, in item order. `RayPool` stands where the local process pool stands: it takes
the same `apply_async(run_chunk, (dataset, out, chunk))` and gives back, in the order asked, the same records.

- **No shared file system.** A worker is sent bytes, never paths: the files of each chunk's *context* (the folder
  of each item's unit, the outermost project folder above it inside the dataset, or the item alone; with
  --verify also the folder each project's proof copies, repair/proof/tree.py) go through the object store, once
  per folder while it is in use. The worker lays them out under a temporary folder at the same relative paths,
  runs the very `run_chunk` of the local engine there, and sends back the records and the bytes of every output
  file; the driver writes them under OUT. The same code on the same bytes at the same relative paths: the same
  outputs.
- **Tasks and actors.** Without --verify a chunk is a task (`num_cpus=1`). With --verify it goes to one of a few
  synth actors (`num_cpus=1`, `memory=ACTOR_MEMORY`), each loading the provider once (jsii's Node.js: ~20 s,
  ~1.2 GB) and keeping it for every chunk it is sent; the cluster places them where memory allows.
- **Retries.** A chunk whose worker or actor died (killed, out of memory, its node lost) is sent again, to
  another worker (a dead actor is replaced by a new one); a chunk that fails twice is split into its units (items,
  or whole projects with --verify) so that one item killing its worker costs only itself. Each record of a
  retried chunk says how often (`retries`); after MAX_ATTEMPTS an item's record is an error of kind
  `worker-lost`.
- Without `--address` a local Ray is started for the run and shut down after it (`address="local"`: never
  another Ray that happens to run on the machine); with `--address` (an address, or `auto` inside `ray job
  submit`) the cluster's is used. A Ray already initialized in this process (a notebook, the tests) is used as it
  is and left running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import stat
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from repair import __version__
from repair.batch.dataset import (BatchConfig, BatchError, is_markdown_name, is_relative_inside, project_key,
                                  unit_key)
from repair.batch.worker import WORKER_STATE, init_worker, run_chunk, task_of
from repair.files import atomic_write

# A synth actor: the provider loaded in jsii's Node.js beside the actor's own Python (docs/scaling.md has the
# measurement).
ACTOR_MEMORY = 1536 * 1024 * 1024
MAX_ATTEMPTS = 3  # a chunk is tried at most this often, the third time unit by unit
BUNDLES_KEPT = 128  # folder bundles kept in the object store while chunks may still need them
SCRATCH, SCRATCH_ROOM = "/dev/shm", 1 << 30  # a chunk's files go to memory when it has this much room
PROBE_SECONDS = 300  # how long the first worker may take to answer (a cluster scaling up from no workers)
# Test hook: "ITEM=MARKER" makes the worker that is sent ITEM (an item's path, or a row's answer) exit at once,
# unless the file MARKER exists, which it creates: the first attempt dies, the retry finds the marker.
KILL_ENV = "CDKTF_REPAIR_TEST_KILL"
_SKIPPED = {".hg", ".svn", "cdktf.out", ".terraform", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
            ".ruff_cache", ".venv"}


# -- what a worker is sent: the files of a folder of the dataset --------------------------------------------------
def bundle(dataset: Path, relative: str) -> list[tuple[str, str, bytes]]:
    """The files under `relative` (a folder of the dataset, "." for all of it, or one file) as (path relative to the
    dataset, kind, bytes): kind "d" a folder, "f" a file, "p" a FIFO (an item that is one is reported as the local
    engine reports it). Left out: what neither a repair nor a proof reads (tools' output, caches, environments,
    the cdktf tooling's node_modules); a repository's `.git` travels as an empty marker, since it bounds projects;
    a symbolic link to a folder is not followed."""
    root = os.path.abspath(dataset)
    top = root if relative == "." else os.path.join(root, relative)
    entries: list[tuple[str, str, bytes]] = []

    def name_of(path: str) -> str:
        return Path(os.path.relpath(path, root)).as_posix()

    def add_file(path: str) -> None:
        try:
            mode = os.stat(path).st_mode
            if stat.S_ISFIFO(mode):
                entries.append((name_of(path), "p", b""))
            elif stat.S_ISREG(mode):
                with open(path, "rb") as handle:
                    entries.append((name_of(path), "f", handle.read()))
        except OSError:
            return  # unreadable: the worker does not see it (the item's record then says why)

    if not os.path.isdir(top):
        add_file(top)
        return entries
    for current, folders, files in os.walk(top):
        entries.append((name_of(current), "d", b""))
        tooling = current == top or os.path.isfile(os.path.join(current, "cdktf.json"))
        kept = []
        for name in folders:
            path = os.path.join(current, name)
            if name == ".git":
                entries.append((name_of(path), "d", b""))
            elif not (name in _SKIPPED or os.path.islink(path) or (name == "node_modules" and tooling)
                      or os.path.isfile(os.path.join(path, "pyvenv.cfg"))
                      or os.path.isdir(os.path.join(path, "conda-meta"))):
                kept.append(name)
        folders[:] = sorted(kept)
        for name in sorted(files):
            add_file(os.path.join(current, name))
    return entries


def lay_out(entries: list[tuple[str, str, bytes]], dataset: Path) -> None:
    for relative, kind, data in entries:
        path = dataset / relative
        if kind == "d":
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "f":
            path.write_bytes(data)
        elif kind == "p" and not path.exists():
            os.mkfifo(path)


def _outermost(relatives: set[str]) -> list[str]:
    kept: list[str] = []
    for relative in sorted(relatives, key=lambda r: (0 if r == "." else r.count("/") + 1, r)):
        if not any(k == "." or relative.startswith(k + "/") for k in kept):
            kept.append(relative)
    return kept


# -- the worker side -----------------------------------------------------------------------------------------------
_STATE: dict = {"settings": None}


def _prepare(settings: tuple) -> None:
    """The process's rules and options, set once per settings (a synth actor keeps its provider between chunks)."""
    if _STATE["settings"] != settings:
        init_worker(*settings)
        _STATE["settings"] = settings


def _maybe_die(kill: str | None, chunk: list) -> None:
    if not kill:
        return
    target, _, marker = kill.partition("=")
    if any(str(element) == target for element in chunk) and not (marker and os.path.exists(marker)):
        if marker:  # without one, the worker dies every time it is sent the item
            Path(marker).write_text(f"{os.getpid()}\n")
        os._exit(70)


def _synth_pid() -> int | None:
    """The process of this worker's synth worker, when one is running: a new one is a new provider load."""
    process = getattr(WORKER_STATE.get("synth"), "_process", None)
    return process.pid if process is not None and process.poll() is None else None


def _scratch() -> str | None:
    """Where a chunk's files are laid out: memory (/dev/shm) when the node has it with room to spare, else the
    temporary folder. On disk, creating the chunk's files and outputs cost as much as repairing them (bench/
    scaling.py: a chunk of generated stacks took 1.9x its repair time in /tmp, 1.0x in /dev/shm)."""
    try:
        stats = os.statvfs(SCRATCH)
    except OSError:
        return None
    room = stats.f_bavail * stats.f_frsize
    return SCRATCH if room >= SCRATCH_ROOM and os.access(SCRATCH, os.W_OK) else None


def run_items(settings: tuple, name: str, chunk: list[str], kill: str | None, *bundles) -> dict:
    """A chunk of dataset items, run by the local engine's own `run_chunk` on the bundles laid out under a
    temporary folder; the records and every output file's bytes go back."""
    _prepare(settings)
    _maybe_die(kill, chunk)
    with tempfile.TemporaryDirectory(prefix="repair-ray-", dir=_scratch()) as tmp:
        # Three empty folders above the dataset: nothing above it is taken for a project (repair/project.py looks
        # at most three folders up), as nothing of the machine's /tmp must be.
        dataset = Path(tmp, "a", "b", "c", name)
        dataset.mkdir(parents=True)
        for entries in bundles:
            lay_out(entries, dataset)
        out = Path(tmp, "out")
        out.mkdir()
        records = run_chunk(dataset, out, list(chunk))
        outputs = [(path.relative_to(out).as_posix(), path.read_bytes())
                   for path in sorted(out.rglob("*")) if path.is_file()]
    return {"tool": __version__, "records": records, "outputs": outputs, "worker": os.getpid(),
            "synth": _synth_pid()}


def run_call(settings: tuple, function, kill: str | None, *args) -> dict:
    """A chunk that needs no file (a table's rows): `function(*args)`, its last argument the chunk."""
    _prepare(settings)
    _maybe_die(kill, list(args[-1]))
    return {"tool": __version__, "results": function(*args), "worker": os.getpid(), "synth": None}


def _version() -> str:
    return __version__


class SynthActor:
    """A worker that keeps its synth worker (the loaded provider) for every chunk it is sent."""

    def run(self, settings: tuple, name: str, chunk: list[str], kill: str | None, *bundles) -> dict:
        return run_items(settings, name, chunk, kill, *bundles)

    def close(self) -> None:
        synth = WORKER_STATE.get("synth")
        if synth is not None:
            synth.close()


# -- the driver side -----------------------------------------------------------------------------------------------
class _Work:
    """A chunk: its elements (items or rows) in units that must stay together, and what runs them."""

    def __init__(self, function, args: tuple, units: list[list]) -> None:
        self.function, self.args, self.units = function, args, units
        self.actor = None

    @property
    def chunk(self) -> list:
        return [element for unit in self.units for element in unit]

    def split(self) -> list["_Work"]:
        return [_Work(self.function, self.args, [unit]) for unit in self.units]


class _Pending:
    def __init__(self, pool: "RayPool", work: _Work, ref) -> None:
        self._pool, self._work, self._ref = pool, work, ref

    def get(self, timeout: float | None = None) -> list[dict]:
        return self._pool._finish(self._work, self._ref, 0)


class RayPool:
    """The process pool's place (pools.py), on Ray (the module's docstring says how)."""

    def __init__(self, config: BatchConfig, notes: list[str]) -> None:
        try:
            import ray
        except ImportError:
            raise BatchError("--engine ray needs Ray: pip install 'cdktf-repair[scale]'") from None
        self._ray = ray
        self._config = config
        self._notes = notes
        self._name = Path(os.path.abspath(config.dataset)).name or "dataset"
        self._settings = (config.rule_ids, config.terraform_version, config.context, config.verify,
                          config.sandbox)
        self._kill = os.environ.get(KILL_ENV) or None
        self._started = False
        self._printer = None
        self._actors: list = []
        self._actor_class = None
        self._turn = 0
        self._bundles: OrderedDict = OrderedDict()
        self._outstanding: set = set()
        self._workers: dict[int, set[int]] = {}  # worker process -> the synth processes seen in it
        self.retried = self.lost = self.replaced = 0
        if not ray.is_initialized():
            self._connect(config)
        self._printer = _quiet_worker_deaths()
        self._items_task = ray.remote(num_cpus=1, max_retries=0)(run_items)
        self._call_task = ray.remote(num_cpus=1, max_retries=0)(run_call)
        self._probe()
        resources = ray.cluster_resources()
        self.jobs = config.jobs or max(1, int(resources.get("CPU", 1)))
        if config.verify:
            by_memory = int(resources.get("memory", 0) // ACTOR_MEMORY)
            if by_memory < 1:
                self.join()
                raise BatchError(f"--verify on Ray needs {ACTOR_MEMORY / 2**30:.1f} GiB of memory for a synth actor; "
                                 f"the cluster offers {resources.get('memory', 0) / 2**30:.1f} GiB")
            if by_memory < self.jobs:
                notes.append(f"ray: {by_memory} synth actor(s), as many as the cluster's memory holds "
                             f"({ACTOR_MEMORY / 2**30:.1f} GiB each)")
            self.jobs = min(self.jobs, by_memory)
            self._actor_class = ray.remote(num_cpus=1, memory=ACTOR_MEMORY, max_restarts=0,
                                           max_task_retries=0)(SynthActor)
            self._actors = [self._actor_class.remote() for _ in range(self.jobs)]

    # -- connecting ----------------------------------------------------------------------------------------------
    def _connect(self, config: BatchConfig) -> None:
        ray = self._ray
        if config.address:
            _check_reachable(config.address)
        try:
            if config.address:
                ray.init(address=config.address, log_to_driver=False, logging_level=logging.ERROR)
            else:
                ray.init(address="local", num_cpus=config.jobs or None, include_dashboard=False,
                         log_to_driver=False, logging_level=logging.ERROR)
        except Exception as exc:  # ConnectionError, ValueError, RuntimeError: one line, never a traceback
            where = f"connect to the Ray cluster at {config.address}" if config.address else "start a local Ray"
            raise BatchError(f"cannot {where}: {_first_line(exc)}") from None
        self._started = True

    def _probe(self) -> None:
        """A worker answers, and runs the same repair: a cluster whose nodes lack the package, or hold another
        version, is said before any item is sent."""
        ray = self._ray
        try:
            version = ray.get(ray.remote(num_cpus=1, max_retries=0)(_version).remote(), timeout=PROBE_SECONDS)
        except ray.exceptions.GetTimeoutError:
            self.join()
            raise BatchError(f"no Ray worker answered within {PROBE_SECONDS} s: does the cluster have CPUs?") from None
        except ray.exceptions.RayError as exc:
            self.join()
            raise BatchError(f"a Ray worker cannot run repair (install cdktf-repair {__version__} on every node): "
                             f"{_first_line(_cause(exc))}") from None
        if version != __version__:
            self.join()
            raise BatchError(f"the Ray workers run repair {version}, this driver {__version__}: install the same "
                             "version on every node")

    # -- the pool's interface (multiprocessing.Pool's, as run.py uses it) --- --------------------------------
    def apply_async(self, function, args=()) -> _Pending:
        """Run `function(*args)` on Ray: its last argument is the chunk (a list), its result one dict for each of
        its elements. `run_chunk` is run on the dataset's files sent as bytes, its outputs written here."""
        chunk = list(args[-1])
        if function is run_chunk:
            units = self._units(chunk)
        else:
            units = [[element] for element in chunk]
        work = _Work(function, tuple(args[:-1]), units)
        return _Pending(self, work, self._launch(work))

    def close(self) -> None:
        return None

    def terminate(self) -> None:
        ray = self._ray
        for ref in list(self._outstanding):
            try:
                # Not forced: a task force-cancelled as its reply arrives aborts the driver ("Tried to complete task
                # that was not pending", Ray 2.x), and the run with it. A queued chunk is dropped, a running one ends
                # its few items and is ignored; the Ray started for the run is shut down, its workers with it.
                ray.cancel(ref, force=False)
            except Exception:  # already finished, or its worker gone: nothing left to stop
                pass
        self._outstanding.clear()
        for actor in self._actors:
            ray.kill(actor)
        self._actors = []

    def join(self) -> None:
        with _stops_deferred() as stops:
            self._shut_down()
        if stops:  # a Ctrl-C or SIGTERM that came meanwhile, raised once Ray is down
            raise KeyboardInterrupt

    def _shut_down(self) -> None:
        ray = self._ray
        if self._actors:
            try:  # closed, not killed: each actor's synth worker goes with it
                ray.get([actor.close.remote() for actor in self._actors], timeout=60)
            except ray.exceptions.RayError:
                pass
            for actor in self._actors:
                ray.kill(actor)
            self._actors = []
        self._bundles.clear()
        if self._started:
            ray.shutdown()
            self._started = False
        if self._printer is not None:
            _quiet_worker_deaths(self._printer)
            self._printer = None
        self._say()

    def _say(self) -> None:
        if self.retried:
            self._notes.append(f"ray: {self.retried} chunk(s) sent again after their worker died; their records "
                               "say how often (retries)")
        if self.lost:
            self._notes.append(f"ray: {self.lost} item(s) lost, their worker died {MAX_ATTEMPTS} times "
                               "(error kind worker-lost)")
        if self._config.verify and self._workers:
            loads = sum(len(pids) for pids in self._workers.values())
            actors = sum(1 for pids in self._workers.values() if pids)
            self._notes.append(f"ray: {actors} synth actor(s) proved the projects, the provider loaded {loads} "
                               "time(s)")
        self.retried = self.lost = 0
        self._workers = {}

    # -- sending and receiving -----------------------------------------------------------------------------------
    def _units(self, chunk: list[str]) -> list[list[str]]:
        """The items that must stay together when a chunk is split: a project's with --verify, else each alone."""
        if not self._config.verify:
            return [[relative] for relative in chunk]
        units: list[list[str]] = []
        current = None
        for relative in chunk:
            key = unit_key(self._config.dataset, relative)
            if not units or key != current:
                units.append([])
            current = key
            units[-1].append(relative)
        return units

    def _contexts(self, chunk: list[str]) -> list[str]:
        """The folders (or lone files) of the dataset a worker needs to run this chunk as the local engine does:
        each item's unit (its outermost project folder, else itself: what its repair reads), and with --verify what
        each project's proof copies (the folder tree_of chooses, an answer's task folder)."""
        from repair.proof.tree import tree_of

        dataset = self._config.dataset
        root = os.path.abspath(dataset)
        needed = set()
        for relative in chunk:
            needed.add(unit_key(dataset, relative))
            if self._config.verify:
                key = project_key(dataset, relative)
                base = (task_of(dataset, key) if is_markdown_name(key)
                        else tree_of(Path(root, key), limit=Path(root)).base)
                needed.add(Path(os.path.relpath(base, root)).as_posix())
        return _outermost(needed)

    def _bundle_ref(self, relative: str):
        ref = self._bundles.pop(relative, None)
        if ref is None:
            ref = self._ray.put(bundle(self._config.dataset, relative))
        self._bundles[relative] = ref
        while len(self._bundles) > BUNDLES_KEPT:
            self._bundles.popitem(last=False)
        return ref

    def _launch(self, work: _Work):
        chunk = work.chunk
        if work.function is run_chunk:
            refs = [self._bundle_ref(relative) for relative in self._contexts(chunk)]
            if self._actors:
                work.actor = self._actors[self._turn % len(self._actors)]
                self._turn += 1
                ref = work.actor.run.remote(self._settings, self._name, chunk, self._kill, *refs)
            else:
                ref = self._items_task.remote(self._settings, self._name, chunk, self._kill, *refs)
        else:
            ref = self._call_task.remote(self._settings, work.function, self._kill, *work.args, chunk)
        self._outstanding.add(ref)
        return ref

    def _finish(self, work: _Work, ref, retries: int) -> list[dict]:
        ray = self._ray
        try:
            answer = ray.get(ref)
        except (ray.exceptions.TaskCancelledError, ray.exceptions.GetTimeoutError):
            raise
        except ray.exceptions.RayError as exc:  # the worker died (killed, out of memory, node lost) or failed
            self._outstanding.discard(ref)
            self._replace(work, exc)
            if retries + 1 >= MAX_ATTEMPTS:
                self.lost += len(work.chunk)
                return [self._lost(work, element, exc, retries) for element in work.chunk]
            self.retried += 1
            pieces = [work] if retries == 0 or len(work.units) == 1 else work.split()
            launched = [(piece, self._launch(piece)) for piece in pieces]
            return [result for piece, again in launched for result in self._finish(piece, again, retries + 1)]
        self._outstanding.discard(ref)
        results = self._receive(work, answer)
        if retries:
            for result in results:
                result["retries"] = retries
        return results

    def _replace(self, work: _Work, exc: Exception) -> None:
        """A dead actor's place goes to a new one (which loads the provider when first needed)."""
        if (work.actor is not None and isinstance(exc, self._ray.exceptions.RayActorError)
                and work.actor in self._actors):
            self._actors[self._actors.index(work.actor)] = self._actor_class.remote()
            self.replaced += 1

    def _receive(self, work: _Work, answer: dict) -> list[dict]:
        if answer["tool"] != __version__:
            raise BatchError(f"a Ray worker runs repair {answer['tool']}, this driver {__version__}: install the "
                             "same version on every node")
        pids = self._workers.setdefault(answer["worker"], set())
        if answer.get("synth"):
            pids.add(answer["synth"])
        if work.function is not run_chunk:
            return answer["results"]
        for relative, data in answer["outputs"]:
            if is_relative_inside(relative):
                atomic_write(self._config.out / relative, data.decode("utf-8"))
        return answer["records"]

    def _lost(self, work: _Work, element, exc: Exception, retries: int) -> dict:
        message = f"its worker died {retries + 1} times: {_first_line(_cause(exc))}"
        if work.function is run_chunk:
            return {"path": element, "status": "error", "rules": [], "tool": __version__, "seconds": 0.0,
                    "error": {"kind": "worker-lost", "message": message, "line": 0, "column": 0},
                    "retries": retries}
        lost = getattr(work.function, "lost", None)
        if lost is None:
            raise BatchError(message)
        return lost(element, message, retries)


@contextlib.contextmanager
def _stops_deferred():
    """Ctrl-C and SIGTERM noted, not raised, while Ray shuts down (a shutdown cut short leaves its processes
    behind); afterwards the handlers are set again, since `ray.shutdown()` leaves SIGTERM to its default action
    (the process killed outright) while Python still lists the handler it had. Yields the signals that came."""
    stops: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield stops
        return
    wanted = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    handlers = {number: signal.getsignal(number) for number in wanted}
    for number in wanted:
        signal.signal(number, lambda signum, frame: stops.append(signum))
    try:
        yield stops
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


_DEATH_NOTICES = ("A worker died or was killed", "The actor died", "The actor is dead")


def _quiet_worker_deaths(restore=None):
    """Ray's driver prints each worker death it hears of to standard output ("(raylet) A worker died or was killed
    ..."), in a thread of its own; the engine says those itself (retries, worker-lost, a note), so they are
    dropped while it runs, and every other message of Ray's (a task that cannot be scheduled) still shows. Returns
    what to restore; with `restore`, puts it back. Nothing is changed when Ray's printer is not where it was."""
    import sys

    module = sys.modules.get("ray._private.worker")
    if module is None:
        return None
    if restore is not None:
        module.print_to_stdstream = restore
        return None
    original = getattr(module, "print_to_stdstream", None)
    if original is None:
        return None

    def printer(data, *args, **kwargs):
        lines = [line for line in data.get("lines", ()) if not str(line).lstrip().startswith(_DEATH_NOTICES)]
        if lines:
            original({**data, "lines": lines}, *args, **kwargs)

    module.print_to_stdstream = printer
    return original


def _check_reachable(address: str) -> None:
    """Something listens at a cluster's address: Ray itself would retry a wrong one for minutes, printing as it
    goes. `auto` is left to Ray (the address it finds is one a cluster wrote down)."""
    import socket

    if address == "auto":
        return
    where = address.split("://", 1)[-1]
    host, colon, port = where.rpartition(":")
    if not colon or not port.isdigit():
        raise BatchError(f"--address {address}: give host:port (the head's GCS port, 6379 by default), "
                         "ray://host:port (Ray Client, 10001) or auto")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=10).close()
    except OSError as exc:
        raise BatchError(f"cannot connect to the Ray cluster at {address}: nothing answers there "
                         f"({exc.strerror or exc})") from None


def _cause(exc: Exception) -> Exception:
    """The exception a worker raised, not Ray's wrapper of it (whose text starts with the task's name)."""
    cause = getattr(exc, "cause", None)
    return cause if isinstance(cause, BaseException) else exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__
