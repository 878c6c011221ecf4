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


class _Collector(cst.CSTVisitor):
    def __init__(self, class_names: set[str]) -> None:
        super().__init__()
        self.class_names = class_names
        self.found: list[Construct] = []
        self.scopes = Scopes()
        self._classes: list[cst.ClassDef] = []
        self._functions: list[cst.FunctionDef] = []
        self._loops = 0
        self._statement: cst.SimpleStatementLine | None = None
        self._order = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node)
        self.scopes.class_attributes.setdefault(node, set())

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)
        self.scopes.function_names.setdefault(node, set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_For(self, node: cst.For) -> None:
        self._loops += 1

    def leave_For(self, original_node: cst.For) -> None:
        self._loops -= 1

    def visit_While(self, node: cst.While) -> None:
        self._loops += 1

    def leave_While(self, original_node: cst.While) -> None:
        self._loops -= 1

    def visit_Name(self, node: cst.Name) -> None:
        names = self.scopes.function_names[self._functions[-1]] if self._functions else self.scopes.module_names
        names.add(node.value)
        self.scopes.module_names.add(node.value)  # a new local must not shadow a global either

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._classes and isinstance(node.value, cst.Name) and node.value.value == "self":
            self.scopes.class_attributes[self._classes[-1]].add(node.attr.value)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statement = None

    def visit_Call(self, node: cst.Call) -> None:
        name = callee_name(node)
        if name not in self.class_names:
            return
        self._order += 1
        statement, binding = self._statement_and_binding(node)
        self.found.append(Construct(
            call=node,
            class_name=name,
            statement=statement,
            function=self._functions[-1] if self._functions else None,
            klass=self._classes[-1] if self._classes else None,
            binding=binding,
            in_loop=self._loops > 0,
            order=self._order,
        ))

    def _statement_and_binding(self, call: cst.Call) -> tuple[cst.SimpleStatementLine | None, str | None]:
        line = self._statement
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
    tree.visit(collector)
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


class ApplyDependencyEdits(cst.CSTTransformer):
    def __init__(self, edits: DependencyEdits) -> None:
        super().__init__()
        self.edits = edits

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        additions = self.edits.add_depends.get(original_node)
        if not additions:
            return updated_node
        values = [cst.parse_expression(code) for code in additions]
        arg = keyword_arg(updated_node, "depends_on")
        if arg is None:
            return add_keyword_arg(updated_node, "depends_on", new_list(values))
        new_args = [a.with_changes(value=extend_list(a.value, values)) if a is arg else a for a in updated_node.args]
        return updated_node.with_changes(args=new_args)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        target = self.edits.bind.get(original_node)
        if target is None:
            return updated_node
        expr = updated_node.body[0]
        assign = cst.Assign(targets=[cst.AssignTarget(cst.parse_expression(target))], value=expr.value,
                            semicolon=expr.semicolon)
        return updated_node.with_changes(body=[assign, *updated_node.body[1:]])

    def _insert(self, original_body, updated_body):
        new_body = []
        for original, updated in zip(original_body, updated_body):
            inserted = self.edits.insert_before.get(original)
            if inserted:
                # The new statements take over the comment and blank lines that introduced the statement.
                first = inserted[0].with_changes(leading_lines=updated.leading_lines)
                new_body.extend([first, *inserted[1:]])
                updated = updated.with_changes(leading_lines=[])
            new_body.append(updated)
        return new_body

    def leave_IndentedBlock(self, original_node, updated_node):
        if not any(s in self.edits.insert_before for s in original_node.body):
            return updated_node
        return updated_node.with_changes(body=self._insert(original_node.body, updated_node.body))

    def leave_Module(self, original_node, updated_node):
        if not any(s in self.edits.insert_before for s in original_node.body):
            return updated_node
        return updated_node.with_changes(body=self._insert(original_node.body, updated_node.body))
