"""CDK012 and CDK013 next to CDK001: who repairs which unknown provider name, and that together they settle; CDK028
calls the resource a block struct called like one stands for."""

from __future__ import annotations

import pytest

from repair.engine import repair_source, select_rules

from conftest import BROKEN, FIXED

PROVIDER_NAME_RULES = select_rules(["CDK001", "CDK012", "CDK013"])

MIXED = (
    "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
    "    S3BucketServerSideEncryptionConfiguration,\n"
    "    S3BucketServerSideEncryptionConfigurationRuleA,\n"
    "    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,\n"
    ")\n"
    "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateTagSpecificationConfig\n"
    "from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAclRule, Wafv2WebAclRuleStatement, "
    "Wafv2WebAclVisibilityConfig\n"
    "S3BucketServerSideEncryptionConfiguration(self, 'sse', bucket=b.id, rule=[S3BucketServerSideEncryptionConfigurationRuleA(\n"
    "    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault(\n"
    "        sse_algorithm='AES256'))])\n"
    "LaunchTemplate(self, 'lt', tag_specifications=[LaunchTemplateTagSpecificationConfig(resource_type='instance')])\n"
    "Wafv2WebAclRule(name='r', priority=1, statement=Wafv2WebAclRuleStatement(rate_based_statement={'limit': 100}),\n"
    "                visibility_config=Wafv2WebAclVisibilityConfig(cloudwatch_metrics_enabled=False, metric_name='r',\n"
    "                                                              sampled_requests_enabled=False))\n"
)


def test_the_three_rules_together_settle_and_split_the_names():
    result = repair_source(MIXED, rules=PROVIDER_NAME_RULES)
    assert result.error is None and not result.unfixed
    fixed = result.fixed_source
    # The provider's own naming (jsii's A suffix) is CDK001's, whether the name is used or not...
    assert "S3BucketServerSideEncryptionConfigurationA(self" in fixed
    assert "=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(" in fixed
    # ...the parameter's type decides the rest (CDK012), and no struct class exists inside an Any block (CDK013).
    assert "tag_specifications=[LaunchTemplateTagSpecifications(resource_type='instance')]" in fixed
    assert "visibility_config=Wafv2WebAclRuleVisibilityConfig(" in fixed
    assert "statement={\"rate_based_statement\": {'limit': 100}}" in fixed
    assert "Wafv2WebAclRuleStatement," not in fixed and "Wafv2WebAclVisibilityConfig" not in fixed
    by_rule = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule_id, []).append(finding.message.split()[0])
    assert sorted(by_rule) == ["CDK001", "CDK012", "CDK013"]
    assert all(name.startswith("S3BucketServerSideEncryptionConfiguration") for name in by_rule["CDK001"])
    again = repair_source(fixed)
    assert again.fixed_source == fixed and again.findings == []


def test_each_order_of_the_rules_reaches_the_same_code():
    """CDK001 alone leaves the invented names reported; CDK012/CDK013 after it finish the job, as before it."""
    cdk001_first = repair_source(MIXED, rules=select_rules(["CDK001"]))
    assert {f.message.split(":")[0] for f in cdk001_first.unfixed} >= {"LaunchTemplateTagSpecificationConfig",
                                                                        "Wafv2WebAclRuleStatement"}
    then = repair_source(cdk001_first.fixed_source, rules=select_rules(["CDK012", "CDK013"]))
    assert then.fixed_source == repair_source(MIXED, rules=PROVIDER_NAME_RULES).fixed_source


def test_invented_names_no_longer_reach_cdk001_unfixed():
    for relative in ("struct_class/launch_template_tags.py", "any_block_dicts/managed_rule_groups.py"):
        broken = (BROKEN / relative).read_text()
        assert repair_source(broken, rules=select_rules(["CDK001"])).unfixed
        result = repair_source(broken)
        assert not result.unfixed and result.fixed_source == (FIXED / relative).read_text()


def test_a_struct_of_another_block_is_named_in_verify():
    from repair.proof.verify import rule_for_synth_error

    line = ("TypeError: type of argument lifecycle must be one of (cdktf_cdktf_provider_aws.backup_plan."
            "BackupPlanRuleCopyActionLifecycle, Dict[str, Any], NoneType); got cdktf_cdktf_provider_aws.backup_plan."
            "BackupPlanRuleLifecycle instead")
    assert rule_for_synth_error("TypeError", line) == "CDK012"
    assert rule_for_synth_error("TypeError", "TypeError: type of argument x must be str; got list instead") == "CDK006"


# -- CDK028: a block struct called like a resource ----------------------------------------------------------------
def _synthesized(worker, relative: str, error: str = "TypeError") -> dict:
    broken = worker.synth(BROKEN / relative)
    assert not broken.ok and broken.error_type == error, broken.error
    repaired = worker.synth(FIXED / relative)
    assert repaired.ok, repaired.error
    (stack,) = repaired.stacks.values()
    return stack["resource"]


def _only(resources: dict) -> dict:
    (resource,) = resources.values()
    return resource


@pytest.mark.synth
def test_block_structs_called_like_resources_become_the_resources(synth_worker):
    resources = _synthesized(synth_worker, "block_struct_as_resource/bucket_settings_structs.py")
    versioning = _only(resources["aws_s3_bucket_versioning"])
    assert versioning["bucket"] == "${aws_s3_bucket.audit.id}"
    assert versioning["versioning_configuration"] == {"status": "Enabled", "mfa_delete": "Disabled"}
    logging = _only(resources["aws_s3_bucket_logging"])
    assert logging["target_bucket"] == "${aws_s3_bucket.access-logs.id}" and logging["target_prefix"] == "audit/"

    resources = _synthesized(synth_worker, "block_struct_as_resource/encryption_through_module.py")
    encryption = _only(resources["aws_s3_bucket_server_side_encryption_configuration"])
    assert encryption["bucket"] == "${aws_s3_bucket.analytics.id}"
    assert encryption["rule"] == [{"apply_server_side_encryption_by_default": {
        "sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.analytics-key.arn}"}, "bucket_key_enabled": True}]

    resources = _synthesized(synth_worker, "block_struct_as_resource/egress_rule_struct.py")
    rule = _only(resources["aws_security_group_rule"])
    assert (rule["type"], rule["from_port"], rule["to_port"], rule["protocol"]) == ("egress", 443, 443, "tcp")
    assert rule["cidr_blocks"] == ["10.20.0.0/16"] and rule["security_group_id"] == "${aws_security_group.database.id}"

    resources = _synthesized(synth_worker, "block_struct_as_resource/ingress_rule_struct.py")
    rule = _only(resources["aws_security_group_rule"])
    assert (rule["type"], rule["from_port"], rule["protocol"]) == ("ingress", 6379, "tcp")
    assert rule["security_group_id"] == "${aws_security_group.session-cache.id}"
    assert "ingress" not in _only(resources["aws_security_group"])


# -- CDK029: maps of named blocks and of keys to values -------------------------------------------------------------
@pytest.mark.synth
def test_maps_become_the_blocks_with_their_names_and_keys(synth_worker):
    resources = _synthesized(synth_worker, "named_block_map/fis_experiment_maps.py")
    template = _only(resources["aws_fis_experiment_template"])
    assert template["action"] == [{
        "name": "disruptZone", "action_id": "aws:network:disrupt-connectivity",
        "description": "Cut the zone's subnets off",
        "parameter": [{"key": "duration", "value": "PT5M"}, {"key": "scope", "value": "availability-zone"}],
        "target": {"key": "Subnets", "value": "appSubnets"}}]
    assert template["target"] == [{
        "name": "appSubnets", "resource_type": "aws:ec2:subnet", "selection_mode": "ALL",
        "resource_arns": ["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b2c3d"]}]

    # jsii refuses the map where it deserializes a list of stages
    resources = _synthesized(synth_worker, "named_block_map/pipeline_stages_by_name.py", "RuntimeError")
    stages = _only(resources["aws_codepipeline"])["stage"]
    assert [s["name"] for s in stages] == ["Source", "Build"]
    assert stages[1]["action"][0]["configuration"] == {"ProjectName": "storefront-build"}
    assert stages[0]["action"][0]["provider"] == "CodeStarSourceConnection"

    resources = _synthesized(synth_worker, "named_block_map/build_environment_variables.py", "RuntimeError")
    variables = _only(resources["aws_codebuild_project"])["environment"]["environment_variable"]
    assert variables == [{"name": "STAGE", "value": "prod"}, {"name": "TIER", "value": "web"}]
    condition = _only(resources["aws_lb_listener_rule"])["condition"]
    assert condition == [{"query_string": [{"key": "version", "value": "v2"}]}]


def test_a_structs_own_provider_field_is_not_the_construct_meta_argument():
    code = ("from cdktf_cdktf_provider_aws.codepipeline import CodepipelineStageAction\n"
            "CodepipelineStageAction(name='b', category='Build', owner='AWS', provider='CodeBuild', version='1')\n")
    assert repair_source(code).findings == []
