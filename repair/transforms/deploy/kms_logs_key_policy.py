"""CDK024 kms-logs-key-policy: a KMS key that encrypts a CloudWatch log group but whose policy does not let
CloudWatch Logs use it.

CloudWatch Logs encrypts with the key as the service principal `logs.<region>.amazonaws.com`, which the default key
policy (account root only) and most written ones do not name; synth passes, and `terraform apply` fails creating
the log group with `AccessDeniedException: The specified KMS key does not exist or is not allowed to be used`.

When the key's policy is a literal in the file (a dict, `json.dumps` or `Fn.jsonencode` of one, directly or
through a name assigned once) with a literal `Statement` list, the statement AWS documents for CloudWatch Logs is
appended, for the region of the file's one AWS provider when the key is created in the same function (or the
region is a literal), else, for a key of the default provider created in a construct's method, the region a
`DataAwsRegion` data source reads there.

When the key has no policy, AWS gives it the default key policy
(https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html): one statement, "Enable IAM User
Permissions", that lets the account (`arn:aws:iam::<account id>:root`) do `kms:*` as its IAM policies allow. That
policy is written out as `policy=json.dumps({...})` (with `import json` when the file lacks it) with the CloudWatch
Logs statement after it. The repair is unique: the key's policy stays the one AWS applied, statement for statement,
so nothing changes for any other user of the key, and the one addition is the documented statement, the same the
literal case appends. The account is the one Terraform reads for the key's provider, `DataAwsCallerIdentity`'s
`account_id`: one bound before the key in the same construct method is reused, else one is created there, like
the region's; the key must be of the default provider (no `provider=`), whose account both data sources read. The
region is found as above.

The log group may be in another module of the project than the key: a construct that keeps the key as
`self.<attribute>` (assigned once) and another module that gives `<instance>.<attribute>.arn` to a log group's
`kms_key_id`, directly or through a constructor parameter of its own construct that reaches the log group as it was
passed (`repair/transforms/_project_flow.py` reads the project's modules, a markdown answer's own blocks, and follows
only flows it can prove). The key's module is then repaired as above; the other modules are only read.

Reported, not repaired: a policy a `KmsKeyPolicy` resource sets (a policy on the key too would have two resources
write one policy), a policy document data source, a JSON string; and a key without a policy whose arguments are
spread (`**`), whose region or account is not in reach (outside a construct's method, or of another provider), or
in a file where `json` names something else.
"""

from __future__ import annotations

import ast
import json
import re

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import (
    add_keyword_arg, apply_leaves, code_of, dotted_code, iter_children, keyword_arg, single_assignments, string_value,
    walk,
)
from repair.transforms._data_sources import DataSources
from repair.transforms._keyword_calls import quote_style
from repair.transforms._structs import add_module_import, binds_module
from repair.transforms._terraform_json import reference
from repair.transforms._triggers import SourceFacts, Trigger

KMS_KEY = ("kms_key", "KmsKey")
LOG_GROUP = ("cloudwatch_log_group", "CloudwatchLogGroup")
PROVIDER = ("provider", "AwsProvider")
REGION_SOURCE = ("data_aws_region", "DataAwsRegion")
ACCOUNT_SOURCE = ("data_aws_caller_identity", "DataAwsCallerIdentity")
KEY_POLICY = ("kms_key_policy", "KmsKeyPolicy")


class _KeyOfALogGroup(Trigger):
    """Where the rule may find a key that encrypts a log group, read with `ast`: a KmsKey called in the file, and a
    log group given `kms_key_id=<something>.arn` in it, or a key a class keeps as `self.<name>` (which a log group
    of another module of the project may read). Where `ast` cannot read the code, the word KmsKey."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains("KmsKey"):
            return False
        tree = facts.tree
        if tree is None:
            return True
        resolved = [(call, tree.resolve(call.func)) for call in tree.calls]
        if not any(KMS_KEY in targets for _, targets in resolved):
            return False
        if any(LOG_GROUP in targets and any(k.arg == "kms_key_id" and type(k.value) is ast.Attribute
                                            and k.value.attr == "arn" for k in call.keywords)
               for call, targets in resolved):
            return True
        return any(target.startswith("self.") and KMS_KEY in tree.resolve(call.func) for target, call in tree.assigned)
# The statement of the default key policy, https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
DEFAULT_SID = "Enable IAM User Permissions"
# The statement of https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
LOGS_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
SID = "AllowCloudWatchLogs"
QUOTE = '"'
_LOGS_PRINCIPAL = re.compile(r"logs\.[^\"']*amazonaws\.com")


def _enclosing_functions(tree: cst.Module) -> dict[cst.CSTNode, cst.CSTNode | None]:
    """Each call -> the function (or module) it is written in."""
    owner: dict[cst.CSTNode, cst.CSTNode | None] = {}

    def visit(node: cst.CSTNode, function: cst.CSTNode | None) -> None:
        for child in iter_children(node):
            if type(child) is cst.Call:
                owner[child] = function
            visit(child, child if type(child) is cst.FunctionDef else function)

    visit(tree, None)
    return owner


def _policy_dict(expr: cst.BaseExpression | None, assignments) -> cst.Dict | None:
    """The literal dict a policy argument is, through `json.dumps(...)` or `Fn.jsonencode(...)` and one name assigned
    once."""
    for _ in range(3):
        if type(expr) is cst.Call and code_of(expr.func) in ("json.dumps", "Fn.jsonencode") and expr.args:
            expr = expr.args[0].value
        elif type(expr) is cst.Name and expr.value in assignments:
            expr = assignments[expr.value]
        else:
            break
    return expr if type(expr) is cst.Dict else None


def _statement_list(policy: cst.Dict) -> cst.List | None:
    for element in policy.elements:
        if type(element) is cst.DictElement and string_value(element.key) == "Statement":
            return element.value if type(element.value) is cst.List else None
    return None


def _names_logs(node: cst.CSTNode) -> bool:
    return bool(_LOGS_PRINCIPAL.search(code_of(node)))


def _quote(policy: cst.Dict) -> str:
    for element in policy.elements:
        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
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
    if type(template) is cst.Dict and len(template.elements) >= 2:
        first, last = template.elements[0], template.elements[-1]
        elements = [
            first.with_changes(key=key, value=value, comma=first.comma if i < len(pairs) - 1 else last.comma)
            for i, (key, value) in enumerate(pairs)
        ]
        return template.with_changes(elements=elements)
    return cst.Dict([cst.DictElement(key, value) for key, value in pairs])


def _arg_indent(call: cst.Call) -> str:
    """Where the lines of a multi-line argument appended to `call` (as `_cst.add_keyword_arg` lays it out) are
    indented from, past the indentation of the block the statement is in (which libcst writes before each line
    inside brackets): the argument's own line when it goes on one, else the line the statement starts on."""
    args = call.args
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        whitespace = args[-2].comma.whitespace_after
    else:
        whitespace = call.whitespace_before_args
    return whitespace.last_line.value if type(whitespace) is cst.ParenthesizedWhitespace else ""


def _default_policy(account: str, region: cst.BaseExpression, quote: str, indent: str,
                    unit: str) -> cst.BaseExpression:
    """`json.dumps` of AWS's default key policy (the account may use the key as its IAM policies allow) with the
    CloudWatch Logs statement, one entry a line, indented from `indent`."""
    def q(text: str) -> str:
        return f"{quote}{text}{quote}"

    actions = ", ".join(q(a) for a in LOGS_ACTIONS)
    statements = [
        [(q("Sid"), q(DEFAULT_SID)), (q("Effect"), q("Allow")),
         (q("Principal"), f"{{{q('AWS')}: f{quote}arn:aws:iam::{{{account}}}:root{quote}}}"),
         (q("Action"), q("kms:*")), (q("Resource"), q("*"))],
        [(q("Sid"), q(SID)), (q("Effect"), q("Allow")),
         (q("Principal"), f"{{{q('Service')}: {code_of(_principal(region, quote))}}}"),
         (q("Action"), f"[{actions}]"), (q("Resource"), q("*"))],
    ]
    one, two = indent + unit, indent + 2 * unit
    listed = "}, {".join("".join(f"\n{two}{k}: {v}," for k, v in pairs) + f"\n{one}" for pairs in statements)
    return cst.parse_expression(f"json.dumps({{\n{one}{q('Version')}: {q('2012-10-17')},\n{one}{q('Statement')}: "
                                f"[{{{listed}}}],\n{indent}}})")


def _append_statement(statements: cst.List, region: cst.BaseExpression, quote: str) -> cst.List:
    elements = list(statements.elements)
    new = cst.Element(_logs_statement(elements[-1].value if elements else None, region, quote))
    if not elements:
        return statements.with_changes(elements=[new])
    last = elements[-1]
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        separator = elements[-2].comma
    elif type(statements.lbracket.whitespace_after) is cst.ParenthesizedWhitespace:
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
               "policy, write AWS's default policy with it for a key without one, report the others.")
    prevents = ("terraform apply: Error: creating CloudWatch Logs Log Group: AccessDeniedException: The specified KMS "
                "key does not exist or is not allowed to be used with Arn 'arn:aws:logs:...'")
    prevents_template = ("terraform apply: Error: creating CloudWatch Logs Log Group ({log_group}): "
                         "AccessDeniedException: The specified KMS key does not exist or is not allowed to be used")
    doc_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
    analysis_keywords = ("kms cloudwatch log", "kms key policy", "kms key permission", "kms permission", "log * kms")
    triggers = _KeyOfALogGroup()
    # A key one module creates may encrypt a log group of another (the key passed to its constructor).
    reads_project = True

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
        # A key without a policy has AWS's default one: written out, with the statement for CloudWatch Logs and the
        # account a DataAwsCallerIdentity reads for the key's provider.
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "\n"
                "class AppStack(TerraformStack):\n"
                "    def __init__(self, scope, id, region):\n"
                "        super().__init__(scope, id)\n"
                '        AwsProvider(self, "aws", region=region)\n'
                "        key = KmsKey(\n"
                "            self,\n"
                '            "logs-key",\n'
                "            enable_key_rotation=True,\n"
                "        )\n"
                '        CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
            ),
            after=(
                "import json\n"
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "\n"
                "class AppStack(TerraformStack):\n"
                "    def __init__(self, scope, id, region):\n"
                "        super().__init__(scope, id)\n"
                '        AwsProvider(self, "aws", region=region)\n'
                '        caller_identity = DataAwsCallerIdentity(self, "caller_identity")\n'
                "        key = KmsKey(\n"
                "            self,\n"
                '            "logs-key",\n'
                "            enable_key_rotation=True,\n"
                "            policy=json.dumps({\n"
                '                "Version": "2012-10-17",\n'
                '                "Statement": [{\n'
                '                    "Sid": "Enable IAM User Permissions",\n'
                '                    "Effect": "Allow",\n'
                '                    "Principal": {"AWS": f"arn:aws:iam::{caller_identity.account_id}:root"},\n'
                '                    "Action": "kms:*",\n'
                '                    "Resource": "*",\n'
                "                }, {\n"
                '                    "Sid": "AllowCloudWatchLogs",\n'
                '                    "Effect": "Allow",\n'
                '                    "Principal": {"Service": f"logs.{region}.amazonaws.com"},\n'
                '                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", '
                '"kms:GenerateDataKey*", "kms:Describe*"],\n'
                '                    "Resource": "*",\n'
                "                }],\n"
                "            }),\n"
                "        )\n"
                '        CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
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
        # A KmsKeyPolicy resource sets the key's policy: that one names CloudWatch Logs.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.kms_key_policy import KmsKeyPolicy\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
                'key = KmsKey(self, "logs-key")\n'
                'KmsKeyPolicy(self, "logs-key-policy", key_id=key.id, policy=json.dumps({"Statement": [\n'
                '    {"Effect": "Allow", "Principal": {"Service": "logs.eu-west-1.amazonaws.com"}, "Action": "kms:*",'
                ' "Resource": "*"},\n'
                "]}))\n"
                'CloudwatchLogGroup(self, "app-logs", name="/app", kms_key_id=key.arn)\n'
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
        key_policies: dict[str, cst.Call] = {}  # the key name a KmsKeyPolicy's key_id reads -> that resource
        foreign_accounts: set[str] = set()  # names of caller identities read with a provider of their own
        for node in walk(tree):
            if type(node) is cst.Assign and type(node.value) is cst.Call:
                resolved = bindings.resolve(node.value.func)
                if resolved in (KMS_KEY, ACCOUNT_SOURCE):
                    for target in node.targets:
                        name = dotted_code(target.target)
                        if name is None:
                            continue
                        if resolved == KMS_KEY:
                            keys[name] = node.value
                        elif keyword_arg(node.value, "provider") is not None:
                            foreign_accounts.add(name)
            elif type(node) is cst.Call:
                resolved = bindings.resolve(node.func)
                if resolved == LOG_GROUP:
                    kms = keyword_arg(node, "kms_key_id")
                    if kms is not None and type(kms.value) is cst.Attribute and kms.value.attr.value == "arn":
                        root = dotted_code(kms.value.value)
                        if root is not None:
                            log_groups.append((node, root))
                elif resolved == PROVIDER:
                    providers.append(node)
                elif resolved == KEY_POLICY:
                    target = keyword_arg(node, "key_id")
                    if target is not None and type(target.value) is cst.Attribute:
                        root = dotted_code(target.value.value)
                        if root is not None:
                            key_policies.setdefault(root, node)
        used: dict[cst.Call, list[str]] = {}  # key -> the log groups it encrypts, as the messages name them
        for call, key_name in log_groups:
            if key_name in keys:
                used.setdefault(keys[key_name], []).append(
                    f"`{code_of(call.args[1].value)}`" if len(call.args) > 1 else "a log group")
        for key, groups in self._groups_in_other_modules(tree, keys).items():
            used.setdefault(key, []).extend(g for g in groups if g not in used.get(key, ()))
        if not used:
            return tree
        assignments = single_assignments(tree)
        owners = _enclosing_functions(tree)
        quote = quote_style(tree)
        data_sources = DataSources(tree, bindings, quote)
        json_taken = binds_module(tree, "json") == "other"
        index = self.options.provider_index()
        region_attribute = next((a for a in ("region", "name") if a in index.attributes(*REGION_SOURCE)), None)
        account_attribute = "account_id" if "account_id" in index.attributes(*ACCOUNT_SOURCE) else None
        edits: dict[cst.CSTNode, object] = {}
        needs_json = False
        for key, groups in used.items():
            group_ids = ", ".join(groups)
            facts = {"log_group": group_ids}
            policy_arg = keyword_arg(key, "policy")
            if policy_arg is None:
                separate = next((key_policies[n] for n, call in keys.items() if call is key and n in key_policies),
                                None)
                if separate is not None:
                    self._report_separate(key, separate, group_ids, facts, assignments)
                    continue
                needs_json |= self._write_default_policy(
                    key, group_ids, facts, providers, owners, data_sources, region_attribute, account_attribute,
                    foreign_accounts, json_taken, quote, tree, edits)
                continue
            if _names_logs(policy_arg.value) or (
                    type(policy_arg.value) is cst.Name and policy_arg.value.value in assignments
                    and _names_logs(assignments[policy_arg.value.value])):
                continue
            policy = _policy_dict(policy_arg.value, assignments)
            statements = _statement_list(policy) if policy is not None else None
            if statements is not None and _names_logs(statements):
                continue
            region, from_data_source = (self._region_in_reach(providers, owners, key, data_sources, region_attribute)
                                        if statements is not None else (None, None))
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
                edits[statements] = lambda _, new=_append_statement(statements, region, _quote(policy)): new
                if from_data_source:
                    data_sources.create(key, *REGION_SOURCE)
        if not edits:
            return tree
        tree = apply_leaves(tree, data_sources.merged(edits))
        tree = data_sources.add_imports(self.context, tree)
        if needs_json and binds_module(tree, "json") is None:
            tree = add_module_import(tree, "json")
        return tree

    def _groups_in_other_modules(self, tree: cst.Module, keys: dict[str, cst.Call]) -> dict[cst.Call, list[str]]:
        """The log groups of the project that a key of this file encrypts through other modules: a key a class
        keeps as `self.<attribute>` (assigned once), whose `<instance>.<attribute>.arn` some module gives a log
        group as its `kms_key_id`, directly or through a construct's constructor parameter
        (repair/transforms/_project_flow.py follows only flows it can prove)."""
        project = self.context.project
        module_name = project.module_of(self.context.filename) if project is not None else None
        if module_name is None or not keys:
            return {}
        kept: dict[tuple[str, str], cst.Call] = {}  # (class, attribute) -> the key it keeps
        for node in walk(tree):
            if type(node) is not cst.ClassDef:
                continue
            assigned: dict[str, list[cst.BaseExpression]] = {}
            for inner in walk(node):
                if type(inner) is cst.Assign:
                    for target in inner.targets:
                        name = dotted_code(target.target)
                        if name is not None and name.startswith("self.") and name.count(".") == 1:
                            assigned.setdefault(name, []).append(inner.value)
            for name, values in assigned.items():
                if len(values) == 1 and any(values[0] is call for call in keys.values()):
                    kept[(node.name.value, name.removeprefix("self."))] = values[0]
        if not kept:
            return {}
        from repair.transforms._project_flow import project_flow, project_sources

        sources = project_sources(project, self.options, self.context.filename, self._code or tree.code)
        if len(sources) < 2:
            return {}
        flow = project_flow(sources)
        found: dict[cst.Call, list[str]] = {}
        for (class_name, attribute), key in kept.items():
            uses = flow.attribute_uses(module_name, class_name, attribute, LOG_GROUP[0], LOG_GROUP[1],
                                       "kms_key_id", "arn")
            if uses:
                found[key] = uses
        return found

    def _region_in_reach(self, providers, owners, key: cst.Call, data_sources: DataSources,
                         attribute: str | None) -> tuple[cst.BaseExpression | None, str | None]:
        """The region of the key's provider, and the data source it is read from (None: a value in the file)."""
        region = self._region(providers, owners, key)
        if region is None and keyword_arg(key, "provider") is None and attribute is not None:
            # The region of the key's (default) provider, as Terraform reads it: DataAwsRegion's.
            name = data_sources.name_for(key, *REGION_SOURCE)
            if name is not None:
                return cst.parse_expression(f"{name}.{attribute}"), name
        return region, None

    def _report_separate(self, key: cst.Call, separate: cst.Call, group_ids: str, facts, assignments) -> None:
        """A key whose policy a KmsKeyPolicy resource sets: reported when that policy does not name CloudWatch Logs
        (a `policy` on the key as well would have two resources write one policy)."""
        policy = keyword_arg(separate, "policy")
        value = policy.value if policy is not None else None
        if value is not None and (_names_logs(value) or (
                type(value) is cst.Name and value.value in assignments and _names_logs(assignments[value.value]))):
            return
        self.report(key, f"the KMS key encrypts log group {group_ids}; its policy, set by the KmsKeyPolicy "
                    f"`{code_of(separate.args[1].value) if len(separate.args) > 1 else '?'}`, does not name "
                    "CloudWatch Logs (`logs.<region>.amazonaws.com`): add the statement of "
                    f"{self.doc_url} there", fixed=False, facts=facts)

    def _write_default_policy(self, key: cst.Call, group_ids: str, facts, providers, owners,
                              data_sources: DataSources, region_attribute: str | None, account_attribute: str | None,
                              foreign_accounts: set[str], json_taken: bool, quote: str, tree: cst.Module,
                              edits: dict) -> bool:
        """A key with no policy has AWS's default one; written out, with the CloudWatch Logs statement. True when
        the file needs `import json` for it."""
        why = None
        region = from_region = account = None
        if any(arg.star for arg in key.args):
            why = "its arguments are spread from a value (`*`/`**`), which may set one"
        elif json_taken:
            why = "`json` means something else in this file"
        else:
            region, from_region = self._region_in_reach(providers, owners, key, data_sources, region_attribute)
            if region is None:
                why = "the region is not known where the key is created (one AWS provider, same function)"
            elif keyword_arg(key, "provider") is not None or account_attribute is None:
                why = "the account of the key's provider is not known (a key of the default provider reads it)"
            else:
                account = data_sources.name_for(key, *ACCOUNT_SOURCE)
                if account is None or account in foreign_accounts:
                    why = ("the account is not known where the key is created (a DataAwsCallerIdentity of the "
                           "default provider bound before it, or created there, in a construct's method)")
        if why is not None:
            self.report(key, f"the KMS key encrypts log group {group_ids} but has no policy: the default one does "
                        f"not let CloudWatch Logs (`logs.<region>.amazonaws.com`) use it; {why}: write the default "
                        f"policy with the statement of {self.doc_url}", fixed=False, facts=facts)
            return False
        reads = [f"the account read by the data source `{account}`"]
        if from_region:
            reads.append(f"the region by `{from_region}`")
        if not self.report(key, f"the KMS key encrypts log group {group_ids} but had no policy: wrote AWS's default "
                           f"key policy with the statement that lets CloudWatch Logs "
                           f"(`{code_of(_principal(region, QUOTE))}`) use it ({'; '.join(reads)})", facts=facts):
            return False
        policy = _default_policy(f"{account}.{account_attribute}", region, quote, _arg_indent(key), tree.default_indent)
        edits[key] = lambda updated, policy=policy: add_keyword_arg(updated, "policy", policy)
        data_sources.create(key, *ACCOUNT_SOURCE)
        if from_region:
            data_sources.create(key, *REGION_SOURCE)
        return True

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
        separate = {}  # a key's name -> the aws_kms_key_policy that sets its policy
        for name, resource in (resources.get("aws_kms_key_policy") or {}).items():
            target = reference(resource.get("key_id")) if isinstance(resource, dict) else None
            if target is not None and target[0] == "aws_kms_key":
                separate.setdefault(target[1], name)
        findings = []
        for name, group in (resources.get("aws_cloudwatch_log_group") or {}).items():
            target = reference(group.get("kms_key_id")) if isinstance(group, dict) else None
            if target is None or target[0] != "aws_kms_key" or target[1] not in keys:
                continue
            policy = keys[target[1]].get("policy")
            address = f"aws_kms_key.{target[1]}"
            if policy is None and target[1] in separate:
                address = f"aws_kms_key_policy.{separate[target[1]]}"
                policy = resources["aws_kms_key_policy"][separate[target[1]]].get("policy")
                if policy is None:
                    continue
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
