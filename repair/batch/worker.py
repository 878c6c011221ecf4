"""One chunk of items, in a worker process: each item repaired and its outputs written (the repaired file, its
`.patch`, `.review.md`, `.failures.md`, an answer's files), and with --verify each project of the chunk proven
once, before and after repair. Nothing here raises: a failure is the item's record."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import TypedDict

from repair import __version__
from repair.batch.dataset import is_markdown_name, project_key
from repair.diff import patch_text
from repair.engine import select_rules, tune_collector
from repair.files import NotRegularFile, atomic_write, decode_source, read_regular
from repair.options import RepairOptions
from repair.project import root_for

WORKER_STATE: dict = {}


def init_worker(rule_ids, terraform_version, context, verify=False, sandbox=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    # ... and stops a worker with SIGTERM (Pool.terminate), which must end it: a forked worker inherits the parent's
    # Python handler, and one that does not exit (a library's, say Ray's after `ray.init`, or a caller's) leaves
    # terminate() waiting forever on a worker blocked on the task queue's lock.
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if hasattr(signal, "pthread_sigmask"):  # blocked by the parent from the fork until now (start_pool)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    WORKER_STATE.update(rules=select_rules(rule_ids), options=RepairOptions(terraform_version=terraform_version),
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
        record.update(status="error", error=error_record(error))
        return None
    # Repaired where it is: the rules that read the item's project (its entry, cdktf.json, a Lambda's source
    # folder) find it from the item's own place in the dataset, not from the folder the batch was started in.
    located = os.path.join(os.path.abspath(dataset), relative)
    result = repair_text(text, WORKER_STATE["rules"], WORKER_STATE["options"], located, markdown)
    record["rules"] = [{"rule": f.rule_id, "line": f.line, "column": f.column, "fixed": f.fixed,
                        "suppressed": f.suppressed} for f in result.findings]
    if result.warnings:
        record["warnings"] = [error_record(w) for w in result.warnings]
    if result.error is not None:
        record.update(status="error", error=error_record(result.error))
    target = out / relative
    atomic_write(target, result.fixed_source)
    if result.changed:
        from repair.output.review import markdown_report

        record["status"] = "repaired"
        context = WORKER_STATE["context"]
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

    if WORKER_STATE["synth"] is None:
        from multiprocessing.util import Finalize

        WORKER_STATE["synth"] = SynthWorker(timeout=120, sandbox=WORKER_STATE.get("sandbox") or "auto")
        Finalize(WORKER_STATE["synth"], WORKER_STATE["synth"].close, exitpriority=10)  # when the job ends
    worker = WORKER_STATE["synth"]
    # The level of the sandbox the run resolved once (run_batch), which the worker was given.
    sandbox = WORKER_STATE.get("sandbox") or worker.sandbox
    level = sandbox.level
    version = WORKER_STATE["options"].terraform_version
    if is_markdown_name(key):
        result = results.get(key)
        if result is None or result.error is not None:
            return None
        task = task_of(dataset, key)
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


def task_of(dataset: Path, answer: str) -> Path:
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


def error_record(error) -> ErrorRecord:
    return {"kind": error.kind, "message": error.message, "line": error.line, "column": error.column}


def run_chunk(dataset: Path, out: Path, chunk: list[str]) -> list[dict]:
    if not WORKER_STATE.get("verify"):
        return [process_item(dataset, out, relative) for relative in chunk]
    results: dict = {}
    records = [process_item(dataset, out, relative, results) for relative in chunk]
    _verify_projects(dataset, records, results)
    return records


