"""`repair batch`: repair a dataset directory of model answers and stacks, in parallel, resumably, sharded.

Each item (a Python file, or a model answer in markdown) gets, under OUT at its own relative path: the repaired
file, a `.patch` that `git apply` accepts against the input when something changed, and for an answer the
repaired files it attributes paths to (under `<answer>.files/`). One JSON line per item goes to OUT/report.jsonl
in the items' sorted order, whatever order the workers finish in: results are consumed in order from a bounded
window of work, so memory stays flat in the number of items. The dataset itself is never written.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import signal
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypedDict

from repair import __version__
from repair.diff import patch_text
from repair.engine import select_rules
from repair.files import SKIPPED_DIRS, atomic_write, decode_source
from repair.options import RepairOptions

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
        # holds, and every machine of a job array computes the same partition.
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


def check_folders(dataset: Path, out: Path) -> None:
    if not dataset.is_dir():
        raise BatchError(f"{dataset}: not a folder")
    d, o = dataset.resolve(), out.resolve()
    if d == o or d in o.parents or o in d.parents:
        raise BatchError(f"--out {out} and the dataset {dataset} must not contain each other (the dataset is never "
                         "written to)")


def iter_items(dataset: Path, patterns: Iterable[str], shard: Shard | None = None) -> Iterator[str]:
    """Relative paths (posix) of the items, sorted (a folder's files, then its sub-folders), streamed folder by
    folder. Plain strings and scandir: pathlib and os.walk cost more than the listing itself on a large dataset."""
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
                if shard is None or shard.owns(relative):
                    yield relative
        for name in sorted(folders):
            yield from walk(os.path.join(folder, name), prefix + name + "/")

    yield from walk(os.fspath(dataset), "")


# -- one item (runs in a worker process) ---------------------------------------------------------------------------
_WORKER_STATE: dict = {}


def _init_worker(rule_ids, terraform_version, context, verify=False, sandbox=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    _WORKER_STATE.update(rules=select_rules(rule_ids), options=RepairOptions(terraform_version=terraform_version),
                         context=context, verify=verify, sandbox=sandbox, synth=None)


class ErrorRecord(TypedDict):
    kind: str  # syntax, decode, io, rule-crash, invalid-output, no-convergence, crash
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
    seconds: float
    rules: list[FindingRecord]
    error: ErrorRecord | None
    warnings: list[ErrorRecord]
    files: list[str]  # an answer's blocks written under <item>.files/
    refused: list[str]  # why an answer's block paths were refused
    verify: dict  # before/after SynthRecord (repair/proof/verify.py), the sandbox level and, for an answer, its layout


def process_item(dataset: Path, out: Path, relative: str) -> ItemRecord:
    """Repair one item and write its outputs; never raises (a failure is the record's error)."""
    started = time.perf_counter()
    record: ItemRecord = {"path": relative, "status": "clean", "rules": [], "error": None, "tool": __version__}
    try:
        _process(dataset, out, relative, record)
    except Exception as exc:  # isolation: one bad item never stops the batch
        record.update(status="error", error={"kind": "crash", "message": f"{type(exc).__name__}: {exc}",
                                             "line": 0, "column": 0})
    record["seconds"] = round(time.perf_counter() - started, 4)
    return record


def _process(dataset: Path, out: Path, relative: str, record: ItemRecord) -> None:
    from repair.files import is_markdown, repair_text

    source_path = dataset / relative
    data = source_path.read_bytes()
    record["sha256"] = hashlib.sha256(data).hexdigest()
    markdown = is_markdown(source_path)
    record["kind"] = "markdown" if markdown else "python"
    text, error = decode_source(data)
    if error is not None:
        record.update(status="error", error=_error(error))
        return
    result = repair_text(text, _WORKER_STATE["rules"], _WORKER_STATE["options"], relative, markdown)
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
    if markdown:
        _write_answer_files(result.fixed_source, target.with_name(target.name + ".files"), record)
    if _WORKER_STATE.get("verify") and result.error is None:
        record["verify"] = _verify_item(dataset, relative, result, markdown)


def _verify_item(dataset: Path, relative: str, result, markdown: bool) -> dict:
    """Synth before/after for an item: an answer laid out over its task folder, or the item's task project with
    the repaired file in place (a lone stack module when the task has no app entry)."""
    import tempfile
    from dataclasses import asdict

    from repair.proof.answers import build_project, lay_out
    from repair.proof.synth import SynthWorker, find_entry
    from repair.proof.verify import record_from, synth_before_after

    if _WORKER_STATE["synth"] is None:
        from multiprocessing.util import Finalize

        _WORKER_STATE["synth"] = SynthWorker(timeout=120, sandbox=_WORKER_STATE.get("sandbox") or "auto")
        Finalize(_WORKER_STATE["synth"], _WORKER_STATE["synth"].close, exitpriority=10)  # when the job ends
    worker = _WORKER_STATE["synth"]
    level = worker.sandbox.level
    version = _WORKER_STATE["options"].terraform_version
    task = dataset / Path(relative).parts[0]
    if markdown:
        records = []
        for document in (result.source, result.fixed_source):
            layout = lay_out(document, task)
            with tempfile.TemporaryDirectory(prefix="repair-answer-") as tmp:
                project = build_project(task, layout.files, Path(tmp) / task.name)
                records.append(record_from(worker.synth(project), version))
        before, after = records
        # Where the repaired answer's code was laid out otherwise than it says, and whether it has a stack at all.
        return {"before": asdict(before), "after": asdict(after), "sandbox": level,
                "layout": {"has_stack": layout.has_stack, "entry": layout.entry, "moves": layout.moves,
                           "reason": layout.reason}}
    else:
        item = dataset / relative
        project = task if task.is_dir() and find_entry(task) is not None else item
        repaired = {item.resolve(): result.fixed_source} if result.changed else {}
        before, after = synth_before_after(worker, project, repaired, version)
    return {"before": asdict(before), "after": asdict(after), "sandbox": level}


def _write_answer_files(document: str, folder: Path, record: ItemRecord) -> None:
    from repair.markdown import code_blocks

    written, refused = [], []
    for block in code_blocks(document):
        if block.path_error:
            refused.append(block.path_error)
        elif block.path:
            atomic_write(folder / block.path, block.code)
            written.append(block.path)
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
    verified: int = 0  # repaired items whose project synthesizes with clean Terraform JSON after repair
    seconds: float = 0.0
    interrupted: bool = False

    def add(self, record: dict) -> None:
        self.items += 1
        self.status[record["status"]] += 1
        for f in record.get("rules", ()):
            outcome = "suppressed" if f.get("suppressed") else ("fixed" if f["fixed"] else "reported")
            self.findings[(f["rule"], outcome)] += 1
        if record.get("error"):
            self.errors[record["error"]["kind"]] += 1
        after = (record.get("verify") or {}).get("after")
        if record["status"] == "repaired" and after and after["ok"] and not after["json_findings"]:
            self.verified += 1


def _load_finished(report: Path) -> dict[str, dict]:
    finished: dict[str, dict] = {}
    if report.is_file():
        with report.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    finished[record["path"]] = record
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line from an interrupted run
    return finished


# Items a worker takes at a time, and chunks in flight per worker: enough to keep every worker busy while the
# parent writes records in order, few enough that memory does not grow with the dataset.
CHUNK = 16
CHUNKS_IN_FLIGHT_PER_JOB = 8


def run_batch(config: BatchConfig, progress: Callable[[int, int, float], None] | None = None) -> Tally:
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
    finished = _load_finished(report) if config.resume else {}
    # The items are streamed from the listing; only a progress display needs their number first (one more listing,
    # a few percent of the run).
    total = sum(1 for _ in iter_items(config.dataset, config.patterns, config.shard)) if progress else 0
    tally = Tally()
    started = time.perf_counter()
    partial = report.with_name(REPORT + ".partial")
    jobs = config.jobs or os.cpu_count() or 1
    context = get_context("fork" if sys.platform != "win32" else "spawn")
    pool = context.Pool(jobs, initializer=_init_worker,
                        initargs=(config.rule_ids, config.terraform_version, config.context, config.verify,
                                  config.sandbox))
    try:
        with partial.open("w", encoding="utf-8") as handle:
            items = iter_items(config.dataset, config.patterns, config.shard)
            for record in _ordered_records(pool, config, items, finished, tally, jobs * CHUNKS_IN_FLIGHT_PER_JOB):
                handle.write(json.dumps(record, sort_keys=True) + "\n")
                tally.add(record)
                if progress:
                    progress(tally.items, max(total, tally.items), time.perf_counter() - started)
        pool.close()
    except KeyboardInterrupt:
        tally.interrupted = True
        pool.terminate()
    finally:
        pool.join()
        # Keep what finished: a resumed run picks up from it.
        if partial.exists():
            os.replace(partial, report)
    tally.seconds = time.perf_counter() - started
    (config.out / SUMMARY).write_text(render_summary(tally, config), encoding="utf-8")
    return tally


def _ordered_records(pool, config: BatchConfig, items: Iterable[str], finished: dict[str, dict], tally: Tally,
                     in_flight: int) -> Iterator[dict]:
    """Records in item order, whatever order the workers finish in: resumed ones straight from the old report, the
    rest from chunks of work sent to the pool, at most `in_flight` of them ahead of the record being written."""
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

    for relative in items:
        old = _resumable(config, relative, finished.get(relative))
        if old is not None:
            send()  # a chunk holds consecutive items only
            window.append(old)
        else:
            chunk.append(relative)
            if len(chunk) == CHUNK:
                send()
        yield from drain(in_flight)
    send()
    yield from drain(0)


def _resumable(config: BatchConfig, relative: str, old: dict | None) -> dict | None:
    """The finished record of an earlier run, if it still holds: same tool version, no error, same input bytes."""
    if old and old.get("tool") == __version__ and old.get("status") != "error":
        try:
            digest = hashlib.sha256((config.dataset / relative).read_bytes()).hexdigest()
        except OSError:
            return None
        if digest == old.get("sha256"):
            return old
    return None


def _run_chunk(dataset: Path, out: Path, chunk: list[str]) -> list[dict]:
    return [process_item(dataset, out, relative) for relative in chunk]


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
    if config is not None and config.verify:
        lines.append(f"| repaired and verified | {tally.verified} |")
        if config.sandbox is not None:
            lines += ["", f"Synthesized in the sandbox: {config.sandbox.describe()}."]
    lines += ["", "| rule | fixed | reported | suppressed |", "|---|---|---|---|"]
    for rule in sorted({r for r, _ in tally.findings}):
        lines.append(f"| {rule} | {tally.findings[(rule, 'fixed')]} | {tally.findings[(rule, 'reported')]} | "
                     f"{tally.findings[(rule, 'suppressed')]} |")
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
        records.update(_load_finished(path))
    out.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    with (out / REPORT).open("w", encoding="utf-8") as handle:
        for relative in sorted(records):
            handle.write(json.dumps(records[relative], sort_keys=True) + "\n")
            tally.add(records[relative])
    tally.seconds = sum(r.get("seconds", 0.0) for r in records.values())
    (out / SUMMARY).write_text(render_summary(tally, title="repair batch (merged)"), encoding="utf-8")
    return tally
