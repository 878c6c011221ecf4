"""CDK009 keyword-literal-type: a literal of the wrong type for a provider keyword stops synth with a TypeError.

The generated Python bindings check each argument against its annotation when the class is called:
`LambdaFunction(timeout="30")` fails because `timeout` is a `jsii.Number`, `LbTargetGroupHealthCheck(matcher=200)`
because `matcher` is a `builtins.str`. Some arguments changed type between provider versions, and answers keep the
old one: the 6.0 provider types `at_rest_encryption_enabled` of an ElastiCache replication group as a string
("true"), no longer a bool. The type each keyword takes is read from the installed signature; a literal is
converted only when the conversion is lossless and has one result ("30" -> 30, 200 -> "200", True -> "true");
anything else is reported with the type the provider expects.

A dict written where the provider takes a string (`assume_role_policy={"Version": ...}`) can only be meant as the
JSON document it spells: it becomes `json.dumps({...})`. So does the same dict wrapped in `Token.as_string(...)`,
which passes the type check but hands the dict to Terraform as an object ("Inappropriate value for attribute
"policy": string required" at plan).
"""

from __future__ import annotations

import re
from functools import lru_cache

import libcst as cst

from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, string_value
from repair.transforms._keyword_calls import keyword_sites, quote_style
from repair.transforms._structs import add_module_import, binds_module
from repair.transforms._triggers import BOOL, CALL, DICT, NUMBER, STRING, ProviderArgument, Written

STR, NUMBER, BOOL = STRING, NUMBER, BOOL  # as the triggers name the literals written
# How the bindings' type check names each type in its TypeError.
_PYTHON_TYPES = {STR: "str", NUMBER: "int, float", BOOL: "bool"}
_GIVEN_TYPES = {STR: "str", NUMBER: "int", BOOL: "bool"}
_SCALARS = {"builtins.str": STR, "jsii.Number": NUMBER, "builtins.bool": BOOL}
# Annotations of collections and free-form values: a literal there is not one scalar of the annotation's type.
_NOT_SCALAR = ("typing.Sequence", "typing.Mapping", "typing.Dict", "typing.List", "typing.Any")
_ELEMENTS = re.compile(r"typing\.Sequence\[(builtins\.str|jsii\.Number|builtins\.bool)\]")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


@lru_cache(maxsize=4096)  # a provider has a few hundred distinct annotations, asked about for every file
def scalar_types(annotation: str) -> frozenset[str] | None:
    """The plain types a keyword accepts (`typing.Optional[typing.Union[builtins.bool, IResolvable]]` -> bool), or
    None when it takes a collection, a block or anything."""
    if any(marker in annotation for marker in _NOT_SCALAR):
        return None
    found = frozenset(kind for name, kind in _SCALARS.items() if name in annotation)
    return found or None


@lru_cache(maxsize=4096)
def element_type(annotation: str) -> str | None:
    """The plain type of the entries of a list of one plain type (`typing.Sequence[builtins.str]`), else None."""
    match = _ELEMENTS.search(annotation)
    if match is None or annotation.count("typing.Sequence[") != 1 or "typing.Mapping[" in annotation:
        return None
    return _SCALARS[match.group(1)]


def element_values(value: cst.BaseExpression, annotation: str) -> tuple[list[cst.BaseExpression], frozenset[str]]:
    """The entries of a list written for a list of one plain type (`typing.Sequence[builtins.str]`), with that
    type; ([], {}) for anything else. (The bindings check each entry of a list; a map's values they pass through,
    and Terraform converts them to the map's type itself.)"""
    entries = element_type(annotation)
    if entries is not None and isinstance(value, (cst.List, cst.Tuple)):
        return [e.value for e in value.elements if isinstance(e, cst.Element)], frozenset({entries})
    return [], frozenset()


def mistyped(annotation: str, value: Written) -> bool:
    """A literal written for a plain parameter, or as an entry of a list of one plain type, that is not of the
    type the parameter takes; or a dict (maybe through `Token.as_string`) where it takes a string."""
    wanted = scalar_types(annotation)
    if wanted is not None:
        if wanted == {STR} and (value.maybe(DICT) or (value.kind == CALL and (value.name or "").endswith(
                "Token.as_string"))):
            return True
        return bool(value.literal_kinds - wanted)
    entries = element_type(annotation)
    return entries is not None and any(e.literal_kinds - {entries} for e in value.elements())


def literal_type(value: cst.BaseExpression) -> tuple[str, str] | None:
    """(type, text) of a literal: its Python type as the provider names it, and its value as written."""
    if isinstance(value, cst.Name) and value.value in ("True", "False"):
        return BOOL, value.value
    if isinstance(value, (cst.Integer, cst.Float)):
        return NUMBER, value.value
    if (isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus)
            and isinstance(value.expression, (cst.Integer, cst.Float))):
        return NUMBER, "-" + value.expression.value
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        text = string_value(value)
        return (STR, text) if text is not None else None
    if isinstance(value, cst.FormattedString):
        return STR, None
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "str"
            and len(value.args) == 1 and value.args[0].keyword is None and not value.args[0].star):
        inner = literal_type(value.args[0].value)
        if inner is not None and inner[0] == NUMBER:
            return STR, inner[1]  # str(30): a number written as a string
    return None


def json_document(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The dict (or list) a value spells as a JSON document: the value itself, or the one argument of
    `Token.as_string(...)` (any qualification: `cdktf.Token.as_string`)."""
    if isinstance(value, cst.Dict):
        return value
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "as_string"
            and code_of(value.func.value).split(".")[-1] == "Token" and len(value.args) == 1
            and value.args[0].keyword is None and not value.args[0].star
            and isinstance(value.args[0].value, (cst.Dict, cst.List))):
        return value.args[0].value
    return None


def _wrapped(document: cst.BaseExpression, value: cst.BaseExpression) -> str:
    return "" if document is value else "Token.as_string(...) hands the dict to Terraform as an object; "


def _number(text: str) -> cst.BaseExpression:
    if text.startswith("-"):
        return cst.UnaryOperation(operator=cst.Minus(), expression=_number(text[1:]))
    return cst.Float(text) if "." in text else cst.Integer(text)


def converted(kind: str, text: str | None, wanted: str, quote: str) -> cst.BaseExpression | None:
    """The literal `text` of type `kind` written as `wanted`, when that is lossless and unique; else None."""
    if text is None:
        return None
    if wanted == NUMBER and kind == STR and (_INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text)):
        return _number(text)
    if wanted == STR and kind == NUMBER and (_INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text)):
        return cst.SimpleString(f"{quote}{text}{quote}")
    if wanted == STR and kind == BOOL:
        # Terraform's own spelling of a boolean held in a string argument.
        return cst.SimpleString(f"{quote}{text.lower()}{quote}")
    if wanted == BOOL and kind == STR and text.lower() in ("true", "false"):
        return cst.Name(text.lower().capitalize())
    return None


class KeywordLiteralType(Rule):
    id = "CDK009"
    slug = "keyword-literal-type"
    severity = Severity.CRITICAL
    summary = ("Write each literal provider argument in the type the installed signature declares (\"30\" -> 30, "
               "True -> \"true\"), when the conversion is lossless.")
    prevents = ("TypeError: type of argument at_rest_encryption_enabled must be one of (str, NoneType); got bool "
                "instead (cdktf synth fails)")
    prevents_template = ("TypeError: type of argument {keyword} must be one of ({expected}); got {given} instead "
                         "(cdktf synth fails)")
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade"
    analysis_keywords = ("boolean", "type error", "type mismatch", "data type", "parameter type", "type checking",
                         "integer type")
    # The bindings' type check of a plain argument given a plain value of another type.
    synth_errors = (r"^TypeError: type of argument \w+ must be (?:one of \()?(?:str|int, float|bool)"
                    r"(?:, [\w.]*IResolvable)?(?:, NoneType)?\)?; got (?:str|int|float|bool) instead",)
    triggers = ProviderArgument(mistyped)

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', function_name='f', role=role.arn, timeout='30', memory_size=str(256))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', function_name='f', role=role.arn, timeout=30, memory_size=256)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r', description='cache',\n"
                "                            at_rest_encryption_enabled=True, auto_minor_version_upgrade=False)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r', description='cache',\n"
                "                            at_rest_encryption_enabled='true', auto_minor_version_upgrade='false')\n"
            ),
        ),
        # A dict where a string goes is the JSON document it spells, also inside Token.as_string (which only
        # hides it from the type check).
        Example(
            before=(
                "from cdktf import Token\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule\n"
                "IamRole(self, 'role', name='r', assume_role_policy={\n"
                "    'Version': '2012-10-17',\n"
                "    'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'},\n"
                "                   'Action': 'sts:AssumeRole'}]})\n"
                "CloudwatchEventRule(self, 'rule', event_pattern=Token.as_string({'source': ['aws.ec2']}))\n"
            ),
            after=(
                "import json\n"
                "from cdktf import Token\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule\n"
                "IamRole(self, 'role', name='r', assume_role_policy=json.dumps({\n"
                "    'Version': '2012-10-17',\n"
                "    'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'},\n"
                "                   'Action': 'sts:AssumeRole'}]}))\n"
                "CloudwatchEventRule(self, 'rule', event_pattern=json.dumps({'source': ['aws.ec2']}))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
                "LbTargetGroup(self, 'tg', port=80, protocol=\"HTTP\", deregistration_delay=30,\n"
                "              health_check={\"path\": \"/health\", \"matcher\": 200, \"enabled\": \"true\"})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
                "LbTargetGroup(self, 'tg', port=80, protocol=\"HTTP\", deregistration_delay=\"30\",\n"
                "              health_check={\"path\": \"/health\", \"matcher\": \"200\", \"enabled\": True})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress\n"
                "from cdktf_cdktf_provider_aws.efs_access_point import EfsAccessPointPosixUser\n"
                "SecurityGroupIngress(from_port='443', to_port=443, protocol=-1, cidr_blocks=['10.0.0.0/8'])\n"
                "EfsAccessPointPosixUser(uid=1000, gid=1000, secondary_gids=['1001', 1002])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress\n"
                "from cdktf_cdktf_provider_aws.efs_access_point import EfsAccessPointPosixUser\n"
                "SecurityGroupIngress(from_port=443, to_port=443, protocol='-1', cidr_blocks=['10.0.0.0/8'])\n"
                "EfsAccessPointPosixUser(uid=1000, gid=1000, secondary_gids=[1001, 1002])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', function_name='f', role=role.arn, timeout=30, memory_size=size,\n"
                "               environment={'variables': {'RETRIES': '3'}})\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._quote = None
        self._tree = tree
        edits: dict[cst.CSTNode, cst.BaseExpression] = {}
        json_binding = binds_module(tree, "json")
        needs_json = False
        for site in keyword_sites(self):
            annotation = site.params.get(site.name)
            if annotation is None:
                continue
            wanted = scalar_types(annotation)
            document = json_document(site.value) if wanted == {STR} else None
            if document is not None:
                where = f"{site.class_name}.{site.name} takes a str in provider {self._index.version}"
                facts = {"keyword": site.name, "expected": "str" + (", NoneType" if "typing.Optional[" in annotation
                                                                     else ""), "given": "dict"}
                if json_binding == "other":
                    self.report(site.value, f"{where}, a JSON document: the dict is written as JSON with json.dumps, "
                                "but `json` names something else here", fixed=False, facts=facts)
                elif self.report(site.value, f"{where}, a JSON document: {_wrapped(document, site.value)}written as "
                                 "json.dumps(...)", facts=facts):
                    edits[site.value] = cst.Call(func=cst.Attribute(value=cst.Name("json"), attr=cst.Name("dumps")),
                                                 args=[cst.Arg(value=document)])
                    needs_json = True
                continue
            if wanted is not None:
                values, where = [site.value], f"{site.class_name}.{site.name} takes"
            else:
                values, wanted = element_values(site.value, annotation)
                where = f"each entry of {site.class_name}.{site.name} is"
            for value in values:
                new = self._check(value, site.name, where, wanted, optional="typing.Optional[" in annotation)
                if new is not None:
                    edits[value] = new
        if not edits:
            return tree
        tree = apply_leaves(tree, {node: (lambda _, new=new: new) for node, new in edits.items()})
        return add_module_import(tree, "json") if needs_json and json_binding is None else tree

    def _check(self, value: cst.BaseExpression, param: str, where: str, wanted: frozenset[str],
               optional: bool) -> cst.BaseExpression | None:
        """The value written in the declared type, when it needs that and its finding was fixed."""
        literal = literal_type(value)
        if literal is None or literal[0] in wanted:
            return None
        kind, text = literal
        where = f"{where} a {' or '.join(sorted(wanted))} in provider {self._index.version}"
        new = converted(kind, text, next(iter(wanted)), self._quote_style()) if len(wanted) == 1 else None
        expected = [_PYTHON_TYPES[t] for t in sorted(wanted)] + (["NoneType"] if optional else [])
        facts = {"keyword": param, "expected": ", ".join(expected), "given": _GIVEN_TYPES[kind]}
        if new is None:
            self.report(value, f"{where}, not a {kind}; no lossless conversion of this value", fixed=False,
                        facts=facts)
            return None
        if self.report(value, f"{where}: {code_of(value)} written as {code_of(new)}", facts=facts):
            return new
        return None

    def _quote_style(self) -> str:
        if self._quote is None:
            self._quote = quote_style(self._tree)
        return self._quote
