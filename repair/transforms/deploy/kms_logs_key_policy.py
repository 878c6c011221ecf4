"""CDK024 kms-logs-key-policy: a KMS key that encrypts a CloudWatch log group but whose policy does not let
CloudWatch Logs use it.

CloudWatch Logs encrypts with the key as the service principal `logs.<region>.amazonaws.com`, which the default key
policy (account root only) and most written ones do not name; synth passes, and `terraform apply` fails creating
the log group with `AccessDeniedException: The specified KMS key does not exist or is not allowed to be used`.

When the key's policy is a literal in the file (a dict, `json.dumps` or `Fn.jsonencode` of one, directly or
through a name assigned once) with a literal `Statement` list, the statement AWS documents for CloudWatch Logs is
appended, for the region of the file's one AWS provider when the key is created in the same function (or the
region is a literal), else, for a key of the default provider created in a construct's method, the region a
`DataAwsRegion` data source reads there. Anything else (no policy: the default one; a policy document data source;
a JSON string; no region in reach) is reported.
"""

from __future__ import annotations

import json
import re

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import (
    apply_leaves, code_of, dotted_code, keyword_arg, single_assignments, string_value, walk,
)
from repair.transforms._data_sources import DataSources
from repair.transforms._keyword_calls import quote_style
from repair.transforms._terraform_json import reference

KMS_KEY = ("kms_key", "KmsKey")
LOG_GROUP = ("cloudwatch_log_group", "CloudwatchLogGroup")
PROVIDER = ("provider", "AwsProvider")
REGION_SOURCE = ("data_aws_region", "DataAwsRegion")
# The statement of https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
LOGS_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
SID = "AllowCloudWatchLogs"
QUOTE = '"'
_LOGS_PRINCIPAL = re.compile(r"logs\.[^\"']*amazonaws\.com")


def _enclosing_functions(tree: cst.Module) -> dict[cst.CSTNode, cst.CSTNode | None]:
    """Each call -> the function (or module) it is written in."""
    owner: dict[cst.CSTNode, cst.CSTNode | None] = {}

    def visit(node: cst.CSTNode, function: cst.CSTNode | None) -> None:
        for child in node.children:
            if isinstance(child, cst.Call):
                owner[child] = function
            visit(child, child if isinstance(child, cst.FunctionDef) else function)

    visit(tree, None)
    return owner


def _policy_dict(expr: cst.BaseExpression | None, assignments) -> cst.Dict | None:
    """The literal dict a policy argument is, through `json.dumps(...)` or `Fn.jsonencode(...)` and one name assigned
    once."""
    for _ in range(3):
        if isinstance(expr, cst.Call) and code_of(expr.func) in ("json.dumps", "Fn.jsonencode") and expr.args:
            expr = expr.args[0].value
        elif isinstance(expr, cst.Name) and expr.value in assignments:
            expr = assignments[expr.value]
        else:
            break
    return expr if isinstance(expr, cst.Dict) else None


def _statement_list(policy: cst.Dict) -> cst.List | None:
    for element in policy.elements:
        if isinstance(element, cst.DictElement) and string_value(element.key) == "Statement":
            return element.value if isinstance(element.value, cst.List) else None
    return None


def _names_logs(node: cst.CSTNode) -> bool:
    return bool(_LOGS_PRINCIPAL.search(code_of(node)))


def _quote(policy: cst.Dict) -> str:
    for element in policy.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            return element.key.quote
    return '"'


def _principal(region: cst.BaseExpression, quote: str) -> cst.BaseExpression:
    literal = string_value(region)
    if literal is not None:
        return cst.SimpleString(f"{quote}logs.{literal}.amazonaws.com{quote}")
    return cst.parse_expression(f"f{quote}logs.{{{code_of(region)}}}.amazonaws.com{quote}")


def _logs_statement(template: cst.CSTNode, region: cst.BaseExpression, quote: str) -> cst.BaseExpression:
    """The CloudWatch Logs statement, laid out like `template` (the list's last statement) when that is a dict."""
    def q(text: str) -> cst.SimpleString:
        return cst.SimpleString(f"{quote}{text}{quote}")

    actions = ", ".join(f"{quote}{a}{quote}" for a in LOGS_ACTIONS)
    pairs = [
        (q("Sid"), q(SID)),
        (q("Effect"), q("Allow")),
        (q("Principal"), cst.Dict([cst.DictElement(q("Service"), _principal(region, quote))])),
        (q("Action"), cst.parse_expression(f"[{actions}]")),
        (q("Resource"), q("*")),
    ]
    if isinstance(template, cst.Dict) and len(template.elements) >= 2:
        first, last = template.elements[0], template.elements[-1]
        elements = [
            first.with_changes(key=key, value=value, comma=first.comma if i < len(pairs) - 1 else last.comma)
            for i, (key, value) in enumerate(pairs)
        ]
        return template.with_changes(elements=elements)
    return cst.Dict([cst.DictElement(key, value) for key, value in pairs])


def _append_statement(statements: cst.List, region: cst.BaseExpression, quote: str) -> cst.List:
    elements = list(statements.elements)
    new = cst.Element(_logs_statement(elements[-1].value if elements else None, region, quote))
    if not elements:
        return statements.with_changes(elements=[new])
    last = elements[-1]
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        separator = elements[-2].comma
    elif isinstance(statements.lbracket.whitespace_after, cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=statements.lbracket.whitespace_after)
    else:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    elements[-1] = last.with_changes(comma=separator)
    elements.append(new.with_changes(comma=last.comma))
    return statements.with_changes(elements=elements)


class KmsLogsKeyPolicy(Rule):
    id = "CDK024"
    slug = "kms-logs-key-policy"
    severity = Severity.HIGH
    summary = ("Let CloudWatch Logs use the KMS key of an encrypted log group: append its statement to a literal key "
               "policy, report the others.")
    prevents = ("terraform apply: Error: creating CloudWatch Logs Log Group: AccessDeniedException: The specified KMS "
                "key does not exist or is not allowed to be used with Arn 'arn:aws:logs:...'")
    prevents_template = ("terraform apply: Error: creating CloudWatch Logs Log Group ({log_group}): "
                         "AccessDeniedException: The specified KMS key does not exist or is not allowed to be used")
    doc_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
    analysis_keywords = ("kms cloudwatch log", "kms key policy", "kms key permission", "kms permission", "log * kms")
    triggers = ("KmsKey",)

    examples = (
        Example(
            before=(
                "import json\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "\n"
                "def build(self, region, account):\n"
                '    AwsProvider(self, "aws", region=region)\n'
                '    key = KmsKey(self, "logs-key", policy=json.dumps({\n'
                '        "Version": "2012-10-17",\n'
                '        "Statement": [{\n'
                '            "Sid": "Root",\n'
                '            "Effect": "Allow",\n'
                '            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},\n'
                '            "Action": "kms:*",\n'
                '            "Resource": "*",\n'
                "        }],\n"
                "    }))\n"
                '    CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
            ),
            after=(
                "import json\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "\n"
                "def build(self, region, account):\n"
                '    AwsProvider(self, "aws", region=region)\n'
                '    key = KmsKey(self, "logs-key", policy=json.dumps({\n'
                '        "Version": "2012-10-17",\n'
                '        "Statement": [{\n'
                '            "Sid": "Root",\n'
                '            "Effect": "Allow",\n'
                '            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},\n'
                '            "Action": "kms:*",\n'
                '            "Resource": "*",\n'
                "        }, {\n"
                '            "Sid": "AllowCloudWatchLogs",\n'
                '            "Effect": "Allow",\n'
                '            "Principal": {"Service": f"logs.{region}.amazonaws.com"},\n'
                '            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", '
                '"kms:Describe*"],\n'
                '            "Resource": "*",\n'
                "        }],\n"
                "    }))\n"
                '    CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                'AwsProvider(self, "aws", region="us-east-1")\n'
                "key = KmsKey(self, \"k\", policy=Fn.jsonencode({'Statement': [owner_statement]}))\n"
                'CloudwatchLogGroup(self, "g", kms_key_id=key.arn)\n'
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                'AwsProvider(self, "aws", region="us-east-1")\n'
                "key = KmsKey(self, \"k\", policy=Fn.jsonencode({'Statement': [owner_statement, {'Sid': "
                "'AllowCloudWatchLogs', 'Effect': 'Allow', 'Principal': {'Service': 'logs.us-east-1.amazonaws.com'}, "
                "'Action': ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', "
                "'kms:Describe*'], 'Resource': '*'}]}))\n"
                'CloudwatchLogGroup(self, "g", kms_key_id=key.arn)\n'
            ),
        ),
        # In a construct of its own, the region of the key's provider is what DataAwsRegion reads there.
        Example(
            before=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "class Logs(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                '        key = KmsKey(self, "k", policy=json.dumps({"Statement": [admin]}))\n'
                '        CloudwatchLogGroup(self, "g", kms_key_id=key.arn)\n'
            ),
            after=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion\n"
                "class Logs(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                '        region = DataAwsRegion(self, "region")\n'
                '        key = KmsKey(self, "k", policy=json.dumps({"Statement": [admin, {"Sid": "AllowCloudWatchLogs", '
                '"Effect": "Allow", "Principal": {"Service": f"logs.{region.region}.amazonaws.com"}, "Action": '
                '["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], '
                '"Resource": "*"}]}))\n'
                '        CloudwatchLogGroup(self, "g", kms_key_id=key.arn)\n'
            ),
        ),
        # A key no log group uses keeps the default policy.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                'self.key = KmsKey(self, "data-key", enable_key_rotation=True)\n'
                'CloudwatchLogGroup(self, "app-logs", name="/app")\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                'key = KmsKey(self, "logs-key", policy=json.dumps({"Statement": [\n'
                '    {"Effect": "Allow", "Principal": {"Service": "logs.eu-west-1.amazonaws.com"}, "Action": "kms:*",'
                ' "Resource": "*"},\n'
                "]}))\n"
                'CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        bindings = self.provider_imports
        keys: dict[str, cst.Call] = {}  # the name a key is bound to -> its call
        log_groups: list[tuple[cst.Call, str]] = []  # (log group call, the key name its kms_key_id reads)
        providers: list[cst.Call] = []
        for node in walk(tree):
            if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
                if bindings.resolve(node.value.func) == KMS_KEY:
                    for target in node.targets:
                        name = dotted_code(target.target)
                        if name is not None:
                            keys[name] = node.value
            elif isinstance(node, cst.Call):
                resolved = bindings.resolve(node.func)
                if resolved == LOG_GROUP:
                    kms = keyword_arg(node, "kms_key_id")
                    if kms is not None and isinstance(kms.value, cst.Attribute) and kms.value.attr.value == "arn":
                        root = dotted_code(kms.value.value)
                        if root is not None:
                            log_groups.append((node, root))
                elif resolved == PROVIDER:
                    providers.append(node)
        used = {}
        for call, key_name in log_groups:
            if key_name in keys:
                used.setdefault(keys[key_name], []).append(call)
        if not used:
            return tree
        assignments = single_assignments(tree)
        owners = _enclosing_functions(tree)
        data_sources = DataSources(tree, bindings, quote_style(tree))
        edits: dict[cst.List, cst.List] = {}
        for key, groups in used.items():
            group_ids = ", ".join(f"`{code_of(g.args[1].value)}`" if len(g.args) > 1 else "a log group"
                                  for g in groups)
            facts = {"log_group": group_ids}
            policy_arg = keyword_arg(key, "policy")
            if policy_arg is None:
                self.report(key, f"the KMS key encrypts log group {group_ids} but has no policy: the default one "
                            "does not let CloudWatch Logs (`logs.<region>.amazonaws.com`) use it; add the statement "
                            f"of {self.doc_url}", fixed=False, facts=facts)
                continue
            if _names_logs(policy_arg.value) or (
                    isinstance(policy_arg.value, cst.Name) and policy_arg.value.value in assignments
                    and _names_logs(assignments[policy_arg.value.value])):
                continue
            policy = _policy_dict(policy_arg.value, assignments)
            statements = _statement_list(policy) if policy is not None else None
            if statements is not None and _names_logs(statements):
                continue
            region = self._region(providers, owners, key)
            from_data_source = None
            if statements is not None and region is None and keyword_arg(key, "provider") is None:
                # The region of the key's (default) provider, as Terraform reads it: DataAwsRegion's.
                attribute = next((a for a in ("region", "name") if a in self.options.provider_index().attributes(
                    *REGION_SOURCE)), None)
                name = data_sources.name_for(key, *REGION_SOURCE) if attribute else None
                if name is not None:
                    region, from_data_source = cst.parse_expression(f"{name}.{attribute}"), name
            if statements is None or region is None:
                why = ("its policy is not a literal dict with a `Statement` list" if statements is None
                       else "the region is not known where the key is created (one AWS provider, same function)")
                self.report(key, f"the KMS key encrypts log group {group_ids} but its policy does not name "
                            f"CloudWatch Logs (`logs.<region>.amazonaws.com`); {why}: add the statement of "
                            f"{self.doc_url}", fixed=False, facts=facts)
                continue
            where = (f" (the region of the key's provider, read by the data source `{from_data_source}`)"
                     if from_data_source else "")
            if self.report(key, f"the KMS key encrypts log group {group_ids}: appended the statement that lets "
                           f"CloudWatch Logs (`{code_of(_principal(region, QUOTE))}`) use it{where}", facts=facts):
                edits[statements] = _append_statement(statements, region, _quote(policy))
                if from_data_source:
                    data_sources.create(key, *REGION_SOURCE)
        if not edits:
            return tree
        tree = apply_leaves(tree, data_sources.merged({node: (lambda _, new=new: new) for node, new in edits.items()}))
        return data_sources.add_imports(self.context, tree)

    @staticmethod
    def _region(providers: list[cst.Call], owners, key: cst.Call) -> cst.BaseExpression | None:
        regions = [keyword_arg(p, "region") for p in providers]
        if len(providers) != 1 or regions[0] is None:
            return None
        region = regions[0].value
        if string_value(region) is not None:
            return region
        if dotted_code(region) is not None and owners.get(providers[0]) is owners.get(key):
            return region
        return None

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        resources = stack.get("resource", {})
        keys = resources.get("aws_kms_key") or {}
        findings = []
        for name, group in (resources.get("aws_cloudwatch_log_group") or {}).items():
            target = reference(group.get("kms_key_id")) if isinstance(group, dict) else None
            if target is None or target[0] != "aws_kms_key" or target[1] not in keys:
                continue
            policy = keys[target[1]].get("policy")
            address = f"aws_kms_key.{target[1]}"
            if policy is None:
                findings.append(JsonFinding(cls.id, address, f"encrypts aws_cloudwatch_log_group.{name} but has the "
                                            "default key policy, which does not let CloudWatch Logs use it"))
            elif isinstance(policy, str) and not policy.startswith("${") and not _policy_names_logs(policy):
                findings.append(JsonFinding(cls.id, address, f"encrypts aws_cloudwatch_log_group.{name} but its "
                                            "policy does not name the principal logs.<region>.amazonaws.com"))
        return findings


def _policy_names_logs(policy: str) -> bool:
    try:
        document = json.loads(policy)
    except ValueError:
        return bool(_LOGS_PRINCIPAL.search(policy))
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    for statement in statements if isinstance(statements, list) else [statements]:
        service = (statement.get("Principal") or {}) if isinstance(statement, dict) else {}
        services = service.get("Service", []) if isinstance(service, dict) else []
        for value in services if isinstance(services, list) else [services]:
            if isinstance(value, str) and _LOGS_PRINCIPAL.fullmatch(value):
                return True
    return False
