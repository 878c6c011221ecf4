"""`repair batch` over a small dataset built from the samples: outputs, order, resume, shards, isolation."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from repair.batch.dataset import BatchConfig, BatchError, Shard, check_folders, iter_items
from repair.batch.report import merge_reports
from repair.batch.run import run_batch
from repair.cli import app

from conftest import BROKEN, FIXED, ROOT

ANSWER = """# Product reviews

Here is the stack.

## File: lib/tap_stack.py

```python
{stack}```

### lib/lambda/review_processor/index.py
```python
def handler(event, context):
    return event
```

```bash
self.add_override("terraform.backend.s3.use_lockfile", True)
```

## File: ../outside.py
```python
x = 1
```
"""


def make_dataset(root):
    """Three task folders: a broken answer, a broken stack file, a clean file, and a file that does not parse."""
    stack = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text()
    (root / "task1" / "lib").mkdir(parents=True)
    (root / "task1" / "lib" / "MODEL_RESPONSE.md").write_text(ANSWER.format(stack=stack))
    (root / "task1" / "lib" / "README.md").write_text("not an item\n")
    shutil.copy(BROKEN / "review_system" / "cdktf.json", root / "task1" / "cdktf.json")
    (root / "task1" / "main.txt").write_text("the task's entry comes with it, as in real datasets\n")
    (root / "task2").mkdir()
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", root / "task2" / "stack.py")
    shutil.copy(FIXED / "no_repair_needed" / "correct_stack.py", root / "task2" / "clean.py")
    (root / "task3").mkdir()
    (root / "task3" / "bad.py").write_text("import cdktf_cdktf_provider_aws\ndef (:\n")
    return root


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


RECORD_SCHEMA = json.loads((ROOT / "docs" / "batch-record.schema.json").read_text())


def records(out):
    """The report's records, each checked against the documented schema (docs/batch-record.schema.json)."""
    import jsonschema

    found = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    for record in found:
        jsonschema.validate(record, RECORD_SCHEMA)
    return found


@pytest.fixture
def dataset(tmp_path):
    return make_dataset(tmp_path / "dataset")


def test_batch_outputs_report_and_leaves_dataset_untouched(dataset, tmp_path):
    before = snapshot(dataset)
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=2))
    assert snapshot(dataset) == before

    report = records(out)
    assert [r["path"] for r in report] == sorted(r["path"] for r in report)  # stable order
    by_path = {r["path"]: r for r in report}
    assert set(by_path) == {"task1/lib/MODEL_RESPONSE.md", "task2/clean.py", "task2/stack.py", "task3/bad.py"}
    assert by_path["task2/clean.py"]["status"] == "clean"
    assert by_path["task2/stack.py"]["status"] == "repaired"
    assert by_path["task3/bad.py"]["status"] == "error"  # isolated: the others still ran
    assert by_path["task3/bad.py"]["error"]["kind"] == "syntax" and by_path["task3/bad.py"]["error"]["line"] == 2

    answer = by_path["task1/lib/MODEL_RESPONSE.md"]
    assert answer["status"] == "repaired"
    assert {f["rule"] for f in answer["rules"]} == {"CDK001", "CDK002", "CDK003", "CDK004", "CDK005"}
    assert answer["files"] == ["lib/tap_stack.py", "lib/lambda/review_processor/index.py"]
    assert "refused" in answer["refused"][0] and "../outside.py" in answer["refused"][0]
    assert not (out / "task1" / "outside.py").exists() and not (tmp_path / "outside.py").exists()
    extracted = out / "task1" / "lib" / "MODEL_RESPONSE.md.files" / "lib" / "tap_stack.py"
    assert extracted.read_text() == (FIXED / "review_system" / "lib" / "tap_stack.py").read_text()

    # The repaired answer differs from the input only inside the repaired python block.
    original = (dataset / "task1" / "lib" / "MODEL_RESPONSE.md").read_text()
    repaired = (out / "task1" / "lib" / "MODEL_RESPONSE.md").read_text()
    stack = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text()
    assert repaired == original.replace(stack, extracted.read_text())
    assert 'self.add_override("terraform.backend.s3.use_lockfile", True)' in repaired  # the bash block

    review = (out / "task2" / "stack.py.review.md").read_text()
    assert "# CDK002 backend-use-lockfile" in review and "```diff" in review

    assert tally.status == {"clean": 1, "repaired": 2, "error": 1}
    summary = (out / "summary.md").read_text()
    assert "| repaired | 2 |" in summary and "| syntax | 1 |" in summary


@pytest.mark.skipif(shutil.which("git") is None, reason="git needed")
def test_patches_apply_with_git(dataset, tmp_path):
    out = tmp_path / "out"
    run_batch(BatchConfig(dataset, out, jobs=1))
    work = tmp_path / "work"
    shutil.copytree(dataset, work)
    for patch in sorted(out.rglob("*.patch")):
        subprocess.run(["git", "apply", "--check", str(patch)], cwd=work, check=True)
        subprocess.run(["git", "apply", str(patch)], cwd=work, check=True)
    for relative in ("task1/lib/MODEL_RESPONSE.md", "task2/stack.py"):
        assert (work / relative).read_bytes() == (out / relative).read_bytes()


def test_resume_skips_finished_items_and_reruns_changed_ones(dataset, tmp_path):
    out = tmp_path / "out"
    run_batch(BatchConfig(dataset, out, jobs=1))
    first = records(out)
    (dataset / "task2" / "clean.py").write_text("x = 2\n")  # changed input: must be redone
    tally = run_batch(BatchConfig(dataset, out, jobs=1, resume=True))
    # Finished and unchanged items are resumed; the changed one and the errored one run again.
    assert tally.resumed == 2
    second = records(out)
    assert [r["path"] for r in second] == [r["path"] for r in first]
    assert {r["path"]: r["sha256"] for r in second}["task2/clean.py"] != {r["path"]: r["sha256"] for r in first}["task2/clean.py"]


def test_shards_are_disjoint_and_complete_and_merge(dataset, tmp_path):
    everything = set(iter_items(dataset, BatchConfig.patterns))
    shards = [set(iter_items(dataset, BatchConfig.patterns, Shard(k, 3))) for k in (1, 2, 3)]
    assert set().union(*shards) == everything
    assert sum(len(s) for s in shards) == len(everything)
    outs = []
    for k in (1, 2, 3):
        outs.append(tmp_path / f"out{k}")
        run_batch(BatchConfig(dataset, outs[-1], jobs=1, shard=Shard(k, 3)))
    merged = merge_reports(outs, tmp_path / "merged")
    assert merged.items == len(everything)
    assert [r["path"] for r in records(tmp_path / "merged")] == sorted(everything)


def test_output_inside_dataset_is_refused(dataset, tmp_path):
    with pytest.raises(BatchError):
        check_folders(dataset, dataset / "out")
    with pytest.raises(BatchError):
        check_folders(dataset, dataset.parent)
    with pytest.raises(BatchError):
        Shard.parse("4/3")


def test_cli_batch_exit_codes_and_table(dataset, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out"), "-q", "-j", "1"])
    assert result.exit_code == 1  # task3/bad.py errored
    assert "repaired" in result.stdout and "CDK002" in result.stdout
    shutil.rmtree(dataset / "task3")
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out2"), "-q", "-j", "1"])
    assert result.exit_code == 0
    assert runner.invoke(app, ["batch", str(dataset), "--out", str(dataset / "o")]).exit_code == 2


@pytest.mark.synth
def test_batch_verify_records_synth_before_and_after(tmp_path, shared_synth):
    dataset = tmp_path / "dataset"
    (dataset / "task1" / "lib").mkdir(parents=True)
    stack = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text()
    (dataset / "task1" / "lib" / "MODEL_RESPONSE.md").write_text(ANSWER.format(stack=stack))
    shutil.copy(BROKEN / "review_system" / "tap.py", dataset / "task1" / "tap.py")
    shutil.copy(BROKEN / "review_system" / "cdktf.json", dataset / "task1" / "cdktf.json")
    (dataset / "task1" / "lib" / "__init__.py").write_text("")
    handler = BROKEN / "review_system" / "lib" / "lambda" / "review_processor" / "index.py"
    answer = dataset / "task1" / "lib" / "MODEL_RESPONSE.md"
    answer.write_text(answer.read_text().replace("def handler(event, context):\n    return event\n", handler.read_text()))
    tally = run_batch(BatchConfig(dataset, tmp_path / "out", jobs=1, verify=True, patterns=("MODEL_RESPONSE*.md",)))
    (record,) = records(tmp_path / "out")
    assert record["verify"]["before"]["rule"] == "CDK001" and not record["verify"]["before"]["ok"]
    assert record["verify"]["after"]["ok"] and record["verify"]["after"]["json_findings"] == []
    assert record["verify"]["layout"] == {"has_stack": True, "entry": "tap.py", "moves": [], "reason": ""}
    assert tally.verified == 1
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "| repaired and verified | 1 |" in summary
    # Which sandbox the answers ran in: said once in the summary, and in each record.
    assert record["verify"]["sandbox"] == shared_synth.sandbox.level == "bwrap"
    assert f"Synthesized in the sandbox: {shared_synth.sandbox.describe()}." in summary


def test_interrupt_keeps_the_report_of_what_finished_and_resume_completes_it(dataset, tmp_path):
    out = tmp_path / "out"

    def interrupt_after_first(done, total, seconds):
        if done == 1:
            raise KeyboardInterrupt  # what Ctrl-C raises in the parent

    tally = run_batch(BatchConfig(dataset, out, jobs=1), progress=interrupt_after_first)
    assert tally.interrupted
    assert len(records(out)) == 1 and "interrupted" in (out / "summary.md").read_text()
    resumed = run_batch(BatchConfig(dataset, out, jobs=1, resume=True))
    assert resumed.resumed == 1 and len(records(out)) == 4


@pytest.mark.parametrize("jobs", [1, 2])
def test_items_stream_through_a_bounded_window_and_come_out_in_order(tmp_path, jobs):
    # Memory stays flat in the number of items: the listing is read only as far as the work in flight (and two
    # chunks a worker further, to see its end coming). Chunks hold CHUNK items, and the last ones fewer and fewer,
    # down to one: the workers, which take them in order, finish together.
    from repair.batch.pools import CHUNK
    from repair.batch.report import Tally
    from repair.batch.run import _ordered_records

    listed = []
    sent = []

    def items():
        for n in range(1000):
            listed.append(n)
            yield f"t{n:04d}/stack.py"

    class Finished:  # a pool whose chunks come back at once, in whatever order they are asked for
        def __init__(self, chunk):
            self.chunk = chunk

        def get(self):
            return [{"path": relative} for relative in self.chunk]

    class Pool:
        def apply_async(self, function, args):
            sent.append(len(args[2]))
            return Finished(args[2])

    records = _ordered_records(Pool(), BatchConfig(tmp_path, tmp_path / "out"), items(), {}, Tally(), in_flight=4,
                               jobs=jobs)
    first = next(records)
    assert first == {"path": "t0000/stack.py"}
    assert len(listed) <= (4 + 1) * CHUNK + 2 * jobs * CHUNK + 1
    assert [r["path"] for r in [first, *records]] == [f"t{n:04d}/stack.py" for n in range(1000)]
    assert sum(sent) == 1000 and sent[0] == CHUNK and sent[-1] == 1
    tail = sent[next(n for n, size in enumerate(sent) if size < CHUNK):]
    assert sorted(tail, reverse=True) == tail and len(tail) >= 2 * jobs
    assert all(size == CHUNK for size in sent[:len(sent) - len(tail)])
    assert sum(tail) <= 2 * jobs * CHUNK + CHUNK


def test_the_record_schema_refuses_what_batch_never_writes():
    import jsonschema

    good = {"path": "t/a.py", "status": "clean", "rules": [], "error": None, "tool": "0.1.0", "seconds": 0.01}
    jsonschema.validate(good, RECORD_SCHEMA)
    for bad in ({**good, "status": "fixed"}, {**good, "surprise": 1}, {k: v for k, v in good.items() if k != "tool"},
                {**good, "rules": [{"rule": "X1", "line": 1, "column": 1, "fixed": True, "suppressed": False}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, RECORD_SCHEMA)


def test_an_items_project_is_found_where_the_item_is_not_from_the_working_folder(tmp_path, monkeypatch):
    # CDK008 reads the stack's project (its tap.py): the batch must find it from the dataset, whichever folder the
    # batch is started in (the tests run from the repository's root, where these relative paths lead nowhere).
    dataset = tmp_path / "dataset"
    shutil.copytree(BROKEN / "stack_constructor_contract", dataset)
    outs = []
    for cwd in (ROOT, dataset):
        monkeypatch.chdir(cwd)
        outs.append(tmp_path / f"out-{len(outs)}")
        run_batch(BatchConfig(dataset, outs[-1], jobs=1))
    found = {r["path"]: [f["rule"] for f in r["rules"]] for r in records(outs[0])}
    assert "CDK008" in found["renamed_class/lib/tap_stack.py"]
    repaired = [{k: v for k, v in snapshot(out).items() if k not in ("summary.md", "report.jsonl")} for out in outs]
    assert repaired[0] == repaired[1]
    assert [{**r, "seconds": 0} for r in records(outs[0])] == [{**r, "seconds": 0} for r in records(outs[1])]
    assert (outs[0] / "renamed_class" / "lib" / "tap_stack.py").read_text() == \
        (FIXED / "stack_constructor_contract" / "renamed_class" / "lib" / "tap_stack.py").read_text()


def test_workers_stopped_before_their_initializer_still_end(tmp_path):
    # A caller's SIGTERM handler that does not exit is inherited by the forked workers until their initializer
    # restores the default action. A stop in that window (here widened to a second) must still end them: SIGTERM is
    # blocked from the fork to the initializer, so it waits and then kills. Without that, terminate() waits forever.
    import sys

    script = (
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, lambda signum, frame: None)\n"
        "from repair.batch import dataset, pools, report\n"
        "original = pools.init_worker\n"
        "def slow_start(*args):\n"
        "    time.sleep(1)\n"
        "    original(*args)\n"
        "pools.init_worker = slow_start\n"
        f"config = dataset.BatchConfig({str(tmp_path)!r}, {str(tmp_path / 'out')!r}, jobs=2)\n"
        "pool, jobs = pools.start_pool(config, report.Tally())\n"
        "pools.stop_pool(pool, stopped=True)\n"
        "print('stopped')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "stopped", done.stderr
