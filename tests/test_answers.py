"""An answer laid out onto its task's layout: where its code goes when it is not where the task's entry looks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.proof.answers import build_project, has_stack, lay_out

TASK_ENTRY = """from cdktf import App
from lib.tap_stack import TapStack

app = App()
TapStack(app, "layout")
app.synth()
"""

HUMAN_FIX = "from cdktf import TerraformStack\n\n\nclass TapStack(TerraformStack):\n    HUMAN = True\n"

STACK = """from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class {cls}(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        S3Bucket(self, "bucket", bucket="{bucket}")
"""


@pytest.fixture
def task(tmp_path) -> Path:
    """A task folder as the corpus has them: an entry importing lib.tap_stack.TapStack, cdktf.json, and the
    human's lib/tap_stack.py that no layout may use."""
    folder = tmp_path / "task"
    (folder / "lib").mkdir(parents=True)
    (folder / "tap.py").write_text(TASK_ENTRY)
    (folder / "cdktf.json").write_text(json.dumps({"language": "python", "app": "pipenv run python tap.py",
                                                   "terraformProviders": ["aws@~> 6.0"]}))
    (folder / "lib" / "__init__.py").write_text("")
    (folder / "lib" / "tap_stack.py").write_text(HUMAN_FIX)
    return folder


def block(path: str | None, code: str, language: str = "python") -> str:
    heading = f"## File: {path}\n\n" if path else "Here is the code:\n\n"
    return f"{heading}```{language}\n{code}```\n\n"


def test_an_answer_laid_out_as_the_task_expects_is_left_as_written(task):
    code = STACK.format(cls="TapStack", bucket="b")
    layout = lay_out(block("lib/tap_stack.py", code), task)
    assert layout.files == {"lib/tap_stack.py": code}
    assert layout.has_stack and layout.entry == "tap.py" and not layout.moves and not layout.reason


def test_root_modules_go_into_lib_with_what_they_import(task):
    stack = "from cdktf import TerraformStack\nfrom lib.storage import Storage\n\n\nclass TapStack(TerraformStack):\n    pass\n"
    storage = "from constructs import Construct\n\n\nclass Storage(Construct):\n    pass\n"
    layout = lay_out(block("tap_stack.py", stack) + block("storage.py", storage), task)
    assert layout.files["lib/tap_stack.py"] == stack
    assert layout.files["lib/storage.py"] == storage
    assert layout.entry == "tap.py" and not layout.reason


def test_lib_lib_is_lib(task):
    code = STACK.format(cls="TapStack", bucket="b")
    layout = lay_out(block("lib/lib/tap_stack.py", code), task)
    assert layout.files == {"lib/tap_stack.py": code}
    assert layout.moves == ["lib/tap_stack.py: the answer's lib/lib/tap_stack.py"]


def test_the_answers_own_entry_is_what_the_project_runs(task):
    main = ("from cdktf import App, TerraformStack\nfrom stacks.network import Network\n\n\n"
            "class Platform(TerraformStack):\n    pass\n\n\napp = App()\nPlatform(app, 'platform')\napp.synth()\n")
    network = "from constructs import Construct\n\n\nclass Network(Construct):\n    pass\n"
    layout = lay_out(block("main.py", main) + block("stacks/network.py", network), task)
    assert layout.entry == "main.py" and not layout.reason
    assert layout.files["main.py"] == main and layout.files["stacks/network.py"] == network
    config = json.loads(layout.files["cdktf.json"])
    assert config["app"] == "pipenv run python main.py"
    assert config["terraformProviders"] == ["aws@~> 6.0"]  # the task's other settings stay
    assert "lib/tap_stack.py" not in layout.files  # the entry's own stack module is not the task's


def test_a_module_of_another_name_that_defines_the_class_is_re_exported(task):
    code = STACK.format(cls="TapStack", bucket="b")
    layout = lay_out(block("lib/infra.py", code), task)
    assert layout.files["lib/infra.py"] == code
    assert "from lib.infra import TapStack" in layout.files["lib/tap_stack.py"]


def test_the_only_stack_class_under_another_name_is_re_exported_under_the_entrys_name(task):
    code = STACK.format(cls="NetworkStack", bucket="b")
    layout = lay_out(block("lib/network.py", code), task)
    assert "from lib.network import NetworkStack as TapStack" in layout.files["lib/tap_stack.py"]


def test_a_block_without_a_path_that_defines_the_imported_class_is_the_stack_module(task):
    code = STACK.format(cls="TapStack", bucket="b")
    helper = "def tags(name):\n    return {'Name': name}\n"
    layout = lay_out(block(None, helper) + block(None, code), task)
    assert layout.files == {"lib/tap_stack.py": code}


def test_the_only_stack_block_without_a_path_under_another_name(task):
    code = STACK.format(cls="InfraStack", bucket="b")
    construct = "from constructs import Construct\n\n\nclass Vpc(Construct):\n    pass\n"
    layout = lay_out(block(None, construct) + block(None, code), task)
    assert layout.files["lib/infra_stack.py"] == code
    assert "from lib.infra_stack import InfraStack as TapStack" in layout.files["lib/tap_stack.py"]
    assert construct not in layout.files.values()  # a block nothing imports has no place to go


def test_a_block_without_a_path_that_runs_its_app_is_the_entry(task):
    code = STACK.format(cls="TapStack", bucket="b") + "\n\napp = App()\nTapStack(app, 'x')\napp.synth()\n"
    code = "from cdktf import App\n" + code
    layout = lay_out(block(None, code), task)
    assert layout.files["lib/tap_stack.py"] == code
    assert layout.entry == "lib/tap_stack.py"
    assert json.loads(layout.files["cdktf.json"])["app"] == "pipenv run python lib/tap_stack.py"


def test_two_candidate_stacks_are_left_with_the_reason(task):
    answer = (block("lib/network.py", STACK.format(cls="NetworkStack", bucket="a"))
              + block("lib/storage.py", STACK.format(cls="StorageStack", bucket="b")))
    layout = lay_out(answer, task)
    assert set(layout.files) == {"lib/network.py", "lib/storage.py"}
    assert layout.reason == "no module lib.tap_stack in the answer (imported by tap.py)"


@pytest.mark.parametrize("answer", [
    "Insert here the Model Response that failed\n",
    "# Summary\n\nAll issues were corrected in the final implementation.\n",
    block(None, "vpc = Vpc(self, 'vpc', cidr_block='10.0.0.0/16')\n") + block(None, "cdktf deploy\n", "bash"),
    block("lib/tap_stack.py", "class TapStack(\n"),  # a fragment that does not parse
])
def test_an_answer_without_a_stack_is_told_apart(task, answer):
    layout = lay_out(answer, task)
    assert not layout.has_stack
    assert layout.reason == "the answer defines no TerraformStack subclass"


def test_has_stack_follows_the_answers_own_base_classes():
    base = "from cdktf import TerraformStack\n\n\nclass Base(TerraformStack):\n    pass\n"
    assert has_stack({"lib/base.py": base, "README.md": "class X(TerraformStack)"})
    assert has_stack({}, ["class Mine(Base):\n    pass\n", base])
    assert not has_stack({"lib/x.py": "class Vpc(Construct):\n    pass\n"})


def test_the_humans_modules_are_never_laid_out(task, tmp_path):
    project = build_project(task, lay_out("No code here.\n", task).files, tmp_path / "project")
    assert not (project / "lib" / "tap_stack.py").exists()
    assert (project / "lib" / "__init__.py").exists() and (project / "tap.py").read_text() == TASK_ENTRY


@pytest.mark.synth
def test_a_root_stack_module_synthesizes_through_the_tasks_entry(task, tmp_path, synth_worker):
    answer = "# The stack\n\n" + block("tap_stack.py", STACK.format(cls="TapStack", bucket="layout-root-bucket"))
    layout = lay_out(answer, task)
    result = synth_worker.synth(build_project(task, layout.files, tmp_path / "project"))
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (bucket,) = stack["resource"]["aws_s3_bucket"].values()
    assert bucket["bucket"] == "layout-root-bucket"
    assert stack["provider"]["aws"][0]["region"] == "eu-west-1"


@pytest.mark.synth
def test_a_renamed_stack_synthesizes_through_the_re_export(task, tmp_path, synth_worker):
    layout = lay_out(block(None, STACK.format(cls="InfraStack", bucket="layout-renamed-bucket")), task)
    result = synth_worker.synth(build_project(task, layout.files, tmp_path / "project"))
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (bucket,) = stack["resource"]["aws_s3_bucket"].values()
    assert bucket["bucket"] == "layout-renamed-bucket"


def test_without_an_entry_in_the_task_the_answers_own_entry_runs(task):
    (task / "tap.py").unlink()
    code = "from cdktf import App\n" + STACK.format(cls="Infra", bucket="b") + "\n\napp = App()\nInfra(app, 'x')\napp.synth()\n"
    layout = lay_out(block("bin/app.py", code), task)
    assert layout.entry == "bin/app.py" and not layout.reason
    assert json.loads(layout.files["cdktf.json"])["app"] == "pipenv run python bin/app.py"


def test_an_answer_without_fences_that_runs_its_app_is_the_script_the_tasks_cdktf_json_runs(task):
    # The task's cdktf.json runs lib/tap_stack.py, which the answer was to write; the answer is that file,
    # with no fence and no path.
    (task / "tap.py").unlink()
    settings = json.loads((task / "cdktf.json").read_text())
    (task / "cdktf.json").write_text(json.dumps({**settings, "app": "pipenv run python lib/tap_stack.py"}))
    code = ("from cdktf import App\n" + STACK.format(cls="Infra", bucket="b")
            + "\n\napp = App()\nInfra(app, 'x')\napp.synth()\n")
    layout = lay_out(code, task)
    assert layout.entry == "lib/tap_stack.py" and not layout.reason
    assert layout.files["lib/tap_stack.py"] == code
