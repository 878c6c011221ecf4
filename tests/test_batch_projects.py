"""`repair batch --verify` proves each project once (issue 18): the items of a project are repaired, then the
project is synthesized as it is and with all of its repaired items in place, and every item's record carries that
one outcome; a project's items travel together to one worker, one shard and one resume decision."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import ROOT

PROJECTS = ROOT / "tests" / "projects"
RECORD_SCHEMA = json.loads((ROOT / "docs" / "batch-record.schema.json").read_text())


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}

class CountingWorker:
    """The session's worker standing in for `SynthWorker(...)`, writing each synthesis to a log (batch workers are
    forked processes: a file is what the test can read back)."""

    def __init__(self, worker, log: Path) -> None:
        self.worker, self.log = worker, log

    def __call__(self, *args, **kwargs) -> "CountingWorker":
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def synth(self, project, *args, **kwargs):
        with self.log.open("a") as handle:
            handle.write(f"{project}\n")
        return self.worker.synth(project, *args, **kwargs)

    def close(self) -> None:
        return None


@pytest.mark.synth
def test_batch_proves_a_project_of_two_repaired_modules_once(synth_worker, tmp_path, monkeypatch):
    import jsonschema

    import repair.proof.synth
    from repair.batch.dataset import BatchConfig
    from repair.batch.run import run_batch

    log = tmp_path / "synths.log"
    monkeypatch.setattr(repair.proof.synth, "SynthWorker", CountingWorker(synth_worker, log))
    dataset = PROJECTS / "two_modules"
    untouched = snapshot(dataset)
    out = tmp_path / "out"
    tally = run_batch(BatchConfig(dataset, out, jobs=1, verify=True))
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    for record in records:
        jsonschema.validate(record, RECORD_SCHEMA)
    assert [r["path"] for r in records] == ["shop/tap.py", "shop/lib/__init__.py", "shop/lib/naming.py",
                                            "shop/lib/storage.py", "shop/lib/tap_stack.py"]
    assert [r["status"] for r in records] == ["clean", "clean", "clean", "repaired", "repaired"]
    proof = records[0]["verify"]
    assert all(r["verify"] == proof for r in records)  # every item points at the one outcome of its project
    assert proof["project"] == "shop" and proof["repaired"] == ["shop/lib/storage.py", "shop/lib/tap_stack.py"]
    assert not proof["before"]["ok"] and proof["before"]["rule"] == "CDK001"
    # Each module alone leaves the other's failure: only both in place synthesize.
    assert proof["after"]["ok"] and proof["after"]["json_findings"] == []
    assert len(log.read_text().splitlines()) == 2  # the project twice (before, after), not twice per module
    assert tally.verified == 1 and tally.repaired_projects == {"shop"}
    summary = (out / "summary.md").read_text()
    assert "| repaired | 1 |" in summary and "| repaired and verified | 1 |" in summary
    assert snapshot(dataset) == untouched
    # Resumed whole: the project's proof is taken from the report, nothing is synthesized again.
    resumed = run_batch(BatchConfig(dataset, out, jobs=1, verify=True, resume=True))
    assert resumed.resumed == 5 and resumed.verified == 1
    assert len(log.read_text().splitlines()) == 2


def test_the_items_of_a_project_travel_together(tmp_path, monkeypatch):
    """One shard, one chunk and one resume decision hold every item of a project (no synth: the pool is a fake
    that records the chunks it is sent)."""
    from repair.batch.dataset import BatchConfig, Shard, iter_items, project_key, unit_key
    from repair.batch.report import Tally
    from repair.batch.run import _ordered_records

    dataset = tmp_path / "dataset"
    for task in ("alpha", "beta"):
        (dataset / task / "lib" / "lambda").mkdir(parents=True)
        (dataset / task / "tap.py").write_text("x = 1\n")
        for module in ("a", "b", "c"):
            (dataset / task / "lib" / f"{module}.py").write_text("x = 1\n")
        (dataset / task / "lib" / "lambda" / "handler.py").write_text("x = 1\n")
        (dataset / task / "lib" / "MODEL_RESPONSE.md").write_text("answer\n")
    (dataset / "alpha" / "nested" / "lib").mkdir(parents=True)  # a project inside a project
    (dataset / "alpha" / "nested" / "cdktf.json").write_text("{}")
    (dataset / "alpha" / "nested" / "main.py").write_text("x = 1\n")
    (dataset / "alpha" / "zz.py").write_text("x = 1\n")
    (dataset / "loose.py").write_text("x = 1\n")
    patterns = ("*.py", "MODEL_RESPONSE*.md")
    items = list(iter_items(dataset, patterns))
    keys = {item: project_key(dataset, item) for item in items}
    assert keys["alpha/lib/lambda/handler.py"] == "alpha" and keys["alpha/zz.py"] == "alpha"
    assert keys["alpha/nested/main.py"] == "alpha/nested" and keys["loose.py"] == "loose.py"
    assert keys["alpha/lib/MODEL_RESPONSE.md"] == "alpha/lib/MODEL_RESPONSE.md"  # an answer is its own project
    assert {unit_key(dataset, item) for item in items if item.startswith("alpha/")} == {"alpha"}
    # Sharded by project: each project's items in exactly one shard.
    for count in (2, 3):
        owners = {}
        for index in range(1, count + 1):
            for item in iter_items(dataset, patterns, Shard(index, count), lambda r: project_key(dataset, r)):
                owners.setdefault(keys[item], set()).add(index)
        assert all(len(shards) == 1 for shards in owners.values())
        assert sum(1 for _ in owners) == len(set(keys.values()))

    sent = []

    class Pool:
        def apply_async(self, function, args):
            sent.append(list(args[2]))

            class Done:
                def get(self):
                    return [{"path": relative} for relative in args[2]]
            return Done()

    config = BatchConfig(dataset, tmp_path / "out", verify=True)
    written = [r["path"] for r in _ordered_records(Pool(), config, iter(items), {}, Tally(), in_flight=2)]
    assert written == items
    for chunk in sent:  # no unit is split between chunks
        assert all(all(unit_key(dataset, other) != unit_key(dataset, item) for other in items if other not in chunk)
                   for item in chunk)
    # A unit is resumed whole or not at all: one changed item sends its whole unit again.
    import repair.batch.run

    finished = {item: {"path": item, "verify": {}} for item in items}
    monkeypatch.setattr(repair.batch.run, "_resumable",
                        lambda config, relative, old: None if relative == "beta/lib/b.py" else old)
    sent.clear()
    tally = Tally()
    written = [r["path"] for r in _ordered_records(Pool(), config, iter(items), finished, tally, in_flight=2)]
    assert written == items
    assert sent == [[item for item in items if item.startswith("beta/")]]
    assert tally.resumed == len(items) - len(sent[0])
