"""Running a `Run` (repair/run.py): the repairs over what it names (files, folders, or standard input), and their
proof by synthesis.

The CLI only formats what this yields; all decisions (what is read, what is written where) are made here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from repair.config import Settings
from repair.diff import patch_text
from repair.engine import RepairError, RepairResult
from repair.files import Target, atomic_copy, atomic_write, display_path, iter_targets, repair_file, repair_text
from repair.options import RepairOptions
from repair.run import Run, UsageError

if TYPE_CHECKING:
    from repair.proof.verify import VerifiedProject


@dataclass
class Outcome:
    display: str
    result: RepairResult | None  # None for a non-Python file copied along with --out
    diff: str = ""
    written: Path | None = None
    write_error: RepairError | None = None
    note: str | None = None  # what the user should know about how this file was repaired (the Terraform version)

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


def outcomes(run: Run, repaired: dict[Path, RepairResult] | None = None) -> Iterator[Outcome]:
    """Repair what the run names, with the settings that apply where each path is (its nearest configuration):
    standard input, or every file under each path that exists (`Run.missing_paths` are the caller's to report).
    `repaired` holds results this run already has (resolved path -> result, e.g. from `fix --verify`'s proof):
    those files are not repaired again. UsageError for a bad flag or configuration value."""
    announced: set[str] = set()
    if run.stdin:
        settings = run.settings(Path.cwd())
        yield _announced(run_stdin(sys.stdin.read(), settings.rules, settings.options, run.context,
                                   run.markdown_stdin), settings, announced)
        return
    missing = set(run.missing_paths())
    for path in run.paths:
        if path in missing:
            continue
        settings = run.settings(Path(path))
        for outcome in _files([Path(path)], settings, run, repaired):
            yield _announced(outcome, settings, announced)


def _announced(outcome: Outcome, settings: Settings, announced: set[str]) -> Outcome:
    """The Terraform version decides CDK002: the outcome of the first file where it mattered says which one was
    assumed and where it came from."""
    note = settings.describe_terraform_version()
    if (note not in announced and outcome.result is not None and "use_lockfile" in outcome.result.source
            and any(r.id == "CDK002" for r in settings.rules)):
        announced.add(note)
        outcome.note = note
    return outcome


def _files(paths: Sequence[Path], settings: Settings, run: Run,
           repaired: dict[Path, RepairResult] | None) -> Iterator[Outcome]:
    """Repair every target. The run says whether to write: in place (or under `out`); otherwise only report and
    diff. Files that the configuration's `exclude` accepts are skipped, unless named directly."""
    out, exclude = run.out, settings.config.excludes
    targets = [t for t in iter_targets(list(paths), all_files=out is not None)
               if t.root is None or not exclude(t.path)]
    if out is not None:
        targets = [t for t in targets if not _is_within(t.path, out)]
    for target in targets:
        known = repaired.get(target.path.resolve()) if repaired else None
        yield _one(target, settings.rules, settings.options, write=run.write, out=out, context=run.context,
                   known=known)


def verify(run: Run, results: dict[Path, RepairResult] | None = None) -> Iterator[VerifiedProject]:
    """Each project under the run's paths, synthesized before and after its repair (in temporary copies) with the
    Terraform JSON checked. Each file's repair is put in `results` (resolved path -> RepairResult) when given.
    UsageError when the synth worker cannot start, or for a bad flag or configuration value."""
    from repair.files import repair_file
    from repair.proof.synth import SynthError, SynthWorker
    from repair.proof.verify import VerifiedProject, find_projects, located_findings, synth_before_after

    try:
        with SynthWorker(timeout=run.timeout) as worker:
            for path in (p for p in run.paths if p != "-"):
                settings = run.settings(Path(path))
                for project in find_projects(Path(path)):
                    repaired = {}
                    for target in iter_targets([project]):
                        result = repair_file(target.path, settings.rules, settings.options)
                        if results is not None:
                            results[target.path.resolve()] = result
                        if result.changed and result.error is None:
                            repaired[target.path.resolve()] = result.fixed_source
                    before, after = synth_before_after(worker, project, repaired,
                                                       settings.options.terraform_version, run.synth_out)
                    yield VerifiedProject(str(project), before, after, located_findings(project, before, after))
    except SynthError as exc:
        raise UsageError(str(exc)) from exc


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
        outcome.write_error = _guard(lambda: atomic_write(destination, result.fixed_source))
        outcome.written = destination if outcome.write_error is None else None
    return outcome


def _guard(action) -> RepairError | None:
    try:
        action()
    except OSError as exc:
        return RepairError("io", f"cannot write: {exc.strerror or exc}")
    return None


def run_stdin(text: str, rules, options: RepairOptions, context: int = 3, markdown: bool = False) -> Outcome:
    result = repair_text(text, rules, options, "<stdin>", markdown)
    return Outcome("<stdin>", result, diff=patch_text("<stdin>", result.hunks(context)))
