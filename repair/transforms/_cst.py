"""Small libcst helpers the rules share: reading calls, and adding to argument and element lists in the style
the surrounding code already has (one per line or inline, trailing comma or not)."""

from __future__ import annotations

import keyword
import re
from contextlib import nullcontext
from typing import Sequence, TypeVar

import libcst as cst
from libcst._nodes.base import CSTNode
from libcst._nodes.expression import _BaseParenthesizedNode
from libcst._nodes.internal import CodegenState

_EMPTY = cst.Module([])
_VALIDATING = CSTNode.__post_init__


def _validated_elsewhere(node: CSTNode) -> None:
    """Stands in for CSTNode.__post_init__ while libcst's parser builds a tree (`parse_module`)."""


def parse_module(source: str) -> cst.Module:
    """`libcst.parse_module`, without validating each node the parser builds. Every node's constructor checks the
    node's invariants (`CSTNode.__post_init__` -> `_validate`), which for a parsed tree re-checks what the grammar
    just did: an eighth of the parse of a stack (libcst's own comment there: "It might make more sense ... to avoid
    validating the tree when parsing a file"). The nodes the rules build are still validated; what the rules write
    is checked again by the engine's guard. The check is swapped out on the class for the parse's duration: the
    engine parses and transforms in one thread (a batch worker, a Ray task), so no other node is built meanwhile."""
    CSTNode.__post_init__ = _validated_elsewhere  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        CSTNode.__post_init__ = _VALIDATING  # type: ignore[method-assign]


# Code generation without a generator per expression. libcst wraps the code of every expression in two
# generator-based context managers: its parentheses (`_parenthesize`) and, inside them, the state's
# `record_syntactic_position`, a no-op except in the states that record positions (libcst's PositionProvider's,
# `_positions._TargetedState`), which define their own. Half a million of each a pass over the real files, for
# nothing where an expression has no parentheses. The replacements write the same tokens in the same order
# (tests/test_parse_unvalidated.py compares them with libcst's on every sample); installed once, for the process.
_NOTHING_TO_RECORD = nullcontext()
_PARENTHESIZE = _BaseParenthesizedNode._parenthesize


def _parenthesize(self, state: CodegenState):
    if self.lpar or self.rpar:
        return _PARENTHESIZE(self, state)
    return state.record_syntactic_position(self)


def _record_nothing(self, node: CSTNode, *, start_node: CSTNode | None = None, end_node: CSTNode | None = None):
    return _NOTHING_TO_RECORD


_RECORD_SYNTACTIC_POSITION = CodegenState.record_syntactic_position
_BaseParenthesizedNode._parenthesize = _parenthesize  # type: ignore[method-assign]
CodegenState.record_syntactic_position = _record_nothing  # type: ignore[method-assign]


T = TypeVar("T", cst.Arg, cst.Element, cst.DictElement)


def code_of(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def callee_name(call: cst.Call) -> str | None:
    """`Foo` for `Foo(...)` and `mod.Foo(...)`."""
    func = call.func
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute:
        return func.attr.value
    return None


def keyword_arg(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (any quotes, implicit concatenation allowed), else None."""
    if type(node) is cst.SimpleString:
        prefix = node.prefix.lower()
        if "b" not in prefix and "\r" not in node.value and ("r" in prefix or "\\" not in node.value):
            # Nothing to unescape or normalize: libcst's evaluated_value would compile the literal.
            return node.raw_value
    if type(node) in (cst.SimpleString, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def construct_id(call: cst.Call) -> str | None:
    """The construct id of `Resource(scope, "id", ...)`, when it is a literal."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) >= 2:
        return string_value(positional[1].value)
    id_arg = keyword_arg(call, "id_")
    return string_value(id_arg.value) if id_arg else None


def construct_scope(call: cst.Call) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if positional:
        return positional[0].value
    scope = keyword_arg(call, "scope")
    return scope.value if scope else None


def reference_root(expr: cst.BaseExpression) -> str | None:
    """The object a reference like `api.id`, `self.fn.arn` or `fn.function_name` points at: `api`, `self.fn`.

    Anything that is not a plain dotted name (a call, a subscript, a string) has no root we can match on.
    """
    if type(expr) is cst.Attribute and _is_dotted(expr.value):
        return code_of(expr.value)
    return None


def _is_dotted(expr: cst.BaseExpression) -> bool:
    if type(expr) is cst.Name:
        return True
    return type(expr) is cst.Attribute and _is_dotted(expr.value)


def dotted_code(expr: cst.BaseExpression) -> str | None:
    return code_of(expr) if _is_dotted(expr) else None


def snake_identifier(text: str) -> str:
    """A readable Python identifier from a construct id: "PostReview-Integration" -> "post_review_integration"."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    if not text:
        text = "construct"
    if text[0].isdigit():
        text = "_" + text
    if keyword.iskeyword(text):
        text += "_"
    return text


def unique_identifier(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _with_comma(node: T, comma: cst.Comma | cst.MaybeSentinel) -> T:
    return node.with_changes(comma=comma)


def append_items(
    items: Sequence[T],
    new_items: Sequence[T],
    opening_whitespace: cst.BaseParenthesizableWhitespace,
) -> list[T]:
    """`items` followed by `new_items`, separated and laid out like the existing items.

    The whitespace between two items lives in the comma of the first; the whitespace before the closing bracket in
    the comma (or, without one, the trailing whitespace) of the last. So the new items take the separator the
    existing ones use, and the last new item inherits what the old last item had before the bracket.
    """
    if not new_items:
        return list(items)
    items = list(items)
    if not items:
        return [_with_comma(item, cst.MaybeSentinel.DEFAULT) if i == len(new_items) - 1 else
                _with_comma(item, cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for i, item in enumerate(new_items)]
    last = items[-1]
    if len(items) >= 2 and isinstance(items[-2].comma, cst.Comma):
        separator = items[-2].comma
    elif type(opening_whitespace) is cst.ParenthesizedWhitespace:
        separator = cst.Comma(whitespace_after=opening_whitespace)
    else:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    closing = last.comma  # a trailing comma with the whitespace before the bracket, or nothing
    trailing_ws = getattr(last, "whitespace_after_arg", None)
    if type(last) is cst.Arg:
        items[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    else:
        items[-1] = last.with_changes(comma=separator)
    for item in new_items[:-1]:
        items.append(_with_comma(item, separator))
    tail = new_items[-1]
    if type(tail) is cst.Arg and trailing_ws is not None:
        tail = tail.with_changes(whitespace_after_arg=trailing_ws)
    items.append(_with_comma(tail, closing))
    return items


def remove_item(items: Sequence[T], index: int) -> list[T]:
    """`items` without the one at `index`; the new last item keeps the old last one's closing comma/whitespace."""
    items = list(items)
    removed = items.pop(index)
    if items and index == len(items):
        last = items[-1]
        if type(last) is cst.Arg and type(removed) is cst.Arg:
            items[-1] = last.with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
        else:
            items[-1] = last.with_changes(comma=removed.comma)
    return items


def place_items(items: Sequence[T], position: int, new_items: Sequence[T], *, keep: bool = True) -> list[T]:
    """`items` with `new_items` after the one at `position` (`keep`) or in its place, laid out like it: each new item
    is separated from the next the way that one is; at the end, the last item keeps what closed the list."""
    items = list(items)
    template = items[position]
    placed = ([template] if keep else []) + list(new_items)
    if not placed:
        return remove_item(items, position)
    if position < len(items) - 1:
        separator = template.comma
        placed = [_with_comma(item, separator) for item in placed[:-1]] + [_with_comma(placed[-1], template.comma)]
        return items[:position] + placed + items[position + 1:]
    previous = items[position - 1].comma if position else None
    separator = previous if type(previous) is cst.Comma else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    tail = _with_comma(placed[-1], template.comma)
    if type(template) is cst.Arg and type(tail) is cst.Arg:
        tail = tail.with_changes(whitespace_after_arg=template.whitespace_after_arg)
    head = [item.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
            if type(item) is cst.Arg else _with_comma(item, separator) for item in placed[:-1]]
    return items[:position] + head + [tail]


def add_keyword_arg(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """`call` with `name=value` appended after its last argument, in the call's own layout."""
    arg = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    return call.with_changes(args=append_items(call.args, [arg], call.whitespace_before_args))


def with_argument_values(call: cst.Call, values: dict[int, cst.BaseExpression]) -> cst.Call:
    """The call with the arguments at the given indexes given new values (keywords and commas kept)."""
    return call.with_changes(args=[arg.with_changes(value=values[i]) if i in values else arg
                                   for i, arg in enumerate(call.args)])


def with_call_values(tree: cst.Module, new_values) -> cst.Module:
    """`tree` with each call's arguments given the values `new_values(call)` returns (argument index -> new value):
    only the calls given new values are rebuilt, with their ancestors."""
    edits = {}
    for node in walk(tree):
        if isinstance(node, cst.Call):
            values = new_values(node)
            if values:
                edits[node] = lambda updated, values=values: with_argument_values(updated, values)
    return apply_leaves(tree, edits)


def extend_list(node: cst.List, values: Sequence[cst.BaseExpression]) -> cst.List:
    elements = [cst.Element(value=v) for v in values]
    return node.with_changes(elements=append_items(node.elements, elements, node.lbracket.whitespace_after))


def new_list(values: Sequence[cst.BaseExpression]) -> cst.List:
    return cst.List(elements=append_items([], [cst.Element(value=v) for v in values], cst.SimpleWhitespace("")))


def _is_blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def remove_statements(
    body: Sequence[cst.BaseStatement], remove: Sequence[bool], footer: Sequence[cst.EmptyLine]
) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
    """`body` without the statements flagged in `remove`, and the block's footer.

    The comment lines directly above a removed statement describe it and go with it. Anything further up (blank
    lines, a comment separated by a blank line) belongs to the surroundings and moves onto the next statement,
    without doubling the blank line that separated the removed group from its neighbours.
    """
    new_body: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for statement, drop in zip(body, remove):
        leading = list(getattr(statement, "leading_lines", ()))
        if drop:
            cut = len(leading)
            while cut > 0 and not _is_blank(leading[cut - 1]):
                cut -= 1
            carried = carried + leading[:cut]
            continue
        if carried:
            if leading and _is_blank(leading[0]):
                while carried and _is_blank(carried[-1]):
                    carried.pop()
            statement = statement.with_changes(leading_lines=carried + leading)
            carried = []
        new_body.append(statement)
    comments_left = [line for line in carried if not _is_blank(line)]
    footer = list(footer)
    if comments_left:
        footer = carried + footer
    return new_body, footer


def import_from_adding(tree: cst.Module, module: str, name: str, asname: str | None = None) -> cst.Module | None:
    """`tree` with `name` appended to its first module-level `from <module> import ...`, in that statement's own
    layout; None when the file has no such import (then the caller adds one)."""
    for index, statement in enumerate(tree.body):
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small_index, small in enumerate(statement.body):
            if (type(small) is cst.ImportFrom and small.module is not None and not small.relative
                    and code_of(small.module) == module and type(small.names) is not cst.ImportStar):
                opening = small.lpar.whitespace_after if small.lpar else cst.SimpleWhitespace("")
                alias = cst.ImportAlias(name=cst.Name(name),
                                        asname=cst.AsName(cst.Name(asname)) if asname else None)
                names = append_items(small.names, [alias], opening)
                body = list(statement.body)
                body[small_index] = small.with_changes(names=names)
                new_body = list(tree.body)
                new_body[index] = statement.with_changes(body=body)
                return tree.with_changes(body=new_body)
    return None


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


# Fields that hold only whitespace, comments and punctuation: no rule reads or edits anything inside them, and
# leaving them out halves the nodes a walk visits.
_TRIVIA_FIELDS = frozenset({
    "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "comma", "semicolon", "equal", "colon", "dot",
    "star", "leading_lines", "trailing_whitespace", "footer", "header", "newline", "whitespace", "asynchronous",
    "whitespace_before", "whitespace_after", "whitespace_before_args", "whitespace_after_arg", "whitespace_after_func",
    "whitespace_before_colon", "whitespace_after_colon", "whitespace_after_star", "whitespace_after_star_star",
    "whitespace_after_from", "whitespace_before_import", "whitespace_after_import", "whitespace_after_as",
    "whitespace_before_as", "whitespace_after_def", "whitespace_after_class", "whitespace_before_params",
    "whitespace_after_if", "whitespace_after_for", "whitespace_before_in", "whitespace_after_in",
    "whitespace_after_while", "whitespace_after_with", "whitespace_before_indent", "whitespace_after_indent",
    "whitespace_after_param", "whitespace_after_return", "whitespace_after_lambda", "whitespace_after_else",
    "whitespace_before_else", "whitespace_before_if", "whitespace_after_global", "whitespace_after_nonlocal",
    "whitespace_after_del", "whitespace_after_assert", "whitespace_after_raise", "whitespace_after_await",
    "whitespace_after_yield", "whitespace_after_except", "whitespace_after_try", "whitespace_after_finally",
})


def _child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    cls = type(node)
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        import dataclasses

        fields = tuple(f.name for f in dataclasses.fields(cls) if f.name not in _TRIVIA_FIELDS)
        _CHILD_FIELDS[cls] = fields
    return fields


def _node_types() -> frozenset[type]:
    found, stack = set(), [cst.CSTNode]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return frozenset(found)


# Every libcst node class: `type(x) in NODE_TYPES` is a set lookup, where isinstance(x, cst.CSTNode) goes through
# ABCMeta.__instancecheck__ in Python, which the walks below would pay for every field of every node.
NODE_TYPES = _node_types()
_SEQUENCES = (list, tuple)


def iter_children(node: cst.CSTNode):
    """The direct child nodes that carry code (not whitespace, comments or punctuation), read from the dataclass
    fields: libcst's own `children` and visitors rebuild every node they pass, which costs as much as a
    transform."""
    for name in _child_fields(node):
        value = getattr(node, name)
        kind = type(value)
        if kind in NODE_TYPES:
            yield value
        elif kind in _SEQUENCES:
            for item in value:
                if type(item) in NODE_TYPES:
                    yield item


# The walks of the last few modules: most rules walk the whole module, and until one of them changes it the rules
# of a pass all read the same tree (nodes are immutable, so a walk stays true for as long as its module lives).
_MODULE_WALKS: dict[int, tuple[cst.Module, list[cst.CSTNode]]] = {}
_MODULE_WALKS_KEPT = 4


def forget_walks() -> None:
    """Drop the kept walks (and with them their modules)."""
    _MODULE_WALKS.clear()


def walk(node: cst.CSTNode):
    """Every node below `node` (itself included), depth-first, parents before children."""
    if type(node) is not cst.Module:
        return _walk(node)
    kept = _MODULE_WALKS.get(id(node))
    if kept is None or kept[0] is not node:
        if len(_MODULE_WALKS) >= _MODULE_WALKS_KEPT:
            del _MODULE_WALKS[next(iter(_MODULE_WALKS))]  # the oldest
        kept = _MODULE_WALKS[id(node)] = (node, list(_walk(node)))
    return iter(kept[1])


def _walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children = list(iter_children(current))
        children.reverse()
        stack.extend(children)


def _parents_until_found(tree: cst.CSTNode, targets: set[cst.CSTNode]) -> dict[cst.CSTNode, cst.CSTNode]:
    """Child -> parent for the nodes walked until every target has been reached (the walk stops there)."""
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    remaining = set(targets)
    stack = [tree]
    while stack and remaining:
        node = stack.pop()
        remaining.discard(node)
        for name in _child_fields(node):
            value = getattr(node, name)
            kind = type(value)
            if kind in NODE_TYPES:
                parents[value] = node
                stack.append(value)
            elif kind in _SEQUENCES:
                for item in value:
                    if type(item) in NODE_TYPES:
                        parents[item] = node
                        stack.append(item)
    return parents


def apply_leaves(tree: cst.Module, edits: dict) -> cst.Module:
    """Like a transformer whose `leave` is `edits[original_node](updated_node)` for the edited nodes, but it
    rebuilds only the edited nodes and their ancestors instead of the whole tree."""
    if not edits:
        return tree
    dirty: set[cst.CSTNode] = set()
    parents = _parents_until_found(tree, set(edits))
    for node in edits:
        while node is not None and node not in dirty:
            dirty.add(node)
            node = parents.get(node)

    def rebuild(node):
        if node not in dirty:
            return node
        changes = {}
        for name in _child_fields(node):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                if value in dirty:
                    new = rebuild(value)
                    if new is not value:
                        changes[name] = new
            elif isinstance(value, (list, tuple)) and any(isinstance(v, cst.CSTNode) and v in dirty for v in value):
                items = []
                for item in value:
                    new = rebuild(item) if isinstance(item, cst.CSTNode) else item
                    if isinstance(new, cst.FlattenSentinel):
                        items.extend(new.nodes)
                    elif not isinstance(new, cst.RemovalSentinel):
                        items.append(new)
                changes[name] = type(value)(items) if isinstance(value, tuple) else items
        updated = node.with_changes(**changes) if changes else node
        edit = edits.get(node)
        return edit(updated) if edit else updated

    return rebuild(tree)


def add_import(context, tree: cst.Module, module: str, name: str, asname: str | None = None) -> cst.Module:
    """`from module import name`: appended to the file's existing import of that module in its own layout, or
    as a new statement after the last module-level import (libcst's AddImportsVisitor does the same placement,
    but by visiting the whole tree again)."""
    extended = import_from_adding(tree, module, name, asname)
    if extended is not None:
        return extended
    alias = f"{name} as {asname}" if asname else name
    return insert_after_imports(tree, cst.parse_statement(f"from {module} import {alias}\n"))


def insert_after_imports(tree: cst.Module, statement: cst.BaseStatement) -> cst.Module:
    """`tree` with `statement` after its last module-level import (after the docstring when it has none)."""
    body = list(tree.body)
    position = 0
    for index, existing in enumerate(body):
        if type(existing) is cst.SimpleStatementLine and any(
                type(small) in (cst.Import, cst.ImportFrom) for small in existing.body):
            position = index + 1
        elif position == 0 and index == 0 and _is_docstring(existing):
            position = 1
    body.insert(position, statement)
    return tree.with_changes(body=body)


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (type(statement) is cst.SimpleStatementLine and len(statement.body) == 1
            and type(statement.body[0]) is cst.Expr and type(statement.body[0].value) is cst.SimpleString)


def single_assignments(tree: cst.Module) -> dict[str, cst.BaseExpression]:
    """Names (`x`, or dotted: `self.key`) assigned exactly once in the file, in any function, with their value.

    A name bound any other way as well (a parameter, `+=`, a bare annotation, a second assignment) has no one known
    value and is left out: the rules that follow a value through a name must be sure it is the only one."""
    values: dict[str, cst.BaseExpression] = {}
    counts: dict[str, int] = {}

    def bind(target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        name = dotted_code(target) if type(target) in (cst.Name, cst.Attribute) else None
        if name is None:
            return
        counts[name] = counts.get(name, 0) + (1 if value is not None else 2)
        if value is not None:
            values[name] = value

    for node in walk(tree):
        kind = type(node)
        if kind is cst.Assign:
            for target in node.targets:
                bind(target.target, node.value)
        elif kind is cst.AnnAssign:
            bind(node.target, node.value)
        elif kind is cst.AugAssign:
            bind(node.target, None)
        elif kind is cst.Param:
            bind(node.name, None)
    return {name: value for name, value in values.items() if counts[name] == 1}


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def spread_dicts(tree: cst.Module) -> dict[cst.Call, list[tuple[str, cst.BaseExpression]]]:
    """The entries of the dicts spread into calls (`EcsService(self, "svc", **config)`), each as the keyword it
    stands for and its value, for a dict written out in the call's own function: bound once to a dict literal,
    then given only `config["key"] = value`, and read nowhere but in that one `**config`. Python passes such
    entries exactly as keywords; a dict read or bound any other way may hold anything and is left out."""
    found: dict[cst.Call, list[tuple[str, cst.BaseExpression]]] = {}
    scopes: list[cst.CSTNode] = [tree]
    while scopes:
        scope = scopes.pop()
        literals: dict[str, list[cst.Dict]] = {}
        stores: dict[str, list[tuple[str, cst.BaseExpression]]] = {}
        spreads: dict[str, list[cst.Call]] = {}
        uses: dict[str, int] = {}  # every occurrence of each name in the scope
        expected: dict[str, int] = {}  # the occurrences accounted for by the forms above
        if type(scope) is cst.Module:
            stack: list[cst.CSTNode] = list(scope.body)
        elif type(scope) is cst.ClassDef:
            stack = [scope.body]
        else:  # a function's or lambda's parameters bind names of its scope too
            stack = [scope.params, scope.body]
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind in _SCOPES:
                scopes.append(node)
                if kind is not cst.Lambda:
                    uses[node.name.value] = uses.get(node.name.value, 0) + 1  # a def binds its name here
                continue
            if kind is cst.Name:
                uses[node.value] = uses.get(node.value, 0) + 1
                continue
            if kind is cst.Assign and len(node.targets) == 1:
                target = node.targets[0].target
                if type(target) is cst.Name and type(node.value) is cst.Dict:
                    literals.setdefault(target.value, []).append(node.value)
                    expected[target.value] = expected.get(target.value, 0) + 1
                elif (type(target) is cst.Subscript and type(target.value) is cst.Name and len(target.slice) == 1
                      and type(target.slice[0].slice) is cst.Index
                      and (key := string_value(target.slice[0].slice.value)) is not None):
                    stores.setdefault(target.value.value, []).append((key, node.value))
                    expected[target.value.value] = expected.get(target.value.value, 0) + 1
            elif kind is cst.Call:
                for arg in node.args:
                    if arg.star == "**" and type(arg.value) is cst.Name:
                        spreads.setdefault(arg.value.value, []).append(node)
                        expected[arg.value.value] = expected.get(arg.value.value, 0) + 1
            stack.extend(iter_children(node))
        for name, calls in spreads.items():
            if len(calls) != 1 or len(literals.get(name, ())) != 1 or uses.get(name, 0) != expected.get(name, 0):
                continue
            (literal,) = literals[name]
            entries = [(key, element.value) for element in literal.elements
                       if type(element) is cst.DictElement and (key := string_value(element.key)) is not None]
            if len(entries) != len(literal.elements):
                continue  # a `**other` inside the literal, or a computed key: not all keywords are known
            found[calls[0]] = entries + stores.get(name, [])
    return found
