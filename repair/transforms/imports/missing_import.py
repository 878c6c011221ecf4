"""CDK015 missing-import: a module, cdktf class or provider class the code uses but never imports.

Models write `json.dumps(policy)`, `Fn.jsonencode(...)` or `DataAwsAvailabilityZones(self, "azs")` and forget the
import; the module then stops at a NameError when the stack is built. A name is repaired only when nothing in the
module binds it (`_names`: no assignment, parameter, definition or import anywhere, and no `import *`) and exactly
one place can provide it:

- a standard-library module, when every use reads an attribute it has (`os.environ`, `json.dumps`; not
  `queue.arn`, a fragment's variable);
- an export of cdktf or constructs, read from the installed packages' `__all__` without importing them;
- a class of the installed provider, from the module CDK001's resolution gives it: the module named after it
  (`DataAwsAvailabilityZones` -> `data_aws_availability_zones`), else the one module that exports it. The import
  names the class as the code does; CDK001 corrects a name its module spells differently (jsii's `A` suffix).

A name that two of these could provide, or several provider modules export, is reported with the candidates; a
name none provides is left alone (it may be a variable of a fragment). The import goes after the file's imports of its kind: a standard-library
`import` after the last standard-library import (before the first import when there is none), a `from` import
into the file's existing import of that module or after its last import.
"""

from __future__ import annotations

import re
from functools import cache

import libcst as cst

from repair.provider_index import PACKAGE, ProviderIndex
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import add_import, code_of, insert_after_imports
from repair.transforms._names import (JSII_PACKAGES, is_stdlib_module, name_uses, package_exports,
                                     stdlib_module_has)
from repair.transforms._provider_imports import class_home
from repair.transforms._provider_names import _module_name_for, _without_markers
from repair.transforms._triggers import Any, SourceFacts, Unimported


# Words that may be a free name (a word inside quotes, `"Resource": ...`, is a string's and is not considered).
_STDLIB_CANDIDATE = re.compile(r"(?<![\w.\"'])([a-z_][a-z0-9_]*)\.[A-Za-z_]")
_CLASS_CANDIDATE = re.compile(r"(?<![\w.\"'])([A-Z]\w*)\b(?![\"'])")


@cache
def _jsii_exports() -> dict[str, frozenset[str]]:
    return {package: package_exports(package) for package in JSII_PACKAGES}


def _stdlib_module(word: str, facts: SourceFacts) -> bool:
    return is_stdlib_module(word)


def _jsii_export(word: str, facts: SourceFacts) -> bool:
    return any(word in exports for exports in _jsii_exports().values())


def _provider_name(word: str, facts: SourceFacts) -> bool:
    index = facts.index
    return bool(index.owners(word)) or index.has_module(_module_name_for(_without_markers(word)))


class MissingImport(Rule):
    id = "CDK015"
    slug = "missing-import"
    severity = Severity.CRITICAL
    summary = ("Import the standard-library modules, cdktf classes and provider classes the code uses but never "
               "imports, when only one place provides them.")
    prevents = "NameError: name 'json' is not defined (cdktf synth fails)"
    doc_url = "https://docs.python.org/3/reference/import.html"
    analysis_keywords = ("missing import", "missing * import", "import missing")
    synth_errors = (r"^NameError: name '(?!(?:true|false|null)')",)
    phase = Phase.STRUCTURE
    # A name some package provides that appears where no import statement names it.
    # (Written as a name, not in a string, a comment or an attribute.)
    triggers = Any(Unimported(_STDLIB_CANDIDATE, _stdlib_module, in_code=True, shape=r"[a-z_][a-z0-9_]*"),
                   Unimported(_CLASS_CANDIDATE, _jsii_export, _provider_name, in_code=True, shape=r"[A-Z]\w*"))

    examples = (
        Example(
            before=(
                '"""Stack."""\n'
                "import os\n"
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region=os.environ.get('AWS_REGION'))\n"
                "        azs = DataAwsAvailabilityZones(self, 'azs', state='available')\n"
                "        TerraformOutput(self, 'policy', value=json.dumps({'azs': Fn.element(azs.names, 0)}))\n"
            ),
            after=(
                '"""Stack."""\n'
                "import os\n"
                "import json\n"
                "from cdktf import TerraformStack, TerraformOutput, Fn\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones\n"
                "\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region=os.environ.get('AWS_REGION'))\n"
                "        azs = DataAwsAvailabilityZones(self, 'azs', state='available')\n"
                "        TerraformOutput(self, 'policy', value=json.dumps({'azs': Fn.element(azs.names, 0)}))\n"
            ),
        ),
        # No standard-library import yet: the new one goes first, under the comment that heads the imports, as a group.
        Example(
            before=(
                "# Lambda handler\n"
                "from cdktf import Token\n"
                "\n"
                "def handler(event, context):\n"
                "    return {'expires': int(time.time()) + 60}\n"
            ),
            after=(
                "# Lambda handler\n"
                "import time\n"
                "\n"
                "from cdktf import Token\n"
                "\n"
                "def handler(event, context):\n"
                "    return {'expires': int(time.time()) + 60}\n"
            ),
        ),
        # Bound somewhere (a parameter, an assignment in another function): the code's own names.
        Example(
            before=(
                "def render(json):\n"
                "    return json.dumps({})\n"
                "def build():\n"
                "    Fn = helpers()\n"
                "    return Fn.join(',', [])\n"
                "def use():\n"
                "    return Fn.join('-', [])\n"
            ),
        ),
        # A star import may provide anything; an unknown name is not guessed at, nor a variable that shares a
        # standard-library module's name (the module has no `arn`).
        Example(before="from helpers import *\nprint(json.dumps(config))\n"),
        Example(before="print(settings.region, MyConstruct, queue.arn)\n"),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if _an_excerpt(tree, self.context.filename):
            return tree
        uses = name_uses(tree)
        index = self.options.provider_index()
        additions: list[tuple[str, str | None]] = []  # (module, name) for `from`, (module, None) for `import`
        for name in uses.free_names():
            reads = uses.reads[name]
            origins = self._origins(index, name, reads)
            first = reads[0][0]
            if not origins:
                if name[:1].isupper() and len(index.owners(name)) > 1:
                    places = ", ".join(f"{PACKAGE}.{module}" for module in index.owners(name))
                    self.report(first, f"`{name}` is used but never imported; several provider modules export it "
                                f"({places})", fixed=False)
                continue
            if len(origins) > 1:
                spelled = " or ".join(_spell(module, imported) for module, imported in origins)
                self.report(first, f"`{name}` is used but never imported; it could be {spelled}", fixed=False)
                continue
            ((module, imported),) = origins
            if self.report(first, f"`{name}` is used but never imported (NameError): {_spell(module, imported)}"):
                additions.append((module, imported))
        for module, imported in additions:
            if imported is None:
                tree = _add_stdlib_import(tree, module)
            else:
                tree = add_import(self.context, tree, module, imported)
        return tree

    @staticmethod
    def _origins(index: ProviderIndex, name: str, reads) -> list[tuple[str, str | None]]:
        origins: list[tuple[str, str | None]] = []
        if all(isinstance(parent, cst.Attribute) and parent.value is read for read, parent in reads) and \
                stdlib_module_has(name, {parent.attr.value for _, parent in reads}):
            origins.append((name, None))
        for package, exports in _jsii_exports().items():
            if name in exports:
                origins.append((package, name))
        if name[:1].isupper() and (home := class_home(index, name)).module is not None:
            # Imported as written: CDK001 then corrects a name its module spells differently (jsii's `A` suffix).
            origins.append((f"{PACKAGE}.{home.module}", name))
        return origins


def _an_excerpt(tree: cst.Module, filename: str | None) -> bool:
    """A block of a markdown document that names no module of its own and imports nothing: an excerpt of code the
    prose shows (`self._rds_instance = DbInstance(...)` under "Key corrections"), whose imports are in the module it
    comes from, not missing from it. (A block a heading or comment names, `database_stack.py`, is that module.)"""
    if not filename or not filename.lower().endswith((".md", ".markdown")):
        return False
    return not any(type(small) in (cst.Import, cst.ImportFrom)
                   for statement in tree.body if type(statement) is cst.SimpleStatementLine
                   for small in statement.body)


def _spell(module: str, name: str | None) -> str:
    return f"`import {module}`" if name is None else f"`from {module} import {name}`"


def _imported_modules(statement: cst.BaseStatement) -> list[str] | None:
    """The top-level modules a module-level import statement reads from; None for any other statement."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    modules = []
    for small in statement.body:
        if isinstance(small, cst.Import):
            modules.extend(code_of(alias.name).split(".")[0] for alias in small.names)
        elif isinstance(small, cst.ImportFrom):
            modules.append(code_of(small.module).split(".")[0] if small.module and not small.relative else "")
        else:
            return None
    return modules


def _add_stdlib_import(tree: cst.Module, module: str) -> cst.Module:
    statement = cst.parse_statement(f"import {module}\n")
    body = list(tree.body)
    last_stdlib = first_import = None
    for position, existing in enumerate(body):
        modules = _imported_modules(existing)
        if modules is None or modules == ["__future__"]:
            continue
        if first_import is None:
            first_import = position
        if all(is_stdlib_module(m) for m in modules):
            last_stdlib = position
    if last_stdlib is not None:
        body.insert(last_stdlib + 1, statement)
    elif first_import is not None:
        # Standard-library imports come first (PEP 8): the new one takes the lines that head the imports, and a
        # blank line sets it apart from the group that follows.
        head = body[first_import]
        body[first_import] = head.with_changes(leading_lines=(cst.EmptyLine(),))
        body.insert(first_import, statement.with_changes(leading_lines=head.leading_lines))
    else:
        return insert_after_imports(tree, statement)
    return tree.with_changes(body=body)
