"""Which expressions of a file are provider constructs and what their attributes are, from the provider's types.

An attribute of a resource or data source is a token: Terraform resolves it at apply time, Python only holds a
placeholder. Whether `azs.names` is a list token or `eks.identity` a complex list follows from two facts: `azs` is
bound to a call of a provider construct class (one that takes a scope; every binding of that name in the file is one, of one class), and the class's
property getter for the attribute returns `typing.List[...]` (a token list) or a generated `...List` class (a
complex list, whose items are read with `.get(index)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from repair.cdktf_index import value_list_properties
from repair.provider_index import ITEM, ProviderIndex
from repair.transforms._cst import code_of, iter_children
from repair.transforms._provider_imports import ProviderBindings

# CLASS: an instance of a provider class; TOKEN_LIST: a list attribute (a token in Python); VALUE: one of cdktf's
# value constructs (a TerraformVariable, a TerraformLocal), whose list properties are token lists too.
CLASS, TOKEN_LIST, VALUE = "class", "token-list", "cdktf-value"

_CLASS_NAME_RE = re.compile(r'"?([A-Z]\w*)"?')


@dataclass(frozen=True)
class TokenType:
    kind: str  # CLASS: an instance of a generated class; TOKEN_LIST: a list attribute (a token in Python)
    module: str
    name: str  # the class, or the list's annotation

    @property
    def is_complex_list(self) -> bool:
        return self.kind == CLASS and self.name.endswith("List")


_UNKNOWN = object()  # a name bound to something other than one provider class


class ConstructTypes:
    """Types of the names (`azs`, `self.cluster`) a file binds to provider construct calls, and of the
    attribute chains read from them."""

    def __init__(self, tree: cst.Module, bindings: ProviderBindings, index: ProviderIndex) -> None:
        self._bindings = bindings
        self._index = index
        self._names: dict[str, object] = {}
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self._collect(tree)

    def _bind(self, target: str, value) -> None:
        known = self._names.get(target)
        self._names[target] = value if known is None or known == value else _UNKNOWN

    def _poison(self, target: cst.CSTNode) -> None:
        """Every name and `self.x` that a store target binds becomes unknown."""
        stack = [target]
        while stack:
            node = stack.pop()
            if type(node) is cst.Name:
                self._names[node.value] = _UNKNOWN
            elif type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self":
                self._names[code_of(node)] = _UNKNOWN
            elif type(node) in (cst.Tuple, cst.List, cst.StarredElement, cst.Element):
                stack.extend(iter_children(node))

    def _collect(self, tree: cst.Module) -> None:
        stack: list[cst.CSTNode] = [tree]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind is cst.Assign:
                typed = self._construct_of_call(node.value) or self._value_list(node.value)
                for target in node.targets:
                    name = _binding_name(target.target)
                    if typed is not None and name is not None and len(node.targets) == 1:
                        self._bind(name, typed)
                    else:
                        self._poison(target.target)
            elif kind is cst.AnnAssign:
                typed = self._construct_of_call(node.value) if node.value is not None else None
                name = _binding_name(node.target)
                if typed is not None and name is not None:
                    self._bind(name, typed)
                elif node.value is not None:
                    self._poison(node.target)
            elif kind is cst.AugAssign or kind is cst.NamedExpr:
                self._poison(node.target)
            elif kind is cst.For or kind is cst.CompFor:
                self._poison(node.target)
            elif kind is cst.Param:
                self._poison(node.name)
            elif kind is cst.AsName:
                self._poison(node.name)
            elif kind is cst.FunctionDef or kind is cst.ClassDef:
                self._poison(node.name)
            for child in iter_children(node):
                self.parents[child] = node
                stack.append(child)

    def _construct_of_call(self, value: cst.BaseExpression) -> TokenType | None:
        if type(value) is not cst.Call:
            return None
        target = self._bindings.resolve(value.func)
        if target is None:
            return self._value_construct(value)
        # Only a construct's attributes are tokens: a struct (no scope) holds the plain values it was given.
        if "scope" not in (self._index.params(*target) or {}):
            return None
        return TokenType(CLASS, target[0], target[1])

    def _value_list(self, value: cst.BaseExpression) -> TokenType | None:
        """`TerraformVariable(...).list_value` (or a bound variable's): a token list a name can be bound to."""
        if type(value) is not cst.Attribute:
            return None
        typed = self.type_of(value)
        return typed if typed is not None and typed.kind == TOKEN_LIST and typed.module == "cdktf" else None

    @staticmethod
    def _value_construct(call: cst.Call) -> TokenType | None:
        """`TerraformVariable(...)` or `cdktf.TerraformLocal(...)`: a value construct of cdktf."""
        func = call.func
        name = func.value if type(func) is cst.Name else (
            func.attr.value if type(func) is cst.Attribute and code_of(func.value) == "cdktf" else None)
        return TokenType(VALUE, "cdktf", name) if name in value_list_properties() else None

    def type_of(self, expr: cst.BaseExpression) -> TokenType | None:
        """The provider type of an expression: a bound construct, an attribute of one, an item of a complex list."""
        kind = type(expr)
        if kind is cst.Name or (kind is cst.Attribute and type(expr.value) is cst.Name and expr.value.value == "self"):
            found = self._names.get(code_of(expr))
            if isinstance(found, TokenType):
                return found
            if kind is cst.Name:
                return None
        if kind is cst.Attribute:
            owner = self.type_of(expr.value)
            if owner is None and type(expr.value) is cst.Call:
                owner = self._value_construct(expr.value)
            if owner is not None and owner.kind == VALUE:
                listed = expr.attr.value in value_list_properties().get(owner.name, ())
                return TokenType(TOKEN_LIST, "cdktf", f"{owner.name}.{expr.attr.value}") if listed else None
            if owner is None or owner.kind != CLASS:
                return None
            return self.classify(owner.module, self._index.attribute(owner.module, owner.name, expr.attr.value))
        if kind is cst.Call and type(expr.func) is cst.Attribute:
            owner = self.type_of(expr.func.value)
            if owner is None or owner.kind != CLASS:
                return None
            method = expr.func.attr.value
            if method == "get":
                return self.classify(owner.module, self._index.attribute(owner.module, owner.name, ITEM))
            if method.endswith("_get") and method not in self.attributes(owner):
                # `cluster.identity_get(0)`, a misspelt `cluster.identity.get(0)`: typed as what it means
                listed = self.classify(owner.module, self._index.attribute(owner.module, owner.name, method[:-4]))
                if listed is not None and listed.is_complex_list:
                    return self.classify(owner.module, self._index.attribute(owner.module, listed.name, ITEM))
        return None

    def classify(self, module: str, annotation: str | None) -> TokenType | None:
        """What an attribute's return annotation makes of its value."""
        if annotation is None:
            return None
        if annotation.startswith("typing.List["):
            return TokenType(TOKEN_LIST, module, annotation)
        match = _CLASS_NAME_RE.fullmatch(annotation)
        if match and self._index.attributes(module, match.group(1)):
            return TokenType(CLASS, module, match.group(1))
        return None

    def attributes(self, owner: TokenType) -> dict[str, str]:
        return self._index.attributes(owner.module, owner.name) if owner.kind == CLASS else {}


def _binding_name(target: cst.BaseExpression) -> str | None:
    if type(target) is cst.Name:
        return target.value
    if type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self":
        return code_of(target)
    return None
