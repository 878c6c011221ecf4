"""The calls of provider classes in a file, each with the installed signature of its class (CDK009-CDK011)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from repair.provider_index import ProviderIndex, param_struct
from repair.transforms._cst import string_value, walk



def provider_calls(rule) -> list[tuple[cst.Call, str, str, dict[str, str]]]:
    """(call, module, class, {keyword: annotation}) for each call of a provider class the index knows, in the tree
    `rule` is transforming. Found in one walk and shared by the keyword rules while the tree stays the same (kept,
    like `Rule.provider_imports`, in the per-tree dict the engine clears when a rule hands on a new tree)."""
    module = rule.context.wrapper.module
    key = (module, "provider_calls")
    if key not in rule._wrappers:
        bindings, index = rule.provider_imports, rule.options.provider_index()
        found = []
        for node in walk(module):
            if type(node) is cst.Call:
                target = bindings.resolve(node.func)
                params = index.params(*target) if target is not None else None
                if params is not None:
                    found.append((node, target[0], target[1], params))
        rule._wrappers[key] = found
    return rule._wrappers[key]


def called_as_its_kind(call: cst.Call, params: dict[str, str]) -> bool:
    """False for a block struct (no scope) called with positional arguments the way a resource is: the class itself
    is the mistake there, and its keywords say nothing about which ones the intended class takes."""
    return "scope" in params or not any(a.keyword is None and not a.star for a in call.args)


def keyword_args(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is not None]


def jsii_name(param: str) -> str:
    """The name jsii gives a struct's parameter (`from_port` -> `fromPort`, `lambda_` -> `lambda`): the key a map
    handed to jsii as it is must use."""
    head, *rest = param.rstrip("_").split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def parameter_of_key(key: str, params) -> str | None:
    """The struct parameter a key of a map jsii receives as it is stands for: its Python spelling (`from_port`,
    `lambda` for `lambda_`), or the camelCase name jsii reads in such a map (`fromPort`); None for neither."""
    python = key + "_" if keyword.iskeyword(key) else key
    if python in params:
        return python
    return next((param for param in params if jsii_name(param) == key), None)


def snake_case(name: str) -> str:
    """`searchableAttributes` -> `searchable_attributes`, `ElasticacheSubnetGroup` -> `elasticache_subnet_group`,
    `assessment-subnets` -> `assessment_subnets`."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.replace("-", "_"))
    return name.lower()


@dataclass(frozen=True)
class Site:
    """One named argument given to a provider class: a keyword of its call, or a key of a dict written for one of
    its blocks (the bindings turn such a dict into the block's struct, keyword for key)."""

    owner: cst.Call | cst.Dict
    name_node: cst.BaseExpression  # the keyword's Name, or the key's string
    name: str
    value: cst.BaseExpression
    module: str
    class_name: str
    params: dict[str, str]
    # The argument whose block this site is in (a key of its dict, or a keyword of its struct's call); None for a
    # keyword of a resource, or of a struct called on its own.
    block: Site | None = None
    # A key of a dict the bindings hand to jsii as it is: a dict in a list of blocks, or inside one. jsii reads such a
    # map's keys by the struct's camelCase names (`fromPort`), and drops the others (CDK007's snake_case keys).
    raw: bool = False

    @property
    def is_keyword(self) -> bool:
        return isinstance(self.owner, cst.Call)


def keyword_sites(rule) -> Iterator[Site]:
    """Every keyword of every provider call the index knows (of a call of the right kind, and of the type of the
    block it is given for), then the keys of the dicts written for its blocks, at any depth, in the tree `rule` is
    transforming."""
    index = rule.options.provider_index()
    calls = provider_calls(rule)
    blocks: dict[cst.Call, Site] = {}  # a struct's call -> the argument it is the block of
    for call, module, class_name, params in calls:
        for arg in keyword_args(call):
            value = arg.value
            for block in [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]:
                if isinstance(block, cst.Call):
                    blocks[block] = Site(call, arg.keyword, arg.keyword.value, value, module, class_name, params)
    for call, module, class_name, params in calls:
        block = blocks.get(call)
        if not called_as_its_kind(call, params) or (block is not None and param_struct(
                block.params.get(block.name, "")) not in (None, class_name)):
            # A struct given for a block of another type: its class is what is wrong (CDK012's), not its keywords.
            continue
        for arg in keyword_args(call):
            site = Site(call, arg.keyword, arg.keyword.value, arg.value, module, class_name, params, block)
            yield site
            yield from _block_sites(site, index)


def _block_sites(site: Site, index: ProviderIndex) -> Iterator[Site]:
    annotation = site.params.get(site.name)
    struct = param_struct(annotation) if annotation else None
    params = index.params(site.module, struct) if struct else None
    if params is None:
        return
    value = site.value
    listed = isinstance(value, (cst.List, cst.Tuple))
    blocks = [e.value for e in value.elements] if listed else [value]
    # The bindings turn a dict into its struct only where their own parameter takes one block: a dict given in a
    # list, or inside a map jsii already receives as it is, reaches jsii unconverted.
    raw = listed or (site.raw and not site.is_keyword)
    for block in blocks:
        if isinstance(block, cst.Dict):
            for element in block.elements:
                if isinstance(element, cst.DictElement):
                    key = string_value(element.key)
                    if key is not None:
                        inner = Site(block, element.key, key, element.value, site.module, struct, params, site, raw)
                        yield inner
                        yield from _block_sites(inner, index)


def quote_style(tree: cst.Module) -> str:
    """The quote the file writes most of its strings with, for the strings a rule writes."""
    double = single = 0
    for node in walk(tree):
        if type(node) is cst.SimpleString:
            quote = node.value.lstrip("rbuRBUfF")[:1]
            double, single = double + (quote == '"'), single + (quote == "'")
    return "'" if single > double else '"'


def names_given(owner: cst.Call | cst.Dict, raw_params: dict[str, str] | None = None) -> set[str]:
    """The keywords of a call, or the keys of a dict; with `raw_params` (the struct's, for a map jsii receives as
    it is) each camelCase key read as the parameter it names."""
    if isinstance(owner, cst.Call):
        return {a.keyword.value for a in owner.args if a.keyword is not None}
    keys = {key for e in owner.elements if isinstance(e, cst.DictElement) and (key := string_value(e.key))}
    if raw_params is None:
        return keys
    return {parameter_of_key(key, raw_params) or key for key in keys}


def renamed_name(node: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """The keyword (a Name) or the dict key (a string, in its own quotes) spelled `name`."""
    if type(node) is cst.SimpleString:
        return node.with_changes(value=f"{node.prefix}{node.quote}{name}{node.quote}")
    return node.with_changes(value=name)
