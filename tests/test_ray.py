"""`repair batch --engine ray` on a real local Ray (issue 16), started once for the module (`num_cpus=2`): the same
outputs as the local engine, byte for byte; --resume and --shard as they are; a worker killed mid-run and its
items run again, the retry recorded; tables on Ray; --verify with a synth actor."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import ray
from typer.testing import CliRunner

import repair.batch.run
from repair.batch.dataset import BatchConfig, Shard
from repair.batch.pools import CHUNK
from repair.batch.report import merge_reports
from repair.batch.run import run_batch
from repair.cli import app
from repair.batch.ray_engine import KILL_ENV

from conftest import BROKEN, ROOT, stop_when
from test_batch import make_dataset, records, snapshot
from test_tables import answers, write_jsonl

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory):
    """One local Ray for the module (starting one costs 10-20 s here). Its workers inherit this environment, so the
    provider-index cache is the test session's own, as conftest's fixture makes it for the driver."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDKTF_REPAIR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "provider-cache"))
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            yield
        finally:
            ray.shutdown()


def dataset_of(root):
    """Answers, stacks, a file that does not parse, a FIFO item, and projects whose repair reads their other files
    (CDK008: the entry's call; CDK019: the Lambda source folders)."""
    make_dataset(root)
    for sample in ("review_system", "lambda_code_asset", "stack_constructor_contract"):
        shutil.copytree(BROKEN / sample, root / sample)
    os.mkfifo(root / "task3" / "pipe.py")
    return root


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return dataset_of(tmp_path_factory.mktemp("ray") / "dataset")


@pytest.fixture(scope="module")
def local_out(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    run_batch(BatchConfig(dataset, out, jobs=2))
    return out


RUN_PAGES = ("summary.md", "summary.html", "failures.svg")  # of the whole run, not of an item


def outputs(out):
    return {path: digest for path, digest in snapshot(out).items() if path not in ("report.jsonl", *RUN_PAGES)}


def pages(out):
    """summary.html and its chart: the failures by rule and impact level (no timing in them)."""
    return {name: (out / name).read_bytes() for name in ("summary.html", "failures.svg")}


def timeless(report, drop=("seconds",)):
    return [{k: v for k, v in record.items() if k not in drop} for record in report]


def summary_lines(out):
    # The summary less its timing line ("N items in X s (Y items/s)").
    return [line for line in (out / "summary.md").read_text().splitlines() if " items in " not in line
            and not line.startswith("Dataset ")]


def test_ray_writes_what_the_local_engine_writes(dataset, local_out, tmp_path):
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=2, engine="ray"))
    # Every repaired file, patch, review, failure analysis and answer file, byte for byte.
    assert outputs(out) == outputs(local_out)
    assert timeless(records(out)) == timeless(records(local_out))  # the same records, in the same order
    assert summary_lines(out) == summary_lines(local_out)
    assert pages(out) == pages(local_out)
    analyses = {path for path in outputs(out) if path.endswith(".failures.md")}
    assert "task1/lib/MODEL_RESPONSE.md.failures.md" in analyses and "review_system/lib/tap_stack.py.failures.md" \
        in analyses  # written by the workers, sent back with the other outputs
    by_path = {r["path"]: r for r in records(out)}
    # What the workers could only get right with the project's files sent along, and the FIFO laid out as one.
    assert "CDK008" in {f["rule"] for f in by_path["stack_constructor_contract/renamed_class/lib/tap_stack.py"]["rules"]}
    assert by_path["task3/pipe.py"]["error"]["kind"] == "special-file"
    assert not any("retries" in r for r in records(out))
    assert tally.status["repaired"] == sum(1 for r in records(local_out) if r["status"] == "repaired") > 0
    assert not tally.notes


def test_resume_and_shards_on_ray_are_the_local_engines(dataset, local_out, tmp_path):
    # Shards: each takes the local engine's share, and merged they are the whole run.
    for k in (1, 2):
        run_batch(BatchConfig(dataset, tmp_path / f"shard-{k}", jobs=2, engine="ray", shard=Shard(k, 2)))
        assert [r["path"] for r in records(tmp_path / f"shard-{k}")] == \
            [r["path"] for r in records(local_out) if Shard(k, 2).owns(r["path"])]
    merge_reports([tmp_path / "shard-1", tmp_path / "shard-2"], tmp_path / "merged")
    assert timeless(records(tmp_path / "merged")) == sorted(timeless(records(local_out)), key=lambda r: r["path"])
    merged_outputs = {**outputs(tmp_path / "shard-1"), **outputs(tmp_path / "shard-2")}
    assert merged_outputs == outputs(local_out)
    # Each shard's page charts its share; the merged page the whole run, as the local run's does.
    merged, local = pages(tmp_path / "merged"), pages(local_out)
    assert merged["failures.svg"] == local["failures.svg"]
    table = re.compile(rb"<table>.*</table>", re.S)
    assert table.search(merged["summary.html"]).group() == table.search(local["summary.html"]).group()
    # Resume: one item changed since; only it is sent, and the outputs are those of a fresh local run.
    changed = tmp_path / "changed"
    shutil.copytree(dataset, changed, symlinks=True, ignore=lambda folder, names: [n for n in names if n == "pipe.py"])
    os.mkfifo(changed / "task3" / "pipe.py")
    shutil.copytree(local_out, tmp_path / "resumed")
    (changed / "task2" / "clean.py").write_text((BROKEN / "backend_use_lockfile" / "dict_override.py").read_text())
    tally = run_batch(BatchConfig(changed, tmp_path / "resumed", jobs=2, engine="ray", resume=True))
    errors = sum(1 for r in records(local_out) if r["status"] == "error")  # errors are always run again
    assert tally.resumed == len(records(local_out)) - 1 - errors
    run_batch(BatchConfig(changed, tmp_path / "fresh", jobs=2))
    assert outputs(tmp_path / "resumed") == outputs(tmp_path / "fresh")
    assert timeless(records(tmp_path / "resumed")) == timeless(records(tmp_path / "fresh"))
    assert pages(tmp_path / "resumed") == pages(tmp_path / "fresh")  # resumed records counted as fresh ones


def test_a_worker_killed_mid_run_is_replaced_and_its_chunk_retried(dataset, local_out, tmp_path, monkeypatch):
    marker = tmp_path / "died-once"
    monkeypatch.setenv(KILL_ENV, f"review_system/lib/tap_stack.py={marker}")
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=2, engine="ray"))
    assert marker.is_file()  # the worker did die
    retried = [r for r in records(out) if "retries" in r]
    assert "review_system/lib/tap_stack.py" in {r["path"] for r in retried}
    assert {r["retries"] for r in retried} == {1} and 0 < len(retried) <= 16  # its chunk, once
    # Nothing else differs: the retry's outputs and records are the first run's.
    assert outputs(out) == outputs(local_out)
    assert timeless(records(out), ("seconds", "retries")) == timeless(records(local_out))
    assert any("sent again after their worker died" in note for note in tally.notes)


def test_an_item_that_kills_every_worker_costs_only_itself(tmp_path, monkeypatch):
    dataset = make_dataset(tmp_path / "dataset")
    monkeypatch.setenv(KILL_ENV, "task2/stack.py=")  # no marker: it dies every time
    # One chunk for the four items (the end of a listing is otherwise cut into chunks of one item), so that the
    # killed item has neighbours in its chunk.
    monkeypatch.setattr(repair.batch.run, "_chunk_sizes",
                        lambda units, jobs: ((unit, CHUNK) for unit in units))
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=2, engine="ray"))
    by_path = {r["path"]: r for r in records(out)}
    lost = by_path.pop("task2/stack.py")
    assert lost["status"] == "error" and lost["error"]["kind"] == "worker-lost" and lost["retries"] == 2
    assert "died 3 times" in lost["error"]["message"]
    # The rest of its chunk went again one by one (the third attempt) and came back as usual.
    assert by_path["task2/clean.py"]["status"] == "clean" and by_path["task2/clean.py"]["retries"] == 2
    assert by_path["task1/lib/MODEL_RESPONSE.md"]["status"] == "repaired"
    assert tally.errors["worker-lost"] == 1 and any("1 item(s) lost" in note for note in tally.notes)


def test_tables_on_ray_are_the_local_engines_byte_for_byte(tmp_path):
    rows = [{**row, "id": n} for n in range(150) for row in [answers()[n % 7]]]
    jsonl, parquet = tmp_path / "a.jsonl", tmp_path / "a.parquet"
    write_jsonl(jsonl, rows)
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=40)
    for source, name in ((jsonl, "repaired.jsonl"), (parquet, "repaired.parquet")):
        run_batch(BatchConfig(source, tmp_path / f"local-{name}", jobs=2))
        tally = run_batch(BatchConfig(source, tmp_path / f"ray-{name}", jobs=2, engine="ray"))
        assert (tmp_path / f"ray-{name}" / name).read_bytes() == (tmp_path / f"local-{name}" / name).read_bytes()
        assert tally.items == 150 and tally.status["no-code"] == sum(1 for n in range(150) if n % 7 in (3, 4, 6))
        assert pages(tmp_path / f"ray-{name}") == pages(tmp_path / f"local-{name}")


def test_sigterm_ends_a_ray_batch_like_ctrl_c_and_resume_continues(tmp_path):
    # A scheduler's stop (SIGTERM) while chunks are out on Ray: the work in flight is cancelled, the Ray started for
    # the run shut down, report.jsonl holds what finished (exit 130), and --resume continues from there.
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    sample = (BROKEN / "backend_use_lockfile" / "dict_override.py").read_bytes()
    for n in range(320):
        (dataset / f"stack_{n:03}.py").write_bytes(sample)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out), "--engine",
                                "ray", "-j", "1", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               start_new_session=True)
    partial = out / "report.jsonl.partial"
    # Starting a Ray takes 10-20 s here: stopped once three records are written.
    stderr = stop_when(process, lambda: partial.is_file() and partial.read_text().count("\n") >= 3, polls=6000,
                       timeout=300)
    assert process.returncode == 130, stderr.decode()
    assert "holds what finished; --resume continues" in stderr.decode() and "Traceback" not in stderr.decode()
    done = records(out)
    assert 3 <= len(done) < 320 and not partial.exists()
    assert [r["path"] for r in done] == [f"stack_{n:03}.py" for n in range(len(done))]  # in item order
    assert all((out / f"{r['path']}.failures.md").is_file() for r in done)
    # Resumed with the same command (its settings: the CLI's rules), on the module's Ray.
    resumed = CliRunner().invoke(app, ["batch", str(dataset), "--out", str(out), "--engine", "ray", "-j", "2",
                                       "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert f"320 items, {len(done)} resumed" in resumed.output, resumed.output
    assert len(records(out)) == 320 and all(r["status"] == "repaired" for r in records(out))


def test_the_cli_starts_a_local_ray_and_says_nothing_of_it(tmp_path):
    # Without --address a Ray of its own is started and shut down; Ray's own chatter never reaches the user, not
    # even when a worker dies (Ray's driver prints "(raylet) A worker died ..." to standard output): the engine's
    # note says it.
    dataset = tmp_path / "dataset"
    (dataset / "task").mkdir(parents=True)
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", dataset / "task" / "stack.py")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), KILL_ENV: f"task/stack.py={tmp_path / 'died-once'}"}
    done = subprocess.run([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out), "--engine", "ray",
                           "-q", "-j", "1"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "died-once").is_file()
    assert done.stderr == "ray: 1 chunk(s) sent again after their worker died; their records say how often (retries)\n"
    assert done.stdout.startswith("status ") and "died" not in done.stdout
    assert "repaired           1" in done.stdout
    assert (out / "task" / "stack.py").read_text() == (ROOT / "fixed_samples" / "backend_use_lockfile" /
                                                      "dict_override.py").read_text()
    bad = subprocess.run([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(tmp_path / "o2"),
                          "--engine", "ray", "--address", "127.0.0.1:1", "-q"], capture_output=True, text=True,
                         env=env, timeout=600)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("repair: error: cannot connect to the Ray cluster at 127.0.0.1:1")


@pytest.mark.synth
def test_verify_on_ray_proves_each_project_in_one_synth_actor(tmp_path, monkeypatch):
    # One actor, one provider load: the actor is killed before its first chunk, its place taken by a new actor,
    # which proves the project (before: CDK001's failure; after: synthesizes clean) and loads the provider once.
    if shutil.which("node") is None:
        pytest.fail("Node.js is required for the synth tests (jsii runs the provider on it)")
    dataset = tmp_path / "dataset"
    shutil.copytree(ROOT / "tests" / "projects" / "two_modules", dataset)
    shutil.copytree(dataset / "shop", dataset / "store")  # a second project: proven on its own, once
    marker = tmp_path / "died-once"
    monkeypatch.setenv(KILL_ENV, f"shop/tap.py={marker}")
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=1, engine="ray", verify=True))
    report = records(out)
    assert marker.is_file() and all(r["retries"] == 1 for r in report)
    assert [r["status"] for r in report] == ["clean", "clean", "clean", "repaired", "repaired"] * 2
    for project, members in (("shop", report[:5]), ("store", report[5:])):
        proof = members[0]["verify"]
        assert all(r["verify"] == proof for r in members)  # one proof per project, in each of its records
        assert proof["project"] == project
        assert proof["repaired"] == [f"{project}/lib/storage.py", f"{project}/lib/tap_stack.py"]
        assert not proof["before"]["ok"] and proof["before"]["rule"] == "CDK001"
        assert proof["after"]["ok"] and proof["after"]["json_findings"] == []
    assert tally.verified == 2 and tally.repaired_projects == {"shop", "store"}
    assert "ray: 1 synth actor(s) proved the projects, the provider loaded 1 time(s)" in tally.notes
    assert (out / "shop" / "lib" / "storage.py").is_file()
    assert (out / "store" / "lib" / "tap_stack.py.failures.md").is_file()
    assert "| repaired and verified | 2 |" in (out / "summary.md").read_text()
    # Resumed whole, project by project: nothing is sent to an actor again, the proofs come from the report.
    monkeypatch.delenv(KILL_ENV)
    again = run_batch(BatchConfig(dataset, out, jobs=1, engine="ray", verify=True, resume=True))
    assert again.resumed == 10 and again.verified == 2
    assert not any("proved the projects" in note for note in again.notes)
    assert timeless(records(out), ("seconds", "retries")) == timeless(report, ("seconds", "retries"))
