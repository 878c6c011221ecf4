"""The project a file belongs to (repair.project), and CDK008 reading it from a file's or an answer's path."""

from __future__ import annotations

import ast
import shutil

from repair.engine import repair_source
from repair.markdown import repair_markdown
from repair.project import ProjectContext, project_for

from conftest import BROKEN, FIXED

SAMPLE = BROKEN / "stack_constructor_contract" / "renamed_parameters"


def test_entry_and_its_stack_call_are_read_from_the_project():
    project = project_for(str(SAMPLE / "lib" / "tap_stack.py"))
    assert project is not None and project.root == SAMPLE
    assert project.entry == SAMPLE / "tap.py"
    assert project.config["app"] == "python tap.py"
    (call,) = project.stack_calls
    assert (call.module, call.class_name, call.positional) == ("lib.tap_stack", "TapStack", 2)
    assert call.keywords == ("environment_suffix", "state_bucket", "state_bucket_region", "aws_region", "default_tags")
    # A keyword's value is the entry's module-level assignment of the name it passes.
    assert isinstance(call.values["default_tags"], ast.Dict)
    assert ast.literal_eval(call.values["aws_region"]) == "eu-west-3"
    assert "lib.tap_stack" in project.modules and "tap" in project.modules
    assert project.module_of(str(SAMPLE / "lib" / "tap_stack.py")) == "lib.tap_stack"
    assert project.module_of("lib/tap_stack.py") == "lib.tap_stack"  # a markdown block's path, project-relative


def test_project_is_resolved_once_per_root():
    first = project_for(str(SAMPLE / "lib" / "tap_stack.py"))
    assert project_for(str(SAMPLE / "tap.py")) is first
    assert project_for(str(SAMPLE / "lib" / "__init__.py")) is first


def test_no_project_for_a_lone_file_or_stdin(tmp_path):
    lone = tmp_path / "stack.py"
    lone.write_text("from cdktf import TerraformStack\n")
    assert project_for(str(lone)) is None
    assert project_for("<stdin>") is None and project_for("<string>") is None and project_for(None) is None


def test_entry_from_cdktf_json_and_aliased_imports(tmp_path):
    (tmp_path / "cdktf.json").write_text('{"app": "pipenv run python main_app.py"}')
    (tmp_path / "lib").mkdir()
    (tmp_path / "main_app.py").write_text(
        "from cdktf import App\nfrom lib.stacks import Network as Net\nNet(App(), 'n', cidr='10.0.0.0/16')\n")
    project = project_for(str(tmp_path / "lib" / "stacks.py"))
    assert project.entry == tmp_path / "main_app.py"
    (call,) = project.stack_calls  # App comes from an installed package: not the project's
    assert (call.module, call.class_name, call.keywords) == ("lib.stacks", "Network", ("cidr",))


def test_of_entry_builds_a_project_from_source_alone():
    project = ProjectContext.of_entry("from lib.tap_stack import TapStack\nTapStack(app, 'x', env='dev')\n",
                                      root=SAMPLE)
    assert [c.keywords for c in project.stack_calls] == [("env",)]


def test_a_lone_stack_is_left_alone(tmp_path):
    lone = tmp_path / "tap_stack.py"
    source = (BROKEN / "stack_constructor_contract" / "renamed_class" / "lib" / "tap_stack.py").read_text()
    lone.write_text(source)
    result = repair_source(source, path=str(lone))
    assert not any(f.rule_id == "CDK008" for f in result.findings)


def test_markdown_answer_is_repaired_against_its_task_entry(tmp_path):
    """An answer at <task>/lib/MODEL_RESPONSE.md: its blocks are named by their path in the task's project."""
    task = tmp_path / "task"
    shutil.copytree(SAMPLE, task)
    (task / "lib" / "tap_stack.py").unlink()  # the answer provides the stack
    stack = (SAMPLE / "lib" / "tap_stack.py").read_text()
    answer = f"# Ledger\n\n## File: lib/tap_stack.py\n\n```python\n{stack}```\n"
    (task / "lib" / "MODEL_RESPONSE.md").write_text(answer)
    repaired = repair_markdown(answer, path=str(task / "lib" / "MODEL_RESPONSE.md"))
    fixed = (FIXED / "stack_constructor_contract" / "renamed_parameters" / "lib" / "tap_stack.py").read_text()
    assert repaired.fixed_source == f"# Ledger\n\n## File: lib/tap_stack.py\n\n```python\n{fixed}```\n"
    assert {f.rule_id for f in repaired.findings} == {"CDK008"}
    # Without the answer's path there is no project, and nothing to check the stack against.
    assert repair_markdown(answer).fixed_source == answer


def test_an_answer_that_brings_its_own_entry_is_checked_against_it(tmp_path):
    """An answer's cdktf.json and entry replace the task's when the project is laid out: its entry's call counts."""
    task = tmp_path / "task"
    shutil.copytree(SAMPLE, task)
    stack = (SAMPLE / "lib" / "tap_stack.py").read_text()
    own_entry = ("import os, sys\nsys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
                 "from cdktf import App\nfrom lib.tap_stack import TapStack\n"
                 "app = App()\nTapStack(app, 'ledger', environment_suffix='dev')\napp.synth()\n")
    answer = (f"## File: lib/tap_stack.py\n\n```python\n{stack}```\n\n"
              f"## File: cdktf.json\n\n```json\n{{\"app\": \"python bin/main.py\"}}\n```\n\n"
              f"## File: bin/main.py\n\n```python\n{own_entry}```\n")
    repaired = repair_markdown(answer, path=str(task / "lib" / "MODEL_RESPONSE.md"))
    assert repaired.fixed_source == answer  # its own entry passes what the stack takes
    assert repaired.findings == []


def _contract(source: str, path: str = "<string>"):
    from repair.engine import select_rules
    from repair.options import RepairOptions

    entry = ("from lib.tap_stack import TapStack\n"
             "TapStack(app, 'TapStackdev', environment_suffix='dev', aws_region='eu-west-1')\n")
    options = RepairOptions(project=ProjectContext.of_entry(entry, SAMPLE))
    return repair_source(source, rules=select_rules(["CDK008"]), options=options, path=path)


def test_a_required_parameter_of_the_same_meaning_takes_the_entrys_value():
    result = _contract("from cdktf import TerraformStack\n"
                       "class TapStack(TerraformStack):\n"
                       "    def __init__(self, scope, id, environment_suffix, region: str):\n"
                       "        super().__init__(scope, id)\n")
    assert result.fixed_source == (
        "from cdktf import TerraformStack\n"
        "class TapStack(TerraformStack):\n"
        "    def __init__(self, scope, id, environment_suffix, region: str = None, aws_region=None):\n"
        "        if aws_region is not None:\n"
        "            region = aws_region\n"
        "        super().__init__(scope, id)\n")
    assert all(f.fixed for f in result.findings)


def test_what_the_entry_cannot_fill_is_reported_and_left_alone():
    source = ("from cdktf import TerraformStack\n"
              "class TapStack(TerraformStack):\n"
              "    def __init__(self, scope, id, environment_suffix, aws_region, config: dict):\n"
              "        super().__init__(scope, id)\n")
    result = _contract(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "`config` is required" in finding.message


def test_a_module_with_several_stacks_and_not_the_imported_one_is_reported():
    source = ("from cdktf import TerraformStack\n"
              "class NetworkStack(TerraformStack):\n    pass\n"
              "class AppStack(TerraformStack):\n    pass\n")
    result = _contract(source, path="lib/tap_stack.py")
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "`NetworkStack`, `AppStack`" in finding.message
    # Another module of the project is not the one the entry imports the stack from.
    assert _contract(source.replace("AppStack", "TapStack"), path="lib/network.py").findings == []
