"""CDK039: arguments the provider accepts only a few values for, in source and in the synthesized JSON."""

from __future__ import annotations

import pytest

from repair.engine import repair_source, select_rules
from repair.transforms.deploy.allowed_values import ALLOWED, AllowedValues

HEADER = ("from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
          "from cdktf_cdktf_provider_aws.db_instance import DbInstance\n"
          "from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster\n"
          "from cdktf_cdktf_provider_aws.flow_log import FlowLog\n"
          "from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable\n")


@pytest.mark.parametrize(("call", "expected"), [
    ("CloudwatchLogGroup(self, 'g', retention_in_days=1825)", "retention_in_days=1827"),  # 5 x 365
    ("CloudwatchLogGroup(self, 'g', retention_in_days=730)", "retention_in_days=731"),
    ("DynamodbTable(self, 't', name='t', billing_mode='pay_per_request')", "billing_mode='PAY_PER_REQUEST'"),
    ("DynamodbTable(self, 't', name='t', billing_mode=\"ON_DEMAND\")", 'billing_mode="PAY_PER_REQUEST"'),
    # AWS's own words for a value, and the values themselves, whatever the case and the word separators.
    ("DynamodbTable(self, 't', name='t', billing_mode='on-demand')", "billing_mode='PAY_PER_REQUEST'"),
    ("DynamodbTable(self, 't', name='t', billing_mode='OnDemand')", "billing_mode='PAY_PER_REQUEST'"),
    ("DynamodbTable(self, 't', name='t', billing_mode='pay-per-request')", "billing_mode='PAY_PER_REQUEST'"),
    ("DbInstance(self, 'd', enabled_cloudwatch_logs_exports=['SLOW_QUERY'])", "['slowquery']"),
    ("DbInstance(self, 'd', enabled_cloudwatch_logs_exports=['IAM_DB_AUTH_ERROR'])", "['iam-db-auth-error']"),
])
def test_a_value_that_stands_for_one_allowed_value_becomes_it(call, expected):
    result = repair_source(HEADER + call + "\n", rules=select_rules(["CDK039"]))
    (finding,) = result.findings
    assert finding.fixed and result.fixed_source.endswith(expected + ")\n")


@pytest.mark.parametrize(("call", "message"), [
    ("CloudwatchLogGroup(self, 'g', retention_in_days=45)", "30 or 60 around it"),
    ("CloudwatchLogGroup(self, 'g', retention_in_days=5000)", "3653 around it"),
    ("FlowLog(self, 'f', vpc_id='v', max_aggregation_interval=300)", "takes only 60 or 600"),
    ("DynamodbTable(self, 't', name='t', billing_mode='SERVERLESS')", "'PROVISIONED' or 'PAY_PER_REQUEST'"),
])
def test_a_value_between_allowed_ones_is_reported_and_left(call, message):
    source = HEADER + call + "\n"
    result = repair_source(source, rules=select_rules(["CDK039"]))
    (finding,) = result.findings
    assert not finding.fixed and message in finding.message and result.fixed_source == source


@pytest.mark.parametrize("call", [
    "CloudwatchLogGroup(self, 'g', retention_in_days=retention)",  # a variable: the JSON check's
    "CloudwatchLogGroup(self, 'g', retention_in_days='30')",  # CDK009's: the declared type
    "FlowLog(self, 'f', vpc_id='v', max_aggregation_interval=60)",
])
def test_allowed_values_variables_and_other_types_are_left_alone(call):
    assert repair_source(HEADER + call + "\n", rules=select_rules(["CDK039"])).findings == []


def test_each_entry_of_a_list_of_allowed_values_is_checked():
    code = HEADER + ("DbInstance(self, 'db', engine='mysql', enabled_cloudwatch_logs_exports=['error', 'slow'])\n"
                     "RdsCluster(self, 'c', engine='aurora-mysql', enabled_cloudwatch_logs_exports=['slow_query', 'x'])\n")
    result = repair_source(code, rules=select_rules(["CDK039"]))
    assert "enabled_cloudwatch_logs_exports=['error', 'slowquery'])" in result.fixed_source
    assert "enabled_cloudwatch_logs_exports=['slowquery', 'x'])" in result.fixed_source
    assert sorted(f.fixed for f in result.findings) == [False, True, True]
    (left,) = [f for f in result.findings if not f.fixed]
    assert "not 'x': which one is the code's to choose" in left.message
    again = repair_source(result.fixed_source, rules=select_rules(["CDK039"]))
    assert again.fixed_source == result.fixed_source and [f.fixed for f in again.findings] == [False]


def test_json_check_by_address():
    stack = {"resource": {
        "aws_cloudwatch_log_group": {"a": {"retention_in_days": 2555}, "b": {"retention_in_days": 30},
                                     "c": {"retention_in_days": "${var.days}"}},
        "aws_flow_log": {"f": {"max_aggregation_interval": 300}},
        "aws_dynamodb_table": {"t": {"billing_mode": "ON_DEMAND"}, "u": {"billing_mode": "PROVISIONED"}},
        "aws_db_instance": {"d": {"enabled_cloudwatch_logs_exports": ["error", "slow"]},
                            "e": {"enabled_cloudwatch_logs_exports": ["error", "slowquery"]}}}}
    assert {f.address for f in AllowedValues.check_terraform_json(stack, None)} == {
        "aws_cloudwatch_log_group.a", "aws_flow_log.f", "aws_dynamodb_table.t", "aws_db_instance.d"}


def test_table_names_installed_provider_arguments_of_the_declared_type():
    from repair.provider_index import installed_index

    index = installed_index()
    for (module, klass), keywords in ALLOWED.items():
        params = index.params(module, klass)
        assert params is not None, (module, klass)
        for keyword, allowed in keywords.items():
            declared = params[keyword]
            assert ("str" in declared) == isinstance(allowed.values[0], str), (module, klass, keyword, declared)


# -- synthesized ----------------------------------------------------------------------------------------------------
@pytest.mark.synth
@pytest.mark.parametrize("name", ["audit_log_retention.py", "orders_table_on_demand.py"])
def test_samples_synthesize_with_the_values_plan_refuses_and_without_them_once_repaired(synth_worker, name):
    from repair.proof.verify import check_terraform_json

    from conftest import BROKEN, FIXED

    findings = {}
    for label, folder in (("broken", BROKEN), ("fixed", FIXED)):
        result = synth_worker.synth(folder / "allowed_values" / name)
        assert result.ok, result.error  # synth passes the values: only terraform plan refuses them
        (stack,) = result.stacks.values()
        findings[label] = [f for f in check_terraform_json(stack) if f.rule_id == "CDK039"]
    assert findings["broken"] and findings["fixed"] == []
