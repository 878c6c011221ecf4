"""Cheap checks on Python's own AST, used by the rules' `may_apply_ast` filters before any libcst work."""

from __future__ import annotations

import ast
from typing import Iterator

from repair.provider_index import PACKAGE


def callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


# Nodes with nothing below them that a filter looks for: names, constants, and the contexts and operators that
# ast.walk visits as nodes of their own (one `Load()` per name read).
_LEAVES = (ast.Constant, ast.Name, ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


class _Summary:
    """What the rules' filters look for, gathered in one walk of a tree (ast.walk in Python costs about half a
    parse, and six filters each walking on their own cost more than the parse). The walk skips the leaf nodes,
    which makes it about 3x cheaper than ast.walk, and notes each node's parent on the way."""

    def __init__(self, tree: ast.AST) -> None:
        self.tree = tree
        self.calls: dict[str | None, list[ast.Call]] = {}
        self.attributes: list[ast.Attribute] = []
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        parents, stack = self.parents, [tree]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is ast.Call:
                self.calls.setdefault(callee(node), []).append(node)
            elif kind is ast.Attribute:
                self.attributes.append(node)
            elif kind is ast.Import or kind is ast.ImportFrom:
                self.imports.append(node)
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST) and not isinstance(item, _LEAVES):
                            parents[item] = node
                            stack.append(item)
                elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                    parents[value] = node
                    stack.append(value)
        # The walk is depth-first from the last child: reversed, the lists are in source order (a call nested in
        # another comes before it), so a name imported twice binds as Python binds it, to the last import.
        for found in self.calls.values():
            found.reverse()
        self.attributes.reverse()
        self.imports.reverse()
        self._bindings = None
        self._dict_entries = None


_LAST: list = [None, None]  # the engine filters one tree at a time: a one-entry cache is all it takes


def summary(tree: ast.AST) -> _Summary:
    if _LAST[0] is not tree:
        _LAST[0], _LAST[1] = tree, _Summary(tree)
    return _LAST[1]


def calls(tree: ast.AST, names: set[str]) -> Iterator[ast.Call]:
    found = summary(tree).calls
    for name in names:
        yield from found.get(name, ())


def keyword(node: ast.Call, name: str) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    return None


def string_keys(node: ast.Dict) -> set[str]:
    return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def provider_classes(tree: ast.Module) -> tuple[dict[str, tuple[str, str]], dict[str, str], set[str]]:
    """Like _provider_imports.provider_bindings, from the AST: (classes, module aliases, package aliases)."""
    cached = summary(tree)
    if cached._bindings is None:
        cached._bindings = _provider_classes(cached.imports)
    return cached._bindings


def _provider_classes(imports) -> tuple[dict[str, tuple[str, str]], dict[str, str], set[str]]:
    classes: dict[str, tuple[str, str]] = {}
    modules: dict[str, str] = {}
    packages: set[str] = set()
    prefix = PACKAGE + "."
    for node in imports:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == PACKAGE:
                    modules[bound] = alias.name
                elif node.module.startswith(prefix) and "." not in node.module[len(prefix):]:
                    classes[bound] = (node.module[len(prefix):], alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(prefix) and "." not in alias.name[len(prefix):]:
                    modules[alias.asname or alias.name] = alias.name[len(prefix):]
                elif alias.name == PACKAGE:
                    packages.add(alias.asname or PACKAGE)
    return classes, modules, packages


def resolve(func: ast.expr, classes, modules, packages) -> tuple[str, str] | None:
    if isinstance(func, ast.Name):
        return classes.get(func.id)
    if isinstance(func, ast.Attribute):
        owner = ast.unparse(func.value)
        if owner in modules:
            return modules[owner], func.attr
        if isinstance(func.value, ast.Attribute) and ast.unparse(func.value.value) in packages:
            return func.value.attr, func.attr
    return None


def binding_of(tree: ast.AST, call: ast.Call, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The name (`x`, `self.x`) a construct call is assigned to, if its statement is a plain assignment."""
    parent = parents.get(call)
    if isinstance(parent, ast.Assign) and parent.value is call and len(parent.targets) == 1:
        return ast.unparse(parent.targets[0])
    if isinstance(parent, ast.AnnAssign) and parent.value is call:
        return ast.unparse(parent.target)
    return None


def parent_map(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return summary(tree).parents


def depends_on_names(call: ast.Call) -> set[str] | None:
    """The entries of a `depends_on=[...]` list literal as source text; None when it is something else."""
    value = keyword(call, "depends_on")
    if value is None:
        return set()
    if isinstance(value, (ast.List, ast.Tuple)):
        return {ast.unparse(e) for e in value.elts}
    return None


def provider_keyword_values(tree: ast.Module):
    """(module, class, keyword, value) for each keyword argument of each provider class call (the AST twin of
    _provider_imports.provider_keywords)."""
    bindings = provider_classes(tree)
    if not any(bindings):
        return
    for found in summary(tree).calls.values():
        for node in found:
            if (target := resolve(node.func, *bindings)) is not None:
                for kw in node.keywords:
                    if kw.arg:
                        yield target[0], target[1], kw.arg, kw.value
                    elif isinstance(kw.value, ast.Name):
                        # `**config`: every entry the name is given anywhere (a superset of what the transform
                        # reads, which keeps the filter sound)
                        for key, value in _dict_entries(tree).get(kw.value.id, ()):
                            yield target[0], target[1], key, value


def _dict_entries(tree: ast.Module) -> dict[str, list[tuple[str, ast.expr]]]:
    """name -> (key, value) of each `name = {...}` literal entry and `name["key"] = value`, anywhere in the file."""
    cached = summary(tree)
    if cached._dict_entries is None:
        found: dict[str, list[tuple[str, ast.expr]]] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            target = node.targets[0]
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Dict):
                found.setdefault(target.id, []).extend(
                    (k.value, v) for k, v in zip(node.value.keys, node.value.values)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str))
            elif (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                  and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str)):
                found.setdefault(target.value.id, []).append((target.slice.value, node.value))
        cached._dict_entries = found
    return cached._dict_entries
