"""Where the repairs of issue 12's shapes stop: the code they must leave alone, and what they only report."""

from __future__ import annotations

from pathlib import Path

from repair.engine import repair_source
from repair.options import RepairOptions
from repair.project import ProjectContext


def _fixed(source: str, **kwargs):
    return repair_source(source, **kwargs)


def test_a_spread_dict_read_elsewhere_is_left_alone():
    source = (
        "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
        "def zone(self, vpc):\n"
        "    settings = {'name': 'internal', 'vpc': [{'vpc_id': vpc.id}]}\n"
        "    print(settings)\n"
        "    Route53Zone(self, 'zone', **settings)\n"
    )
    result = _fixed(source)
    assert result.fixed_source == source and not result.findings


def test_a_spread_dict_updated_by_a_method_is_left_alone():
    source = (
        "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
        "def zone(self, vpc, extra):\n"
        "    settings = {'name': 'internal'}\n"
        "    settings.update(extra)\n"
        "    settings['vpc'] = [{'vpc_id': vpc.id}]\n"
        "    Route53Zone(self, 'zone', **settings)\n"
    )
    assert _fixed(source).fixed_source == source


ENTRY_WITH_LIST = (
    "from lib.tap_stack import TapStack\n"
    "default_tags = [{'tags': {'Team': 'payments'}}]\n"
    "TapStack(app, 'TapStackdev', default_tags=default_tags)\n"
)


def test_the_entrys_list_passed_as_it_is_stays():
    options = RepairOptions(project=ProjectContext.of_entry(ENTRY_WITH_LIST, Path("example")))
    source = (
        "from cdktf import TerraformStack\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        "class TapStack(TerraformStack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id)\n"
        "        AwsProvider(self, 'aws', default_tags=kwargs.get('default_tags'))\n"
    )
    assert _fixed(source, options=options).fixed_source == source


def test_the_entrys_list_read_twice_by_the_stack_is_left_alone():
    options = RepairOptions(project=ProjectContext.of_entry(ENTRY_WITH_LIST, Path("example")))
    source = (
        "from cdktf import TerraformStack\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        "class TapStack(TerraformStack):\n"
        "    def __init__(self, scope, id, **kwargs):\n"
        "        super().__init__(scope, id)\n"
        "        tags = kwargs.get('default_tags', {})\n"
        "        AwsProvider(self, 'aws', default_tags=[tags])\n"
        "        self.tags = tags\n"
    )
    assert _fixed(source, options=options).fixed_source == source


def test_fn_sub_of_a_resource_attribute_is_only_reported():
    source = (
        "from cdktf import Fn\n"
        "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
        "IamRole(self, 'r', assume_role_policy=trust, description=Fn.sub('reads ${Bucket.Arn}'))\n"
    )
    result = _fixed(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.rule_id == "CDK016" and not finding.fixed and "Fn::Sub" in finding.message


def test_fn_sub_outside_a_method_needing_a_data_source_is_only_reported():
    source = (
        "from cdktf import Fn\n"
        "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
        "IamRole(self, 'r', description=Fn.sub('account ${AWS::AccountId}'))\n"
    )
    result = _fixed(source)
    assert result.fixed_source == source and not result.findings[0].fixed


def test_a_literal_string_is_split_by_python():
    source = (
        "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
        "def topic(self):\n"
        "    name = 'orders-dev'\n"
        "    SnsTopic(self, 't', name=name.split('-')[0])\n"
    )
    assert _fixed(source).fixed_source == source


def test_a_split_kept_in_python_is_left_alone():
    source = (
        "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
        "def topic(self, arn):\n"
        "    account = arn.split(':')[4]\n"
        "    print(account)\n"
    )
    assert _fixed(source).fixed_source == source


def test_the_entry_keeps_its_own_app():
    entry = "from cdktf import App\nfrom lib.tap_stack import TapStack\napp = App()\nTapStack(app, 'tap')\napp.synth()\n"
    options = RepairOptions(project=ProjectContext.of_entry(entry, Path("example")))
    assert _fixed(entry, options=options, path="tap.py").fixed_source == entry
