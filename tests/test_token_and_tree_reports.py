"""What CDK016 and CDK018 only report: no unique repair follows, so the code is left as it was."""

from __future__ import annotations

import pytest

from repair.engine import repair_source, select_rules

AZS = (
    "from cdktf import Fn, TerraformStack\n"
    "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
    "from cdktf_cdktf_provider_aws.subnet import Subnet\n"
    "azs = DataAwsAvailabilityZones(self, 'azs')\n"
)


def reports(code: str, rule: str) -> list[str]:
    result = repair_source(code, rules=select_rules([rule]))
    assert result.error is None
    assert result.fixed_source == code, "a finding without a unique repair must leave the code alone"
    assert all(not f.fixed for f in result.findings)
    return [f.message for f in result.findings]


@pytest.mark.parametrize(("line", "expected"), [
    ("arn = Fn.sub('arn:aws:iam::${AWS::AccountId}:root')\n", "CloudFormation's Fn::Sub"),
    ("workspace = Fn.terraform_workspace(self)\nconfig = configs[workspace]\n", '"${terraform.workspace}"'),
    # Python's text, not Terraform's: `${terraform.workspace}` would be cut by the slice, changed by the method.
    ("suffix = Fn.terraform_workspace()\nSubnet(self, 's', tags={'Name': f'subnet-{suffix}'[:32]})\n",
     '"${terraform.workspace}"'),
    ("Subnet(self, 's', tags={'Name': f'subnet-{Fn.terraform_workspace()}'.upper()})\n", '"${terraform.workspace}"'),
    ("region = Fn.data_aws_region(self)\n", "DataAwsRegion"),
    ("x = Fn.elementt(azs.names, 0)\n", "close: Fn.element"),
    ("first_two = azs.names[0:2]\n", "Fn.slice"),
    ("last = azs.names[-1]\n", "negative index"),
    ("for i in range(len(azs.names)):\n    pass\n", "Python cannot count it"),
    ("if len(azs.names) > 2:\n    pass\n", "Python cannot count it"),
    ("subnets = [Subnet(self, f's{z}', availability_zone=z) for z in azs.names]\n", "TerraformIterator"),
    # Python's own walks over a list iterate it just the same.
    ("for i, zone in enumerate(azs.names):\n    pass\n", "TerraformIterator"),
    ("for zone in sorted(azs.names):\n    pass\n", "TerraformIterator"),
    # A cdktf variable's list value, and a local's, are token lists as well.
    ("from cdktf import TerraformVariable\n"
     "cidrs = TerraformVariable(self, 'cidrs', default=['10.0.1.0/24']).list_value\n"
     "for i, cidr in enumerate(cidrs):\n    pass\n", "TerraformIterator"),
    ("from cdktf import TerraformLocal\nzones = TerraformLocal(self, 'zones', ['a'])\nn = len(zones.as_list)\n",
     "Python cannot count it"),
])
def test_token_misuse_reports(line, expected):
    (message,) = reports(AZS + line, "CDK016")
    assert expected in message


def test_items_of_a_variables_list_value_are_read_with_fn_element():
    code = ("from cdktf import Fn, TerraformVariable\n"
            "from cdktf_cdktf_provider_aws.subnet import Subnet\n"
            "cidrs = TerraformVariable(self, 'cidrs', type='list(string)').list_value\n"
            "Subnet(self, 's', vpc_id='v', cidr_block=cidrs[1])\n")
    result = repair_source(code, rules=select_rules(["CDK016"]))
    assert result.fixed_source == code.replace("cidrs[1]", "Fn.element(cidrs, 1)")
    # A variable's other values are not lists: `string_value[0]` is Python's own business.
    other = code.replace(".list_value", ".string_value")
    assert repair_source(other, rules=select_rules(["CDK016"])).findings == []


def test_a_name_bound_to_something_else_is_not_a_token():
    code = AZS + "azs = ['a', 'b']\nzone = azs[1]\n"
    assert repair_source(code, rules=select_rules(["CDK016"])).findings == []


def test_a_struct_holds_plain_values():
    code = ("from cdktf_cdktf_provider_aws.eks_cluster import EksClusterVpcConfig\n"
            "config = EksClusterVpcConfig(subnet_ids=['subnet-1', 'subnet-2'])\n"
            "first = config.subnet_ids[0]\ncount = len(config.subnet_ids)\n")
    assert repair_source(code, rules=select_rules(["CDK016"])).findings == []


def test_fn_bound_to_something_else_is_left_alone():
    code = AZS.replace("Fn, ", "") + "from mylib import Fn\nzone = azs.names[1]\n"
    (message,) = reports(code, "CDK016")
    assert "the name Fn is taken" in message


STACK = (
    "from cdktf import TerraformStack\n"
    "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
    "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
    "class Stack(TerraformStack):\n"
    "    def __init__(self, scope, id, aws_region='us-east-1'):\n"
    "        super().__init__(scope, id)\n"
)


@pytest.mark.parametrize(("body", "expected"), [
    ("        AwsProvider(self, 'aws', region=aws_region)\n"
     "        for region in ('us-east-1', 'eu-west-1'):\n"
     "            S3Bucket(self, 'replica', bucket=f'r-{region}')\n", "every pass of a loop"),
    ("        AwsProvider(self, 'aws', region=aws_region)\n"
     "        for name in ('us-east-1', 'eu-west-1'):\n"
     "            S3Bucket(self, f'b-{name}', bucket='b', provider=f'aws.{name}')\n", "not a string"),
    # an alias that says its region, but the file has aliased providers: one of them may be meant
    ("        AwsProvider(self, 'aws', region=aws_region)\n"
     "        AwsProvider(self, 'west', region='us-west-2', alias='west')\n"
     "        S3Bucket(self, 'b', bucket='b', provider='aws.us_west_2')\n", "'west'"),
    # a variable named for a region that a loop sets to other names: the alias says no region
    ("        AwsProvider(self, 'aws', region=aws_region)\n"
     "        for region in ('primary', 'dr'):\n"
     "            S3Bucket(self, f'b-{region}', bucket='b', provider=f'aws.{region}')\n", "not a string"),
    # outside a construct's method there is no stack to look the provider up in
    ("def bucket(stack, region):\n"
     "    S3Bucket(stack, 'b', bucket='b', provider=f'aws.{region}')\n", "not a string"),
    ("        AwsProvider(self, 'aws', region=aws_region)\n"
     "        S3Bucket(self, 'b', bucket='b', provider='aws.west')\n", "not a string"),
])
def test_construct_tree_reports(body, expected):
    (message,) = reports(STACK + body, "CDK018")
    assert expected in message


def test_ids_in_other_functions_or_scopes_are_not_duplicates():
    code = STACK + (
        "        AwsProvider(self, 'aws', region=aws_region)\n"
        "        S3Bucket(self, 'b', bucket='one')\n"
        "        inner = Construct(self, 'inner')\n"
        "        S3Bucket(inner, 'b', bucket='two')\n"
        "    def more(self):\n"
        "        S3Bucket(self, 'c', bucket='three')\n"
        "def other(stack):\n"
        "    S3Bucket(stack, 'c', bucket='four')\n"
    )
    assert repair_source(code, rules=select_rules(["CDK018"])).findings == []


def test_two_providers_without_ids_get_different_ids():
    code = STACK + (
        "        AwsProvider(self, region=aws_region)\n"
        "        AwsProvider(self, region='eu-west-1', alias='eu')\n"
    )
    fixed = repair_source(code, rules=select_rules(["CDK018"])).fixed_source
    assert "AwsProvider(self, 'aws', region=aws_region)" in fixed
    assert "AwsProvider(self, 'aws-2', region='eu-west-1', alias='eu')" in fixed


@pytest.mark.parametrize(("parameters", "parameter"), [
    ("aws_region='us-east-1'", "aws_region"), ("region='us-east-1'", "region"),
    ("primary_region='us-east-1'", "primary_region"), ("region_name='us-east-1'", "region_name"),
    # the provider's own keyword over the region of something else (the entry's backend bucket's)
    ("aws_region='us-east-1', state_bucket_region='us-east-1'", "aws_region"),
])
def test_a_stack_given_a_region_creates_its_provider(parameters, parameter):
    code = (STACK + "        S3Bucket(self, 'b', bucket='b')\n").replace("aws_region='us-east-1'", parameters)
    result = repair_source(code, rules=select_rules(["CDK018"]))
    assert result.fixed_source == code.replace(
        "        super().__init__(scope, id)\n",
        f"        super().__init__(scope, id)\n        AwsProvider(self, 'aws', region={parameter})\n")
    ((finding),) = result.findings
    assert finding.fixed and "creates no AwsProvider" in finding.message


def test_a_stack_given_two_regions_without_a_provider_is_reported_with_both():
    code = (STACK + "        S3Bucket(self, 'b', bucket='b')\n").replace(
        "aws_region='us-east-1'", "primary_region='us-east-1', replica_region='us-west-2'")
    result = repair_source(code, rules=select_rules(["CDK018"]))
    assert result.fixed_source == code
    ((finding),) = result.findings
    assert not finding.fixed and "(primary_region or replica_region); which one is the code's" in finding.message


@pytest.mark.parametrize("change", [
    # no region: which one is meant is not in the code, and the entry may give the stack its provider
    ("aws_region='us-east-1'", "name='app'"),
    # a helper may create it where the rule cannot see
    ("super().__init__(scope, id)\n", "super().__init__(scope, id)\n        self._setup_provider()\n"),
])
def test_a_stack_without_a_provider_is_left_when_the_region_or_the_place_is_unknown(change):
    code = (STACK + "        S3Bucket(self, 'b', bucket='b')\n").replace(*change)
    result = repair_source(code, rules=select_rules(["CDK018"]))
    assert result.fixed_source == code
    assert all(not f.fixed for f in result.findings)


@pytest.mark.parametrize(("address", "call"), [
    ("f'aws.{region}'", "self._aws_provider(region, region)"),
    ("f\"aws.{region.replace('-', '_')}\"", "self._aws_provider(region, region.replace('-', '_'))"),
    ("'aws.eu_west_1'", "self._aws_provider('eu-west-1', 'eu_west_1')"),
    ("'aws.eu_west_1' if region != aws_region else None", "self._aws_provider('eu-west-1', 'eu_west_1') if region "
                                                          "!= aws_region else None"),
])
def test_an_address_that_says_its_region_becomes_the_stacks_provider_of_that_alias(address, call):
    code = STACK + (
        "        AwsProvider(self, 'aws', region=aws_region)\n"
        "        for region in ('us-east-1', 'eu-west-1'):\n"
        f"            S3Bucket(self, f'b-{{region}}', bucket='b', provider={address})\n"
    )
    result = repair_source(code, rules=select_rules(["CDK018"]))
    assert f"provider={call})" in result.fixed_source
    assert "    def _aws_provider(self, region, alias):" in result.fixed_source
    assert "AwsProvider(stack, f'aws_{alias}', region=region, alias=alias)" in result.fixed_source
    ((finding),) = result.findings
    assert finding.fixed
    again = repair_source(result.fixed_source, rules=select_rules(["CDK018"]))
    assert again.fixed_source == result.fixed_source and again.findings == []


def test_a_class_with_its_own_aws_provider_method_is_only_reported():
    code = STACK + (
        "        AwsProvider(self, 'aws', region=aws_region)\n"
        "        S3Bucket(self, 'b', bucket='b', provider='aws.eu_west_1')\n"
        "    def _aws_provider(self):\n"
        "        return None\n"
    )
    (message,) = reports(code, "CDK018")
    assert "not a string" in message


def test_a_suppressed_address_adds_no_method_and_no_import():
    code = (
        "from constructs import Construct\n"
        "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
        "class Part(Construct):\n"
        "    def __init__(self, scope, id, region):\n"
        "        super().__init__(scope, id)\n"
        "        S3Bucket(self, 'b', bucket='b', provider=f'aws.{region}')  # repair: ignore[CDK018]\n"
    )
    result = repair_source(code, rules=select_rules(["CDK018"]))
    assert result.fixed_source == code
    assert not any(f.fixed for f in result.findings)


def test_an_invented_fn_function_is_reported_and_its_result_left_unread():
    # Fn has no data_aws_caller_identity: what it would return is unknown, so `.account_id` on it is not rewritten
    # (a lookup there once wrote a double-quoted key inside a double-quoted f-string: invalid before Python 3.12).
    source = ("import json\n"
              "from cdktf import Fn\n"
              "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
              "KmsKey(self, 'k', policy=json.dumps({'Principal': {'AWS': "
              "f\"arn:aws:iam::{Fn.data_aws_caller_identity(self, 'current').account_id}:root\"}}))\n")
    result = repair_source(source)
    assert result.error is None and result.fixed_source == source
    (finding,) = [f for f in result.findings if f.rule_id == "CDK016"]
    assert not finding.fixed and "data_aws_caller_identity" in finding.message


def test_a_literal_id_under_a_condition_inside_a_loop_is_not_reported():
    # A public networking construct creates its one NAT gateway on the loop's first pass (`if i == 0:`): whether a
    # condition holds on more than one pass is not for the text to tell. Unconditional, it is reported (above).
    body = ("        AwsProvider(self, 'aws', region=aws_region)\n"
            "        for i, region in enumerate(('us-east-1', 'eu-west-1')):\n"
            "            S3Bucket(self, f'b-{region}', bucket=f'b-{region}')\n"
            "            if i == 0:\n"
            "                S3Bucket(self, 'first', bucket='first')\n")
    assert reports(STACK + body, "CDK018") == []


def test_every_cdktf_construct_takes_part_in_the_ids_of_its_scope():
    # Read from the installed cdktf (its classes whose constructor takes scope and id), not from a list of some.
    code = STACK.replace("from cdktf import TerraformStack\n",
                         "from cdktf import TerraformStack, DataTerraformRemoteStateLocal\n") + (
        "        AwsProvider(self, 'aws', region=aws_region)\n"
        "        DataTerraformRemoteStateLocal(self, 'state', path='../network/terraform.tfstate')\n"
        "        DataTerraformRemoteStateLocal(self, 'state', path='../data/terraform.tfstate')\n"
    )
    result = repair_source(code, rules=select_rules(["CDK018"]))
    ((finding),) = result.findings
    assert finding.fixed and "'state' is already used" in finding.message
    assert "DataTerraformRemoteStateLocal(self, 'state-2', path='../data/terraform.tfstate')" in result.fixed_source


def test_the_constructs_of_a_jsii_package_are_its_classes_constructed_with_scope_and_id():
    from repair.cdktf_index import parse_constructs

    text = ("class Output(\n    metaclass=jsii.JSIIMeta,\n):\n    def __init__(\n        self,\n"
            "        scope: _constructs_77d1e7e8.Construct,\n        id: builtins.str,\n        *,\n    ) -> None:\n"
            "class Stack(\n    Construct,\n):\n    def __init__(self, scope: _constructs_77d1e7e8.Construct, "
            "id: builtins.str) -> None:\n"
            "class Backend(\n    Element,\n):\n    def __init__(\n        self,\n        scope: Construct,\n"
            "        *,\n        bucket: builtins.str,\n    ) -> None:\n"
            "class Config:\n    def __init__(self, *, id: builtins.str) -> None:\n")
    assert parse_constructs(text) == {"Output", "Stack"}
