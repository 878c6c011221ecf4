"""CDK034 attribute-order: a constructor that calls a helper method before it assigns what the helper reads.

Answers split a stack or a construct into helper methods (`self._create_endpoints()`) that read the attributes the
constructor sets (`self.vpc`, `self.security_group`). When `__init__` calls such a helper before the
`self.security_group = ...` line the helper reads, Python stops the app at synth: "AttributeError: 'ServiceStack'
object has no attribute 'security_group'". The attribute is there a few lines further down; the call is misplaced.

What a helper reads and assigns is followed through the methods it calls and the properties it reads, of its own
class and of the module's classes it derives from. A statement of `__init__` whose helpers read an attribute that
`__init__` assigns only after it (and that nothing assigned before: no earlier statement, no helper an earlier
statement calls, not the class body, not cdktf's base classes) is the failure. The repair moves the call statement
to just after the assignment of the last such attribute, and only when the move is certain to change nothing else:
- the call is a statement of its own at the top level of `__init__` (`self._helper(...)`, its value unused), each
  attribute it lacks is first assigned by an assignment at that same level (not under an `if`, in a loop or by
  another helper), and every attribute it reads is assigned by then;
- the statements moved over assign the attributes it lacks once each and change no other attribute it reads; they
  do not read, assign or mutate what the helper assigns or mutates, nor call the helper, nor `return`; they do not
  rebind a name the call passes, nor read one that the helper may mutate;
- neither side hands `self` to the module's own functions or classes or keeps it (which could read anything of it
  later), and the helper does not look its attributes up by name (`hasattr`, `getattr`, ...).
Otherwise the finding names the attribute, the line that assigns it and the call, and the code is left alone. The
comment lines above the call move with it; the blank lines that separated it stay where they were.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from repair.cdktf_index import construct_members, stack_members
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import NODE_TYPES, _child_fields, apply_leaves, code_of
from repair.transforms._positions import start_positions
from repair.transforms._triggers import (All, Any, Regex, SharedWord, SourceFacts, Trigger, ast_children,
                                        standalone)

_INTROSPECTION = frozenset({"hasattr", "getattr", "setattr", "delattr", "vars"})
_NESTED = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# Where an expression is written to, not read: its parent's type and field.
_STORE_FIELDS = frozenset({(cst.AssignTarget, "target"), (cst.AugAssign, "target"), (cst.For, "target"),
                           (cst.CompFor, "target"), (cst.Del, "target"), (cst.AsName, "name"),
                           (cst.AnnAssign, "target"), (cst.NamedExpr, "target")})
# Nodes inside a target that are targets themselves (`a, self.b = ...`).
_STORE_KEEPERS = (cst.Tuple, cst.List, cst.Element, cst.StarredElement)


@dataclass
class _Effects:
    """What code does to the instance (`self.X`, by attribute name), directly and through the methods it calls, and
    which plain names it reads and binds. `later_*`: what its nested functions and lambdas may do once called."""

    reads: set[str] = field(default_factory=set)
    assigns: set[str] = field(default_factory=set)
    mutates: set[str] = field(default_factory=set)  # `self.X[k] = ...`, `self.X.y = ...`, `self.X.m(...)`
    calls: set[str] = field(default_factory=set)  # own methods called, properties read
    super_calls: set[str] = field(default_factory=set)  # `super().name(...)`, `Base.name(self, ...)`
    later_reads: set[str] = field(default_factory=set)
    later_touches: set[str] = field(default_factory=set)
    later_calls: set[str] = field(default_factory=set)
    names_read: set[str] = field(default_factory=set)
    names_bound: set[str] = field(default_factory=set)
    returns: bool = False
    escapes: bool = False  # `self` handed to the module's own code, or kept: what reads it then is out of sight
    introspects: bool = False  # `hasattr(self, ...)` and the like: attributes looked up by name

    @property
    def touches(self) -> set[str]:
        return self.assigns | self.mutates

    def merge(self, other: _Effects, later: bool = False) -> None:
        """Add what a called method does (`later`: a method that is only called later)."""
        if later:
            self.later_reads |= other.reads | other.later_reads
            self.later_touches |= other.touches | other.later_touches
            self.later_calls |= other.calls | other.later_calls
        else:
            self.reads |= other.reads
            self.assigns |= other.assigns
            self.mutates |= other.mutates
            self.calls |= other.calls
            self.later_reads |= other.later_reads
            self.later_touches |= other.later_touches
            self.later_calls |= other.later_calls
        self.escapes |= other.escapes
        self.introspects |= other.introspects


def _self_attribute(node: cst.CSTNode, self_name: str) -> str | None:
    """X of `self.X`."""
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == self_name:
        return node.attr.value
    return None


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return type(node) is cst.Name and node.value == name


def _root_name(node: cst.BaseExpression) -> str | None:
    while type(node) is cst.Attribute:
        node = node.value
    return node.value if type(node) is cst.Name else None


def _children(node: cst.CSTNode):
    """(field, child) of each child node that carries code."""
    for name in _child_fields(node):
        value = getattr(node, name)
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if type(child) in NODE_TYPES:
                yield name, child


def _target_names(target: cst.BaseExpression) -> list[str]:
    if type(target) is cst.Name:
        return [target.value]
    if type(target) in (cst.Tuple, cst.List):
        return [n for element in target.elements for n in _target_names(element.value)]
    if type(target) is cst.StarredElement:
        return _target_names(target.value)
    return []


def _assignment_targets(small: cst.BaseSmallStatement) -> list[cst.BaseExpression]:
    """What a small statement assigns (an annotation alone assigns nothing)."""
    if isinstance(small, cst.Assign):
        return [target.target for target in small.targets]
    if isinstance(small, cst.AnnAssign) and small.value is not None or isinstance(small, cst.AugAssign):
        return [small.target]
    return []


class _Class:
    """A class of the module: its methods, the names its body binds, its bases among the module's classes."""

    def __init__(self, node: cst.ClassDef, module: _Module) -> None:
        self.node = node
        self.module = module
        self.methods: dict[str, list[cst.FunctionDef]] = {}
        self.class_names: set[str] = set()  # what the class itself has: methods, nested classes, class attributes
        self.properties: set[str] = set()
        for statement in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(statement, cst.FunctionDef):
                self.methods.setdefault(statement.name.value, []).append(statement)
                self.class_names.add(statement.name.value)
                if any(code_of(d.decorator).split(".")[-1] in ("property", "cached_property", "getter", "setter")
                       for d in statement.decorators):
                    self.properties.add(statement.name.value)
            elif isinstance(statement, cst.ClassDef):
                self.class_names.add(statement.name.value)
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    for target in _assignment_targets(small):
                        self.class_names.update(_target_names(target))
        self.base_names = [code_of(arg.value) for arg in node.bases if arg.keyword is None]

    @property
    def bases(self) -> list[_Class]:
        classes = self.module.classes
        return [classes[name] for name in self.base_names if name in classes and classes[name] is not self]

    @property
    def external_base(self) -> bool:
        """Whether a base is a class of another module (cdktf's `TerraformStack`, `Construct`)."""
        return any(name not in self.module.classes and name != "object" for name in self.base_names)

    def lineage(self) -> list[_Class]:
        """The class and its bases among the module's classes, nearest first."""
        found: list[_Class] = []
        stack = [self]
        while stack:
            klass = stack.pop(0)
            if all(klass is not seen for seen in found):
                found.append(klass)
                stack.extend(klass.bases)
        return found

    def lookup(self, name: str) -> tuple[_Class, list[cst.FunctionDef]] | None:
        """The class that defines a method, and its definitions."""
        for klass in self.lineage():
            if name in klass.methods:
                return klass, klass.methods[name]
        return None

    def method_names(self) -> set[str]:
        return {name for klass in self.lineage() for name in klass.methods}

    def property_names(self) -> set[str]:
        return {name for klass in self.lineage() for name in klass.properties}

    def own_names(self) -> set[str]:
        return {name for klass in self.lineage() for name in klass.class_names}


class _Module:
    """The module's classes (at any depth) and the functions and classes it defines at its top level."""

    def __init__(self, tree: cst.Module) -> None:
        self.classes: dict[str, _Class] = {}
        self.class_nodes: list[cst.ClassDef] = []
        self.callables: set[str] = {s.name.value for s in tree.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))}
        stack: list[cst.CSTNode] = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.ClassDef):
                self.class_nodes.append(node)
                self.classes.setdefault(node.name.value, _Class(node, self))
                self.callables.add(node.name.value)
            if isinstance(node, (cst.Module, cst.BaseCompoundStatement, cst.BaseSuite, cst.ExceptHandler,
                                 cst.Else, cst.Finally)):
                stack.extend(child for _, child in _children(node)
                             if isinstance(child, (cst.BaseCompoundStatement, cst.BaseSuite, cst.ExceptHandler,
                                                   cst.Else, cst.Finally)))


class _Reader:
    """Reads the effects of code on the instance that a method names `self_name` (its first parameter)."""

    def __init__(self, klass: _Class, self_name: str) -> None:
        self.klass = klass
        self.self_name = self_name
        self.methods = klass.method_names()
        self.properties = klass.property_names()
        self.callables = klass.module.callables

    def effects(self, nodes) -> _Effects:
        effects = _Effects()
        for node in nodes:
            self._visit(node, None, "", effects, False, False)
        return effects

    def _visit(self, node: cst.CSTNode, parent, field_name: str, effects: _Effects, store: bool,
               later: bool) -> None:
        kind = type(node)
        if kind in _NESTED:
            self._nested(node, effects, later)
            return
        if kind is cst.Return and not later:
            effects.returns = True
        attribute = _self_attribute(node, self.self_name)
        if attribute is not None:
            self._attribute(attribute, parent, field_name, effects, store, later)
            return
        if kind is cst.Name:
            self._name(node, parent, field_name, effects, store)
            return
        if kind is cst.Call:
            self._call(node, effects, later)
        elif kind is cst.AnnAssign and node.value is None:
            self._visit(node.annotation, node, "annotation", effects, False, later)
            return  # `self.x: int` declares the attribute, it does not assign it
        elif store and kind in (cst.Subscript, cst.Attribute):
            base = node.value  # `self.X[k] = ...`, `self.X.y = ...`: X is mutated
            while type(base) in (cst.Subscript, cst.Attribute) and _self_attribute(base, self.self_name) is None:
                base = base.value
            mutated = _self_attribute(base, self.self_name)
            if mutated is not None:
                (effects.later_touches if later else effects.mutates).add(mutated)
        for name, child in _children(node):
            if kind is cst.AugAssign and name == "target":
                self._visit(child, node, name, effects, False, later)  # read, then written
            child_store = (kind, name) in _STORE_FIELDS or (store and kind in _STORE_KEEPERS)
            self._visit(child, node, name, effects, child_store, later)

    def _nested(self, node, effects: _Effects, later: bool) -> None:
        """A function, lambda or class defined here: what it does happens when it is called."""
        kind = type(node)
        inner = _Effects()
        if kind is not cst.Lambda:
            effects.names_bound.add(node.name.value)
            for decorator in node.decorators:
                self._visit(decorator, node, "decorators", effects, False, later)
        for name in ("params", "body") if kind is not cst.ClassDef else ("bases", "body"):
            value = getattr(node, name)
            for child in value if isinstance(value, (list, tuple)) else (value,):
                self._visit(child, node, name, inner, False, True)
        effects.merge(inner, later=True)
        effects.names_read |= inner.names_read

    def _attribute(self, attribute: str, parent, field_name: str, effects: _Effects, store: bool, later: bool):
        if store:
            (effects.later_touches if later else effects.assigns).add(attribute)
            return
        if attribute in self.methods:
            called = type(parent) is cst.Call and field_name == "func"
            if called or attribute in self.properties:
                (effects.later_calls if later else effects.calls).add(attribute)
            else:
                effects.later_calls.add(attribute)  # a bound method handed on: called later, if at all
            return
        (effects.later_reads if later else effects.reads).add(attribute)

    def _name(self, node: cst.Name, parent, field_name: str, effects: _Effects, store: bool) -> None:
        if store:
            effects.names_bound.add(node.value)
            return
        if type(parent) is cst.Attribute and field_name == "attr" or type(parent) is cst.Arg and \
                field_name == "keyword":
            return
        effects.names_read.add(node.value)
        if node.value == self.self_name and type(parent) is not cst.Arg:
            # `self` kept or returned (an argument is judged by its call: the scope of a construct is fine)
            effects.escapes = True

    def _call(self, call: cst.Call, effects: _Effects, later: bool) -> None:
        func = call.func
        passes_self = any(_is_name(arg.value, self.self_name) for arg in call.args)
        if passes_self and type(func) is cst.Name and func.value in _INTROSPECTION:
            effects.introspects = True
        elif passes_self and _root_name(func) in self.callables:
            effects.escapes = True  # the module's own function or class: it may read any attribute
        if type(func) is not cst.Attribute:
            return
        if type(func.value) is cst.Call and _is_name(func.value.func, "super"):
            (effects.later_calls if later else effects.super_calls).add(func.attr.value)
        owner = _self_attribute(func.value, self.self_name)
        if owner is not None:
            (effects.later_touches if later else effects.mutates).add(owner)  # `self.X.m(...)` may change X
        if type(func.value) is cst.Name and call.args and _is_name(call.args[0].value, self.self_name):
            base = self.klass.module.classes.get(func.value.value)
            if base is not None and any(base is b for b in self.klass.lineage()[1:]):
                (effects.later_calls if later else effects.super_calls).add(func.attr.value)  # Base.name(self)


class _Analysis:
    """The effects of a class's methods, each followed through the methods it calls."""

    def __init__(self, klass: _Class) -> None:
        self.klass = klass
        self._memo: dict[int, _Effects] = {}
        self._active: set[int] = set()

    def method(self, owner: _Class, definitions: list[cst.FunctionDef]) -> _Effects:
        """A method's effects (of all its definitions: a property's getter and setter), followed through."""
        total = _Effects()
        for definition in definitions:
            key = id(definition)
            if key not in self._memo:
                if key in self._active:
                    continue  # recursion: what it does is being collected already
                self._active.add(key)
                self._memo[key] = self._own(owner, definition)
                self._active.discard(key)
            total.merge(self._memo[key])
        return total

    def _own(self, owner: _Class, definition: cst.FunctionDef) -> _Effects:
        params = [*definition.params.posonly_params, *definition.params.params]
        if not params or any(code_of(d.decorator) in ("staticmethod", "classmethod") for d in definition.decorators):
            return _Effects()
        effects = _Reader(self.klass, params[0].name.value).effects([definition.body])
        self.follow(effects, owner)
        if _is_generator(definition):
            # Calling it only makes the generator: its body runs as the result is iterated, if ever
            # (`self._parse = self._parsegen().__next__`).
            deferred = _Effects(escapes=effects.escapes, introspects=effects.introspects)
            deferred.merge(effects, later=True)
            return deferred
        return effects

    def follow(self, effects: _Effects, owner: _Class) -> None:
        """Add the effects of the methods it calls (looked up on the instance's class: a method a base calls may be
        overridden)."""
        for name in sorted(effects.calls):
            found = self.klass.lookup(name)
            if found:
                effects.merge(self.method(*found))
        for name in sorted(effects.later_calls):
            found = self.klass.lookup(name)
            if found:
                effects.merge(self.method(*found), later=True)
        for name in sorted(effects.super_calls):
            for base in owner.lineage()[1:]:
                if name in base.methods:
                    effects.merge(self.method(base, base.methods[name]))
                    break

    def helper_reads(self, effects: _Effects) -> set[str]:
        """What the methods a statement calls read (without what the statement reads itself)."""
        read: set[str] = set()
        for name in effects.calls:
            found = self.klass.lookup(name)
            if found:
                read |= self.method(*found).reads
        return read

    def statement(self, statement: cst.CSTNode, self_name: str) -> tuple[_Effects, set[str]]:
        """The statement's effects, followed through, and what its helpers read."""
        effects = _Reader(self.klass, self_name).effects([statement])
        helpers = self.helper_reads(effects)
        self.follow(effects, self.klass)
        return effects, helpers


def _is_generator(definition: cst.FunctionDef) -> bool:
    """A `yield` in the function's own body (not in a function, lambda or class it defines)."""
    stack: list[cst.CSTNode] = [definition.body]
    while stack:
        node = stack.pop()
        if type(node) is cst.Yield:
            return True
        if type(node) not in _NESTED:
            stack.extend(child for _, child in _children(node))
    return False


def _direct_assignment(statement: cst.BaseStatement, self_name: str, attribute: str) -> cst.CSTNode | None:
    """The `self.X` target that a simple statement line assigns at its own level."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        if isinstance(small, cst.AugAssign):
            continue
        for target in _assignment_targets(small):
            if _self_attribute(target, self_name) == attribute:
                return target
    return None


def _assignment_in(statement: cst.BaseStatement, self_name: str, attribute: str) -> cst.CSTNode | None:
    """The first `self.X` target the statement assigns itself, at any depth (not inside a nested function)."""
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.BaseSmallStatement):
            targets = _assignment_targets(node)
            while targets:
                target = targets.pop(0)
                if _self_attribute(target, self_name) == attribute:
                    return target
                if type(target) in (cst.Tuple, cst.List):
                    targets += [element.value for element in target.elements]
                elif type(target) is cst.StarredElement:
                    targets.append(target.value)
        elif type(node) not in _NESTED:
            stack.extend(reversed([child for _, child in _children(node)]))
    return None


def _helper_call(statement: cst.BaseStatement, self_name: str, klass: _Class) -> cst.Call | None:
    """`self.helper(...)` as a statement of its own, calling a method (not a property) of the class."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Expr) or type(small.value) is not cst.Call:
        return None
    name = _self_attribute(small.value.func, self_name)
    if name is None or name in klass.property_names() or klass.lookup(name) is None:
        return None
    return small.value


def _mutated_parameters(definition: cst.FunctionDef, callables: set[str]) -> tuple[list[str], set[str]] | None:
    """The method's parameters after `self`, and those it may change: a method called on one, an item or an
    attribute of it assigned, or handed on to a method of the instance or to the module's own code (a construct
    of the provider only reads what it is given). None when the method takes `*args` or `**kwargs`."""
    params = definition.params
    positional = [*params.posonly_params, *params.params]
    if not positional or isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return None
    self_name = positional[0].name.value
    names = [p.name.value for p in positional[1:]] + [p.name.value for p in params.kwonly_params]
    mutated: set[str] = set()
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode | None, ...], str]] = [(definition.body, (), "")]
    while stack:
        node, parents, field_name = stack.pop()
        parent = parents[-1] if parents else None
        if type(node) is cst.Name and node.value in names:
            grandparent = parents[-2] if len(parents) > 1 else None
            if type(parent) is cst.Subscript and field_name == "value" or \
                    type(parent) is cst.AugAssign and field_name == "target":
                mutated.add(node.value)
            elif type(parent) is cst.Attribute and field_name == "value" and (
                    type(grandparent) is cst.Call and grandparent.func is parent
                    or type(grandparent) in (cst.AssignTarget, cst.AugAssign, cst.Del)):
                mutated.add(node.value)  # `p.append(...)`, `p.x = ...`; reading `p.x` changes nothing
            elif type(parent) is cst.Arg and type(grandparent) is cst.Call and \
                    _root_name(grandparent.func) in callables | {self_name}:
                mutated.add(node.value)
        stack.extend((child, (*parents[-1:], node), name) for name, child in _children(node))
    return names, mutated


def _culprit(statement: cst.BaseStatement, self_name: str, klass: _Class, analysis: _Analysis,
             missing: set[str]) -> cst.CSTNode | None:
    """The first call of a method of the instance (or read of a property) in the statement that reads one of the
    `missing` attributes."""
    properties = klass.property_names()
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        if type(node) is cst.Call:
            found = klass.lookup(_self_attribute(node.func, self_name) or "")
            if found and analysis.method(*found).reads & missing:
                return node
        elif type(node) is cst.Attribute and _self_attribute(node, self_name) in properties:
            found = klass.lookup(node.attr.value)
            if found and analysis.method(*found).reads & missing:
                return node
        if type(node) not in _NESTED:
            stack.extend(reversed([child for _, child in _children(node)]))
    return None


def _leading_blanks(lines) -> list[cst.EmptyLine]:
    count = 0
    while count < len(lines) and lines[count].comment is None:
        count += 1
    return list(lines[:count])


def _first_small(statement: cst.BaseStatement) -> cst.CSTNode:
    if isinstance(statement, cst.SimpleStatementLine) and statement.body:
        return statement.body[0]
    return statement


def _header(node: cst.CSTNode) -> str:
    """The node's code, of a block statement its first line (`if self.ready: ...`)."""
    code = code_of(node).strip()
    first, _, rest = code.partition("\n")
    return f"{first} ..." if rest and isinstance(node, cst.BaseCompoundStatement) else code


def _attributes(self_name: str, names) -> str:
    return ", ".join(f"`{self_name}.{name}`" for name in sorted(names))


class _HelperBeforeAssignment(Trigger):
    """The rule's finding read with `ast`, loosely enough never to miss one: an `__init__` statement that reaches (by
    any `.name` of a function of the module, followed through the functions those reach) a read of an attribute
    that no statement up to it assigns (itself, or a method of its own class it calls on the instance) and that some
    function of the module assigns (a later statement of `__init__`, or a helper a later one calls)."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains("__init__"):
            return False
        tree = facts.tree
        if tree is None:
            return True
        # One walk: the functions by name, each with the attributes read and named in it (its nested functions'
        # included), the attributes assigned anywhere, and every __init__ with the functions of its class.
        functions: dict[str, tuple[set[str], set[str]]] = {}  # name -> (attributes read, attributes named)
        inits: list[tuple[ast.AST, list[ast.AST]]] = []
        stored_anywhere: set[str] = set()
        stack: list[tuple[ast.AST, tuple]] = [(tree.module, ())]
        while stack:
            node, within = stack.pop()
            kind = type(node)
            if kind is ast.Attribute:
                for read, named in within:
                    named.add(node.attr)
                    if type(node.ctx) is ast.Load:
                        read.add(node.attr)
                if type(node.ctx) is not ast.Load and within:
                    stored_anywhere.add(node.attr)
            elif kind is ast.AugAssign and type(node.target) is ast.Attribute:
                for read, _ in within:
                    read.add(node.target.attr)
            elif kind in _DEFINITIONS:
                within = (*within, functions.setdefault(node.name, (set(), set())))
            elif kind is ast.ClassDef:
                methods = [m for m in node.body if type(m) in _DEFINITIONS]
                inits += [(m, methods) for m in methods if m.name == "__init__"]
            stack += [(child, within) for child in ast_children(node)]
        if not inits:
            return False
        direct = {name: (read, named & functions.keys()) for name, (read, named) in functions.items()}
        reads: dict[str, set[str]] = {}

        def reached(name: str) -> set[str]:
            """The attributes read by the functions of that name and by every function they reach."""
            if name not in reads:
                found, seen, pending = set(), {name}, [name]
                while pending:
                    read, reach = direct[pending.pop()]
                    found |= read
                    pending += [n for n in reach if n not in seen]
                    seen.update(reach)
                reads[name] = found
            return reads[name]

        for init, methods in inits:
            params = [*init.args.posonlyargs, *init.args.args]
            if not params:
                continue
            own = {m.name: m for m in methods}
            instance = params[0].arg
            assigned: set[str] = set()
            for statement in init.body:
                helpers, called = _reaches(statement, instance, functions, assigned)
                # What a method of the class called on the instance assigns (`super().__init__` is the base's).
                for name in called:
                    method = own.get(name)
                    its_params = [*method.args.posonlyargs, *method.args.args] if method is not None else []
                    if its_params and not any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
                                              for d in method.decorator_list):
                        _reaches(method, its_params[0].arg, {}, assigned)
                read = set().union(*(reached(name) for name in helpers)) - assigned
                if read & stored_anywhere:
                    return True
        return False


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _reaches(code: ast.AST, instance: str, functions, assigned: set[str]) -> tuple[set[str], set[str]]:
    """Walks the code (a statement, or a function's body) once: adds to `assigned` the attributes `instance.X` it
    assigns itself (not in the functions, lambdas or classes it defines), and returns the names of `functions` it
    reads as any `.name`, and those it reads as `instance.name`."""
    helpers: set[str] = set()
    called: set[str] = set()
    stack: list[tuple[ast.AST, bool]] = [(child, False) for child in ast_children(code)] \
        if type(code) in _DEFINITIONS else [(code, False)]
    while stack:
        node, nested = stack.pop()
        kind = type(node)
        if kind is ast.Attribute:
            own = type(node.value) is ast.Name and node.value.id == instance
            if node.attr in functions:
                helpers.add(node.attr)
                if own:
                    called.add(node.attr)
            if own and not nested and type(node.ctx) is ast.Store:
                assigned.add(node.attr)
        nested = nested or kind in _NESTED_SCOPES
        stack += [(child, nested) for child in ast_children(node)]
    return helpers, called


class AttributeOrder(Rule):
    id = "CDK034"
    slug = "attribute-order"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    summary = ("Call a constructor's helper method after the assignments of the attributes it reads: the call moves "
               "to just after the last of them, when nothing it passes over depends on it.")
    prevents = "AttributeError: 'ServiceStack' object has no attribute 'queue' (cdktf synth fails)"
    prevents_template = "AttributeError: '{class_name}' object has no attribute '{attribute}' (cdktf synth fails)"
    doc_url = "https://docs.python.org/3/library/exceptions.html#AttributeError"
    # The project's own stack or construct lacking one of its attributes (CDK027 has the provider's classes).
    synth_errors = (r"^AttributeError: '\w*(?:Stack|Construct)' object has no attribute",)
    analysis_keywords = ("attribute order", "initialization order", "initialisation order", "order of initialization",
                         "called before * assigned", "called before * defined", "called before * created",
                         "used before * defined", "referenced before * defined", "accessed before * defined",
                         "before assignment", "before it is defined", "before it is assigned",
                         "attribute * before")
    # A method of the file called (or a property read) on `self`, or an `__init__` whose instance has another name;
    # then, read with `ast`, a statement of `__init__` whose helpers read an attribute assigned only later.
    # (`standalone("def")` is `\bdef`, written so that the regex engine looks for the word first.)
    triggers = All(Any(SharedWord(standalone("def") + r"\s+(\w+)\s*\(",
                                  standalone("self") + r"(?:\s|\\)*\.(?:\s|\\)*(\w+)"),
                       Regex(standalone("def") + r"\s+__init__\s*\(\s*(?!self\b)\w")), _HelperBeforeAssignment())

    examples = (
        Example(
            before=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint\n"
                "class Network(Construct):\n"
                "    def __init__(self, scope, id, vpc_id):\n"
                "        super().__init__(scope, id)\n"
                "        self.vpc_id = vpc_id\n"
                "\n"
                "        # Endpoints\n"
                "        self._endpoints()\n"
                "\n"
                "        self.sg = SecurityGroup(self, 'sg', vpc_id=vpc_id)\n"
                "\n"
                "    def _endpoints(self):\n"
                "        VpcEndpoint(self, 'sqs', vpc_id=self.vpc_id, service_name='com.amazonaws.us-east-1.sqs',\n"
                "                    security_group_ids=[self.sg.id])\n"
            ),
            after=(
                "from constructs import Construct\n"
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint\n"
                "class Network(Construct):\n"
                "    def __init__(self, scope, id, vpc_id):\n"
                "        super().__init__(scope, id)\n"
                "        self.vpc_id = vpc_id\n"
                "\n"
                "        self.sg = SecurityGroup(self, 'sg', vpc_id=vpc_id)\n"
                "\n"
                "        # Endpoints\n"
                "        self._endpoints()\n"
                "\n"
                "    def _endpoints(self):\n"
                "        VpcEndpoint(self, 'sqs', vpc_id=self.vpc_id, service_name='com.amazonaws.us-east-1.sqs',\n"
                "                    security_group_ids=[self.sg.id])\n"
            ),
        ),
        # Through a second helper: `_alarms` calls `_topic_arn`, which reads `self.topic`.
        Example(
            before=(
                "class Monitoring:\n"
                "    def __init__(self, scope):\n"
                "        self.scope = scope\n"
                "        self._alarms()\n"
                "        self.topic = make_topic(scope)\n"
                "        self.dashboard = make_dashboard(scope)\n"
                "    def _alarms(self):\n"
                "        make_alarm(self.scope, self._topic_arn())\n"
                "    def _topic_arn(self):\n"
                "        return self.topic.arn\n"
            ),
            after=(
                "class Monitoring:\n"
                "    def __init__(self, scope):\n"
                "        self.scope = scope\n"
                "        self.topic = make_topic(scope)\n"
                "        self._alarms()\n"
                "        self.dashboard = make_dashboard(scope)\n"
                "    def _alarms(self):\n"
                "        make_alarm(self.scope, self._topic_arn())\n"
                "    def _topic_arn(self):\n"
                "        return self.topic.arn\n"
            ),
        ),
        # In order already.
        Example(
            before=(
                "class Network:\n"
                "    def __init__(self, scope):\n"
                "        self.scope = scope\n"
                "        self.vpc = make_vpc(scope)\n"
                "        self._subnets()\n"
                "    def _subnets(self):\n"
                "        self.subnet_ids = [make_subnet(self.scope, self.vpc)]\n"
            ),
        ),
        # The class body gives the attribute a value until the constructor assigns its own.
        Example(
            before=(
                "class Logs:\n"
                "    retention = 7\n"
                "    def __init__(self, scope):\n"
                "        self.scope = scope\n"
                "        self._group()\n"
                "        self.retention = 30\n"
                "    def _group(self):\n"
                "        make_log_group(self.scope, self.retention)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        module = _Module(tree)
        edits = {}
        for class_node in module.class_nodes:
            klass = module.classes[class_node.name.value]
            if klass.node is not class_node:
                continue  # a second class of the same name: which one a base name means is not certain
            init = klass.methods.get("__init__")
            if not init or not isinstance(init[-1].body, cst.IndentedBlock) or not init[-1].params.params:
                continue
            new_body = self._repair_init(klass, init[-1], tree)
            if new_body is not None:
                edits[init[-1].body] = lambda updated, body=new_body: updated.with_changes(body=body)
        return apply_leaves(tree, edits) if edits else tree

    def _repair_init(self, klass: _Class, init: cst.FunctionDef, tree: cst.Module) -> list | None:
        """The constructor's new statements, or None when none moves; each misplaced call reported once, as it
        stands once every call that can move has moved (a move may make another one safe)."""
        self_name = init.params.params[0].name.value
        analysis = _Analysis(klass)
        # What cdktf's and constructs' base classes give an instance (`node`, a stack's `synthesizer`, a resource's
        # `add_override`), read from the installed packages: a class deriving from a class of another module may
        # read these before its constructor assigns them.
        skip = klass.own_names() | (construct_members() | stack_members() if klass.external_base else set())
        # (statement as given, statement now): findings are placed in the code as given.
        body: list[tuple[cst.BaseStatement, cst.BaseStatement]] = [(s, s) for s in init.body.body]
        decisions: dict[int, tuple] = {}  # id of a statement as given -> its finding's report() arguments
        moved: set[int] = set()
        while True:
            read = [analysis.statement(current, self_name) for _, current in body]
            effects = [effect for effect, _ in read]
            first: dict[str, int] = {}
            for index, effect in enumerate(effects):
                for attribute in effect.assigns:
                    first.setdefault(attribute, index)
            move = None
            for index, (effect, helpers) in enumerate(read):
                key = id(body[index][0])
                if key in moved:
                    continue
                decisions.pop(key, None)
                if any(e.introspects for e in effects[:index + 1]):
                    continue  # `hasattr(self, ...)`: attributes may be assigned or tested where this cannot see
                missing = {a for a in helpers - effect.assigns - skip if first.get(a, -1) > index}
                if missing:
                    decisions[key], move = self._plan(klass, self_name, body, effects, first, index, missing, skip,
                                                      analysis, tree)
                    if move is not None:
                        moved.add(key)
                        break
            if move is None:
                break
            body = self._move(body, *move)
        for anchor, message, fixed, facts, also in decisions.values():
            self.report(anchor, message, fixed=fixed, facts=facts, also=also)
        return [current for _, current in body] if moved else None

    def _plan(self, klass: _Class, self_name: str, body, effects: list[_Effects], first: dict[str, int],
              index: int, missing: set[str], skip: set[str], analysis: _Analysis, tree: cst.Module):
        """The finding of the statement at `index`, and (its index, the index to move it after) when it moves."""
        original, statement = body[index]
        last = max(missing, key=lambda a: (first[a], a))
        target = first[last]
        call = _helper_call(statement, self_name, klass)
        assigned = body[target][0]
        where = _assignment_in(assigned, self_name, last) or _first_small(assigned)
        culprit = call or _culprit(original, self_name, klass, analysis, missing) or _first_small(original)
        positions = start_positions(tree, [where, culprit])
        line, below = positions[where][0], positions[where][0] - positions[culprit][0]
        lacking = (f"`{_header(culprit)}` reads {_attributes(self_name, missing)}, which `__init__` assigns only "
                   f"later (`{self_name}.{last}` on line {line}, {below} line{'s' if below != 1 else ''} below): "
                   "AttributeError at synth")
        facts = {"class_name": klass.node.name.value, "attribute": last}
        reason = self._unsafe(klass, self_name, body, effects, first, index, missing, skip, target, call)
        if reason is None and not (self.suppressed(culprit) or self.suppressed(where)):
            return (culprit, f"{lacking}; the call moves to just after that assignment", True, facts, [where]), \
                (index, target)
        reason = reason or "a `# repair: ignore` comment keeps it"
        return (culprit, f"{lacking}; {reason}: move the call after that assignment by hand", False, facts, []), None

    def _unsafe(self, klass: _Class, self_name: str, body, effects: list[_Effects], first: dict[str, int],
                index: int, missing: set[str], skip: set[str], target: int, call: cst.Call | None) -> str | None:
        """Why moving the statement to just after statement `target` may change what the code does."""
        if call is None:
            return "the call is not a statement of its own at the top level of `__init__`"
        for attribute in sorted(missing):
            if _direct_assignment(body[first[attribute]][1], self_name, attribute) is None:
                return f"`{self_name}.{attribute}` is first assigned under a condition, in a loop or by a helper"
        effect = effects[index]
        if effect.escapes or effect.introspects:
            return "the helper hands `self` on"
        unassigned = sorted(a for a in effect.reads - skip - effect.assigns if first.get(a, len(body)) > target)
        if unassigned:
            return f"{_attributes(self_name, unassigned)} is not assigned in `__init__` before it either"
        between = effects[index + 1:target + 1]
        over = _Effects()
        for other in between:
            over.merge(other)
            over.names_read |= other.names_read
            over.names_bound |= other.names_bound
            over.returns |= other.returns
        if over.returns:
            return "a `return` comes before that assignment"
        if over.escapes or over.introspects:
            return "the statements in between hand `self` on"
        helper = call.func.attr.value
        if helper in over.calls | over.later_calls:
            return f"the statements in between call `{helper}` too"
        touched = effect.touches | effect.later_touches
        used = touched & (over.reads | over.touches | over.later_reads | over.later_touches)
        if used:
            return f"the statements in between use {_attributes(self_name, used)}, which the helper sets"
        read = effect.reads | effect.later_reads
        changed = (read & (over.touches | over.later_touches)) - missing
        if changed:
            return f"the statements in between change {_attributes(self_name, changed)}, which the helper reads"
        for attribute in sorted(missing):
            if sum(attribute in other.assigns for other in between) != 1:
                return f"`{self_name}.{attribute}` is assigned more than once before the call would run"
        passed = _Reader(klass, self_name).effects(call.args).names_read - {self_name}
        if passed & over.names_bound:
            return f"the statements in between rebind {', '.join(sorted(passed & over.names_bound))}, which it passes"
        shared = passed & over.names_read
        if shared and self._passes_mutable(klass, self_name, call, helper, shared):
            return f"the statements in between read {', '.join(sorted(shared))}, which the helper may change"
        return None

    @staticmethod
    def _passes_mutable(klass: _Class, self_name: str, call: cst.Call, helper: str, shared: set[str]) -> bool:
        """Whether the call passes one of the `shared` names to a parameter the helper may change."""
        _, definitions = klass.lookup(helper)
        parameters = _mutated_parameters(definitions[-1], klass.module.callables)
        if parameters is None:
            return True
        names, mutated = parameters
        position = 0
        for arg in call.args:
            if arg.star:
                return True
            if arg.keyword is not None:
                parameter = arg.keyword.value
            elif position < len(names):
                parameter = names[position]
                position += 1
            else:
                return True
            if parameter in mutated and _Reader(klass, self_name).effects([arg.value]).names_read & shared:
                return True
        return False

    @staticmethod
    def _move(body, index: int, target: int):
        """The body with statement `index` moved to just after statement `target`. The comment lines above it go
        with it; the statement that takes its place keeps the larger of the two blank-line gaps before them."""
        moved = body[index][1]
        next_original, following = body[index + 1]
        moved_blanks = _leading_blanks(moved.leading_lines)
        next_blanks = _leading_blanks(following.leading_lines)
        if len(moved_blanks) > len(next_blanks):
            following = following.with_changes(
                leading_lines=[*moved_blanks, *following.leading_lines[len(next_blanks):]])
        rest = list(body)
        rest[index + 1] = (next_original, following)
        rest.insert(target, rest.pop(index))
        return rest
