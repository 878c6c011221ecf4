"""CDK042 jsii-interface-base: a Python class that implements a jsii interface by subclassing it.

cdktf's and constructs' interfaces (`IAspect`, `IConstruct`, `IResolvable`, ...) are Python Protocols in the
bindings. An object of a Python class that jsii hands to JavaScript must be registered as implementing the
interface, and `@jsii.implements(IAspect)` is what registers it; a class that only subclasses the interface is an
object jsii cannot pass, so `Aspects.of(self).add(TaggingAspect(tags))` stops synth at "TypeError: Don't know how
to convert object to JSON". The interface moves from the class's bases to that decorator (with `import jsii` when
the module lacks it); its other bases, keywords and decorators stay. Which names are interfaces is read from the
installed packages' source (their `@jsii.interface` declarations), without importing them.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import libcst as cst

from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import code_of, insert_after_imports
from repair.transforms._names import JSII_PACKAGES, name_uses
from repair.transforms._triggers import Any, Regex

_DECLARED = re.compile(r'^@jsii\.interface\(jsii_type="[^"]+"\)\s*\nclass (\w+)\(', re.MULTILINE)


@cache
def interfaces(package: str) -> frozenset[str]:
    """The interfaces an installed jsii package declares, read from its file (importing it starts Node.js)."""
    try:
        spec = importlib.util.find_spec(package)
        text = Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else ""
    except (ImportError, ValueError, OSError):
        text = ""
    return frozenset(_DECLARED.findall(text))


class JsiiInterfaceBase(Rule):
    id = "CDK042"
    slug = "jsii-interface-base"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    summary = ("Implement a cdktf or constructs interface with `@jsii.implements(...)` where a class subclasses it "
               "(`class TaggingAspect(IAspect)`): jsii cannot pass such an object.")
    prevents = ("TypeError: Don't know how to convert object to JSON: <TaggingAspect object> (cdktf synth fails at "
                "Aspects.of(...).add)")
    doc_url = "https://aws.github.io/jsii/user-guides/lib-user/language-specific/python/#implementing-interfaces"
    synth_errors = (r"^TypeError: Don't know how to convert object to JSON",)
    analysis_keywords = ("jsii.implements", "implements decorator", "iaspect", "aspect interface")
    # A class statement whose bases name an interface (`I` and a capital), or an interface imported under another
    # name: the rule reads which ones are jsii's. Each pattern opens with its literal, which the regex engine looks
    # for first.
    triggers = Any(Regex(r"class[ \t]+\w+[ \t]*\([^)]*\bI[A-Z]"), Regex(r"import[^\n]*\bI[A-Z]\w*[ \t]+as[ \t]"))

    examples = (
        Example(
            before=(
                "from cdktf import IAspect\n"
                "from constructs import IConstruct\n"
                "\n"
                "\n"
                "class TaggingAspect(IAspect):\n"
                "    def visit(self, node: IConstruct) -> None:\n"
                "        pass\n"
            ),
            after=(
                "from cdktf import IAspect\n"
                "from constructs import IConstruct\n"
                "import jsii\n"
                "\n"
                "\n"
                "@jsii.implements(IAspect)\n"
                "class TaggingAspect:\n"
                "    def visit(self, node: IConstruct) -> None:\n"
                "        pass\n"
            ),
        ),
        # Through the module, beside another base: only the interface moves.
        Example(
            before=(
                "import cdktf\n"
                "import jsii\n"
                "class Checks(Base, cdktf.IAspect, metaclass=Meta):\n"
                "    pass\n"
            ),
            after=(
                "import cdktf\n"
                "import jsii\n"
                "@jsii.implements(cdktf.IAspect)\n"
                "class Checks(Base, metaclass=Meta):\n"
                "    pass\n"
            ),
        ),
        # Valid: an interface that extends one (as the bindings declare theirs) is not an object jsii passes.
        Example(
            before=(
                "import jsii\n"
                "import typing_extensions\n"
                "from constructs import IConstruct\n"
                "@jsii.interface(jsii_type=\"app.IStore\")\n"
                "class IStore(IConstruct, typing_extensions.Protocol):\n"
                "    pass\n"
                "class IQueue(IConstruct, typing.Protocol):\n"
                "    pass\n"
            ),
        ),
        # Valid: already registered, and an interface of the code's own.
        Example(
            before=(
                "import jsii\n"
                "from cdktf import IAspect\n"
                "class IStore: pass\n"
                "@jsii.implements(IAspect)\n"
                "class Fine:\n"
                "    pass\n"
                "class Mine(IStore):\n"
                "    pass\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        local, modules = _interface_names(tree)
        if not local and not modules:
            return tree
        uses = None
        edits: dict[cst.ClassDef, list[int]] = {}
        for node in _class_defs(tree):
            if _declares_interface(node):  # an interface extending another (the bindings' own are), not an object
                continue
            moved = [i for i, base in enumerate(node.bases) if _is_interface(base.value, local, modules)]
            if not moved:
                continue
            uses = uses or name_uses(tree)
            names = ", ".join(code_of(node.bases[i].value) for i in moved)
            if uses.bindings.get("jsii") and not _imports_jsii(tree):
                self.report(node.name, f"{node.name.value} subclasses the jsii interface {names}, which jsii cannot "
                            "pass to JavaScript; the module binds `jsii` to something else: decorate it with "
                            "`@jsii.implements(...)` by hand", fixed=False)
                continue
            if self.report(node.name, f"{node.name.value} subclasses the jsii interface {names}: an object jsii "
                           f"cannot pass to JavaScript; implemented with `@jsii.implements({names})`"):
                edits[node] = moved
        if not edits:
            return tree
        tree = tree.visit(_MoveToDecorator(edits))
        if not _imports_jsii(tree):
            tree = insert_after_imports(tree, cst.parse_statement("import jsii\n"))
        return tree


def _interface_names(tree: cst.Module) -> tuple[set[str], dict[str, str]]:
    """The local names bound to a jsii interface (`from cdktf import IAspect [as A]`), and the names bound to a jsii
    package (`import cdktf [as c]`: c -> cdktf)."""
    local: set[str] = set()
    modules: dict[str, str] = {}
    for statement in tree.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if type(small) is cst.ImportFrom and small.module is not None and not small.relative:
                package = code_of(small.module)
                if package in JSII_PACKAGES and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        name = code_of(alias.name)
                        if name in interfaces(package):
                            local.add(code_of(alias.asname.name) if alias.asname else name)
            elif type(small) is cst.Import:
                for alias in small.names:
                    if code_of(alias.name) in JSII_PACKAGES:
                        modules[code_of(alias.asname.name) if alias.asname else code_of(alias.name)] = \
                            code_of(alias.name)
    return local, modules


def _is_interface(base: cst.BaseExpression, local: set[str], modules: dict[str, str]) -> bool:
    if type(base) is cst.Name:
        return base.value in local
    if type(base) is cst.Attribute and type(base.value) is cst.Name and base.value.value in modules:
        return base.attr.value in interfaces(modules[base.value.value])
    return False


def _class_defs(tree: cst.Module) -> list[cst.ClassDef]:
    found = []

    def visit(statements) -> None:
        for statement in statements:
            if type(statement) is cst.ClassDef:
                found.append(statement)
                visit(statement.body.body)
            elif type(statement) in (cst.If, cst.FunctionDef) and isinstance(statement.body, cst.IndentedBlock):
                visit(statement.body.body)
    visit(tree.body)
    return found


def _declares_interface(node: cst.ClassDef) -> bool:
    """A class that is itself an interface: declared with `@jsii.interface(...)`, or a Protocol."""
    for decorator in node.decorators:
        target = decorator.decorator.func if type(decorator.decorator) is cst.Call else decorator.decorator
        if code_of(target) in ("jsii.interface", "interface"):
            return True
    return any(code_of(base.value).rpartition(".")[2] == "Protocol" for base in node.bases)


def _imports_jsii(tree: cst.Module) -> bool:
    return any(type(small) is cst.Import and any(code_of(a.name) == "jsii" and a.asname is None for a in small.names)
               for statement in tree.body if type(statement) is cst.SimpleStatementLine for small in statement.body)


class _MoveToDecorator(cst.CSTTransformer):
    def __init__(self, edits: dict[cst.ClassDef, list[int]]) -> None:
        super().__init__()
        self.edits = edits

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        moved = self.edits.get(original_node)
        if not moved:
            return updated_node
        interfaces_code = ", ".join(code_of(original_node.bases[i].value) for i in moved)
        kept = [base for i, base in enumerate(updated_node.bases) if i not in moved]
        if kept:
            last = kept[-1]
            # The last kept base ends the list (or precedes the keywords): it takes what closed the list.
            closing = updated_node.bases[-1].comma if not updated_node.keywords else last.comma
            kept[-1] = last.with_changes(comma=closing if not updated_node.keywords else
                                         (last.comma if type(last.comma) is cst.Comma else
                                          cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
        decorator = cst.Decorator(decorator=cst.parse_expression(f"jsii.implements({interfaces_code})"))
        changes = {"bases": kept, "decorators": [*updated_node.decorators, decorator]}
        if not kept and not updated_node.keywords:
            changes.update(lpar=cst.MaybeSentinel.DEFAULT, rpar=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(**changes)
