"""CDK038 project-import-path: a module of the project imported by a path the entry's `sys.path` does not reach.

Python puts the entry script's own folder first on `sys.path` (`python tap.py`: the project's root; `python3
lib/main.py`: `lib/`), and imports every module by its full path from there. Answers that split a stack into a
package write the imports between its modules as if the importing module's folder were on the path, Python 2's
implicit relative import: `lib/tap_stack.py` says `from stacks.vpc_stack import VpcStack` for `lib/stacks/vpc_stack.py`,
and the entry's `from lib.tap_stack import TapStack` stops at "ModuleNotFoundError: No module named 'stacks'". The
import is given the module's path from the entry's folder (`from lib.stacks.vpc_stack import VpcStack`, the path the
entry itself uses for `lib.tap_stack`), when the name reaches nothing from there (no module of the project, of the
standard library or installed) and exactly that module sits beside the importing one. The entry itself, run from a
folder of the project (`"app": "python3 bin/main.py"`) and importing a package of the root (`from lib.tap_stack
import TapStack`), gets the root first on its path before that import, `sys.path.insert(0, ...)` from `__file__`, the
way such entries are written (one that sets its own path is left to it). Only imports at module level; relative
imports (`from .stacks import x`) already work and are left alone. On a lone file the rule does nothing.
"""

from __future__ import annotations

import importlib.machinery
import os
import re
import sys
from functools import lru_cache
from pathlib import Path, PurePosixPath

import libcst as cst

from repair.options import RepairOptions
from repair.project import ProjectContext
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of
from repair.transforms._triggers import Regex, SourceFacts

# An absolute `from name import ...` at the start of a line (where an import of another module may be).
_FROM_IMPORT = r"^[ \t]*from[ \t]+[A-Za-z_]"
# The module-level imports, as the text reads them: `from a.b import` (a), `import a.b, c as d` (the names).
_TOP_IMPORT = re.compile(r"^(?:from[ \t]+([A-Za-z_]\w*)|import[ \t]+([^\n#;]+))", re.MULTILINE)


def _import_tops(code: str) -> set[str]:
    """The top-level names the module-level imports of the code name (`lib` of `from lib.x import y`)."""
    tops: set[str] = set()
    for from_top, imported in _TOP_IMPORT.findall(code):
        if from_top:
            tops.add(from_top)
        for name in imported.replace("\\", " ").split(","):
            top = name.strip().split(".")[0].split()[0] if name.strip() else ""
            if top.isidentifier():
                tops.add(top)
    return tops

_EXAMPLE_PROJECT = ProjectContext(
    root=Path("example"), entry=Path("example/tap.py"),
    modules=("lib.tap_stack", "lib.stacks.__init__", "lib.stacks.network", "lib.stacks.storage", "tap"))
_EXAMPLE_OPTIONS = RepairOptions(project=_EXAMPLE_PROJECT)
# `"app": "python3 bin/main.py"`: the entry in bin/ imports lib/ of the root.
_BIN_ENTRY_OPTIONS = RepairOptions(project=ProjectContext(
    root=Path("/example"), entry=Path("/example/bin/main.py"), modules=("bin.main", "lib.tap_stack")))
_EXAMPLE_PATH = "lib/tap_stack.py"  # named as a markdown answer names its blocks: from the root


@lru_cache(maxsize=4096)
def _installed(top: str, project_root: Path) -> bool:
    """Whether `top` is a module of the standard library or installed for the interpreter (searched on its own
    `sys.path`, without the working folder or the project, whose modules are the project's)."""
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return True
    here, root = os.path.abspath(os.getcwd()), os.path.abspath(project_root)
    paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.abspath(p) not in (here, root)
             and not os.path.abspath(p).startswith(root + os.sep)]
    try:
        return importlib.machinery.PathFinder.find_spec(top, paths) is not None
    except (ImportError, ValueError):
        return True  # cannot tell: left alone


class ProjectImportPath(Rule):
    id = "CDK038"
    slug = "project-import-path"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    needs_project = True
    summary = ("Import a module of the project by its path from the entry's folder (`lib.stacks.vpc_stack`), not "
               "from the importing module's folder (`stacks.vpc_stack`), which is not on `sys.path`; an entry run from "
               "a folder puts the project's root on the path before importing its packages.")
    prevents = ("ModuleNotFoundError: No module named 'stacks' (the entry imports lib.tap_stack, which imports "
                "stacks.x) / No module named 'lib' (`python3 bin/main.py` imports lib.tap_stack)")
    doc_url = "https://docs.python.org/3/reference/import.html#the-module-search-path"
    analysis_keywords = ("module not found", "import path", "no module named", "sys.path")
    triggers = Regex(_FROM_IMPORT, 0x08)  # re.MULTILINE

    examples = (
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "from stacks.network import NetworkStack\n"
                "from stacks import storage\n"
                "import json\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "from lib.stacks.network import NetworkStack\n"
                "from lib.stacks import storage\n"
                "import json\n"
            ),
            options=_EXAMPLE_OPTIONS,
            path=_EXAMPLE_PATH,
        ),
        # Already full paths, relative imports, installed and standard modules; a module the project does not have
        # (missing from the answer: nothing to point to).
        Example(
            before=(
                "from lib.stacks.network import NetworkStack\n"
                "from .stacks import storage\n"
                "from cdktf import TerraformStack\n"
                "from collections import OrderedDict\n"
                "from constructs import Construct\n"
                "from helpers.naming import name_of\n"
            ),
            options=_EXAMPLE_OPTIONS,
            path=_EXAMPLE_PATH,
        ),
        # The entry in a folder of the project, importing a package of the root: the root goes first on the path.
        Example(
            before=(
                "#!/usr/bin/env python3\n"
                "from cdktf import App\n"
                "\n"
                "# The stack\n"
                "from lib.tap_stack import TapStack\n"
                "import os\n"
            ),
            after=(
                "#!/usr/bin/env python3\n"
                "from cdktf import App\n"
                "\n"
                "# The stack\n"
                "import os\n"
                "import sys\n"
                "sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project's "
                "root, where `lib` is\n"
                "from lib.tap_stack import TapStack\n"
                "import os\n"
            ),
            options=_BIN_ENTRY_OPTIONS,
            path="bin/main.py",
        ),
        # An entry that sets its own path is left to it.
        Example(
            before=(
                "import os, sys\n"
                "sys.path.append(os.path.join(os.path.dirname(__file__), '..'))\n"
                "from lib.tap_stack import TapStack\n"
            ),
            options=_BIN_ENTRY_OPTIONS,
            path="bin/main.py",
        ),
        # A lone file: no entry, no path to import from.
        Example(before="from stacks.network import NetworkStack\n"),
    )

    @classmethod
    def may_apply_in(cls, project: ProjectContext, path: str, facts: SourceFacts | None = None) -> bool:
        # A module inside a package of the project, in another folder than the entry's, or the entry itself in a
        # folder of the project; with its code known, importing at module level a name that reaches nothing from
        # the entry's folder (among the folder's modules: a markdown answer's own count as unreachable here).
        module = project.module_of(path)
        if module is None or "." not in module:
            return False
        base = _entry_package(project)
        if base == module.rpartition(".")[0] and module != _entry_module(project):
            return False
        if facts is None:
            return True
        known = _folder_modules(project)
        return any(not _reachable(top, base, known) and not _installed(top, project.root)
                   for top in _import_tops(facts.code))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        project = self.context.project
        if not isinstance(project, ProjectContext):
            return tree
        module = project.module_of(self.context.filename)
        if module is None or "." not in module:
            return tree
        package, base = module.rpartition(".")[0], _entry_package(project)
        if _sets_path(self._entry_text(project)):
            return tree  # the entry puts folders of its own on the path: what it reaches is not read here
        known = _known_modules(project, self.options)
        edits: dict[cst.CSTNode, object] = {}
        for statement in tree.body:
            if type(statement) is not cst.SimpleStatementLine:
                continue
            if module != _entry_module(project) and "sys.path" in code_of(statement):
                break  # this module puts a folder on the path (its own, often): the imports after it are its
            for small in statement.body:
                if type(small) is not cst.ImportFrom or small.relative or small.module is None:
                    continue
                name = code_of(small.module)
                top = name.split(".")[0]
                if _reachable(top, base, known) or _installed(top, project.root):
                    continue
                beside = f"{package}.{name}"
                if beside not in known or not (base == "" or beside.startswith(base + ".")):
                    continue
                path = beside[len(base) + 1:] if base else beside
                if self.report(small.module, f"`{name}` is not on the entry's path (its folder, the project's "
                                             f"{'root' if not base else base.replace('.', '/')}): the module beside "
                                             f"this one is imported as `{path}`"):
                    edits[small.module] = lambda updated, path=path: cst.parse_expression(path)
        if edits:
            return apply_leaves(tree, edits)
        if module == _entry_module(project):
            return self._root_on_path(tree, base, known, project.root)
        return tree

    def _entry_text(self, project: ProjectContext) -> str:
        """The entry script's code as it will run: a markdown answer's own, else the project's file ("" unread)."""
        if project.entry is None:
            return ""
        relative = project.module_of(str(project.entry))
        for path, text in self.options.project_files if self.options.project_origin else ():
            if relative is not None and ".".join(PurePosixPath(path).with_suffix("").parts) == relative:
                return text
        try:
            return Path(project.entry).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def _root_on_path(self, tree: cst.Module, base: str, known: frozenset[str], root: Path) -> cst.Module:
        """The entry in a folder of the project (`python3 bin/main.py`) importing a package of the project's root
        (`from lib.tap_stack import TapStack`): the root is put first on `sys.path` before that import, as the
        entries of such projects do, `sys.path.insert(0, <the root, from __file__>)`."""
        for position, statement in enumerate(tree.body):
            if type(statement) is not cst.SimpleStatementLine:
                continue
            if "sys.path" in code_of(statement):
                return tree  # the entry sets its own path (from __file__, the environment): not read here
            for small in statement.body:
                if type(small) is cst.ImportFrom and not small.relative and small.module is not None:
                    names = [code_of(small.module)]
                elif type(small) is cst.Import:
                    names = [code_of(alias.name) for alias in small.names]
                else:
                    continue
                tops = [n.split(".")[0] for n in names]
                missing = [t for t in tops if t in known and not _reachable(t, base, known) and not _installed(t, root)]
                if not missing:
                    continue
                folder = base.replace(".", "/")
                if not self.report(small, f"`{missing[0]}` is a package of the project's root, which is not on the "
                                          f"path of an entry run from {folder}/: the root is put first on sys.path "
                                          "before this import"):
                    return tree
                depth = base.count(".") + 2  # the entry's file, then each folder up to the root
                where = "os.path.abspath(__file__)"
                for _ in range(depth):
                    where = f"os.path.dirname({where})"
                bound = _module_level_names(tree.body[:position])  # imported before: usable at the insertion
                lines = [f"import {m}\n" for m in ("os", "sys") if m not in bound]
                lines.append(f"sys.path.insert(0, {where})  # the project's root, where `{missing[0]}` is\n")
                added = [cst.parse_statement(line) for line in lines]
                added[0] = added[0].with_changes(leading_lines=statement.leading_lines)
                body = [*tree.body[:position], *added, statement.with_changes(leading_lines=()),
                        *tree.body[position + 1:]]
                return tree.with_changes(body=body)
        return tree


def _entry_package(project: ProjectContext) -> str:
    """The dotted folder of the entry script from the project's root ("" for the root itself): where the entry's
    `sys.path` starts."""
    if project.entry is None:
        return ""
    try:
        relative = PurePosixPath(Path(os.path.abspath(project.entry)).parent.relative_to(
            os.path.abspath(project.root)).as_posix())
    except ValueError:
        return ""
    return ".".join(p for p in relative.parts if p != ".")


_PATH_CHANGE = re.compile(r"\bsys\.path\s*(?:\.\s*(?:append|insert|extend)\b|\[|\+?=)[^\n]*")


def _sets_path(code: str) -> bool:
    """Whether code puts on `sys.path` some folder other than its own: `sys.path.append(os.path.dirname(
    os.path.abspath(__file__)))` (the tasks' tap.py) changes nothing Python did not do already; any other change
    (another folder, `..`, a joined path, `sys.path[:0] = ...`) is read as one."""
    for match in _PATH_CHANGE.finditer(code):
        text = re.sub(r"\s+", "", match.group(0))
        own = (text.startswith(("sys.path.append(", "sys.path.insert(0,")) and "__file__" in text
               and text.count("dirname(") + text.count(".parent") == 1
               and not any(part in text for part in ("join", "..", "'", '"', "parents", "getcwd", "environ")))
        if not own:
            return True
    return False


def _entry_module(project: ProjectContext) -> str | None:
    return project.module_of(str(project.entry)) if project.entry is not None else None


def _module_level_names(statements) -> set[str]:
    """The names top-level `import` statements bind (`import os`, `import os.path`: `os`)."""
    names: set[str] = set()
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                if type(small) is cst.Import:
                    for alias in small.names:
                        names.add(code_of(alias.asname.name) if alias.asname else code_of(alias.name).split(".")[0])
    return names


@lru_cache(maxsize=64)
def _folder_modules(project: ProjectContext) -> frozenset[str]:
    return _dotted_with_packages(project.modules)


def _dotted_with_packages(names) -> frozenset[str]:
    """Dotted module names and every package above them (`lib.stacks.__init__`: `lib`, `lib.stacks`)."""
    known: set[str] = set()
    for name in names:
        parts = name.split(".")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        known.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(known)


def _known_modules(project: ProjectContext, options: RepairOptions) -> frozenset[str]:
    """The project's modules and packages, dotted from its root: a markdown answer's own files, else the folder's."""
    given = options.project_files if options.project_origin else ()
    if not given:
        return _folder_modules(project)
    return _dotted_with_packages(".".join(PurePosixPath(p).with_suffix("").parts) for p, _ in given
                                 if p.endswith(".py"))


def _reachable(top: str, base: str, known: frozenset[str]) -> bool:
    return (f"{base}.{top}" if base else top) in known
