"""`repair batch`: repair a dataset directory of model answers and stacks, in parallel, resumably, sharded.

Each item (a Python file, or a model answer in markdown) gets, under OUT at its own relative path: the repaired
file, a `.patch` that `git apply` accepts against the input when something changed, and for an answer the
repaired files it attributes paths to (under `<answer>.files/`). One JSON line per item goes to OUT/report.jsonl
in the items' sorted order, whatever order the workers finish in: results are consumed in order from a bounded
window of work, so memory stays flat in the number of items. The dataset itself is never written.

With --verify the unit of proof is the project, not the item: a Python file belongs to the project whose folder
holds its `cdktf.json` or entry (repair/project.py's root_for), a markdown answer is a project of its own (laid
out over its task), a file outside any project is a lone module. Each project is synthesized once as it is and
once with all of its repaired items in place, and every item of the project carries that one outcome. To make
this possible, the items of one project always travel together: to one worker (a chunk holds whole *units*, the
subtree of the outermost project folder, whose items are consecutive in the listing), to one shard (a shard owns
the items of the projects whose path hashes to it), and through --resume (a unit is taken from the old report
only when every item of it is).
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypedDict

from repair import __version__
from repair.diff import patch_text
from repair.engine import select_rules, tune_collector
from repair.files import SKIPPED_DIRS, NotRegularFile, atomic_write, decode_source, read_regular
from repair.options import RepairOptions
from repair.project import ENTRY_CANDIDATES, root_for

DEFAULT_PATTERNS = ("*.py", "MODEL_RESPONSE*.md")
REPORT = "report.jsonl"
SUMMARY = "summary.md"


class BatchError(ValueError):
    """A batch that must not start (output inside the dataset, a bad shard, ...), worded for the user."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        try:
            k, n = (int(x) for x in text.split("/"))
        except ValueError:
            raise BatchError(f"--shard takes K/N (e.g. 2/8), got {text!r}") from None
        if not 1 <= k <= n:
            raise BatchError(f"--shard {text}: K must be between 1 and N")
        return cls(k, n)

    def owns(self, relative: str) -> bool:
        # A hash of the path, not its position: the same item lands in the same shard whatever else the dataset
        # holds, and every machine of a job array computes the same partition. With --verify the path hashed is
        # the item's project's (project_key), so that a shard holds whole projects.
        digest = hashlib.sha1(relative.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


@dataclass
class BatchConfig:
    dataset: Path
    out: Path
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    jobs: int = 0  # 0: one per CPU
    resume: bool = False
    shard: Shard | None = None
    rule_ids: tuple[str, ...] | None = None
    terraform_version: tuple[int, int] | None = None
    context: int = 3
    verify: bool = False
    sandbox: object = None  # repair.proof.sandbox.Sandbox the synth workers run in (None: resolved from auto)
    # Where chunks of items are processed (repair/scale/): "local" processes, or "ray" (a local Ray, or the cluster
    # at `address`). A table dataset (.jsonl, .parquet) holds one answer a row, in its `answer_field` column.
    engine: str = "local"
    address: str | None = None
    answer_field: str = "response"


def check_folders(dataset: Path, out: Path) -> None:
    if not dataset.is_dir():
        raise BatchError(f"{dataset}: not a folder")
    d, o = dataset.resolve(), out.resolve()
    if d == o or d in o.parents or o in d.parents:
        raise BatchError(f"--out {out} and the dataset {dataset} must not contain each other (the dataset is never "
                         "written to)")
    check_out(out)
    if out.is_dir() and not is_batch_output(out) and any(out.iterdir()):
        # Its files would mix with the repaired items, and a later --resume would take them for stale outputs.
        raise BatchError(f"--out {out} is not empty and holds no earlier batch output; choose a new or empty folder")


def check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out} is a file, not a folder")


def is_batch_output(folder: Path) -> bool:
    return any((folder / name).is_file() for name in (REPORT, REPORT + ".partial", SUMMARY))


def settings_key(config: BatchConfig) -> str:
    """What an item's outcome depends on besides its bytes and the tool: a record made under other settings is
    redone by --resume, never reused."""
    return json.dumps({"rules": list(config.rule_ids) if config.rule_ids is not None else None,
                       "terraform_version": list(config.terraform_version) if config.terraform_version else None,
                       "context": config.context, "verify": config.verify}, sort_keys=True)


def iter_items(dataset: Path, patterns: Iterable[str], shard: Shard | None = None,
               key: Callable[[str], str] | None = None) -> Iterator[str]:
    """Relative paths (posix) of the items, sorted (a folder's files, then its sub-folders), streamed folder by
    folder. Plain strings and scandir: pathlib and os.walk cost more than the listing itself on a large dataset.
    `key` maps an item to what its shard is chosen by (its project's path with --verify; default: itself)."""
    matches = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)").match

    def walk(folder: str, prefix: str) -> Iterator[str]:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return  # an unreadable folder is skipped, as os.walk does
        files, folders = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(entry.name)
            elif entry.name not in SKIPPED_DIRS and not entry.name.startswith(".") and not entry.is_symlink():
                folders.append(entry.name)
        for name in sorted(files):
            if matches(name):
                relative = prefix + name
                if shard is None or shard.owns(key(relative) if key else relative):
                    yield relative
        for name in sorted(folders):
            yield from walk(os.path.join(folder, name), prefix + name + "/")

    yield from walk(os.fspath(dataset), "")


# -- projects: the unit of proof ----------------------------------------------------------------------------------
def _is_markdown_name(relative: str) -> bool:
    return relative.lower().endswith(".md")


def project_key(dataset: Path, relative: str) -> str:
    """The project an item belongs to, as a path relative to the dataset ("." for the dataset itself): a markdown
    answer is its own project; a Python file belongs to the folder holding its project's `cdktf.json` or entry
    when that folder is inside the dataset; otherwise it is a lone module, its own project."""
    if _is_markdown_name(relative):
        return relative
    base = os.path.abspath(dataset)
    root = root_for(os.path.join(base, relative))
    if root is None:
        return relative
    inside = os.path.relpath(root, base)
    if inside.startswith(".."):
        return relative
    return Path(inside).as_posix()


@functools.lru_cache(maxsize=4096)
def _holds_project(folder: str) -> bool:
    return any(os.path.isfile(os.path.join(folder, name)) for name in ("cdktf.json", *ENTRY_CANDIDATES))


def unit_key(dataset: Path, relative: str) -> str:
    """The items that must go to one worker together: the subtree of the outermost folder above the item that
    holds a project (every project inside it, nested ones included, is then proven with all of its items), else
    the item's own project. A unit's items are consecutive in iter_items' order."""
    base = os.path.abspath(dataset)
    parts = relative.split("/")[:-1]
    for depth in range(len(parts) + 1):
        if _holds_project(os.path.join(base, *parts[:depth])):
            return "/".join(parts[:depth]) or "."
    return project_key(dataset, relative)


def _units(dataset: Path, items: Iterable[str]) -> Iterator[list[str]]:
    """Consecutive items grouped by unit_key."""
    unit: list[str] = []
    current = None
    for relative in items:
        key = unit_key(dataset, relative)
        if unit and key != current:
            yield unit
            unit = []
        current = key
        unit.append(relative)
    if unit:
        yield unit


# -- one item (runs in a worker process) ---------------------------------------------------------------------------
_WORKER_STATE: dict = {}


def _init_worker(rule_ids, terraform_version, context, verify=False, sandbox=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    # ... and stops a worker with SIGTERM (Pool.terminate), which must end it: a forked worker inherits the parent's
    # Python handler, and one that does not exit (a library's, say Ray's after `ray.init`, or a caller's) leaves
    # terminate() waiting forever on a worker blocked on the task queue's lock.
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if hasattr(signal, "pthread_sigmask"):  # blocked by the parent from the fork until now (start_pool)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _WORKER_STATE.update(rules=select_rules(rule_ids), options=RepairOptions(terraform_version=terraform_version),
                         context=context, verify=verify, sandbox=sandbox, synth=None)
    tune_collector()


class ErrorRecord(TypedDict):
    kind: str  # syntax, decode, io, rule-crash, invalid-output, no-convergence, crash, worker-lost (ray)
    message: str
    line: int
    column: int


class FindingRecord(TypedDict):
    rule: str
    line: int
    column: int
    fixed: bool
    suppressed: bool


class ItemRecord(TypedDict, total=False):
    """One line of OUT/report.jsonl; its JSON schema is docs/batch-record.schema.json (a test validates every
    record the test suite's batches write against it)."""

    path: str  # relative to the dataset
    status: str  # clean, repaired, error
    kind: str  # python, markdown
    sha256: str  # of the item's bytes (--resume reuses the record of unchanged input)
    tool: str  # the repair version that wrote it
    settings: str  # the run's settings (rules, Terraform version, context, verify): --resume reuses only equal ones
    seconds: float
    rules: list[FindingRecord]
    error: ErrorRecord | None
    warnings: list[ErrorRecord]
    files: list[str]  # an answer's blocks written under <item>.files/
    refused: list[str]  # why an answer's block paths were refused
    verify: VerifyRecord  # the proof of the item's project
    retries: int  # --engine ray: how often its chunk was sent again after its worker died


class VerifyRecord(TypedDict, total=False):
    """The proof of a project, the same in the record of each of its items."""

    project: str  # project_key: the project's folder (or the answer, or the lone module), relative to the dataset
    repaired: list[str]  # the project's items whose repaired text was in place for `after`
    before: dict  # SynthRecord (repair/proof/verify.py) of the project as it is
    after: dict  # ... with every repaired item in place
    sandbox: str  # the sandbox level the project ran in (repair/proof/sandbox.py: bwrap, none)
    layout: dict  # a markdown answer: where its code was laid out over the task


def process_item(dataset: Path, out: Path, relative: str, results: dict | None = None) -> ItemRecord:
    """Repair one item and write its outputs; never raises (a failure is the record's error). The item's
    RepairResult goes into `results` (relative path -> result) when given."""
    started = time.perf_counter()
    record: ItemRecord = {"path": relative, "status": "clean", "rules": [], "error": None, "tool": __version__}
    try:
        result = _process(dataset, out, relative, record)
        if results is not None and result is not None:
            results[relative] = result
    except Exception as exc:  # isolation: one bad item never stops the batch
        record.update(status="error", error={"kind": "crash", "message": f"{type(exc).__name__}: {exc}",
                                             "line": 0, "column": 0})
    record["seconds"] = round(time.perf_counter() - started, 4)
    return record


def _process(dataset: Path, out: Path, relative: str, record: ItemRecord):
    from repair.files import is_markdown, repair_text

    source_path = dataset / relative
    try:
        data = read_regular(source_path)
    except NotRegularFile as exc:
        record.update(status="error", error={"kind": "special-file", "message": str(exc), "line": 0, "column": 0})
        return
    record["sha256"] = hashlib.sha256(data).hexdigest()
    markdown = is_markdown(source_path)
    record["kind"] = "markdown" if markdown else "python"
    text, error = decode_source(data)
    if error is not None:
        record.update(status="error", error=_error(error))
        return None
    # Repaired where it is: the rules that read the item's project (its entry, cdktf.json, a Lambda's source
    # folder) find it from the item's own place in the dataset, not from the folder the batch was started in.
    located = os.path.join(os.path.abspath(dataset), relative)
    result = repair_text(text, _WORKER_STATE["rules"], _WORKER_STATE["options"], located, markdown)
    record["rules"] = [{"rule": f.rule_id, "line": f.line, "column": f.column, "fixed": f.fixed,
                        "suppressed": f.suppressed} for f in result.findings]
    if result.warnings:
        record["warnings"] = [_error(w) for w in result.warnings]
    if result.error is not None:
        record.update(status="error", error=_error(result.error))
    target = out / relative
    atomic_write(target, result.fixed_source)
    if result.changed:
        from repair.output.review import markdown_report

        record["status"] = "repaired"
        context = _WORKER_STATE["context"]
        atomic_write(target.with_name(target.name + ".patch"), patch_text(relative, result.hunks(context)))
        # The reviewer's view beside the patch: each hunk with the rules that made it.
        atomic_write(target.with_name(target.name + ".review.md"), markdown_report([(relative, result)], context))
    if result.needs_repair and result.error is None:  # the failure analysis, in the reviewers' form
        from repair.output.failures import render_markdown

        atomic_write(target.with_name(target.name + ".failures.md"), render_markdown([(relative, result)], [relative]))
    if markdown:
        _write_answer_files(result.fixed_source, target.with_name(target.name + ".files"), record)
    return result


def _verify_projects(dataset: Path, records: list[ItemRecord], results: dict) -> None:
    """Prove each project of these records once, and give every record of the project that outcome. The records
    hold whole projects (a chunk holds whole units)."""
    projects: dict[str, list[ItemRecord]] = {}
    for record in records:
        projects.setdefault(project_key(dataset, record["path"]), []).append(record)
    for key, members in projects.items():
        try:
            outcome = _prove(dataset, key, members, results)
        except Exception as exc:  # a proof that cannot run (no Node.js, a worker that died) costs its project only
            failed = {"ok": False, "error_type": type(exc).__name__, "error": str(exc).strip().split("\n")[0],
                      "rule": None, "json_findings": [], "skipped": ""}
            outcome = {"project": key, "repaired": [], "before": failed, "after": dict(failed)}
        if outcome is not None:
            for record in members:
                record["verify"] = outcome


def _prove(dataset: Path, key: str, members: list[ItemRecord], results: dict) -> VerifyRecord | None:
    """Synth before/after of one project: an answer laid out over its task folder, or the project's folder (a lone
    module: the file) with every repaired item of it in place."""
    import tempfile
    from dataclasses import asdict

    from repair.proof.answers import build_project, lay_out
    from repair.proof.synth import SynthWorker
    from repair.proof.tree import tree_of
    from repair.proof.verify import record_from, synth_before_after

    if _WORKER_STATE["synth"] is None:
        from multiprocessing.util import Finalize

        _WORKER_STATE["synth"] = SynthWorker(timeout=120, sandbox=_WORKER_STATE.get("sandbox") or "auto")
        Finalize(_WORKER_STATE["synth"], _WORKER_STATE["synth"].close, exitpriority=10)  # when the job ends
    worker = _WORKER_STATE["synth"]
    # The level of the sandbox the run resolved once (run_batch), which the worker was given.
    sandbox = _WORKER_STATE.get("sandbox") or worker.sandbox
    level = sandbox.level
    version = _WORKER_STATE["options"].terraform_version
    if _is_markdown_name(key):
        result = results.get(key)
        if result is None or result.error is not None:
            return None
        task = _task_of(dataset, key)
        records = []
        for document in (result.source, result.fixed_source):
            layout = lay_out(document, task)
            with tempfile.TemporaryDirectory(prefix="repair-answer-") as tmp:
                project = build_project(task, layout.files, Path(tmp) / task.name)
                records.append(record_from(worker.synth(project), version))
        before, after = records
        # Where the repaired answer's code was laid out otherwise than it says, and whether it has a stack at all.
        return {"project": key, "repaired": [key] if result.changed else [], "before": asdict(before),
                "after": asdict(after), "sandbox": level,
                "layout": {"has_stack": layout.has_stack, "entry": layout.entry, "moves": layout.moves,
                           "reason": layout.reason}}
    project = dataset / key
    repaired = {}
    for record in members:
        result = results.get(record["path"])
        if result is not None and result.changed and result.error is None:
            repaired[record["path"]] = result.fixed_source
    files = {Path(os.path.abspath(dataset / relative)): text for relative, text in repaired.items()}
    before, after = synth_before_after(worker, project, files, version, tree=tree_of(project, limit=dataset))
    return {"project": key, "repaired": sorted(repaired), "before": asdict(before), "after": asdict(after),
            "sandbox": level}


def _task_of(dataset: Path, answer: str) -> Path:
    """The task folder an answer is laid out over: the project folder above it inside the dataset, else the
    answer's first folder (the dataset's own layout: <task>/lib/MODEL_RESPONSE.md)."""
    base = Path(os.path.abspath(dataset))
    root = root_for(base / answer)
    if root is not None and (root == base or base in root.parents):
        return root
    first = base / Path(answer).parts[0]
    return first if first.is_dir() else base


def _write_answer_files(document: str, folder: Path, record: ItemRecord) -> None:
    from repair.markdown import code_blocks

    refused: list[str] = []
    last: dict[str, object] = {}  # path -> its block: a later block of the same file is the answer's last word
    given: Counter = Counter()
    for block in code_blocks(document):
        if block.path_error:
            refused.append(block.path_error)
        elif block.path:
            last[block.path] = block
            given[block.path] += 1
    written = []
    for path, block in last.items():
        if given[path] > 1:
            refused.append(f"{path} is given by {given[path]} blocks; the last one (line {block.first_line}) is "
                           "written")
        try:
            atomic_write(folder / path, block.code)
        except OSError as exc:  # one path that cannot be written costs that path, not the item
            refused.append(f"{path}: cannot write: {exc.strerror or exc}")
            continue
        written.append(path)
    record["files"] = written
    if refused:
        record["refused"] = refused


def _error(error) -> ErrorRecord:
    return {"kind": error.kind, "message": error.message, "line": error.line, "column": error.column}


# -- the run -------------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    items: int = 0
    status: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)  # (rule, fixed|reported|suppressed)
    errors: Counter = field(default_factory=Counter)
    resumed: int = 0
    notes: list[str] = field(default_factory=list)  # said once to the user (a capped --jobs)
    removed: list[str] = field(default_factory=list)  # earlier items no longer in the dataset, outputs removed
    seconds: float = 0.0
    interrupted: bool = False
    # With --verify, by project (every item of a project carries its one proof): the projects with a repaired
    # item, and those of them that synthesize with clean Terraform JSON once repaired.
    repaired_projects: set = field(default_factory=set)
    verified_projects: set = field(default_factory=set)

    @property
    def verified(self) -> int:
        """Repaired projects whose proof is clean after repair."""
        return len(self.verified_projects)

    def add(self, record: dict) -> None:
        self.items += 1
        self.status[record["status"]] += 1
        for f in record.get("rules", ()):
            outcome = "suppressed" if f.get("suppressed") else ("fixed" if f["fixed"] else "reported")
            self.findings[(f["rule"], outcome)] += 1
        if record.get("error"):
            self.errors[record["error"]["kind"]] += 1
        verify = record.get("verify")
        if verify and record["status"] == "repaired":
            project = verify.get("project", record["path"])
            self.repaired_projects.add(project)
            after = verify.get("after") or {}
            if after.get("ok") and not after.get("json_findings"):
                self.verified_projects.add(project)


def _load_finished(report: Path, strict: bool = False) -> dict[str, dict]:
    """path -> record of a report. A line that is not a record is skipped (a torn last line of an interrupted run),
    or with `strict` (merging reports someone hands us) an error naming the file and line."""
    finished: dict[str, dict] = {}
    if report.is_file():
        with report.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = json.loads(line)
                    if not (isinstance(record, dict) and isinstance(record.get("path"), str)
                            and record.get("status") in ("clean", "repaired", "error")):
                        raise ValueError("not a batch record (it needs a path and a status)")
                except ValueError as exc:
                    if strict:
                        reason = str(exc) if str(exc).startswith("not a batch") else "not JSON"
                        raise BatchError(f"{report}:{number}: {reason}") from None
                    continue
                finished[record["path"]] = record
    return finished


# Items a worker takes at a time while the end of the listing is not in sight; the last ones go in chunks that
# shrink to one item (guided self-scheduling, OpenMP's `schedule(guided)`), so that the workers finish together: with
# every chunk of 16 one worker waited 0.2-0.3 s for the other at the end of a 9 s `-j 2` run over 615 real files.
# Smaller chunks throughout would cost a round trip each (with 4 items a chunk, the synthetic bench/batch.py lost
# a tenth of its CPU).
CHUNK = 16
# Chunks in flight per worker: enough to keep every worker busy while the parent writes records in order, few enough
# that memory does not grow with the dataset.
CHUNKS_IN_FLIGHT_PER_JOB = 8


def start_pool(config: BatchConfig, tally: Tally):
    """The workers chunks go to, and how many of them there are: local processes (at most one per CPU), or with
    --engine ray the tasks and actors of a Ray cluster (repair/scale/ray_engine.py), which take `apply_async(
    _run_chunk, ...)` as the pool does and write the outputs they send back."""
    if config.engine not in ("local", "ray"):
        raise BatchError(f"--engine {config.engine}: local (processes on this machine) or ray")
    if config.address and config.engine != "ray":
        raise BatchError("--address is a Ray cluster's: it needs --engine ray")
    if config.engine == "ray":
        from repair.scale.ray_engine import RayPool

        pool = RayPool(config, tally.notes)
        return pool, pool.jobs
    cpus = os.cpu_count() or 1
    jobs = min(config.jobs or cpus, cpus)
    if config.jobs > cpus:
        tally.notes.append(f"--jobs {config.jobs} capped at {cpus}, the CPU count (more workers only compete)")
    context = get_context("fork" if sys.platform != "win32" else "spawn")
    # A worker forked with a caller's SIGTERM handler that does not exit, and stopped (Pool.terminate) before its
    # initializer restores the default action, would survive and leave terminate() waiting: SIGTERM stays blocked
    # from the fork until then (the pool's threads, created here too, keep it blocked; signals reach the main thread).
    blocked = hasattr(signal, "pthread_sigmask") and hasattr(signal, "SIGTERM")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = context.Pool(jobs, initializer=_init_worker,
                            initargs=(config.rule_ids, config.terraform_version, config.context, config.verify,
                                      config.sandbox))
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    return pool, jobs


def run_batch(config: BatchConfig, progress: Callable[[int, int, float], None] | None = None) -> Tally:
    if config.dataset.is_file():  # a table of answers, one a row (repair/scale/tables.py)
        from repair.scale.tables import run_table

        return run_table(config, progress)
    check_folders(config.dataset, config.out)
    select_rules(config.rule_ids)  # fail before starting workers on an unknown rule
    if config.verify and config.sandbox is None:  # resolved once, here: the workers and the summary say the same
        from repair.proof.sandbox import SandboxError, resolve

        try:
            config = replace(config, sandbox=resolve("auto"))
        except SandboxError as exc:
            raise BatchError(str(exc)) from exc
    config.out.mkdir(parents=True, exist_ok=True)
    report = config.out / REPORT
    earlier = _load_finished(report)  # this folder's earlier run, if any
    finished = earlier if config.resume else {}
    # The items are streamed from the listing; only a progress display needs their number first (one more listing,
    # a few percent of the run).
    key = functools.partial(project_key, config.dataset) if config.verify else None
    total = sum(1 for _ in iter_items(config.dataset, config.patterns, config.shard, key)) if progress else 0
    tally = Tally()
    started = time.perf_counter()
    partial = report.with_name(REPORT + ".partial")
    pool, jobs = start_pool(config, tally)
    from repair.output.summary_page import load_plotter_in_background

    load_plotter_in_background()  # after the workers are forked: they need none of it
    written: set[str] = set()
    failure: BaseException | None = None
    done = False
    with _stops_as_interrupt() as stops:
        try:
            try:
                with partial.open("w", encoding="utf-8") as handle:
                    items = iter_items(config.dataset, config.patterns, config.shard, key)
                    settings = settings_key(config)
                    for record in _ordered_records(pool, config, items, finished, tally,
                                                   jobs * CHUNKS_IN_FLIGHT_PER_JOB, jobs):
                        record.setdefault("settings", settings)
                        handle.write(json.dumps(record, sort_keys=True) + "\n")
                        written.add(record["path"])
                        tally.add(record)
                        if progress:
                            progress(tally.items, max(total, tally.items), time.perf_counter() - started)
                    pool.close()
                done = True
            except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (a scheduler's stop)
                tally.interrupted = True
            except OSError as exc:  # the report cannot be written (a full disk): stop, keeping what finished
                failure = exc
            finally:
                stops.armed = False  # the work is over: from here on everything is written, a stop only noted
                _keep_finished(partial, report, earlier, written, not done)
            if failure is not None:
                raise BatchError(f"cannot write {partial}: {getattr(failure, 'strerror', None) or failure}; "
                                 f"{report} holds what finished, --resume continues")
            if not tally.interrupted:
                tally.removed = _remove_stale_outputs(config, earlier, written, key)
            tally.seconds = time.perf_counter() - started
            (config.out / SUMMARY).write_text(render_summary(tally, config), encoding="utf-8")
            from repair.output.summary_page import write_summary_page

            write_summary_page(tally, config.out)  # summary.html: failures by rule and impact level, chart and table
        finally:
            # The workers are stopped last: whatever that costs (a Ray shutting down takes seconds), the report and
            # the summaries are written.
            stop_pool(pool, not done)
    return tally


def stop_pool(pool, stopped: bool) -> None:
    """Stop the workers: terminated when the run stopped early, else joined once their work is done. The last step of
    a run: a stop (Ctrl-C, SIGTERM) that comes while they wind down cuts that short, everything is written."""
    try:
        if stopped:
            pool.terminate()
        pool.join()
    except KeyboardInterrupt:
        with contextlib.suppress(Exception):
            pool.terminate()


class _Stops:
    """What `_stops_as_interrupt` does with a stop: raise KeyboardInterrupt while `armed`, else note it."""

    def __init__(self) -> None:
        self.armed = True
        self.noted: list[int] = []


@contextlib.contextmanager
def _stops_as_interrupt():
    """SIGTERM (a scheduler stopping the job) ends the run's work as Ctrl-C does: the report keeps what finished.
    Once the work is over (`armed` set False) a stop is only noted: what is left is writing the report and the
    summaries and stopping the workers, which the stop must not cut short (a Ray shutting down takes seconds)."""
    stops = _Stops()
    if threading.current_thread() is not threading.main_thread():
        yield stops
        return

    def stop(signum, frame):
        if stops.armed:
            raise KeyboardInterrupt
        stops.noted.append(signum)

    numbers = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield stops
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _keep_finished(partial: Path, report: Path, earlier: dict[str, dict], written: set[str], stopped: bool) -> None:
    """The new report replaces the old one. A run stopped early keeps the earlier run's records it did not reach,
    so an interrupted --resume never shrinks the report."""
    if not partial.exists():
        return
    if stopped and earlier:
        with partial.open("a", encoding="utf-8") as handle:
            for path, record in earlier.items():
                if path not in written:
                    handle.write(json.dumps(record, sort_keys=True) + "\n")
    os.replace(partial, report)


def _item_outputs(out: Path, relative: str) -> list[Path]:
    target = out / relative
    return [target, *(target.with_name(target.name + suffix) for suffix in (".patch", ".review.md", ".failures.md", ".files"))]


def _remove_stale_outputs(config: BatchConfig, earlier: dict[str, dict], written: set[str],
                          key: Callable[[str], str] | None = None) -> list[str]:
    """The outputs of an earlier run's items that are no longer in the dataset (this shard's share of it): removed,
    so OUT mirrors the dataset; their paths, for the summary."""
    removed = []
    for relative in sorted(earlier):
        if relative in written or (config.shard is not None
                                   and not config.shard.owns(key(relative) if key else relative)):
            continue
        if not _is_relative_inside(relative):
            continue  # a record that names a path outside OUT is not ours to act on
        for path in _item_outputs(config.out, relative):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink(missing_ok=True)
        removed.append(relative)
    return removed


def _is_relative_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return bool(parts) and not Path(relative).is_absolute() and ".." not in parts


def _ordered_records(pool, config: BatchConfig, items: Iterable[str], finished: dict[str, dict], tally: Tally,
                     in_flight: int, jobs: int = 1) -> Iterator[dict]:
    """Records in item order, whatever order the workers finish in: resumed ones straight from the old report, the
    rest from chunks of work sent to the pool, at most `in_flight` of them ahead of the record being written. A chunk
    holds CHUNK items until the listing's end is in sight (`_chunk_sizes`), then fewer and fewer."""
    window: deque = deque()  # in item order: resumed records (dict) and chunks of work in flight (AsyncResult)
    chunk: list[str] = []

    def send() -> None:
        nonlocal chunk
        if chunk:
            window.append(pool.apply_async(_run_chunk, (config.dataset, config.out, chunk)))
            chunk = []

    def drain(keep: int) -> Iterator[dict]:
        while len(window) > keep:
            entry = window.popleft()
            if isinstance(entry, dict):
                tally.resumed += 1
                yield entry
            else:
                yield from entry.get()

    # With --verify a chunk holds whole units (the items of whole projects), and a unit is resumed only whole.
    units = _units(config.dataset, items) if config.verify else ([relative] for relative in items)
    for unit, size in _chunk_sizes(units, jobs):
        olds = [_resumable(config, relative, finished.get(relative)) for relative in unit]
        if all(old is not None for old in olds):
            send()  # a chunk holds consecutive items only
            window.extend(olds)
        else:
            if chunk and len(chunk) + len(unit) > size:
                send()
            chunk.extend(unit)
            if len(chunk) >= size:
                send()
        yield from drain(in_flight)
    send()
    yield from drain(0)


def _chunk_sizes(units: Iterable[list[str]], jobs: int) -> Iterator[tuple[list[str], int]]:
    """Each unit with the size of the chunk it goes into: CHUNK while more than two chunks a worker remain after
    it (the listing is read that far ahead), then half of what remains per worker, down to one item: the workers
    take chunks in order, so the last ones they take are the smallest."""
    horizon = 2 * jobs * CHUNK
    ahead: deque[list[str]] = deque()
    ahead_items = 0
    source = iter(units)
    more = True
    while True:
        while more and ahead_items <= horizon:
            unit = next(source, None)
            if unit is None:
                more = False
            else:
                ahead.append(unit)
                ahead_items += len(unit)
        if not ahead:
            return
        unit = ahead.popleft()
        ahead_items -= len(unit)
        yield unit, CHUNK if more else max(1, min(CHUNK, -(-(ahead_items + len(unit)) // (2 * jobs))))


def _resumable(config: BatchConfig, relative: str, old: dict | None) -> dict | None:
    """The finished record of an earlier run, if it still holds: same tool version, no error, same input bytes."""
    if config.verify and old and "verify" not in old:
        return None  # written without --verify: its project is proven now
    if (old and old.get("tool") == __version__ and old.get("status") != "error"
            and old.get("settings") == settings_key(config)):
        try:
            digest = hashlib.sha256(read_regular(config.dataset / relative)).hexdigest()
        except OSError:
            return None
        if digest == old.get("sha256"):
            return old
    return None


def _run_chunk(dataset: Path, out: Path, chunk: list[str]) -> list[dict]:
    if not _WORKER_STATE.get("verify"):
        return [process_item(dataset, out, relative) for relative in chunk]
    results: dict = {}
    records = [process_item(dataset, out, relative, results) for relative in chunk]
    _verify_projects(dataset, records, results)
    return records


def render_summary(tally: Tally, config: BatchConfig | None = None, title: str = "repair batch") -> str:
    lines = [f"# {title}\n"]
    if config is not None:
        lines.append(f"Dataset `{config.dataset}`, output `{config.out}`"
                     + (f", shard {config.shard.index}/{config.shard.count}" if config.shard else "") + ".\n")
    rate = tally.items / tally.seconds if tally.seconds else 0.0
    lines.append(f"{tally.items} items in {tally.seconds:.1f} s ({rate:.1f} items/s)"
                 + (f", {tally.resumed} resumed" if tally.resumed else "")
                 + (" — interrupted, the report holds what finished" if tally.interrupted else "") + ".\n")
    lines += ["| status | items |", "|---|---|"]
    lines += [f"| {s} | {tally.status[s]} |" for s in ("clean", "repaired", "error")]
    if tally.repaired_projects or config is not None and config.verify:
        # Counted by project: each was synthesized once as it is and once with all of its repaired items in place.
        lines += ["", "| proof (projects) | projects |", "|---|---|",
                  f"| repaired | {len(tally.repaired_projects)} |",
                  f"| repaired and verified | {tally.verified} |"]
        if config is not None and config.sandbox is not None:
            lines += ["", f"Synthesized in the sandbox: {config.sandbox.describe()}."]
    lines += ["", "| rule | fixed | reported | suppressed |", "|---|---|---|---|"]
    for rule in sorted({r for r, _ in tally.findings}):
        lines.append(f"| {rule} | {tally.findings[(rule, 'fixed')]} | {tally.findings[(rule, 'reported')]} | "
                     f"{tally.findings[(rule, 'suppressed')]} |")
    if tally.removed:
        lines += ["", f"Removed the outputs of {len(tally.removed)} earlier item(s) no longer in the dataset:", ""]
        lines += [f"- {relative}" for relative in tally.removed]
    if tally.errors:
        lines += ["", "| error | items |", "|---|---|"]
        lines += [f"| {kind} | {n} |" for kind, n in tally.errors.most_common()]
    return "\n".join(lines) + "\n"


def merge_reports(reports: list[Path], out: Path) -> Tally:
    """One report and summary from the reports of several shards (each item once, in path order)."""
    records: dict[str, dict] = {}
    for report in reports:
        path = report / REPORT if report.is_dir() else report
        if not path.is_file():
            raise BatchError(f"{path}: no report")
        records.update(_load_finished(path, strict=True))
    check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    with (out / REPORT).open("w", encoding="utf-8") as handle:
        for relative in sorted(records):
            handle.write(json.dumps(records[relative], sort_keys=True) + "\n")
            tally.add(records[relative])
    tally.seconds = sum(r.get("seconds", 0.0) for r in records.values())
    (out / SUMMARY).write_text(render_summary(tally, title="repair batch (merged)"), encoding="utf-8")
    from repair.output.summary_page import write_summary_page

    # The whole run's page: each shard's summary.html charts only its own share.
    write_summary_page(tally, out, "repair batch (merged)",
                       details="Each item with failures has its analysis as <code>&lt;item&gt;.failures.md</code> in "
                               "the output of its shard; every record is in <code>report.jsonl</code>.")
    return tally
