"""CDK027 unknown-attribute: attributes read from provider constructs by names their classes do not have are read
by the one the class has, or reported with the closest; the repaired samples synthesize with the answer's values."""

from __future__ import annotations

import pytest

from repair.engine import repair_source

from conftest import BROKEN, FIXED


def _repair(code: str):
    result = repair_source(code)
    assert result.error is None
    return result


def test_an_attribute_without_a_match_is_reported_with_the_closest():
    code = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
            "fn = LambdaFunction(self, 'f', function_name='f', role=r)\n"
            "url = fn.invoke_url\n")
    result = _repair(code)
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert (finding.rule_id, finding.fixed) == ("CDK027", False)
    assert "LambdaFunction has no attribute invoke_url" in finding.message and "invoke_arn" in finding.message
    assert finding.prevents() == ("AttributeError: 'LambdaFunction' object has no attribute 'invoke_url' "
                                  "(cdktf synth fails)")


def test_a_method_the_class_lacks_is_reported_not_renamed():
    code = ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
            "bucket = S3Bucket(self, 'b')\n"
            "bucket.add_lifecycle_rule(rule)\n")
    result = _repair(code)
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert not finding.fixed and "has no method add_lifecycle_rule" in finding.message


def test_values_set_on_a_construct_and_structs_are_left_alone():
    code = ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketVersioning\n"
            "bucket = S3Bucket(self, 'b')\n"
            "bucket.bucket_name = 'kept by the program'\n"
            "versioning = S3BucketVersioning(enabled=True)\n"
            "flag = versioning.bucket_enabled\n")
    assert _repair(code).findings == []


def test_synth_errors_name_the_attribute_rule():
    from repair.proof.verify import rule_for_synth_error

    assert rule_for_synth_error("AttributeError", "AttributeError: 'ElasticacheSubnetGroup' object has no "
                                "attribute 'subnet_group_name'") == "CDK027"
    assert rule_for_synth_error("AttributeError", "AttributeError: 'EksCluster' object has no attribute "
                                "'identity_get'") == "CDK016"
    assert rule_for_synth_error("AttributeError", "AttributeError: 'NetworkStack' object has no attribute "
                                "'lambda_security_group'") is None


SAMPLES = {
    "unknown_attribute/cache_subnet_group_name.py": "TypeError",  # the keyword CDK011 renames stops it first
    "unknown_attribute/outputs_by_invented_names.py": "AttributeError",
    "unknown_attribute/vpn_connection_id.py": "AttributeError",
}


@pytest.fixture(scope="module")
def stacks(synth_worker):
    found = {}
    for relative, error in SAMPLES.items():
        broken = synth_worker.synth(BROKEN / relative)
        assert not broken.ok and broken.error_type == error, broken.error
        repaired = synth_worker.synth(FIXED / relative)
        assert repaired.ok, (relative, repaired.error)
        (found[relative],) = repaired.stacks.values()
    return found


def _one(stack: dict, resource_type: str) -> dict:
    (resource,) = stack["resource"][resource_type].values()
    return resource


@pytest.mark.synth
def test_attributes_are_read_by_the_names_the_classes_have(stacks):
    stack = stacks["unknown_attribute/cache_subnet_group_name.py"]
    assert _one(stack, "aws_elasticache_subnet_group")["name"] == "sessions-cache-subnets"
    group = _one(stack, "aws_elasticache_replication_group")
    assert group["subnet_group_name"] == "${aws_elasticache_subnet_group.cache-subnets.name}"

    outputs = stacks["unknown_attribute/outputs_by_invented_names.py"]["output"]
    assert outputs["reports_uri"]["value"] == "s3://${aws_s3_bucket.reports.bucket}/monthly/"
    assert outputs["jobs_queue_url"]["value"] == "${aws_sqs_queue.jobs.url}"
    assert outputs["worker_role_arn"]["value"] == "${aws_iam_role.worker.arn}"

    route = _one(stacks["unknown_attribute/vpn_connection_id.py"], "aws_vpn_connection_route")
    assert route["destination_cidr_block"] == "192.168.10.0/24"
    assert route["vpn_connection_id"] == "${data.aws_vpn_connection.office-vpn.vpn_connection_id}"
