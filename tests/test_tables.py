"""Table datasets (issue 16): `repair batch answers.jsonl|answers.parquet --answer-field response --out OUT` gives
every input row and column back, in order, plus repaired_<field>, diff, findings and status; one path for both
formats, streamed in record batches. The local engine here; tests/test_ray.py runs the same tables on Ray."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from repair.batch.dataset import BatchConfig, BatchError
from repair.batch.run import run_batch
from repair.cli import app
from repair.batch.tables import ROWS_PER_CHUNK, answer_kind

from conftest import BROKEN, FIXED

STACK = (BROKEN / "backend_use_lockfile" / "dict_override.py").read_text()
FIXED_STACK = (FIXED / "backend_use_lockfile" / "dict_override.py").read_text()
MARKDOWN = "Here is the stack.\n\n## File: lib/tap_stack.py\n\n```python\n{code}```\n\nDeploy it with `cdktf deploy`.\n"


def answers() -> list[dict]:
    """One row of each kind: a markdown answer and a plain module that need repair, clean code, prose, no answer,
    an answer that does not parse; other columns of several types ride along."""
    clean = (FIXED / "no_repair_needed" / "correct_stack.py").read_text()
    return [
        {"id": 0, "response": MARKDOWN.format(code=STACK), "model": "m-1", "score": 0.5, "tags": ["a", "b"]},
        {"id": 1, "response": STACK, "model": "m-2", "score": 1.0, "tags": []},
        {"id": 2, "response": clean, "model": "m-1", "score": 2.25, "tags": ["c"]},
        {"id": 3, "response": "I cannot write that stack, sorry.", "model": "m-3", "score": None, "tags": None},
        {"id": 4, "response": None, "model": "m-2", "score": 0.0, "tags": ["d"]},
        {"id": 5, "response": "import cdktf\ndef (:\n", "model": "m-1", "score": -1.5, "tags": ["é", "ü"]},
        {"id": 6, "response": "```bash\ncdktf deploy\n```\n", "model": "m-2", "score": 3.0, "tags": []},
    ]


def write_jsonl(path, rows, ending="\n") -> bytes:
    data = "".join(json.dumps(row, ensure_ascii=False) + ending for row in rows).encode("utf-8")
    path.write_bytes(data)
    return data


def check_rows(out_rows: list[dict], in_rows: list[dict]) -> None:
    """Every input row back in order with its columns unchanged; the repairs, diffs and statuses each row needs."""
    assert len(out_rows) == len(in_rows)
    for got, given in zip(out_rows, in_rows):
        assert {k: got[k] for k in given} == given  # every input column, unchanged
        assert set(got) == set(given) | {"repaired_response", "diff", "findings", "status"}
    by_id = {row["id"]: row for row in out_rows}
    assert [row["id"] for row in out_rows] == [row["id"] for row in in_rows]
    assert [by_id[i]["status"] for i in range(7)] == ["repaired", "repaired", "clean", "no-code", "no-code",
                                                       "error", "no-code"]
    assert by_id[0]["repaired_response"] == MARKDOWN.format(code=FIXED_STACK)  # the prose kept byte for byte
    assert by_id[1]["repaired_response"] == FIXED_STACK
    assert by_id[1]["diff"].startswith("--- a/response\n+++ b/response\n@@ ")
    assert '\n-            "use_lockfile": True,\n' in by_id[1]["diff"] and "\n+            pass\n" in by_id[1]["diff"]
    findings = [json.loads(by_id[i]["findings"]) for i in range(7)]
    assert findings[0]["kind"] == "markdown" and findings[1]["kind"] == "python"
    assert {f["rule"] for f in findings[0]["rules"]} == {"CDK002"} and all(f["fixed"] for f in findings[1]["rules"])
    assert findings[0]["rules"][0]["message"]
    assert findings[2] == {"kind": "python", "rules": [], "error": None, "warnings": []}
    for i in (3, 4, 6):  # no code: the answer comes back as it was
        assert by_id[i]["repaired_response"] == in_rows[i]["response"] and by_id[i]["diff"] == ""
        assert findings[i] == {"kind": None, "rules": [], "error": None, "warnings": []}
    assert findings[5]["error"]["kind"] == "syntax" and findings[5]["error"]["line"] == 2
    assert by_id[5]["repaired_response"] == in_rows[5]["response"] and by_id[5]["diff"] == ""


def test_a_jsonl_table_comes_back_row_for_row_with_four_keys_more(tmp_path):
    rows = answers()
    source = tmp_path / "answers.jsonl"
    data = write_jsonl(source, rows)
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(source, out, jobs=2))
    assert source.read_bytes() == data  # the dataset is never written
    written = (out / "repaired.jsonl").read_bytes()
    lines = written.split(b"\n")
    assert lines[-1] == b"" and len(lines) == len(rows) + 1
    for line, given in zip(lines[:-1], data.split(b"\n")[:-1], strict=True):
        assert line.startswith(given[:-1] + b", \"repaired_response\": ")  # the row's own bytes, then the keys
    check_rows([json.loads(line) for line in lines[:-1]], rows)
    assert tally.items == 7 and tally.status == {"repaired": 2, "clean": 1, "no-code": 3, "error": 1}
    summary = (out / "summary.md").read_text()
    assert "| no-code | 3 |" in summary and "| CDK002 |" in summary and "| syntax | 1 |" in summary
    assert not list(out.glob("*.partial"))


def test_a_parquet_table_keeps_its_schema_and_every_column(tmp_path):
    rows = answers()
    source = tmp_path / "answers.parquet"
    table = pa.Table.from_pylist(rows).replace_schema_metadata({"origin": "eval-2024"})
    table = table.set_column(table.column_names.index("model"), "model", table["model"].dictionary_encode())
    pq.write_table(table, source, row_group_size=3)  # several row groups: batches cross them
    out = tmp_path / "out"
    run_batch(BatchConfig(source, out, jobs=2))
    result = pq.read_table(out / "repaired.parquet")
    given = pq.read_table(source)
    assert result.schema.metadata == given.schema.metadata
    assert result.select(given.column_names).equals(given)  # every input column and row, unchanged
    assert result.column_names == given.column_names + ["repaired_response", "diff", "findings", "status"]
    check_rows(result.to_pylist(), given.to_pylist())


def test_a_tables_summary_page_charts_the_failures_of_its_rows(tmp_path):
    # As a folder batch's OUT/summary.html charts its items' failures (issue 17), a table's charts its rows'.
    source = tmp_path / "answers.jsonl"
    write_jsonl(source, answers())
    out = tmp_path / "out"
    run_batch(BatchConfig(source, out, jobs=1))
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "7 rows: 1 clean, 2 repaired, 1 error, 3 no-code." in page
    rows = [json.loads(line) for line in (out / "repaired.jsonl").read_text(encoding="utf-8").splitlines()]
    found = [f for row in rows for f in json.loads(row["findings"])["rules"] if not f["suppressed"]]
    assert {f["rule"] for f in found} == {"CDK002"}  # the page's table: the rows' findings, counted
    assert "<tr><td>CDK002</td><td>backend-use-lockfile</td><td>" in page and f"<td>{len(found)}</td>" in page
    assert "Total failures: " in page
    assert "<code>findings</code> column of <code>repaired.jsonl</code>" in page and ".failures.md" not in page
    assert '<img src="failures.svg"' in page and "CDK002" in (out / "failures.svg").read_text(encoding="utf-8")


def test_a_categorical_answer_column_is_read_as_its_text(tmp_path):
    # pandas writes a categorical column as a dictionary of strings: the answers are its values.
    source = tmp_path / "categorical.parquet"
    pq.write_table(pa.table({"response": pa.array([STACK, "hi", None, STACK]).dictionary_encode()}), source,
                   row_group_size=2)
    run_batch(BatchConfig(source, tmp_path / "out", jobs=1))
    result = pq.read_table(tmp_path / "out" / "repaired.parquet")
    assert result.select(["response"]).equals(pq.read_table(source))
    assert result["status"].to_pylist() == ["repaired", "no-code", "no-code", "repaired"]
    assert result["repaired_response"].to_pylist() == [FIXED_STACK, "hi", None, FIXED_STACK]


def test_both_formats_give_the_same_answers_over_many_batches_in_input_order(tmp_path):
    # More rows than one chunk holds, through two workers: the results still come back in input order, and the two
    # formats (one path past their ends) agree on every row.
    rows = [{**row, "id": n} for n in range(3 * ROWS_PER_CHUNK + 5) for row in [answers()[n % 7]]]
    jsonl, parquet = tmp_path / "a.jsonl", tmp_path / "a.parquet"
    write_jsonl(jsonl, rows)
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=50)
    run_batch(BatchConfig(jsonl, tmp_path / "out-jsonl", jobs=2))
    run_batch(BatchConfig(parquet, tmp_path / "out-parquet", jobs=2))
    from_jsonl = [json.loads(line) for line in (tmp_path / "out-jsonl" / "repaired.jsonl").read_text().splitlines()]
    from_parquet = pq.read_table(tmp_path / "out-parquet" / "repaired.parquet").to_pylist()
    assert [row["id"] for row in from_jsonl] == [row["id"] for row in from_parquet] == list(range(len(rows)))
    added = ("repaired_response", "diff", "findings", "status")
    assert [[row[k] for k in added] for row in from_jsonl] == [[row[k] for k in added] for row in from_parquet]
    assert [row["status"] for row in from_jsonl[:7]] == ["repaired", "repaired", "clean", "no-code", "no-code",
                                                         "error", "no-code"]


def test_jsonl_rows_are_kept_byte_for_byte_whatever_they_hold(tmp_path):
    # CRLF endings, a blank line, an empty object, key order and number spellings Arrow would rewrite, a value that
    # is not text, a missing answer, a last line without its newline.
    source = tmp_path / "odd.jsonl"
    lines = [b'{"z": 1.50, "response": "import os\\nx = 1\\n", "a": 1e3}\r\n', b"\r\n", b"{}\r\n",
             b'{"response": ["not", "text"], "n": 10000000000000000000001}\r\n', b'{"other": "\\u00e9"}']
    source.write_bytes(b"".join(lines))
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(source, out, jobs=1))
    written = (out / "repaired.jsonl").read_bytes().split(b"\r\n")
    assert written[0].startswith(b'{"z": 1.50, "response": "import os\\nx = 1\\n", "a": 1e3, "repaired_response": ')
    assert written[1] == b""  # the blank line, as it was
    assert written[2].startswith(b'{"repaired_response": null, ') and written[2].endswith(b'"status": "no-code"}')
    assert written[3].startswith(b'{"response": ["not", "text"], "n": 10000000000000000000001, ')
    assert written[4].startswith(b'{"other": "\\u00e9", ') and not written[4].endswith(b"\n")
    rows = [json.loads(line) for line in written if line]
    assert [row["status"] for row in rows] == ["clean", "no-code", "error", "no-code"]
    assert json.loads(rows[2]["findings"])["error"]["kind"] == "not-text"
    assert tally.items == 4


def test_table_reading_is_streamed_through_a_bounded_window(tmp_path, monkeypatch):
    # Memory stays flat in the table's length: when the first batch is written back, only the batches in flight have
    # been read.
    import repair.batch.tables as tables

    source = tmp_path / "long.jsonl"
    write_jsonl(source, [{"id": n, "response": None} for n in range(50 * ROWS_PER_CHUNK)])
    read, written_at = [], []
    original = tables._Jsonl.batches

    def counted(self):
        for batch in original(self):
            read.append(len(batch[1]))
            yield batch

    original_write = tables._Jsonl.write

    def write(self, lines, results):
        written_at.append(sum(read))
        original_write(self, lines, results)

    monkeypatch.setattr(tables._Jsonl, "batches", counted)
    monkeypatch.setattr(tables._Jsonl, "write", write)
    run_batch(BatchConfig(source, tmp_path / "out", jobs=1))
    in_flight = 1 * tables.CHUNKS_IN_FLIGHT_PER_JOB
    assert written_at[0] <= (in_flight + 1) * ROWS_PER_CHUNK < 50 * ROWS_PER_CHUNK
    assert len((tmp_path / "out" / "repaired.jsonl").read_text().splitlines()) == 50 * ROWS_PER_CHUNK


@pytest.mark.parametrize("text, kind", [
    ("```python\nimport cdktf\n```\n", "markdown"),
    ("Some prose.\n\n```py\nx = 1\n```\n", "markdown"),
    ("```bash\nls\n```\n", None),  # fenced, but no Python block: nothing the markdown repair would touch
    ("from cdktf import App\n", "python"),
    ("class Stack(TerraformStack):\n    def (:\n", "python"),  # reads as Python even though it does not parse
    ("x = 1\n", "python"),
    ("Sure! Here is what I would do.", None),
    ("Hello", None),
    ("", None),
])
def test_an_answer_is_markdown_python_or_no_code(text, kind):
    assert answer_kind(text) == kind


def test_what_a_table_refuses_is_one_line(tmp_path):
    source = tmp_path / "answers.jsonl"
    write_jsonl(source, answers())
    runner = CliRunner()
    parquet = tmp_path / "answers.parquet"
    pq.write_table(pa.Table.from_pylist([{"text": "x = 1\n", "status": "new"}]), parquet)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"response": "x = 1"}\n[1, 2]\n')
    taken = tmp_path / "taken.jsonl"
    taken.write_text('{"response": "x = 1", "diff": "mine"}\n')
    cases = [
        ([str(source), "--out", str(tmp_path / "o1"), "--verify"], "--verify works on dataset folders"),
        ([str(source), "--out", str(tmp_path / "o2"), "--shard", "1/2"], "--shard works on dataset folders"),
        ([str(parquet), "--out", str(tmp_path / "o3")], "no column 'response' for --answer-field (its columns: text, "
                                                        "status)"),
        ([str(parquet), "--out", str(tmp_path / "o4"), "--answer-field", "text"], "already has the column(s) status"),
        ([str(bad), "--out", str(tmp_path / "o5")], "bad.jsonl:2: a JSON list, not an object"),
        ([str(taken), "--out", str(tmp_path / "o6")], "taken.jsonl:1: the row already has the key(s) diff"),
        ([str(source), "--out", str(tmp_path)], "holds the table"),
        ([str(tmp_path / "notes.txt"), "--out", str(tmp_path / "o7")], "a dataset is a folder, or a table"),
        ([str(source), "--out", str(tmp_path / "o8"), "--engine", "spark"], "--engine spark: local"),
        ([str(source), "--out", str(tmp_path / "o9"), "--address", "10.0.0.1:6379"], "it needs --engine ray"),
    ]
    (tmp_path / "notes.txt").write_text("x")
    for args, message in cases:
        result = runner.invoke(app, ["batch", *args, "-q"])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "o5" / "repaired.jsonl").exists() and not list((tmp_path / "o5").glob("*.partial"))


def test_the_cli_prints_the_no_code_rows(tmp_path):
    source = tmp_path / "answers.jsonl"
    write_jsonl(source, answers())
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(tmp_path / "out"), "-q", "-j", "1"])
    assert result.exit_code == 1  # a row errored (the others are still done)
    assert "no-code" in result.output and "Traceback" not in result.output
    assert (tmp_path / "out" / "repaired.jsonl").is_file()


def test_a_file_that_is_not_parquet_is_one_error(tmp_path):
    (tmp_path / "x.parquet").write_text("not parquet")
    with pytest.raises(BatchError, match="x.parquet: not a Parquet file"):
        run_batch(BatchConfig(tmp_path / "x.parquet", tmp_path / "out"))


def test_a_stopped_pool_ends_under_a_parent_sigterm_handler_that_does_not_exit(tmp_path):
    # After `ray.init` the process keeps Ray's SIGTERM handler; a caller may have its own. The pool's workers are
    # forked with it, and Pool.terminate() stops them with SIGTERM: a worker that survives it leaves the run
    # waiting forever (seen in the test session after the Ray tests). The run must end with its one-line error.
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"response": "x = 1"}\n' * 50 + "[1, 2]\n")
    script = (
        "import signal, sys\n"
        "signal.signal(signal.SIGTERM, lambda signum, frame: None)\n"
        "from repair.cli import main\n"
        f"sys.argv = ['repair', 'batch', {str(bad)!r}, '--out', {str(tmp_path / 'out')!r}, '-q', '-j', '2']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "bad.jsonl:51: a JSON list, not an object" in done.stderr, done.stderr
