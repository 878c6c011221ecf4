"""CDK037: what the rule reports as missing is what synth stops at, with the real provider, and what a repaired
stack gives is not reported (the human-fixed answers of the corpus deploy: none of their calls lacks an argument)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.engine import repair_source, select_rules
from repair.transforms.types.missing_required_argument import python_list, readable_type

from conftest import BROKEN

SAMPLES = sorted((BROKEN / "missing_required_argument").glob("*.py"))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"


def _findings(source: str, path: str = "stack.py", rules=None):
    return [f for f in repair_source(source, rules, path=path).findings if f.rule_id == "CDK037"]


@pytest.mark.synth
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_CDK037_reports_the_arguments_synth_stops_at(synth_worker, sample):
    (finding,) = _findings(sample.read_text(), str(sample))
    assert not finding.fixed
    broken = synth_worker.synth(sample)
    assert not broken.ok and broken.error_type == "TypeError", broken.error
    expected = finding.prevents().removesuffix(" (cdktf synth fails)")
    assert expected in broken.error, (expected, broken.error)


def test_CDK037_leaves_complete_calls_spreads_and_positional_ids_alone():
    source = (
        "from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        "AwsProvider(self, 'aws', region='us-east-1')\n"
        "SsmParameter(self, 'a', name='/a', type='String', value='x')\n"
        "SsmParameter(self, 'b', **settings)\n"
        "SsmParameter(self, 'c', *args)\n"
    )
    assert _findings(source) == []


def test_CDK037_reads_json_names_inside_a_list_of_blocks_and_keys_of_a_lone_block_as_written():
    source = (
        "from cdktf_cdktf_provider_aws.api_gateway_usage_plan import ApiGatewayUsagePlan\n"
        "ApiGatewayUsagePlan(self, 'plan', name='p', api_stages=[{'apiId': api.id, 'stage': 'prod'}],\n"
        "                    quota_settings={'limit': 1000})\n"
    )
    (finding,) = _findings(source)
    assert "ApiGatewayUsagePlanQuotaSettings" in finding.message and "period (str)" in finding.message
    assert finding.prevents().startswith(
        "TypeError: ApiGatewayUsagePlanQuotaSettings.__init__() missing 1 required keyword-only argument: 'period'")


def test_CDK037_a_keyword_another_rule_renames_into_place_is_not_reported():
    # CDK011 renames subnet_group_name to the group's required `name`: the final code lacks nothing.
    source = (
        "from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
        "ElasticacheSubnetGroup(self, 'subnets', subnet_group_name='cache', subnet_ids=ids)\n"
    )
    assert _findings(source) == []


def test_CDK037_messages_quote_the_way_python_lists_and_types_read():
    assert python_list(["a"]) == "'a'"
    assert python_list(["a", "b"]) == "'a' and 'b'"
    assert python_list(["a", "b", "c"]) == "'a', 'b', and 'c'"
    assert readable_type("typing.Union[builtins.bool, _cdktf_9a9027ec.IResolvable]") == "bool"
    assert readable_type("jsii.Number") == "number"
    assert readable_type("typing.Sequence[builtins.str]") == "Sequence[str]"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-dev is not beside the project")
def test_CDK037_reports_nothing_in_the_human_fixed_stacks_that_deploy():
    files = [p for p in sorted(CORPUS.glob("*/lib/**/*.py")) if "test" not in p.as_posix()]
    assert len(files) > 100
    rule = select_rules(["CDK037"])  # the rule alone: what the code as the human left it is told
    reported = [f"{p}:{f.line}" for p in files
                for f in _findings(p.read_text(encoding="utf-8", errors="replace"), str(p), rule)]
    assert reported == []
