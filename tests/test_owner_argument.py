"""CDK036: `vpc=network.vpc` where the callee reads only attributes of `network` becomes `vpc=network`; anything
less certain is left alone."""

from __future__ import annotations

import pytest

from repair.engine import repair_source, select_rules

from conftest import BROKEN, FIXED

NETWORK = (
    "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
    "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
    "class Network:\n"
    "    def __init__(self, scope):\n"
    "        self.vpc = Vpc(scope, 'vpc', cidr_block='10.0.0.0/16')\n"
    "        self.app_sg = SecurityGroup(scope, 'app', vpc_id=self.vpc.id)\n"
    "class Compute:\n"
    "    def __init__(self, scope, vpc):\n"
)


def repair(code: str):
    result = repair_source(code, rules=select_rules(["CDK036"]))
    assert result.error is None
    return result


def test_the_owner_is_passed_when_every_read_is_its_own():
    code = NETWORK + "        self.ids = [vpc.app_sg.id]\ndef build(scope):\n    net = Network(scope)\n" \
                     "    Compute(scope, vpc=net.vpc)\n"
    result = repair(code)
    assert result.fixed_source == code.replace("vpc=net.vpc", "vpc=net")
    (finding,) = result.findings
    assert finding.fixed and "app_sg of a Vpc" in finding.message
    assert repair(result.fixed_source).findings == []


@pytest.mark.parametrize("body, call", [
    # the VPC's own attribute is read as well: the value passed is meant
    ("        self.ids = [vpc.app_sg.id, vpc.id]\n", "Compute(scope, vpc=net.vpc)"),
    # the parameter is kept, passed on or iterated: its reads are not all here
    ("        self.vpc = vpc\n", "Compute(scope, vpc=net.vpc)"),
    ("        print(vpc, vpc.app_sg)\n", "Compute(scope, vpc=net.vpc)"),
    # the owner is bound twice: which object it is at the call is not certain
    ("        self.ids = [vpc.app_sg.id]\n", "net = Network(scope)\n    Compute(scope, vpc=net.vpc)"),
    # an attribute no object has
    ("        self.ids = [vpc.db_sg.id]\n", "Compute(scope, vpc=net.vpc)"),
])
def test_anything_less_certain_is_left_alone(body, call):
    code = NETWORK + body + f"def build(scope):\n    net = Network(scope)\n    {call}\n"
    result = repair(code)
    assert result.fixed_source == code
    assert not any(f.fixed for f in result.findings)


def test_a_read_the_owner_lacks_too_is_reported():
    code = NETWORK + "        self.ids = [vpc.app_sg.id, vpc.db_sg.id]\ndef build(scope):\n" \
                     "    net = Network(scope)\n    Compute(scope, vpc=net.vpc)\n"
    result = repair(code)
    assert result.fixed_source == code
    (finding,) = result.findings
    assert not finding.fixed and "not db_sg" in finding.message


def test_the_project_sample_is_repaired_from_its_sibling_modules():
    stack = "owner_argument/split_stacks/lib/tap_stack.py"
    source = (BROKEN / stack).read_text(encoding="utf-8")
    result = repair_source(source, path=str(BROKEN / stack), rules=select_rules(["CDK036"]))
    assert result.fixed_source == (FIXED / stack).read_text(encoding="utf-8")


@pytest.mark.synth
def test_the_owners_security_group_reaches_the_function_once_repaired(synth_worker):
    broken = synth_worker.synth(BROKEN / "owner_argument" / "split_stacks")
    assert not broken.ok and "'Vpc' object has no attribute 'worker_security_group'" in broken.error
    result = synth_worker.synth(FIXED / "owner_argument" / "split_stacks")
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    (function,) = stack["resource"]["aws_lambda_function"].values()
    assert function["function_name"] == "orders-worker"
    assert function["vpc_config"] == {
        "security_group_ids": ["${aws_security_group.network-worker-sg.id}"],
        "subnet_ids": ["${aws_subnet.network-private-0.id}", "${aws_subnet.network-private-1.id}"]}
    (group,) = stack["resource"]["aws_security_group"].values()
    assert group["name"] == "orders-worker" and group["vpc_id"] == "${aws_vpc.network-vpc.id}"
