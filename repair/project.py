"""The project a file belongs to: its root folder, the app's entry and the stacks the entry builds.

A stack module is one half of a contract whose other half is the entry (`tap.py`): the entry imports the stack
class from a module and calls it with keywords of its own. Rules that check a module against the rest of its project
read a `ProjectContext` from their `RuleContext.project`. The engine resolves it from the file's path only for
the rules that ask for it, once per project root: a file under a folder holding `cdktf.json` or an entry script
belongs to that folder's project; a lone file, stdin or a string has none.

A markdown answer at `<task>/lib/MODEL_RESPONSE.md` belongs to the task folder's project (it holds `tap.py`); its
code blocks are named by their path inside that project (`lib/tap_stack.py`).
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence


# The app's entry script when cdktf.json names none (the task's `tap.py`, or an answer's own `main.py`/`app.py`).
ENTRY_CANDIDATES = ("tap.py", "main.py", "app.py")
# Folders of code that runs elsewhere (Lambda sources), not modules of the app.
ASSET_FOLDERS = {"lambda", "lambdas", "functions", "handlers", "lambda_functions", "src"}
# How many folders up from a file its project root may be: `lib/stacks/x.py` is two below the root.
MAX_DEPTH = 3
# Folders that hold no module of the app: tools' output, environments, version control.
_SKIPPED_FOLDERS = {"cdktf.out", "node_modules", "__pycache__", "venv", ".venv", "build", "dist"}


def find_entry(project: Path) -> Path | None:
    """The app's entry script: from cdktf.json's `app` command when it names a .py file, else tap.py/main.py."""
    config = project / "cdktf.json"
    if config.is_file():
        try:
            app = json.loads(config.read_text(encoding="utf-8")).get("app", "")
        except (ValueError, OSError):
            app = ""
        for word in str(app).split():
            if word.endswith(".py") and (project / word).is_file():
                return project / word
    for name in ENTRY_CANDIDATES:
        if (project / name).is_file():
            return project / name
    return None


@dataclass(frozen=True)
class StackCall:
    """One call of the entry to a class it imports from the project: `TapStack(app, "x", region=...)`."""

    module: str  # the dotted module the class is imported from, "lib.tap_stack"
    class_name: str  # the class's name in that module
    positional: int  # positional arguments passed, scope and id included
    keywords: tuple[str, ...]  # keyword names, in the call's order
    line: int
    # keyword -> the value's expression, module-level names of the entry resolved to what they are assigned once
    values: dict[str, ast.expr] = field(default_factory=dict, compare=False, repr=False)
    star_args: bool = False  # the call passes *args or **kwargs: its arguments are not all known
    # the construct id passed second (after the scope), resolved like `values`; None when not passed so
    stack_id: ast.expr | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProjectContext:
    root: Path
    entry: Path | None
    config: dict = field(default_factory=dict, compare=False)  # cdktf.json, {} when absent or unreadable
    stack_calls: tuple[StackCall, ...] = ()
    modules: tuple[str, ...] = ()  # the project's own Python modules, dotted ("lib.tap_stack")
    asset_folders: tuple[str, ...] = ()  # relative to the root ("lib/lambda")
    # (module, name) of each name the entry imports from the project's own modules (`from lib.tap_stack import
    # TapStack, app`): what a module must keep defining for the entry to run
    entry_imports: tuple[tuple[str, str], ...] = ()
    # The entry creates an App of its own (else the app of a module it imports is the one that runs)
    entry_builds_app: bool = True

    @classmethod
    def of_entry(cls, source: str, root: Path, packages: Sequence[str] = ("lib",)) -> ProjectContext:
        """A project known by its entry's source alone (the rules' examples): `packages` are its own top-level
        modules, the ones whose imported classes are the project's."""
        def is_local(top: str) -> bool:
            return top in packages

        return cls(root, None, {}, parse_stack_calls(source, is_local),
                   entry_imports=parse_entry_imports(source, is_local), entry_builds_app=builds_app(source))

    def module_of(self, path: str | None) -> str | None:
        """The dotted module a Python file stands for in this project: its path relative to the root; a relative
        path that does not lead into the root (a markdown block's `lib/tap_stack.py`) is taken as relative to it."""
        if not path or not path.endswith(".py"):
            return None
        candidate = Path(path)
        relative: PurePosixPath | None = None
        if candidate.is_absolute() or candidate.exists():
            try:
                relative = PurePosixPath(Path(os.path.abspath(candidate)).relative_to(self.root).as_posix())
            except ValueError:
                relative = None
        if relative is None:
            if candidate.is_absolute():
                return None
            relative = PurePosixPath(path.replace("\\", "/").removeprefix("./"))
        parts = relative.with_suffix("").parts
        if not parts or any(p in ("..", "") for p in parts):
            return None
        return ".".join(parts)

    def calls_into(self, module: str) -> list[StackCall]:
        """The entry's calls of classes imported from `module`; a module placed at the root by an answer
        (`tap_stack.py` for `lib.tap_stack`) counts as the one the entry imports."""
        return [call for call in self.stack_calls if modules_match(call.module, module)]


@lru_cache(maxsize=64)
def overlaid(project: ProjectContext, files: tuple[tuple[str, str], ...]) -> ProjectContext:
    """The project as an answer that brings some of its files lays it out: the answer's `cdktf.json` and entry
    script (path -> text, the last one of a path winning) replace the folder's, so the entry whose calls count is
    the one that will run."""
    given = dict(files)
    if "cdktf.json" not in given and not any(name in given for name in ENTRY_CANDIDATES):
        return project
    config = project.config
    if "cdktf.json" in given:
        try:
            loaded = json.loads(given["cdktf.json"])
            config = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            config = {}
    root = project.root
    present = [name for name in given if name.endswith(".py")]

    def exists(name: str) -> bool:
        return name in given or (root / name).is_file()

    app_scripts = [w for w in str(config.get("app", "")).split() if w.endswith(".py") and exists(w)]
    entry = next(iter(app_scripts), None) or next((n for n in ENTRY_CANDIDATES if exists(n)), None)
    if entry is None:
        return replace(project, config=config, entry=None, stack_calls=(), entry_imports=())
    try:
        source = given[entry] if entry in given else (root / entry).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return replace(project, config=config, entry=None, stack_calls=(), entry_imports=())

    def is_local(top: str) -> bool:
        return ((root / top).is_dir() or (root / f"{top}.py").is_file()
                or any(name == f"{top}.py" or name.startswith(f"{top}/") for name in present))

    return replace(project, config=config, entry=root / entry, stack_calls=parse_stack_calls(source, is_local),
                   entry_imports=parse_entry_imports(source, is_local), entry_builds_app=builds_app(source))


def modules_match(imported: str, module: str) -> bool:
    imported_parts, parts = imported.split("."), module.split(".")
    return imported_parts[-len(parts):] == parts


def _local_imports(tree: ast.Module, is_local: Callable[[str], bool]) -> dict[str, tuple[str, str]]:
    """Local name -> (module, class name) for the entry's `from M import C [as A]` of the project's own modules."""
    bound: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if not is_local(node.module.split(".")[0]):
                continue  # an installed package (cdktf, constructs, the provider)
            for alias in node.names:
                if alias.name != "*":
                    bound[alias.asname or alias.name] = (node.module, alias.name)
    return bound


def _module_assignments(tree: ast.Module) -> dict[str, ast.expr]:
    """The entry's module-level names assigned exactly once, with their value."""
    values: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for statement in tree.body:
        targets: list[ast.expr] = []
        value = None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        for target in targets:
            if isinstance(target, ast.Name):
                if target.id in seen:
                    values.pop(target.id, None)
                else:
                    values[target.id] = value
                seen.add(target.id)
    return values


def parse_stack_calls(source: str, is_local: Callable[[str], bool]) -> tuple[StackCall, ...]:
    """The calls an entry's source makes to classes it imports from the project's modules (`is_local` tells a
    top-level module of the project from an installed one)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    imports = _local_imports(tree, is_local)
    assigned = _module_assignments(tree)
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imports):
            continue
        module, class_name = imports[node.func.id]
        values = {}
        for keyword in node.keywords:
            if keyword.arg is not None:
                value = keyword.value
                if isinstance(value, ast.Name) and value.id in assigned:
                    value = assigned[value.id]
                values[keyword.arg] = value
        star = any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords)
        stack_id = node.args[1] if len(node.args) > 1 and not any(
            isinstance(a, ast.Starred) for a in node.args[:2]) else None
        if isinstance(stack_id, ast.Name) and stack_id.id in assigned:
            stack_id = assigned[stack_id.id]
        calls.append(StackCall(module, class_name, sum(not isinstance(a, ast.Starred) for a in node.args),
                               tuple(k.arg for k in node.keywords if k.arg is not None), node.lineno, values, star,
                               stack_id))
    return tuple(sorted(calls, key=lambda c: c.line))


def parse_entry_imports(source: str, is_local: Callable[[str], bool]) -> tuple[tuple[str, str], ...]:
    """(module, name) of each `from module import name` of the project's own modules in an entry's source."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    return tuple(sorted(set(_local_imports(tree, is_local).values())))


def builds_app(source: str) -> bool:
    """Whether an entry's source creates a cdktf `App` of its own (`App()`, an alias of it, `cdktf.App()`); True
    when it does not parse: nothing is known."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return True
    names, modules = {"App"}, {"cdktf"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cdktf":
            names.update(a.asname for a in node.names if a.name == "App" and a.asname)
        elif isinstance(node, ast.Import):
            modules.update(a.asname for a in node.names if a.name == "cdktf" and a.asname)
    return any(isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id in names)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "App" and isinstance(node.func.value, ast.Name)
            and node.func.value.id in modules)) for node in ast.walk(tree))


def _walk_modules(root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    modules, assets = [], []
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        kept = []
        for name in sorted(subfolders):
            if name.startswith(".") or name in _SKIPPED_FOLDERS:
                continue
            if name in ASSET_FOLDERS:
                assets.append((relative / name).as_posix())
                continue
            if len(relative.parts) < MAX_DEPTH:
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if name.endswith(".py"):
                modules.append(".".join((relative / name[:-3]).parts))
    return tuple(sorted(modules)), tuple(sorted(assets))


@lru_cache(maxsize=256)
def load_project(root: Path) -> ProjectContext:
    """The project at `root`, read once per process."""
    config: dict = {}
    config_file = root / "cdktf.json"
    if config_file.is_file():
        try:
            loaded = json.loads(config_file.read_text(encoding="utf-8"))
            config = loaded if isinstance(loaded, dict) else {}
        except (ValueError, OSError):
            config = {}
    entry = find_entry(root)
    calls: tuple[StackCall, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()
    builds_app_ = True
    if entry is not None:
        def is_local(top: str) -> bool:
            return (root / top).is_dir() or (root / f"{top}.py").is_file()

        try:
            source = entry.read_text(encoding="utf-8")
            calls, imports = parse_stack_calls(source, is_local), parse_entry_imports(source, is_local)
            builds_app_ = builds_app(source)
        except (OSError, UnicodeDecodeError):
            calls, imports = (), ()
    modules, assets = _walk_modules(root)
    return ProjectContext(root, entry, config, calls, modules, assets, imports, builds_app_)


def _is_project_root(folder: Path) -> bool:
    return (folder / "cdktf.json").is_file() or any((folder / name).is_file() for name in ENTRY_CANDIDATES)


@lru_cache(maxsize=1024)
def _root_above(folder: Path) -> Path | None:
    """The nearest folder with cdktf.json (the project's own word for its root: an app run as `python3 bin/main.py`
    has a main.py in bin/), else the nearest with an entry script."""
    candidates: list[Path] = []
    for candidate in [folder, *folder.parents][:MAX_DEPTH]:
        if (candidate / "cdktf.json").is_file():
            return candidate
        candidates.append(candidate)
        if (candidate / ".git").exists():
            break  # a repository's root bounds its projects
    return next((c for c in candidates if _is_project_root(c)), None)


def root_for(path: str | os.PathLike | None) -> Path | None:
    """The root folder of the project the file at `path` belongs to (the nearest folder holding `cdktf.json` or an
    entry, at most MAX_DEPTH up, not above a repository's root); None for a lone file."""
    if not path or str(path).startswith("<"):
        return None
    try:
        return _root_above(Path(os.path.abspath(path)).parent)
    except OSError:  # an unreadable folder on the way: no project, as for a lone file
        return None


def project_for(path: str | None) -> ProjectContext | None:
    """The project of the file at `path` (which need not exist: a markdown block's file is named, not written);
    None for a lone file, stdin or a string."""
    root = root_for(path)
    if root is None:
        return None
    try:
        return load_project(root)
    except OSError:  # an unreadable folder on the way: no project, as for a lone file
        return None
