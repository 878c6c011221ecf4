"""A model's answer as a project: its markdown's files laid out over its task folder, ready to synthesize.

An answer rarely carries everything a CDKTF app needs: the entry (`tap.py`), `cdktf.json` and asset folders
usually come with the task. A project for synthesis is therefore the task folder's files without its Python
modules under `lib/` (those are the human's fix), overlaid with the answer's files. What the answer leaves out
then fails as it would for its user.

Answers often put their code somewhere else than the task's entry looks for it: the stack module at the repository
root, under `lib/lib/`, in a block without a path, in their own entry (`main.py` with `App()` and `synth()`), or
under another module or class name. `lay_out` maps such an answer onto the task's layout, from the answer's and the
entry's own code only (imports, definitions, TerraformStack subclasses), and never invents code:

1. `lib/lib/x.py` is `lib/x.py`.
2. When the task's entry then imports everything it needs from the answer, nothing else moves.
3. Otherwise, when the answer has its own entry (a module that creates an `App()` and calls `.synth()`), the project
   runs that entry (cdktf.json's `app` names it).
4. Each module the entry needs (transitively) and the answer does not provide at that path is: the answer's module
   of the same name elsewhere (`tap_stack.py` at the root for `lib.tap_stack`); a block without a path that defines
   the imported names (or, for the entry's stack module, the answer's only block defining a TerraformStack
   subclass); or a small re-export module: from the answer's module that defines the imported names, or, for the
   task entry's one imported stack class, the answer's only TerraformStack subclass under the name imported.

An answer without any TerraformStack subclass (prose, snippets, a placeholder) has no stack to synthesize; the
layout says so (`Layout.has_stack`) so that measurements can count such answers apart.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from repair.markdown import check_relative_path, code_blocks, normal_path
from repair.project import ASSET_FOLDERS, ENTRY_CANDIDATES



def answer_files(markdown: str) -> dict[str, str]:
    """Path -> content of each block the answer attributes to a safe relative path (the last one wins)."""
    files: dict[str, str] = {}
    for block in code_blocks(markdown):
        if block.path:
            files[block.path.replace("\\", "/").removeprefix("./")] = block.code
    return files


def _is_human_module(relative: Path) -> bool:
    """A Python module under lib/ that the answer is meant to provide (asset sources excepted)."""
    parts = relative.parts
    return (relative.suffix == ".py" and parts[0] == "lib"
            and not any(p in ASSET_FOLDERS for p in parts[1:-1]))


def task_files(task: Path) -> dict[str, Path]:
    """The task folder's files a project keeps (relative POSIX path -> file): all but the human's lib/ modules,
    documents and build output."""
    kept: dict[str, Path] = {}
    for source in sorted(task.rglob("*")):
        relative = source.relative_to(task)
        if source.is_dir() or relative.parts[0] in {"cdktf.out", "__pycache__"} or relative.suffix == ".md":
            continue
        if _is_human_module(relative) and relative.name != "__init__.py":
            continue
        kept[relative.as_posix()] = source
    return kept


def build_project(task: Path, files: dict[str, str], destination: Path) -> Path:
    """Lay out the answer's `files` over the task folder's non-module files in `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for relative, source in task_files(task).items():
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)  # a link is read, if at all, inside the sandbox
    for relative, content in files.items():
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return destination


# -- what a module defines, imports and runs ------------------------------------------------------------------------
@dataclass
class _Module:
    defines: set[str]  # top-level names (classes, functions, assignments, imports); "*" for a star import
    classes: dict[str, list[str]]  # top-level class -> the last dotted part of each base
    imports: list[tuple[str, int, tuple[str, ...]]]  # (module, relative level, names imported from it)
    is_entry: bool  # creates an App() and calls .synth()


def _last(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):
        return _last(node.value)
    return ""


def _target_names(target: ast.AST) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_target_names(e) for e in target.elts)) if target.elts else set()
    return set()


def _module(source: str) -> _Module | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    defines: set[str] = set()
    classes: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = [_last(base) for base in node.bases]
            defines.add(node.name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defines.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                defines |= _target_names(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            defines |= _target_names(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defines |= {(a.asname or a.name).split(".")[0] for a in node.names}
    imports: list[tuple[str, int, tuple[str, ...]]] = []
    creates_app = calls_synth = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports += [(alias.name, 0, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imports.append((node.module or "", node.level, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Call):
            creates_app |= _last(node.func) == "App"
            calls_synth |= isinstance(node.func, ast.Attribute) and node.func.attr == "synth"
    return _Module(defines, classes, imports, creates_app and calls_synth)


def _stack_classes(modules: dict[str, _Module]) -> dict[str, str]:
    """Class name -> key of the module defining it, for every class deriving from TerraformStack, directly or
    through another class of the answer."""
    stacks: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for key, module in modules.items():
            for name, bases in module.classes.items():
                if name not in stacks and any(b == "TerraformStack" or b in stacks for b in bases):
                    stacks[name] = key
                    changed = True
    return stacks


def has_stack(files: dict[str, str], blocks: list[str] = ()) -> bool:
    """Whether any of these Python sources (an answer's files, its blocks without a path) defines a TerraformStack
    subclass: without one the answer has nothing to synthesize."""
    sources = [c for p, c in files.items() if p.endswith(".py")] + list(blocks)
    modules = {str(i): m for i, m in enumerate(map(_module, sources)) if m is not None}
    return bool(_stack_classes(modules))


# -- the layout ------------------------------------------------------------------------------------------------------
@dataclass
class Layout:
    files: dict[str, str]  # relative path -> content, to lay over the task folder (build_project)
    has_stack: bool
    entry: str | None = None  # the project's entry script, when known
    moves: list[str] = field(default_factory=list)  # what was laid out otherwise than the answer wrote it
    reason: str = ""  # why the answer has no stack, or which module its entry still misses


def _module_name(path: str) -> str:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class _Layout:
    def __init__(self, markdown: str, task: Path | None) -> None:
        self.files: dict[str, str] = {}
        self.unplaced: list[str] = []  # Python blocks without a path
        for block in code_blocks(markdown):
            if block.path:
                self.files[block.path.replace("\\", "/").removeprefix("./")] = block.code
            elif block.is_python and not block.path_error:
                self.unplaced.append(block.code)
        self.written = dict(self.files)  # the answer's own paths, candidates for a module named elsewhere
        self.task = task_files(task) if task else {}
        self.moves: list[str] = []
        self._parsed: dict[str, _Module | None] = {}

    # what the project holds --------------------------------------------------------------------------------------
    def source(self, path: str) -> str | None:
        if path in self.files:
            return self.files[path]
        if path in self.task and path.endswith((".py", ".json")):
            return self.task[path].read_text(encoding="utf-8", errors="replace")
        return None

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.task

    def parsed(self, code: str) -> _Module | None:
        if code not in self._parsed:
            self._parsed[code] = _module(code)
        return self._parsed[code]

    def resolve(self, module: str) -> str | None:
        """The file of a dotted module in the project (a package's __init__ or, for a namespace package, its
        folder), or None."""
        base = module.replace(".", "/")
        for candidate in (base + ".py", base + "/__init__.py"):
            if self.exists(candidate):
                return candidate
        prefix = base + "/"
        if any(p.startswith(prefix) for p in (*self.files, *self.task)):
            return prefix
        return None

    def is_local(self, module: str) -> bool:
        top = module.split(".")[0]
        return any(p.split("/")[0] in (top, top + ".py") for p in (*self.files, *self.task))

    def configured_entry(self) -> str | None:
        """The script cdktf.json's app runs, whether or not the project holds it."""
        config = self.source("cdktf.json")
        if config is None:
            return None
        try:
            app = str(json.loads(config).get("app", ""))
        except (ValueError, AttributeError):
            return None
        script = next((word for word in app.split() if word.endswith(".py")), None)
        return normal_path(script) if script and check_relative_path(script) is None else None

    def entry(self) -> str | None:
        """As repair/proof/synth.py's find_entry picks it: cdktf.json's app script, else tap.py, main.py, app.py."""
        configured = self.configured_entry()
        if configured is not None and self.exists(configured):
            return configured
        return next((name for name in ENTRY_CANDIDATES if self.exists(name)), None)

    def missing(self, entry: str) -> list[tuple[str, tuple[str, ...], str]]:
        """(module, names, importer) of each local import the entry needs, transitively through the answer's
        modules, that the project does not provide."""
        missing, seen, queue = [], set(), [entry]
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            code = self.source(path)
            module = self.parsed(code) if code is not None else None
            if module is None:
                continue
            package = _module_name(path).split(".")[:-1] if not path.endswith("__init__.py") else \
                _module_name(path).split(".")
            for name, level, names in module.imports:
                if level:
                    anchor = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
                    name = ".".join([*anchor, name] if name else anchor)
                if not name or not self.is_local(name):
                    continue
                resolved = self.resolve(name)
                if resolved is None:
                    missing.append((name, names, path))
                    continue
                follow = [resolved] + [r for n in names if (r := self.resolve(f"{name}.{n}"))]
                queue += [f for f in follow if f.endswith(".py") and (f in self.files or f == entry)]
        return missing

    # the mappings ------------------------------------------------------------------------------------------------
    def place(self, path: str, code: str, why: str) -> None:
        self.files[path] = code
        self.moves.append(f"{path}: {why}")

    def collapse_lib_lib(self) -> None:
        for path in list(self.files):
            target = path
            while target.startswith("lib/lib/"):
                target = target[len("lib/"):]
            if target != path and target not in self.files:
                self.files[target] = self.files.pop(path)
                self.moves.append(f"{target}: the answer's {path}")

    def answer_entries(self) -> list[tuple[str | None, str]]:
        """(path or None for a block without one, code) of each answer module that runs an app."""
        found = [(p, c) for p, c in self.files.items()
                 if p.endswith(".py") and not set(PurePosixPath(p).parts[:-1]) & ASSET_FOLDERS
                 and (m := self.parsed(c)) is not None and m.is_entry]
        found += [(None, c) for c in self.unplaced if (m := self.parsed(c)) is not None and m.is_entry]
        return found

    def use_entry(self, path: str) -> None:
        """Make cdktf.json's app run `path`, keeping the rest of the task's command and configuration."""
        config = self.source("cdktf.json")
        try:
            settings = json.loads(config) if config is not None else {"language": "python"}
        except ValueError:
            settings = {"language": "python"}
        words = str(settings.get("app", "python")).split()
        scripts = [i for i, w in enumerate(words) if w.endswith(".py")]
        if scripts:
            words[scripts[0]] = path
        else:
            words.append(path)
        settings["app"] = " ".join(words)
        self.place("cdktf.json", json.dumps(settings, indent=2) + "\n", f"app runs the answer's own entry {path}")

    def defining(self, names: tuple[str, ...], sources) -> list:
        if not names or "*" in names:
            return []
        return [s for s in sources if (m := self.parsed(s[1])) is not None and set(names) <= m.defines]

    def provide(self, module: str, names: tuple[str, ...], for_entry: bool) -> bool:
        """Provide a missing module from the answer's code; False when no unique source follows."""
        target = module.replace(".", "/") + ".py"
        stem = module.rsplit(".", 1)[-1]
        same_name = [(p, c) for p, c in self.written.items() if PurePosixPath(p).stem == stem and p != target
                     and p.endswith(".py")]
        if len(same_name) == 1:
            self.place(target, same_name[0][1], f"the answer's {same_name[0][0]}")
            return True
        blocks = self.defining(names, [(None, c) for c in self.unplaced])
        if len(blocks) == 1:
            self.place(target, blocks[0][1], "the answer's block without a path that defines " + ", ".join(names))
            self.unplaced.remove(blocks[0][1])
            return True
        if not for_entry:
            return False
        if not self.defining(names, [(p, c) for p, c in self.files.items() if p.endswith(".py")]):
            if self.place_only_stack_block(target, names):
                return True
        modules = [(p, c) for p, c in self.files.items() if p.endswith(".py") and p != target
                   and all(part.isidentifier() for part in _module_name(p).split("."))]
        modules_defining = self.defining(names, modules)
        if len(modules_defining) == 1:
            source = _module_name(modules_defining[0][0])
            self.place(target, self.shim(names, source, names, target), f"re-exports {', '.join(names)} "
                       f"from the answer's {modules_defining[0][0]}")
            return True
        stacks = _stack_classes({p: m for p, c in modules if (m := self.parsed(c)) is not None})
        if len(names) == 1 and len(stacks) == 1:
            (cls, path), = stacks.items()
            self.place(target, self.shim((cls,), _module_name(path), names, target),
                       f"re-exports the answer's only TerraformStack subclass {cls} ({path}) as {names[0]}")
            return True
        return False

    def place_only_stack_block(self, target: str, names: tuple[str, ...]) -> bool:
        """The answer's only block without a path that defines a TerraformStack subclass is the stack module the
        entry imports: at `target` when it defines the imported names, else under its class's own module name
        (a re-export then names it as the entry imports it)."""
        modules = {i: m for i, c in enumerate(self.unplaced) if (m := self.parsed(c)) is not None}
        stacks = _stack_classes(modules)
        if len(set(stacks.values())) != 1:
            return False
        code = self.unplaced[next(iter(stacks.values()))]
        if set(names) <= self.parsed(code).defines:
            path = target
        else:
            path = f"{PurePosixPath(target).parent.as_posix()}/{_snake(next(iter(stacks)))}.py"
            if self.exists(path):
                return False
        self.place(path, code, "the answer's only block without a path that defines a TerraformStack subclass")
        self.unplaced.remove(code)
        return path == target

    @staticmethod
    def shim(names: tuple[str, ...], source: str, aliases: tuple[str, ...], target: str) -> str:
        imported = ", ".join(n if n == a else f"{n} as {a}" for n, a in zip(names, aliases))
        return (f'"""Laid out by repair.proof.answers: the entry imports {", ".join(aliases)} from {_module_name(target)}; '
                f'the answer defines {"it" if len(names) == 1 else "them"} in {source}."""\n\nfrom {source} import {imported}  # noqa: F401\n')

    def run(self) -> Layout:
        stack = has_stack(self.files, self.unplaced)
        self.collapse_lib_lib()
        entry = self.entry()
        if not stack:
            return Layout(self.files, False, entry, self.moves, "the answer defines no TerraformStack subclass")
        if entry is not None and not self.missing(entry):
            return Layout(self.files, True, entry, self.moves)
        own = self.answer_entries()
        for_entry = True
        if len(own) == 1 and (own[0][0] != entry or entry is None):
            path, code = own[0]
            if path is None and entry is not None:
                # Where the task's entry looks for what the block defines, else for its first missing module.
                wanted = self.missing(entry)
                path = next((m.replace(".", "/") + ".py" for m, names, _ in wanted
                             if set(names) & self.parsed(code).defines), wanted[0][0].replace(".", "/") + ".py")
                if path in self.files:
                    path = None
                else:
                    self.place(path, code, "the answer's block without a path that runs its app")
                    self.unplaced.remove(code)
            elif path is None:
                # No entry in the task (its cdktf.json runs a script the answer was to write): the answer's one
                # block that runs its app is that script.
                path = self.configured_entry() or ENTRY_CANDIDATES[0]
                self.place(path, code, "the answer's block without a path that runs its app")
                self.unplaced.remove(code)
            if path is not None:
                self.use_entry(path)
                entry, for_entry = path, False
        if entry is None:
            return Layout(self.files, True, None, self.moves, "no app entry in the task or the answer")
        stuck: set[str] = set()
        for _ in range(50):  # each round provides at least one module
            todo = [m for m in self.missing(entry) if m[0] not in stuck]
            if not todo:
                break
            module, names, importer = todo[0]
            if not self.provide(module, names, for_entry and importer == entry):
                stuck.add(module)
        left = self.missing(entry)
        reason = f"no module {left[0][0]} in the answer (imported by {left[0][2]})" if left else ""
        return Layout(self.files, True, entry, self.moves, reason)


def lay_out(markdown: str, task: Path | None = None) -> Layout:
    """The answer's files laid out onto the task folder's layout (see the module's docstring)."""
    return _Layout(markdown, task).run()
