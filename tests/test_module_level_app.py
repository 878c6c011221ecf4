"""CDK033: a stack module's own app no longer runs when the project's entry imports the module; the entry's stack
is the one synthesized, with the entry's values."""

from __future__ import annotations

import pytest

from repair.engine import repair_source

from conftest import BROKEN, FIXED

pytestmark = pytest.mark.synth

FOLDER = "module_level_app"


def test_the_module_app_collides_with_the_entrys_stack_before_repair(synth_worker):
    broken = synth_worker.synth(BROKEN / FOLDER / "inventory_tap")
    assert not broken.ok and "There is already a Construct with name 'tap' in App" in broken.error


@pytest.mark.parametrize(("project", "stacks", "resource", "attribute", "value"), [
    ("inventory_tap", {"tap"}, "aws_dynamodb_table", "name", "inventory-pr512"),
    ("alias_import", {"media-prod"}, "aws_s3_bucket", "bucket_prefix", "media-uploads-prod-"),
    ("own_settings", {"TapStackpr77"}, "aws_sns_topic", "name", "alerts-pr77"),
])
def test_only_the_entrys_stack_is_synthesized_once_repaired(synth_worker, project, stacks, resource, attribute,
                                                            value):
    result = synth_worker.synth(FIXED / FOLDER / project)
    assert result.ok, result.error
    assert set(result.stacks) == stacks
    (stack,) = result.stacks.values()
    (body,) = stack["resource"][resource].values()
    assert body[attribute] == value


def test_the_app_the_entry_imports_stays_and_the_rest_is_guarded():
    fixed = (FIXED / FOLDER / "inventory_tap" / "lib" / "tap_stack.py").read_text()
    assert fixed.endswith('app = App()\nif __name__ == "__main__":\n    TapStack(app, "tap", environment_suffix="local")'
                          '\n\n    app.synth()\n')
    assert fixed.count("app = App()") == 1


def test_a_name_the_module_uses_elsewhere_is_reported_not_guarded():
    source = (
        "from cdktf import App, TerraformStack\n"
        "class TapStack(TerraformStack):\n"
        "    pass\n"
        "app = App()\n"
        "stack = TapStack(app, 'tap')\n"
        "app.synth()\n"
        "def current():\n"
        "    return stack\n"
    )
    from repair.transforms.structure.module_level_app import _EXAMPLE_OPTIONS

    result = repair_source(source, options=_EXAMPLE_OPTIONS)
    assert result.fixed_source == source
    (finding,) = [f for f in result.findings if f.rule_id == "CDK033"]
    assert not finding.fixed and "stack" in finding.message


@pytest.mark.parametrize("entry", [
    "from lib.main import app\n\nif __name__ == '__main__':\n    pass\n",
    "from lib.main import app\n\nif __name__ == '__main__':\n    app.synth()\n",
])
def test_the_app_of_an_entry_that_only_imports_it_is_the_one_that_runs(tmp_path, synth_worker, entry):
    """tap.py imports the module's app (`from lib.main import app`) and builds neither an app nor a stack (at most
    it synthesizes the app again): the module's App() ... synth() lines are the program, so they stay as they are,
    and the stack still synthesizes."""
    from repair.options import RepairOptions
    from repair.project import load_project

    (tmp_path / "cdktf.json").write_text('{"language": "python", "app": "python tap.py"}')
    (tmp_path / "tap.py").write_text(entry)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    module = tmp_path / "lib" / "main.py"
    source = (
        "from constructs import Construct\n"
        "from cdktf import App, TerraformStack\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        "from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue\n"
        "\n\n"
        "class WebhookStack(TerraformStack):\n"
        "    def __init__(self, scope: Construct, id: str):\n"
        "        super().__init__(scope, id)\n"
        "        AwsProvider(self, 'aws', region='us-west-2')\n"
        "        SqsQueue(self, 'webhooks', name='payment-webhooks')\n"
        "\n\n"
        "app = App()\n"
        "WebhookStack(app, 'payment-webhooks')\n"
        "app.synth()\n"
    )
    module.write_text(source)
    load_project.cache_clear()
    result = repair_source(source, options=RepairOptions(), path=str(module))
    assert result.fixed_source == source and not [f for f in result.findings if f.rule_id == "CDK033"]
    synthesized = synth_worker.synth(tmp_path)
    assert synthesized.ok, synthesized.error
    assert set(synthesized.stacks) == {"payment-webhooks"}
