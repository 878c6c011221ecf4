"""CDK040: data sources read through Terraform's text, in source and in the synthesized JSON."""

from __future__ import annotations

import pytest

from repair.engine import repair_source, select_rules
from repair.transforms.deploy.data_reference_text import DataReferenceText

from conftest import BROKEN, FIXED

METHOD = ("class Stack(TerraformStack):\n"
          "    def __init__(self, scope, id):\n"
          "        super().__init__(scope, id)\n")


@pytest.mark.parametrize(("code", "message"), [
    # A data source with arguments of its own: which ones is the code's to say.
    (METHOD + "        zone = '${data.aws_availability_zones.available.names[0]}'\n", "its arguments are the code's"),
    (METHOD + "        arn = '${data.aws_caller_identity.current.acount_id}'\n", "has no attribute `acount_id`"),
    # Outside a method of a class there is no scope to declare it in.
    ("ARN = 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root'\n", "declare a DataAwsCallerIdentity"),
])
def test_references_without_one_repair_are_reported_and_left(code, message):
    result = repair_source(code, rules=select_rules(["CDK040"]))
    (finding,) = result.findings
    assert not finding.fixed and message in finding.message and result.fixed_source == code


def test_one_data_source_per_method_whatever_the_number_of_reads():
    code = METHOD + ("        a = 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root'\n"
                     "        b = f'{a}/${{data.aws_caller_identity.me.account_id}}'\n")
    result = repair_source(code, rules=select_rules(["CDK040"]))
    assert result.fixed_source.count("DataAwsCallerIdentity(self") == 1
    assert "b = f'{a}/{caller_identity.account_id}'" in result.fixed_source


def test_json_check_names_references_the_stack_does_not_declare():
    stack = {
        "data": {"aws_region": {"region": {}}},
        "resource": {
            "aws_kms_key": {"k": {"policy": "{\"AWS\": \"arn:aws:iam::${data.aws_caller_identity.current.account_id}"
                                            ":root\"}"}},
            "aws_ssm_parameter": {"p": {"value": "${data.aws_region.region.name}"},
                                  "q": {"value": "${aws_sqs_queue.jobs.url}"},
                                  "e": {"value": "$${data.aws_region.other.name} is text"}},
            "aws_s3_bucket": {"s": {"bucket": "state-${random_id.suffix.hex}",
                                    "tags": {"Env": "${terraform.workspace}", "Id": "${var.id}-${each.value.x}"}}}},
        "output": {"zone": {"value": "${element(data.aws_availability_zones.azs.names, 0)}"}}}
    found = {(f.address, f.message) for f in DataReferenceText.check_terraform_json(stack, None)}
    assert found == {
        ("aws_kms_key.k", "refers to data.aws_caller_identity.current, which the stack does not declare"),
        ("aws_ssm_parameter.q", "refers to aws_sqs_queue.jobs, which the stack does not declare"),
        ("output.zone", "refers to data.aws_availability_zones.azs, which the stack does not declare"),
        ("aws_s3_bucket.s", "refers to random_id.suffix, which the stack does not declare")}


@pytest.mark.synth
@pytest.mark.parametrize("name", ["kms_key_root_account.py", "bucket_policy_source_account.py"])
def test_samples_refer_to_undeclared_data_and_declare_it_once_repaired(synth_worker, name):
    from repair.proof.verify import check_terraform_json

    findings = {}
    for label, folder in (("broken", BROKEN), ("fixed", FIXED)):
        result = synth_worker.synth(folder / "data_reference_text" / name)
        assert result.ok, result.error  # synth passes the text: only terraform plan looks the address up
        (stack,) = result.stacks.values()
        findings[label] = [f for f in check_terraform_json(stack) if f.rule_id == "CDK040"]
    assert findings["broken"] and findings["fixed"] == []


def test_a_resource_read_by_its_address_is_reported_unless_something_declares_it():
    code = METHOD + "        S3Bucket(self, 'state', bucket='tf-state-${random_id.suffix.hex}')\n"
    result = repair_source(code, rules=select_rules(["CDK040"]))
    (finding,) = result.findings
    assert not finding.fixed and "nothing here declares a construct `suffix`" in finding.message
    # Declared as a construct of that id, or written into the stack's JSON by an override: left to the JSON check.
    for declared in ("        RandomId(self, 'suffix', byte_length=4)\n",
                     "        self.add_override('resource.random_id.suffix', {'byte_length': 4})\n"):
        assert repair_source(code + declared, rules=select_rules(["CDK040"])).findings == []


def test_what_a_test_expects_of_the_synthesized_json_is_not_terraform_input():
    # A public project's tests compare the JSON with `${aws_db_instance.test-rds.address}`, the address cdktf gives
    # the construct its stack creates from input data: an expectation, never Terraform's input (7 false reports).
    code = ("from cdktf import Testing\n"
            "from er.stack import Stack\n"
            "def test_outputs():\n"
            "    result = Testing.synth(Stack(Testing.app(), 'CDKTF', data()))\n"
            "    expected_outputs = {'db_host': {'value': '${aws_db_instance.test-rds.address}'}}\n"
            "    assert result['output'] == expected_outputs\n"
            "    assert Testing.to_have_resource_with_properties(result, 'aws_iam_role_policy_attachment',\n"
            "                                                    {'role': '${aws_iam_role.monitoring.name}'})\n")
    assert repair_source(code, rules=select_rules(["CDK040"])).findings == []
    # The same text handed to a construct is Terraform's input: reported.
    built = code + "    S3Bucket(self, 'b', bucket='${aws_db_instance.test-rds.address}')\n"
    (finding,) = repair_source(built, rules=select_rules(["CDK040"])).findings
    assert finding.line == 9 and "nothing here declares a construct `test-rds`" in finding.message
