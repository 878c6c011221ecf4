"""Data sources a repair reads a value from: the account, region or partition Terraform knows for the provider.

Some values a generated stack writes as placeholders of another tool (CloudFormation's `${AWS::AccountId}`) or
leaves out (the region in a KMS key policy's `logs.<region>.amazonaws.com`) are what a data source of the provider
reads at plan time: `DataAwsCallerIdentity.account_id`, `DataAwsRegion.region`, `DataAwsPartition.partition`. In a
construct's method, the data source bound before the statement is used; otherwise one is created right before the
statement (one per method and class, whatever the number of uses), in the construct's own scope (`self`), and its
import added.
"""

from __future__ import annotations

import re

import libcst as cst

from repair.provider_index import PACKAGE
from repair.transforms._cst import add_import, code_of, construct_id, iter_children, walk
from repair.transforms._provider_imports import ProviderBindings


class DataSources:
    def __init__(self, tree: cst.Module, bindings: ProviderBindings, quote: str = '"') -> None:
        self._bindings = bindings.copy()  # extended with the classes this plans to import
        self._quote = quote
        self._tree = tree
        self._parents: dict[cst.CSTNode, cst.CSTNode] | None = None
        self._taken: set[str] | None = None
        self._planned: dict[tuple[cst.FunctionDef, str], tuple[str, cst.BaseStatement]] = {}
        self._created: set[tuple[cst.FunctionDef, str]] = set()
        self._inserted: dict[cst.BaseStatement, list[cst.BaseStatement]] = {}
        self._imports: list[tuple[str, str]] = []

    def name_for(self, node: cst.CSTNode, module: str, class_name: str) -> str | None:
        """How code at `node` names the data source `class_name`: bound before its statement in the same method,
        planned there already, or (once `create` confirms it) created there; None outside a method of a class."""
        method, statement = self._method_statement(node)
        if method is None:
            return None
        planned = self._planned.get((method, class_name))
        if planned is not None:
            return planned[0]
        for earlier in method.body.body:
            if earlier is statement:
                break
            if type(earlier) is cst.SimpleStatementLine and len(earlier.body) == 1 and type(
                    earlier.body[0]) is cst.Assign and len(earlier.body[0].targets) == 1:
                assign = earlier.body[0]
                target = assign.targets[0].target
                if type(assign.value) is cst.Call and self._bindings.resolve(assign.value.func) == (
                        module, class_name) and type(target) in (cst.Name, cst.Attribute):
                    return code_of(target)
        base = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name.removeprefix("DataAws")).lower()
        taken = self._taken_names()
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(name)
        self._planned[(method, class_name)] = (name, statement)
        return name

    def create(self, node: cst.CSTNode, module: str, class_name: str) -> None:
        """Create the data source `name_for` planned for code at `node` (nothing when it was bound already)."""
        method, _ = self._method_statement(node)
        key = (method, class_name)
        if key not in self._planned or key in self._created:
            return
        self._created.add(key)
        name, statement = self._planned[key]
        local = self._bindings.import_name(module, class_name, self._imports)
        scope = method.params.params[0].name.value
        quote = self._quote
        self._inserted.setdefault(statement, []).append(
            cst.parse_statement(f"{name} = {local}({scope}, {quote}{name}{quote})\n"))

    def statement_edits(self) -> dict[cst.BaseStatement, object]:
        """Edits for `_cst.apply_leaves`: each statement preceded by the data sources created for it."""
        return {statement: (lambda updated, created=created: _after(created, updated))
                for statement, created in self._inserted.items()}

    def merged(self, edits: dict[cst.CSTNode, object]) -> dict[cst.CSTNode, object]:
        """A rule's own `apply_leaves` edits with the statement edits (a statement edited by both gets both)."""
        merged = dict(edits)
        for statement, edit in self.statement_edits().items():
            own = merged.get(statement)
            merged[statement] = edit if own is None else (lambda updated, own=own, edit=edit: edit(own(updated)))
        return merged

    def add_imports(self, context, tree: cst.Module) -> cst.Module:
        for module, class_name in self._imports:
            tree = add_import(context, tree, f"{PACKAGE}.{module}", class_name)
        return tree

    def _taken_names(self) -> set[str]:
        if self._taken is None:
            # Every variable name and construct id of the file (keywords and attribute names are neither).
            taken: set[str] = set()
            for node in walk(self._tree):
                if type(node) is cst.Name and not (
                        type(self._parent(node)) is cst.Arg and self._parent(node).keyword is node) and not (
                        type(self._parent(node)) is cst.Attribute and self._parent(node).attr is node):
                    taken.add(node.value)
                elif type(node) is cst.Call and (text := construct_id(node)) is not None:
                    taken.add(text)
            self._taken = taken
        return self._taken

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        if self._parents is None:
            self._parents = {}
            for parent in walk(self._tree):
                for child in iter_children(parent):
                    self._parents[child] = parent
        return self._parents.get(node)

    def _method_statement(self, node: cst.CSTNode) -> tuple[cst.FunctionDef | None, cst.BaseStatement | None]:
        """The method of a class that `node` is in, and the statement of the method's body that holds `node`."""
        child, parent = node, self._parent(node)
        while parent is not None:
            if type(parent) is cst.IndentedBlock:
                owner = self._parent(parent)
                if type(owner) is cst.FunctionDef:
                    block = self._parent(owner)
                    in_class = type(block) is cst.IndentedBlock and type(self._parent(block)) is cst.ClassDef
                    if in_class and owner.params.params:
                        return owner, child
                    return None, None
            child, parent = parent, self._parent(parent)
        return None, None


def _after(created: list[cst.BaseStatement], statement: cst.BaseStatement) -> cst.FlattenSentinel:
    """The created statements, then `statement`: they take its blank lines above, it keeps its comments."""
    lines = list(statement.leading_lines)
    first_comment = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
    created = [created[0].with_changes(leading_lines=lines[:first_comment]), *created[1:]]
    return cst.FlattenSentinel([*created, statement.with_changes(leading_lines=lines[first_comment:])])
