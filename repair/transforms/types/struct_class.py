"""CDK012 struct-class: a struct passed under a name that is not the type of the parameter it is given to.

Models name nested blocks by guessing the generator's pattern (`LaunchTemplateTagSpecificationConfig` for what
the provider calls `LaunchTemplateTagSpecifications`), or reuse a real struct of another block
(`BackupPlanRuleLifecycle` for a copy action's `BackupPlanRuleCopyActionLifecycle`): an ImportError, or a TypeError
from the bindings' type check. The parameter's declared type in the installed provider names the one class the
value can be, so the call is renamed to it and the imports follow; a block's own nested struct given for the block
(`destination_config=...DestinationConfigOnFailure(...)`) is wrapped in the block, as the one parameter of the
block that takes it. Two shapes of invented struct have no class at
all: a block that the provider spells as plain arguments of its parent (DynamoDB's `stream_specification`, really
`stream_enabled` and `stream_view_type` on the table) is flattened into the parent; and a JSON-string parameter
(ECS `container_definitions`) given invented struct objects is given their JSON. An invented name that nothing
uses is dropped from its import. Names that the provider's own naming resolves (jsii's `A` suffix, another
module) are CDK001's; this rule runs first and decides by usage, so the two never disagree.
"""

from __future__ import annotations

import ast

import libcst as cst

from repair.provider_index import LIST, PACKAGE, param_shape, param_struct
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of
from repair.transforms._provider_names import resolve as resolve_by_name
from repair.transforms._structs import (
    TypedArg, add_module_import, binds_module, calls_to_dicts, droppable, elements_of, is_struct_class,
    keywords_only, name_reads, provider_from_imports, python_param, struct_calls_in, tidy_imports, typed_args,
)
from repair.transforms._triggers import (Any, CodeTree, ImportsUnknownName, ProviderArgument, SourceFacts, Trigger,
                                        Written)

_JSON_STRING = ("builtins.str", "typing.Optional[builtins.str]")


def struct_elsewhere(annotation: str, value: Written) -> bool:
    """A call that may be of a provider struct, given (alone or in a list) to a parameter declared with another
    struct."""
    struct = param_struct(annotation)
    return struct is not None and any(
        v.maybe_provider_class and (v.name is None or v.name.rpartition(".")[2] != struct)
        for v in (value, *value.elements()))


class _StructElsewhere(Trigger):
    """Where `_retype` may find a struct under another name, read with `ast` as `typed_args` reads the file: a
    provider call given, for a parameter declared with a struct, a call (alone or in a list) of some other provider
    name; the calls and dicts at such places are read as that struct, at any depth. Where `ast` cannot read the
    code, the text's reading (`struct_elsewhere`)."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        tree = facts.tree
        if tree is None:
            return ProviderArgument(struct_elsewhere).test(facts)
        index = facts.index
        for call in tree.calls:
            for module, name in tree.resolve(call.func):
                if self._call(tree, index, call, module, name):
                    return True
        return False

    def _call(self, tree: CodeTree, index, call: ast.Call, module: str, class_name: str) -> bool:
        params = index.params(module, class_name)
        return params is not None and any(
            self._value(tree, index, k.value, module, params.get(k.arg)) for k in call.keywords if k.arg is not None)

    def _value(self, tree: CodeTree, index, value: ast.expr, module: str, annotation: str | None) -> bool:
        struct = param_struct(annotation) if annotation else None
        if struct is None:
            return False
        items = [e for e in value.elts if type(e) is not ast.Starred] if type(value) in (ast.List, ast.Tuple) \
            else [value]
        for item in items:
            if type(item) is ast.Call:
                targets = tree.resolve(item.func)
                if any(name != struct for _, name in targets):
                    return True
                if targets and self._call(tree, index, item, module, struct):
                    return True
            elif type(item) is ast.Dict:
                fields = index.params(module, struct) or {}
                for key, entry in zip(item.keys, item.values):
                    if type(key) is ast.Constant and type(key.value) is str and self._value(
                            tree, index, entry, module, fields.get(python_param(key.value))):
                        return True
        return False


class StructClass(Rule):
    id = "CDK012"
    slug = "struct-class"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    summary = ("Call each struct by the class its parameter is declared with; an invented struct of the parent's "
               "own arguments, or of a JSON string, becomes those arguments or that JSON; unused invented imports go.")
    prevents = (
        "ImportError: cannot import name 'LaunchTemplateTagSpecificationConfig' from "
        "'cdktf_cdktf_provider_aws.launch_template', or TypeError: type of argument lifecycle must be one of "
        "(BackupPlanRuleCopyActionLifecycle, Dict[str, Any], NoneType); got BackupPlanRuleLifecycle instead"
    )
    # A struct of another block (the bindings' type check names both classes). An invented name's ImportError reads
    # like any unknown name's: CDK001 claims those.
    synth_errors = (r"^TypeError: type of argument \w+ must be one of \(cdktf_cdktf_provider_aws\.[\w.]+, .*\); "
                    r"got cdktf_cdktf_provider_aws\.\w+\.\w+ instead",)
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/launchTemplate.python.md"
    analysis_keywords = ("struct", "policy class", "config class", "lifecycle type", "wrong class", "nested class")
    # An invented name is one the provider does not export; a real struct can only be misplaced at a keyword some
    # class of its module types with another struct.
    triggers = Any(ImportsUnknownName(), _StructElsewhere())

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateTagSpecificationConfig\n"
                "LaunchTemplate(self, 'lt', tag_specifications=[\n"
                "    LaunchTemplateTagSpecificationConfig(resource_type='instance', tags={'Name': 'web'}),\n"
                "])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateTagSpecifications\n"
                "LaunchTemplate(self, 'lt', tag_specifications=[\n"
                "    LaunchTemplateTagSpecifications(resource_type='instance', tags={'Name': 'web'}),\n"
                "])\n"
            ),
        ),
        # A real struct of another block: renamed where it is misplaced, kept where it belongs.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.backup_plan import BackupPlan, BackupPlanRule, BackupPlanRuleCopyAction, "
                "BackupPlanRuleLifecycle\n"
                "BackupPlan(self, 'plan', name='p', rule=[BackupPlanRule(\n"
                "    rule_name='daily', target_vault_name=vault.name,\n"
                "    lifecycle=BackupPlanRuleLifecycle(delete_after=7),\n"
                "    copy_action=[BackupPlanRuleCopyAction(destination_vault_arn=dr.arn,\n"
                "                                          lifecycle=BackupPlanRuleLifecycle(delete_after=7))],\n"
                ")])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.backup_plan import BackupPlan, BackupPlanRule, BackupPlanRuleCopyAction, "
                "BackupPlanRuleLifecycle, BackupPlanRuleCopyActionLifecycle\n"
                "BackupPlan(self, 'plan', name='p', rule=[BackupPlanRule(\n"
                "    rule_name='daily', target_vault_name=vault.name,\n"
                "    lifecycle=BackupPlanRuleLifecycle(delete_after=7),\n"
                "    copy_action=[BackupPlanRuleCopyAction(destination_vault_arn=dr.arn,\n"
                "                                          lifecycle=BackupPlanRuleCopyActionLifecycle(delete_after=7))],\n"
                ")])\n"
            ),
        ),
        # A block's nested struct given for the block: wrapped in the block, as its one parameter of that type.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_event_source_mapping import (\n"
                "    LambdaEventSourceMapping, LambdaEventSourceMappingDestinationConfigOnFailure)\n"
                "LambdaEventSourceMapping(self, 'm', event_source_arn=stream.arn, function_name=fn.arn,\n"
                "    destination_config=LambdaEventSourceMappingDestinationConfigOnFailure(destination_arn=dlq.arn))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_event_source_mapping import (\n"
                "    LambdaEventSourceMapping, LambdaEventSourceMappingDestinationConfigOnFailure, "
                "LambdaEventSourceMappingDestinationConfig)\n"
                "LambdaEventSourceMapping(self, 'm', event_source_arn=stream.arn, function_name=fn.arn,\n"
                "    destination_config=LambdaEventSourceMappingDestinationConfig(on_failure=LambdaEventSourceMappingDestinationConfigOnFailure(destination_arn=dlq.arn)))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableStreamSpecification\n"
                "DynamodbTable(self, 't', name='orders', hash_key='id',\n"
                "              stream_specification=DynamodbTableStreamSpecification(stream_enabled=True,\n"
                "                                                                    stream_view_type='NEW_IMAGE'))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable\n"
                "DynamodbTable(self, 't', name='orders', hash_key='id',\n"
                "              stream_enabled=True,\n"
                "              stream_view_type='NEW_IMAGE')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.ecs_task_definition import (\n"
                "    EcsTaskDefinition,\n"
                "    EcsTaskDefinitionContainerDefinitions,\n"
                ")\n"
                "EcsTaskDefinition(self, 'task', family='api', container_definitions=[\n"
                "    EcsTaskDefinitionContainerDefinitions(name='api', image='nginx', essential=True),\n"
                "])\n"
            ),
            after=(
                "import json\n"
                "from cdktf_cdktf_provider_aws.ecs_task_definition import (\n"
                "    EcsTaskDefinition,\n"
                ")\n"
                "EcsTaskDefinition(self, 'task', family='api', container_definitions=json.dumps([\n"
                "    {\"name\": 'api', \"image\": 'nginx', \"essential\": True},\n"
                "]))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.cloudfront_distribution import (\n"
                "    CloudfrontDistribution,\n"
                "    CloudfrontDistributionDefaultRootObject,\n"
                ")\n"
                "CloudfrontDistribution(self, 'cdn', enabled=True, default_root_object='index.html')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.cloudfront_distribution import (\n"
                "    CloudfrontDistribution,\n"
                ")\n"
                "CloudfrontDistribution(self, 'cdn', enabled=True, default_root_object='index.html')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateTagSpecifications\n"
                "LaunchTemplate(self, 'lt', tag_specifications=[LaunchTemplateTagSpecifications(resource_type='volume')])\n"
            ),
        ),
        # Names the provider's own naming resolves are CDK001's (the A suffix), even when unused.
        Example(before="from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\n"),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._tree = tree
        shared = self.provider_imports
        # A copy: the struct names this rule plans to import are bound in it before they are written.
        self._bindings = shared.copy()
        self._edits: dict[cst.CSTNode, object] = {}
        self._needed: list[tuple[str, str]] = []  # (module, struct) the file must import
        self._touched: set[str] = set()  # local names some of whose uses were edited away
        self._needs_json = False
        for arg in typed_args(tree, self._bindings, self._index):
            if arg.annotation is None:
                self._flatten(arg)
            elif param_struct(arg.annotation) is not None:
                self._retype(arg, param_struct(arg.annotation))
            elif arg.annotation in _JSON_STRING:
                self._as_json(arg)
        self._drop_unused_invented(tree)
        if not self._edits and not self._touched:
            return tree
        tree = apply_leaves(tree, self._edits)
        tree = tidy_imports(self.context, tree, self._needed, self._touched)
        if self._needs_json and binds_module(tree, "json") is None:
            tree = add_module_import(tree, "json")
        return tree

    # -- a struct under another name ---------------------------------------------------------------------------
    def _retype(self, arg: TypedArg, struct: str) -> None:
        for item in elements_of(arg.value):
            if not isinstance(item, cst.Call):
                continue
            target = self._bindings.resolve(item.func)
            if target is None or target == (arg.module, struct) or target[1] == struct:
                continue  # the right class (or the right name in the wrong module: CDK001 moves the import)
            module, name = target
            if not is_struct_class(self._index, module, name):
                continue
            exists = name in self._index.exports(module)
            by_name = None if exists else resolve_by_name(self._index, module, name)
            if by_name is not None and (by_name.module, by_name.name) == (arg.module, struct):
                continue  # the provider's naming alone gives this name (jsii's A suffix): CDK001's repair
            where = f"{arg.owner_class}.{arg.param}"
            problem = (f"{name} is not the type of {where}, which takes {struct}" if exists else
                       f"{name} does not exist in {PACKAGE}.{module}; {where} takes {struct}")
            params = self._index.params(arg.module, struct) or {}
            unknown = [code_of(a.keyword) if a.keyword else "*" for a in item.args
                       if a.keyword is None or a.star or a.keyword.value not in params]
            if unknown:
                if exists and self._wrap_in_parent(arg, item, name, struct, problem):
                    continue
                self.report(item, f"{problem}, which has no parameter {', '.join(unknown)}", fixed=False)
                continue
            local = self._local_name(arg.module, struct)
            if local is None:
                self.report(item, f"{problem}; the name {struct} is taken here, write it by hand", fixed=False)
                continue
            if self.report(item, f"{problem}: written as {struct}(...)"):
                self._edits[item.func] = lambda updated, local=local: cst.parse_expression(local)
                if isinstance(item.func, cst.Name):
                    self._touched.add(item.func.value)

    def _wrap_in_parent(self, arg: TypedArg, item: cst.Call, name: str, struct: str, problem: str) -> bool:
        """A block's nested struct given for the block itself (`destination_config=...DestinationConfigOnSuccess(
        destination=arn)`): when exactly one parameter of the expected struct takes the given class, the value is
        that parameter of the expected struct (`...DestinationConfig(on_success=...OnSuccess(destination=arn))`)."""
        params = self._index.params(arg.module, struct) or {}
        holders = [(param, annotation) for param, annotation in params.items() if param_struct(annotation) == name]
        if len(holders) != 1 or self._bindings.resolve(item.func) != (arg.module, name):
            return False
        (param, annotation), = holders
        local = self._local_name(arg.module, struct)
        if local is None:
            return False
        if not self.report(item, f"{problem}; {name} is its parameter {param}: written as {struct}({param}=...)"):
            return True
        as_list = param_shape(annotation) == LIST

        def wrapped(updated: cst.Call, local=local, param=param, as_list=as_list) -> cst.Call:
            value = cst.List([cst.Element(updated)]) if as_list else updated
            return cst.Call(cst.parse_expression(local), [cst.Arg(value, keyword=cst.Name(param),
                                                                  equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                                                        cst.SimpleWhitespace("")))])
        self._edits[item] = wrapped
        return True

    def _local_name(self, module: str, struct: str) -> str | None:
        return self._bindings.import_name(module, struct, self._needed)

    # -- a struct of what are the parent's own arguments ------------------------------------------------------
    def _flatten(self, arg: TypedArg) -> None:
        if not isinstance(arg.owner, cst.Call):
            return
        value = arg.value
        if not isinstance(value, cst.Call):
            return
        target = self._bindings.resolve(value.func)
        if target is None or target[1] in self._index.exports(target[0]) or not keywords_only(value):
            return  # only an invented struct's keywords can be the parent's own
        keys = [a.keyword.value for a in value.args]
        params = self._index.params(arg.module, arg.owner_class) or {}
        given = {a.keyword.value for a in arg.owner.args if a.keyword is not None}
        if not keys or any(k not in params or k in given for k in keys) or len(set(keys)) != len(keys):
            return
        message = (f"{arg.owner_class} has no parameter {arg.param}; {', '.join(keys)} are its own parameters: "
                   "passed to it directly")
        if not self.report(arg.value, message):
            return
        position = arg.position
        self._edits[arg.owner] = lambda updated, position=position: _flattened(updated, position)
        if isinstance(value.func, cst.Name):
            self._touched.add(value.func.value)

    # -- invented structs for a JSON string ---------------------------------------------------------------------
    def _as_json(self, arg: TypedArg) -> None:
        value = arg.value
        items = elements_of(value)
        calls = [i for i in items if isinstance(i, cst.Call)]
        if not calls or not all(isinstance(i, (cst.Call, cst.Dict)) for i in items):
            return
        struct_calls = []
        for call in calls:
            target = self._bindings.resolve(call.func)
            if target is None or not is_struct_class(self._index, *target):
                return
            struct_calls.append(call)
        if all(target[1] in self._index.exports(target[0])
               for target in map(self._bindings.resolve, (c.func for c in struct_calls))):
            return  # real structs where a string goes: a mistake of another kind than invented struct objects
        nested = struct_calls_in(value, self._bindings, self._index)
        where = f"{arg.owner_class}.{arg.param} is a JSON string"
        if any(not keywords_only(c) for c in nested):
            self.report(value, f"{where}; these struct objects take positional arguments and cannot be written "
                        "as its JSON", fixed=False)
            return
        if binds_module(self._tree, "json") == "other":
            self.report(value, f"{where}; `json` means something else in this file, write json.dumps by hand",
                        fixed=False)
            return
        names = ", ".join(dict.fromkeys(code_of(c.func) for c in struct_calls))
        if not self.report(value, f"{where}, not {names} objects: written as json.dumps of their keys"):
            return
        convert = set(nested)
        wrap_in_list = not isinstance(value, (cst.List, cst.Tuple))
        self._edits[value] = lambda updated, convert=convert, wrap=wrap_in_list: _json_dumps(
            calls_to_dicts(value, convert), wrap)
        self._needs_json = True
        for call in nested:
            if isinstance(call.func, cst.Name):
                self._touched.add(call.func.value)

    # -- invented names nothing uses ----------------------------------------------------------------------------
    def _drop_unused_invented(self, tree: cst.Module) -> None:
        imported = [i for i in provider_from_imports(tree) if i.name not in self._index.exports(i.module)]
        if not imported:
            return
        reads = name_reads(tree)
        unused = {i.local for i in imported if not reads.get(i.local)}
        removable = droppable(tree, unused)
        for item in imported:
            if item.local not in removable:
                continue
            resolution = resolve_by_name(self._index, item.module, item.name)
            if resolution is None or resolution.name is not None:
                continue  # CDK001 knows its real name
            if self.report(item.alias, f"{item.name} is not exported by {PACKAGE}.{item.module} "
                           f"({resolution.reason}) and nothing uses it: import removed"):
                self._touched.add(item.local)


def _flattened(call: cst.Call, position: int) -> cst.Call:
    """`call` with its argument at `position` (a struct call) replaced by that struct's own arguments."""
    args = list(call.args)
    replaced = args[position]
    inner = replaced.value
    new_args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace(""))
                for a in inner.args]
    separators = [a.comma for a in inner.args[:-1]]
    # Between the new arguments: the separator the parent's arguments use (the one after the replaced argument,
    # else the one before it), else the struct's own; after the last: what the replaced argument had.
    if position + 1 < len(args) and isinstance(replaced.comma, cst.Comma):
        separators = [replaced.comma] * len(separators)
    elif position > 0 and isinstance(args[position - 1].comma, cst.Comma):
        separators = [args[position - 1].comma] * len(separators)
    for index, separator in enumerate(separators):
        new_args[index] = new_args[index].with_changes(comma=separator)
    new_args[-1] = new_args[-1].with_changes(comma=replaced.comma, whitespace_after_arg=replaced.whitespace_after_arg)
    return call.with_changes(args=args[:position] + new_args + args[position + 1:])


def _json_dumps(value: cst.BaseExpression, wrap_in_list: bool) -> cst.Call:
    if wrap_in_list:
        value = cst.List([cst.Element(value)])
    return cst.Call(func=cst.parse_expression("json.dumps"), args=[cst.Arg(value)])
