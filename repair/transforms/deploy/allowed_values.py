"""CDK039 allowed-values: a provider argument given a value outside the few the provider accepts.

Some arguments the bindings type as a plain number or string take only a handful of values, which the Terraform
provider checks at plan (`expected max_aggregation_interval to be one of [60 600], got 300`); synth passes anything.
Generated stacks write the value the description suggests: five minutes of aggregation, seven years of log
retention as 7 x 365 = 2555 days, DynamoDB's "on-demand" mode by that name. The table below holds such sets, each
as the provider's validation states it (checked with `terraform validate` against the provider), for arguments
generated answers were seen to get wrong; for a list argument (an RDS database's log exports), each of its entries.

Repair policy, where the value alone decides it:
- a string that is one of the set's in other letter case or with other word separators (`pay-per-request`), or
  the name AWS's documentation gives the value, written either way (DynamoDB calls PAY_PER_REQUEST "on-demand":
  `ON_DEMAND`, `on-demand`, `OnDemand`; MySQL's slow query log is `slowquery`: `slow_query`, `SLOW_QUERY`),
  becomes it;
- a number within half a percent of exactly one allowed value becomes it (2555 days -> 2557, AWS's seven years);
- anything else (300 seconds, between 60 and 600) is reported with the allowed values around it: which one was
  meant is the code's choice.
Values only known after synth (a variable) are checked in the Terraform JSON against the same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import keyword_arg, string_value, with_call_values
from repair.transforms._triggers import ANY, LIST, NUMBER, STRING, Any, ModuleArgument, Written

# How far a number may be from the one allowed value it is read as (relative): 2555 for 2557 is 0.08 %.
NEAR = 0.005


@dataclass(frozen=True)
class Allowed:
    values: tuple  # what the provider accepts, in its order
    # Other names of an allowed value (AWS's own words for it) -> the value.
    aliases: dict[str, str] = field(default_factory=dict)
    each: bool = False  # the argument is a list, each of whose entries is one of the values

    def repaired(self, value) -> object | None:
        """The one allowed value `value` stands for, or None."""
        if isinstance(value, str):
            key = _spelling(value)
            aliases = {_spelling(alias): meant for alias, meant in self.aliases.items()}
            if key in aliases:
                return aliases[key]
            same = [v for v in self.values if isinstance(v, str) and _spelling(v) == key]
            return same[0] if len(same) == 1 else None
        near = [v for v in self.values if not isinstance(v, str) and v and abs(value - v) <= NEAR * v]
        return near[0] if len(near) == 1 else None

    def listed(self) -> str:
        if isinstance(self.values[0], str) and len(self.values) > 4:
            return "one of " + ", ".join(map(_shown, self.values))
        return " or ".join(map(_shown, self.values)) if len(self.values) <= 4 else \
            f"its {len(self.values)} listed values, {_shown(self.values[0])} to {_shown(self.values[-1])}"

    def choice(self, value) -> str:
        """The allowed values to choose from: a long list's two around a number."""
        if isinstance(value, str) or len(self.values) <= 4:
            return "which one is the code's to choose"
        below = [v for v in self.values if v < value]
        above = [v for v in self.values if v > value]
        return f"{' or '.join(_shown(v) for v in below[-1:] + above[:1])} around it is the code's to choose"


def _spelling(text: str) -> str:
    """A value's words without their case and separators: `on-demand`, `ON_DEMAND` and `OnDemand` are one name."""
    return re.sub(r"[-_ ]", "", text).casefold()


def _shown(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


_SLOW_QUERY = {"slow": "slowquery"}
# (provider module, class) -> {keyword: the values the provider accepts}. From the provider's validation
# (terraform validate: "expected <keyword> to be one of [...]").
ALLOWED: dict[tuple[str, str], dict[str, Allowed]] = {
    ("cloudwatch_log_group", "CloudwatchLogGroup"): {"retention_in_days": Allowed(
        (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
         3653))},
    ("flow_log", "FlowLog"): {"max_aggregation_interval": Allowed((60, 600))},
    ("security_group_rule", "SecurityGroupRule"): {"type": Allowed(("ingress", "egress"))},
    ("dynamodb_table", "DynamodbTable"): {"billing_mode": Allowed(("PROVISIONED", "PAY_PER_REQUEST"),
                                                                  aliases={"ON_DEMAND": "PAY_PER_REQUEST"})},
    # The logs an RDS database sends to CloudWatch, by engine; MySQL's slow query log is `slowquery`.
    ("db_instance", "DbInstance"): {"enabled_cloudwatch_logs_exports": Allowed(
        ("agent", "alert", "audit", "diag.log", "error", "general", "iam-db-auth-error", "listener", "notify.log",
         "oemagent", "postgresql", "slowquery", "trace", "upgrade"), aliases=_SLOW_QUERY, each=True)},
    ("rds_cluster", "RdsCluster"): {"enabled_cloudwatch_logs_exports": Allowed(
        ("audit", "error", "general", "iam-db-auth-error", "instance", "postgresql", "slowquery", "upgrade"),
        aliases=_SLOW_QUERY, each=True)},
}
RESOURCE_ALLOWED = {f"aws_{module}": keywords for (module, _), keywords in ALLOWED.items()}

# For the trigger: keyword -> the literal texts every class of the table holding that keyword accepts (a value
# outside them may be refused by one of them).
_ACCEPTED_TEXTS: dict[str, frozenset[str]] = {}
for _keywords in ALLOWED.values():
    for _keyword, _allowed in _keywords.items():
        _texts = frozenset(map(str, _allowed.values))
        _ACCEPTED_TEXTS[_keyword] = _ACCEPTED_TEXTS.get(_keyword, _texts) & _texts
_LITERAL = re.compile(r"""(?:(-?\d+(?:\.\d+)?)\b|(['"])([^'"\\\n]*)\2)""")


def _may_be_refused(keyword: str):
    def concerns(value: Written) -> bool:
        if value.kind == ANY:
            return True
        if value.kind == LIST:
            return any(concerns(entry) for entry in value.elements())
        if value.kind not in (NUMBER, STRING) or value.facts is None:
            return False
        match = _LITERAL.match(value.facts.code, value.start)
        if match is None:
            return True  # written in a way not read here (a prefix, escapes): the rule reads it
        return (match.group(1) if match.group(1) is not None else match.group(3)) not in _ACCEPTED_TEXTS[keyword]
    return concerns


def _literal(node: cst.BaseExpression):
    """The number or string written at `node` (a sign in front of a number read with it), else None."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _literal(node.expression)
        return -inner if isinstance(inner, (int, float)) else None
    if isinstance(node, cst.Integer):
        return node.evaluated_value
    if isinstance(node, cst.Float):
        return node.evaluated_value
    return string_value(node)


def _written(value, like: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(value, str):
        quote = like.quote if isinstance(like, cst.SimpleString) else '"'
        return cst.SimpleString(f"{quote}{value}{quote}")
    return cst.Integer(str(value)) if isinstance(value, int) else cst.Float(repr(value))


class AllowedValues(Rule):
    id = "CDK039"
    slug = "allowed-values"
    severity = Severity.HIGH
    summary = (
        "Write an argument the provider accepts only a few values for as one of them, where the value stands for "
        "exactly one (2555 retention days -> 2557, ON_DEMAND -> PAY_PER_REQUEST); report the others with the "
        "values to choose from."
    )
    prevents = "terraform plan: Error: expected max_aggregation_interval to be one of [60 600], got 300"
    prevents_template = "terraform plan: Error: expected {keyword} to be one of [...], got {value}"
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs"
    analysis_keywords = ("valid values", "allowed values", "one of", "invalid value", "billing mode",
                         "retention period", "aggregation interval")
    # A keyword of the table written with a literal the table's classes may not all accept.
    triggers = Any(*(ModuleArgument({module: {keyword}}, _may_be_refused(keyword))
                     for (module, _), keywords in ALLOWED.items() for keyword in keywords))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable\n"
                "CloudwatchLogGroup(self, 'audit', name='/app/audit', retention_in_days=2555)  # 7 years\n"
                "DynamodbTable(self, 'orders', name='orders', hash_key='id', billing_mode='ON_DEMAND',\n"
                "              attribute=[DynamodbTableAttribute(name='id', type='S')])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable\n"
                "CloudwatchLogGroup(self, 'audit', name='/app/audit', retention_in_days=2557)  # 7 years\n"
                "DynamodbTable(self, 'orders', name='orders', hash_key='id', billing_mode='PAY_PER_REQUEST',\n"
                "              attribute=[DynamodbTableAttribute(name='id', type='S')])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "from cdktf_cdktf_provider_aws.flow_log import FlowLog\n"
                "CloudwatchLogGroup(self, 'app', name='/app', retention_in_days=30)\n"
                "FlowLog(self, 'flow', vpc_id=vpc.id, traffic_type='ALL', max_aggregation_interval=600)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return with_call_values(tree, self._new_values)

    def _new_values(self, call: cst.Call) -> dict[int, cst.BaseExpression]:
        """Argument index -> its allowed value; every finding reported."""
        target = self.provider_imports.resolve(call.func)
        keywords = ALLOWED.get(target) if target else None
        if not keywords:
            return {}
        replacements = {}
        for keyword, allowed in keywords.items():
            arg = keyword_arg(call, keyword)
            if arg is None:
                continue
            listed = allowed.each and isinstance(arg.value, (cst.List, cst.Tuple))
            nodes = [e.value for e in arg.value.elements if isinstance(e, cst.Element)] if listed else [arg.value]
            written = {}
            for node in nodes:
                new = self._allowed(node, allowed, f"aws_{target[0]} {keyword}", keyword)
                if new is not None:
                    written[node] = new
            if written:
                replacements[call.args.index(arg)] = arg.value.with_changes(elements=[
                    e.with_changes(value=written.get(e.value, e.value)) if isinstance(e, cst.Element) else e
                    for e in arg.value.elements]) if listed else written[arg.value]
        return replacements

    def _allowed(self, node: cst.BaseExpression, allowed: Allowed, where: str, keyword: str):
        """The allowed value a literal stands for, when it needs one and its finding was fixed; else None."""
        value = _literal(node)
        if value is None or isinstance(value, bool) or value in allowed.values:
            return None
        if isinstance(value, str) != isinstance(allowed.values[0], str):
            return None  # a number written as a string, or the other way: CDK009's, in the declared type
        facts = {"keyword": keyword, "value": str(value)}
        repaired = allowed.repaired(value)
        if repaired is None:
            self.report(node, f"{where} takes only {allowed.listed()} (checked at plan), not {_shown(value)}: "
                        f"{allowed.choice(value)}", fixed=False, facts=facts)
            return None
        if self.report(node, f"{where} takes only {allowed.listed()} (checked at plan): {_shown(value)} written as "
                       f"{_shown(repaired)}", facts=facts):
            return _written(repaired, node)
        return None

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for resource_type, keywords in RESOURCE_ALLOWED.items():
            for name, resource in (stack.get("resource", {}).get(resource_type) or {}).items():
                for keyword, allowed in keywords.items():
                    given = resource.get(keyword) if isinstance(resource, dict) else None
                    for value in (given if allowed.each and isinstance(given, list) else [given]):
                        if isinstance(value, bool) or not isinstance(value, (int, float, str)) \
                                or value in allowed.values:
                            continue
                        if isinstance(value, str) != isinstance(allowed.values[0], str):
                            continue  # Terraform converts "30" to 30, and the other way
                        if isinstance(value, str) and "${" in value:
                            continue  # known only at apply
                        findings.append(JsonFinding(cls.id, f"{resource_type}.{name}", f"{keyword} {_shown(value)}: "
                                                    f"the provider takes only {allowed.listed()}"))
        return findings
