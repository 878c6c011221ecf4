"""A model's answer as a project: its markdown's attributed files laid out in a folder, ready to synthesize.

An answer rarely carries everything a CDKTF app needs: the entry (`tap.py`), `cdktf.json` and asset folders
usually come with the task. A project for synthesis is therefore the task folder's files without its Python
modules under `lib/` (those are the human's fix), overlaid with every file the answer attributes a path to.
What the answer leaves out then fails as it would for its user.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from repair.markdown import code_blocks

ASSET_FOLDERS = {"lambda", "lambdas", "functions", "handlers", "lambda_functions", "src"}


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


def build_project(task: Path, files: dict[str, str], destination: Path) -> Path:
    """Lay out the answer's `files` over the task folder's non-module files in `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for source in sorted(task.rglob("*")):
        relative = source.relative_to(task)
        if source.is_dir() or relative.parts[0] in {"cdktf.out", "__pycache__"} or relative.suffix == ".md":
            continue
        if _is_human_module(relative) and relative.name != "__init__.py":
            continue
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for relative, content in files.items():
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return destination
