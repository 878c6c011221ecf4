"""Which local names in a file stand for provider classes and modules, read from its imports."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from repair.provider_index import PACKAGE, ProviderIndex
from repair.transforms._cst import code_of
from repair.transforms._provider_names import _module_name_for, _without_markers, resolve


@dataclass
class ProviderBindings:
    classes: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> (module, class)
    modules: dict[str, str] = field(default_factory=dict)  # local name or dotted path -> module
    packages: set[str] = field(default_factory=set)  # names bound to the provider package itself

    def resolve(self, func: cst.BaseExpression) -> tuple[str, str] | None:
        """(module, class) that a callee like `Name`, `alias.Name` or `pkg.module.Name` refers to."""
        if type(func) is cst.Name:
            return self.classes.get(func.value)
        if type(func) is cst.Attribute:
            module = self.modules.get(code_of(func.value))
            if module is None and type(func.value) is cst.Attribute and code_of(func.value.value) in self.packages:
                module = func.value.attr.value
            if module is not None:
                return module, func.attr.value
        return None


    def copy(self) -> ProviderBindings:
        """A copy a rule may extend with the names it plans to import (`Rule.provider_imports` is shared)."""
        return ProviderBindings(dict(self.classes), dict(self.modules), set(self.packages))

    def import_name(self, module: str, struct: str, planned: list[tuple[str, str]]) -> str | None:
        """How the file names a provider class: its existing import, `alias.Struct` through a module alias (the
        file's own style), or a new `from ... import` of it, recorded in `planned` and bound here; None when the
        name is taken by something else. Call it on a copy (`copy()`): it binds what it plans."""
        for name, target in self.classes.items():
            if target == (module, struct):
                return name
        for alias, aliased in self.modules.items():
            if aliased == module:
                return f"{alias}.{struct}"
        if struct in self.classes:
            return None
        planned.append((module, struct))
        self.classes[struct] = (module, struct)
        return struct


def provider_bindings(tree: cst.Module) -> ProviderBindings:
    """Imports at module level (including inside top-level `if`/`try`) of provider classes and modules."""
    bindings = ProviderBindings()
    prefix = PACKAGE + "."

    def scan(statements) -> None:
        for statement in statements:
            if type(statement) in (cst.If, cst.Try):
                scan(statement.body.body)
                continue
            if type(statement) is not cst.SimpleStatementLine:
                continue
            for small in statement.body:
                if type(small) is cst.ImportFrom and small.module is not None and not small.relative:
                    if type(small.names) is cst.ImportStar:
                        continue
                    dotted = code_of(small.module)
                    for alias in small.names:
                        name = code_of(alias.name)
                        bound = code_of(alias.asname.name) if alias.asname else name
                        if dotted == PACKAGE:
                            bindings.modules[bound] = name
                        elif dotted.startswith(prefix) and "." not in dotted[len(prefix):]:
                            bindings.classes[bound] = (dotted[len(prefix):], name)
                elif type(small) is cst.Import:
                    for alias in small.names:
                        dotted = code_of(alias.name)
                        if dotted.startswith(prefix) and "." not in dotted[len(prefix):]:
                            bound = code_of(alias.asname.name) if alias.asname else dotted
                            bindings.modules[bound] = dotted[len(prefix):]
                        elif dotted == PACKAGE:
                            # `import cdktf_cdktf_provider_aws as aws`: `aws.s3_bucket.S3Bucket(...)`
                            bindings.packages.add(code_of(alias.asname.name) if alias.asname else PACKAGE)
    scan(tree.body)
    return bindings


def provider_keywords(tree: cst.Module, bindings: ProviderBindings):
    """(module, class, keyword, value) for each keyword argument of each call of a provider class, and for each
    entry of a dict written out for the call's `**spread` (`_cst.spread_dicts`), which Python passes as keywords."""
    from repair.transforms._cst import spread_dicts, walk

    spreads = None
    for node in walk(tree):
        if type(node) is cst.Call:
            target = bindings.resolve(node.func)
            if target is not None:
                for arg in node.args:
                    if arg.keyword is not None:
                        yield target[0], target[1], arg.keyword.value, arg.value
                    elif arg.star == "**":
                        if spreads is None:
                            spreads = spread_dicts(tree)
                        for key, value in spreads.get(node, ()):
                            yield target[0], target[1], key, value


def reference_to(bindings: ProviderBindings, uses, module: str, name: str,
                 planned: list[tuple[str, str, str | None]]) -> str | None:
    """How a file reads class `name` of provider module `module`: a name it binds to that module already
    (`alias.Name`), a name bound to the class itself, else that module imported from the package under its own name
    (`module.Name`) or the class imported by its name, whichever the file binds nowhere (`db_subnet_group = ...` is
    often the model's own variable), in the file's own style first (it reads classes through modules, or imports
    them by name). The import to add is appended to `planned`
    ((module path, name, None), once); None when every way is taken. `uses`: the file's `_names.NameUses`."""
    for alias, aliased in bindings.modules.items():
        if aliased == module and "." not in alias and uses.bindings[alias] == 1:
            return f"{alias}.{name}"
    for bound, target in bindings.classes.items():
        if target == (module, name) and uses.bindings[bound] == 1:
            return bound
    ways = [(PACKAGE, module, f"{module}.{name}"), (f"{PACKAGE}.{module}", name, name)]
    if not bindings.modules:
        ways.reverse()
    for path, bound, reference in ways:
        if (path, bound, None) in planned:
            return reference
        if uses.is_free(bound) and not any(b == bound for _, b, _ in planned):
            planned.append((path, bound, None))
            return reference
    return None


@dataclass(frozen=True)
class Home:
    module: str | None  # the submodule the class lives in; None when there is no single one
    reason: str = ""


def class_home(index: ProviderIndex, name: str) -> Home:
    """The provider submodule a class name belongs in, by CDK001's resolution: the module named after it, else the
    one module exporting it (or a data source's `DataAws` name, or a spelling differing in case and underscores).
    CDK001 then fixes the name's spelling in that module if it must (jsii's `A` suffix)."""
    guess = _module_name_for(_without_markers(name))
    resolution = resolve(index, guess, name)
    if resolution is None:
        return Home(guess)
    if resolution.name is None:
        found_nowhere = not index.has_module(guess) and not index.owners(name)
        return Home(None, "not exported by the provider" if found_nowhere else resolution.reason)
    return Home(resolution.module)
