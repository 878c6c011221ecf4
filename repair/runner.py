"""Running the repairs over what the command line names: files, folders, or standard input.

The CLI only formats what this yields; all decisions (what is read, what is written where) are made here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from repair.diff import patch_text
from repair.engine import RepairError, RepairResult
from repair.files import ChangedOnDisk, Target, atomic_copy, atomic_write, decode_source, display_path, iter_targets, repair_file, repair_text
from repair.options import RepairOptions
from repair.transforms._base import Rule


@dataclass
class Outcome:
    display: str
    result: RepairResult | None  # None for a non-Python file copied along with --out
    diff: str = ""
    written: Path | None = None
    write_error: RepairError | None = None

    @property
    def error(self) -> RepairError | None:
        if self.write_error is not None:
            return self.write_error
        return self.result.error if self.result else None


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def input_problem(paths: Sequence[str], out: Path | None) -> str | None:
    """Why these inputs cannot be run as asked, or None: an empty path (it would mean the current folder), an --out
    that is an input or inside one (the copy would be read back as input) or that holds one (the input would be
    overwritten), or two inputs whose repaired copies would land on the same path under --out."""
    for path in paths:
        if path != "-" and not path.strip():
            return "an empty path names no file (use . for the current folder)"
    if out is None:
        return None
    if out.exists() and not out.is_dir():
        return f"--out {out} is a file, not a folder"
    given = [Path(p) for p in paths if p != "-" and Path(p).exists()]
    for path in given:
        if path.is_dir() and _is_within(out, path):
            return f"--out {out} is inside the input {path}: the repaired copy would be read back as input"
        if _is_within(path, out):
            return f"the input {path} is inside --out {out}: it would be overwritten"
    written: dict[Path, Path] = {}
    for target in iter_targets(given, all_files=True):
        destination = out / target.relative
        if destination in written and written[destination].resolve() != target.path.resolve():
            return (f"{display_path(written[destination])} and {display_path(target.path)} would both be written "
                    f"to {display_path(destination)}")
        written[destination] = target.path
    return None


def run(
    paths: Sequence[Path],
    rules: Sequence[type[Rule]],
    options: RepairOptions,
    *,
    write: bool,
    out: Path | None = None,
    context: int = 3,
    exclude: Callable[[Path], bool] | None = None,
    repaired: dict[Path, RepairResult] | None = None,
) -> Iterator[Outcome]:
    """Repair every target. `write`: in place (or under `out`); otherwise only report and diff. Files that
    `exclude` accepts (the config's globs) are skipped, unless named directly. `repaired` holds results this run
    already has (resolved path -> result, e.g. from `fix --verify`'s proof): those files are not repaired again."""
    targets = [t for t in iter_targets(list(paths), all_files=out is not None)
               if exclude is None or t.root is None or not exclude(t.path)]
    if out is not None:
        targets = [t for t in targets if not _is_within(t.path, out)]
    for target in targets:
        known = repaired.get(target.path.resolve()) if repaired else None
        yield _one(target, rules, options, write=write, out=out, context=context, known=known)


def _one(target: Target, rules, options, *, write: bool, out: Path | None, context: int,
         known: RepairResult | None = None) -> Outcome:
    display = display_path(target.path)
    destination = out / target.relative if out is not None else target.path
    if target.path.suffix != ".py" and target.root is not None:  # found in a folder: copied along with --out
        outcome = Outcome(display, None)
        if write and out is not None:
            outcome.write_error = _guard(lambda: atomic_copy(target.path, destination))
            outcome.written = destination if outcome.write_error is None else None
        return outcome
    result = repair_file(target.path, rules, options, display) if known is None else replace(known, path=display)
    outcome = Outcome(display, result, diff=patch_text(display.lstrip("/"), result.hunks(context)))
    if not write or result.error is not None and out is None:
        return outcome
    if out is not None:
        if result.error is not None:
            # A file we could not repair is still part of the tree: copy it unchanged.
            outcome.write_error = _guard(lambda: atomic_copy(target.path, destination)) or None
        else:
            outcome.write_error = _guard(lambda: atomic_write(destination, result.fixed_source))
        outcome.written = destination if outcome.write_error is None else None
    elif result.changed:
        # The bytes that were read: a file someone else wrote since is refused, not overwritten.
        expected = result.source.encode("utf-8")
        outcome.write_error = _guard(lambda: atomic_write(destination, result.fixed_source, expected=expected))
        outcome.written = destination if outcome.write_error is None else None
    return outcome


def _guard(action) -> RepairError | None:
    try:
        action()
    except ChangedOnDisk as exc:
        return RepairError("io", "changed on disk since it was read; not written (run again)")
    except OSError as exc:
        return RepairError("io", f"cannot write: {exc.strerror or exc}")
    return None


def missing_outcome(path: str) -> Outcome:
    return Outcome(path, RepairResult(path, "", "", error=RepairError("io", "no such file or folder")))


def run_stdin(text: str | bytes, rules, options: RepairOptions, context: int = 3, markdown: bool = False) -> Outcome:
    if isinstance(text, bytes):
        decoded, error = decode_source(text)
        if error is not None:
            # Given back byte for byte (a filter loses nothing): the undecodable bytes ride as surrogates.
            kept = text.decode("utf-8", "surrogateescape")
            return Outcome("<stdin>", RepairResult("<stdin>", kept, kept, error=error))
        text = decoded
    result = repair_text(text, rules, options, "<stdin>", markdown)
    return Outcome("<stdin>", result, diff=patch_text("<stdin>", result.hunks(context)))
