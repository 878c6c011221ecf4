"""Running a `Run` (repair/run.py): the repairs over what it names (files, folders, or standard input), and their
proof by synthesis.

The CLI only formats what this yields; all decisions (what is read, what is written where, which settings apply
where, which file is told the Terraform version) are made here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from repair.config import Settings
from repair.diff import patch_text
from repair.engine import RepairError, RepairResult, tune_collector
from repair.files import ChangedOnDisk, Target, atomic_copy, atomic_write, decode_source, display_path, iter_targets, repair_file, repair_text
from repair.options import RepairOptions
from repair.run import Run, UsageError
from repair.transforms._base import Rule

if TYPE_CHECKING:
    from repair.proof.tree import ProjectTree
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


def outcomes(run: Run, repaired: dict[Path, RepairResult] | None = None) -> Iterator[Outcome]:
    """Repair what the run names, each path with the settings that apply where it is (its nearest configuration):
    standard input, or every file under each path; a path that does not exist is an outcome with its error (the
    other paths still run, and a json/sarif/github document still comes, with that error in it). `repaired` holds
    results this run already has (resolved path -> result, from `fix --verify`'s proof): those files are not
    repaired again. UsageError for a bad flag, configuration value or combination of paths."""
    missing = set(run.missing_paths())
    problem = input_problem(run.paths, run.out)
    if problem is not None:
        raise UsageError(problem)
    announced: set[str] = set()
    if run.stdin:
        settings = run.settings(Path.cwd())
        outcome = run_stdin(_read_stdin(), settings.rules, settings.options, run.context, run.markdown_stdin)
        yield _announced(outcome, settings, announced)
        return
    for path in run.paths:
        if path in missing:
            yield missing_outcome(path)
            continue
        settings = run.settings(Path(path))
        for outcome in files([Path(path)], settings.rules, settings.options, write=run.write, out=run.out,
                             context=run.context, exclude=settings.config.excludes, repaired=repaired):
            yield _announced(outcome, settings, announced)


def _read_stdin() -> str | bytes:
    """Standard input's bytes when it has them (decoded, as a file's are, by `run_stdin`), else its text."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read()


def _announced(outcome: Outcome, settings: Settings, announced: set[str]) -> Outcome:
    """The Terraform version decides CDK002: the outcome of the first file where it mattered says which one was
    assumed and where it came from."""
    note = settings.describe_terraform_version()
    if (note not in announced and outcome.result is not None and "use_lockfile" in outcome.result.source
            and any(r.id == "CDK002" for r in settings.rules)):
        announced.add(note)
        outcome.note = note
    return outcome


@dataclass
class ProjectProof:
    """One project of a verify run: its synth before and after repair with the Terraform JSON checked, or the
    one-line error that stopped its proof (the other projects still run)."""

    path: str
    verified: VerifiedProject | None = None
    tree: ProjectTree | None = None  # what was copied to synthesize it
    error: str | None = None
    sandbox: object = None  # the Sandbox its worker ran in (None for a path that does not exist)


def verify(run: Run, results: dict[Path, RepairResult] | None = None, sandbox=None) -> Iterator[ProjectProof]:
    """Each project under the run's paths, synthesized before and after its repair (in temporary copies, in the
    run's sandbox, or `sandbox` when given) with the Terraform JSON checked; with `run.stack`, only that stack of
    each app. A path that does not exist is a proof with its error. Each file's repair is put in `results`
    (resolved path -> RepairResult) when given. UsageError when the synth worker cannot start, or for a bad flag
    or configuration value."""
    from repair.proof.synth import SynthError, SynthWorker
    from repair.proof.tree import tree_of
    from repair.proof.verify import UnknownStack, VerifiedProject, find_projects, located_findings, synth_before_after

    paths = []
    for path in run.files:
        if Path(path).exists():
            paths.append(path)
        else:
            yield ProjectProof(path, error=f"{path}: error: no such file or folder")
    if not paths:
        return
    isolation = sandbox if sandbox is not None else run.isolation()
    try:
        with SynthWorker(timeout=run.timeout, sandbox=isolation) as worker:
            for path in paths:
                settings = run.settings(Path(path))
                for project in find_projects(Path(path)):
                    repaired = {}
                    for target in iter_targets([project]):
                        result = repair_file(target.path, settings.rules, settings.options)
                        if results is not None:
                            results[target.path.resolve()] = result
                        if result.changed and result.error is None:
                            repaired[target.path.resolve()] = result.fixed_source
                    tree = tree_of(project)
                    try:
                        before, after = synth_before_after(worker, project, repaired,
                                                           settings.options.terraform_version, run.synth_out,
                                                           run.stack, tree)
                    except UnknownStack as exc:
                        yield ProjectProof(str(project), error=f"repair: error: {exc}", sandbox=worker.sandbox)
                        continue
                    except OSError as exc:  # --synth-out not writable, a folder gone while reading it
                        yield ProjectProof(str(project), error=f"repair: error: {project}: {exc.strerror or exc}",
                                           sandbox=worker.sandbox)
                        continue
                    yield ProjectProof(str(project), VerifiedProject(str(project), before, after,
                                                                     located_findings(project, before, after)),
                                       tree, sandbox=worker.sandbox)
    except SynthError as exc:
        raise UsageError(str(exc)) from exc


def files(
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
    if len(targets) > 1:
        tune_collector()
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
    except ChangedOnDisk:
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
