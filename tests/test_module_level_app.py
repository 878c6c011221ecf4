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
