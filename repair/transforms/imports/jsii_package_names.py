"""CDK043 jsii-package-names: a name imported from cdktf or constructs that the installed package does not export.

Answers import names from other CDKs or from memory: `from cdktf import ITaggable, TagManager` (AWS CDK's tagging
API, which cdktf does not have), `from cdktf import Construct` (constructs' class). The import stops the module at
an ImportError before anything else runs. What each package exports is read from its `__all__` without importing
it. A name the module never uses is taken out of the import (the statement goes when nothing is left), which
changes nothing else the module does; a name it uses that the other package exports is imported from there; a name
it uses and neither package has is reported with the closest names the package does export, and left alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import libcst as cst

from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import add_import, code_of, remove_item, remove_statements
from repair.transforms._names import JSII_PACKAGES, name_uses, package_exports
from repair.transforms._triggers import SourceFacts, Trigger

_IMPORT = re.compile(r"^[ \t]*from[ \t]+(cdktf|constructs)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)


@dataclass(frozen=True)
class ImportsUnexported(Trigger):
    """The file imports from cdktf or constructs a name the installed package does not export (read from the text;
    nearly every stack imports from both, so the import alone says nothing)."""

    def test(self, facts: SourceFacts) -> bool:
        if not (facts.contains("cdktf") or facts.contains("constructs")):
            return False
        for match in _IMPORT.finditer(facts.code):
            exports = package_exports(match.group(1))
            names = re.sub(r"#[^\n]*", "", match.group(2)).strip("()\\ \n")
            for item in names.split(","):
                words = item.split()
                if words and words[0] != "*" and exports and words[0] not in exports:
                    return True
        return False


class JsiiPackageNames(Rule):
    id = "CDK043"
    slug = "jsii-package-names"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    summary = ("Import each cdktf/constructs name from the package that exports it; take a name neither exports out "
               "of the import where the module never uses it, report it where it does.")
    prevents = "ImportError: cannot import name 'ITaggable' from 'cdktf' (cdktf synth fails)"
    prevents_template = "ImportError: cannot import name '{name}' from '{package}' (cdktf synth fails)"
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/api-reference/python"
    synth_errors = (r"^ImportError: cannot import name '\w+' from '(cdktf|constructs)'",)
    analysis_keywords = ("cannot import name", "nonexistent import", "invalid import", "itaggable", "tagmanager")
    triggers = ImportsUnexported()

    examples = (
        Example(
            before=(
                "from cdktf import Aspects, ITaggable, TagManager\n"
                "from cdktf import TerraformStack, Construct\n"
                "Aspects.of(app).add(tagging)\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope: Construct, id: str):\n"
                "        super().__init__(scope, id)\n"
            ),
            after=(
                "from cdktf import Aspects\n"
                "from cdktf import TerraformStack\n"
                "from constructs import Construct\n"
                "Aspects.of(app).add(tagging)\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope: Construct, id: str):\n"
                "        super().__init__(scope, id)\n"
            ),
        ),
        # Valid: names both packages export, read through the package or imported under another name.
        Example(
            before=(
                "import cdktf\n"
                "from constructs import Construct as Base, Node\n"
                "from cdktf import App as CdkApp\n"
                "app = CdkApp()\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        uses = None
        dropped: dict[cst.ImportFrom, set[int]] = {}
        moved: list[tuple[str, str, str | None]] = []
        for statement in tree.body:
            if type(statement) is not cst.SimpleStatementLine:
                continue
            for node in statement.body:
                if type(node) is not cst.ImportFrom or node.relative or node.module is None or isinstance(
                        node.names, cst.ImportStar) or code_of(node.module) not in JSII_PACKAGES:
                    continue
                package = code_of(node.module)
                exports = package_exports(package)
                if not exports:
                    continue  # the package is not installed here: nothing is known
                for position, alias in enumerate(node.names):
                    name = code_of(alias.name)
                    if name in exports:
                        continue
                    bound = code_of(alias.asname.name) if alias.asname else name
                    uses = uses or name_uses(tree)
                    other = next((p for p in JSII_PACKAGES if p != package and name in package_exports(p)), None)
                    if not uses.reads.get(bound) and uses.bindings.get(bound, 0) <= 1:
                        if self.report(alias, f"{name} is not exported by {package} (ImportError) and the module "
                                       "never uses it: taken out of the import", facts={"name": name,
                                                                                       "package": package}):
                            dropped.setdefault(node, set()).add(position)
                    elif other is not None:
                        if self.report(alias, f"{name} is not exported by {package}; {other} exports it: imported "
                                       f"from there", facts={"name": name, "package": package}):
                            dropped.setdefault(node, set()).add(position)
                            moved.append((other, name, code_of(alias.asname.name) if alias.asname else None))
                    else:
                        close = difflib.get_close_matches(name, sorted(exports), n=3, cutoff=0.6)
                        hint = f" (closest: {', '.join(close)})" if close else ""
                        self.report(alias, f"{name} is not exported by {package} (ImportError), and the module uses "
                                    f"it: what it stands for is the code's to choose{hint}", fixed=False,
                                    facts={"name": name, "package": package})
        if not dropped:
            return tree
        tree = tree.visit(_DropAliases(dropped))
        for package, name, asname in moved:
            tree = add_import(self.context, tree, package, name, asname)
        return tree


class _DropAliases(cst.CSTTransformer):
    """Each import without its dropped names; a statement left with none goes, its comments with it."""

    def __init__(self, dropped: dict[cst.ImportFrom, set[int]]) -> None:
        super().__init__()
        self.dropped = dropped

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        positions = self.dropped.get(original_node)
        if not positions:
            return updated_node
        names = list(updated_node.names)
        for position in sorted(positions, reverse=True):
            names = remove_item(names, position)
        if not names:
            return updated_node  # the whole statement goes (leave_Module)
        if updated_node.rpar is None and type(names[-1].comma) is cst.Comma:
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=names)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        emptied = [type(s) is cst.SimpleStatementLine and len(s.body) == 1 and s.body[0] in self.dropped
                   and len(self.dropped[s.body[0]]) == len(s.body[0].names) for s in original_node.body]
        if not any(emptied):
            return updated_node
        body, footer = remove_statements(updated_node.body, emptied, updated_node.footer)
        return updated_node.with_changes(body=body, footer=footer)
