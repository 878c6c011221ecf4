"""CDK009-CDK011: keyword types, renamed keywords and unknown keywords, held against the installed provider; the
repaired samples synthesize and carry the answer's values into the Terraform JSON."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.provider_index import installed_index
from repair.transforms.types.keyword_literal_type import scalar_types
from repair.transforms.types.renamed_keyword import RENAMED, terraform_provider_major
from repair.transforms.types.unknown_keyword import matches

from conftest import BROKEN, FIXED

ENTRIES = [(major, module, class_name, old, renamed)
           for major, classes in RENAMED.items()
           for (module, class_name), olds in classes.items()
           for old, renamed in olds.items()]


@pytest.mark.parametrize(("major", "module", "class_name", "old", "renamed"), ENTRIES,
                         ids=[f"{c}.{o}" for _, _, c, o, _ in ENTRIES])
def test_each_rename_holds_in_the_installed_provider(major, module, class_name, old, renamed):
    params = installed_index().params(module, class_name)
    assert params is not None, f"{module}.{class_name} is not in the installed provider"
    assert old not in params, f"{class_name} still takes {old}: the entry would never apply"
    assert all(new in params for new in renamed.new), f"{class_name} lacks {renamed.new}"
    assert renamed.new or renamed.advice, "an entry without a new name must say what to do instead"
    assert major <= terraform_provider_major(installed_index())


def test_the_installed_bindings_name_their_terraform_provider_major():
    assert terraform_provider_major(installed_index()) == 6


def test_scalar_types_read_from_annotations():
    assert scalar_types("typing.Optional[jsii.Number]") == {"number"}
    assert scalar_types("typing.Optional[typing.Union[builtins.bool, _cdktf_9a9027ec.IResolvable]]") == {"bool"}
    assert scalar_types("typing.Optional[typing.Sequence[builtins.str]]") is None
    assert scalar_types("typing.Optional[typing.Mapping[builtins.str, builtins.str]]") is None


def test_matches_are_one_step_from_the_keyword():
    params = {name: "typing.Optional[builtins.str]" for name in
              ("name", "description", "subnet_ids", "kms_key_arn", "logging_enabled", "taint")}
    assert matches("subnet_group_name", "ElasticacheSubnetGroup", params) == {"name"}
    assert matches("subnetIds", "X", params) == {"subnet_ids"}
    assert matches("kms_key", "X", params) == {"kms_key_arn"}
    assert matches("enable_logging", "X", params) == {"logging_enabled"}
    assert matches("taints", "X", params) == {"taint"}
    assert matches("tracing_config", "X", params) == set()


def _repair(code: str):
    result = repair_source(code)
    assert result.error is None
    return result


def test_unconvertible_literals_are_reported_and_left():
    code = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
            "LambdaFunction(self, 'f', function_name='f', role=r, timeout='thirty', memory_size=f'{size}')\n")
    result = _repair(code)
    assert result.fixed_source == code
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK009", False), ("CDK009", False)]
    assert "takes a number" in result.findings[0].message


def test_a_rename_whose_value_has_no_equivalent_is_reported_not_dropped():
    code = "from cdktf_cdktf_provider_aws.eip import Eip\nEip(self, 'ip', vpc=use_vpc)\n"
    result = _repair(code)
    assert result.fixed_source == code
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK010", False)]


def test_a_removed_keyword_with_advice_is_reported_not_dropped():
    code = ("from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment\n"
            "ApiGatewayDeployment(self, 'd', rest_api_id=api.id, stage_name='prod')\n")
    result = _repair(code)
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert finding.rule_id == "CDK010" and not finding.fixed and "ApiGatewayStage" in finding.message


def test_unknown_keywords_holding_blocks_are_dropped_and_calls_reported():
    code = ("from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi\n"
            "ApiGatewayRestApi(self, 'api', name='a', tracing_config=[{'mode': 'Active'}], owner=make_owner())\n")
    result = _repair(code)
    assert result.fixed_source == code.replace("tracing_config=[{'mode': 'Active'}], ", "")
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK011", True), ("CDK011", False)]
    assert "tracing_config is not a parameter" in result.findings[0].message
    assert "dropped" in result.findings[0].message


def test_an_unknown_keyword_carrying_what_the_code_wrote_for_it_is_reported_not_dropped():
    # The function's source, bound only for `code=`: dropping the keyword would synthesize a function without code
    # (terraform plan: one of filename, image_uri, s3_bucket must be specified) and leave the source unused.
    code = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
            "def build(self, role):\n"
            "    handler_source = 'def handler(event, context):\\n    return 200\\n'\n"
            "    LambdaFunction(self, 'f', function_name='f', role=role.arn, runtime='python3.12',\n"
            "                   handler='index.handler', code={'zip_file': handler_source}, tags=tags)\n")
    result = _repair(code)
    assert result.fixed_source == code
    (finding,) = result.findings
    assert not finding.fixed and "carries `handler_source`, bound only for it" in finding.message
    # Read elsewhere too, the name's content is not lost with the keyword: dropped as before.
    shared = code.replace("    LambdaFunction(", "    print(handler_source)\n    LambdaFunction(")
    result = _repair(shared)
    assert result.fixed_source == shared.replace(", code={'zip_file': handler_source}", "")
    assert [f.fixed for f in result.findings] == [True]


def test_a_block_key_moves_only_to_a_free_parent_argument():
    """A key the parent is given already is not moved onto it: it is dropped like any unknown plain keyword (the
    parent's own value stands), and the block, empty, goes."""
    code = ("from cdktf_cdktf_provider_aws.ecs_service import EcsService, EcsServiceDeploymentConfiguration\n"
            "EcsService(self, 's', name='s', deployment_maximum_percent=150,\n"
            "           deployment_configuration=EcsServiceDeploymentConfiguration(maximum_percent=200,\n"
            "                                                                      minimum_healthy_percent=50))\n")
    result = _repair(code)
    assert result.fixed_source == (
        "from cdktf_cdktf_provider_aws.ecs_service import EcsService, EcsServiceDeploymentConfiguration\n"
        "EcsService(self, 's', name='s', deployment_maximum_percent=150,\n"
        "           deployment_minimum_healthy_percent=50)\n")
    assert ["dropped" in f.message for f in result.findings] == [True, False]
    assert "moved out of the deployment_configuration block" in result.findings[1].message


def test_a_key_of_one_of_several_blocks_is_not_moved():
    code = ("from cdktf_cdktf_provider_aws.ecs_service import EcsService\n"
            "EcsService(self, 's', name='s', deployment_configuration=[{'maximum_percent': 200},\n"
            "                                                         {'strategy': 'ROLLING'}])\n")
    result = _repair(code)
    assert result.fixed_source == code
    assert [(f.rule_id, f.fixed) for f in result.findings if f.rule_id == "CDK011"] == [("CDK011", False)]


def test_a_match_already_given_is_not_renamed_onto():
    code = ("from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup\n"
            "EksNodeGroup(self, 'n', cluster_name='c', node_role_arn=r, subnet_ids=s, scaling_config=c,\n"
            "             taint=[], taints=[t])\n")
    result = _repair(code)
    assert result.fixed_source == code
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK011", False)]


LOGGING = ("from cdktf_cdktf_provider_aws.sfn_state_machine import SfnStateMachine\n"
           "SfnStateMachine(self, 'm', definition='{}', role_arn=r, logging_configuration={\n"
           "    'level': 'ALL', 'destinations': VALUE})\n")


@pytest.mark.parametrize(("value", "flat"), [
    ("[{'cloudwatch_logs_log_group': {'log_group_arn': f'{group.arn}:*'}}]", "f'{group.arn}:*'"),
    ("{'log_group_arn': arn}", "arn"),
])
def test_a_nest_around_one_value_becomes_the_one_parameter_named_for_it(value, flat):
    code = LOGGING.replace("VALUE", value)
    result = _repair(code)
    assert result.fixed_source == code.replace(f"'destinations': {value}", f"'log_destination': {flat}")
    ((finding),) = [f for f in result.findings if f.rule_id == "CDK011"]
    assert finding.fixed and "the one parameter named for it takes: log_destination" in finding.message


@pytest.mark.parametrize("value", [
    "[{'log_group_arn': a}, {'log_group_arn': b}]",  # two values: which one is not said
    "[{'log_group_arn': a, 'region': r}]",  # a block of two keys
    "[make_destination()]",  # a call: what it returns is not read here
    "[{'enabled': True}]",  # a bool where the parameter takes a string
])
def test_a_value_that_is_not_one_plain_value_stays_reported(value):
    code = LOGGING.replace("VALUE", value)
    result = _repair(code)
    assert result.fixed_source == code
    assert [f.fixed for f in result.findings if f.rule_id == "CDK011"] == [False]


def test_a_parameter_named_for_the_key_only_after_foreign_words_is_not_a_match():
    """A Lambda function's `key_arns` is not its `kms_key_arn`: the extra words must begin words of the class's
    name (an unknown keyword holding plain values is dropped, as any other)."""
    code = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
            "LambdaFunction(self, 'f', function_name='f', role=r, key_arns=[{'arn': a}])\n")
    result = _repair(code)
    assert "kms_key_arn" not in result.fixed_source
    assert [("dropped" in f.message) for f in result.findings if f.rule_id == "CDK011"] == [True]


def test_a_struct_called_like_a_resource_is_reported_not_edited():
    """SecurityGroupRule takes every keyword given but requires a `from_port` and a `type` the call does not say:
    CDK028 names the candidates."""
    code = ("from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress\n"
            "SecurityGroupIngress(self, 'in', security_group_id=sg.id, to_port=443, protocol='tcp')\n")
    result = _repair(code)
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert finding.rule_id == "CDK028" and not finding.fixed and "called like a resource" in finding.message
    assert "SecurityGroupRule (also requires from_port, type)" in finding.message
    assert "VpcSecurityGroupIngressRule (does not take protocol)" in finding.message


def test_the_rule_type_a_block_struct_names_is_given():
    """SecurityGroupIngress is the struct of the group's `ingress` block, and `ingress` is one of the two values
    SecurityGroupRule's required `type` accepts: the call becomes that rule, its type placed after the id."""
    code = ("from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n"
            "sg = SecurityGroup(self, 'sg', vpc_id=vpc_id)\n"
            "SecurityGroupIngress(self, 'in', security_group_id=sg.id, from_port=443, to_port=443, protocol='tcp')\n")
    result = _repair(code)
    assert ("SecurityGroupRule(self, 'in', type='ingress', security_group_id=sg.id, from_port=443"
            in result.fixed_source)
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK028", True)]
    assert _repair(result.fixed_source).fixed_source == result.fixed_source


def test_a_rule_for_a_group_with_inline_rules_of_that_block_is_reported():
    """Terraform cannot mix a group's inline ingress blocks with standalone rules for it: the rule belongs in the
    list, a move the code's author makes."""
    code = ("from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n"
            "self.web = SecurityGroup(self, 'sg', vpc_id=vpc_id, ingress=[SecurityGroupIngress(from_port=80, "
            "to_port=80, protocol='tcp')])\n"
            "SecurityGroupIngress(self, 'in', security_group_id=self.web.id, from_port=443, to_port=443, "
            "protocol='tcp')\n")
    result = _repair(code)
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert not finding.fixed and "self.web gives its `ingress` blocks inline" in finding.message


def test_a_dict_mixing_both_spellings_in_a_list_of_blocks_becomes_its_struct():
    """CDK007 writes the dict as its struct, each key as its keyword: the camelCase key is the name jsii reads in
    such a map, right as it is (no CDK011 finding), the snake_case one would be dropped."""
    code = ("from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
            "Route53Zone(self, 'zone', name='internal', vpc=[{'vpc_id': vpc.id, 'vpcRegion': 'us-east-1'}])\n")
    result = _repair(code)
    assert "Route53ZoneVpc(vpc_id=vpc.id, vpc_region='us-east-1')" in result.fixed_source
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK007", True)]


def test_a_construct_id_given_as_the_resources_own_id_argument_is_found_by_the_trigger_too():
    # `id` is an argument S3Bucket has: the keyword is no unknown one, and the trigger must still admit the file.
    code = ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
            "S3Bucket(self, id='data', bucket='b')\n"
            "S3Bucket(self, 'logs', id='x')\n")
    result = _repair(code)
    assert result.fixed_source == code.replace("id='data'", "id_='data'")
    assert [(f.rule_id, f.line, f.fixed) for f in result.findings] == [("CDK011", 2, True)]


def test_a_bool_is_not_renamed_onto_a_string_parameter():
    code = ("from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
            "ElasticacheReplicationGroup(self, 'r', replication_group_id='r', description='d', "
            "auth_token_enabled=True)\n")
    result = _repair(code)
    assert "auth_token" not in result.fixed_source
    ((finding),) = result.findings
    assert finding.rule_id == "CDK011" and "dropped" in finding.message and "auth_token" in finding.message


# -- synthesis ---------------------------------------------------------------------------------------------------
SAMPLES = [
    "keyword_literal_type/lambda_and_health_check.py",
    "keyword_literal_type/elasticache_string_booleans.py",
    "keyword_literal_type/dict_block_values.py",
    "renamed_keyword/elasticache_v4_arguments.py",
    "renamed_keyword/eip_and_eks_addon.py",
    "renamed_keyword/firehose_and_database.py",
    "unknown_keyword/cache_subnet_group_name.py",
    "unknown_keyword/node_group_taints.py",
    "unknown_keyword/retired_and_misnamed.py",
    "unknown_keyword/ecs_deployment_percentages.py",
    "unknown_keyword/api_tracing_block.py",
    "unknown_keyword/state_machine_log_destinations.py",
]


@pytest.fixture(scope="module")
def synthesized(synth_worker):
    """relative path -> (broken result, the repaired sample's one stack)."""
    found = {}
    for relative in SAMPLES:
        broken = synth_worker.synth(BROKEN / relative)
        repaired = synth_worker.synth(FIXED / relative)
        assert repaired.ok, (relative, repaired.error)
        (stack,) = repaired.stacks.values()
        found[relative] = (broken, stack)
    return found


def _one(stack: dict, resource_type: str) -> dict:
    (resource,) = stack["resource"][resource_type].values()
    return resource


@pytest.mark.synth
@pytest.mark.parametrize("relative", SAMPLES)
def test_broken_samples_stop_synth_with_a_type_error(synthesized, relative):
    broken, _ = synthesized[relative]
    assert not broken.ok and broken.error_type == "TypeError", broken.error


@pytest.mark.synth
def test_literal_types_keep_the_answers_values(synthesized):
    _, stack = synthesized["keyword_literal_type/lambda_and_health_check.py"]
    function = _one(stack, "aws_lambda_function")
    assert (function["timeout"], function["memory_size"]) == (30, 512)
    group = _one(stack, "aws_lb_target_group")
    assert group["deregistration_delay"] == "15"
    assert group["health_check"] == {"path": "/health", "matcher": "200", "interval": 30, "enabled": True}

    _, stack = synthesized["keyword_literal_type/elasticache_string_booleans.py"]
    cache = _one(stack, "aws_elasticache_replication_group")
    assert (cache["port"], cache["at_rest_encryption_enabled"], cache["auto_minor_version_upgrade"]) == (
        6379, "true", "false")

    _, stack = synthesized["keyword_literal_type/dict_block_values.py"]
    assert _one(stack, "aws_api_gateway_rest_api")["minimum_compression_size"] == "1024"
    queue = _one(stack, "aws_sqs_queue")
    assert (queue["fifo_queue"], queue["visibility_timeout_seconds"]) == (True, 120)
    assert _one(stack, "aws_efs_access_point")["posix_user"] == {"uid": 1000, "gid": 1000, "secondary_gids": [1001]}


@pytest.mark.synth
def test_renamed_keywords_keep_the_answers_values(synthesized):
    _, stack = synthesized["renamed_keyword/elasticache_v4_arguments.py"]
    cache = _one(stack, "aws_elasticache_replication_group")
    assert cache["description"] == "session store"
    assert cache["num_cache_clusters"] == 2
    assert cache["preferred_cache_cluster_azs"] == ["us-east-1a", "us-east-1b"]

    _, stack = synthesized["renamed_keyword/eip_and_eks_addon.py"]
    assert _one(stack, "aws_eip")["domain"] == "vpc"
    addon = _one(stack, "aws_eks_addon")
    assert addon["resolve_conflicts_on_create"] == addon["resolve_conflicts_on_update"] == "OVERWRITE"

    _, stack = synthesized["renamed_keyword/firehose_and_database.py"]
    s3 = _one(stack, "aws_kinesis_firehose_delivery_stream")["extended_s3_configuration"]
    assert (s3["buffering_size"], s3["buffering_interval"]) == (64, 60)
    assert _one(stack, "aws_db_instance")["db_name"] == "orders"


@pytest.mark.synth
def test_unknown_keywords_are_renamed_or_dropped(synthesized):
    _, stack = synthesized["unknown_keyword/cache_subnet_group_name.py"]
    assert _one(stack, "aws_elasticache_subnet_group")["name"] == "cache-subnets"

    _, stack = synthesized["unknown_keyword/node_group_taints.py"]
    assert _one(stack, "aws_eks_node_group")["taint"] == [{"key": "gpu", "value": "true", "effect": "NO_SCHEDULE"}]

    _, stack = synthesized["unknown_keyword/retired_and_misnamed.py"]
    vpc = _one(stack, "aws_vpc")
    assert vpc["enable_dns_support"] is True and "enable_classiclink" not in vpc
    assert _one(stack, "aws_cloudwatch_event_target")["retry_policy"] == {
        "maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 2}


@pytest.mark.synth
def test_block_keys_move_to_the_parent_and_unknown_blocks_go(synthesized):
    _, stack = synthesized["unknown_keyword/ecs_deployment_percentages.py"]
    services = stack["resource"]["aws_ecs_service"]
    web, worker = services["web"], services["worker"]
    assert (web["deployment_minimum_healthy_percent"], web["deployment_maximum_percent"]) == (50, 200)
    assert "deployment_configuration" not in web
    assert worker["deployment_minimum_healthy_percent"] == 100
    assert worker["deployment_configuration"] == {"strategy": "ROLLING"}

    _, stack = synthesized["unknown_keyword/api_tracing_block.py"]
    api = _one(stack, "aws_api_gateway_rest_api")
    assert api["name"] == "status-api" and "tracing_config" not in api
    assert _one(stack, "aws_api_gateway_stage")["xray_tracing_enabled"] is True


@pytest.mark.synth
def test_the_log_group_of_the_api_shape_reaches_the_state_machine(synthesized):
    _, stack = synthesized["unknown_keyword/state_machine_log_destinations.py"]
    machine = _one(stack, "aws_sfn_state_machine")
    assert machine["name"] == "orders-workflow"
    assert machine["logging_configuration"] == {
        "level": "ERROR", "include_execution_data": True,
        "log_destination": "${aws_cloudwatch_log_group.workflow-logs.arn}:*"}


def test_a_singular_keyword_for_a_list_parameter():
    """A literal becomes the list's one entry; a value of unknown type is left to a hand (it may be a list)."""
    code = ("from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
            "ElasticacheSubnetGroup(self, 'a', name='a', subnet_id='subnet-1')\n"
            "ElasticacheSubnetGroup(self, 'b', name='b', subnet_id=subnet.id)\n")
    result = _repair(code)
    assert result.fixed_source == code.replace("subnet_id='subnet-1'", "subnet_ids=['subnet-1']")
    reported = [(f.line, f.rule_id, f.fixed) for f in result.findings]
    assert reported == [(2, "CDK011", True), (3, "CDK037", False), (3, "CDK011", False)]
    assert "subnet_ids" in result.findings[1].message  # still missing where the value stays to a hand
    assert "takes a list" in result.findings[2].message


def test_provider_arguments_renamed_in_5_0():
    code = ("from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole\n"
            "AwsProvider(self, 'aws', shared_credentials_file='creds', s3_force_path_style=True,\n"
            "            assume_role=[AwsProviderAssumeRole(role_arn=arn, duration_seconds=3600)])\n")
    result = _repair(code)
    assert result.fixed_source == (
        "from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole\n"
        "AwsProvider(self, 'aws', shared_credentials_files=['creds'], s3_use_path_style=True,\n"
        "            assume_role=[AwsProviderAssumeRole(role_arn=arn, duration='3600s')])\n")
    assert {f.rule_id for f in result.findings} == {"CDK010"} and all(f.fixed for f in result.findings)
    assert "since the 5.0 provider" in result.findings[0].message


def test_the_construct_id_is_never_a_match():
    # A data source without an `id` argument takes its construct id as `id`: `vpn_connection_id` minus the class's
    # noun is `id`, and a second id would be "multiple values for argument 'id'".
    code = ("from cdktf_cdktf_provider_aws.data_aws_vpn_connection import DataAwsVpnConnection\n"
            "DataAwsVpnConnection(self, 'vpn', connection_id='vpn-1')\n")
    result = _repair(code)
    assert result.fixed_source == code  # nor is a data source's argument dropped: it selects what is read
    ((finding),) = result.findings
    assert not finding.fixed and "an argument of a data source" in finding.message
    assert "closest: vpn_connection_id" in finding.message


def test_synth_errors_name_the_keyword_rules():
    from repair.proof.verify import rule_for_synth_error

    assert rule_for_synth_error("TypeError", "TypeError: type of argument at_rest_encryption_enabled must be one of "
                                "(str, NoneType); got bool instead") == "CDK009"
    assert rule_for_synth_error("TypeError", "TypeError: type of argument timeout must be one of (int, float, "
                                "NoneType); got str instead") == "CDK009"
    assert rule_for_synth_error("TypeError", "TypeError: Eip.__init__() got an unexpected keyword argument "
                                "'vpc'") == "CDK010"
    assert rule_for_synth_error("TypeError", "TypeError: ApiGatewayRestApi.__init__() got an unexpected keyword "
                                "argument 'tracing_config'") == "CDK011"
    assert rule_for_synth_error("TypeError", "TypeError: TapStack.__init__() got an unexpected keyword argument "
                                "'state_bucket'") != "CDK011"


def test_keywords_of_a_struct_given_for_another_blocks_type_are_left_to_cdk012():
    """The class is what is wrong: CDK012 calls it by the parameter's type, which takes the keyword."""
    code = ("from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction, "
            "LbListenerDefaultActionForwardTargetGroup\n"
            "LbListener(self, 'l', load_balancer_arn=lb.arn, default_action=[LbListenerDefaultAction(type='forward',\n"
            "    forward=LbListenerDefaultActionForwardTargetGroup(target_group=[{'arn': blue.arn, 'weight': 100}]))])\n")
    result = _repair(code)
    assert "LbListenerDefaultActionForward(target_group=[" in result.fixed_source
    assert "CDK011" not in {f.rule_id for f in result.findings}


def test_a_route_to_an_instance_data_source_is_left_with_the_advice():
    # A data source of an instance calls the interface `network_interface_id`: the conversion's attribute would not
    # exist on it, so the route is left as written and reported.
    source = ("from cdktf_cdktf_provider_aws.route import Route\n"
              "from cdktf_cdktf_provider_aws.data_aws_instance import DataAwsInstance\n"
              "nat = DataAwsInstance(self, 'nat', instance_id='i-0123')\n"
              "Route(self, 'r', route_table_id=rt.id, destination_cidr_block='0.0.0.0/0', instance_id=nat.id)\n")
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = [f for f in result.findings if f.rule_id == "CDK010"]
    assert not finding.fixed and "network interface" in finding.message


def test_a_dict_for_a_string_is_reported_where_json_names_something_else():
    code = ("from mylib import json\n"
            "from cdktf_cdktf_provider_aws.iam_policy import IamPolicy\n"
            "IamPolicy(self, 'p', policy={'Version': '2012-10-17', 'Statement': []})\n")
    result = _repair(code)
    assert result.fixed_source == code
    (finding,) = result.findings
    assert finding.rule_id == "CDK009" and not finding.fixed and "`json` names something else" in finding.message


@pytest.mark.synth
def test_a_dict_through_token_as_string_reaches_terraform_as_a_json_string_once_repaired(synth_worker, tmp_path):
    import json

    code = ("from constructs import Construct\n"
            "from cdktf import App, TerraformStack, Token\n"
            "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
            "from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule\n"
            "class Rules(TerraformStack):\n"
            "    def __init__(self, scope: Construct, id: str):\n"
            "        super().__init__(scope, id)\n"
            "        AwsProvider(self, 'aws', region='us-east-1')\n"
            "        CloudwatchEventRule(self, 'rule', event_pattern=Token.as_string({'source': ['aws.ec2']}))\n")
    patterns = []
    for name, source in (("broken.py", code), ("fixed.py", _repair(code).fixed_source)):
        (tmp_path / name).write_text(source)
        result = synth_worker.synth(tmp_path / name)
        assert result.ok, result.error
        (stack,) = result.stacks.values()
        (rule,) = stack["resource"]["aws_cloudwatch_event_rule"].values()
        patterns.append(rule["event_pattern"])
    # Before: an object where the provider takes a string (terraform plan: "string required"); after: its JSON.
    assert patterns[0] == {"source": ["aws.ec2"]} and json.loads(patterns[1]) == {"source": ["aws.ec2"]}


@pytest.mark.synth
def test_camel_case_keys_of_a_dict_in_a_list_of_blocks_are_kept_and_a_misspelled_one_takes_that_spelling(
        synth_worker, tmp_path):
    # jsii hands a dict inside a list of blocks to the provider as it is, reading the struct's camelCase names:
    # `fromPort` is right there. A key matching one parameter is renamed to that spelling (a snake_case name would
    # be dropped without a word), and a dict CDK007 cannot write as its struct (a key matching nothing) keeps its
    # camelCase keys (a public example's `ciderBlocks`: renaming the others to snake_case emptied its ports).
    code = ("from constructs import Construct\n"
            "from cdktf import App, TerraformStack\n"
            "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
            "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
            "class Groups(TerraformStack):\n"
            "    def __init__(self, scope: Construct, id: str):\n"
            "        super().__init__(scope, id)\n"
            "        AwsProvider(self, 'aws', region='us-east-1')\n"
            "        SecurityGroup(self, 'renamed', egress=[{'fromPort': 443, 'toPort': 443, 'protocol': 'tcp',\n"
            "                                                'cidrBlock': '10.0.0.0/8'}])\n"
            "        SecurityGroup(self, 'left', egress=[{'fromPort': 22, 'toPort': 22, 'protocol': 'tcp',\n"
            "                                             'ciderBlocks': ['10.0.0.0/8']}])\n")
    result = _repair(code)
    assert "'cidrBlocks': ['10.0.0.0/8']" in result.fixed_source and "'fromPort': 22" in result.fixed_source
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK011", True), ("CDK011", False)]
    (tmp_path / "fixed.py").write_text(result.fixed_source)
    synthesized = synth_worker.synth(tmp_path / "fixed.py")
    assert synthesized.ok, synthesized.error
    (stack,) = synthesized.stacks.values()
    groups = stack["resource"]["aws_security_group"]
    (renamed,) = groups["renamed"]["egress"]
    assert (renamed["from_port"], renamed["to_port"], renamed["cidr_blocks"]) == (443, 443, ["10.0.0.0/8"])
    (left,) = groups["left"]["egress"]
    assert (left["from_port"], left["to_port"]) == (22, 22)


@pytest.mark.synth
def test_a_construct_id_given_under_the_other_spelling_is_renamed_not_dropped(synth_worker, tmp_path):
    # A class whose resource has no `id` argument takes its construct id as `id`; one that has it, as `id_`. A
    # public project's `id_=` (older bindings) was dropped as an unknown keyword, leaving the construct without
    # its id; `id=` on S3Bucket sets the bucket's own `id` argument and leaves the same hole.
    code = ("from constructs import Construct\n"
            "from cdktf import App, TerraformStack\n"
            "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
            "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
            "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
            "class Buckets(TerraformStack):\n"
            "    def __init__(self, scope: Construct, id: str):\n"
            "        super().__init__(scope, id)\n"
            "        AwsProvider(self, 'aws', region='us-east-1')\n"
            "        bucket = S3Bucket(self, id='data', bucket='data-bucket')\n"
            "        S3BucketLifecycleConfiguration(scope=self, id_='rules', bucket=bucket.id, rule=[\n"
            "            {'id': 'expire', 'status': 'Enabled', 'filter': [{}], 'expiration': [{'days': 30}]}])\n")
    result = _repair(code)
    assert "S3Bucket(self, id_='data'" in result.fixed_source
    assert "S3BucketLifecycleConfiguration(scope=self, id='rules'" in result.fixed_source
    assert [f.rule_id for f in result.findings] == ["CDK011", "CDK011"] and all(f.fixed for f in result.findings)
    for name, source in (("broken.py", code), ("fixed.py", result.fixed_source)):
        (tmp_path / name).write_text(source)
    broken = synth_worker.synth(tmp_path / "broken.py")
    assert not broken.ok and broken.error_type == "TypeError", broken.error
    synthesized = synth_worker.synth(tmp_path / "fixed.py")
    assert synthesized.ok, synthesized.error
    (stack,) = synthesized.stacks.values()
    assert list(stack["resource"]["aws_s3_bucket"]) == ["data"]
    assert list(stack["resource"]["aws_s3_bucket_lifecycle_configuration"]) == ["rules"]
