"""Which names a module binds and where it reads them, in one walk; and where a free name could come from.

Python resolves a name that nothing in the module binds (no assignment, parameter, definition, import, loop or
`with` target anywhere) to a builtin or fails with a NameError at import time. The rules that add a missing import
or read a JSON literal as Python must only touch such free names: a name bound anywhere, even in another function,
may be the model's own variable. So the test here is deliberately coarser than Python's scoping: bound anywhere in
the module means not free.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import libcst as cst

from repair.transforms._cst import NODE_TYPES, _child_fields, code_of

# Where a Name binds rather than reads: (parent type, field).
BINDING_FIELDS = {
    (cst.AssignTarget, "target"), (cst.AnnAssign, "target"), (cst.AugAssign, "target"), (cst.For, "target"),
    (cst.CompFor, "target"), (cst.NamedExpr, "target"), (cst.Param, "name"), (cst.AsName, "name"),
    (cst.NameItem, "name"), (cst.FunctionDef, "name"), (cst.ClassDef, "name"), (cst.MatchAs, "name"),
    (cst.MatchStar, "name"), (cst.MatchMapping, "rest"), (cst.Del, "target"),
}
# Names every module has without binding them.
_MODULE_GLOBALS = frozenset({"__file__", "__name__", "__doc__", "__spec__", "__loader__", "__package__",
                             "__builtins__", "__path__", "__annotations__", "__dict__", "__class__"})
PREDEFINED = frozenset(dir(builtins)) | _MODULE_GLOBALS


@dataclass
class NameUses:
    """bindings: how many times each name is bound (imports count); reads: each read of a plain name with its
    parent node; star_import: a `from x import *` makes every name possibly bound."""

    bindings: Counter = field(default_factory=Counter)
    reads: dict[str, list[tuple[cst.Name, cst.CSTNode | None]]] = field(default_factory=dict)
    star_import: bool = False

    def is_free(self, name: str) -> bool:
        return not self.star_import and name not in self.bindings and name not in PREDEFINED

    def free_names(self) -> list[str]:
        """Names read and bound nowhere, in order of first read."""
        if self.star_import:
            return []
        return [name for name in self.reads if self.is_free(name)]


def import_bindings(node: cst.Import | cst.ImportFrom) -> list[str]:
    """The names an import statement binds (`import a.b` binds `a`)."""
    if isinstance(node.names, cst.ImportStar):
        return []
    return [code_of(alias.asname.name) if alias.asname else code_of(alias.name).split(".")[0] for alias in node.names]


def name_uses(tree: cst.Module) -> NameUses:
    uses = NameUses()

    def visit(node: cst.CSTNode, binding: bool, parent: cst.CSTNode | None) -> None:
        if type(node) in (cst.Import, cst.ImportFrom):
            if isinstance(node.names, cst.ImportStar):
                uses.star_import = True
            uses.bindings.update(import_bindings(node))
            return  # the names of an import are not reads
        if type(node) is cst.Name:
            if binding:
                uses.bindings[node.value] += 1
            else:
                uses.reads.setdefault(node.value, []).append((node, parent))
            return
        for name in _child_fields(node):
            # An attribute's name and a keyword argument's name are not reads of a variable.
            if (type(node) is cst.Attribute and name == "attr") or (type(node) is cst.Arg and name == "keyword"):
                continue
            if type(node) is cst.MatchKeywordElement and name == "key":
                continue
            value = getattr(node, name)
            children = value if isinstance(value, (list, tuple)) else (value,)
            child_binding = binding or (type(node), name) in BINDING_FIELDS
            for child in children:
                if type(child) in NODE_TYPES:
                    visit(child, child_binding, node)

    visit(tree, False, None)
    return uses


# -- where a free name can come from -------------------------------------------------------------------------------
_ALL_RE = re.compile(r"^__all__ = \[\n(.*?)^\]", re.MULTILINE | re.DOTALL)
_QUOTED_RE = re.compile(r'"(\w+)"')


# The jsii packages whose exports generated stacks use by bare name.
JSII_PACKAGES = ("cdktf", "constructs")


@cache
def package_exports(package: str) -> frozenset[str]:
    """The `__all__` of an installed jsii package (cdktf, constructs), read from its file without importing it:
    importing a jsii package starts its Node.js runtime."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return frozenset()
    try:
        text = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    match = _ALL_RE.search(text)
    return frozenset(_QUOTED_RE.findall(match.group(1))) if match else frozenset()


# Standard-library modules that do something when imported.
_IMPORT_SIDE_EFFECTS = frozenset({"this", "antigravity", "idlelib", "turtledemo", "tkinter", "turtle"})


def is_stdlib_module(name: str) -> bool:
    return name in sys.stdlib_module_names and not name.startswith("_") and name not in _IMPORT_SIDE_EFFECTS


def stdlib_module_has(name: str, attributes: set[str]) -> bool:
    """Whether standard-library module `name` has every one of `attributes`: `queue.arn` in a fragment reads a
    variable called queue, not the module."""
    if not is_stdlib_module(name):
        return False
    try:
        module = importlib.import_module(name)
    except Exception:  # a module this platform lacks (winreg on Linux)
        return False
    return all(hasattr(module, attribute) for attribute in attributes)
