"""check --format json|sarif|github, and the pre-commit hooks on a real temporary repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair.cli import app

from conftest import BROKEN, ROOT

runner = CliRunner()
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
STACK = BROKEN / "review_system" / "lib" / "tap_stack.py"


def check(*args):
    return runner.invoke(app, ["check", *args])


def test_json_schema_fields_and_exit_code(tmp_path):
    suppressed = tmp_path / "s.py"
    suppressed.write_text('self.add_override("terraform.backend.s3.use_lockfile", True)  # repair: ignore\n')
    result = check("--format", "json", str(STACK), str(suppressed))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["tool"]["name"] == "cdktf-repair"
    stack, sup = data["files"]
    assert [f["rule"] for f in stack["findings"]] == ["CDK001", "CDK002", "CDK005", "CDK004", "CDK003"]
    first = stack["findings"][0]
    assert set(first) == {"rule", "slug", "severity", "line", "column", "message", "fixable", "suppressed"}
    assert (first["line"], first["column"], first["severity"], first["fixable"]) == (32, 5, "critical", True)
    assert sup["findings"][0]["suppressed"] is True
    assert data["summary"] == {"files": 2, "findings": 5, "fixable": 5, "suppressed": 1, "errors": 0}


def test_sarif_validates_against_the_2_1_0_schema():
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not present")
    import jsonschema

    result = check("--format", "sarif", str(BROKEN))
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]][:2] == ["CDK001", "CDK002"]
    fixed = [r for r in run["results"] if "fixes" in r]
    assert fixed and all(r["fixes"][0]["artifactChanges"][0]["replacements"] for r in fixed)


def test_sarif_fix_replacements_rebuild_the_repaired_file():
    """Applying a file's SARIF replacements (all rules) to the original gives the repaired file."""
    log = json.loads(check("--format", "sarif", str(STACK)).stdout)
    source = STACK.read_text()
    edits = {}
    for result in log["runs"][0]["results"]:
        for change in result.get("fixes", [{}])[0].get("artifactChanges", []):
            for replacement in change["replacements"]:
                region = replacement["deletedRegion"]
                edits[(region["charOffset"], region["charLength"])] = replacement["insertedContent"]["text"]
    for (offset, length), text in sorted(edits.items(), reverse=True):
        source = source[:offset] + text + source[offset + length:]
    assert source == (ROOT / "fixed_samples" / "review_system" / "lib" / "tap_stack.py").read_text()


def test_github_annotations():
    result = check("--format", "github", str(STACK))
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and result.exit_code == 1
    assert lines[0].startswith(f"::error file={os.path.relpath(STACK)},line=32,col=5,title=CDK001 provider-class-name::")
    assert any(line.startswith("::warning ") and "CDK005" in line for line in lines)


def test_format_default_comes_from_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nformat = "github"\n')
    shutil.copy(STACK, tmp_path / "stack.py")
    assert check(str(tmp_path / "stack.py")).stdout.startswith("::error file=")


@pytest.mark.skipif(shutil.which("git") is None, reason="git needed")
def test_pre_commit_hooks_on_a_temporary_repository(tmp_path):
    repo = tmp_path / "project"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    # The hooks run the `repair` of this interpreter's environment.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"

    def run(*command, check=True):
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=check)

    # A hooks repository holding this project's .pre-commit-hooks.yaml as it is in the working tree.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "hooks"]):
        subprocess.run(command, cwd=hooks, env=env, check=True, capture_output=True)

    run("git", "init", "-q")
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", repo / "stack.py")
    run("git", "add", "stack.py")
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks)]
    checked = run(*pre_commit, "repair-check", "--files", "stack.py", check=False)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "CDK002" in checked.stdout
    fixed = run(*pre_commit, "repair-fix", "--files", "stack.py", check=False)
    assert (repo / "stack.py").read_text() == (ROOT / "fixed_samples" / "backend_use_lockfile" / "dict_override.py").read_text()
    assert "repaired" in fixed.stdout
    run("git", "add", "stack.py")
    assert run(*pre_commit, "repair-check", "--files", "stack.py", check=False).returncode == 0
