"""CDK043: names cdktf or constructs do not export stop the module at an ImportError; once taken out (unused) or
imported from the package that has them, the stack synthesizes."""

from __future__ import annotations

import pytest

from repair.engine import repair_source

from conftest import BROKEN, FIXED

FOLDER = "jsii_package_names"


@pytest.mark.synth
@pytest.mark.parametrize(("sample", "resource"), [("aws_cdk_tagging_names.py", "aws_dynamodb_table"),
                                                  ("construct_from_cdktf.py", "aws_ecr_repository"),
                                                  ("constructs_resource.py", "aws_sns_topic_subscription")])
def test_the_stack_synthesizes_once_its_imports_exist(synth_worker, sample, resource):
    broken = synth_worker.synth(BROKEN / FOLDER / sample)
    assert not broken.ok and broken.error_type == "ImportError", broken.error
    fixed = synth_worker.synth(FIXED / FOLDER / sample)
    assert fixed.ok, fixed.error
    (stack,) = fixed.stacks.values()
    assert len(stack["resource"][resource]) == 1


def test_a_used_name_no_package_exports_is_reported_with_the_closest():
    source = "from cdktf import TerraformStak\nclass S(TerraformStak):\n    pass\n"
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.rule_id == "CDK043" and not finding.fixed and "closest: TerraformStack" in finding.message


def test_the_last_name_of_an_import_takes_the_statement_and_its_comment_with_it():
    source = "import os\n\n# AWS CDK's tagging\nfrom cdktf import ITaggable, TagManager\n\nx = os.sep\n"
    result = repair_source(source)
    assert result.fixed_source == "import os\n\nx = os.sep\n"
    assert [f.fixed for f in result.findings] == [True, True]
