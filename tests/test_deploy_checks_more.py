"""Failures from the human analyses that only `terraform apply` or `plan` shows (issue 13, class 6): the repaired
samples synthesize with the answer's values in place, and the JSON checks name what the broken samples carry."""

from __future__ import annotations

import base64
import json

import pytest

from repair.transforms.deploy.escape_literal_interpolation import EscapeLiteralInterpolation
from repair.transforms.deploy.kms_logs_key_policy import KmsLogsKeyPolicy
from repair.transforms.deploy.user_data_base64 import UserDataBase64

from conftest import BROKEN, FIXED

pytestmark = pytest.mark.synth


def _only_stack(worker, path):
    result = worker.synth(path)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_the_log_key_policy_lets_cloudwatch_logs_use_the_key(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "kms_logs_key_policy" / "audit_logs.py")
    (finding,) = KmsLogsKeyPolicy.check_terraform_json(broken, None)
    assert finding.address == "aws_kms_key.audit-key" and "aws_cloudwatch_log_group.audit-trail" in finding.message

    repaired = _only_stack(synth_worker, FIXED / "kms_logs_key_policy" / "audit_logs.py")
    assert KmsLogsKeyPolicy.check_terraform_json(repaired, None) == []
    policy = json.loads(repaired["resource"]["aws_kms_key"]["audit-key"]["policy"])
    owner, logs = policy["Statement"]
    assert owner["Principal"] == {"AWS": "arn:aws:iam::210987654321:root"} and owner["Action"] == "kms:*"
    assert logs["Principal"] == {"Service": "logs.eu-central-1.amazonaws.com"}
    assert "kms:GenerateDataKey*" in logs["Action"]
    group = repaired["resource"]["aws_cloudwatch_log_group"]["audit-trail"]
    assert group["kms_key_id"] == "${aws_kms_key.audit-key.arn}" and group["retention_in_days"] == 365


def test_a_key_in_a_construct_names_its_providers_region_read_by_terraform(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "kms_logs_key_policy" / "logging_construct.py")
    assert [f.rule_id for f in KmsLogsKeyPolicy.check_terraform_json(broken, None)] == ["CDK024"]
    repaired = _only_stack(synth_worker, FIXED / "kms_logs_key_policy" / "logging_construct.py")
    assert KmsLogsKeyPolicy.check_terraform_json(repaired, None) == []
    (region,) = repaired["data"]["aws_region"]
    (key,) = repaired["resource"]["aws_kms_key"].values()
    statements = json.loads(key["policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["AccountAdmin", "AllowCloudWatchLogs"]
    assert statements[1]["Principal"] == {"Service": f"logs.${{data.aws_region.{region}.region}}.amazonaws.com"}
    assert repaired["provider"]["aws"][0]["region"] == "ap-northeast-1"


def test_a_key_without_a_policy_gets_the_default_one_with_the_cloudwatch_logs_statement(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "kms_logs_key_policy" / "default_key_policy.py")
    findings = KmsLogsKeyPolicy.check_terraform_json(broken, None)
    assert len(findings) == 2 and all("default key policy" in f.message for f in findings)
    assert len(broken["data"]["aws_caller_identity"]) == 1  # the audit construct's own

    repaired = _only_stack(synth_worker, FIXED / "kms_logs_key_policy" / "default_key_policy.py")
    assert KmsLogsKeyPolicy.check_terraform_json(repaired, None) == []
    identities = repaired["data"]["aws_caller_identity"]
    (region,) = repaired["data"]["aws_region"]
    keys = repaired["resource"]["aws_kms_key"]
    groups = repaired["resource"]["aws_cloudwatch_log_group"]
    regions = {"/worker": "eu-north-1", "/audit/trail": f"${{data.aws_region.{region}.region}}"}
    for group in groups.values():
        key = keys[group["kms_key_id"].removeprefix("${aws_kms_key.").removesuffix(".arn}")]
        policy = json.loads(key["policy"])
        assert policy["Version"] == "2012-10-17"
        owner, logs = policy["Statement"]
        # AWS's default key policy: the account's root, every action, as the account's IAM policies allow.
        (account,) = [name for name in identities if f"data.aws_caller_identity.{name}.account_id" in json.dumps(owner)]
        assert owner == {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                         "Principal": {"AWS": f"arn:aws:iam::${{data.aws_caller_identity.{account}.account_id}}:root"},
                         "Action": "kms:*", "Resource": "*"}
        assert logs["Sid"] == "AllowCloudWatchLogs" and logs["Resource"] == "*"
        assert logs["Principal"] == {"Service": f"logs.{regions[group['name']]}.amazonaws.com"}
        assert logs["Action"] == ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                  "kms:Describe*"]
    # The construct's own caller identity is reused; the stack gets one.
    assert len(identities) == 2 and set(broken["data"]["aws_caller_identity"]) < set(identities)
    # Nothing else of the keys changed; the queue still uses the worker's key.
    (worker_key,) = [name for name in keys if keys[name].get("description") == "queue worker encryption"]
    assert keys[worker_key]["deletion_window_in_days"] == 7 and keys[worker_key]["enable_key_rotation"] is True
    (queue,) = repaired["resource"]["aws_sqs_queue"].values()
    assert queue["kms_master_key_id"] == f"${{aws_kms_key.{worker_key}.key_id}}"


def test_a_key_policy_resource_is_the_keys_policy():
    stack = {"resource": {
        "aws_kms_key": {"plain": {"description": "policy set apart"}},
        "aws_kms_key_policy": {"plain-policy": {"key_id": "${aws_kms_key.plain.id}", "policy": json.dumps(
            {"Statement": [{"Principal": {"Service": "logs.eu-west-1.amazonaws.com"}, "Action": "kms:*"}]})}},
        "aws_cloudwatch_log_group": {"app": {"name": "/app", "kms_key_id": "${aws_kms_key.plain.arn}"}},
    }}
    assert KmsLogsKeyPolicy.check_terraform_json(stack, None) == []
    stack["resource"]["aws_kms_key_policy"]["plain-policy"]["policy"] = json.dumps({"Statement": []})
    (finding,) = KmsLogsKeyPolicy.check_terraform_json(stack, None)
    assert finding.address == "aws_kms_key_policy.plain-policy"


def test_a_key_with_the_default_policy_is_named():
    stack = {"resource": {
        "aws_kms_key": {"plain": {"description": "no policy"}},
        "aws_cloudwatch_log_group": {"app": {"name": "/app", "kms_key_id": "${aws_kms_key.plain.arn}"}},
    }}
    (finding,) = KmsLogsKeyPolicy.check_terraform_json(stack, None)
    assert finding.address == "aws_kms_key.plain" and "default key policy" in finding.message


def test_shell_variables_reach_the_instance_literally(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "escape_literal_interpolation" / "report_host.py")
    findings = EscapeLiteralInterpolation.check_terraform_json(broken, None)
    assert {f.address for f in findings} == {"aws_instance.report-host"}
    assert any("${STAGE:-qa}" in f.message for f in findings)

    repaired = _only_stack(synth_worker, FIXED / "escape_literal_interpolation" / "report_host.py")
    assert EscapeLiteralInterpolation.check_terraform_json(repaired, None) == []
    user_data = repaired["resource"]["aws_instance"]["report-host"]["user_data"]
    assert 'REPORT_STAGE="$${STAGE:-qa}"' in user_data
    assert '"s3://${aws_s3_bucket.reports.bucket}/$${REPORT_STAGE}/"' in user_data


def test_the_iot_placeholder_reaches_the_rule_literally(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "escape_literal_interpolation" / "device_telemetry.py")
    (finding,) = EscapeLiteralInterpolation.check_terraform_json(broken, None)
    assert finding.address == "aws_iot_topic_rule.telemetry-rule" and "${topic(2)}" in finding.message
    repaired = _only_stack(synth_worker, FIXED / "escape_literal_interpolation" / "device_telemetry.py")
    (kinesis,) = repaired["resource"]["aws_iot_topic_rule"]["telemetry-rule"]["kinesis"]
    assert kinesis["partition_key"] == "$${topic(2)}"
    assert kinesis["stream_name"] == "${aws_kinesis_stream.telemetry.name}"


def test_text_given_to_terraform_functions_is_escaped_by_cdktf_alone(synth_worker):
    """Text handed to Fn.base64encode (by the answer, or once CDK026 wraps it) is escaped by cdktf: the template
    literal and the shell variable reach the instance as `${...}`, once escaped in the JSON."""
    stack = _only_stack(synth_worker, FIXED / "escape_literal_interpolation" / "encoded_node_server.py")
    assert EscapeLiteralInterpolation.check_terraform_json(stack, None) == []
    templates = stack["resource"]["aws_launch_template"]
    server = templates["status-page"]["user_data"]
    assert server.startswith("${base64encode(") and "status ok ($${process.env.STAGE})" in server
    assert "STAGE=qa nohup node server.js" in server
    canary = templates["status-page-canary"]["user_data"]
    assert 'canary for $${HOSTNAME}' in canary and "$$${" not in canary
    assert templates["status-page"]["name_prefix"] == "status-qa-"


def test_launch_template_user_data_is_encoded_by_terraform(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "user_data_base64" / "web_fleet.py")
    (finding,) = UserDataBase64.check_terraform_json(broken, None)
    assert finding.address == "aws_launch_template.web-template"

    repaired = _only_stack(synth_worker, FIXED / "user_data_base64" / "web_fleet.py")
    assert UserDataBase64.check_terraform_json(repaired, None) == []
    template = repaired["resource"]["aws_launch_template"]["web-template"]
    user_data = template["user_data"]
    assert user_data.startswith("${base64encode(") and "yum install -y nginx" in user_data
    assert "s3://${aws_s3_bucket.site-assets.bucket}/site" in user_data
    assert template["image_id"] == "ami-0c2d3e4f5a6b7c8d9" and template["name_prefix"] == "web-staging-"


def test_an_encoded_literal_passes_the_check():
    encoded = base64.b64encode(b"#!/bin/bash\necho ready\n").decode()
    stack = {"resource": {"aws_launch_template": {"t": {"user_data": encoded}}}}
    assert UserDataBase64.check_terraform_json(stack, None) == []


@pytest.mark.parametrize(("inner", "literal"), [
    ("port", True), ("STAGE:-qa", True), ("#hosts[@]", True), ("topic(3)", True), ("AWS::Region", True),
    ("aws:username", True), ("aws_s3_bucket.logs.arn", False), ("var.region", False), ("local.names[0]", False),
    ('join("-", [var.a, var.b])', False), ("provider::aws::arn_parse(var.arn)", False), ("true", False),
    ('var.on ? "a" : "b"', False), ("[for s in var.list : upper(s)]", False), ("context.requestId", True),
    ('jsonencode({"Resource" = "arn:aws:s3:::${aws_s3_bucket.b.bucket}/*"})', False),
    ("random_id.suffix.hex", False), ("each.value.name", False), ("count.index", False), ("path.module", False),
])
def test_what_is_meant_literally(inner, literal):
    from repair.transforms.deploy.escape_literal_interpolation import is_literal_placeholder

    assert is_literal_placeholder(inner) is literal


def test_every_resources_user_data_base64_is_checked_in_the_json():
    # Not a list of resource types: aws_imagebuilder_image_recipe takes `user_data_base64` too.
    encoded = base64.b64encode(b"#!/bin/bash\necho ready\n").decode()
    stack = {"resource": {"aws_imagebuilder_image_recipe": {"r": {"user_data_base64": "#!/bin/bash\necho ready\n"}},
                          "aws_instance": {"ok": {"user_data_base64": encoded, "user_data": "#!/bin/bash\n"}}}}
    (finding,) = UserDataBase64.check_terraform_json(stack, None)
    assert finding.address == "aws_imagebuilder_image_recipe.r" and "`user_data_base64` must be" in finding.message
