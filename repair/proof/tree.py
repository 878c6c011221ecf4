"""What `repair verify` copies, so that a project synthesizes in the copy as it does where its author keeps it.

A stack reads more than its own folder: `TerraformAsset(path=os.path.join(os.path.dirname(__file__), "..",
"lambda"))` packages a sibling of the folder with `cdktf.json`, a module puts `..` on `sys.path`, a helper reads
`../config/dev.json`. The copy is therefore of the *base* folder, the higher of:

- the enclosing repository: the nearest folder with `.git`, at most `REPOSITORY_LEVELS` above the project, and
  only while it stays small (`MAX_FILES`, `MAX_BYTES`, counted without the skipped folders); it holds what no
  reading of the code can see (a path built from a config file);
- the nearest folder holding every path the project's Python computes from its own location (`__file__`), from
  the working folder, or writes as a relative literal leaving it (`"../lambda"`), at most `REACH_LEVELS` above
  the project (`reached_paths`), and only while it stays small (`MAX_REACH_FILES`, `MAX_REACH_BYTES`).

Neither is ever the file system's root, the home folder or the temporary folder, nor a folder holding one of them
(`_shared_folder`); the staging folder the copy goes to is never copied into itself.

Without either, the copy is the project folder; a lone stack module that reads no path (nor names anything beside
it by a relative literal, `TerraformAsset(path="./lambda")`) is copied alone. Version
control, tools' output and environments are skipped (`SKIPPED`, any folder holding `pyvenv.cfg` or `conda-meta`,
and `node_modules` where the cdktf tooling puts it: in the base folder or on the way down to the project); an
asset folder's own `node_modules` and `__pycache__` are kept, so that asset hashes are the ones `cdktf synth`
computes where the project lives. Links are copied as links, never read through (docs/security.md): one inside the
copied folder leads where it did. A repaired file is written into the copy itself, never through a link (a linked
folder holding one is copied in its place).

`cdktf_context` is the context `cdktf synth` gives the app: the CLI puts `cdktf.json`'s `context` into
`CDKTF_CONTEXT_JSON`, which `App` applies over the context its constructor was given.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

REPOSITORY_LEVELS = 3  # how far above the project its repository's root may be (repo/deploy/aws/infra)
REACH_LEVELS = 3  # how far above the project a path the stack reads may lead the copy
MAX_FILES = 5_000  # a repository bigger than this is not copied whole: only what the stack reads
MAX_BYTES = 128 * 1024 * 1024
# The folder holding what the stack reads is copied even where a repository that big is not (the stack needs it),
# up to a bound that keeps a path leading far up (`../../..` from /tmp/x/y) from copying a whole disk.
MAX_REACH_FILES = 20_000
MAX_REACH_BYTES = 512 * 1024 * 1024
# Never part of what an app synthesizes: version control, synth and Terraform output, caches.
SKIPPED = frozenset({".git", ".hg", ".svn", "cdktf.out", ".terraform", ".tox", ".nox", ".mypy_cache",
                     ".pytest_cache", ".ruff_cache", ".venv"})
CONTEXT_ENV = "CDKTF_CONTEXT_JSON"


@dataclass(frozen=True)
class Tree:
    base: Path  # the folder copied (a lone module that reads no path: the module itself)
    project: Path  # the project folder or lone module, inside base
    why: str  # "repository", "reach" (the folder holding every path the stack reads) or "project"

    def describe(self) -> str:
        what = {"repository": "the repository", "reach": "the folder holding every path the stack reads"}
        return f"{self.base} ({what.get(self.why, 'the project')})"


def tree_of(project: Path, limit: Path | None = None) -> Tree:
    """The folder to copy to synthesize `project` (a folder with an app entry, or a lone stack module) with
    everything it references; never above `limit` when given (a dataset's folder: batch proofs stay inside it)."""
    project = Path(os.path.abspath(project))
    folder = project.parent if project.is_file() else project
    reach = _reach_root(project, folder)
    repository = None if project.is_file() else repository_root(folder)
    candidates = [c for c in (repository, reach) if c is not None]
    if not candidates:
        base, why = project, "project"
    else:
        base = min(candidates, key=lambda c: len(c.parts))  # the higher one: both are ancestors of the project
        why = "repository" if base == repository else "reach"
        if project.is_dir() and base == project:
            why = "project"
    if limit is not None:
        limit = Path(os.path.abspath(limit))
        if not _within(base, limit):
            base, why = (limit, "reach") if _within(project, limit) else (project, "project")
    return Tree(base, project, why)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def repository_root(folder: Path) -> Path | None:
    """The nearest folder with `.git` at most REPOSITORY_LEVELS above `folder`, when it is small enough to copy."""
    for level, candidate in enumerate([folder, *folder.parents]):
        if level > REPOSITORY_LEVELS or _shared_folder(candidate):
            return None
        if (candidate / ".git").exists():
            return candidate if _small(candidate, folder) else None
    return None


def _small(base: Path, project: Path, max_files: int | None = None, max_bytes: int | None = None) -> bool:
    max_files = MAX_FILES if max_files is None else max_files
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    files = size = 0
    tooling = _tooling_folders(base, project)
    for current, folders, names in os.walk(base):
        here = Path(current)
        folders[:] = [name for name in folders if not _skipped(here, name, tooling)]
        for name in names:
            files += 1
            try:
                size += os.lstat(os.path.join(current, name)).st_size
            except OSError:
                continue
        if files > max_files or size > max_bytes:
            return False
    return True


def _tooling_folders(base: Path, project: Path) -> set[Path]:
    """The base folder and the folders down to the project: where the cdktf tooling keeps its node_modules."""
    folder = project if project.is_dir() else project.parent
    return {base, *(p for p in [folder, *folder.parents] if _within(p, base))}


def _skipped(folder: Path, name: str, tooling: set[Path]) -> bool:
    if name in SKIPPED:
        return True
    if name == "node_modules":
        return folder in tooling
    path = folder / name
    return (path / "pyvenv.cfg").is_file() or (path / "conda-meta").is_dir()


def _loops(path: Path) -> bool:
    """A symbolic link to a folder holding it: copied, it would hold itself without end."""
    if not path.is_symlink():
        return False
    try:
        target, here = path.resolve(), path.parent.resolve()
    except (OSError, RuntimeError):
        return True
    return target == here or target in here.parents


def copy_tree(tree: Tree, destination: Path, files: dict[Path, str] | None = None) -> Path:
    """Copy `tree.base` into the (existing, empty) folder `destination`, write `files` (absolute path inside the
    base -> text) over their copies, and return where the project is in the copy. Raises OSError (shutil.Error
    included) when the tree cannot be copied."""
    base = tree.base
    target = destination / base.name
    staging = Path(os.path.abspath(destination))  # inside the base only when the temporary folder is (TMPDIR=./tmp)
    if base.is_file():
        shutil.copy2(base, target)
    else:
        tooling = _tooling_folders(base, tree.project)

        def ignore(folder: str, names: list[str]) -> set[str]:
            here = Path(folder)
            return {name for name in names if _skipped(here, name, tooling) or _loops(here / name)
                    or here / name == staging}

        # Links stay links (the sandbox's rule: the parent never reads, for the answer, what a link points to);
        # one inside the tree still leads where it did, in the copy.
        shutil.copytree(base, target, symlinks=True, ignore=ignore)
    write_files(tree, target, files or {})
    return target / tree.project.relative_to(base) if base.is_dir() else target


def write_files(tree: Tree, target: Path, files: dict[Path, str], replace: bool = False) -> list[Path]:
    """Write `files` (absolute path inside `tree.base` -> text) over their copies in `target` (the copy of
    `tree.base`); `replace`: each as a new file renamed over the copy's (a new inode). The paths written."""
    written_paths = []
    for path, text in files.items():
        relative = Path(os.path.abspath(path)).relative_to(tree.base) if tree.base.is_dir() else Path()
        written = target / relative
        _unlinked(target, relative)
        written.parent.mkdir(parents=True, exist_ok=True)
        temporary = written.with_name(f".{written.name}.repair-new") if replace else written
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if replace:
            os.replace(temporary, written)
        written_paths.append(written)
    return written_paths


def _unlinked(target: Path, relative: Path) -> None:
    """Make `target / relative` a path of the copy itself before a repaired file is written there: a link to the
    file becomes the file, a linked folder on the way a real folder (its links still links), so that the write
    never goes through a link to the project or anything outside the copy."""
    current = target
    for index, part in enumerate(relative.parts):
        current = current / part
        if not current.is_symlink():
            continue
        last = index == len(relative.parts) - 1
        source = None if last else os.path.realpath(current)
        current.unlink()
        if source is not None and os.path.isdir(source):
            shutil.copytree(source, current, symlinks=True)


def cdktf_context(project: Path | None, inherited: str | None) -> dict:
    """The context `cdktf synth` runs the app with: `cdktf.json`'s `context` whenever the file sets one (the CLI
    writes it into CDKTF_CONTEXT_JSON, replacing the caller's), else the CDKTF_CONTEXT_JSON of the environment."""
    config = project / "cdktf.json" if project is not None else None
    if config is not None and config.is_file():
        try:
            context = json.loads(config.read_text(encoding="utf-8")).get("context")
        except (ValueError, OSError, AttributeError):
            context = None
        if context:  # as the CLI's `if (config.context)`: an empty object still replaces the environment's
            return context if isinstance(context, dict) else {}
        if isinstance(context, dict):
            return {}
    try:
        inherited_context = json.loads(inherited) if inherited else {}
    except ValueError:
        return {}
    return inherited_context if isinstance(inherited_context, dict) else {}


# -- the paths a project's Python reads ------------------------------------------------------------------------------
_SKIPPED_FOR_READING = SKIPPED | {"node_modules", "__pycache__", "venv"}
# A relative literal that leaves the working folder: "..", "../lambda", "./../x", "..\\lambda".
_LEAVING = re.compile(r"^(?:\./)*\.\.(?:[/\\]|$)")
_PATH_CLASSES = {"Path", "PurePath", "PosixPath", "PurePosixPath", "WindowsPath"}
_SAME = {"abspath", "realpath", "normpath", "expanduser", "fspath", "str"}


def _reach_root(project: Path, folder: Path) -> Path | None:
    """The nearest folder holding `folder` and every path the project's Python reads (at most REACH_LEVELS above);
    None when it reads none (a folder project) or none outside its folder (a lone module: then the folder)."""
    sources = [project] if project.is_file() else list(_python_files(folder))
    paths = reached_paths(sources, folder)
    if project.is_file():
        paths += _beside_module(project, folder)
    if not paths:
        return None
    common = Path(os.path.commonpath([str(folder), *map(str, paths)]))
    highest = ([folder, *folder.parents][:REACH_LEVELS + 1])[-1]
    reach = highest if common in highest.parents else common
    # `filename="../../../lambda.zip"` is Terraform's path, read from the synth output's folder: from a project near
    # the top of the file system it leads to `/` (or, from a project in /tmp/x/, to /tmp). Never a shared folder
    # (`_shared_folder`), nor a folder too big to copy: the project is copied alone then, and what it reads out there
    # is missing in the copy.
    if _shared_folder(reach) or not _small(reach, folder, MAX_REACH_FILES, MAX_REACH_BYTES):
        return None
    return reach


def _beside_module(module: Path, folder: Path) -> list[Path]:
    """What a lone module names by a relative literal that exists in its folder (`TerraformAsset(path="./lambda")`,
    read from the folder the module runs in): copied with it. A folder project is copied whole anyway."""
    try:
        tree = ast.parse(module.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 256 \
                and "\n" not in node.value and not os.path.isabs(node.value) and not _LEAVING.match(node.value):
            path = Path(os.path.normpath(folder / node.value))
            if path != module and _within_folder(path, folder) and path.exists():
                found.append(path)
    return found


def _shared_folder(folder: Path) -> bool:
    """The file system's root, the home folder, the temporary folder, or a folder holding one of them: never a copy's
    base. The temporary folder holds verify's own staging folders (copied into themselves: "cannot copy /tmp") and
    other programs' files, which have no place in the sandbox."""
    if folder.parent == folder:
        return True
    for shared in (Path.home(), Path(tempfile.gettempdir())):
        shared = Path(os.path.abspath(shared))
        if folder == shared or folder in shared.parents:
            return True
    return False


def _python_files(folder: Path) -> Iterable[Path]:
    for current, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if name not in _SKIPPED_FOR_READING
                            and not (Path(current, name) / "pyvenv.cfg").is_file())
        for name in sorted(names):
            if name.endswith(".py"):
                yield Path(current, name)


def reached_paths(files: Iterable[Path], cwd: Path) -> list[Path]:
    """The absolute paths these modules compute from their own location (`__file__`), from the working folder
    (`cwd`, where the app runs) or write as relative literals leaving it, each as far as it can be read statically
    (`os.path` and `pathlib` calls, `/`, `+` and f-strings of literals, names assigned once in the module)."""
    found: list[Path] = []
    for file in files:
        try:
            tree = ast.parse(file.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError, OSError):
            continue
        found += _Reader(Path(os.path.abspath(file)), cwd, tree).paths()
    return found


class _Reader:
    def __init__(self, file: Path, cwd: Path, tree: ast.Module) -> None:
        self.file, self.cwd, self.tree = file, Path(os.path.abspath(cwd)), tree
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        self.assigned = {name: values[0] for name, values in assigned.items() if len(values) == 1}

    def paths(self) -> list[Path]:
        found: list[Path] = []

        def visit(node: ast.AST) -> None:
            if isinstance(node, ast.expr):
                value = self.value(node, 0)
                if value is not None:
                    found.append(value)
                    return  # the whole expression, not the folders it passes through
            for child in ast.iter_child_nodes(node):
                visit(child)

        visit(self.tree)
        return found

    def value(self, node: ast.expr, depth: int) -> Path | None:
        """The absolute path `node` evaluates to, when it is a path read from the module's location."""
        if depth > 25:
            return None
        deeper = depth + 1
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return self.file
            if node.id in self.assigned:
                return self.value(self.assigned[node.id], deeper)
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self._join(self.cwd, node.value) if _LEAVING.match(node.value) else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            inner = self.value(node.value, deeper)
            return inner.parent if inner is not None else None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            inner = self.value(node.value.value, deeper)
            index = node.slice
            if inner is not None and isinstance(index, ast.Constant) and isinstance(index.value, int):
                parents = [p for p in inner.parents]
                return parents[index.value] if 0 <= index.value < len(parents) else None
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)):
            left = self.value(node.left, deeper)
            right = node.right
            if left is None or not (isinstance(right, ast.Constant) and isinstance(right.value, str)):
                return None
            return self._join(left, right.value.lstrip("/\\")) if isinstance(node.op, ast.Div) else \
                self._concatenate(left, right.value)
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.FormattedValue):
            left = self.value(node.values[0].value, deeper)
            rest = node.values[1:]
            if left is None or not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in rest):
                return None
            return self._concatenate(left, "".join(v.value for v in rest))
        if isinstance(node, ast.Call):
            return self._call(node, deeper)
        return None

    def _call(self, node: ast.Call, depth: int) -> Path | None:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(
            function, ast.Name) else ""
        args = node.args
        if name in ("getcwd", "cwd") and not args:
            return self.cwd
        if name == "dirname" and len(args) == 1:
            inner = self.value(args[0], depth)
            return inner.parent if inner is not None else None
        if name in _SAME and len(args) == 1:  # os.path.abspath(x), str(x), os.fspath(x)
            return self.value(args[0], depth)
        if isinstance(function, ast.Attribute) and name in ("resolve", "absolute", "expanduser") and not args:
            return self.value(function.value, depth)
        if isinstance(function, ast.Attribute) and name == "joinpath":
            return self._join_all(self.value(function.value, depth), args, depth)
        if name == "join" and args and isinstance(function, ast.Attribute):  # os.path.join, not str.join
            return self._join_all(self.value(args[0], depth), args[1:], depth)
        if name in _PATH_CLASSES and args:
            first = args[0]
            start = self.value(first, depth)
            if start is None and isinstance(first, ast.Constant) and isinstance(first.value, str):
                start = self._join(self.cwd, first.value)
                if _within_folder(start, self.cwd):
                    start = None  # a path inside the working folder: nothing to read beyond it
            return self._join_all(start, args[1:], depth)
        return None

    def _join_all(self, start: Path | None, parts: list[ast.expr], depth: int) -> Path | None:
        if start is None:
            return None
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                start = self._join(start, part.value)
            else:
                absolute = self.value(part, depth)
                if absolute is None:
                    return None
                start = absolute
        return start

    @staticmethod
    def _join(start: Path, relative: str) -> Path:
        return Path(os.path.normpath(os.path.join(start, relative.replace("\\", "/"))))

    @staticmethod
    def _concatenate(start: Path, text: str) -> Path | None:
        if not text.startswith(("/", "\\")):
            return None  # `dirname(__file__) + "x"` names a sibling of another name: not a path read
        return Path(os.path.normpath(str(start) + text.replace("\\", "/")))


def _within_folder(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
