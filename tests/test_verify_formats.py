"""`repair verify --format text|json|sarif`: each Terraform JSON finding by resource address, at the line of its
construct id when the project's Python names it, so CI can gate on what synth cannot see."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from repair.cli import app
from repair.proof.verify import locate

from conftest import BROKEN, ROOT

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
runner = CliRunner()

# A key that encrypts a log group with the default key policy, created with a second provider: whose account and
# region are not in reach, so it is only reportable and stays after repair.
DEFAULT_POLICY_STACK = '''from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class LedgerLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = "prod"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-south-1")
        ledger = AwsProvider(self, "ledger", alias="ledger", region="eu-south-1", profile="ledger")
        ledger_key = KmsKey(self, f"ledger-key-{stage}", enable_key_rotation=True, provider=ledger)
        CloudwatchLogGroup(self, "ledger-logs", name="/ledger", kms_key_id=ledger_key.arn)
'''


def test_a_hashed_nested_address_finds_its_construct_id(tmp_path):
    module = tmp_path / "stack.py"
    module.write_text('x = 1\nself.group = CloudwatchLogGroup(\n    self, "data_processor_log_group", name="/dp")\n')
    assert locate(module, "aws_cloudwatch_log_group.compute_data_processor_log_group_CFDF446A").line == 3
    assert locate(module, "aws_s3_bucket.elsewhere") is None
    assert locate(module, "terraform.backend.s3") is None


def test_json_names_address_file_and_line_and_what_repair_leaves(shared_synth, tmp_path):
    remaining = tmp_path / "ledger_logs.py"
    remaining.write_text(DEFAULT_POLICY_STACK)
    repaired = BROKEN / "user_data_base64" / "web_fleet.py"
    result = runner.invoke(app, ["verify", "--format", "json", str(repaired), str(remaining)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["summary"] == {"projects": 2, "findings": 2, "after_repair": 1,
                                                        "failing": 1}
    fleet, ledger = data["projects"]
    (encoded,) = fleet["findings"]
    assert encoded["rule"] == "CDK026" and encoded["address"] == "aws_launch_template.web-template"
    assert (encoded["before"], encoded["after"]) == (True, False)
    assert encoded["file"] == str(repaired) and encoded["line"] == 22
    assert fleet["after"]["ok"] is True
    (key,) = ledger["findings"]
    assert key["address"] == "aws_kms_key.ledger-key-prod" and key["severity"] == "high"
    assert (key["before"], key["after"]) == (True, True)
    assert (key["file"], key["line"], key["column"]) == (str(remaining), 13, 35)  # the f-string id renders it


def test_sarif_results_validate_and_point_at_the_construct(shared_synth, tmp_path):
    remaining = tmp_path / "ledger_logs.py"
    remaining.write_text(DEFAULT_POLICY_STACK)
    result = runner.invoke(app, ["verify", "--format", "sarif", str(remaining)])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    (finding,) = log["runs"][0]["results"]
    assert finding["ruleId"] == "CDK024" and finding["level"] == "error"
    assert finding["locations"][0]["physicalLocation"]["region"] == {"startLine": 13, "startColumn": 35}
    assert finding["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_kms_key.ledger-key-prod"
    assert finding["properties"]["repairedByFix"] is False
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not present")
    import jsonschema

    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))


def test_text_lists_each_finding_under_its_project(shared_synth):
    sample = BROKEN / "kms_logs_key_policy" / "audit_logs.py"
    result = runner.invoke(app, ["verify", str(sample)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].endswith("after:  synth ok, Terraform JSON clean")
    assert lines[2] == (f"    {sample}:18:13: CDK024 aws_kms_key.audit-key (repaired): encrypts "
                        "aws_cloudwatch_log_group.audit-trail but its policy does not name the principal "
                        "logs.<region>.amazonaws.com")


def test_an_unknown_format_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["verify", "--format", "xml", str(tmp_path)])
    assert result.exit_code == 2 and "--format must be one of text, json, sarif" in result.stderr, result.output
