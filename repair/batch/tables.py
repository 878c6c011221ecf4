"""`repair batch` over a table of model answers: JSONL or Parquet in, the same table out with four columns more.

`repair batch answers.parquet --answer-field response --out OUT` reads one model answer a row from the column
`response` (a markdown answer, or plain Python: told apart as the markdown repair reads them, `answer_kind`) and
writes OUT/repaired.parquet (OUT/repaired.jsonl for a JSONL table): every input row, in input order, with every
input column as it was, and

- `repaired_<field>`: the answer repaired (the answer itself when nothing needed repair; null when it is no text),
- `diff`: the unified diff from the answer to its repair ("" when nothing changed),
- `findings`: JSON text, `{"kind": "markdown" | "python" | null, "rules": [{"rule", "line", "column", "fixed",
  "suppressed", "message"}], "error": null | {"kind", "message", "line", "column"}, "warnings": [...]}` (the
  batch record's vocabulary, docs/batch-record.schema.json, with each finding's message), plus `"retries": n`
  when a Ray worker died on the row and it was run again,
- `status`: `clean`, `repaired`, `error`, or `no-code` (no Python in the answer, or no answer: the row comes back
  with its answer unchanged).

Beside it, OUT/summary.md counts the rows by status and their findings by rule, and OUT/summary.html (with
failures.svg) charts their failures by rule and impact level, as a folder batch's pages do (repair/output/
summary_page.py); a row's own failures are in its `findings` (`repair report` writes an answer's analysis).

One path for both formats: the table is read in record batches of ROWS_PER_CHUNK rows (Parquet through pyarrow's
`ParquetFile.iter_batches`; JSONL lines streamed into batches of the same size), each batch's answers are one
chunk for the engine (local processes or Ray, pools.py's `start_pool`), and the results are written back
batch by batch in input order from a bounded window: memory stays flat in the table's length. Only the two ends
know the format: Parquet keeps the input's schema (and metadata) and appends four columns; a JSONL row is written
back byte for byte with the four keys appended to its object (going through Arrow types would rewrite numbers,
fill absent keys with null and refuse a column whose rows hold different types).
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import time
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from repair.batch.dataset import DEFAULT_PATTERNS, SUMMARY, BatchConfig, BatchError, check_out, is_batch_output
from repair.batch.pools import CHUNK, CHUNKS_IN_FLIGHT_PER_JOB, start_pool, stop_pool, stops_as_interrupt
from repair.batch.report import Tally

ROWS_PER_CHUNK = CHUNK  # rows a worker takes at a time (one record batch): as many as a folder's items
ROW_GROUP_ROWS = 8192  # rows per row group of the Parquet output
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
STATUSES = ("clean", "repaired", "no-code", "error")


def table_format(path: Path) -> str | None:
    """"jsonl" or "parquet" for a table dataset, by its name; None for anything else."""
    return FORMATS.get(path.suffix.lower())


def new_columns(field: str) -> list[str]:
    return [f"repaired_{field}", "diff", "findings", "status"]


# -- one answer (runs in a worker) ---------------------------------------------------------------------------------
_PYTHON_LINE = re.compile(r"^(?:from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+\w|class[ \t]+\w+|def[ \t]+\w+|@\w)", re.M)


def answer_kind(text: str) -> str | None:
    """How an answer is repaired: "markdown" when it has fenced code blocks and one of them is Python (the blocks
    repair/markdown.py repairs), "python" when it has no fence and reads as a module (its lines start like Python
    statements, or it parses with a statement that is not a bare expression), None when it holds no Python."""
    from repair.markdown import code_blocks

    blocks = [block for block in code_blocks(text) if block.fenced]
    if blocks:
        return "markdown" if any(block.is_python for block in blocks) else None
    if _PYTHON_LINE.search(text):
        return "python"
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    return "python" if any(not isinstance(node, ast.Expr) for node in tree.body) else None


def _row(repaired, diff: str, status: str, kind: str | None = None, rules=(), error=None, warnings=()) -> dict:
    return {"repaired": repaired, "diff": diff, "status": status,
            "findings": {"kind": kind, "rules": list(rules), "error": error, "warnings": list(warnings)}}


def repair_answer(field: str, answer) -> dict:
    from repair.batch.worker import WORKER_STATE, error_record
    from repair.diff import patch_text
    from repair.files import repair_text

    if answer is None:
        return _row(None, "", "no-code")
    if not isinstance(answer, str):
        return _row(None, "", "error", error={"kind": "not-text", "message": f"{field} holds {type(answer).__name__},"
                                                                             " not text", "line": 0, "column": 0})
    kind = answer_kind(answer)
    if kind is None:
        return _row(answer, "", "no-code")
    # "<field>": a name that is no path, so no rule looks for a project around the answer.
    result = repair_text(answer, WORKER_STATE["rules"], WORKER_STATE["options"], f"<{field}>", kind == "markdown")
    rules = [{"rule": f.rule_id, "line": f.line, "column": f.column, "fixed": f.fixed, "suppressed": f.suppressed,
              "message": f.message} for f in result.findings]
    status = "repaired" if result.changed else ("error" if result.error is not None else "clean")
    diff = patch_text(field, result.hunks(WORKER_STATE["context"])) if result.changed else ""
    return _row(result.fixed_source, diff, status, kind, rules,
                None if result.error is None else error_record(result.error), [error_record(w) for w in result.warnings])


def repair_rows(field: str, answers: list) -> list[dict]:
    """A chunk of a table: one result for each answer, in order."""
    return [repair_answer(field, answer) for answer in answers]


def _lost_row(answer, message: str, retries: int) -> dict:
    row = _row(answer if isinstance(answer, str) else None, "", "error",
               error={"kind": "worker-lost", "message": message, "line": 0, "column": 0})
    row["retries"] = retries
    return row


repair_rows.lost = _lost_row  # what the Ray engine records for a row whose worker died every time


# -- the two ends: reading and writing each format -----------------------------------------------------------------
class _Parquet:
    def __init__(self, source: Path, field: str, target: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa, self._pq = pa, pq
        try:
            self._file = pq.ParquetFile(source)
        except (OSError, pa.ArrowException) as exc:
            raise BatchError(f"{source}: not a Parquet file ({str(exc).splitlines()[0] if str(exc) else exc})") \
                from None
        schema = self._file.schema_arrow
        names = schema.names
        if names.count(field) != 1:
            raise BatchError(f"{source}: no column {field!r} for --answer-field (its columns: {', '.join(names)})")
        self._index = names.index(field)
        kind = schema.field(field).type
        if pa.types.is_dictionary(kind):  # a categorical column (pandas): its values are what counts
            kind = kind.value_type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
                or (hasattr(pa.types, "is_string_view") and pa.types.is_string_view(kind))):
            raise BatchError(f"{source}: column {field!r} is {schema.field(field).type}, not text")
        taken = [name for name in new_columns(field) if name in names]
        if taken:
            raise BatchError(f"{source}: it already has the column(s) {', '.join(taken)} that the output adds")
        text = pa.string() if pa.types.is_null(kind) else kind
        self._schema = schema
        for name in new_columns(field):
            self._schema = self._schema.append(pa.field(name, text if name.startswith("repaired_") else pa.string()))
        self._target = target
        self._writer = None
        self._closed = False
        self._waiting: list = []
        self._waiting_rows = 0
        self.rows = self._file.metadata.num_rows

    def batches(self) -> Iterator[tuple[object, list]]:
        for batch in self._file.iter_batches(batch_size=ROWS_PER_CHUNK):
            yield batch, batch.column(self._index).to_pylist()

    def write(self, batch, results: list[dict]) -> None:
        pa = self._pa
        added = [[r["repaired"] for r in results], [r["diff"] for r in results],
                 [_findings_text(r) for r in results], [r["status"] for r in results]]
        types = [self._schema.field(name).type for name in self._schema.names[-4:]]
        arrays = list(batch.columns) + [pa.array(values, type=kind) for values, kind in zip(added, types)]
        self._waiting.append(pa.RecordBatch.from_arrays(arrays, schema=self._schema))
        self._waiting_rows += batch.num_rows
        if self._waiting_rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._writer is None:
            self._writer = self._pq.ParquetWriter(self._target, self._schema)
        if self._waiting:
            self._writer.write_table(self._pa.Table.from_batches(self._waiting, schema=self._schema),
                                     row_group_size=max(self._waiting_rows, 1))
        self._waiting, self._waiting_rows = [], 0

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._writer is None or self._waiting:
            self._flush()  # an empty table is still a table, with its schema
        self._writer.close()


class _Jsonl:
    def __init__(self, source: Path, field: str, target: Path) -> None:
        self._source, self._field, self._target = source, field, target
        self._taken = set(new_columns(field))
        self._out = None
        self.rows = 0

    def count(self) -> int:
        with open(self._source, "rb") as handle:
            return sum(1 for line in handle if line.strip())

    def batches(self) -> Iterator[tuple[object, list]]:
        lines: list[tuple[bytes, bytes, bool]] = []  # (content, line ending, is a row)
        answers: list = []
        with open(self._source, "rb") as handle:
            for number, line in enumerate(handle, 1):
                ending = b"\r\n" if line.endswith(b"\r\n") else (b"\n" if line.endswith(b"\n") else b"")
                content = line[: len(line) - len(ending)]
                if not content.strip():
                    lines.append((content, ending, False))  # a blank line: no row, kept as it is
                    continue
                row = self._parse(content, number)
                lines.append((content, ending, True))
                answers.append(row.get(self._field))
                if len(answers) >= ROWS_PER_CHUNK:
                    yield lines, answers
                    lines, answers = [], []
        if lines:
            yield lines, answers

    def _parse(self, content: bytes, number: int) -> dict:
        try:
            row = json.loads(content.decode("utf-8").lstrip("\ufeff"))
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise BatchError(f"{self._source}:{number}: not a JSON line ({str(exc).splitlines()[0]})") from None
        if not isinstance(row, dict):
            raise BatchError(f"{self._source}:{number}: a JSON {type(row).__name__}, not an object: a row is an "
                             "object")
        taken = sorted(self._taken & row.keys())
        if taken:
            raise BatchError(f"{self._source}:{number}: the row already has the key(s) {', '.join(taken)} that the "
                             "output adds")
        return row

    def write(self, lines, results: list[dict]) -> None:
        if self._out is None:
            self._out = open(self._target, "wb")
        given = iter(results)
        for content, ending, is_row in lines:
            if is_row:
                content = _appended(content, next(given), self._field)
            self._out.write(content + ending)

    def close(self) -> None:
        if self._out is None:
            self._out = open(self._target, "wb")  # an empty table is still a table
        self._out.close()


def _appended(content: bytes, result: dict, field: str) -> bytes:
    """The row's own bytes with the four keys added before its closing brace."""
    values = [result["repaired"], result["diff"], _findings_text(result), result["status"]]
    try:
        added = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                          for k, v in zip(new_columns(field), values)).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an escape in the input): escaped, as JSON allows
        added = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in zip(new_columns(field), values)).encode()
    brace = content.rindex(b"}")
    opening = content.index(b"{")
    empty = not content[opening + 1:brace].strip()
    return content[:brace] + (b"" if empty else b", ") + added + content[brace:]


def _findings_text(result: dict) -> str:
    findings = result["findings"]
    if result.get("retries"):
        findings = {**findings, "retries": result["retries"]}
    return json.dumps(findings, ensure_ascii=False)


# -- the run -------------------------------------------------------------------------------------------------------
def check_table(config: BatchConfig) -> str:
    """The table's format, or why the run must not start."""
    kind = table_format(config.dataset)
    if kind is None:
        raise BatchError(f"{config.dataset}: a dataset is a folder, or a table of answers (.jsonl, .parquet)")
    for flag, used in (("--resume", config.resume), ("--shard", config.shard), ("--verify", config.verify),
                       ("--pattern", tuple(config.patterns) != DEFAULT_PATTERNS)):
        if used:
            raise BatchError(f"{flag} works on dataset folders, not on a table")
    check_out(config.out)
    source, out = config.dataset.resolve(), config.out.resolve()
    if out == source.parent or out in source.parents:
        raise BatchError(f"--out {config.out} holds the table {config.dataset} (the dataset is never written to)")
    if config.out.is_dir() and not is_batch_output(config.out) and any(config.out.iterdir()):
        raise BatchError(f"--out {config.out} is not empty and holds no earlier batch output; choose a new or empty "
                         "folder")
    return kind


def run_table(config: BatchConfig, progress: Callable[[int, int, float], None] | None = None) -> Tally:
    from repair.engine import select_rules

    kind = check_table(config)
    select_rules(config.rule_ids)  # an unknown rule fails before any worker starts
    try:
        import pyarrow  # noqa: F401  (both formats come with it: say so before anything runs)
    except ImportError:
        raise BatchError("table datasets need pyarrow: pip install 'cdktf-repair[scale]'") from None
    config.out.mkdir(parents=True, exist_ok=True)
    target = config.out / f"repaired.{kind}"
    partial = target.with_name(target.name + ".partial")
    table = (_Parquet if kind == "parquet" else _Jsonl)(config.dataset, config.answer_field, partial)
    total = (table.rows if kind == "parquet" else table.count()) if progress else 0
    tally = Tally()
    started = time.perf_counter()
    pool, jobs = start_pool(config, tally)
    window: deque = deque()
    failure: BaseException | None = None

    def write(entry) -> None:
        kept, pending = entry
        results = pending.get()
        table.write(kept, results)
        for result in results:
            findings = result["findings"]
            tally.add({"status": result["status"], "rules": findings["rules"], "error": findings["error"]})
        if progress:
            progress(tally.items, max(total, tally.items), time.perf_counter() - started)

    done = False
    with stops_as_interrupt() as stops:
        try:
            try:
                for kept, answers in table.batches():
                    window.append((kept, pool.apply_async(repair_rows, (config.answer_field, answers))))
                    while len(window) > jobs * CHUNKS_IN_FLIGHT_PER_JOB:
                        write(window.popleft())
                while window:
                    write(window.popleft())
                pool.close()
                done = True
            except KeyboardInterrupt:
                tally.interrupted = True
            except BatchError as exc:  # a line that is no JSON object, a worker of another version
                failure = exc
            except OSError as exc:
                failure = BatchError(f"cannot write {partial}: {getattr(exc, 'strerror', None) or exc}")
            finally:
                stops.armed = False  # as a folder batch's: from here on everything is written, a stop only noted
                try:
                    table.close()
                except OSError as exc:
                    failure = failure or BatchError(f"cannot write {partial}: {exc.strerror or exc}")
            if failure is not None:
                partial.unlink(missing_ok=True)
                raise failure
            if tally.interrupted:
                tally.notes.append(f"interrupted: {partial} holds the first {tally.items} row(s), in order; run "
                                   "again for the whole table")
            else:
                os.replace(partial, target)
            tally.seconds = time.perf_counter() - started
            (config.out / SUMMARY).write_text(render_table_summary(tally, config, target), encoding="utf-8")
            from repair.output.summary_page import write_summary_page

            # summary.html: the rows' failures by rule and impact level, as a folder batch's page charts its items'.
            written = partial if tally.interrupted else target
            write_summary_page(tally, config.out, "repair batch (table)", noun="rows",
                               details=f"Each row's findings are in the <code>findings</code> column of "
                                       f"<code>{html.escape(written.name)}</code> (<code>repair report</code> "
                                       "writes the failure analysis of an answer).")
        finally:
            stop_pool(pool, not done)  # last, as a folder batch's (run.py): everything is written by then
    return tally


def render_table_summary(tally: Tally, config: BatchConfig, target: Path) -> str:
    rate = tally.items / tally.seconds if tally.seconds else 0.0
    lines = ["# repair batch (table)\n",
             f"Table `{config.dataset}` (answers in `{config.answer_field}`), output `{target}`.\n",
             f"{tally.items} rows in {tally.seconds:.1f} s ({rate:.1f} rows/s)"
             + (" — interrupted, the output holds the rows before" if tally.interrupted else "") + ".\n",
             "| status | rows |", "|---|---|"]
    lines += [f"| {status} | {tally.status[status]} |" for status in STATUSES]
    lines += ["", "| rule | fixed | reported | suppressed |", "|---|---|---|---|"]
    for rule in sorted({r for r, _ in tally.findings}):
        lines.append(f"| {rule} | {tally.findings[(rule, 'fixed')]} | {tally.findings[(rule, 'reported')]} | "
                     f"{tally.findings[(rule, 'suppressed')]} |")
    if tally.errors:
        lines += ["", "| error | rows |", "|---|---|"]
        lines += [f"| {kind} | {n} |" for kind, n in tally.errors.most_common()]
    return "\n".join(lines) + "\n"
