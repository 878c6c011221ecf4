"""One run object: what the command line asked for, handed to the runner; the runner repairs and proves without
the CLI."""

from __future__ import annotations

import shutil

import pytest

from repair.run import Run, UsageError
from repair.runner import outcomes, verify

from conftest import BROKEN


def test_a_run_merges_its_flags_over_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nselect = ["CDK005"]\nterraform-version = "1.9"\n')
    assert [r.id for r in Run().settings(tmp_path).rules] == ["CDK005"]
    settings = Run(select=("CDK002",), terraform_version="1.11").settings(tmp_path)
    assert [r.id for r in settings.rules] == ["CDK002"]
    assert settings.options.terraform_version == (1, 11)
    with pytest.raises(UsageError, match="unknown rule 'CDK999'"):
        Run(select=("CDK999",)).settings(tmp_path)


def test_a_run_resolves_its_sandbox_flags_over_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nsandbox = "none"\nmemory-limit = "3GiB"\n')
    from_config = Run(paths=(str(tmp_path),)).isolation()
    assert (from_config.level, from_config.memory_limit) == ("none", 3 * 1024 ** 3)
    flagged = Run(paths=(str(tmp_path),), memory_limit="2000MiB").isolation()
    assert flagged.memory_limit == 2000 * 1024 ** 2
    with pytest.raises(UsageError, match="--memory-limit"):
        Run(paths=(str(tmp_path),), memory_limit="lots").isolation()
    with pytest.raises(UsageError, match="unknown sandbox"):
        Run(paths=(str(tmp_path),), sandbox="jail").isolation()


def test_missing_paths_and_standard_input():
    assert Run(paths=("nope.py", str(BROKEN))).missing_paths() == ["nope.py"]
    assert Run(paths=("-",)).stdin and Run(paths=("-",)).missing_paths() == []
    with pytest.raises(UsageError, match="cannot be mixed"):
        Run(paths=("-", str(BROKEN))).missing_paths()


def test_the_runner_repairs_what_a_run_names_without_the_cli(tmp_path):
    sample = tmp_path / "stack.py"
    shutil.copy(BROKEN / "backend_use_lockfile" / "self_override_with_comment.py", sample)
    original = sample.read_text()
    missing, only = outcomes(Run(paths=(str(tmp_path / "gone.py"), str(sample)), terraform_version="1.9"))
    assert missing.error is not None and missing.error.message == "no such file or folder"
    assert [f.rule_id for f in only.result.findings] == ["CDK002"] and only.diff.startswith("--- a/")
    # The Terraform version decided CDK002: the runner says which one, once, on the file where it mattered.
    assert only.note == "Terraform version: 1.9 (from --terraform-version)"
    assert sample.read_text() == original  # a run writes only when it says so
    list(outcomes(Run(paths=(str(sample),), write=True)))
    assert "use_lockfile" not in sample.read_text()


def test_the_runner_refuses_an_out_inside_its_input(tmp_path):
    with pytest.raises(UsageError, match="is inside the input"):
        list(outcomes(Run(paths=(str(tmp_path),), out=tmp_path / "out", write=True)))


def test_verify_reports_a_missing_path_without_starting_a_worker(tmp_path):
    # No worker starts for nothing to prove: this would take ~20 s and 1 GB otherwise.
    (proof,) = verify(Run(paths=(str(tmp_path / "gone"),)))
    assert proof.verified is None and proof.error == f"{tmp_path / 'gone'}: error: no such file or folder"
