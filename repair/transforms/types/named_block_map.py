"""CDK029 named-block-map: blocks written as a map keyed by their name, or key/value blocks written as a map.

CloudFormation and the AWS APIs key some collections by name (a FIS experiment template's `actions` and
`targets`, an action's `parameters`); Terraform writes them as repeated blocks that carry the name inside:
`action { name = "stop-instances" ... }`, `parameter { key = "duration" value = "PT5M" }`, a CodeBuild `environment_variable { name = "STAGE" value = "prod" }`.
Answers keep the map: `action={"stop-instances": FisExperimentTemplateAction(...)}`, `parameter={"duration": "PT5M"}`,
`environment_variable={"STAGE": "prod"}`. The bindings read
the dict as one block whose keys are arguments, and synth stops at a TypeError (`missing 1 required keyword-only
argument: 'name'`, or an unexpected keyword argument named after the map's key).

The installed signature tells the two shapes apart. A dict given for a block, none of whose keys is an argument of
the block's struct, is a map of named blocks when the struct takes a `name` and every value is such a block (a call
of the struct or a dict of its arguments) without one: it becomes the list of those blocks, each given its key as
`name`. It is a map of key/value blocks when the struct takes a `value` and a `key` (or a `name`), requires nothing
else, and every value is plain: it becomes the list of `{"key": ..., "value": ...}` blocks. A block the provider takes only once can be written so
only from a map of one entry. Anything else is left to CDK006 and CDK011.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import LIST, param_shape, param_struct, required_params, settable_params
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import add_keyword_arg, append_items, apply_leaves, string_value
from repair.transforms._keyword_calls import called_as_its_kind, keyword_args, provider_calls, renamed_name
from repair.transforms._triggers import UnknownKey

NAMED = "named"  # a map of named blocks; otherwise the kind is the field a key/value block names its key with


class NamedBlockMap(Rule):
    id = "CDK029"
    slug = "named-block-map"
    severity = Severity.CRITICAL
    # Before CDK006 would wrap the map in a list as one block, and before CDK007 reads its keys.
    phase = Phase.STRUCTURE
    summary = ("Write a map of blocks keyed by their name (or of keys to values) as the list of blocks the provider "
               "takes, each with its `name` (or its `key`/`name` and `value`).")
    prevents = ("TypeError: FisExperimentTemplateAction.__init__() missing 1 required keyword-only argument: 'name' "
                "(cdktf synth fails)")
    prevents_template = ("TypeError: {class_name}.__init__() missing 1 required keyword-only argument, or got an "
                         "unexpected keyword argument '{key}' (cdktf synth fails)")
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/fis_experiment_template"
    synth_errors = (r"^TypeError: \w+\.__init__\(\) missing \d+ required keyword-only arguments?: 'name'",)
    analysis_keywords = ("dict instead of list", "map of blocks", "blocks as dict", "dictionary of blocks")
    # A dict written for a block none of whose keys the block's struct takes.
    triggers = UnknownKey(every=True)

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.fis_experiment_template import FisExperimentTemplate, "
                "FisExperimentTemplateAction\n"
                "FisExperimentTemplate(self, 'az', description='az', role_arn=role.arn, stop_condition=[stop],\n"
                "    action={'stop-instances': FisExperimentTemplateAction(\n"
                "        action_id='aws:ec2:stop-instances', parameter={'startInstancesAfterDuration': 'PT5M'},\n"
                "        target={'Instances': 'web'})},\n"
                "    target={'web': {'resource_type': 'aws:ec2:instance', 'selection_mode': 'ALL'}})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.fis_experiment_template import FisExperimentTemplate, "
                "FisExperimentTemplateAction\n"
                "FisExperimentTemplate(self, 'az', description='az', role_arn=role.arn, stop_condition=[stop],\n"
                "    action=[FisExperimentTemplateAction(\n"
                "        action_id='aws:ec2:stop-instances', parameter=[{'key': 'startInstancesAfterDuration', "
                "'value': 'PT5M'}],\n"
                "        target={'key': 'Instances', 'value': 'web'},\n"
                "        name='stop-instances')],\n"
                "    target=[{'resource_type': 'aws:ec2:instance', 'selection_mode': 'ALL', 'name': 'web'}])\n"
            ),
        ),
        # Valid: the blocks as the provider takes them, and a map given where the provider takes a map.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.fis_experiment_template import FisExperimentTemplate\n"
                "FisExperimentTemplate(self, 'az', description='az', role_arn=role.arn, stop_condition=[stop],\n"
                "    action=[{'name': 'stop', 'action_id': 'aws:ec2:stop-instances'}],\n"
                "    target=[{'name': 'web', 'resource_type': 'aws:ec2:instance', 'selection_mode': 'ALL',\n"
                "             'parameters': {'availabilityZoneIdentifier': 'use1-az1'}}])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._edits: dict[cst.CSTNode, object] = {}
        for call, module, class_name, params in provider_calls(self):
            if called_as_its_kind(call, params):
                for arg in keyword_args(call):
                    self._check(arg.value, module, class_name, arg.keyword.value, params.get(arg.keyword.value))
        return apply_leaves(tree, self._edits) if self._edits else tree

    def _check(self, value: cst.BaseExpression, module: str, owner: str, name: str, annotation: str | None) -> None:
        """A block argument's value: a map to rewrite, or dicts whose own keys may hold one (struct calls are
        provider calls, checked on their own)."""
        struct = param_struct(annotation) if annotation else None
        params = self._index.params(module, struct) if struct else None
        if params is None:
            return
        shape = param_shape(annotation)
        if isinstance(value, cst.Dict):
            kind = self._map_kind(value, module, struct, params)
            if kind is not None and (shape == LIST or len(value.elements) == 1):
                blocks = f"{struct} block{'s' if shape == LIST else ''}"
                what = (f"a map of {struct} blocks keyed by their name: written as the blocks, each with its name"
                        if kind == NAMED else f"a map of keys to values: written as {blocks} of {kind} and value")
                first = string_value(value.elements[0].key)
                if self.report(value, f"{owner}.{name} takes {'a list of ' if shape == LIST else 'one '}{struct} "
                               f"block{'s' if shape == LIST else ''}, and this is {what}",
                               facts={"class_name": struct, "key": first or ""}):
                    self._edits[value] = (lambda updated, kind=kind, many=shape == LIST:
                                          _rewritten(updated, kind, many))
                    for element in value.elements:  # the blocks inside may hold maps of their own
                        if kind == NAMED and isinstance(element.value, cst.Dict):
                            self._check_keys(element.value, module, struct, params)
                return
            self._check_keys(value, module, struct, params)
        elif isinstance(value, (cst.List, cst.Tuple)):
            for element in value.elements:
                if isinstance(element.value, cst.Dict):
                    self._check_keys(element.value, module, struct, params)

    def _check_keys(self, block: cst.Dict, module: str, struct: str, params: dict[str, str]) -> None:
        for element in block.elements:
            key = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key in params:
                self._check(element.value, module, struct, key, params[key])

    def _map_kind(self, value: cst.Dict, module: str, struct: str, params: dict[str, str]) -> str | None:
        elements = value.elements
        if not elements or not all(isinstance(e, cst.DictElement) for e in elements):
            return None
        keys = [string_value(e.key) for e in elements]
        if any(k is None or k in params for k in keys):
            return None  # one block written as a dict of its arguments
        settable = set(settable_params(params))
        if "name" in settable and all(self._unnamed_block(e.value, module, struct, params) for e in elements):
            return NAMED
        required = set(required_params(params))
        for naming in ("key", "name"):
            if {naming, "value"} <= settable and required <= {naming, "value"} and all(_plain(e.value)
                                                                                     for e in elements):
                return naming
        return None

    def _unnamed_block(self, value: cst.BaseExpression, module: str, struct: str, params: dict[str, str]) -> bool:
        """A call of the struct, or a dict of its arguments, that gives no name."""
        if isinstance(value, cst.Call):
            return (self.provider_imports.resolve(value.func) == (module, struct)
                    and all(a.keyword is not None and a.keyword.value != "name" for a in value.args))
        if isinstance(value, cst.Dict):
            keys = [string_value(e.key) if isinstance(e, cst.DictElement) else None for e in value.elements]
            return bool(keys) and all(k is not None and k != "name" and k in params for k in keys)
        return False


def _plain(value: cst.BaseExpression) -> bool:
    return not isinstance(value, (cst.Dict, cst.List, cst.Tuple, cst.Set, cst.Call, cst.DictComp, cst.ListComp))


def _rewritten(value: cst.Dict, kind: str, many: bool) -> cst.BaseExpression:
    blocks = []
    for element in value.elements:
        key = element.key
        if kind == NAMED:
            block = element.value
            if isinstance(block, cst.Call):
                block = add_keyword_arg(block, "name", key)
            else:
                entry = cst.DictElement(key=renamed_name(key, "name"), value=key,
                                        whitespace_after_colon=element.whitespace_after_colon)
                block = block.with_changes(elements=append_items(block.elements, [entry], block.lbrace.whitespace_after))
        else:
            space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            block = cst.Dict([
                cst.DictElement(key=renamed_name(key, kind), value=key, comma=space,
                                whitespace_after_colon=element.whitespace_after_colon),
                cst.DictElement(key=renamed_name(key, "value"), value=element.value,
                                whitespace_after_colon=element.whitespace_after_colon),
            ])
        blocks.append(block)
    if not many:
        return blocks[0].with_changes(lpar=value.lpar, rpar=value.rpar)
    return cst.List(
        elements=[cst.Element(value=block, comma=element.comma) for block, element in zip(blocks, value.elements)],
        lbracket=cst.LeftSquareBracket(whitespace_after=value.lbrace.whitespace_after),
        rbracket=cst.RightSquareBracket(whitespace_before=value.rbrace.whitespace_before),
        lpar=value.lpar, rpar=value.rpar,
    )
