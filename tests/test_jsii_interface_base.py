"""CDK042: a class subclassing a cdktf or constructs interface cannot be handed to jsii; implemented with
`@jsii.implements(...)`, the aspect or validation runs at synth."""

from __future__ import annotations

import pytest

from repair.engine import repair_source

from conftest import BROKEN, FIXED

FOLDER = "jsii_interface_base"


@pytest.mark.synth
def test_the_aspect_runs_once_it_implements_the_interface(synth_worker):
    broken = synth_worker.synth(BROKEN / FOLDER / "tagging_aspect.py")
    assert not broken.ok and "Don't know how to convert object to JSON" in broken.error
    fixed = synth_worker.synth(FIXED / FOLDER / "tagging_aspect.py")
    assert fixed.ok, fixed.error
    (stack,) = fixed.stacks.values()
    queues = stack["resource"]["aws_sqs_queue"]
    assert {q["name"]: q["tags"] for q in queues.values()} == {
        "billing-invoices": {"CostCenter": "billing", "Owner": "finops"},
        "billing-refunds": {"CostCenter": "billing", "Owner": "finops"}}


@pytest.mark.synth
@pytest.mark.parametrize("sample", ["validation_through_module.py", "aliased_beside_mixin.py"])
def test_validations_and_aliased_aspects_synthesize_once_implemented(synth_worker, sample):
    broken = synth_worker.synth(BROKEN / FOLDER / sample)
    assert not broken.ok and broken.error_type == "TypeError", broken.error
    fixed = synth_worker.synth(FIXED / FOLDER / sample)
    assert fixed.ok, fixed.error


@pytest.mark.synth
def test_a_failing_validation_still_fails_synth_once_implemented(synth_worker, tmp_path):
    """The validation really runs: a capital letter in a bucket name now stops synth with its message."""
    source = (FIXED / FOLDER / "validation_through_module.py").read_text().replace(
        '"archive-scans-2024"', '"Archive-Scans-2024"')
    module = tmp_path / "stack.py"
    module.write_text(source)
    result = synth_worker.synth(module)
    assert not result.ok and "bucket name Archive-Scans-2024 has capitals" in result.error


def test_a_module_binding_jsii_otherwise_is_reported():
    source = ("from cdktf import IAspect\n"
              "jsii = object()\n"
              "class A(IAspect):\n"
              "    pass\n")
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.rule_id == "CDK042" and not finding.fixed and "binds `jsii`" in finding.message
