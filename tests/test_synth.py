"""The proof: the repaired review system synthesizes with the real cdktf and provider, and the Terraform JSON no
longer carries the four failures that only show at init or deploy; the broken one stops at the ImportError."""

from __future__ import annotations

import json
import shutil

import pytest

from repair.proof.synth import find_entry
from repair.transforms._base import all_rules

from conftest import BROKEN, FIXED

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def worker(synth_worker):
    return synth_worker


@pytest.fixture(scope="module")
def repaired_stack(worker):
    result = worker.synth(FIXED / "review_system")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_broken_review_system_fails_with_the_import_error(worker):
    result = worker.synth(BROKEN / "review_system")
    assert not result.ok
    assert result.error_type == "ImportError"
    assert "cannot import name 'S3BucketServerSideEncryptionConfiguration'" in result.first_error_line


def test_no_use_lockfile_in_the_s3_backend(repaired_stack):
    backend = repaired_stack["terraform"]["backend"]["s3"]
    assert "use_lockfile" not in backend
    assert backend["encrypt"] is True


def test_deployment_depends_on_both_integrations(repaired_stack):
    (deployment,) = repaired_stack["resource"]["aws_api_gateway_deployment"].values()
    integrations = {f"aws_api_gateway_integration.{name}"
                    for name in repaired_stack["resource"]["aws_api_gateway_integration"]}
    assert len(integrations) == 2
    assert integrations <= set(deployment["depends_on"])


def test_notification_depends_on_the_s3_permission(repaired_stack):
    permissions = repaired_stack["resource"]["aws_lambda_permission"]
    s3_permissions = {f"aws_lambda_permission.{name}" for name, p in permissions.items()
                      if p["principal"] == "s3.amazonaws.com"}
    (notification,) = repaired_stack["resource"]["aws_s3_bucket_notification"].values()
    assert s3_permissions and s3_permissions <= set(notification["depends_on"])


def test_every_lifecycle_rule_has_a_filter(repaired_stack):
    for configuration in repaired_stack["resource"]["aws_s3_bucket_lifecycle_configuration"].values():
        for rule in configuration["rule"]:
            assert "filter" in rule or "prefix" in rule


def test_synth_writes_nothing_into_the_project(worker, tmp_path):
    project = tmp_path / "review_system"
    shutil.copytree(FIXED / "review_system", project)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert worker.synth(project).ok
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_entry_comes_from_cdktf_json(tmp_path):
    (tmp_path / "cdktf.json").write_text('{"app": "pipenv run python main_app.py"}')
    (tmp_path / "main_app.py").write_text("")
    (tmp_path / "tap.py").write_text("")
    assert find_entry(tmp_path) == tmp_path / "main_app.py"


# Lone stack modules among the samples: each repaired one synthesizes; each broken one fails the way its rule says.
LONE_STACKS = [
    ("provider_class_name/parenthesized_import_with_alias.py", "ImportError"),
    ("provider_class_name/module_alias_attribute.py", "AttributeError"),
    ("provider_class_name/words_left_out.py", "ModuleNotFoundError"),  # no module ...s3_bucket_encryption
    ("provider_block_shape/lifecycle_struct_objects.py", "RuntimeError"),  # jsii: Unable to deserialize value
    ("provider_block_shape/dict_blocks.py", "RuntimeError"),
    ("provider_block_shape/module_alias_versioning.py", "TypeError"),  # typeguard: got list instead
    ("list_block_dict_keys/private_zone_vpc.py", "RuntimeError"),  # jsii: Missing required properties 'vpcId'
    ("list_block_dict_keys/usage_plan_stages.py", "RuntimeError"),  # jsii: Missing required properties 'apiId'
    ("list_block_dict_keys/nested_metric_query.py", "RuntimeError"),  # ... 'metricName'
    ("token_misuse/subnets_per_zone.py", "IndexError"),  # azs.names[1]: the token list holds one placeholder
    ("token_misuse/eks_oidc_issuer.py", "AttributeError"),  # no attribute 'identity_get'
    ("token_misuse/fn_helper_names.py", "AttributeError"),  # no attribute 'zone_ids_get'
    ("token_misuse/terraform_call_in_fstring.py", "RuntimeError"),  # an encoded list token in a scalar string
    ("token_misuse/account_from_fn.py", "AttributeError"),  # type object 'Fn' has no attribute 'data_aws_...'
    ("construct_tree/duplicate_ids.py", "RuntimeError"),  # There is already a Construct with name 'log_bucket'
    ("construct_tree/provider_without_id.py", "TypeError"),  # missing 1 required positional argument: 'id'
    ("construct_tree/provider_address_string.py", "TypeError"),  # argument provider ...; got str instead
    ("construct_tree/stack_without_provider.py", "RuntimeError"),  # resources without a matching provider construct
    ("construct_tree/provider_region_alias.py", "TypeError"),  # argument provider ...; got str instead
    ("list_block_dict_keys/comprehension_and_variable.py", "RuntimeError"),  # ... 'subnetId'
    ("list_block_dict_keys/spread_service_config.py", "RuntimeError"),  # ... 'containerName', 'containerPort'
    ("provider_block_shape/spread_bucket_settings.py", "TypeError"),  # typeguard: got list instead
    ("struct_class/launch_template_tags.py", "ImportError"),
    ("struct_class/backup_copy_lifecycle.py", "TypeError"),  # got BackupPlanRuleLifecycle instead
    ("struct_class/dynamodb_stream.py", "ImportError"),
    ("struct_class/ecs_container_definitions.py", "ImportError"),
    ("struct_class/async_invoke_destinations.py", "TypeError"),  # got ...DestinationConfigOnFailure instead
    # resources without a matching provider construct, in the parts made stacks of their own
    ("nested_stack/network_and_app.py", "RuntimeError"),
    ("nested_stack/module_qualified_base.py", "RuntimeError"),
    ("nested_stack/queues_part.py", "RuntimeError"),
    ("any_block_dicts/managed_rule_groups.py", "ImportError"),
    ("any_block_dicts/rate_limit_scope_down.py", "ImportError"),
    ("any_block_dicts/module_alias_and_statement.py", "AttributeError"),
]


@pytest.mark.parametrize(("relative", "broken_error"), LONE_STACKS, ids=[r for r, _ in LONE_STACKS])
def test_lone_stack_samples_synthesize_once_repaired(worker, relative, broken_error):
    broken = worker.synth(BROKEN / relative)
    assert not broken.ok and broken.error_type == broken_error, broken.error
    repaired = worker.synth(FIXED / relative)
    assert repaired.ok, repaired.error
    assert repaired.stacks


def test_dicts_in_list_blocks_keep_their_keys_once_repaired(worker):
    result = worker.synth(FIXED / "list_block_dict_keys" / "nested_metric_query.py")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (alarm,) = stack["resource"]["aws_cloudwatch_metric_alarm"].values()
    queries = alarm["metric_query"]
    assert queries[0]["return_data"] is True
    assert queries[1]["metric"]["metric_name"] == "5XXError"


def test_blocks_from_comprehensions_variables_and_conditionals_keep_their_keys(worker):
    stack = _only_stack(worker, "list_block_dict_keys/comprehension_and_variable.py")
    (firewall,) = stack["resource"]["aws_networkfirewall_firewall"].values()
    assert firewall["subnet_mapping"] == [{"subnet_id": "${aws_subnet.private-0.id}"},
                                          {"subnet_id": "${aws_subnet.private-1.id}"}]
    (group,) = stack["resource"]["aws_security_group"].values()
    assert [(rule["from_port"], rule["to_port"], rule["protocol"]) for rule in group["ingress"]] == [
        (80, 80, "tcp"), (443, 443, "tcp")]
    assert [(rule["from_port"], rule["cidr_blocks"]) for rule in group["egress"]] == [(443, ["0.0.0.0/0"])]


def test_blocks_of_a_spread_dict_keep_their_keys_and_shape(worker):
    stack = _only_stack(worker, "list_block_dict_keys/spread_service_config.py")
    (service,) = stack["resource"]["aws_ecs_service"].values()
    assert service["name"] == "checkout-api" and service["desired_count"] == 2
    assert service["load_balancer"] == [{"target_group_arn": "${aws_lb_target_group.web.arn}",
                                         "container_name": "checkout-api", "container_port": 8080}]
    stack = _only_stack(worker, "provider_block_shape/spread_bucket_settings.py")
    (versioning,) = stack["resource"]["aws_s3_bucket_versioning"].values()
    assert versioning["versioning_configuration"] == {"status": "Enabled", "mfa_delete": "Disabled"}
    assert versioning["bucket"] == "${aws_s3_bucket.archive.id}"


def _only_stack(worker, relative):
    result = worker.synth(FIXED / relative)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_token_lists_are_read_with_terraform_functions_once_repaired(worker):
    stack = _only_stack(worker, "token_misuse/subnets_per_zone.py")
    subnets = stack["resource"]["aws_subnet"]
    # Each subnet gets its own zone (the broken f-string gave the whole list's placeholder to the first one).
    assert subnets["public-a"]["availability_zone"] == "${element(data.aws_availability_zones.azs.names, 0)}"
    assert subnets["public-b"]["availability_zone"] == "${element(data.aws_availability_zones.azs.names, 1)}"
    for i in range(2):  # f"${{{azs.names_fqn}[{i}]}}": Terraform's index written around a Python value
        assert subnets[f"private-{i}"]["availability_zone"] == (
            f"${{element(data.aws_availability_zones.azs.names, {i})}}")
    assert {s["cidr_block"] for s in subnets.values()} == {"10.20.1.0/24", "10.20.2.0/24", "10.20.10.0/24",
                                                          "10.20.11.0/24"}
    assert stack["output"]["zone_count"]["value"] == "${length(data.aws_availability_zones.azs.names)}"


def test_terraform_calls_written_in_fstrings_are_fns_once_repaired(worker):
    stack = _only_stack(worker, "token_misuse/terraform_call_in_fstring.py")
    subnets = {k.split("_")[1]: v for k, v in stack["resource"]["aws_subnet"].items()}
    (zones,) = stack["data"]["aws_availability_zones"]
    names = f"data.aws_availability_zones.{zones}.names"
    for i in range(3):
        assert subnets[f"app-{i}"]["availability_zone"] == f"${{element({names}, {i})}}"
        assert subnets[f"app-{i}"]["cidr_block"].startswith("${cidrsubnet(aws_vpc.")  # string tokens: as written
    assert subnets["spare"]["availability_zone"] == f"${{element({names}, 0)}}"
    (output,) = stack["output"].values()
    assert output["value"] == f'${{join(",", {names})}}'


def test_data_sources_read_through_fn_are_read_from_the_data_source_once_repaired(worker):
    stack = _only_stack(worker, "token_misuse/account_from_fn.py")
    (identity,) = stack["data"]["aws_caller_identity"]
    account = f"${{data.aws_caller_identity.{identity}.account_id}}"
    (key,) = stack["resource"]["aws_kms_key"].values()
    assert json.loads(key["policy"])["Statement"][0]["Principal"]["AWS"] == f"arn:aws:iam::{account}:root"
    assert stack["output"]["account"]["value"] == account


def test_lists_of_blocks_are_read_with_get_once_repaired(worker):
    stack = _only_stack(worker, "token_misuse/eks_oidc_issuer.py")
    issuer = "${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}"
    (oidc,) = stack["resource"]["aws_iam_openid_connect_provider"].values()
    assert oidc["url"] == issuer and oidc["client_id_list"] == ["sts.amazonaws.com"]
    assert stack["output"]["issuer"]["value"] == issuer


def test_misspelt_fn_functions_are_terraforms_once_repaired(worker):
    stack = _only_stack(worker, "token_misuse/fn_helper_names.py")
    (instance,) = stack["resource"]["aws_instance"].values()
    assert instance["availability_zone"] == "${element(data.aws_availability_zones.zones.zone_ids, 0)}"
    assert instance["user_data_base64"] == '${base64encode("#!/bin/bash\\necho ready > /tmp/ready\\n")}'
    assert instance["tags"] == {"Name": '${upper("worker")}'}


def test_quoted_texts_reach_terraform_functions_escaped_once_repaired(worker):
    broken = worker.synth(BROKEN / "token_misuse" / "quoted_script.py")
    assert not broken.ok and "unescaped double quotes" in broken.error
    stack = _only_stack(worker, "token_misuse/quoted_script.py")
    (template,) = stack["resource"]["aws_launch_template"].values()
    assert template["user_data"] == (
        '${base64encode("#!/bin/bash\\necho \\"<h1>production</h1>\\" > /var/www/html/index.html\\n")}')
    assert stack["output"]["settings"]["value"] == '${jsondecode("{\\"replicas\\": 2}")}'


def test_a_quoted_script_is_filled_in_by_terraform_once_repaired(worker):
    broken = worker.synth(BROKEN / "token_misuse" / "filled_in_script.py")
    assert not broken.ok and "Argument 0 of base64encode failed the validation" in broken.error
    stack = _only_stack(worker, "token_misuse/filled_in_script.py")
    (template,) = stack["resource"]["aws_launch_template"].values()
    assert template["user_data"] == (
        '${base64encode(replace(replace("#!/bin/bash\\necho \\"STAGE=@STAGE@\\" >> /etc/environment\\naws s3 cp '
        '\\"s3://@BUCKET@/worker.tar.gz\\" /opt/worker.tar.gz\\n", "@STAGE@", "staging"), "@BUCKET@", '
        'aws_s3_bucket.reports.bucket))}')
    assert template["name_prefix"] == "report-worker-staging-"


def test_decoded_keys_arn_parts_and_own_ids_are_read_by_terraform_once_repaired(worker):
    broken = worker.synth(BROKEN / "token_misuse" / "secret_and_arn_parts.py")
    assert not broken.ok
    stack = _only_stack(worker, "token_misuse/secret_and_arn_parts.py")
    (database,) = stack["resource"]["aws_db_instance"].values()
    decoded = "jsondecode(data.aws_secretsmanager_secret_version.credentials.secret_string)"
    # cdktf writes Terraform's lookup() of a key without a default as the key read on the map
    assert database["username"] == f"${{{decoded}.username}}"
    assert database["password"] == f"${{{decoded}.password}}"
    (alarm,) = stack["resource"]["aws_cloudwatch_metric_alarm"].values()
    assert alarm["dimensions"] == {"LoadBalancer": '${element(split(":loadbalancer/", aws_lb.front.arn), 1)}'}
    assert stack["output"]["office_vpn"]["value"] == "${data.aws_vpn_connection.office.vpn_connection_id}"


def test_cloudformation_sub_becomes_the_string_it_stands_for_once_repaired(worker):
    broken = worker.synth(BROKEN / "token_misuse" / "cloudformation_sub.py")
    assert not broken.ok and "has no attribute 'sub'" in broken.error
    stack = _only_stack(worker, "token_misuse/cloudformation_sub.py")
    assert set(stack["data"]) == {"aws_caller_identity", "aws_partition"}
    (role,) = stack["resource"]["aws_iam_role"].values()
    trust = json.loads(role["assume_role_policy"])
    assert trust["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::${data.aws_caller_identity.caller_identity.account_id}:root"}
    (inline,) = role["inline_policy"]
    read = json.loads(inline["policy"])
    assert read["Statement"][0]["Resource"] == (
        "arn:${data.aws_partition.partition.partition}:s3:::${aws_s3_bucket.audit-logs.bucket}/210987654321/*")


def test_duplicate_construct_ids_keep_both_resources_once_repaired(worker):
    stack = _only_stack(worker, "construct_tree/duplicate_ids.py")
    buckets = stack["resource"]["aws_s3_bucket"]
    assert {name: b["bucket"] for name, b in buckets.items()} == {
        "log_bucket": "shop-access-logs", "log_bucket_2": "shop-audit-logs"}
    assert stack["output"]["log_bucket_arn"]["value"] == "${aws_s3_bucket.log_bucket.arn}"
    assert stack["output"]["log_bucket_arn_2"]["value"] == "${aws_s3_bucket.log_bucket_2.arn}"


def test_provider_keeps_its_settings_once_given_an_id(worker):
    stack = _only_stack(worker, "construct_tree/provider_without_id.py")
    assert stack["provider"]["aws"] == [{"region": "eu-central-1", "default_tags": [{"tags": {"team": "orders"}}]}]
    (queue,) = stack["resource"]["aws_sqs_queue"].values()
    assert queue["name"] == "orders-queue" and queue["visibility_timeout_seconds"] == 60


def test_provider_string_becomes_the_aliased_provider_once_repaired(worker):
    stack = _only_stack(worker, "construct_tree/provider_address_string.py")
    assert {"alias": "replica", "region": "us-west-2"} in stack["provider"]["aws"]
    topics = stack["resource"]["aws_sns_topic"]
    assert topics["alerts-replica"]["provider"] == "aws.replica" and topics["alerts-replica"]["name"] == "alerts-replica"
    assert "provider" not in topics["alerts"]


def test_region_addresses_become_one_aliased_provider_per_region_once_repaired(worker):
    stack = _only_stack(worker, "construct_tree/provider_region_alias.py")
    assert stack["provider"]["aws"] == [{"region": "us-east-1"}, {"alias": "eu_west_1", "region": "eu-west-1"},
                                        {"alias": "ap_south_1", "region": "ap-south-1"}]
    topics = stack["resource"]["aws_sns_topic"]
    assert {name: (t["name"], t.get("provider")) for name, t in topics.items()} == {
        "audit-us-east-1": ("audit-us-east-1", None), "audit-eu-west-1": ("audit-eu-west-1", "aws.eu_west_1"),
        "audit-ap-south-1": ("audit-ap-south-1", "aws.ap_south_1")}
    # the queue's literal address reuses the provider the loop created for that alias
    assert stack["resource"]["aws_sqs_queue"]["archive"] == {
        **stack["resource"]["aws_sqs_queue"]["archive"], "name": "audit-archive", "provider": "aws.eu_west_1"}


def test_a_stack_given_a_region_gets_its_provider_with_it(worker):
    stack = _only_stack(worker, "construct_tree/stack_without_provider.py")
    assert stack["provider"]["aws"] == [{"region": "ca-central-1"}]
    queues = stack["resource"]["aws_sqs_queue"]
    assert queues["orders"]["name"] == "orders-dev" and queues["dead-letters"]["name"] == "orders-dlq-dev"
    assert stack["output"]["orders_queue_url"]["value"] == "${aws_sqs_queue.orders.url}"


def test_invented_structs_keep_their_values_once_renamed_or_flattened(worker):
    (template,) = _only_stack(worker, "struct_class/launch_template_tags.py")["resource"]["aws_launch_template"].values()
    assert [t["resource_type"] for t in template["tag_specifications"]] == ["instance", "volume"]
    assert template["tag_specifications"][0]["tags"]["Name"] == "web"

    (plan,) = _only_stack(worker, "struct_class/backup_copy_lifecycle.py")["resource"]["aws_backup_plan"].values()
    assert plan["rule"][0]["lifecycle"] == {"delete_after": 35}
    assert plan["rule"][0]["copy_action"][0]["lifecycle"] == {"cold_storage_after": 30, "delete_after": 120}

    (table,) = _only_stack(worker, "struct_class/dynamodb_stream.py")["resource"]["aws_dynamodb_table"].values()
    assert (table["stream_enabled"], table["stream_view_type"]) == (True, "NEW_AND_OLD_IMAGES")


def test_container_definitions_become_the_json_ecs_reads(worker):
    import json

    stack = _only_stack(worker, "struct_class/ecs_container_definitions.py")
    (task,) = stack["resource"]["aws_ecs_task_definition"].values()
    (container,) = json.loads(task["container_definitions"])
    assert container["image"] == "public.ecr.aws/nginx/nginx:1.27" and container["essential"] is True
    assert container["portMappings"] == [{"containerPort": 80, "protocol": "tcp"}]
    assert container["logConfiguration"]["options"]["awslogs-group"] == "${aws_cloudwatch_log_group.logs.name}"


def test_waf_statements_reach_terraform_with_their_keys(worker):
    (acl,) = _only_stack(worker, "any_block_dicts/managed_rule_groups.py")["resource"]["aws_wafv2_web_acl"].values()
    assert [r["statement"]["managed_rule_group_statement"] for r in acl["rule"]] == [
        {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"},
        {"name": "AWSManagedRulesSQLiRuleSet", "vendor_name": "AWS"},
    ]
    (acl,) = _only_stack(worker, "any_block_dicts/rate_limit_scope_down.py")["resource"]["aws_wafv2_web_acl"].values()
    rate = acl["rule"][0]["statement"]["rate_based_statement"]
    assert (rate["limit"], rate["aggregate_key_type"]) == (500, "IP")
    assert rate["scope_down_statement"]["geo_match_statement"]["country_codes"] == ["BR", "IN"]
    (acl,) = _only_stack(worker, "any_block_dicts/module_alias_and_statement.py")["resource"]["aws_wafv2_web_acl"].values()
    byte_match, label_match = acl["rule"][0]["statement"]["and_statement"]["statement"]
    assert byte_match["byte_match_statement"]["search_string"] == "/login"
    assert label_match["label_match_statement"]["scope"] == "LABEL"


def test_review_system_encryption_rule_is_not_empty(repaired_stack):
    (sse,) = repaired_stack["resource"]["aws_s3_bucket_server_side_encryption_configuration"].values()
    assert sse["rule"] == [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]


def test_json_checks_name_the_four_failures_synth_cannot_see(worker, tmp_path):
    """The review system with only its import repaired synthesizes; the Terraform JSON still carries CDK002-5."""
    from repair.engine import repair_source, select_rules
    from repair.proof.verify import check_terraform_json, record_from

    project = tmp_path / "review_system"
    shutil.copytree(BROKEN / "review_system", project)
    stack_file = project / "lib" / "tap_stack.py"
    stack_file.write_text(repair_source(stack_file.read_text(), rules=select_rules(["CDK001"])).fixed_source)
    result = worker.synth(project)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    found = {(f.rule_id, f.address) for f in check_terraform_json(stack)}
    assert found == {
        ("CDK002", "terraform.backend.s3"),
        ("CDK003", "aws_api_gateway_deployment.reviews-api-deployment"),
        ("CDK004", "aws_s3_bucket_notification.review-images-notification"),
        ("CDK005", "aws_s3_bucket_lifecycle_configuration.review-images-lifecycle"),
    }
    assert not check_terraform_json(stack, terraform_version=(1, 10)) or all(
        f.rule_id != "CDK002" for f in check_terraform_json(stack, terraform_version=(1, 10)))
    assert record_from(result, None).json_findings


def test_verify_command_on_the_samples(shared_synth):
    """Every project in fixed_samples/ synthesizes with clean Terraform JSON; each broken project fails first for
    its rule and passes once repaired. One `repair verify` run, so one provider load."""
    from typer.testing import CliRunner

    from repair.cli import app

    broken = [BROKEN / name for name in ("review_system", "list_block_dict_keys", "provider_block_shape",
                                         "provider_class_name")]
    # Reserved domains and missing required values are only reported: their samples keep the domain, which verify
    # names, and the call without the value, which synth stops at (tests of their own).
    only_reported = {rule.slug.replace("-", "_") for rule in all_rules() if rule.reports_only}
    fixed = [p for p in sorted(FIXED.iterdir()) if p.is_dir() and p.name not in only_reported]
    result = CliRunner().invoke(app, ["verify", *map(str, fixed), *map(str, broken)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    fixed_lines = [l for l in lines if l.startswith(str(FIXED))]
    assert len([l for l in fixed_lines if "synth ok, Terraform JSON clean" in l]) >= 2 * 10
    assert all("synth ok, Terraform JSON clean" in l or "skipped (a stack that needs arguments)" in l
               for l in fixed_lines)
    broken_lines = [l for l in lines if l.startswith(str(BROKEN))]
    afters = [l for l in broken_lines if ": after: " in l]
    assert afters and all(l.endswith("synth ok, Terraform JSON clean") for l in afters)
    failing = [l for l in broken_lines if ": before: synth failed" in l]
    assert len(failing) == len(afters)  # each broken project fails before its repair...
    for line in failing:  # ...for the rule its folder is about
        expected = {"review_system": "CDK001", "provider_class_name": "CDK001", "provider_block_shape": "CDK006",
                    "list_block_dict_keys": "CDK007"}
        folder = next(f for f in expected if f"/{f}" in line)
        assert f"[{expected[folder]}]" in line, line


def test_fix_verify_repairs_each_file_once(tmp_path, monkeypatch, shared_synth):
    from typer.testing import CliRunner

    import repair.files
    from repair.cli import app

    project = tmp_path / "review_system"
    shutil.copytree(BROKEN / "review_system", project)
    repaired = []
    real = repair.files.repair_source
    monkeypatch.setattr(repair.files, "repair_source",
                        lambda source, **kwargs: repaired.append(kwargs.get("path")) or real(source, **kwargs))
    result = CliRunner().invoke(app, ["fix", "--verify", str(project)])
    assert result.exit_code == 0, result.output
    assert "after:  synth ok, Terraform JSON clean" in result.stdout
    assert (project / "lib" / "tap_stack.py").read_text() == (FIXED / "review_system" / "lib" / "tap_stack.py").read_text()
    assert repaired and len(repaired) == len(set(repaired))  # the proof's repair is the one written


CONTRACT = "stack_constructor_contract"


@pytest.mark.parametrize(("project", "broken_error"), [
    ("renamed_parameters", "TypeError: TapStack.__init__() got an unexpected keyword argument 'state_bucket'"),
    ("forwarded_kwargs", "TypeError: TerraformStack.__init__() got an unexpected keyword argument"),
    ("renamed_class", "ImportError: cannot import name 'TapStack' from 'lib.tap_stack'"),
    ("listed_default_tags", "RuntimeError: Passed to parameter config of new @cdktf/provider-aws.provider.AwsProvider"),
    ("single_tag_block", "RuntimeError: Passed to parameter config of new @cdktf/provider-aws.provider.AwsProvider"),
])
def test_contract_samples_fail_before_and_synthesize_after(worker, project, broken_error):
    broken = worker.synth(BROKEN / CONTRACT / project)
    assert not broken.ok and broken.first_error_line.startswith(broken_error), broken.error
    repaired = worker.synth(FIXED / CONTRACT / project)
    assert repaired.ok, repaired.error


def test_the_entrys_region_and_tags_reach_the_stack_once_repaired(worker):
    """The stack's own `region` and `tags` parameters receive the entry's `aws_region` and `default_tags`: the
    JSON carries the entry's values, not the stack's defaults (us-west-2, no tags)."""
    result = worker.synth(FIXED / CONTRACT / "renamed_parameters")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == "eu-west-3"
    assert provider["default_tags"] == [{"tags": {"Environment": "pr118", "Team": "ledger"}}]
    (bucket,) = stack["resource"]["aws_s3_bucket"].values()
    assert bucket["bucket"] == "ledger-archive-pr118"


def test_the_entrys_keywords_reach_a_kwargs_stack_once_repaired(worker):
    result = worker.synth(FIXED / CONTRACT / "forwarded_kwargs")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == "eu-west-3"
    backend = stack["terraform"]["backend"]["s3"]
    assert (backend["bucket"], backend["region"]) == ("ledger-tf-states", "eu-central-1")
    (queue,) = stack["resource"]["aws_sqs_queue"].values()
    assert queue["name"] == "ledger-entries-pr118"


def test_the_entrys_suffix_reaches_a_renamed_class_once_repaired(worker):
    result = worker.synth(FIXED / CONTRACT / "renamed_class")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (topic,) = stack["resource"]["aws_sns_topic"].values()
    assert topic["name"] == "ledger-on-call-pr118"


@pytest.mark.parametrize(("project", "region", "tags"), [
    ("listed_default_tags", "ap-southeast-2", {"Environment": "pr204", "CostCenter": "fulfilment"}),
    ("single_tag_block", "eu-north-1", {"Environment": "pr311", "Owner": "search"}),
])
def test_the_entrys_tag_blocks_reach_the_provider_as_one_list(worker, project, region, tags):
    """The entry's default tags, a list of blocks or one block, reach the provider as a list of one block."""
    result = worker.synth(FIXED / CONTRACT / project)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == region
    assert provider["default_tags"] == [{"tags": tags}]
