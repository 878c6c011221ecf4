"""Values that flow between the modules of a project: which construct attributes other modules read, and where.

A stack split into constructs of their own (`lib/security.py` creates the KMS key as `self.kms_key`,
`lib/monitoring.py` a log group whose `kms_key_id` is a constructor parameter, `lib/tap_stack.py` passes
`self.security.kms_key.arn` to it) keeps the facts a rule needs in three files. Here the project's modules are read
with `ast` (cheap, and the other modules are only read, never changed) and a value is followed only where the flow
is provable: the instance is bound once (`self.security = SecurityModule(...)` in one class, or a name in one
function), the class is the one the module defines (through the importer's own `from ... import`), and the
parameter is read as it was passed (never reassigned in the constructor, nor in a method of the class it is
passed on to).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath

from repair.project import ProjectContext

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
# How many calls of the class's own methods (`self._create_function(..., kms_key_id, ...)`) a constructor's
# parameter is followed through to the resource that reads it.
METHOD_HOPS = 2


def project_sources(project: ProjectContext, options, filename: str | None, code: str) -> dict[str, str]:
    """Dotted module -> source of each Python module of the project as the answer lays it out: a markdown answer's
    own blocks (its modules are those, not the folder's), else the folder's modules; the file being repaired as it
    stands now."""
    sources: dict[str, str] = {}
    given = options.project_files if getattr(options, "project_origin", None) else ()
    if given:
        for path, text in given:
            posix = PurePosixPath(path)
            if path.endswith(".py") and not posix.is_absolute() and ".." not in posix.parts:
                sources[".".join(posix.with_suffix("").parts)] = text
    else:
        for module in project.modules:
            path = Path(project.root, *module.split(".")).with_suffix(".py")
            try:
                if path.stat().st_size <= 1_000_000:
                    sources[module] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    current = project.module_of(filename)
    if current is not None:
        sources[current] = code
    return sources


def _same_module(imported: str, module: str) -> bool:
    """`from lib.security import X`, `from security import X` or `from .security import X` in a module of the
    project: the dotted names agree on their common tail."""
    a, b = imported.strip(".").split("."), module.split(".")
    n = min(len(a), len(b))
    return n > 0 and a[-n:] == b[-n:]


@dataclass(frozen=True)
class _Module:
    name: str
    tree: ast.Module
    # local name -> (module, name) of each `from module import name [as local]`
    imported: dict[str, tuple[str, str]]
    classes: dict[str, ast.ClassDef]

    # A module is parsed once for every file of its project that a rule reads it for (`_parse` is cached), and
    # asked the same questions each time: what the answers need is read once, on first use.
    @cached_property
    def bound_once(self) -> list[tuple[ast.AST, str, ast.Call]]:
        """(scope, name, call) of each name bound once, to a call: `self.x = C(...)` in a class (scope: the class),
        or `x = C(...)` in a function (scope: the function)."""
        found = []
        scopes = [n for n in ast.walk(self.tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
        for scope in scopes:
            bound: dict[str, list[ast.expr]] = {}
            nodes = ast.walk(scope) if isinstance(scope, ast.ClassDef) else _own_nodes(scope)
            for node in nodes:
                if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        name = dotted_name(target)
                        if name is None:
                            continue
                        if isinstance(scope, ast.ClassDef) != name.startswith("self."):
                            continue
                        bound.setdefault(name, []).append(node.value if isinstance(node, ast.Assign) else None)
            for name, values in bound.items():
                if len(values) == 1 and isinstance(values[0], ast.Call) and name.count(".") <= 1:
                    found.append((scope, name, values[0]))
        return found

    def calls_in(self, scope: ast.AST) -> list[ast.Call]:
        """The calls in a scope of this module (`ast.walk` order)."""
        calls = self.__dict__.setdefault("_calls", {})
        if id(scope) not in calls:
            calls[id(scope)] = [n for n in ast.walk(scope) if isinstance(n, ast.Call)]
        return calls[id(scope)]


@lru_cache(maxsize=64)
def _parse(name: str, source: str) -> _Module | None:
    """A module read with `ast`; cached, as each file of a project builds the flow of all the others (read only)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                imported[alias.asname or alias.name] = (module, alias.name)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    return _Module(name, tree, imported, classes)


def dotted_name(node: ast.AST) -> str | None:
    """`self.security.kms_key` for a chain of attributes on a name; None for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


class ProjectFlow:
    """The project's modules, parsed once, and the flows a rule asks about."""

    def __init__(self, sources: dict[str, str]):
        self.modules = {name: m for name, source in sources.items() if (m := _parse(name, source)) is not None}

    def _class_of(self, module: _Module, func: ast.expr) -> tuple[_Module, ast.ClassDef] | None:
        """The project class a call's callee names in `module`: one it defines, or imports from another module."""
        if not isinstance(func, ast.Name):
            return None
        if func.id in module.classes and func.id not in module.imported:
            return module, module.classes[func.id]
        if func.id in module.imported:
            source, name = module.imported[func.id]
            found = [m for m in self.modules.values() if m is not module and _same_module(source, m.name)
                     and name in m.classes]
            if len(found) == 1:
                return found[0], found[0].classes[name]
        return None

    @staticmethod
    def _is_provider_class(module: _Module, func: ast.expr, provider_module: str, class_name: str) -> bool:
        if isinstance(func, ast.Name):
            return module.imported.get(func.id) == (f"{PROVIDER_PACKAGE}.{provider_module}", class_name)
        if isinstance(func, ast.Attribute) and func.attr == class_name and isinstance(func.value, ast.Name):
            return module.imported.get(func.value.id) == (PROVIDER_PACKAGE, provider_module)
        return False

    def attribute_uses(self, module_name: str, class_name: str, attribute: str, provider_module: str,
                       class_called: str, keyword: str, read: str) -> list[str]:
        """Where a provider resource (`class_called` of `provider_module`) anywhere in the project takes, as its
        `keyword`, `<instance>.<attribute>.<read>` of an instance of `module_name`'s `class_name`: directly, or
        through a constructor parameter of a project class that gives the parameter to such a resource. Each use
        as "`id` (module)"; [] when none is provable."""
        uses: list[str] = []
        for module in self.modules.values():
            for scope, instance in self._instances(module, module_name, class_name):
                wanted = f"{instance}.{attribute}.{read}"
                for node in module.calls_in(scope):
                    for position, value in self._arguments(node):
                        if dotted_name(value) != wanted:
                            continue
                        if (position == keyword and
                                self._is_provider_class(module, node.func, provider_module, class_called)):
                            uses.append(self._describe(module, node))
                            continue
                        target = self._class_of(module, node.func)
                        if target is not None:
                            uses += self._parameter_uses(*target, position, provider_module, class_called, keyword)
        return list(dict.fromkeys(uses))

    @staticmethod
    def _arguments(call: ast.Call):
        """(keyword, value) of each keyword argument, (index, value) of each positional one (scope and id
        included)."""
        for index, arg in enumerate(call.args):
            if not isinstance(arg, ast.Starred):
                yield index, arg
        for keyword in call.keywords:
            if keyword.arg is not None:
                yield keyword.arg, keyword.value

    @staticmethod
    def _describe(module: _Module, call: ast.Call) -> str:
        construct_id = call.args[1] if len(call.args) > 1 else None
        name = (construct_id.value if isinstance(construct_id, ast.Constant) and isinstance(construct_id.value, str)
                else ast.unparse(construct_id) if construct_id is not None else "a log group")
        return f"`{name}` ({module.name.replace('.', '/')}.py)"

    def _instances(self, module: _Module, module_name: str, class_name: str):
        """(scope, instance code) of each instance of the class bound once: `self.x = C(...)` in a class (scope:
        the class), or `x = C(...)` in a function (scope: the function)."""
        for scope, name, call in module.bound_once:
            target = self._class_of(module, call.func)
            if target is not None and target[0].name == module_name and target[1].name == class_name:
                yield scope, name

    def _parameter_uses(self, module: _Module, cls: ast.ClassDef, position, provider_module: str,
                        class_called: str, keyword: str) -> list[str]:
        """The resources of `cls` whose `keyword` is the constructor's parameter at `position` (a keyword name or
        a positional index), read as passed: directly in the constructor, through `self.x = parameter`, or in a
        method of the class the constructor passes it to."""
        init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        if init is None:
            return []
        # The call passes scope and id first; the constructor's first parameter is `self`.
        return self._uses_in(module, cls, init, position, 1, provider_module, class_called, keyword, METHOD_HOPS)

    def _uses_in(self, module: _Module, cls: ast.ClassDef, function: ast.FunctionDef, position, shift: int,
                 provider_module: str, class_called: str, keyword: str, hops: int) -> list[str]:
        """`_parameter_uses` for a function of `cls` given an argument at `position`: a keyword name, or the index
        among the call's positional arguments, `shift` places before the parameter's (`self`, and the scope and
        id of a construct's call). `hops`: how many more method calls the value may pass through."""
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        if isinstance(position, int):
            parameter = params[position + shift] if position + shift < len(params) else None
        else:
            parameter = position if position in params + [a.arg for a in function.args.kwonlyargs] else None
        own = _own_nodes(function)
        if parameter is None or any(dotted_name(t) == parameter for n in own if isinstance(n, ast.Assign)
                                    for t in n.targets):
            return []
        aliases = {parameter: own}
        if function.name == "__init__":
            # `self.x = parameter`, assigned once in the class: its reads are the parameter's too.
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(cls):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        name = dotted_name(target)
                        if name is not None and name.startswith("self."):
                            assigned.setdefault(name, []).append(node.value)
            for name, values in assigned.items():
                if len(values) == 1 and isinstance(values[0], ast.Name) and values[0].id == parameter:
                    aliases[name] = list(ast.walk(cls))
        # The class's own methods, which `self.<method>(...)` calls: a decorated one may bind its arguments
        # otherwise (a static method takes no `self`), and is not followed.
        methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef) and not n.decorator_list
                   and n.name != "__init__" and n is not function}
        uses = []
        for alias, nodes in aliases.items():
            for node in nodes:
                if not isinstance(node, ast.Call):
                    continue
                if self._is_provider_class(module, node.func, provider_module, class_called):
                    value = next((k.value for k in node.keywords if k.arg == keyword), None)
                    if value is not None and dotted_name(value) == alias:
                        uses.append(self._describe(module, node))
                elif hops and isinstance(node.func, ast.Attribute) and dotted_name(node.func.value) == "self" \
                        and node.func.attr in methods:
                    for argument, value in self._arguments(node):
                        if dotted_name(value) == alias:
                            uses += self._uses_in(module, cls, methods[node.func.attr], argument, 1,
                                                  provider_module, class_called, keyword, hops - 1)
        return uses


def _own_nodes(function: ast.FunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, not of the functions and classes defined inside it."""
    found, stack = [], list(function.body)
    while stack:
        node = stack.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)
    return found


@lru_cache(maxsize=16)
def _cached_flow(sources: tuple[tuple[str, str], ...]) -> ProjectFlow:
    return ProjectFlow(dict(sources))


def project_flow(sources: dict[str, str]) -> ProjectFlow:
    """The flow of these sources, parsed once for the files of one project (each module of it that a rule reads
    asks again, in every pass of the engine)."""
    return _cached_flow(tuple(sorted(sources.items())))
