"""What CDK012 and CDK013 share: the declared type of each value passed to a provider class, struct calls written
as plain dicts, and the provider imports a repair leaves unused or newly needs.

A value's type follows from where it is passed: `Parent(param=value)` takes the annotation of `param` in the
installed provider's signature of `Parent`, and a struct call at a struct-typed position (`rule=[Xyz(...)]`) is
that struct, whatever name the code calls it by. That is what decides the name an invented struct must have.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

import libcst as cst

from repair.provider_index import PACKAGE, ProviderIndex, param_struct
from repair.transforms._cst import (
    NODE_TYPES, _child_fields, add_import, code_of, remove_item, remove_statements, string_value, walk,
)
from repair.transforms._provider_imports import ProviderBindings


def python_param(key: str) -> str:
    """The keyword the Python bindings spell a Terraform argument with (`and` -> `and_`)."""
    return key + "_" if keyword.iskeyword(key) else key


def written_key(param: str) -> str:
    """The key a keyword argument stands for: the keyword as written, without the binding's escape of a Python
    keyword."""
    base = param[:-1] if param.endswith("_") else param
    return base if keyword.iskeyword(base) else param


@dataclass(frozen=True)
class TypedArg:
    """A value given to a parameter of a provider class: a keyword of a call, or a key of a dict at a struct's
    place. `annotation` is None when the class has no such parameter."""

    owner: cst.Call | cst.Dict
    module: str
    owner_class: str
    param: str
    annotation: str | None
    value: cst.BaseExpression
    position: int  # of the argument or dict element in its owner


def typed_args(tree: cst.Module, bindings: ProviderBindings, index: ProviderIndex) -> list[TypedArg]:
    """Every keyword of every provider call, and every key of a dict at a struct's place, with its declared type.
    A provider call at a struct-typed position is read as that struct, whatever name it is called by."""
    found: list[TypedArg] = []
    typed: set[cst.CSTNode] = set()

    def visit_call(call: cst.Call, module: str, class_name: str) -> None:
        typed.add(call)
        params = index.params(module, class_name)
        if params is None:
            return
        for position, arg in enumerate(call.args):
            if arg.keyword is None or arg.star:
                continue
            annotation = params.get(arg.keyword.value)
            found.append(TypedArg(call, module, class_name, arg.keyword.value, annotation, arg.value, position))
            if annotation is not None:
                descend(arg.value, module, annotation)

    def visit_dict(block: cst.Dict, module: str, class_name: str) -> None:
        typed.add(block)
        params = index.params(module, class_name)
        if params is None:
            return
        for position, element in enumerate(block.elements):
            key = dict_key(element)
            if key is None:
                continue
            param = python_param(key)
            annotation = params.get(param)
            found.append(TypedArg(block, module, class_name, param, annotation, element.value, position))
            if annotation is not None:
                descend(element.value, module, annotation)

    def descend(value: cst.BaseExpression, module: str, annotation: str) -> None:
        struct = param_struct(annotation)
        if struct is None:
            return
        for item in elements_of(value):
            if isinstance(item, cst.Call) and bindings.resolve(item.func) is not None:
                visit_call(item, module, struct)
            elif isinstance(item, cst.Dict):
                visit_dict(item, module, struct)

    for node in walk(tree):  # parents before children: a call at a typed position is typed before it is reached
        if type(node) is cst.Call and node not in typed:
            target = bindings.resolve(node.func)
            if target is not None:
                visit_call(node, *target)
    return found


def elements_of(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The blocks a value holds: the items of a list or tuple literal, or the value itself."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return [e.value for e in value.elements if isinstance(e, cst.Element)]
    return [value]


def dict_key(element: cst.BaseDictElement) -> str | None:
    return string_value(element.key) if isinstance(element, cst.DictElement) else None


def keywords_only(call: cst.Call) -> bool:
    return all(arg.keyword is not None and not arg.star for arg in call.args)


def is_struct_class(index: ProviderIndex, module: str, name: str) -> bool:
    """A class of the provider that is a struct (keyword parameters, no construct scope), or a name the module does
    not export at all (an invented struct)."""
    if name not in index.exports(module):
        return True
    params = index.params(module, name)
    return params is not None and "scope" not in params


def call_as_dict(call: cst.Call) -> cst.Dict:
    """`Xyz(a_b=1, c=x)` -> `{"a_b": 1, "c": x}`, each keyword as written, keeping values, commas and line breaks."""
    elements = []
    for arg in call.args:
        elements.append(cst.DictElement(
            key=cst.SimpleString(f'"{written_key(arg.keyword.value)}"'),
            value=arg.value,
            whitespace_before_colon=cst.SimpleWhitespace(""),
            whitespace_after_colon=cst.SimpleWhitespace(" "),
            comma=arg.comma,
        ))
    closing = call.args[-1].whitespace_after_arg if call.args else cst.SimpleWhitespace("")
    return cst.Dict(elements, lbrace=cst.LeftCurlyBrace(whitespace_after=call.whitespace_before_args),
                    rbrace=cst.RightCurlyBrace(whitespace_before=closing), lpar=call.lpar, rpar=call.rpar)


class _CallsToDicts(cst.CSTTransformer):
    def __init__(self, convert: set[cst.Call]) -> None:
        super().__init__()
        self.convert = convert

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        return call_as_dict(updated_node) if original_node in self.convert else updated_node


def calls_to_dicts(value: cst.BaseExpression, convert: set[cst.Call]) -> cst.BaseExpression:
    """`value` with each call of `convert` inside it (nested ones included) written as a dict."""
    return value.visit(_CallsToDicts(convert))


def struct_calls_in(value: cst.BaseExpression, bindings: ProviderBindings, index: ProviderIndex) -> list[cst.Call]:
    """The calls of provider struct classes (real or invented) anywhere inside `value`."""
    found = []
    for node in walk(value):
        if type(node) is cst.Call:
            target = bindings.resolve(node.func)
            if target is not None and is_struct_class(index, *target):
                found.append(node)
    return found


# -- imports -----------------------------------------------------------------------------------------------------
def name_reads(tree: cst.Module) -> dict[str, int]:
    """How often each identifier is read (not an attribute's name, a keyword, or an import's own name).
    Scope-blind on purpose: a name read anywhere counts, so an import is only ever dropped when nothing uses it."""
    counts: dict[str, int] = {}
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        if type(node) in (cst.Import, cst.ImportFrom):
            continue
        if type(node) is cst.Name:
            counts[node.value] = counts.get(node.value, 0) + 1
            continue
        for field in _child_fields(node):
            if (type(node) is cst.Attribute and field == "attr") or (type(node) is cst.Arg and field == "keyword"):
                continue
            value = getattr(node, field)
            for child in value if isinstance(value, (list, tuple)) else (value,):
                if type(child) in NODE_TYPES:
                    stack.append(child)
    return counts


@dataclass(frozen=True)
class ImportedName:
    statement: cst.SimpleStatementLine
    node: cst.ImportFrom
    alias: cst.ImportAlias
    position: int
    module: str  # provider submodule
    name: str
    local: str


def provider_from_imports(tree: cst.Module) -> list[ImportedName]:
    """Each name of each module-level `from cdktf_cdktf_provider_aws.<module> import ...`."""
    found = []
    prefix = PACKAGE + "."
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not (isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative
                    and not isinstance(small.names, cst.ImportStar)):
                continue
            dotted = code_of(small.module)
            if not dotted.startswith(prefix) or "." in dotted[len(prefix):]:
                continue
            for position, alias in enumerate(small.names):
                if isinstance(alias.name, cst.Name):
                    local = code_of(alias.asname.name) if alias.asname else alias.name.value
                    found.append(ImportedName(statement, small, alias, position, dotted[len(prefix):],
                                              alias.name.value, local))
    return found


def tidy_imports(context, tree: cst.Module, needed: list[tuple[str, str]], drop_if_unused: set[str]) -> cst.Module:
    """Import each (module, struct) of `needed` and drop the provider names of `drop_if_unused` (local names) that
    nothing reads any more. A needed struct takes the place of a dropped name of the same module (the diff then
    shows the one name replaced by the other)."""
    reads = name_reads(tree)
    imported = provider_from_imports(tree)
    bound = {(i.module, i.name) for i in imported if i.local == i.name}
    unused = [i for i in imported if i.local in drop_if_unused and not reads.get(i.local)]
    renames: dict[cst.ImportAlias, str] = {}
    additions = []
    for module, struct in dict.fromkeys(needed):
        if (module, struct) in bound:
            continue
        bound.add((module, struct))
        spare = next((i for i in unused if i.module == module and i.alias.asname is None
                      and i.alias not in renames), None)
        if spare is not None:
            renames[spare.alias] = struct
        else:
            additions.append((module, struct))
    drops: dict[cst.ImportFrom, set[int]] = {}
    for item in unused:
        if item.alias not in renames:
            drops.setdefault(item.node, set()).add(item.position)
    tree = _edit_imports(tree, renames, drops)
    for module, struct in additions:
        tree = add_import(context, tree, f"{PACKAGE}.{module}", struct)
    return tree


def droppable(tree: cst.Module, names: set[str]) -> set[str]:
    """Of these local names, those whose import `tidy_imports` can remove: the statement goes with its last name,
    which it can only when the import is the statement's only one."""
    return {i.local for i in provider_from_imports(tree) if i.local in names
            and (len(i.node.names) > 1 or len(i.statement.body) == 1)}


def _edit_imports(tree: cst.Module, renames: dict[cst.ImportAlias, str],
                  drops: dict[cst.ImportFrom, set[int]]) -> cst.Module:
    if not renames and not drops:
        return tree
    body = list(tree.body)
    remove = [False] * len(body)
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        smalls = list(statement.body)
        changed = False
        for small_index, small in enumerate(smalls):
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            names = [alias.with_changes(name=cst.Name(renames[alias])) if alias in renames else alias
                     for alias in small.names]
            positions = drops.get(small, set())
            if len(positions) == len(names):
                if len(smalls) == 1:
                    remove[index] = True
                continue
            for position in sorted(positions, reverse=True):
                names = remove_item(names, position)
            if positions or any(alias in renames for alias in small.names):
                smalls[small_index] = small.with_changes(names=names)
                changed = True
        if changed:
            body[index] = statement.with_changes(body=smalls)
    if any(remove):
        body, footer = remove_statements(body, remove, tree.footer)
        return tree.with_changes(body=body, footer=footer)
    return tree.with_changes(body=body)


def binds_module(tree: cst.Module, module: str) -> str | None:
    """How the file binds the name `module` at module level: "import" for a plain `import module`, "other" when
    something else binds that name, None when nothing does."""
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    local = code_of(alias.asname.name) if alias.asname else code_of(alias.name).split(".")[0]
                    if local == module:
                        return "import" if alias.asname is None and code_of(alias.name) == module else "other"
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if (code_of(alias.asname.name) if alias.asname else code_of(alias.name)) == module:
                        return "other"
    return None


def add_module_import(tree: cst.Module, module: str) -> cst.Module:
    """`import module` before the file's first import (after its docstring and `__future__` imports)."""
    body = list(tree.body)
    position = 0
    for index, statement in enumerate(body):
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
        if index == 0 and len(smalls) == 1 and isinstance(smalls[0], cst.Expr) and isinstance(
                smalls[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            position = 1
        elif smalls and all(isinstance(s, cst.ImportFrom) and s.module is not None and code_of(s.module) == "__future__"
                            for s in smalls):
            position = index + 1
        elif any(type(s) in (cst.Import, cst.ImportFrom) for s in smalls):
            break
        else:
            break
    statement = cst.parse_statement(f"import {module}\n")
    if position < len(body):
        # The new line takes the blank lines and comments above the statement it now precedes.
        following = body[position]
        statement = statement.with_changes(leading_lines=following.leading_lines)
        body[position] = following.with_changes(leading_lines=[])
    body.insert(position, statement)
    return tree.with_changes(body=body)
