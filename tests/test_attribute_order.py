"""CDK034: a constructor's helper called before the attributes it reads are assigned moves after them when nothing
it passes over depends on it; otherwise the finding is reported and the code left alone. The repaired samples
synthesize with the real provider, carrying their values."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.options import RepairOptions
from repair.transforms._base import rule_by_key
from repair.transforms.structure.attribute_order import AttributeOrder

from conftest import BROKEN, FIXED

FOLDER = "attribute_order"


def _repair(source: str):
    result = repair_source(source, rules=[AttributeOrder])
    assert result.error is None
    again = repair_source(result.fixed_source, rules=[AttributeOrder])
    assert again.fixed_source == result.fixed_source, "the repair is not idempotent"
    assert [f for f in again.findings if f.fixed] == []
    return result


def _moved(before: str, after: str) -> None:
    result = _repair(before)
    assert result.fixed_source == after
    assert result.findings and all(f.rule_id == "CDK034" and f.fixed for f in result.findings)


def _reported(source: str, *words: str) -> None:
    result = _repair(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed
    for word in words:
        assert word in finding.message, finding.message


# -- moved -------------------------------------------------------------------------------------------------------
def test_the_call_moves_after_the_last_attribute_it_lacks_with_its_comments():
    _moved(
        "class Api:\n"
        "    def __init__(self, scope):\n"
        "        super().__init__()\n"
        "        self._routes()  # both handlers\n"
        "\n"
        "        # Handlers\n"
        "        self.reader = make(scope, 'reader')\n"
        "        self.writer = make(scope, 'writer')\n"
        "        self.stage = make(scope, 'stage')\n"
        "\n"
        "    def _routes(self):\n"
        "        route(self.reader, self.writer)\n",
        "class Api:\n"
        "    def __init__(self, scope):\n"
        "        super().__init__()\n"
        "\n"
        "        # Handlers\n"
        "        self.reader = make(scope, 'reader')\n"
        "        self.writer = make(scope, 'writer')\n"
        "        self._routes()  # both handlers\n"
        "        self.stage = make(scope, 'stage')\n"
        "\n"
        "    def _routes(self):\n"
        "        route(self.reader, self.writer)\n",
    )


def test_the_blank_line_before_the_call_stays_where_it_was():
    _moved(
        "class Db:\n"
        "    def __init__(self, scope):\n"
        "        self.subnets = make(scope)\n"
        "\n"
        "        # Parameters\n"
        "        self._parameters()\n"
        "        self.cluster = make(scope)\n"
        "        self.proxy = make(scope)\n"
        "    def _parameters(self):\n"
        "        tune(self.cluster)\n",
        "class Db:\n"
        "    def __init__(self, scope):\n"
        "        self.subnets = make(scope)\n"
        "\n"
        "        self.cluster = make(scope)\n"
        "\n"
        "        # Parameters\n"
        "        self._parameters()\n"
        "        self.proxy = make(scope)\n"
        "    def _parameters(self):\n"
        "        tune(self.cluster)\n",
    )


def test_a_property_and_a_base_class_of_the_module_are_followed():
    _moved(
        "class Base:\n"
        "    def _outputs(self):\n"
        "        output(self.endpoint)\n"
        "class Cache(Base):\n"
        "    @property\n"
        "    def endpoint(self):\n"
        "        return self.cluster.address\n"
        "    def __init__(self, scope):\n"
        "        self._outputs()\n"
        "        self.cluster = make(scope)\n",
        "class Base:\n"
        "    def _outputs(self):\n"
        "        output(self.endpoint)\n"
        "class Cache(Base):\n"
        "    @property\n"
        "    def endpoint(self):\n"
        "        return self.cluster.address\n"
        "    def __init__(self, scope):\n"
        "        self.cluster = make(scope)\n"
        "        self._outputs()\n",
    )


def test_every_early_call_moves_in_one_run_and_each_after_its_own_attribute():
    before = (
        "class Site:\n"
        "    def __init__(self, scope, env):\n"
        "        self._dns(env)\n"
        "        self._cdn()\n"
        "        self._dns(env)\n"
        "        self.bucket = make(scope, f'site-{env}')\n"
        "        self.zone = make(scope, env)\n"
        "    def _dns(self, env):\n"
        "        record(self.zone, env)\n"
        "    def _cdn(self):\n"
        "        distribution(self.bucket)\n"
    )
    result = repair_source(before, rules=[AttributeOrder])  # one pass of the engine: no second pass needed
    assert result.fixed_source == (
        "class Site:\n"
        "    def __init__(self, scope, env):\n"
        "        self.bucket = make(scope, f'site-{env}')\n"
        "        self._cdn()\n"
        "        self.zone = make(scope, env)\n"
        "        self._dns(env)\n"
        "        self._dns(env)\n"
        "    def _dns(self, env):\n"
        "        record(self.zone, env)\n"
        "    def _cdn(self):\n"
        "        distribution(self.bucket)\n"
    )
    assert sorted(f.line for f in result.findings if f.fixed) == [3, 4, 5]
    _repair(before)


def test_an_instance_named_otherwise_and_a_plain_class():
    _moved(
        "class Logs:\n"
        "    def __init__(this, scope, name):\n"
        "        this.scope = scope\n"
        "        this._filter(name)\n"
        "        this.group = make(scope, name)\n"
        "    def _filter(me, name):\n"
        "        make_filter(me.scope, me.group.name, name)\n",
        "class Logs:\n"
        "    def __init__(this, scope, name):\n"
        "        this.scope = scope\n"
        "        this.group = make(scope, name)\n"
        "        this._filter(name)\n"
        "    def _filter(me, name):\n"
        "        make_filter(me.scope, me.group.name, name)\n",
    )


def test_the_finding_names_the_attribute_its_line_and_the_call():
    result = _repair((BROKEN / FOLDER / "dead_letter_alarm.py").read_text())
    (finding,) = result.findings
    assert finding.line == 18 and finding.fixed
    assert "`self._add_backlog_alarm()`" in finding.message and "`self.dead_letters` on line 20" in finding.message
    assert finding.prevents() == ("AttributeError: 'WorkQueue' object has no attribute 'dead_letters' "
                                  "(cdktf synth fails)")


# -- only reported -----------------------------------------------------------------------------------------------
def test_a_statement_in_between_that_reads_what_the_helper_sets():
    _reported(
        "class Net:\n"
        "    def __init__(self, scope):\n"
        "        self._subnets()\n"
        "        self.vpc = make(scope, self.subnet_ids)\n"
        "    def _subnets(self):\n"
        "        self.subnet_ids = [make(self.vpc)]\n",
        "`self.vpc`", "line 4", "`self._subnets()`", "which the helper sets")


def test_an_attribute_first_assigned_under_a_condition():
    _reported(
        "class Net:\n"
        "    def __init__(self, scope, private):\n"
        "        self._routes()\n"
        "        if private:\n"
        "            self.nat = make(scope)\n"
        "    def _routes(self):\n"
        "        route(self.nat)\n",
        "`self.nat`", "line 5", "under a condition")


@pytest.mark.parametrize("statement", ["        self.table = self._table()\n",
                                       "        if True:\n            self._table()\n"])
def test_a_call_whose_value_is_used_or_that_is_nested(statement):
    _reported(
        "class Data:\n"
        "    def __init__(self, scope):\n"
        f"{statement}"
        "        self.key = make(scope)\n"
        "    def _table(self):\n"
        "        return make(self.key)\n",
        "`self._table()`", "`self.key`", "not a statement of its own")


def test_a_property_read_in_a_block_statement_is_named_not_the_block():
    _reported(
        "class Data:\n"
        "    def __init__(self, scope):\n"
        "        if self.ready:\n"
        "            make(scope)\n"
        "            make(scope)\n"
        "        self.key = make(scope)\n"
        "    @property\n"
        "    def ready(self):\n"
        "        return self.key is not None\n",
        "`self.ready` reads `self.key`", "line 6")


def test_a_passed_name_rebound_in_between():
    _reported(
        "class Q:\n"
        "    def __init__(self, scope):\n"
        "        name = 'jobs'\n"
        "        self._alarm(name)\n"
        "        name = 'jobs-dlq'\n"
        "        self.dlq = make(scope, name)\n"
        "    def _alarm(self, name):\n"
        "        alarm(self.dlq, name)\n",
        "rebind name")


def test_a_passed_list_the_helper_may_change_and_the_statements_in_between_read():
    _reported(
        "class Q:\n"
        "    def __init__(self, scope):\n"
        "        arns = []\n"
        "        self._collect(arns)\n"
        "        self.policy = make(scope, arns)\n"
        "    def _collect(self, arns):\n"
        "        arns.append(self.policy.arn)\n",
        "may change")


@pytest.mark.parametrize(("between", "reason"), [
    ("        if not scope:\n            return\n", "`return`"),
    ("        self.tags = {'team': 'data'}\n", "change `self.tags`"),  # it reads the tags it had before
    ("        self.retry = lambda: self._table()\n", "call `_table` too"),
    ("        register(self)\n", "hand `self` on"),
])
def test_what_the_statements_in_between_do(between, reason):
    _reported(
        "def register(stack):\n"
        "    pass\n"
        "class Data:\n"
        "    def __init__(self, scope):\n"
        "        self.tags = {}\n"
        "        self._table()\n"
        f"{between}"
        "        self.key = make(scope)\n"
        "    def _table(self):\n"
        "        make(self.key, self.tags)\n",
        reason)


def test_an_attribute_assigned_twice_before_the_call_would_run():
    _reported(
        "class Data:\n"
        "    def __init__(self, scope):\n"
        "        self._table()\n"
        "        self.key = make(scope)\n"
        "        self.key = make(scope, rotated=True)\n"
        "        self.alias = make(scope)\n"
        "    def _table(self):\n"
        "        make(self.key, self.alias)\n",
        "more than once")


def test_an_attribute_the_helper_reads_that_init_never_assigns():
    _reported(
        "class Data:\n"
        "    def __init__(self, scope):\n"
        "        self._table()\n"
        "        self.key = make(scope)\n"
        "    def _table(self):\n"
        "        make(self.key, self.replica_region)\n",
        "`self.replica_region` is not assigned")


def test_a_suppressed_call_stays_and_says_so():
    source = (
        "class Data:\n"
        "    def __init__(self, scope):\n"
        "        self._table()  # repair: ignore[CDK034]\n"
        "        self.key = make(scope)\n"
        "    def _table(self):\n"
        "        make(self.key)\n"
    )
    result = repair_source(source, rules=[AttributeOrder])
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.suppressed and not finding.fixed


# -- left alone --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", [
    # the helper tests for the attribute first
    "class A:\n"
    "    def __init__(self, scope):\n"
    "        self._h()\n"
    "        self.x = make(scope)\n"
    "    def _h(self):\n"
    "        if hasattr(self, 'x'):\n"
    "            use(self.x)\n",
    # the helper assigns it itself, before reading it
    "class A:\n"
    "    def __init__(self, scope):\n"
    "        self._h()\n"
    "        self.x = make(scope)\n"
    "    def _h(self):\n"
    "        self.x = None\n"
    "        use(self.x)\n",
    # only a function the helper defines reads it, once called later
    "class A:\n"
    "    def __init__(self, scope):\n"
    "        self._h()\n"
    "        self.x = make(scope)\n"
    "    def _h(self):\n"
    "        self.on_change = lambda: use(self.x)\n",
    # a generator method: calling it runs none of its body
    "class A:\n"
    "    def __init__(self, scope):\n"
    "        self._next = self._items().__next__\n"
    "        self.x = make(scope)\n"
    "    def _items(self):\n"
    "        yield use(self.x)\n",
    # an attribute cdktf's Construct gives every instance
    "class A(Construct):\n"
    "    def __init__(self, scope, id):\n"
    "        super().__init__(scope, id)\n"
    "        self._h()\n"
    "        self.node = make(scope)\n"
    "    def _h(self):\n"
    "        use(self.node)\n",
    # ... and what a stack or a resource has from cdktf (read from the installed package, not listed)
    "class A(TerraformStack):\n"
    "    def __init__(self, scope, id):\n"
    "        super().__init__(scope, id)\n"
    "        self._h()\n"
    "        self.to_terraform = make(scope)\n"
    "    def _h(self):\n"
    "        use(self.to_terraform, self.friendly_unique_id)\n"
    "        self.friendly_unique_id = 'x'\n",
])
def test_code_that_runs_is_left_alone(source):
    result = repair_source(source, rules=[AttributeOrder])
    assert result.fixed_source == source and result.findings == []


def test_the_trigger_needs_a_method_of_the_file_called_on_the_instance():
    options = RepairOptions()
    assert not AttributeOrder.may_apply("class S:\n    def __init__(self):\n        self.add_override('a', 1)\n",
                                        options)
    assert AttributeOrder.may_apply("class S:\n    def __init__(self):\n        self._h()\n        self.x = 1\n"
                                    "    def _h(self):\n        print(self.x)\n", options)
    assert AttributeOrder.may_apply("class S:\n    def __init__(s):\n        s._h()\n        s.x = 1\n"
                                    "    def _h(self):\n        print(self.x)\n", options)
    # Read with ast: the helper reads only what is assigned before it, or what it assigns itself.
    assert not AttributeOrder.may_apply("class S:\n    def __init__(self):\n        self.x = 1\n        self._h()\n"
                                        "    def _h(self):\n        print(self.x)\n", options)
    assert not AttributeOrder.may_apply("class S:\n    def __init__(self):\n        self._h()\n        self.y = 1\n"
                                        "    def _h(self):\n        self.x = 1\n        print(self.x)\n", options)


def test_the_synth_error_is_this_rules():
    from repair.proof.verify import rule_for_synth_error

    assert rule_for_synth_error("AttributeError", "AttributeError: 'AnalyticsStack' object has no attribute "
                                "'events_bucket'") == "CDK034"
    assert rule_by_key("attribute-order") is AttributeOrder


# -- the proof ---------------------------------------------------------------------------------------------------
@pytest.mark.synth
def test_the_repaired_samples_synthesize_with_their_values(synth_worker):
    for name, attribute in (("dead_letter_alarm.py", "dead_letters"), ("bucket_read_policy.py", "events_bucket"),
                            ("log_metric_builder.py", "log_group")):
        broken = synth_worker.synth(BROKEN / FOLDER / name)
        assert not broken.ok and broken.error_type == "AttributeError" and f"'{attribute}'" in broken.error

    stack = _only_stack(synth_worker, "dead_letter_alarm.py")
    queues = {body["name"]: body for body in stack["resource"]["aws_sqs_queue"].values()}
    assert queues["billing-invoices-dlq"]["message_retention_seconds"] == 1209600
    assert queues["billing-invoices"]["visibility_timeout_seconds"] == 90
    (dlq_id,) = [key for key, body in stack["resource"]["aws_sqs_queue"].items() if body["name"].endswith("-dlq")]
    (alarm,) = stack["resource"]["aws_cloudwatch_metric_alarm"].values()
    assert alarm["alarm_name"] == "billing-invoices-dlq-backlog" and alarm["threshold"] == 3
    assert alarm["dimensions"] == {"QueueName": f"${{aws_sqs_queue.{dlq_id}.name}}"}

    stack = _only_stack(synth_worker, "bucket_read_policy.py")
    buckets = stack["resource"]["aws_s3_bucket"]
    assert {b["bucket"] for b in buckets.values()} == {"analytics-events-euw1", "analytics-results-euw1"}
    policy = stack["resource"]["aws_iam_role_policy"]["read-buckets"]
    assert policy["role"] == "${aws_iam_role.reader.id}"
    for bucket in ("events", "results"):
        assert f"aws_s3_bucket.{bucket}.arn" in policy["policy"]
        assert f'"${{aws_s3_bucket.{bucket}.arn}}/*"' in policy["policy"]

    stack = _only_stack(synth_worker, "log_metric_builder.py")
    (group,) = stack["resource"]["aws_cloudwatch_log_group"].values()
    assert group["name"] == "/services/checkout-qa" and group["retention_in_days"] == 30
    (metric_filter,) = stack["resource"]["aws_cloudwatch_log_metric_filter"].values()
    assert metric_filter["log_group_name"] == "${aws_cloudwatch_log_group.checkout-logs.name}"
    assert metric_filter["name"] == "checkout-errors-qa"
    assert metric_filter["metric_transformation"] == {"name": "checkout-error-count", "namespace": "Services/qa",
                                                      "value": "1"}


def _only_stack(worker, name: str) -> dict:
    result = worker.synth(FIXED / FOLDER / name)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack
