"""Project settings ([tool.repair], .terraform-version) and `# repair: ignore` suppressions."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from repair.cli import app
from repair.config import ConfigError, load_config, resolve_settings
from repair.engine import repair_source, select_rules

LOCKFILE = 'self.add_override("terraform.backend.s3.use_lockfile", True)\n'
runner = CliRunner()


def project(tmp_path, pyproject: str | None = None, terraform_version: str | None = None):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stack.py").write_text(LOCKFILE)
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    if terraform_version is not None:
        (tmp_path / ".terraform-version").write_text(terraform_version + "\n")
    return tmp_path / "lib" / "stack.py"


def test_nearest_pyproject_is_found_walking_up(tmp_path):
    stack = project(tmp_path, '[tool.repair]\nterraform-version = "1.11"\nignore = ["CDK005"]\n')
    config = load_config(stack)
    assert config.terraform_version == (1, 11) and config.ignore == ["CDK005"]
    assert "pyproject.toml [tool.repair] terraform-version" in config.terraform_version_source


def test_terraform_version_file_is_used_when_pyproject_says_nothing(tmp_path):
    stack = project(tmp_path, '[project]\nname = "x"\n', terraform_version="1.9.8")
    settings = resolve_settings(stack, None, None, None)
    assert settings.options.terraform_version == (1, 9)
    assert settings.describe_terraform_version().endswith(".terraform-version)")


def test_asdf_tool_versions_names_the_terraform_when_nothing_nearer_does(tmp_path):
    stack = project(tmp_path)
    (tmp_path / ".tool-versions").write_text("python 3.11.7\n# pinned\nterraform 1.11.4 1.9.0  # CI's\n")
    settings = resolve_settings(stack, None, None, None)
    assert settings.options.terraform_version == (1, 11)
    assert settings.describe_terraform_version().endswith(".tool-versions:3)")
    (tmp_path / ".terraform-version").write_text("1.9.8\n")  # tfenv's file, nearer in precedence
    assert resolve_settings(stack, None, None, None).options.terraform_version == (1, 9)


@pytest.mark.parametrize("line, expected", [("terraform latest\n", None), ("nodejs 20\n", None),
                                            ("terraform one\n", "tool-versions:1: terraform")])
def test_a_tool_versions_line_that_names_no_version(tmp_path, line, expected):
    stack = project(tmp_path)
    (tmp_path / ".tool-versions").write_text(line)
    if expected is None:
        assert load_config(stack).terraform_version is None
    else:
        with pytest.raises(ConfigError, match=expected):
            load_config(stack)


def test_flags_override_config(tmp_path):
    stack = project(tmp_path, '[tool.repair]\nterraform-version = "1.11"\nselect = ["CDK001"]\n')
    settings = resolve_settings(stack, ["CDK002"], None, "1.5")
    assert [r.id for r in settings.rules] == ["CDK002"]
    assert settings.options.terraform_version == (1, 5)
    assert settings.options.terraform_version_source == "--terraform-version"


@pytest.mark.parametrize(("body", "message"), [
    ('[tool.repair]\nselct = ["CDK001"]\n', "unknown key 'selct'"),
    ('[tool.repair]\nterraform-version = "new"\n', "terraform-version: not a Terraform version"),
    ('[tool.repair]\nselect = [1]\n', "select: expected a list of strings"),
    ('[tool.repair]\nformat = "xml"\n', "format: expected one of"),
])
def test_bad_config_names_file_and_key(tmp_path, body, message):
    stack = project(tmp_path, body)
    with pytest.raises(ConfigError) as error:
        load_config(stack)
    assert str(tmp_path / "pyproject.toml") in str(error.value) and message in str(error.value)
    result = runner.invoke(app, ["check", str(stack)])
    assert result.exit_code == 2 and message in result.stderr


def test_config_keeps_use_lockfile_for_terraform_1_10_and_says_so(tmp_path):
    stack = project(tmp_path, '[tool.repair]\nterraform-version = "1.10"\n')
    result = runner.invoke(app, ["check", str(stack)])
    assert result.exit_code == 0
    assert "Terraform version: 1.10 (from " in result.stderr


def test_exclude_globs_skip_files_in_folders(tmp_path):
    stack = project(tmp_path, '[tool.repair]\nexclude = ["lib/*"]\n')
    assert runner.invoke(app, ["check", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["check", str(stack)]).exit_code == 1  # a file named directly is still checked


@pytest.mark.parametrize("comment", ["# repair: ignore[CDK002]", "# repair: ignore", "# repair: ignore[backend-use-lockfile]"])
def test_suppression_keeps_the_code_and_reports_it_as_suppressed(comment):
    source = LOCKFILE.rstrip("\n") + "  " + comment + "\n"
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.suppressed and not result.unfixed and not result.needs_repair


def test_suppression_of_another_rule_does_not_apply():
    source = LOCKFILE.rstrip("\n") + "  # repair: ignore[CDK005]\n"
    assert "use_lockfile" not in repair_source(source).fixed_source


def test_suppressed_dependency_rules_leave_code_alone():
    source = ("i = ApiGatewayIntegration(self, 'i', rest_api_id=api.id)\n"
              "ApiGatewayDeployment(self, 'd', rest_api_id=api.id)  # repair: ignore[CDK003]\n")
    result = repair_source(source, rules=select_rules(["CDK003"]))  # a fragment: its imports are not the point
    assert result.fixed_source == source and [f.suppressed for f in result.findings] == [True]


def test_check_reports_suppressed_and_exits_0(tmp_path):
    path = tmp_path / "s.py"
    path.write_text(LOCKFILE.rstrip("\n") + "  # repair: ignore\n")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert "CDK002" in result.stdout and "(suppressed)" in result.stdout
