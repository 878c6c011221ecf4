"""Where constructs are created and how other code can refer to them; the edits that add `depends_on` entries.

CDK003 and CDK004 both make one construct depend on others. That needs, for each construct call, the statement
that creates it, the method and class it is in, and the name it is bound to (`api`, `self.api`) or the fact that
it is a bare expression statement (then we bind it to a new variable named after its construct id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import libcst as cst

from repair.transforms._cst import (
    add_keyword_arg,
    apply_leaves,
    iter_children,
    callee_name,
    code_of,
    construct_id,
    dotted_code,
    extend_list,
    keyword_arg,
    new_list,
    snake_identifier,
    unique_identifier,
)


@dataclass(eq=False)
class Construct:
    call: cst.Call
    class_name: str
    statement: cst.SimpleStatementLine | None  # the statement whose whole value is this call
    function: cst.FunctionDef | None
    klass: cst.ClassDef | None
    binding: str | None  # "x" or "self.x": what later code uses to refer to it
    in_loop: bool
    order: int  # position in the file, to tell "created before" from "after"

    @property
    def construct_id(self) -> str | None:
        return construct_id(self.call)

    @property
    def bindable(self) -> bool:
        """A bare `Resource(...)` statement that can be turned into `name = Resource(...)`."""
        return self.binding is None and self.statement is not None and not self.in_loop


@dataclass
class Scopes:
    """Names already taken, per function (locals) and per class (`self.` attributes)."""

    module_names: set[str] = field(default_factory=set)
    function_names: dict[cst.FunctionDef, set[str]] = field(default_factory=dict)
    class_attributes: dict[cst.ClassDef, set[str]] = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)  # statement -> the IndentedBlock or Module holding it

    def copy(self) -> "Scopes":
        """Independent name sets (for planning on a scratch copy); the tree's nodes are shared, not copied."""
        return Scopes(set(self.module_names), {k: set(v) for k, v in self.function_names.items()},
                      {k: set(v) for k, v in self.class_attributes.items()}, self.blocks)


class _Collector:
    """One walk over the tree noting, for each construct call of interest, where it is and how it is bound."""

    def __init__(self, class_names: set[str]) -> None:
        self.class_names = class_names
        self.found: list[Construct] = []
        self.scopes = Scopes()
        self.blocks: dict[cst.SimpleStatementLine, cst.CSTNode] = {}  # statement -> the block holding it

    def run(self, tree: cst.Module) -> None:
        self._walk(tree, klass=None, function=None, loops=0, statement=None, block=tree)

    def _walk(self, node, *, klass, function, loops, statement, block) -> None:
        # Exact types, not isinstance: these are concrete libcst classes, and isinstance on them goes through
        # ABCMeta in Python for every node of the tree.
        kind = type(node)
        if kind is cst.Name:
            names = self.scopes.function_names[function] if function else self.scopes.module_names
            names.add(node.value)
            self.scopes.module_names.add(node.value)  # a new local must not shadow a global either
            return
        if kind is cst.ClassDef:
            klass = node
            self.scopes.class_attributes.setdefault(node, set())
        elif kind is cst.FunctionDef:
            function = node
            self.scopes.function_names.setdefault(node, set())
        elif kind is cst.For or kind is cst.While:
            loops += 1
        elif kind is cst.SimpleStatementLine:
            statement = node
            self.blocks[node] = block
        elif kind is cst.IndentedBlock or kind is cst.Module:
            block = node
        elif kind is cst.Attribute:
            if klass is not None and type(node.value) is cst.Name and node.value.value == "self":
                self.scopes.class_attributes[klass].add(node.attr.value)
        elif kind is cst.Call and callee_name(node) in self.class_names:
            bound_statement, binding = _statement_and_binding(statement, node)
            self.found.append(Construct(call=node, class_name=callee_name(node), statement=bound_statement,
                                        function=function, klass=klass, binding=binding, in_loop=loops > 0,
                                        order=len(self.found) + 1))
        for child in iter_children(node):
            self._walk(child, klass=klass, function=function, loops=loops, statement=statement, block=block)


def _statement_and_binding(line, call: cst.Call) -> tuple[cst.SimpleStatementLine | None, str | None]:
    if line is None or len(line.body) != 1:
        return None, None
    small = line.body[0]
    if isinstance(small, cst.Expr) and small.value is call:
        return line, None
    if isinstance(small, cst.Assign) and small.value is call:
        return line, dotted_code(small.targets[0].target)
    if isinstance(small, cst.AnnAssign) and small.value is call:
        return line, dotted_code(small.target)
    return None, None


def collect(tree: cst.Module, class_names: Iterable[str]) -> tuple[list[Construct], Scopes]:
    collector = _Collector(set(class_names))
    collector.run(tree)
    collector.scopes.blocks = collector.blocks
    return collector.found, collector.scopes


@dataclass
class DependencyEdits:
    """The planned edits of one rule run, keyed by original nodes, applied in a single transform."""

    scopes: Scopes
    bind: dict[cst.SimpleStatementLine, str] = field(default_factory=dict)
    add_depends: dict[cst.Call, list[str]] = field(default_factory=dict)
    insert_before: dict[cst.SimpleStatementLine, list[cst.SimpleStatementLine]] = field(default_factory=dict)
    _bound: dict[Construct, str] = field(default_factory=dict)

    def reference(self, target: Construct, dependency: Construct) -> tuple[str | None, str]:
        """How code at `target` can name `dependency` (binding it first if it is bare), or None and why not."""
        if dependency.in_loop:
            return None, "it is created in a loop"
        binding = dependency.binding or self._bound.get(dependency)
        same_function = dependency.function is target.function
        if binding and binding.startswith("self."):
            if dependency.klass is not None and dependency.klass is target.klass:
                if same_function and dependency.order > target.order:
                    return None, "it is created after"
                return binding, ""
            return None, "it belongs to another class"
        if binding:
            if not same_function:
                return None, f"`{binding}` is a local of another function"
            if dependency.order > target.order:
                return None, f"`{binding}` is created after"
            return binding, ""
        if not dependency.bindable:
            return None, "it is not bound to a name"
        return self._bind(target, dependency)

    def _bind(self, target: Construct, dependency: Construct) -> tuple[str | None, str]:
        base = snake_identifier(dependency.construct_id or dependency.class_name)
        if dependency.function is target.function:
            if dependency.order > target.order:
                return None, "it is created after"
            taken = (self.scopes.function_names.get(dependency.function, set()) if dependency.function
                     else self.scopes.module_names)
            taken |= self.scopes.module_names if dependency.function else set()
            name = unique_identifier(base, taken)
        elif dependency.klass is not None and dependency.klass is target.klass and dependency.function is not None:
            name = "self." + unique_identifier(base, self.scopes.class_attributes[dependency.klass])
        else:
            return None, "it is bare in another scope"
        self.bind[dependency.statement] = name
        self._bound[dependency] = name
        return name, ""

    def depend(self, target: Construct, reference: str) -> None:
        self.add_depends.setdefault(target.call, []).append(reference)

    def empty(self) -> bool:
        return not (self.bind or self.add_depends or self.insert_before)


def existing_dependencies(call: cst.Call) -> tuple[list[str] | None, bool]:
    """The `depends_on` entries as code, and whether we can add to them (absent, or a list literal)."""
    arg = keyword_arg(call, "depends_on")
    if arg is None:
        return [], True
    if isinstance(arg.value, cst.List):
        return [code_of(e.value) for e in arg.value.elements], True
    return None, False


def apply_dependency_edits(tree: cst.Module, edits: DependencyEdits) -> cst.Module:
    """Rebuild only what the edits touch: the calls given new depends_on entries, the statements bound to a new
    name, and the blocks that receive new statements."""
    changes: dict = {}
    for call, additions in edits.add_depends.items():
        changes[call] = lambda updated, additions=additions: _add_dependencies(updated, additions)
    for statement, target in edits.bind.items():
        changes[statement] = lambda updated, target=target: _bind(updated, target)
    for statement in edits.insert_before:
        block = edits.scopes.blocks[statement]
        changes[block] = lambda updated, original=block: updated.with_changes(
            body=_insert(original.body, updated.body, edits.insert_before))
    return apply_leaves(tree, changes)


def _add_dependencies(call: cst.Call, additions: list[str]) -> cst.Call:
    values = [cst.parse_expression(code) for code in additions]
    arg = keyword_arg(call, "depends_on")
    if arg is None:
        return add_keyword_arg(call, "depends_on", new_list(values))
    return call.with_changes(args=[a.with_changes(value=extend_list(a.value, values)) if a is arg else a
                                   for a in call.args])


def _bind(line: cst.SimpleStatementLine, target: str) -> cst.SimpleStatementLine:
    expr = line.body[0]
    assign = cst.Assign(targets=[cst.AssignTarget(cst.parse_expression(target))], value=expr.value,
                        semicolon=expr.semicolon)
    return line.with_changes(body=[assign, *line.body[1:]])


def _insert(original_body, updated_body, insert_before) -> list:
    new_body = []
    for original, updated in zip(original_body, updated_body):
        inserted = insert_before.get(original)
        if inserted:
            # The new statements take over the comment and blank lines that introduced the statement.
            first = inserted[0].with_changes(leading_lines=updated.leading_lines)
            new_body.extend([first, *inserted[1:]])
            updated = updated.with_changes(leading_lines=[])
        new_body.append(updated)
    return new_body
