"""CDK015 missing-import, CDK017 python-literals, CDK014 provider-import-location and CDK001's new resolutions:
each broken sample stops at the error its rule names, and the repaired one synthesizes with the answer's values."""

from __future__ import annotations

import base64
import json

import pytest

from conftest import BROKEN, FIXED

pytestmark = pytest.mark.synth


def synthesized(worker, relative: str, broken_error: str) -> dict:
    broken = worker.synth(BROKEN / relative)
    assert not broken.ok and broken.error_type == broken_error, broken.error
    repaired = worker.synth(FIXED / relative)
    assert repaired.ok, repaired.error
    (stack,) = repaired.stacks.values()
    return stack


def only(resources: dict) -> dict:
    (resource,) = resources.values()
    return resource


def test_json_literals_become_python_values(synth_worker):
    stack = synthesized(synth_worker, "python_literals/state_machine_definition.py", "NameError")
    definition = json.loads(only(stack["resource"]["aws_sfn_state_machine"])["definition"])
    assert definition["States"]["CheckApproval"]["Choices"][0]["BooleanEquals"] is True
    assert definition["States"]["Approved"] == {"Type": "Pass", "Result": {"reason": None}, "End": True}

    stack = synthesized(synth_worker, "python_literals/event_pattern_exists.py", "NameError")
    pattern = json.loads(only(stack["resource"]["aws_cloudwatch_event_rule"])["event_pattern"])
    assert pattern["detail"] == {"error": [{"exists": True}], "retried": [False]}

    stack = synthesized(synth_worker, "python_literals/dashboard_widget_helper.py", "NameError")
    body = json.loads(only(stack["resource"]["aws_cloudwatch_dashboard"])["dashboard_body"])
    assert [w["properties"]["stacked"] for w in body["widgets"]] == [True, False]
    assert all(w["properties"]["setPeriodToTimeRange"] is False for w in body["widgets"])
    assert body["periodOverride"] is None


def test_missing_imports_are_added(synth_worker):
    stack = synthesized(synth_worker, "missing_import/policy_json_and_outputs.py", "NameError")
    policy = json.loads(only(stack["resource"]["aws_s3_bucket_policy"])["policy"])
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert stack["output"]["reports-url"]["value"] == '${join("", ["s3://", aws_s3_bucket.reports.bucket])}'

    stack = synthesized(synth_worker, "missing_import/data_source_and_environment.py", "NameError")
    assert only(stack["data"]["aws_availability_zones"])["state"] == "available"
    subnets = stack["resource"]["aws_subnet"]
    assert sorted(s["cidr_block"] for s in subnets.values()) == ["10.20.0.0/24", "10.20.1.0/24"]
    assert subnets["private-1"]["availability_zone"] == "${element(data.aws_availability_zones.zones.names, 1)}"

    stack = synthesized(synth_worker, "missing_import/launch_template_user_data.py", "NameError")
    template = only(stack["resource"]["aws_launch_template"])
    assert "yum install -y nginx" in base64.b64decode(template["user_data"]).decode()
    assert len(template["tags"]["UserDataSha"]) == 12


def test_data_source_prefix_and_word_split_are_resolved(synth_worker):
    stack = synthesized(synth_worker, "provider_class_name/data_source_and_word_split.py", "ModuleNotFoundError")
    table = only(stack["resource"]["aws_timestreamwrite_table"])
    assert table["retention_properties"] == {"memory_store_retention_period_in_hours": 24,
                                             "magnetic_store_retention_period_in_days": 365}
    assert only(stack["resource"]["aws_timestreamwrite_database"])["database_name"] == "sensors"
    document = only(stack["data"]["aws_iam_policy_document"])
    assert document["statement"][0]["actions"] == ["timestream:WriteRecords"]
    assert only(stack["resource"]["aws_iam_role_policy"])["policy"] == "${data.aws_iam_policy_document.writer.json}"


def test_provider_classes_come_from_their_modules(synth_worker):
    stack = synthesized(synth_worker, "provider_import_location/root_class_imports.py", "ImportError")
    bucket = only(stack["resource"]["aws_s3_bucket"])
    assert bucket["bucket"] == "acme-site" and bucket["force_destroy"] is True
    access = only(stack["resource"]["aws_s3_bucket_public_access_block"])
    assert access["block_public_acls"] is True and access["restrict_public_buckets"] is False
    assert only(stack["resource"]["aws_s3_bucket_website_configuration"])["index_document"] == {"suffix": "index.html"}
    assert stack["provider"]["aws"][0]["region"] == "us-east-2"

    stack = synthesized(synth_worker, "provider_import_location/service_namespaces.py", "ImportError")
    task = only(stack["resource"]["aws_ecs_task_definition"])
    assert json.loads(task["container_definitions"])[0]["image"] == "acme/report:1.4"
    assert task["tags"] == {"Cluster": "${aws_ecs_cluster.batch.name}"}
    assert only(stack["resource"]["aws_cloudwatch_event_rule"])["schedule_expression"] == "cron(0 2 * * ? *)"

    stack = synthesized(synth_worker, "provider_import_location/package_alias_classes.py", "AttributeError")
    table = only(stack["resource"]["aws_dynamodb_table"])
    assert table["hash_key"] == "event_id" and table["attribute"] == [{"name": "event_id", "type": "S"}]
    versioning = only(stack["resource"]["aws_s3_bucket_versioning"])
    assert versioning["versioning_configuration"] == {"status": "Enabled"}
    assert versioning["bucket"] == "${aws_s3_bucket.archive.id}"


def test_cdktf_get_bindings_are_read_from_the_prebuilt_package(synth_worker):
    stack = synthesized(synth_worker, "provider_import_location/cdktf_get_bindings.py", "ModuleNotFoundError")
    assert stack["provider"]["aws"][0]["region"] == "eu-west-1"
    bucket = only(stack["resource"]["aws_s3_bucket"])
    assert bucket["bucket"] == "acme-docs-site" and bucket["force_destroy"] is True
    website = only(stack["resource"]["aws_s3_bucket_website_configuration"])
    assert website["index_document"] == {"suffix": "index.html"} and website["error_document"] == {"key": "404.html"}
    versioning = only(stack["resource"]["aws_s3_bucket_versioning"])
    assert versioning["versioning_configuration"] == {"status": "Enabled"}
    assert versioning["bucket"] == "${aws_s3_bucket.site.id}"


def test_classes_read_through_other_modules_come_from_their_own(synth_worker):
    stack = synthesized(synth_worker, "provider_class_name/classes_read_through_other_modules.py",
                        "ModuleNotFoundError")
    resources = stack["resource"]
    group = only(resources["aws_db_subnet_group"])
    assert group["name"] == "orders-db-subnets" and group["subnet_ids"] == ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    assert only(resources["aws_rds_cluster"])["db_subnet_group_name"] == "${aws_db_subnet_group.db-subnets.name}"
    version = only(resources["aws_secretsmanager_secret_version"])
    assert json.loads(version["secret_string"]) == {"username": "orders", "port": 5432}
    cache = only(resources["aws_elasticache_serverless_cache"])
    assert (cache["name"], cache["engine"]) == ("orders-sessions", "valkey")
