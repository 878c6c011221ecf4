"""One run object: what the command line asked for, passed down to the runner and the batch."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from repair.batch import BatchConfig, BatchError, run_batch
from repair.run import Run, UsageError
from repair.runner import outcomes

from conftest import BROKEN


def test_a_run_merges_its_flags_over_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nselect = ["CDK005"]\nterraform-version = "1.9"\n')
    assert [r.id for r in Run().settings(tmp_path).rules] == ["CDK005"]
    settings = Run(select=("CDK002",), terraform_version="1.11").settings(tmp_path)
    assert [r.id for r in settings.rules] == ["CDK002"]
    assert settings.options.terraform_version == (1, 11)
    with pytest.raises(UsageError, match="unknown rule 'CDK999'"):
        Run(select=("CDK999",)).settings(tmp_path)


def test_missing_paths_and_standard_input():
    assert Run(paths=("nope.py", str(BROKEN))).missing_paths() == ["nope.py"]
    assert Run(paths=("-",)).stdin and Run(paths=("-",)).missing_paths() == []
    with pytest.raises(UsageError, match="cannot be mixed"):
        Run(paths=("-", str(BROKEN))).missing_paths()


def test_the_runner_repairs_what_a_run_names_without_the_cli(tmp_path):
    sample = tmp_path / "stack.py"
    shutil.copy(BROKEN / "backend_use_lockfile" / "self_override_with_comment.py", sample)
    original = sample.read_text()
    (only,) = outcomes(Run(paths=(str(sample),), terraform_version="1.9"))
    assert [f.rule_id for f in only.result.findings] == ["CDK002"] and only.diff.startswith("--- a/")
    assert only.note == "Terraform version: 1.9 (from --terraform-version)"
    assert sample.read_text() == original  # a run writes only when it says so
    list(outcomes(Run(paths=(str(sample),), write=True)))
    assert "use_lockfile" not in sample.read_text()


def test_a_batch_takes_the_run_to_its_workers(tmp_path):
    dataset = tmp_path / "dataset"
    (dataset / "task").mkdir(parents=True)
    shutil.copy(BROKEN / "review_system" / "lib" / "tap_stack.py", dataset / "task" / "tap_stack.py")
    config = BatchConfig(dataset, tmp_path / "out", jobs=1, run=Run(select=("CDK003", "CDK004")))
    assert pickle.loads(pickle.dumps(config)) == config  # what the worker processes are given
    run_batch(config)
    (record,) = [json.loads(line) for line in (tmp_path / "out" / "report.jsonl").read_text().splitlines()]
    assert {f["rule"] for f in record["rules"]} == {"CDK003", "CDK004"}
    with pytest.raises(BatchError, match="unknown rule"):
        run_batch(BatchConfig(dataset, tmp_path / "out2", jobs=1, run=Run(select=("CDK999",))))
