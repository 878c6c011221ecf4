"""What a batch runs over: its settings (BatchConfig), the items of a dataset folder in order, and the projects and
units they belong to (the unit of proof with --verify, and what travels to one worker and one shard together)."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from repair.files import SKIPPED_DIRS
from repair.project import ENTRY_CANDIDATES, root_for

DEFAULT_PATTERNS = ("*.py", "MODEL_RESPONSE*.md")
REPORT = "report.jsonl"
SUMMARY = "summary.md"


class BatchError(ValueError):
    """A batch that must not start (output inside the dataset, a bad shard, ...), worded for the user."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        try:
            k, n = (int(x) for x in text.split("/"))
        except ValueError:
            raise BatchError(f"--shard takes K/N (e.g. 2/8), got {text!r}") from None
        if not 1 <= k <= n:
            raise BatchError(f"--shard {text}: K must be between 1 and N")
        return cls(k, n)

    def owns(self, relative: str) -> bool:
        # A hash of the path, not its position: the same item lands in the same shard whatever else the dataset
        # holds, and every machine of a job array computes the same partition. With --verify the path hashed is
        # the item's project's (project_key), so that a shard holds whole projects.
        digest = hashlib.sha1(relative.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1


@dataclass
class BatchConfig:
    dataset: Path
    out: Path
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    jobs: int = 0  # 0: one per CPU
    resume: bool = False
    shard: Shard | None = None
    rule_ids: tuple[str, ...] | None = None
    terraform_version: tuple[int, int] | None = None
    context: int = 3
    verify: bool = False
    sandbox: object = None  # repair.proof.sandbox.Sandbox the synth workers run in (None: resolved from auto)
    # Where chunks of items are processed (pools.py): "local" processes, or "ray" (a local Ray, or the cluster
    # at `address`). A table dataset (.jsonl, .parquet) holds one answer a row, in its `answer_field` column.
    engine: str = "local"
    address: str | None = None
    answer_field: str = "response"


def check_folders(dataset: Path, out: Path) -> None:
    if not dataset.is_dir():
        raise BatchError(f"{dataset}: not a folder")
    d, o = dataset.resolve(), out.resolve()
    if d == o or d in o.parents or o in d.parents:
        raise BatchError(f"--out {out} and the dataset {dataset} must not contain each other (the dataset is never "
                         "written to)")
    check_out(out)
    if out.is_dir() and not is_batch_output(out) and any(out.iterdir()):
        # Its files would mix with the repaired items, and a later --resume would take them for stale outputs.
        raise BatchError(f"--out {out} is not empty and holds no earlier batch output; choose a new or empty folder")


def check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out} is a file, not a folder")


def is_batch_output(folder: Path) -> bool:
    return any((folder / name).is_file() for name in (REPORT, REPORT + ".partial", SUMMARY))


def settings_key(config: BatchConfig) -> str:
    """What an item's outcome depends on besides its bytes and the tool: a record made under other settings is
    redone by --resume, never reused."""
    return json.dumps({"rules": list(config.rule_ids) if config.rule_ids is not None else None,
                       "terraform_version": list(config.terraform_version) if config.terraform_version else None,
                       "context": config.context, "verify": config.verify}, sort_keys=True)


def iter_items(dataset: Path, patterns: Iterable[str], shard: Shard | None = None,
               key: Callable[[str], str] | None = None) -> Iterator[str]:
    """Relative paths (posix) of the items, sorted (a folder's files, then its sub-folders), streamed folder by
    folder. Plain strings and scandir: pathlib and os.walk cost more than the listing itself on a large dataset.
    `key` maps an item to what its shard is chosen by (its project's path with --verify; default: itself)."""
    matches = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)").match

    def walk(folder: str, prefix: str) -> Iterator[str]:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return  # an unreadable folder is skipped, as os.walk does
        files, folders = [], []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(entry.name)
            elif entry.name not in SKIPPED_DIRS and not entry.name.startswith(".") and not entry.is_symlink():
                folders.append(entry.name)
        for name in sorted(files):
            if matches(name):
                relative = prefix + name
                if shard is None or shard.owns(key(relative) if key else relative):
                    yield relative
        for name in sorted(folders):
            yield from walk(os.path.join(folder, name), prefix + name + "/")

    yield from walk(os.fspath(dataset), "")


# -- projects: the unit of proof ----------------------------------------------------------------------------------
def is_markdown_name(relative: str) -> bool:
    return relative.lower().endswith(".md")


def project_key(dataset: Path, relative: str) -> str:
    """The project an item belongs to, as a path relative to the dataset ("." for the dataset itself): a markdown
    answer is its own project; a Python file belongs to the folder holding its project's `cdktf.json` or entry
    when that folder is inside the dataset; otherwise it is a lone module, its own project."""
    if is_markdown_name(relative):
        return relative
    base = os.path.abspath(dataset)
    root = root_for(os.path.join(base, relative))
    if root is None:
        return relative
    inside = os.path.relpath(root, base)
    if inside.startswith(".."):
        return relative
    return Path(inside).as_posix()


@functools.lru_cache(maxsize=4096)
def _holds_project(folder: str) -> bool:
    return any(os.path.isfile(os.path.join(folder, name)) for name in ("cdktf.json", *ENTRY_CANDIDATES))


def unit_key(dataset: Path, relative: str) -> str:
    """The items that must go to one worker together: the subtree of the outermost folder above the item that
    holds a project (every project inside it, nested ones included, is then proven with all of its items), else
    the item's own project. A unit's items are consecutive in iter_items' order."""
    base = os.path.abspath(dataset)
    parts = relative.split("/")[:-1]
    for depth in range(len(parts) + 1):
        if _holds_project(os.path.join(base, *parts[:depth])):
            return "/".join(parts[:depth]) or "."
    return project_key(dataset, relative)


def group_units(dataset: Path, items: Iterable[str]) -> Iterator[list[str]]:
    """Consecutive items grouped by unit_key."""
    unit: list[str] = []
    current = None
    for relative in items:
        key = unit_key(dataset, relative)
        if unit and key != current:
            yield unit
            unit = []
        current = key
        unit.append(relative)
    if unit:
        yield unit


def is_relative_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return bool(parts) and not Path(relative).is_absolute() and ".." not in parts

