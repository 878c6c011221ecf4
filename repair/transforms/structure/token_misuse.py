"""CDK016 token-misuse: attributes of resources and data sources treated as Python values, and invented `Fn`s.

`azs.names` is not a Python list of zone names: it is a token Terraform resolves at apply time, which the Python
bindings hold as a one-element list of a placeholder. `azs.names[0]` is that placeholder (the whole list where one
string is wanted), `azs.names[1]` raises IndexError at synth, `len(azs.names)` is 1. Terraform's functions are the
tools: `Fn.element(azs.names, 1)`, `Fn.length_of(azs.names)`. The list values of cdktf's own variables and locals
(`TerraformVariable(...).list_value`, `TerraformLocal(...).as_list`, read from the installed cdktf) are token lists
the same way, and `enumerate(...)`, `sorted(...)` and the like iterate what they are given. A list of nested blocks
(`eks.identity`) is a generated `...List` class read with `.get(index)`; answers write `eks.identity[0]` or a
Java-style `eks.identity_get(0)`. Which attribute is which comes from the installed provider's property types.

What an `Fn` function returns is a token as well: its keys are read with `Fn.lookup` (not `.get("k")`, `["k"]`
or `.k`). A string that may be a token (a construct's string attribute, or a parameter whose value the code does
not show) is split by Terraform where its part goes to Terraform: `arn.split(":")[5]` becomes
`Fn.element(Fn.split(":", arn), 5)`, the same part of a plain string too. (An attribute a construct's class lacks,
such as `vpn.id` on a data source whose id is `vpn_connection_id`, is CDK027's.)

`Fn` only has Terraform's functions (read from the installed cdktf): a misspelt one (`Fn.base64_encode`) is
renamed when exactly one real function has the same letters; `Fn.terraform_workspace(...)` becomes Terraform's
named value `"${terraform.workspace}"` where the value only goes to Terraform; CloudFormation's `Fn.sub` of a
literal text becomes the f-string it stands for (its mapping's values, and its pseudo parameters read from the data
sources Terraform has for them, `DataAwsCallerIdentity(self, ...).account_id`, created in the method when none is
bound there); a data source read through an invented Fn (`Fn.data_aws_caller_identity(self, "c").account_id`,
`Fn.data("aws_caller_identity.current.account_id")`) is read from the data source itself the same way, when it takes
no argument; other invented helpers are reported with what to use instead. A quoted text given to a Terraform function is passed
through `Fn.raw_string` (cdktf refuses unescaped double quotes); one filled in with `.replace(a, b)` where `b` may
be a token is filled in by Terraform's `Fn.replace` instead.
"""

from __future__ import annotations

import ast
import difflib
import re

import libcst as cst

from repair.cdktf_index import fn_functions, terraform_functions
from repair.provider_index import PACKAGE, required_params
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import add_import, apply_leaves, code_of, single_assignments, string_value, walk
from repair.transforms._data_sources import DataSources
from repair.transforms._keyword_calls import quote_style
from repair.transforms._tokens import CLASS, TOKEN_LIST, ConstructTypes
from repair.transforms._project_flow import dotted_name
from repair.transforms._triggers import (ITERATING_CALLS, TYPED_USE, All, Any, ConstructRead, SourceFacts, Text,
                                        Trigger, Word)

# What to use instead of `Fn` helpers that no Terraform function stands for.
_NOT_TERRAFORM = {
    "sub": "CloudFormation's Fn::Sub has no Terraform counterpart: build the string with Python (an f-string of "
           "attributes, e.g. DataAwsCallerIdentity's account_id) or Fn.format",
    "terraform_workspace": 'Terraform has no workspace function: the named value is the string "${terraform.workspace}"',
    "ref": "CloudFormation's Ref has no Terraform counterpart: use the construct's attribute (`bucket.id`)",
    "get_att": "CloudFormation's Fn::GetAtt has no Terraform counterpart: use the construct's attribute",
}


# CloudFormation's pseudo parameters, and the data source attribute Terraform reads each from.
_PSEUDO_PARAMETERS = {
    "AWS::AccountId": ("data_aws_caller_identity", "DataAwsCallerIdentity", "account_id"),
    "AWS::Region": ("data_aws_region", "DataAwsRegion", "region"),
    "AWS::Partition": ("data_aws_partition", "DataAwsPartition", "partition"),
    "AWS::URLSuffix": ("data_aws_partition", "DataAwsPartition", "dns_suffix"),
}
# `${Name}` or `${!Literal}` in an Fn::Sub text.
_CFN_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")

_FN_WORD = re.compile(r"\bFn\b")
_FN_ALIAS = re.compile(r"\bFn\s+as\s+(\w+)")


class _FnMisuse(Trigger):
    """What the rule checks of cdktf's Fn, read with `ast` loosely enough never to miss one: `Fn.x` of a function
    the installed Fn lacks, an item or an attribute read on what an Fn function returns, or an Fn function called
    while some string the file spells out holds a double quote. `Fn` is any name or dotted name ending in `Fn`, or
    a name `Fn` is imported as. Where `ast` cannot read the code, the word `Fn` is enough."""

    def test(self, facts: SourceFacts) -> bool:
        if not (facts.contains("Fn") and facts.search(_FN_WORD)):
            return False
        tree = facts.tree
        if tree is None:
            return True
        aliases = set(_FN_ALIAS.findall(facts.code))

        def is_fn(node: ast.expr) -> bool:
            name = dotted_name(node)
            return name is not None and (name == "Fn" or name.endswith(".Fn") or name in aliases)

        def is_fn_call(node: ast.expr) -> bool:
            return type(node) is ast.Call and type(node.func) is ast.Attribute and is_fn(node.func.value)

        functions = fn_functions()
        for node in tree.attributes:
            if is_fn(node.value):
                if functions and node.attr not in functions and not node.attr.startswith("__"):
                    return True
            elif is_fn_call(node.value):
                return True
        if any(is_fn_call(node.value) for node in tree.subscripts):
            return True
        return any('"' in text for text in tree.strings) and any(
            is_fn_call(call) and call.func.attr != "raw_string" and call.args for call in tree.calls)


def _letters(name: str) -> str:
    return name.replace("_", "").lower()


class TokenMisuse(Rule):
    id = "CDK016"
    slug = "token-misuse"
    severity = Severity.CRITICAL
    summary = ("Read token attributes with Terraform's functions (`Fn.element`, `Fn.length_of`, `.get(i)`), and "
               "call only the `Fn` functions cdktf has.")
    prevents = ("IndexError: list index out of range / AttributeError: 'EksCluster' object has no attribute "
                "'identity_get' / AttributeError: type object 'Fn' has no attribute 'base64_encode' (cdktf synth "
                "fails)")
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/tokens"
    analysis_keywords = ("token", "fn", "terraform function", "non existent function", "synth time",
                         "availability zone reference")
    synth_errors = (r"^AttributeError: type object 'Fn' has no attribute",
                    r"^AttributeError: .*object has no attribute '\w+_get'",
                    r"Found an encoded list token string in a scalar string context")
    # A use of `Fn` to check, or a provider file that splits a string (which may be a token), or indexes, measures,
    # iterates, interpolates a construct's list attribute or calls an `x_get` on a construct's value.
    # A list property of a cdktf variable or local (`list_value`, `as_list`) is a token list too.
    triggers = Any(_FnMisuse(), All(Text(PACKAGE), Any(Word("split"), ConstructRead(TYPED_USE))),
                   Word("list_value"), Word("as_list"))

    examples = (
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "self.azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "for i in range(2):\n"
                "    Subnet(self, f'public-{i}', vpc_id=vpc.id, availability_zone=f'${{element({self.azs.names}, {i})}}')\n"
                "Subnet(self, 'db', vpc_id=vpc.id, availability_zone=f'${{element({self.azs.names}, 0)}}')\n"
                "LbTargetGroup(self, 'tg', name=f'${{join(\"-\", {self.azs.names})}}')\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "self.azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "for i in range(2):\n"
                "    Subnet(self, f'public-{i}', vpc_id=vpc.id, availability_zone=Fn.element(self.azs.names, i))\n"
                "Subnet(self, 'db', vpc_id=vpc.id, availability_zone=Fn.element(self.azs.names, 0))\n"
                "LbTargetGroup(self, 'tg', name=Fn.join(\"-\", self.azs.names))\n"
            ),
        ),
        # A data source read as if Fn made it, in a construct's method: read from the data source, created there.
        Example(
            before=(
                "from cdktf import Fn, Token\n"
                "class Keys(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        KmsKey(self, 'k', policy=f'{{\"AWS\": \"arn:aws:iam::{Fn.data_aws_caller_identity(self, \"me\").account_id}:root\"}}')\n"
                "        Output(self, 'account', value=Token.as_string(Fn.data('aws_caller_identity.current.account_id')))\n"
            ),
            after=(
                "from cdktf import Fn, Token\n"
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "class Keys(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        caller_identity = DataAwsCallerIdentity(self, 'caller_identity')\n"
                "        KmsKey(self, 'k', policy=f'{{\"AWS\": \"arn:aws:iam::{caller_identity.account_id}:root\"}}')\n"
                "        Output(self, 'account', value=Token.as_string(caller_identity.account_id))\n"
            ),
        ),
        # Inside an f-string the key and the named value are written with the quote the f-string leaves free.
        Example(
            before=(
                "from cdktf import Fn\n"
                "S3Bucket(self, 'logs', bucket=f\"logs-{Fn.terraform_workspace()}\")\n"
                "Output(self, 'user', value=f\"user: {Fn.jsondecode(secret.secret_string).username}\")\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "S3Bucket(self, 'logs', bucket=f\"logs-{'${terraform.workspace}'}\")\n"
                "Output(self, 'user', value=f\"user: {Fn.lookup(Fn.jsondecode(secret.secret_string), 'username')}\")\n"
            ),
        ),
        # A Terraform call of string tokens resolves as it is; a Python value at a string parameter, or a function
        # whose result is no string, has no call that renders the same.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "vpc = Vpc(self, 'vpc', cidr_block='10.0.0.0/16')\n"
                "Subnet(self, 'a', vpc_id=vpc.id, cidr_block=f'${{cidrsubnet({vpc.cidr_block}, 8, 1)}}')\n"
                "Subnet(self, 'b', vpc_id=vpc.id, availability_zone=f'${{element({names}, 0)}}')\n"
                "Output(self, 'n', value=f'${{length({azs.names})}}')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "from cdktf_cdktf_provider_aws.subnet import Subnet\n"
                "azs = DataAwsAvailabilityZones(self, 'azs', state='available')\n"
                "Subnet(self, 'b', vpc_id=vpc.id, cidr_block='10.0.2.0/24', availability_zone=azs.names[1])\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "from cdktf_cdktf_provider_aws.subnet import Subnet\n"
                "azs = DataAwsAvailabilityZones(self, 'azs', state='available')\n"
                "Subnet(self, 'b', vpc_id=vpc.id, cidr_block='10.0.2.0/24', availability_zone=Fn.element(azs.names, 1))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eks_cluster import EksCluster\n"
                "cluster = EksCluster(self, 'eks', name='c', role_arn=role.arn, vpc_config={'subnet_ids': ids})\n"
                "issuer = cluster.identity_get(0).oidc[0].issuer\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.eks_cluster import EksCluster\n"
                "cluster = EksCluster(self, 'eks', name='c', role_arn=role.arn, vpc_config={'subnet_ids': ids})\n"
                "issuer = cluster.identity.get(0).oidc.get(0).issuer\n"
            ),
        ),
        Example(
            before=(
                "import cdktf\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "self.azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "cdktf.TerraformOutput(self, 'zones', value=len(self.azs.names))\n"
                "user_data = cdktf.Fn.base64_encode(script)\n"
            ),
            after=(
                "import cdktf\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "self.azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "cdktf.TerraformOutput(self, 'zones', value=cdktf.Fn.length_of(self.azs.names))\n"
                "user_data = cdktf.Fn.base64encode(script)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn, TerraformOutput\n"
                "workspace = Fn.terraform_workspace(self)\n"
                "TerraformOutput(self, 'workspace', value=workspace)\n"
            ),
            after=(
                "from cdktf import Fn, TerraformOutput\n"
                "workspace = \"${terraform.workspace}\"\n"
                "TerraformOutput(self, 'workspace', value=workspace)\n"
            ),
        ),
        # A dict's value and a list's item go to Terraform as written (a sliced or upper-cased f-string is Python's
        # text, where `${terraform.workspace}` would be cut or changed: tests/test_token_and_tree_reports.py).
        Example(
            before=(
                "from cdktf import Fn\n"
                "def stack(self):\n"
                "    env = Fn.terraform_workspace()\n"
                "    Vpc(self, 'vpc', tags={'Env': env}, secondary=[f'{env}-b'])\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "def stack(self):\n"
                "    env = \"${terraform.workspace}\"\n"
                "    Vpc(self, 'vpc', tags={'Env': env}, secondary=[f'{env}-b'])\n"
            ),
        ),
        # Through a dict spread into another (`**tags`) and JSON text (`json.dumps`): still the value as written.
        Example(
            before=(
                "import json\n"
                "from cdktf import Fn\n"
                "def stack(self):\n"
                "    env = Fn.terraform_workspace()\n"
                "    tags = {'Env': env}\n"
                "    Vpc(self, 'vpc', tags={**tags, 'Name': 'main'})\n"
                "    EcsTaskDefinition(self, 't', container_definitions=json.dumps([{'environment': env}]))\n"
            ),
            after=(
                "import json\n"
                "from cdktf import Fn\n"
                "def stack(self):\n"
                "    env = \"${terraform.workspace}\"\n"
                "    tags = {'Env': env}\n"
                "    Vpc(self, 'vpc', tags={**tags, 'Name': 'main'})\n"
                "    EcsTaskDefinition(self, 't', container_definitions=json.dumps([{'environment': env}]))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "for i in range(2):\n"
                "    Subnet(self, f'private-{i}', vpc_id=vpc.id, availability_zone=f'${{{azs.names_fqn}[{i}]}}')\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "for i in range(2):\n"
                "    Subnet(self, f'private-{i}', vpc_id=vpc.id, availability_zone=Fn.element(azs.names, i))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "password = Fn.jsondecode(secret.secret_string).password\n"
                "name = Fn.lower(Fn.jsondecode(settings).name).upper()\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "password = Fn.lookup(Fn.jsondecode(secret.secret_string), \"password\")\n"
                "name = Fn.lower(Fn.lookup(Fn.jsondecode(settings), \"name\")).upper()\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "script = \"\"\"#!/bin/bash\necho \"ready: ENV\" > /tmp/status\n\"\"\"\n"
                "user_data = Fn.base64encode(script.replace('ENV', 'prod'))\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "script = \"\"\"#!/bin/bash\necho \"ready: ENV\" > /tmp/status\n\"\"\"\n"
                "user_data = Fn.base64encode(Fn.raw_string(script.replace('ENV', 'prod')))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "script = \"\"\"#!/bin/bash\necho \"bucket: BUCKET\" > /tmp/status\n\"\"\"\n"
                "user_data = Fn.base64encode(script.replace('BUCKET', bucket.bucket))\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "script = \"\"\"#!/bin/bash\necho \"bucket: BUCKET\" > /tmp/status\n\"\"\"\n"
                "user_data = Fn.base64encode(Fn.replace(Fn.raw_string(script), 'BUCKET', bucket.bucket))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.db_instance import DbInstance\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm\n"
                "def database(self, secret, lb_arn):\n"
                "    DbInstance(self, 'db', instance_class='db.t4g.micro', password=Fn.jsondecode(secret).get('password'))\n"
                "    CloudwatchMetricAlarm(self, 'a', alarm_name='5xx', comparison_operator='GreaterThanThreshold',\n"
                "                          evaluation_periods=1, dimensions={'LoadBalancer': lb_arn.split(':loadbalancer/')[1]})\n"
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.db_instance import DbInstance\n"
                "from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm\n"
                "def database(self, secret, lb_arn):\n"
                "    DbInstance(self, 'db', instance_class='db.t4g.micro', password=Fn.lookup(Fn.jsondecode(secret), 'password'))\n"
                "    CloudwatchMetricAlarm(self, 'a', alarm_name='5xx', comparison_operator='GreaterThanThreshold',\n"
                "                          evaluation_periods=1, dimensions={'LoadBalancer': Fn.element(Fn.split(':loadbalancer/', lb_arn), 1)})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import Fn, TerraformStack\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "class Roles(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        IamRole(self, 'r', name='audit', description=Fn.sub('trusted by ${AWS::AccountId}'))\n"
            ),
            after=(
                "from cdktf import Fn, TerraformStack\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "class Roles(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        caller_identity = DataAwsCallerIdentity(self, 'caller_identity')\n"
                "        IamRole(self, 'r', name='audit', description=f'trusted by {caller_identity.account_id}')\n"
            ),
        ),
        # Plain Python lists are indexed as usual, and the right forms are left alone.
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "azs = DataAwsAvailabilityZones(self, 'azs')\n"
                "names = ['a', 'b']\n"
                "first = names[0]\n"
                "zone = Fn.element(azs.names, 0)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._types = ConstructTypes(tree, self.provider_imports, self._index)
        self._fn_name, self._fn_import_needed = _fn_reference(tree)
        self._edits: dict[cst.CSTNode, object] = {}
        self._needs_fn = False
        self._called: set[int] = set()  # callees, to tell `Fn.x(...).y` read from `Fn.x(...).y()` called
        # Names bound once in the file, to a string literal: `user_data = """#!/bin/bash ..."""`.
        self._literals = {name: text for name, value in single_assignments(tree).items()
                          if type(value) in (cst.SimpleString, cst.ConcatenatedString)
                          and (text := string_value(value)) is not None}
        # Data sources that stand for CloudFormation's pseudo parameters (Fn.sub), created before a statement.
        self._data_sources = DataSources(tree, self.provider_imports, quote_style(tree))
        for node in walk(tree):
            kind = type(node)
            if kind is cst.Subscript:
                self._check_subscript(node)
            elif kind is cst.Call:
                self._called.add(id(node.func))
                self._check_call(node)
                self._check_quoted_argument(node)
            elif kind is cst.Attribute:
                self._check_fn(node)
                self._check_fn_result(node)
            elif kind is cst.For or kind is cst.CompFor:
                self._check_iteration(node)
            elif kind is cst.FormattedString:
                self._check_interpolation(node)
        if not self._edits:
            return tree
        tree = apply_leaves(tree, self._data_sources.merged(self._edits))
        if self._needs_fn and self._fn_import_needed:
            tree = add_import(self.context, tree, "cdktf", "Fn")
        return self._data_sources.add_imports(self.context, tree)

    # -- indexing ----------------------------------------------------------------------------------------------
    def _check_subscript(self, node: cst.Subscript) -> None:
        if self._check_fn_subscript(node) or self._check_split_subscript(node):
            return
        typed = self._types.type_of(node.value)
        if typed is None or not (typed.kind == TOKEN_LIST or typed.is_complex_list):
            return
        if self._is_store(node):
            return
        what = code_of(node.value)
        index = _single_index(node)
        if index is None:
            self.report(node, f"`{what}` is a token list: Python cannot slice it; use Fn.slice({what}, start, end)",
                        fixed=False)
            return
        if type(index) is cst.UnaryOperation:
            self.report(node, f"`{what}` is a token list: a negative index means nothing to Terraform; use "
                        f"Fn.element({what}, Fn.length_of({what}) - 1) or a literal position", fixed=False)
            return
        if typed.kind == TOKEN_LIST:
            if self._fn_name is None:
                self._report_no_fn(node, what)
            elif self.report(node, f"`{what}` is a token list: `[{code_of(index)}]` reads the placeholder, not the "
                             f"element; written as {self._fn_name}.element(...)"):
                self._needs_fn = True
                self._edits[node] = lambda updated: _fn_call(self._fn_name, "element", updated, [updated.value,
                                                             _single_index(updated)])
        elif self.report(node, f"`{what}` is a list of blocks: its items are read with .get({code_of(index)})"):
            self._edits[node] = lambda updated: _get_call(updated, updated.value, _single_index(updated))

    def _is_store(self, node: cst.CSTNode) -> bool:
        parent = self._types.parents.get(node)
        return type(parent) in (cst.AssignTarget, cst.Del) or (
            type(parent) in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor) and parent.target is node)

    def _check_fn_subscript(self, node: cst.Subscript) -> bool:
        """`Fn.jsondecode(text)["password"]`: what an Fn function returns is a token; Terraform reads its key with
        lookup() and its item with element()."""
        call = node.value
        index = _single_index(node)
        if type(call) is not cst.Call or not _is_fn(call.func, self._fn_name) or index is None or self._is_store(node):
            return False
        function = f"{self._fn_name}.{call.func.attr.value}"
        key = string_value(index)
        if key is not None:
            if self.report(node, f"`{function}(...)` returns a token, which Python cannot index: Terraform reads the "
                                 f"key with {self._fn_name}.lookup"):
                self._edits[node] = lambda updated: _fn_call(self._fn_name, "lookup", updated,
                                                             [updated.value, _single_index(updated)])
            return True
        if type(index) is cst.Integer:
            if self.report(node, f"`{function}(...)` returns a token, which Python cannot index: Terraform reads the "
                                 f"item with {self._fn_name}.element"):
                self._edits[node] = lambda updated: _fn_call(self._fn_name, "element", updated,
                                                             [updated.value, _single_index(updated)])
            return True
        return False

    def _check_split_subscript(self, node: cst.Subscript) -> bool:
        """`arn.split(":loadbalancer/")[1]` where `arn` may be a token (an attribute of a construct, or a parameter
        the code cannot see the value of) and the part goes to Terraform: Python would split the placeholder, one
        piece (IndexError, or the whole value for [0]); Terraform splits the value, `Fn.element(Fn.split(...), 1)`,
        which is the same part of a plain string too."""
        call = node.value
        if (type(call) is not cst.Call or type(call.func) is not cst.Attribute or call.func.attr.value != "split"
                or len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star):
            return False
        receiver, separator = call.func.value, call.args[0].value
        index = _single_index(node)
        if (index is None or string_value(separator) is None or not self._maybe_token(receiver)
                or self._is_store(node) or not self._passed_to_provider(node)):
            return False
        what = code_of(receiver)
        if type(index) is cst.UnaryOperation or type(index) is not cst.Integer and type(index) is not cst.Name:
            self.report(node, f"`{what}` may be a token, whose parts only Terraform sees: use "
                              f"Fn.element(Fn.split(...), i) with a position counted from the start", fixed=False)
            return True
        if self._fn_name is None:
            self._report_no_fn(node, what)
        elif self.report(node, f"`{what}` may be a token (a placeholder Python cannot split): the part is read by "
                               f"Terraform, {self._fn_name}.element({self._fn_name}.split(...), {code_of(index)})"):
            self._needs_fn = True
            self._edits[node] = lambda updated: _fn_call(self._fn_name, "element", updated, [
                _fn_call(self._fn_name, "split", updated.value, [updated.value.args[0].value,
                                                                 updated.value.func.value]),
                _single_index(updated)])
        return True

    def _maybe_token(self, value: cst.BaseExpression) -> bool:
        """A string attribute of a construct, or a parameter of the enclosing function that it never rebinds."""
        if type(value) is cst.Attribute:
            owner = self._types.type_of(value.value)
            return (owner is not None and owner.kind == CLASS
                    and self._types.attributes(owner).get(value.attr.value) == "builtins.str")
        if type(value) is not cst.Name:
            return False
        function = self._types.parents.get(value)
        while function is not None and type(function) is not cst.FunctionDef:
            function = self._types.parents.get(function)
        if function is None:
            return False
        params = function.params
        names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
        if value.value not in names:
            return False
        return not any(type(n) is cst.AssignTarget and type(n.target) is cst.Name and n.target.value == value.value
                       for n in walk(function.body))

    def _passed_to_provider(self, node: cst.CSTNode) -> bool:
        """Whether the value is written into a provider construct's or struct's argument (at any depth of lists,
        dicts, f-strings and Terraform functions) or a TerraformOutput."""
        child, parent = node, self._types.parents.get(node)
        while parent is not None and not isinstance(parent, (cst.BaseStatement, cst.BaseSmallStatement)):
            if type(parent) is cst.Arg and parent.value is child:
                call = self._types.parents.get(parent)
                if type(call) is cst.Call and (self.provider_imports.resolve(call.func) is not None
                                               or code_of(call.func).split(".")[-1] == "TerraformOutput"):
                    return True
            child, parent = parent, self._types.parents.get(parent)
        return False

    # -- `x_get(i)` and `len(x)` ---------------------------------------------------------------------------------
    def _check_call(self, node: cst.Call) -> None:
        func = node.func
        if (type(func) is cst.Attribute and func.attr.value == "get" and type(func.value) is cst.Call
                and _is_fn(func.value.func, self._fn_name) and 1 <= len(node.args) <= 2
                and all(a.keyword is None and not a.star for a in node.args)):
            function = f"{self._fn_name}.{func.value.func.attr.value}"
            if self.report(node, f"`{function}(...)` returns a token, which has no `get` in Python: Terraform reads "
                                 f"the key with {self._fn_name}.lookup"):
                self._edits[node] = lambda updated: _fn_call(self._fn_name, "lookup", updated, [
                    updated.func.value, *(a.value for a in updated.args)])
            return
        if type(func) is cst.Name and func.value == "len" and len(node.args) == 1:
            self._check_len(node)
        if type(func) is not cst.Attribute or not func.attr.value.endswith("_get") or len(node.args) != 1:
            return
        owner = self._types.type_of(func.value)
        if owner is None or owner.kind != CLASS:
            return
        attributes = self._types.attributes(owner)
        wanted = func.attr.value[: -len("_get")]
        if func.attr.value in attributes or wanted not in attributes:
            return
        listed = self._types.classify(owner.module, attributes[wanted])
        if listed is None or not (listed.kind == TOKEN_LIST or listed.is_complex_list):
            return
        index = node.args[0].value
        where = f"{code_of(func.value)}.{wanted}"
        if listed.kind == TOKEN_LIST:
            if self._fn_name is None:
                self._report_no_fn(node, where)
            elif self.report(node, f"{owner.name} has no `{func.attr.value}`: `{wanted}` is a token list, its "
                             f"items are read with {self._fn_name}.element(...)"):
                self._needs_fn = True
                self._edits[node] = lambda updated: _fn_call(
                    self._fn_name, "element", updated, [_attribute(updated.func.value, wanted), updated.args[0].value])
        elif self.report(node, f"{owner.name} has no `{func.attr.value}`: `{wanted}` is a list of blocks, its items "
                         f"are read with {where}.get({code_of(index)})"):
            self._edits[node] = lambda updated: _get_call(updated, _attribute(updated.func.value, wanted),
                                                          updated.args[0].value)

    def _check_len(self, node: cst.Call) -> None:
        argument = node.args[0].value
        typed = self._types.type_of(argument)
        if typed is None or not (typed.kind == TOKEN_LIST or typed.is_complex_list):
            return
        what = code_of(argument)
        parent = self._types.parents.get(node)
        # Fn.length_of is a number token: fine as an argument's value, meaningless to Python's range() or an `if`.
        grandparent = self._types.parents.get(parent) if parent is not None else None
        as_value = (type(parent) is cst.Arg and parent.keyword is not None) or (
            type(parent) is cst.Arg and type(grandparent) is cst.Call and _is_fn(grandparent.func, self._fn_name))
        if typed.kind != TOKEN_LIST or not as_value:
            self.report(node, f"`{what}` is a token: Python cannot count it (len() of a token list is always 1); "
                        "the count is known only to Terraform (Fn.length_of for a value; `count`/TerraformIterator "
                        "to repeat a resource)", fixed=False)
            return
        if self._fn_name is None:
            self._report_no_fn(node, what)
        elif self.report(node, f"`{what}` is a token list: len() is always 1 in Python; written as "
                         f"{self._fn_name}.length_of(...)"):
            self._needs_fn = True
            self._edits[node] = lambda updated: _fn_call(self._fn_name, "length_of", updated, [updated.args[0].value])

    def _workspace_as_string(self, node: cst.Attribute) -> bool:
        """`Fn.terraform_workspace(...)` -> the string `"${terraform.workspace}"`, which Terraform resolves the
        way it resolves a token: only where the value goes to Terraform untouched, never where Python would slice,
        compare, call a method on or look up the text (see `_passed_to_terraform`)."""
        call = self._types.parents.get(node)
        if type(call) is not cst.Call or call.func is not node or not self._passed_to_terraform(call):
            return False
        quote = self._free_quote(call)
        if quote is None:
            return False  # inside f-strings of both quotes: no literal fits there before Python 3.12
        if self.report(node, 'Fn has no `terraform_workspace`: Terraform\'s named value is written as the string '
                       '"${terraform.workspace}"'):
            self._edits[call] = lambda updated: cst.SimpleString(f"{quote}${{terraform.workspace}}{quote}",
                                                                 lpar=updated.lpar, rpar=updated.rpar)
        return True

    def _free_quote(self, node: cst.CSTNode) -> str | None:
        """The quote a string literal written at `node` can take: one no f-string around it is delimited with
        (before Python 3.12 an f-string's expression cannot hold its own quote), the double one first; None when
        both are taken."""
        taken: set[str] = set()
        parent = self._types.parents.get(node)
        while parent is not None:
            if type(parent) is cst.FormattedString:
                taken.add(parent.start.lstrip("fFrRbBuU")[:1])
            parent = self._types.parents.get(parent)
        return next((quote for quote in ('"', "'") if quote not in taken), None)

    def _passed_to_terraform(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """Whether the value at `node` reaches Terraform as Python wrote it: a keyword argument's value, or a part of
        an f-string, a dict's value or a list's or tuple's item that itself does so, or a local every use of which
        does so (`name = ...` in a function). An f-string sliced (`f"alb-{ws}"[:32]`) or given to a method
        (`.upper()`) is Python's text: `${terraform.workspace}` cut or changed there is no longer Terraform's."""
        parent = self._types.parents.get(node)
        kind = type(parent)
        if kind is cst.Arg:
            if parent.keyword is None and not parent.star and parent.value is node:
                # `json.dumps(...)`'s text carries the string as it is (it holds no quote or backslash to escape).
                call = self._types.parents.get(parent)
                return type(call) is cst.Call and code_of(call.func) == "json.dumps" and \
                    self._passed_to_terraform(call, depth)
            return parent.keyword is not None and parent.value is node
        if kind is cst.StarredDictElement and parent.value is node:  # `{**common_tags, "Name": ...}`
            return self._passed_to_terraform(self._types.parents.get(parent), depth)
        if kind is cst.FormattedStringExpression or (kind is cst.Element and type(self._types.parents.get(parent))
                                                     in (cst.List, cst.Tuple)):
            return self._passed_to_terraform(self._types.parents.get(parent), depth)
        if kind is cst.DictElement and parent.value is node:
            return self._passed_to_terraform(self._types.parents.get(parent), depth)
        if kind is cst.Assign and depth < 3 and len(parent.targets) == 1 and type(parent.targets[0].target) is cst.Name:
            name = parent.targets[0].target
            function = parent
            while function is not None and type(function) not in (cst.FunctionDef, cst.Module):
                function = self._types.parents.get(function)
            uses = [n for n in walk(function) if type(n) is cst.Name and n.value == name.value and n is not name
                    and not self._names_no_value(n)]
            return bool(uses) and all(self._passed_to_terraform(use, depth + 1) for use in uses)
        return False

    def _names_no_value(self, name: cst.Name) -> bool:
        """A keyword (`tags=`) or an attribute's name (`x.tags`): the same word, not a read of the variable."""
        parent = self._types.parents.get(name)
        return type(parent) is cst.Arg and parent.keyword is name or type(parent) is cst.Attribute and \
            parent.attr is name

    def _check_interpolation(self, node: cst.FormattedString) -> None:
        """`f"${{{azs.names}[{i}]}}"` (or `azs.names_fqn`, an attribute the bindings do not have): Terraform's
        index expression written around a Python value; the token list's element is `Fn.element(azs.names, i)`."""
        parts = node.parts
        if len(parts) != 5 or not all(type(p) is cst.FormattedStringText for p in parts[::2]) or [
                p.value for p in parts[::2]] != ["${{", "[", "]}}"]:
            self._check_function_interpolation(node)
            return
        listed, index = parts[1], parts[3]
        if type(listed) is not cst.FormattedStringExpression or type(index) is not cst.FormattedStringExpression \
                or listed.conversion or listed.format_spec or index.conversion or index.format_spec:
            return
        expression = self._token_list(listed.expression)
        if expression is None:
            return
        if self._fn_name is None:
            self._report_no_fn(node, code_of(expression))
        elif self.report(node, f"Terraform's index expression written around `{code_of(listed.expression)}` in a "
                         f"Python string: written as {self._fn_name}.element({code_of(expression)}, "
                         f"{code_of(index.expression)})"):
            self._needs_fn = True
            self._edits[node] = lambda updated, expression=expression: _fn_call(
                self._fn_name, "element", updated, [expression.deep_clone(), updated.parts[3].expression])

    def _token_list(self, expression: cst.BaseExpression) -> cst.BaseExpression | None:
        """The expression when it is a construct's list attribute (a token list), or the attribute an `x_fqn` the
        bindings lack stands for (`azs.names_fqn`: `azs.names`); else None."""
        typed = self._types.type_of(expression)
        if typed is None and type(expression) is cst.Attribute and expression.attr.value.endswith("_fqn"):
            owner = self._types.type_of(expression.value)
            wanted = expression.attr.value[: -len("_fqn")]
            if owner is not None and expression.attr.value not in self._types.attributes(owner):
                typed = self._types.classify(owner.module, self._types.attributes(owner).get(wanted))
                expression = _attribute(expression.value, wanted)
        return expression if typed is not None and typed.kind == TOKEN_LIST else None

    def _check_function_interpolation(self, node: cst.FormattedString) -> None:
        """`f"${{element({azs.names}, {i})}}"`: a call of a Terraform function written around Python values, one of
        them a token list. cdktf refuses the list there ("Found an encoded list token string in a scalar string
        context"); its `Fn` method for the function renders the same call, `Fn.element(azs.names, i)`. Done when the
        string is that one call, cdktf has one method for the function taking each argument as one parameter, and
        every argument is a literal number or plain string, a construct's attribute, or a value at a number
        parameter (a Python value anywhere else would be read as Terraform code, not passed as a string)."""
        call = _terraform_call(node)
        if call is None:
            return
        name, arguments = call
        signature = terraform_functions().get(name)
        if signature is None or not signature.required <= len(arguments) <= len(signature.params) or \
                signature.returns not in _STRING_OR_ANY:
            return
        values: list[cst.BaseExpression] = []
        lists: list[str] = []
        for argument, annotation in zip(arguments, signature.annotations):
            if not isinstance(argument, cst.BaseExpression):
                values.append(cst.parse_expression(argument))  # a literal, written the same in Python
                continue
            listed = self._token_list(argument)
            if listed is not None:
                lists.append(code_of(argument))
                values.append(listed)
            elif self._construct_attribute(argument) or annotation == "jsii.Number":
                values.append(argument)
            else:
                return
        if not lists:
            return  # string tokens inside a Terraform expression resolve as they are
        if self._fn_name is None:
            self._report_no_fn(node, lists[0])
            return
        written = f"{self._fn_name}.{signature.name}({', '.join(code_of(v) for v in values)})"
        if self.report(node, f"Terraform's `{name}(...)` written in a Python string around `{lists[0]}`, a token "
                             f"list, which cdktf refuses there: written as {written}"):
            self._needs_fn = True
            self._edits[node] = lambda updated, values=values: _fn_call(
                self._fn_name, signature.name, updated, [v.deep_clone() for v in values])

    def _construct_attribute(self, expression: cst.BaseExpression) -> bool:
        """Whether the expression reads an attribute a construct's class has (a token Terraform resolves)."""
        if type(expression) is not cst.Attribute:
            return False
        owner = self._types.type_of(expression.value)
        return owner is not None and owner.kind == CLASS and expression.attr.value in self._types.attributes(owner)

    def _check_iteration(self, node: cst.For | cst.CompFor) -> None:
        iterated = node.iter
        # `enumerate(azs.names)`, `sorted(...)`: Python's own walks over the list iterate it just the same.
        if type(iterated) is cst.Call and type(iterated.func) is cst.Name and iterated.func.value in ITERATING_CALLS \
                and iterated.args and iterated.args[0].keyword is None and not iterated.args[0].star:
            iterated = iterated.args[0].value
        typed = self._types.type_of(iterated)
        if typed is not None and (typed.kind == TOKEN_LIST or typed.is_complex_list):
            self.report(iterated, f"`{code_of(iterated)}` is a token: Python iterates over one placeholder; "
                        "repeat the resource with TerraformIterator.from_list(...) and `for_each`, or `count` with "
                        "Fn.element", fixed=False)

    def _report_no_fn(self, node: cst.CSTNode, what: str) -> None:
        self.report(node, f"`{what}` is a token list, read with cdktf's Fn, but the name Fn is taken in this file",
                    fixed=False)

    # -- Fn functions --------------------------------------------------------------------------------------------
    def _check_fn(self, node: cst.Attribute) -> None:
        if self._fn_name is None or code_of(node.value) != self._fn_name:
            return
        functions = fn_functions()
        name = node.attr.value
        if not functions or name in functions or name.startswith("__"):
            return
        same_letters = [f for f in functions if _letters(f) == _letters(name)]
        if len(same_letters) == 1:
            real = same_letters[0]
            if self.report(node.attr, f"Fn has no `{name}`: the Terraform function is Fn.{real}"):
                self._edits[node.attr] = lambda updated: updated.with_changes(value=real)
            return
        if name == "terraform_workspace" and self._workspace_as_string(node):
            return
        if name == "sub" and self._sub_as_fstring(node):
            return
        if name in _NOT_TERRAFORM:
            self.report(node, f"Fn has no `{name}`: {_NOT_TERRAFORM[name]}", fixed=False)
            return
        if name == "data" and self._data_reference(node):
            return
        if name.startswith("data_"):
            module = name  # `Fn.data_aws_region` -> the data source's module, when the provider has one
            if not module.startswith("data_aws_"):
                module = "data_aws_" + module[len("data_"):]
            classes = [e for e in self._index.exports(module) if re.fullmatch(r"DataAws\w+", e)
                       and "Config" not in e][:1]
            if classes and self._data_source_read(node, module, classes[0]):
                return
            hint = (f"a data source is a construct: {classes[0]}(self, \"id\", ...) from {PACKAGE}.{module}"
                    if classes else "a data source is a construct (a DataAws... class), not a function")
            self.report(node, f"Fn has no `{name}`: {hint}", fixed=False)
            return
        close = difflib.get_close_matches(name, sorted(functions), n=3, cutoff=0.6)
        hint = f"; close: {', '.join('Fn.' + c for c in close)}" if close else ""
        self.report(node, f"Fn has no `{name}` (cdktf's Fn has Terraform's functions only){hint}", fixed=False)


    def _argumentless_data_source(self, module: str, class_name: str, attribute: str) -> bool:
        """A data source of the provider that reads its value without arguments (the account, the region, the
        partition, the zones), which has `attribute`."""
        params = self._index.params(module, class_name)
        return (params is not None and "scope" in params and not required_params(params)
                and attribute in self._index.attributes(module, class_name))

    def _read_from_data_source(self, node: cst.CSTNode, replaced: cst.BaseExpression, module: str, class_name: str,
                               attribute: str, what: str) -> bool:
        """Replace `replaced` by `<data source>.attribute`, the data source bound before the statement in the
        method or created there (repair.transforms._data_sources). False outside a construct's method."""
        name = self._data_sources.name_for(replaced, module, class_name)
        if name is None:
            return False
        if self.report(node, f"{what}: a data source is a construct, read as {name}.{attribute} of a {class_name} "
                             "of the method"):
            self._edits[replaced] = lambda updated: cst.parse_expression(f"{name}.{attribute}").with_changes(
                lpar=updated.lpar, rpar=updated.rpar)
            self._data_sources.create(replaced, module, class_name)
        return True

    def _data_source_read(self, node: cst.Attribute, module: str, class_name: str) -> bool:
        """`Fn.data_aws_caller_identity(self, "current").account_id`: an attribute of a data source the answer
        reads as if Fn made it. Repaired for a data source that takes no argument (whatever the call passes, which
        can only be its scope and id)."""
        call = self._types.parents.get(node)
        read = self._types.parents.get(call)
        if type(call) is not cst.Call or call.func is not node or type(read) is not cst.Attribute \
                or read.value is not call or not self._argumentless_data_source(module, class_name, read.attr.value):
            return False
        return self._read_from_data_source(node, read, module, class_name, read.attr.value,
                                           f"Fn has no `{node.attr.value}`")

    def _data_reference(self, node: cst.Attribute) -> bool:
        """`Fn.data("aws_caller_identity.current.account_id")`: Terraform's reference to a data source's attribute,
        given to an invented Fn function; read from the data source itself when it takes no argument."""
        call = self._types.parents.get(node)
        if type(call) is not cst.Call or call.func is not node or len(call.args) != 1 or call.args[0].keyword:
            return False
        text = string_value(call.args[0].value)
        parts = (text or "").removeprefix("data.").split(".")
        if len(parts) != 3 or not all(p.isidentifier() for p in parts) or not parts[0].startswith("aws_"):
            return False
        module = f"data_{parts[0]}"
        classes = [e for e in self._index.exports(module) if re.fullmatch(r"DataAws\w+", e) and "Config" not in e]
        if len(classes) != 1 or not self._argumentless_data_source(module, classes[0], parts[2]):
            return False
        return self._read_from_data_source(node, call, module, classes[0], parts[2],
                                           f"Fn has no `data` (Terraform's `data.{'.'.join(parts)}`)")

    def _sub_as_fstring(self, node: cst.Attribute) -> bool:
        """CloudFormation's `Fn.sub("arn:aws:iam::${AWS::AccountId}:root")` (or with a mapping of its own
        variables) as the f-string it stands for: a variable of the mapping is its value, a pseudo parameter the
        attribute of the data source Terraform reads it from (`DataAwsCallerIdentity.account_id`), created before
        the statement in a construct's method when none is bound there. False when the text is not a literal, or
        names something else (a resource's `${Bucket.Arn}`): then only reported."""
        call = self._types.parents.get(node)
        if type(call) is not cst.Call or call.func is not node or not 1 <= len(call.args) <= 2 or any(
                a.keyword is not None or a.star for a in call.args):
            return False
        literal = call.args[0].value
        if type(literal) is not cst.SimpleString or "b" in literal.prefix.lower():
            return False
        mapping: dict[str, cst.BaseExpression] = {}
        if len(call.args) == 2:
            given = call.args[1].value
            if type(given) is not cst.Dict:
                return False
            for element in given.elements:
                key = string_value(element.key) if type(element) is cst.DictElement else None
                if key is None:
                    return False
                mapping[key] = element.value
        quote, prefix = literal.quote, literal.prefix
        raw = literal.value[len(prefix) + len(quote): -len(quote)]
        pieces: list[str] = []
        sources: list[tuple[str, str, str]] = []  # (module, class, attribute) of the pseudo parameters read
        position = 0
        for match in _CFN_VARIABLE.finditer(raw):
            pieces.append(raw[position:match.start()].replace("{", "{{").replace("}", "}}"))
            position = match.end()
            escaped, variable = match.group(1), match.group(2).strip()
            if escaped:  # `${!Literal}` is CloudFormation's escape of a literal `${Literal}`
                pieces.append("${{" + variable.replace("{", "{{").replace("}", "}}") + "}}")
            elif variable in mapping:
                code = code_of(mapping[variable])
                if quote[0] in code or "\\" in code or "\n" in code:
                    return False
                pieces.append("{" + code + "}")
            elif variable in _PSEUDO_PARAMETERS:
                module, class_name, attribute = _PSEUDO_PARAMETERS[variable]
                if attribute not in self._index.attributes(module, class_name):
                    return False
                sources.append((module, class_name, attribute))
                pieces.append(f"{{\0{len(sources) - 1}\0}}")  # the data source's name, once known
            else:
                return False
        pieces.append(raw[position:].replace("{", "{{").replace("}", "}}"))
        names = [self._data_sources.name_for(call, module, class_name) for module, class_name, _ in sources]
        if any(n is None for n in names):
            return False
        text = "".join(pieces)
        for index, ((_, _, attribute), name) in enumerate(zip(sources, names)):
            text = text.replace(f"\0{index}\0", f"{name}.{attribute}")
        written = ("f" + prefix if "{" in text.replace("{{", "") else prefix) + quote + (
            text if "{" in text.replace("{{", "") else raw) + quote
        if self.report(node, f"Fn has no `sub` (CloudFormation's Fn::Sub): the text is written as the Python string "
                             f"it stands for, {written}"):
            self._edits[call] = lambda updated: cst.parse_expression(written).with_changes(
                lpar=updated.lpar, rpar=updated.rpar)
            for module, class_name, _ in sources:
                self._data_sources.create(call, module, class_name)
        return True

    def _check_quoted_argument(self, node: cst.Call) -> None:
        # cdktf validates the string arguments of Terraform's functions and refuses a plain string holding an
        # unescaped double quote ("Your value ... has unescaped double quotes in it"): a shell script given to
        # Fn.base64encode, a JSON text to Fn.jsondecode. Its documented remedy is Fn.raw_string, which escapes the
        # text for Terraform. Only a string known in the file (a literal, a name bound once to one, or a string
        # method's result on those) is wrapped: the text is then certainly not a token.
        if not _is_fn(node.func, self._fn_name) or node.func.attr.value == "raw_string":
            return
        for arg in node.args:
            function = f"{self._fn_name}.{node.func.attr.value}"
            text = self._known_text(arg.value)
            if text is None:
                quoted = self._quoted_base(arg.value)
                if quoted and self._replacements(arg.value) is not None:
                    # `script.replace("@ENV@", suffix)`: Terraform's replace() puts the value into the escaped
                    # text, whatever it is (a token among them), where Python's would leave the quotes unescaped.
                    if self.report(arg.value, f"`{function}` refuses a plain string with double quotes in it, and "
                                              "what is put into this one may be a token: the text is passed through "
                                              f"{self._fn_name}.raw_string and filled in by Terraform's "
                                              f"{self._fn_name}.replace"):
                        self._edits[arg.value] = lambda updated: self._terraform_replace(updated)
                elif quoted:  # a quoted text with something of unknown kind (perhaps a token) put into it
                    self.report(arg.value, f"`{function}` refuses a plain string with double quotes in it; wrap the "
                                f"text in {self._fn_name}.raw_string once what is put into it is known to be plain",
                                fixed=False)
                continue
            if '"' not in text.replace('\\"', ""):
                continue
            if self.report(arg.value, f"`{function}` refuses a plain string with double quotes in it: the text is "
                                      f"passed through {self._fn_name}.raw_string, which escapes it for Terraform"):
                self._edits[arg.value] = lambda updated: _fn_call(self._fn_name, "raw_string", updated, [updated])

    def _replacements(self, value: cst.BaseExpression) -> list[cst.Call] | None:
        """The `.replace(old, new)` calls of a chain `text.replace(a, b).replace(c, d)` over a known text, innermost
        first, when every `old` is a known text Terraform's replace() reads as plain (not `/regex/`); else None."""
        chain = []
        while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "replace":
            if len(value.args) != 2 or any(a.keyword is not None or a.star for a in value.args):
                return None
            old = self._known_text(value.args[0].value)
            if not old or (len(old) > 1 and old.startswith("/") and old.endswith("/")):
                return None
            chain.append(value)
            value = value.func.value
        if not chain or self._known_text(value) is None:
            return None
        return chain[::-1]

    def _terraform_replace(self, updated: cst.BaseExpression) -> cst.BaseExpression:
        """`text.replace(a, b)...` -> `Fn.replace(Fn.raw_string(text), a, b)...`, a text argument with double
        quotes in it passed through Fn.raw_string as well."""
        def plain(value: cst.BaseExpression) -> cst.BaseExpression:
            text = self._known_text(value)
            quoted = text is not None and '"' in text.replace('\\"', "")
            return _fn_call(self._fn_name, "raw_string", value, [value]) if quoted else value

        def rebuilt(value: cst.BaseExpression) -> cst.BaseExpression:
            if type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "replace":
                old, new = (a.value for a in value.args)
                return _fn_call(self._fn_name, "replace", value, [rebuilt(value.func.value), plain(old), plain(new)])
            return _fn_call(self._fn_name, "raw_string", value, [value])

        return rebuilt(updated)

    def _quoted_base(self, value: cst.BaseExpression) -> bool:
        """Whether a string method's receiver chain starts at a known text with a double quote in it."""
        while type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value in _STRING_METHODS:
            value = value.func.value
        text = self._known_text(value)
        return text is not None and '"' in text.replace('\\"', "")

    def _known_text(self, value: cst.BaseExpression) -> str | None:
        """The text of a string this file spells out, or None when it may be anything (a token among them)."""
        if type(value) in (cst.SimpleString, cst.ConcatenatedString):
            return string_value(value)
        if type(value) is cst.Name:
            return self._literals.get(value.value)
        if (type(value) is cst.Call and type(value.func) is cst.Attribute
                and value.func.attr.value in _STRING_METHODS and all(
                    self._known_text(a.value) is not None for a in value.args)):
            return self._known_text(value.func.value)
        return None

    def _check_fn_result(self, node: cst.Attribute) -> None:
        # `Fn.jsondecode(secret).password`: what an Fn function returns is a token (a string, number or
        # IResolvable standing for a Terraform expression), so Python has no attribute to read on it; Terraform
        # reads the key with lookup(). Attributes a Python string or token really has are left alone.
        call = node.value
        if type(call) is not cst.Call or not _is_fn(call.func, self._fn_name) or id(node) in self._called:
            return
        key = node.attr.value
        if key.startswith("_") or key in _TOKEN_ATTRIBUTES or call.func.attr.value not in fn_functions():
            return  # an Fn function cdktf lacks is reported as that (_check_fn): what it would return is unknown
        quote = self._free_quote(node)
        if quote is None:
            return
        function = f"{self._fn_name}.{call.func.attr.value}"
        if self.report(node, f"`{function}(...)` returns a token, which has no attribute `{key}` in Python: "
                             f"Terraform reads the key with {self._fn_name}.lookup"):
            self._edits[node] = lambda updated: _fn_call(self._fn_name, "lookup", updated,
                                                         [updated.value, cst.SimpleString(f"{quote}{key}{quote}")])


# String methods whose result is as plain as their receiver, when their arguments are plain too.
_STRING_METHODS = frozenset({"replace", "strip", "lstrip", "rstrip", "lower", "upper", "format"})


# What a token returned by an Fn function has in Python: a string's methods, IResolvable's members.
_TOKEN_ATTRIBUTES = frozenset(dir(str)) | {"creation_stack", "resolve", "to_string"}


def _fn_reference(tree: cst.Module) -> tuple[str | None, bool]:
    """How the file names cdktf's Fn (`Fn`, `F`, `cdktf.Fn`), and whether an import has to be added for it.
    (None, False) when the name `Fn` is bound to something else."""
    module_alias = None
    fn_bound_elsewhere = False
    for node in walk(tree):
        kind = type(node)
        if kind is cst.ImportFrom and not node.relative and node.module is not None:
            if isinstance(node.names, cst.ImportStar):
                continue
            for alias in node.names:
                bound = code_of(alias.asname.name) if alias.asname else code_of(alias.name)
                if code_of(node.module) == "cdktf" and code_of(alias.name) == "Fn":
                    return bound, False
                if bound == "Fn":
                    fn_bound_elsewhere = True
        elif kind is cst.Import:
            for alias in node.names:
                if code_of(alias.name) == "cdktf":
                    module_alias = code_of(alias.asname.name) if alias.asname else "cdktf"
        elif kind in (cst.ClassDef, cst.FunctionDef) and node.name.value == "Fn":
            fn_bound_elsewhere = True
        elif kind is cst.AssignTarget and type(node.target) is cst.Name and node.target.value == "Fn":
            fn_bound_elsewhere = True
    if module_alias is not None:
        return f"{module_alias}.Fn", False
    if fn_bound_elsewhere:
        return None, False
    return "Fn", True


def _is_fn(func: cst.BaseExpression, fn_name: str | None) -> bool:
    return fn_name is not None and type(func) is cst.Attribute and code_of(func.value) == fn_name


def _single_index(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) != 1 or type(node.slice[0].slice) is not cst.Index:
        return None
    return node.slice[0].slice.value


def _attribute(owner: cst.BaseExpression, name: str) -> cst.Attribute:
    return cst.Attribute(value=owner, attr=cst.Name(name))


_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


# What a Terraform function's result may be where a string was written: a string, or a token of any type.
_STRING_OR_ANY = frozenset({"builtins.str", "typing.Any"})
# One argument of a Terraform call written in an f-string: a value of Python's (its placeholder), a number, or a plain
# double-quoted string (no escape, no template), each of which Python writes the same.
_PLACEHOLDER = "\0"
_TERRAFORM_ARGUMENT = re.compile(r'\s*(\0\d+\0|-?\d+(?:\.\d+)?|"[^"\\$%{}\n]*")\s*(?:,|$)')
_TERRAFORM_CALL = re.compile(r"\$\{\s*([a-z][a-z0-9_]*)\s*\((.*)\)\s*\}", re.DOTALL)


def _terraform_call(node: cst.FormattedString) -> tuple[str, list] | None:
    """(function, arguments) when the f-string is exactly one Terraform call `${name(a, b)}`; each argument is the
    expression of an interpolated value (no conversion or format) or the literal's text."""
    template: list[str] = []
    expressions: list[cst.BaseExpression] = []
    for part in node.parts:
        if type(part) is cst.FormattedStringText:
            if _PLACEHOLDER in part.value:
                return None
            template.append(part.value.replace("{{", "{").replace("}}", "}"))
        elif part.conversion is None and part.format_spec is None and part.equal is None:
            template.append(f"{_PLACEHOLDER}{len(expressions)}{_PLACEHOLDER}")
            expressions.append(part.expression)
        else:
            return None
    match = _TERRAFORM_CALL.fullmatch("".join(template))
    if match is None:
        return None
    name, text = match.groups()
    arguments: list = []
    position = 0
    while position < len(text):
        argument = _TERRAFORM_ARGUMENT.match(text, position)
        if argument is None or argument.end() == position:
            return None
        written = argument.group(1)
        arguments.append(expressions[int(written.strip(_PLACEHOLDER))] if written.startswith(_PLACEHOLDER)
                         else written)
        position = argument.end()
    return name, arguments


def _fn_call(fn_name: str, function: str, replaced: cst.BaseExpression, values) -> cst.Call:
    """`Fn.function(value, ...)` in place of `replaced`, keeping its parentheses."""
    args = [cst.Arg(value=v, comma=_COMMA if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT)
            for i, v in enumerate(values)]
    return cst.Call(func=cst.parse_expression(f"{fn_name}.{function}"), args=args, lpar=replaced.lpar,
                    rpar=replaced.rpar)


def _get_call(replaced: cst.BaseExpression, owner: cst.BaseExpression, index: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=_attribute(owner, "get"), args=[cst.Arg(value=index)], lpar=replaced.lpar,
                    rpar=replaced.rpar)
