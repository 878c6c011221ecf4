"""CDK018 construct-tree: constructs that cannot take their place in the construct tree.

Every construct is created with a scope and an id unique in that scope: the same literal id twice under `self`
stops synth ("There is already a Construct with name 'x'"), and a provider created without its id
(`AwsProvider(self, region=...)`) is a TypeError. A resource's `provider=` takes the provider construct, not
Terraform's `"aws.west"` address. And a stack that creates provider resources but no provider does not synthesize
(cdktf: "Found resources without a matching provider construct").

Repairs: the later duplicates get the first free `<id>-2`, `<id>-3` (ids built from a loop variable are left
alone; a literal id inside a loop is reported); the provider gets the id `aws` (made unique); a `provider="aws.x"`
string becomes the provider construct created with `alias="x"` when exactly one such construct is bound to a name
in reach; where the file creates no provider with a literal alias and the address says the region as well as the
alias (`"aws.eu_west_1"`, `f"aws.{region.replace('-', '_')}"`, `f"aws.{region}"`: a region's name, or a variable
named for one), in a method of a construct class, it becomes `self._aws_provider(region, alias)`, a method added to
the class that returns the stack's provider of that alias, created for that region when the stack has none; a
stack given a region parameter (`aws_region`, `region`) that creates no provider creates one with that region after
its `super().__init__(...)`. The rest is reported, among it a stack without a provider or a region.
"""

from __future__ import annotations

import re

import libcst as cst

from repair.cdktf_index import cdktf_constructs
from repair.provider_index import PACKAGE
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import (add_import, apply_leaves, code_of, construct_id, iter_children, keyword_arg,
                                   string_value, walk)
from repair.transforms._keyword_calls import quote_style
from repair.transforms._names import name_uses
from repair.transforms._provider_imports import reference_to
from repair.transforms._triggers import All, Any, LiteralIdInLoop, Not, Regex, Repeated, Text, standalone

_PROVIDER_MODULE = "provider"  # the provider construct (AwsProvider) lives in the package's `provider` module
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_LOOPS = (cst.For, cst.While, cst.CompFor)
_BLOCKS = (cst.IndentedBlock, cst.Module, cst.SimpleStatementSuite)
# What may run on some passes of a loop only: a condition's branches, an except handler, a loop's `else`.
_CONDITIONAL = (cst.If, cst.Else, cst.Match, cst.ExceptHandler, cst.ExceptStarHandler, cst.IfExp)


_PROVIDER_STRING = re.compile(standalone("provider") + r"""\s*=\s*[fFrRuU]?["']""")  # `\bprovider = "...`
_PROVIDER_WITHOUT_ID = re.compile(r"Provider\(\s*[\w.]+\s*(?:,\s*\w+\s*=[^=]|\))")
_LITERAL_ID = re.compile(r"""\(\s*([\w.]+)\s*,\s*(["'])([^"'\n]+)\2""")
_REGION_PARAMETER = re.compile(r"def __init__\([^)]*\b\w*region(?:_name)?\b")


def _quoted(text: str, like: cst.SimpleString | None) -> cst.SimpleString:
    quote = like.quote if like is not None and like.quote in ("'", '"') else '"'
    return cst.SimpleString(f"{quote}{text}{quote}")


def _first_string(call: cst.Call) -> cst.SimpleString | None:
    for arg in call.args:
        if type(arg.value) is cst.SimpleString:
            return arg.value
    return None


class _Call:
    """A construct call and where it stands: its function, the blocks around it, whether a loop repeats it."""

    def __init__(self, call: cst.Call, target: tuple[str, str] | None, scope_node, blocks: tuple, in_loop: bool,
                 binding: str | None, klass, guarded: bool = False) -> None:
        self.call, self.target, self.scope_node, self.blocks = call, target, scope_node, blocks
        self.in_loop, self.binding, self.klass = in_loop, binding, klass
        # Inside the loop, under a condition (`if i == 0:`), an except handler or the loop's `else`: it may run on
        # one pass only.
        self.guarded = guarded


class ConstructTree(Rule):
    id = "CDK018"
    slug = "construct-tree"
    severity = Severity.CRITICAL
    summary = ("Give each construct an id unique in its scope, the provider its id, `provider=` the provider "
               "construct (one per region an address names), and a stack given a region its provider.")
    prevents = ("Error: There is already a Construct with name 'logs' in TapStack / TypeError: AwsProvider.__init__() "
                "missing 1 required positional argument: 'id' / TypeError: type of argument provider must be one "
                "of (cdktf.TerraformProvider, NoneType); got str instead (cdktf synth fails)")
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/constructs"
    analysis_keywords = ("construct id", "duplicate construct", "duplicate id", "construct name",
                         "already a construct", "provider alias")
    synth_errors = (r"There is already a Construct with name", r"type of argument provider must be",
                    r"^TypeError: .*Provider.__init__\(\) missing 1 required positional argument: 'id'",
                    r"Found resources without a matching provider construct")
    # A provider file with a string `provider=`, a provider called with its scope alone, a literal id given twice
    # with the same scope or in a loop, or a stack given a region that never creates a provider.
    triggers = All(Text(PACKAGE), Any(
        Regex(_PROVIDER_STRING), Regex(_PROVIDER_WITHOUT_ID), Repeated(_LITERAL_ID), LiteralIdInLoop(),
        All(Text("TerraformStack"), Not(Text("Provider(")), Regex(_REGION_PARAMETER))))

    examples = (
        # A stack given its region that creates resources but no provider.
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "class SiteStack(TerraformStack):\n"
                "    def __init__(self, scope, id, aws_region='us-east-1'):\n"
                "        super().__init__(scope, id)\n"
                "        S3Bucket(self, 'site', bucket='acme-site')\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "class SiteStack(TerraformStack):\n"
                "    def __init__(self, scope, id, aws_region='us-east-1'):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region=aws_region)\n"
                "        S3Bucket(self, 'site', bucket='acme-site')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, region='us-east-1')\n"
                "        S3Bucket(self, 'logs', bucket='app-logs')\n"
                "        S3Bucket(self, 'logs', bucket='audit-logs')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        S3Bucket(self, 'logs', bucket='app-logs')\n"
                "        S3Bucket(self, 'logs-2', bucket='audit-logs')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        west = AwsProvider(self, 'aws-west', region='us-west-2', alias='west')\n"
                "        SnsTopic(self, 'alerts', name='alerts', provider='aws.west')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        west = AwsProvider(self, 'aws-west', region='us-west-2', alias='west')\n"
                "        SnsTopic(self, 'alerts', name='alerts', provider=west)\n"
            ),
        ),
        # An address that names a region's alias no provider has, in a construct: the stack's provider of that
        # alias, created for that region (TerraformStack imported for the lookup).
        Example(
            before=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
                "class Replica(Construct):\n"
                "    def __init__(self, scope, id, replica_region):\n"
                "        super().__init__(scope, id)\n"
                "        SnsTopic(self, 'alerts', name='alerts', provider=f'aws.{replica_region}')\n"
            ),
            after=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
                "from cdktf import TerraformStack\n"
                "class Replica(Construct):\n"
                "    def __init__(self, scope, id, replica_region):\n"
                "        super().__init__(scope, id)\n"
                "        SnsTopic(self, 'alerts', name='alerts', provider=self._aws_provider(replica_region, "
                "replica_region))\n"
                "\n"
                "    def _aws_provider(self, region, alias):\n"
                "        \"\"\"The stack's AwsProvider of `alias`, created for `region` if it has none: what "
                "`provider=` takes.\"\"\"\n"
                "        stack = TerraformStack.of(self)\n"
                "        for construct in stack.node.find_all():\n"
                "            if isinstance(construct, AwsProvider) and construct.alias == alias:\n"
                "                return construct\n"
                "        return AwsProvider(stack, f'aws_{alias}', region=region, alias=alias)\n"
            ),
        ),
        # Ids built from a loop variable, and the same id in two branches of an `if`, are unique where they run.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id, archive):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        for name in ('raw', 'clean'):\n"
                "            S3Bucket(self, f'bucket-{name}', bucket=name)\n"
                "        if archive:\n"
                "            S3Bucket(self, 'store', bucket='archive')\n"
                "        else:\n"
                "            S3Bucket(self, 'store', bucket='hot')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._bindings = self.provider_imports
        self._local_constructs = _local_construct_classes(tree)
        self._calls: list[_Call] = []
        self._stack_classes: list[cst.ClassDef] = []
        self._collect(tree, scope_node=tree, blocks=(tree,), in_loop=False, statement=None, klass=None, guarded=False)
        edits: dict[cst.CSTNode, object] = {}
        self._check_duplicates(edits)
        self._check_provider_ids(edits)
        self._uses = None
        planned: list[tuple[str, str, str | None]] = []
        self._check_provider_arguments(edits, planned)
        self._check_stacks_without_provider(edits, planned)
        if not edits:
            return tree
        tree = apply_leaves(tree, edits)
        for module, name, asname in planned:
            tree = add_import(self.context, tree, module, name, asname)
        return tree

    # -- collection --------------------------------------------------------------------------------------------
    def _collect(self, node, *, scope_node, blocks, in_loop, statement, klass, guarded) -> None:
        kind = type(node)
        if kind in _SCOPES:
            if kind is cst.ClassDef:
                klass = node
                if any(_base_name(b.value) == "TerraformStack" for b in node.bases):
                    self._stack_classes.append(node)
            else:
                scope_node, blocks, in_loop, guarded = node, (node,), False, False
        elif kind in _LOOPS:
            in_loop, guarded = True, False
        elif kind in _CONDITIONAL and in_loop:
            guarded = True
        elif kind in _BLOCKS:
            blocks = blocks + (node,)
        elif kind is cst.SimpleStatementLine:
            statement = node
        elif kind is cst.Call:
            target = self._bindings.resolve(node.func)
            name = node.func.value if type(node.func) is cst.Name else None
            if target is not None or name in cdktf_constructs() or name in self._local_constructs:
                self._calls.append(_Call(node, target, scope_node, blocks, in_loop, _binding(statement, node), klass,
                                         guarded))
        for child in iter_children(node):
            self._collect(child, scope_node=scope_node, blocks=blocks, in_loop=in_loop, statement=statement,
                          klass=klass, guarded=guarded)

    def _takes_id(self, call: _Call) -> bool:
        if call.target is None:
            return True
        params = self._index.params(*call.target)
        return params is not None and "id" in params

    # -- duplicate ids -----------------------------------------------------------------------------------------
    def _check_duplicates(self, edits: dict) -> None:
        taken: dict[tuple, set[str]] = {}  # (function, scope code) -> every literal id created there
        for call in self._calls:
            scope = _scope_code(call.call)
            ident = construct_id(call.call)
            if scope is not None and ident is not None:
                taken.setdefault((call.scope_node, scope), set()).add(ident)
        earlier: dict[tuple, list[_Call]] = {}
        for call in self._calls:
            scope, ident = _scope_code(call.call), construct_id(call.call)
            if scope is None or ident is None or not self._takes_id(call):
                continue
            key = (call.scope_node, scope, ident)
            if call.in_loop:
                if not call.guarded:  # under `if i == 0:` it may well run once
                    self.report(call.call, f"construct id '{ident}' is created on every pass of a loop: build it from "
                                "the loop variable (f'{ident}-{{name}}')", fixed=False)
                continue
            # A duplicate for certain: an earlier call with that id in a block that encloses this one (so both run).
            first = next((e for e in earlier.get(key, []) if e.blocks == call.blocks[:len(e.blocks)]), None)
            earlier.setdefault(key, []).append(call)
            if first is None:
                continue
            names = taken[(call.scope_node, scope)]
            separator = "_" if "_" in ident and "-" not in ident else "-"
            number = 2
            while f"{ident}{separator}{number}" in names:
                number += 1
            unique = f"{ident}{separator}{number}"
            names.add(unique)
            id_node = _id_node(call.call)
            if type(id_node) is not cst.SimpleString or id_node.raw_value != ident:
                self.report(call.call, f"construct id '{ident}' is already used in `{scope}`: give this one "
                            "another id", fixed=False)
            elif self.report(call.call, f"construct id '{ident}' is already used in `{scope}` (line of the first: "
                             f"{self.position(first.call)[0]}); this one becomes '{unique}'"):
                edits[id_node] = lambda updated, unique=unique: updated.with_changes(
                    value=f"{updated.prefix}{updated.quote}{unique}{updated.quote}")

    # -- the provider's id -------------------------------------------------------------------------------------
    def _check_provider_ids(self, edits: dict) -> None:
        taken: dict[tuple, set[str | None]] = {}  # (function, scope code) -> the ids created there
        for call in self._calls:
            taken.setdefault((call.scope_node, _scope_code(call.call)), set()).add(construct_id(call.call))
        for call in self._calls:
            if call.target is None or call.target[0] != _PROVIDER_MODULE or not self._takes_id(call):
                continue
            positional = [a for a in call.call.args if a.keyword is None and not a.star]
            scope = _scope_code(call.call)
            if len(positional) != 1 or scope is None or keyword_arg(call.call, "id") is not None:
                continue
            names = taken[(call.scope_node, scope)]
            ident, number = "aws", 2
            while ident in names:
                ident, number = f"aws-{number}", number + 1
            names.add(ident)  # the next provider without an id in this scope takes another one
            # Quoted like the call's own strings, else like the other construct calls' strings.
            like = _first_string(call.call) or next(
                (s for c in self._calls if (s := _first_string(c.call)) is not None), None)
            if self.report(call.call, f"{call.target[1]} is created without its construct id: given '{ident}'"):
                edits[call.call] = lambda updated, ident=ident, like=like: _with_id(updated, _quoted(ident, like))

    # -- provider= -----------------------------------------------------------------------------------------------
    def _check_provider_arguments(self, edits: dict, planned: list) -> None:
        helpers: dict[cst.ClassDef, cst.FunctionDef] = {}  # class -> the `_aws_provider` method added to it
        aliases: dict[str, list[_Call]] = {}
        for call in self._calls:
            if call.target is not None and call.target[0] == _PROVIDER_MODULE:
                alias = string_value(getattr(keyword_arg(call.call, "alias"), "value", None))
                if alias is not None:
                    aliases.setdefault(alias, []).append(call)
        for call in self._calls:
            arg = keyword_arg(call.call, "provider")
            if arg is None or call.target is None or call.target[0] == _PROVIDER_MODULE:
                continue
            if "scope" not in (self._index.params(*call.target) or {}):
                continue  # a struct's own `provider` field (a pipeline action's "CodeBuild"), not the construct's
            value = arg.value
            if type(value) in (cst.Name, cst.Attribute, cst.Call, cst.Subscript):
                continue
            text = string_value(value)
            strings = type(value) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString) or (
                type(value) is cst.IfExp and any(type(v) in (cst.SimpleString, cst.FormattedString)
                                                  for v in (value.body, value.orelse)))
            if not strings:
                continue
            if text is not None and text.count(".") == 1:
                alias = text.split(".", 1)[1]
                reachable = [p for p in aliases.get(alias, []) if _reaches(p, call)]
                if len(reachable) == 1 and self.report(
                        value, f"provider= takes the provider construct, not the address '{text}': "
                        f"{reachable[0].binding}"):
                    binding = reachable[0].binding
                    edits[value] = lambda updated, binding=binding: cst.parse_expression(binding).with_changes(
                        lpar=updated.lpar, rpar=updated.rpar)
                    continue
            if not aliases and self._provider_of_region(call, value, edits, planned, helpers):
                continue
            candidates = sorted(f"'{alias}' ({p.binding})" if p.binding else f"'{alias}'"
                                for alias, found in aliases.items() for p in found)
            known = (f"the providers with an alias here: {', '.join(candidates)}" if candidates
                     else "no AwsProvider in this file has an alias: create one per region")
            self.report(value, "provider= takes a provider construct (AwsProvider(self, id, region=..., "
                        f"alias=...) bound to a name), not a string; none is in reach for this one ({known})",
                        fixed=False)

    def _provider_of_region(self, call: _Call, value, edits: dict, planned: list, helpers: dict) -> bool:
        """`provider="aws.eu_west_1"` (or `f"aws.{region.replace('-', '_')}"`, `f"aws.{region}"`) in a method of a
        construct class whose file creates no provider of a literal alias: the address names an alias no provider
        has, and what it stands for is written in it, the alias and the region (a region's own name, or the value of
        a variable named `region`). It becomes `self._aws_provider(region, alias)`, a method added to the class
        that returns the stack's AwsProvider of that alias, created for that region when the stack has none (found
        among all its constructs, so one made elsewhere is reused and each alias is created once)."""
        strings = [v for v in ((value.body, value.orelse) if type(value) is cst.IfExp else (value,))
                   if not (type(v) is cst.Name and v.value == "None")]
        found = [_address_region(s) for s in strings]
        method, klass = call.scope_node, call.klass
        if not strings or None in found or klass is None or type(method) is not cst.FunctionDef:
            return False
        if any(not _loops_over_regions(method, region) for region, _ in found):
            return False  # a variable named for a region that a loop sets to literals other than regions
        if type(klass.body) is not cst.IndentedBlock or method not in klass.body.body or method.decorators \
                or not method.params.params:
            return False
        if not any(_base_name(b.value) in ("Construct", "TerraformStack") or _base_name(b.value) in
                   self._local_constructs for b in klass.bases):
            return False
        helper = None
        if klass not in helpers:
            if any(type(s) is cst.FunctionDef and s.name.value == _HELPER for s in klass.body.body):
                return False  # the class has a method of that name already: not this rule's to replace
            uses = self._uses = self._uses or name_uses(self.context.wrapper.module)
            imports = list(planned)  # the imports the helper needs, kept only once the finding is fixed
            provider = reference_to(self._bindings, uses, _PROVIDER_MODULE, "AwsProvider", imports)
            stack = _terraform_stack_reference(self.context.wrapper.module, uses, imports)
            if provider is None or stack is None:
                return False
            quote = quote_style(self.context.wrapper.module)
            helper = cst.parse_statement(_HELPER_CODE.format(name=_HELPER, provider=provider, stack=stack, q=quote),
                                         config=self.context.wrapper.module.config_for_parsing)
            helper = helper.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
        self_name = method.params.params[0].name.value
        calls = [f"{self_name}.{_HELPER}({region}, {alias})" for region, alias in found]
        address = " / ".join(code_of(s) for s in strings)
        if not self.report(value, f"provider= takes the provider construct, not the address {address}: "
                           f"{' / '.join(calls)}, the stack's AwsProvider of that alias, created for that region when "
                           "it has none"):
            return True
        if helper is not None:
            helpers[klass] = helper
            planned[:] = imports
            edits[klass] = lambda updated, helper=helper: updated.with_changes(
                body=updated.body.with_changes(body=[*updated.body.body, helper]))
        for string, replacement in zip(strings, calls):
            edits[string] = lambda updated, replacement=replacement: cst.parse_expression(replacement).with_changes(
                lpar=updated.lpar, rpar=updated.rpar)
        return True

    # -- stacks without a provider -----------------------------------------------------------------------------
    def _check_stacks_without_provider(self, edits: dict, planned: list) -> None:
        """A stack given a region (`aws_region=...`, as the task's entry passes it) that creates provider resources
        but no provider: cdktf refuses to synthesize it ("Found resources without a matching provider construct").
        The provider is created with that region right after the stack's `super().__init__(...)`, unless something
        in the stack may create it elsewhere (a call of anything named like a provider); a stack without a region
        parameter is reported (which region it meant is not in the code)."""
        if any(c.target is not None and c.target[0] == _PROVIDER_MODULE for c in self._calls):
            return
        for klass in self._stack_classes:
            regions = _region_parameters(klass)
            if not regions or not any(c.klass is klass and c.target is not None for c in self._calls):
                continue
            if len(regions) > 1:
                self.report(klass, f"{klass.name.value} takes {' and '.join(f'`{r}`' for r in regions)} but creates no "
                            "AwsProvider, and cdktf synthesizes no resource without a provider construct: create "
                            f"AwsProvider(self, \"aws\", region=...) with the region the stack's resources are meant "
                            f"for ({' or '.join(regions)}); which one is the code's to say", fixed=False)
                continue
            (region,) = regions
            message = f"{klass.name.value} takes `{region}` but creates no AwsProvider, and cdktf synthesizes no " \
                      "resource without a provider construct"
            init, anchor = _super_init(klass)
            if init is None or anchor is None or _calls_something_named_provider(klass):
                self.report(klass, f'{message}: create AwsProvider(self, "aws", region={region})', fixed=False)
                continue
            self_name = init.params.params[0].name.value if init.params.params else "self"
            uses = self._uses = self._uses or name_uses(self.context.wrapper.module)
            reference = reference_to(self._bindings, uses, _PROVIDER_MODULE, "AwsProvider", planned)
            if reference is None:
                self.report(klass, f'{message}: create AwsProvider(self, "aws", region={region})', fixed=False)
                continue
            quote = quote_style(self.context.wrapper.module)
            statement = cst.parse_statement(f"{reference}({self_name}, {quote}aws{quote}, region={region})\n")
            if self.report(klass, f"{message}: created as {reference}({self_name}, {quote}aws{quote}, "
                           f"region={region}) after the stack's super().__init__"):
                edits[anchor] = lambda updated, statement=statement: cst.FlattenSentinel([updated, statement])


_HELPER = "_aws_provider"
_HELPER_CODE = (
    "def {name}(self, region, alias):\n"
    "    \"\"\"The stack's AwsProvider of `alias`, created for `region` if it has none: what `provider=` takes.\"\"\"\n"
    "    stack = {stack}.of(self)\n"
    "    for construct in stack.node.find_all():\n"
    "        if isinstance(construct, {provider}) and construct.alias == alias:\n"
    "            return construct\n"
    "    return {provider}(stack, f{q}aws_{{alias}}{q}, region=region, alias=alias)\n"
)
# An AWS region's name ("eu-west-1", "us-gov-west-1"), and a variable or attribute that holds one by its name.
_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_REGION_VARIABLE = re.compile(r"(?:^|_)region(?:_name)?$", re.IGNORECASE)


def _address_region(node) -> tuple[str, str] | None:
    """(region, alias) as code, for Terraform's address of an aliased AWS provider that says both: `"aws.eu_west_1"`
    (the alias a region's name, `-` written `_` or not), `f"aws.{region}"`, `f"aws.{region.replace('-', '_')}"`
    (a variable named for a region); None for any other value."""
    if type(node) in (cst.SimpleString, cst.ConcatenatedString):
        text = string_value(node)
        match = re.fullmatch(r"aws\.([A-Za-z0-9_-]+)", text or "")
        if match is None or not _REGION.match(match.group(1).replace("_", "-")):
            return None
        quote = node.quote if type(node) is cst.SimpleString and node.quote in ("'", '"') else '"'
        return f"{quote}{match.group(1).replace('_', '-')}{quote}", f"{quote}{match.group(1)}{quote}"
    if type(node) is not cst.FormattedString or node.prefix.lower() != "f" or len(node.parts) != 2:
        return None
    text, part = node.parts
    if type(text) is not cst.FormattedStringText or text.value != "aws." \
            or type(part) is not cst.FormattedStringExpression or part.conversion or part.format_spec:
        return None
    expression = region = part.expression
    if type(expression) is cst.Call and type(expression.func) is cst.Attribute \
            and expression.func.attr.value == "replace" and len(expression.args) == 2 \
            and [string_value(a.value) for a in expression.args] == ["-", "_"] \
            and all(a.keyword is None and not a.star for a in expression.args):
        region = expression.func.value
    if type(region) is cst.Name and _REGION_VARIABLE.search(region.value) or \
            type(region) is cst.Attribute and _REGION_VARIABLE.search(region.attr.value) \
            and type(region.value) in (cst.Name, cst.Attribute):
        return code_of(region), code_of(expression)
    return None


def _loops_over_regions(function: cst.FunctionDef, region: str) -> bool:
    """False when a `for` of the function sets the variable `region` (code) to literal strings that are not all
    region names (`for region in ("primary", "dr")`); True otherwise, what it holds unknown included."""
    for node in walk(function):
        if type(node) is not cst.For:
            continue
        targets = [node.target] if type(node.target) is not cst.Tuple else [e.value for e in node.target.elements]
        if not any(code_of(t) == region for t in targets):
            continue
        values = node.iter
        if type(values) is cst.Call and code_of(values.func) == "enumerate" and values.args:
            values = values.args[0].value
        if isinstance(values, (cst.List, cst.Tuple, cst.Set)):
            texts = [string_value(e.value) for e in values.elements if isinstance(e, cst.Element)]
            if any(t is not None and not _REGION.match(t) for t in texts):
                return False
    return True


def _terraform_stack_reference(tree: cst.Module, uses, planned: list) -> str | None:
    """How the file reads cdktf's TerraformStack: its own import, else one to add (None when the name is taken)."""
    for statement in tree.body:
        for small in statement.body if type(statement) is cst.SimpleStatementLine else ():
            if type(small) is cst.ImportFrom and code_of(small.module) == "cdktf" \
                    and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if code_of(alias.name) == "TerraformStack":
                        return alias.asname.name.value if alias.asname else "TerraformStack"
            elif type(small) is cst.Import:
                for alias in small.names:
                    if code_of(alias.name) == "cdktf" and alias.asname is None:
                        return "cdktf.TerraformStack"
    if ("cdktf", "TerraformStack", None) in planned:
        return "TerraformStack"
    if uses.is_free("TerraformStack"):
        planned.append(("cdktf", "TerraformStack", None))
        return "TerraformStack"
    return None


def _super_init(klass: cst.ClassDef) -> tuple[cst.FunctionDef | None, cst.SimpleStatementLine | None]:
    """The stack's `__init__` and its statement calling `super().__init__(...)` (None when it has none)."""
    for statement in klass.body.body if type(klass.body) is cst.IndentedBlock else ():
        if type(statement) is cst.FunctionDef and statement.name.value == "__init__":
            if type(statement.body) is not cst.IndentedBlock:
                return statement, None
            for line in statement.body.body:
                if type(line) is cst.SimpleStatementLine and len(line.body) == 1 and type(line.body[0]) is cst.Expr:
                    call = line.body[0].value
                    if (type(call) is cst.Call and type(call.func) is cst.Attribute
                            and call.func.attr.value == "__init__" and type(call.func.value) is cst.Call
                            and code_of(call.func.value.func) == "super"):
                        return statement, line
            return statement, None
    return None, None


def _calls_something_named_provider(klass: cst.ClassDef) -> bool:
    """Whether the class calls a function or method named like a provider (`self._setup_provider()`), which may
    create the provider where this rule cannot see."""
    for node in walk(klass):
        if type(node) is cst.Call:
            name = node.func.attr.value if type(node.func) is cst.Attribute else (
                node.func.value if type(node.func) is cst.Name else "")
            if "provider" in name.lower():
                return True
    return False


def _region_parameters(klass: cst.ClassDef) -> list[str]:
    """The region parameters of a stack's `__init__`: named for a region as a variable holding one is (`region`,
    `aws_region`, `primary_region`, `region_name`); `region` or `aws_region` alone where one of them is there. Of
    two others (`primary_region`, `replica_region`), which one the provider takes is the code's to say."""
    for statement in klass.body.body if type(klass.body) is cst.IndentedBlock else ():
        if type(statement) is cst.FunctionDef and statement.name.value == "__init__":
            params = statement.params
            named = [param.name.value for param in (*params.params, *params.kwonly_params)
                     if _REGION_VARIABLE.search(param.name.value)]
            # The provider's own keyword, bare or as the entries pass it, over the region of something else
            # (`state_bucket_region`: the backend's).
            own = [name for name in named if name in ("region", "aws_region")]
            return own if len(own) == 1 else named
    return []


def _base_name(expr: cst.BaseExpression) -> str | None:
    if type(expr) is cst.Name:
        return expr.value
    if type(expr) is cst.Attribute:
        return expr.attr.value
    return None


def _local_construct_classes(tree: cst.Module) -> set[str]:
    """Classes the file defines on Construct or TerraformStack (their calls take a scope and an id too)."""
    found = set()
    for statement in tree.body:
        if type(statement) is cst.ClassDef and any(_base_name(b.value) in ("Construct", "TerraformStack")
                                                   for b in statement.bases):
            found.add(statement.name.value)
    return found


def _scope_code(call: cst.Call) -> str | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if positional and call.args[0] is positional[0]:
        value = positional[0].value
        if type(value) in (cst.Name, cst.Attribute):
            return code_of(value)
    return None


def _id_node(call: cst.Call) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) >= 2:
        return positional[1].value
    arg = keyword_arg(call, "id")
    return arg.value if arg else None


def _binding(statement, call: cst.Call) -> str | None:
    if statement is None or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if type(small) is cst.Assign and small.value is call and len(small.targets) == 1:
        target = small.targets[0].target
    elif type(small) is cst.AnnAssign and small.value is call:
        target = small.target
    else:
        return None
    if type(target) is cst.Name or (type(target) is cst.Attribute and type(target.value) is cst.Name):
        return code_of(target)
    return None


def _reaches(provider: _Call, user: _Call) -> bool:
    """Whether code at `user` can name `provider`'s binding: a local of the same function created in an enclosing
    block, or a `self.` attribute of the same class."""
    binding = provider.binding
    if binding is None or provider.in_loop:
        return False
    if binding.startswith("self."):
        return provider.klass is not None and provider.klass is user.klass
    return provider.scope_node is user.scope_node and provider.blocks == user.blocks[:len(provider.blocks)] \
        and provider.call is not user.call


def _with_id(call: cst.Call, ident: cst.SimpleString) -> cst.Call:
    """`Provider(scope, ...)` -> `Provider(scope, "ident", ...)`, laid out like the call's own arguments."""
    args = list(call.args)
    scope = args[0]
    new = cst.Arg(value=ident)
    if len(args) == 1:
        scope_comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return call.with_changes(args=[scope.with_changes(comma=scope_comma), new.with_changes(comma=scope.comma)])
    return call.with_changes(args=[scope, new.with_changes(comma=scope.comma), *args[1:]])
