"""CDK007 list-block-dict-keys: a dict inside a list of blocks loses its snake_case keys at synth, silently.

The generated Python bindings turn a dict into its struct only where a parameter takes one block. Inside a list
(`rule=[{...}]`, `vpc=[{...}]`, or such an entry of a dict spread into the call as `**settings`), the dict reaches
jsii as a plain map, and jsii matches its keys against the struct's camelCase names: `sse_algorithm` is not
`sseAlgorithm`, so the value is dropped without a word (or synth stops on a required one). `cdk.tf.json` then holds
an empty encryption rule or lifecycle expiration. The repair writes such a dict as its struct class, keyword for
key, which the bindings convert properly.
"""

from __future__ import annotations

import ast
from typing import Callable, Iterator

import libcst as cst
from libcst.metadata import Assignment, ParentNodeProvider, ScopeProvider

from repair.provider_index import LIST, OBJECT, PACKAGE, ProviderIndex, param_shape, param_struct
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import add_import, apply_leaves, string_value
from repair.transforms._keyword_calls import jsii_name, parameter_of_key
from repair.transforms._provider_imports import provider_keywords
from repair.transforms._triggers import (CALL, LITERALS, All, Any, ProviderArgument, ProviderCall, Regex, SourceFacts,
                                         Text, Trigger, Written, ast_nodes)
from repair.transforms._triggers import LIST as WRITTEN_LIST


def _lost(key: str) -> bool:
    """Whether jsii would miss this key: it differs from the struct's camelCase property name."""
    return jsii_name(key) != key


def _entries(block: cst.Dict) -> list[tuple[str, cst.BaseExpression]]:
    return [(key, e.value) for e in block.elements
            if isinstance(e, cst.DictElement) and (key := string_value(e.key)) is not None]


def _list_of_blocks(annotation: str, value: Written) -> bool:
    """A parameter that takes a list of blocks of a struct, whatever is written for it (a list, a comprehension, a
    name holding one), except a list written out whose every entry is a struct's call or a literal."""
    if param_shape(annotation) != LIST or param_struct(annotation) is None:
        return False
    return value.kind != WRITTEN_LIST or any(
        not (entry.kind == CALL and entry.maybe_provider_class) and entry.kind not in LITERALS
        for entry in value.elements())


# A quoted key with an underscore (any other key is the same in both spellings, see `_lost`).
_SNAKE_KEY = r"""['"][^'"\n]*_[^'"\n]*['"]+[ \t]*:"""


class _DictThatLosesKeys(Trigger):
    """Where the rule may convert a dict, read with `ast` the way the rule reads libcst's tree (`_check`): from a
    keyword of a call of a provider class, through lists, comprehensions, conditional expressions and names, to a
    dict inside a list of blocks with a key jsii would drop (`_loses_keys`), at any depth of blocks. Wider than the
    rule, never narrower: a name is followed to every value any `name = value` of the module gives it (the rule
    follows a name only when it has one). Where `ast` cannot read the code, the text reading: a list of blocks given
    anything but a list of struct calls and literals (`_list_of_blocks`)."""

    def test(self, facts: SourceFacts) -> bool:
        tree = facts.tree
        if tree is None or tree.star_import:
            return ProviderArgument(_list_of_blocks).test(facts)
        index = facts.index
        module_tree = tree.module
        assigned: list[dict[str, list[ast.expr]]] = []  # read once, when a name is first met

        def values_of(name: str) -> list[ast.expr]:
            if not assigned:
                assigned.append(_ast_single_assignments(module_tree))
            return assigned[0].get(name, [])

        return any(_may_convert(keyword.value, module, class_name, keyword.arg, index, values_of)
                   for call in tree.calls for module, class_name in tree.resolve(call.func)
                   for keyword in call.keywords if keyword.arg is not None)


# How many blocks deep the trigger follows nested blocks before it says "maybe" (a struct that holds itself).
_MAX_NESTING = 32


def _may_convert(value: ast.expr, module: str, class_name: str, param: str, index: ProviderIndex,
                 values_of: Callable[[str], list[ast.expr]], nesting: int = 0) -> bool:
    """`ListBlockDictKeys._check` on `ast`: whether a dict reached from `value`, given for `param` of
    `class_name`, may be one the rule converts."""
    if nesting > _MAX_NESTING:
        return True
    info = index.param(module, class_name, param)
    if info is None or info[1] is None:
        return False
    shape, struct = info
    for block in _ast_blocks(value, values_of):
        for key, nested in zip(block.keys, block.values):
            if type(key) is ast.Constant and type(key.value) is str and _may_convert(
                    nested, module, struct, key.value, index, values_of, nesting + 1):
                return True
        if shape == LIST and _ast_loses_keys(block, module, struct, index, nesting):
            return True
    return False


def _ast_blocks(value: ast.expr, values_of: Callable[[str], list[ast.expr]], top: bool = True,
                depth: int = 0) -> Iterator[ast.Dict]:
    """`ListBlockDictKeys._blocks` on `ast`, the dicts only, a name followed to each of its values."""
    kind = type(value)
    if kind is ast.IfExp:
        yield from _ast_blocks(value.body, values_of, top, depth)
        yield from _ast_blocks(value.orelse, values_of, top, depth)
    elif kind is ast.Name:
        if depth < _MAX_INDIRECTIONS:
            for assigned in values_of(value.id):
                yield from _ast_blocks(assigned, values_of, top, depth + 1)
    elif top and kind in (ast.List, ast.Tuple):
        for element in value.elts:
            yield from _ast_blocks(element.value if type(element) is ast.Starred else element, values_of, False,
                                   depth)
    elif top and kind in (ast.ListComp, ast.GeneratorExp):
        yield from _ast_blocks(value.elt, values_of, False, depth)
    elif kind is ast.Dict:
        yield value


def _ast_loses_keys(block: ast.Dict, module: str, struct: str, index: ProviderIndex, nesting: int) -> bool:
    """`ListBlockDictKeys._loses_keys` on `ast`."""
    if nesting > _MAX_NESTING:
        return True
    for key, value in zip(block.keys, block.values):
        if type(key) is not ast.Constant or type(key.value) is not str:
            continue  # a `**spread` or a key that is not a string: the rule reads plain string keys only
        if _lost(key.value):
            return True
        info = index.param(module, struct, key.value)
        if (info and info[0] == OBJECT and info[1] and type(value) is ast.Dict
                and _ast_loses_keys(value, module, info[1], index, nesting + 1)):
            return True
    return False


def _ast_single_assignments(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """`_single_assignments` on `ast`: name -> the values of the `name = value` statements (one target)."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast_nodes(tree):
        if type(node) is ast.Assign and len(node.targets) == 1 and type(node.targets[0]) is ast.Name:
            found.setdefault(node.targets[0].id, []).append(node.value)
    return found


class ListBlockDictKeys(Rule):
    id = "CDK007"
    slug = "list-block-dict-keys"
    severity = Severity.CRITICAL
    summary = "Write a dict inside a list of blocks as its struct class, so that jsii keeps its snake_case keys."
    prevents = (
        "a block silently emptied in cdk.tf.json (rule: [{}], the encryption algorithm gone), or jsii: Missing "
        "required properties ... 'vpcId'"
    )
    doc_url = "https://github.com/aws/jsii/issues/2688"
    analysis_keywords = ("dict key", "snake_case", "snake case", "camelcase", "camel case", "serialization issue",
                         "silently dropped")
    synth_errors = (r"Missing required properties",)
    # A dict spread into a call (`**settings`, CDK006/CDK007's reach) is written out elsewhere in its function.
    triggers = All(Text(PACKAGE), Regex(_SNAKE_KEY), Any(_DictThatLosesKeys(), ProviderCall(spread=True)))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "Route53Zone(self, 'zone', name='internal', vpc=[{'vpc_id': vpc.id}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc\n"
                "Route53Zone(self, 'zone', name='internal', vpc=[Route53ZoneVpc(vpc_id=vpc.id)])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                "    S3BucketServerSideEncryptionConfigurationA,\n"
                ")\n"
                "S3BucketServerSideEncryptionConfigurationA(self, 'sse', bucket=b.id, rule=[{\n"
                "    'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms'},\n"
                "    'bucket_key_enabled': True,\n"
                "}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                "    S3BucketServerSideEncryptionConfigurationA,\n"
                "    S3BucketServerSideEncryptionConfigurationRuleA,\n"
                ")\n"
                "S3BucketServerSideEncryptionConfigurationA(self, 'sse', bucket=b.id, rule=[S3BucketServerSideEncryptionConfigurationRuleA(\n"
                "    apply_server_side_encryption_by_default={'sse_algorithm': 'aws:kms'},\n"
                "    bucket_key_enabled=True,\n"
                ")])\n"
            ),
        ),
        # Blocks built by a comprehension, chosen by a conditional expression, or held by a variable.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "Route53Zone(self, 'zone', name='internal', vpc=[{'vpc_id': v.id} for v in vpcs])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc\n"
                "Route53Zone(self, 'zone', name='internal', vpc=[Route53ZoneVpc(vpc_id=v.id) for v in vpcs])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "def zone(self, vpc, region):\n"
                "    vpcs = [{'vpc_id': vpc.id, 'vpc_region': region} if region else {'vpc_id': vpc.id}]\n"
                "    Route53Zone(self, 'zone', name='internal', vpc=vpcs)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc\n"
                "def zone(self, vpc, region):\n"
                "    vpcs = [Route53ZoneVpc(vpc_id=vpc.id, vpc_region=region) if region else Route53ZoneVpc(vpc_id=vpc.id)]\n"
                "    Route53Zone(self, 'zone', name='internal', vpc=vpcs)\n"
            ),
        ),
        # Keywords gathered in a dict written out in the function and spread into the call.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "def zone(self, vpc):\n"
                "    settings = {'name': 'internal'}\n"
                "    settings['vpc'] = [{'vpc_id': vpc.id}]\n"
                "    Route53Zone(self, 'zone', **settings)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc\n"
                "def zone(self, vpc):\n"
                "    settings = {'name': 'internal'}\n"
                "    settings['vpc'] = [Route53ZoneVpc(vpc_id=vpc.id)]\n"
                "    Route53Zone(self, 'zone', **settings)\n"
            ),
        ),
        # A variable read twice is left alone: its dicts may be blocks of two different structs.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "def zones(self, vpc):\n"
                "    vpcs = [{'vpc_id': vpc.id}]\n"
                "    Route53Zone(self, 'a', name='a.internal', vpc=vpcs)\n"
                "    print(vpcs)\n"
            ),
        ),
        # camelCase keys are the names jsii reads in such a map: right as they are.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "SecurityGroup(self, 'sg', egress=[{'fromPort': 0, 'toPort': 0, 'protocol': '-1',\n"
                "                                   'cidrBlocks': ['0.0.0.0/0']}])\n"
            ),
        ),
        # A dict mixing both spellings: the struct's keyword for each.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "SecurityGroup(self, 'sg', egress=[{'from_port': 0, 'toPort': 0, 'protocol': '-1'}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress\n"
                "SecurityGroup(self, 'sg', egress=[SecurityGroupEgress(from_port=0, to_port=0, protocol='-1')])\n"
            ),
        ),
        # Single-word keys are the same in both spellings: jsii reads them, nothing to change.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[{'id': 'x', 'status': 'Enabled',\n"
                "                                                             'filter': [{'prefix': 'tmp/'}]}])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._bindings = self.provider_imports.copy()  # extended with the structs this rule imports
        # dict -> the struct class name to write it as, and the keyword each key becomes
        self._convert: dict[cst.Dict, tuple[str, dict[str, str]]] = {}
        self._imports: list[tuple[str, str]] = []  # (module, struct) the file must import
        # name -> the values `name = value` statements assign it anywhere, read on first need.
        self._assigned: dict[str, list[cst.BaseExpression]] | None = None
        for module, class_name, param, value in provider_keywords(tree, self._bindings):
            self._check(value, module, class_name, param)
        if not self._convert:
            return tree
        tree = apply_leaves(tree, {block: (lambda updated, struct=struct, names=names: _as_struct_call(updated, struct,
                                                                                                      names))
                                   for block, (struct, names) in self._convert.items()})
        for module, struct in self._imports:
            tree = add_import(self.context, tree, f"{PACKAGE}.{module}", struct)
        return tree

    def _check(self, value: cst.BaseExpression, module: str, class_name: str, param: str) -> None:
        info = self._index.param(module, class_name, param)
        if info is None or info[1] is None:
            return
        shape, struct = info
        for block in self._blocks(value):
            if not isinstance(block, cst.Dict):
                continue
            for key, nested in _entries(block):
                self._check(nested, module, struct, key)
            if shape == LIST and self._loses_keys(block, module, struct):
                self._plan(block, module, struct)

    def _blocks(self, value: cst.BaseExpression, top: bool = True, depth: int = 0) -> list[cst.BaseExpression]:
        """The blocks a value passes: the items of a list or tuple, the item a comprehension builds, both branches
        of a conditional expression, and what a variable holds when it is assigned once and read only here."""
        if isinstance(value, cst.IfExp):
            return self._blocks(value.body, top, depth) + self._blocks(value.orelse, top, depth)
        if isinstance(value, cst.Name) and depth < _MAX_INDIRECTIONS:
            if not self._may_pass_dicts(value, top, depth):
                return [value]  # no assignment anywhere gives it a dict: no scope analysis needed to know
            assigned = self._only_value(value)
            return [value] if assigned is None else self._blocks(assigned, top, depth + 1)
        if top and isinstance(value, (cst.List, cst.Tuple)):
            return [b for element in value.elements for b in self._blocks(element.value, False, depth)]
        if top and isinstance(value, (cst.ListComp, cst.GeneratorExp)):
            return self._blocks(value.elt, False, depth)
        return [value]

    def _only_value(self, name: cst.Name) -> cst.BaseExpression | None:
        """The value of `name = value` when that is the name's only assignment in its scope and this read its only
        use (so that writing the value's dicts as structs changes nothing else)."""
        scope = self.node_metadata(ScopeProvider, name)
        if scope is None:
            return None
        assignments = list(scope.assignments[name.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return None
        references = list(assignments[0].references)
        if len(references) != 1 or references[0].node is not name:
            return None
        target = self.node_metadata(ParentNodeProvider, assignments[0].node)
        statement = self.node_metadata(ParentNodeProvider, target) if isinstance(target, cst.AssignTarget) else None
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        return statement.value

    def _may_pass_dicts(self, value: cst.BaseExpression, top: bool, depth: int) -> bool:
        """Whether `_blocks` could find a dict in `value` when a name stands for any value assigned to it in the
        file (blind to scopes, so cheap): where it could not, it cannot with the scopes either."""
        if isinstance(value, cst.IfExp):
            return self._may_pass_dicts(value.body, top, depth) or self._may_pass_dicts(value.orelse, top, depth)
        if isinstance(value, cst.Name) and depth < _MAX_INDIRECTIONS:
            if self._assigned is None:
                self._assigned = _single_assignments(self.context.wrapper.module)
            return any(self._may_pass_dicts(v, top, depth + 1) for v in self._assigned.get(value.value, ()))
        if top and isinstance(value, (cst.List, cst.Tuple)):
            return any(self._may_pass_dicts(e.value, False, depth) for e in value.elements)
        if top and isinstance(value, (cst.ListComp, cst.GeneratorExp)):
            return self._may_pass_dicts(value.elt, False, depth)
        return isinstance(value, cst.Dict)

    def _loses_keys(self, block: cst.Dict, module: str, struct: str) -> bool:
        """Whether jsii would drop a key of this map: one of its own, or of a single-block dict inside it (the
        bindings convert those only when their parent is a struct)."""
        for key, value in _entries(block):
            info = self._index.param(module, struct, key)
            if _lost(key) or (info and info[0] == OBJECT and info[1] and isinstance(value, cst.Dict)
                              and self._loses_keys(value, module, info[1])):
                return True
        return False

    def _plan(self, block: cst.Dict, module: str, struct: str) -> None:
        keys = [string_value(e.key) if isinstance(e, cst.DictElement) else None for e in block.elements]
        params = self._index.module(module)["params"].get(struct, {})
        unknown = [k for k in keys if k is None or parameter_of_key(k, params) is None]
        lost = ", ".join(k for k in keys if k and _lost(k)) or "in a nested block"
        where = f"a {struct} block inside a list"
        if unknown or any(isinstance(e, cst.StarredDictElement) for e in block.elements):
            self.report(block, f"{where}: jsii drops its snake_case keys ({lost}), and it cannot be written as "
                        f"{struct}(...) (not parameters: {', '.join(map(str, unknown)) or '**'})", fixed=False)
            return
        local = self._local_name(module, struct)
        if local is None:
            self.report(block, f"{where}: jsii drops its snake_case keys ({lost}); the name {struct} is taken here, "
                        "write the struct by hand", fixed=False)
            return
        if self.report(block, f"{where}: jsii would silently drop its snake_case keys ({lost}); written as "
                       f"{struct}(...)"):
            self._convert[block] = (local, {k: parameter_of_key(k, params) for k in keys})

    def _local_name(self, module: str, struct: str) -> str | None:
        return self._bindings.import_name(module, struct, self._imports)

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        # The visible trace of the silent failure: a block of a list whose every setting was dropped.
        findings = []
        resources = stack.get("resource", {})
        for name, body in resources.get("aws_s3_bucket_server_side_encryption_configuration", {}).items():
            for position, rule in enumerate(body.get("rule", []) or []):
                if rule == {}:
                    findings.append(JsonFinding(cls.id, f"aws_s3_bucket_server_side_encryption_configuration.{name}",
                                                f"rule[{position}] is empty: its settings were lost (a dict with "
                                                "snake_case keys inside a list)"))
        return findings

# How many variables deep a value is followed (`rules = base_rules`, `base_rules = [...]`).
_MAX_INDIRECTIONS = 3


# The fields of statements that hold statements (a walk through them never enters an expression).
_STATEMENT_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def _single_assignments(tree: cst.Module) -> dict[str, list[cst.BaseExpression]]:
    """name -> the values of the `name = value` statements (one target) anywhere in the module: only such a name can
    have one known value (`_only_value`)."""
    found: dict[str, list[cst.BaseExpression]] = {}
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        if type(node) is cst.Assign:
            if len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
                found.setdefault(node.targets[0].target.value, []).append(node.value)
            continue
        for name in _STATEMENT_FIELDS:
            value = getattr(node, name, None)
            if isinstance(value, (list, tuple)):
                stack.extend(value)
            elif isinstance(value, cst.CSTNode):
                stack.append(value)
    return found


def _as_struct_call(block: cst.Dict, struct: str, names: dict[str, str]) -> cst.Call:
    """`{'a_b': 1, 'cD': x}` -> `Struct(a_b=1, c_d=x)` (`names`: key -> keyword), keeping each entry's value, comma
    and line breaks."""
    elements = list(block.elements)
    args = []
    for position, element in enumerate(elements):
        last = position == len(elements) - 1
        args.append(cst.Arg(
            keyword=cst.Name(names[string_value(element.key)]),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
            value=element.value,
            comma=element.comma,
            whitespace_after_arg=block.rbrace.whitespace_before if last else cst.SimpleWhitespace(""),
        ))
    return cst.Call(func=cst.parse_expression(struct), args=args, whitespace_before_args=block.lbrace.whitespace_after,
                    lpar=block.lpar, rpar=block.rpar)
