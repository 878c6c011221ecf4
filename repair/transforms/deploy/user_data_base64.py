"""CDK026 user-data-base64: plain-text user data where the provider takes it base64-encoded.

A launch template's `user_data` is "the base64-encoded user data" (an `aws_instance` takes plain text there and
base64 only in `user_data_base64`). Synth passes any string; `terraform apply` fails with `InvalidUserData.Malformed:
Invalid BASE64 encoding of user data`. When the value is visibly text (a string literal, an f-string, string
methods on one, or a name assigned exactly one of those in the file), it is wrapped in `Fn.base64encode(...)`,
which encodes at apply time and so keeps any token inside the script working. A value whose kind the file does not
show (a parameter, an attribute) is reported and left alone.
"""

from __future__ import annotations

import base64
import binascii
import re

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import add_import, code_of, single_assignments, string_value, walk
from repair.transforms._triggers import Any, ModuleArgument, Text

# (provider module, class) -> the argument the provider documents as base64-encoded user data. Every argument
# named `user_data_base64` (aws_instance, aws_spot_instance_request, aws_launch_configuration) is one as well.
BASE64_USER_DATA = {("launch_template", "LaunchTemplate"): "user_data"}
BASE64_SUFFIXED = "user_data_base64"
# Terraform resource type -> its base64 argument not named so, for the check of synthesized JSON (which checks
# every resource's `user_data_base64` as well: aws_instance's, aws_imagebuilder_image_recipe's, ...).
JSON_BASE64_USER_DATA = {"aws_launch_template": "user_data"}
# A value whose code says it is encoded already: Fn.base64encode/base64gzip/filebase64, base64.b64encode(...).
_ENCODED = re.compile(r"base64|b64", re.IGNORECASE)
# String methods that keep a text a text.
_TEXT_METHODS = frozenset({"format", "replace", "strip", "lstrip", "rstrip", "join", "dedent"})
_TOKEN = re.compile(r"\$\{[^}]*\}")
_ENCODERS = re.compile(r"^\$\{(base64encode|base64gzip|filebase64|textencodebase64)\(")


def _is_text(expr: cst.BaseExpression) -> bool:
    """Whether the expression is visibly a plain text (not encoded, not of unknown kind)."""
    if isinstance(expr, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return not (isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower())
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Modulo)):
        return _is_text(expr.left)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        if expr.func.attr.value in _TEXT_METHODS:
            if expr.func.attr.value == "dedent":
                return bool(expr.args) and _is_text(expr.args[0].value)
            if expr.func.attr.value == "join":
                return isinstance(expr.func.value, (cst.SimpleString, cst.FormattedString))
            return _is_text(expr.func.value)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dedent":
        return bool(expr.args) and _is_text(expr.args[0].value)
    return False


def _encoded_literal(expr: cst.BaseExpression | None) -> bool:
    """A string literal that is base64 already (a model sometimes pastes the encoded script)."""
    value = string_value(expr)
    return value is not None and "\n" not in value and _looks_base64(value)


def _fn_bound(tree: cst.Module) -> bool:
    """Whether `Fn` is imported from cdktf at module level."""
    for statement in tree.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (isinstance(small, cst.ImportFrom) and small.module is not None and code_of(small.module) == "cdktf"
                        and not isinstance(small.names, cst.ImportStar)):
                    if any(code_of(alias.name) == "Fn" and alias.asname is None for alias in small.names):
                        return True
    return False


def _looks_base64(value: str) -> bool:
    """A literal that decodes as base64 (tokens in it are taken as encoded parts)."""
    if _ENCODERS.match(value):
        return True
    text = _TOKEN.sub("", value)
    if not text:
        return True
    if not re.fullmatch(r"[A-Za-z0-9+/=\s]+", text):
        return False
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return "${" in value  # a literal broken up by tokens cannot be checked piecewise
    return True


class UserDataBase64(Rule):
    id = "CDK026"
    slug = "user-data-base64"
    severity = Severity.HIGH
    summary = ("Wrap plain-text user data in `Fn.base64encode(...)` where the provider takes it base64-encoded "
               "(launch templates, `user_data_base64`).")
    prevents = ("terraform apply: Error: creating EC2 Launch Template: InvalidUserData.Malformed: Invalid BASE64 "
                "encoding of user data")
    prevents_template = ("terraform apply: Error: creating {resource}: InvalidUserData.Malformed: Invalid BASE64 "
                         "encoding of user data")
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/launch_template#user_data"
    analysis_keywords = ("base64", "user data encoding")
    # `user_data_base64` anywhere, or the user data of a class that takes it encoded, written in a file that imports
    # the class's module.
    triggers = Any(Text(BASE64_SUFFIXED), ModuleArgument({module: {argument} for (module, _), argument in
                                                         BASE64_USER_DATA.items()}))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate\n"
                "\n"
                'script = f"""#!/bin/bash\n'
                'echo {env} > /etc/env\n'
                '"""\n'
                'LaunchTemplate(self, "web", image_id=ami, user_data=script)\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate\n"
                "from cdktf import Fn\n"
                "\n"
                'script = f"""#!/bin/bash\n'
                'echo {env} > /etc/env\n'
                '"""\n'
                'LaunchTemplate(self, "web", image_id=ami, user_data=Fn.base64encode(script))\n'
            ),
        ),
        Example(
            before=(
                "from cdktf import App, Fn\n"
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "bastion", ami=ami, user_data_base64="#!/bin/sh\\nyum update\\n")\n'
            ),
            after=(
                "from cdktf import App, Fn\n"
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "bastion", ami=ami, user_data_base64=Fn.base64encode("#!/bin/sh\\nyum update\\n"))\n'
            ),
        ),
        # Encoded already, in Python or by Terraform.
        Example(
            before=(
                "import base64\n"
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate\n"
                "encoded = base64.b64encode(script.encode()).decode()\n"
                'LaunchTemplate(self, "web", user_data=encoded)\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate\n"
                'LaunchTemplate(self, "web", user_data="IyEvYmluL2Jhc2gKZWNobyBoZWxsbwo=")\n'
            ),
        ),
        # A plain instance takes text in `user_data`.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "bastion", ami=ami, user_data="#!/bin/bash\\nyum -y update\\n")\n'
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        bindings = self.provider_imports
        assignments: dict[str, cst.BaseExpression] | None = None
        wraps: set[cst.BaseExpression] = set()
        for node in walk(tree):
            if not isinstance(node, cst.Call):
                continue
            target = bindings.resolve(node.func)
            if target is None:
                continue
            for arg in node.args:
                if arg.keyword is None or not (arg.keyword.value == BASE64_SUFFIXED
                                               or BASE64_USER_DATA.get(target) == arg.keyword.value):
                    continue
                value = arg.value
                if _ENCODED.search(code_of(value)) or _encoded_literal(value):
                    continue
                if isinstance(value, cst.Name):
                    if assignments is None:
                        assignments = single_assignments(tree)
                    assigned = assignments.get(value.value)
                    if assigned is not None and (_ENCODED.search(code_of(assigned)) or _encoded_literal(assigned)):
                        continue
                    text = assigned is not None and _is_text(assigned)
                else:
                    text = _is_text(value)
                facts = {"resource": target[1], "argument": arg.keyword.value}
                if not text:
                    self.report(value, f"`{target[1]}.{arg.keyword.value}` takes base64-encoded user data; whether "
                                f"`{code_of(value)}` is encoded the file does not show: encode it (`Fn.base64encode`) "
                                "if it is text", fixed=False, facts=facts)
                elif self.report(value, f"`{target[1]}.{arg.keyword.value}` takes base64-encoded user data: "
                                 f"wrapped in `Fn.base64encode(...)`", facts=facts):
                    wraps.add(value)
        if not wraps:
            return tree
        tree = tree.visit(_Wrap(wraps))
        if not _fn_bound(tree):
            tree = add_import(self.context, tree, "cdktf", "Fn")
        return tree

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for resource_type, resources in (stack.get("resource") or {}).items():
            arguments = (BASE64_SUFFIXED, JSON_BASE64_USER_DATA.get(resource_type))
            for name, body in (resources or {}).items() if isinstance(resources, dict) else ():
                for argument in arguments:
                    value = body.get(argument) if argument and isinstance(body, dict) else None
                    if isinstance(value, str) and not _looks_base64(value):
                        findings.append(JsonFinding(cls.id, f"{resource_type}.{name}",
                                                    f"`{argument}` must be base64-encoded; it holds plain text "
                                                    f"({value[:40]!r}...)"))
        return findings


class _Wrap(cst.CSTTransformer):
    def __init__(self, values: set[cst.BaseExpression]) -> None:
        super().__init__()
        self._values = values

    def on_leave(self, original_node, updated_node):
        if original_node in self._values:
            call = cst.Call(func=cst.Attribute(cst.Name("Fn"), cst.Name("base64encode")), args=[cst.Arg(updated_node)])
            return call
        return updated_node
