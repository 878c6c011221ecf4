"""The `repair` command line: parses options and formats results; the work is in runner.py and engine.py.

Exit codes: 0 nothing left to repair; 1 something needs (or still needs) repair; 2 a usage error, or a file that
could not be read, parsed or written (the other files are still processed).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from repair import __version__
from repair.run import Run

if TYPE_CHECKING:
    from repair.runner import Outcome

# Only what `repair --help` needs is imported up here: libcst, the engine and the rules load inside the commands,
# so that help and completion answer at interpreter speed.

EXIT_CLEAN, EXIT_NEEDS_REPAIR, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    # Plain click help and tracebacks: rich's renderer alone costs more than the 0.3 s `repair --help` may take.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Repair the recurring deploy failures of model-generated CDKTF-Python stacks.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathsArg = typer.Argument(..., help="Files or folders (Python files inside are repaired); '-' for standard input.")
SelectOpt = typer.Option(None, "--select", "-s", help="Only these rules (id or slug); repeatable.")
IgnoreOpt = typer.Option(None, "--ignore", help="Skip these rules (id or slug); repeatable.")
TerraformOpt = typer.Option(
    None, "--terraform-version", metavar="X.Y",
    help="Terraform version the stack deploys with (CDK002 keeps use_lockfile from 1.10 on).",
)

SynthOutOpt = typer.Option(None, "--synth-out", help="Keep each synthesized cdk.tf.json (before and after) here; "
                           "by default synth output goes to a temporary folder.")
TimeoutOpt = typer.Option(300.0, "--timeout", help="Seconds a project may take to synthesize.")
SandboxOpt = typer.Option(None, "--sandbox", metavar="LEVEL",
                          help="How the answers synthesized are isolated: auto (default: bwrap where it runs, else "
                          "none), bwrap (bubblewrap: no network, read-only system, home hidden) or none (scrubbed "
                          "environment and limits only); see docs/security.md. [tool.repair] sandbox sets the "
                          "default.")
MemoryOpt = typer.Option(None, "--memory-limit", metavar="SIZE",
                         help="Resident memory the synth worker may hold (default 4GiB; e.g. 6GiB, 3000MiB): past "
                         "it the project is stopped with an error and the next one gets a fresh worker.")


def _fail_usage(message: str) -> typer.Exit:
    typer.echo(f"repair: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _usage(action):
    """Run `action`; a UsageError (a bad flag, configuration value or path, a worker that cannot start) becomes the
    one-line error and exit code 2."""
    from repair.run import UsageError

    try:
        return action()
    except UsageError as exc:
        raise _fail_usage(str(exc))


def _outcomes(run: Run, repaired: Optional[dict] = None):
    """The runner's outcomes, with the Terraform version note said on stderr where the runner attaches it."""
    from repair.runner import outcomes

    iterator = _usage(lambda: outcomes(run, repaired))
    while True:
        outcome = _usage(lambda: next(iterator, None))
        if outcome is None:
            return
        if outcome.note:
            typer.echo(outcome.note, err=True)
        yield outcome


def _write_stdout(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def _report_error(outcome: Outcome) -> None:
    typer.echo(outcome.error.describe(outcome.display), err=True)


def _report_warnings(outcome: Outcome) -> None:
    for warning in outcome.result.warnings if outcome.result else ():
        typer.echo(warning.describe(outcome.display).replace(": error: ", ": warning: ", 1), err=True)


def _rule_counts(outcome: Outcome) -> str:
    counts = Counter(f.rule_id for f in outcome.result.findings if f.fixed)
    return ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in sorted(counts.items()))


@app.command()
def fix(
    paths: List[str] = PathsArg,
    diff: bool = typer.Option(False, "--diff", help="Print the unified diff instead of writing."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the whole tree of each folder under OUT, "
                                       "repaired where needed, instead of in place."),
    context: int = typer.Option(3, "-U", "--unified", min=0, help="Context lines in diffs."),
    diff_format: str = typer.Option("patch", "--format", help="With --diff: patch (pure unified diff), review "
                                    "(each hunk with its rules), markdown (a pull-request report) or json."),
    no_color: bool = typer.Option(False, "--no-color", help="No colors in the review format."),
    verify_first: bool = typer.Option(False, "--verify", help="First synthesize each project before and after "
                                      "repair and check its Terraform JSON (see `repair verify`)."),
    synth_out: Optional[Path] = SynthOutOpt,
    sandbox: Optional[str] = SandboxOpt,
    memory_limit: Optional[str] = MemoryOpt,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    terraform_version: Optional[str] = TerraformOpt,
) -> None:
    """Repair files in place (or print the diff with --diff, or write a repaired copy with --out).

    Example: repair fix --diff --format review broken_samples/review_system
    """
    from repair.output.review import FORMATS, annotated_diff, json_report, markdown_report

    if diff and out is not None:
        raise _fail_usage("--diff and --out are exclusive")
    if diff_format not in FORMATS:
        raise _fail_usage(f"--format must be one of {', '.join(FORMATS)}")
    color = diff_format == "review" and not no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(paths=tuple(paths), select=tuple(select or ()), ignore=tuple(ignore or ()),
              terraform_version=terraform_version, write=not diff, out=out, context=context, synth_out=synth_out,
              sandbox=sandbox, memory_limit=memory_limit)
    collected: list = []
    patches: list[str] = []
    verified = EXIT_CLEAN
    proven: dict = {}  # the results the proof repaired, so that each file is repaired once
    if verify_first:
        verified = _verify(run, proven)
    exit_code = EXIT_CLEAN
    repaired = fixed = left = 0
    for outcome in _outcomes(run, repaired=proven):
        if outcome.error is not None:
            _report_error(outcome)
            exit_code = EXIT_ERROR
        result = outcome.result
        if result is None:
            continue
        _report_warnings(outcome)
        if outcome.display == "<stdin>" and not diff:
            _write_stdout(result.fixed_source)
        elif diff and diff_format in ("markdown", "json"):
            collected.append((outcome.display.lstrip("/"), result))
        elif diff and diff_format == "review":
            sys.stdout.write(annotated_diff(result, outcome.display.lstrip("/"), context, color))
        elif diff and outcome.diff:
            sys.stdout.write(outcome.diff)
        if result.changed and outcome.error is None:
            patches.append(outcome.diff)
            repaired += 1
            fixed += sum(f.fixed for f in result.findings)
            verb = "would repair" if diff else "repaired"
            typer.echo(f"{verb} {outcome.display}: {_rule_counts(outcome)}", err=True)
        for finding in result.unfixed:
            left += 1
            typer.echo(f"{outcome.display}:{finding.line}:{finding.column}: {finding.rule_id} {finding.message} "
                       "(not fixed)", err=True)
            exit_code = max(exit_code, EXIT_NEEDS_REPAIR)
    if diff_format == "markdown" and diff:
        sys.stdout.write(markdown_report(collected, context))
    elif diff_format == "json" and diff:
        sys.stdout.write(json_report(collected, context))
    verb = "would be repaired" if diff else "repaired"
    typer.echo(f"{repaired} file(s) {verb}, {fixed} fix(es), {left} finding(s) left to fix by hand"
               + (f" ({_patch_summary(patches)})." if patches else "."), err=True)
    raise typer.Exit(max(exit_code, verified))


def _patch_summary(patches: list[str]) -> str:
    """The diffs read back through unidiff: a summary, and a check that they parse as the patches they claim."""
    from repair.diff import diff_stats

    files, added, removed = diff_stats("".join(patches))
    return f"{files} file(s) changed, +{added} -{removed} lines"


@app.command()
def check(
    paths: List[str] = PathsArg,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    terraform_version: Optional[str] = TerraformOpt,
    output_format: Optional[str] = typer.Option(None, "--format", help="text (default), json (see "
                                                "repair/output/formats.py for the schema), sarif (2.1.0) or github "
                                                "(workflow annotations); [tool.repair] format sets the default."),
) -> None:
    """Report what needs repair as `path:line:col: ID message`, without changing anything.

    Example: repair check lib/ tap.py
    """
    output_format = output_format or _config_format(paths) or "text"
    if output_format not in CHECK_FORMATS:
        raise _fail_usage(f"--format must be one of {', '.join(CHECK_FORMATS)}")
    run = Run(paths=tuple(paths), select=tuple(select or ()), ignore=tuple(ignore or ()),
              terraform_version=terraform_version)
    if output_format != "text":
        _check_machine(run, output_format)
    exit_code = EXIT_CLEAN
    total = suppressed = 0
    for outcome in _outcomes(run):
        if outcome.error is not None:
            _report_error(outcome)
            exit_code = EXIT_ERROR
        if outcome.result is None:
            continue
        _report_warnings(outcome)
        for finding in outcome.result.findings:
            if finding.suppressed:
                suppressed += 1
                suffix = " (suppressed)"
            else:
                total += 1
                suffix = "" if finding.fixed else " (no automatic fix)"
                if exit_code == EXIT_CLEAN:
                    exit_code = EXIT_NEEDS_REPAIR
            typer.echo(f"{outcome.display}:{finding.line}:{finding.column}: {finding.rule_id} {finding.message}{suffix}")
    typer.echo(f"{total} finding(s)" + (f", {suppressed} suppressed." if suppressed else "."), err=True)
    raise typer.Exit(exit_code)


@app.command()
def report(
    paths: List[str] = PathsArg,
    out: Optional[Path] = typer.Option(None, "--out", help="Write the analysis to this file instead of standard "
                                       "output."),
    output_format: str = typer.Option("markdown", "--format", help="markdown (the reviewers' form) or json (see "
                                      "repair/output/failures.py for the schema)."),
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    terraform_version: Optional[str] = TerraformOpt,
) -> None:
    """Write the failure analysis of an answer: each failure with its impact level, the answer's lines and the
    repaired ones, root cause, documentation and deployment impact; then the totals and knowledge gaps. Changes
    nothing. Exit codes as for `check`.

    Example: repair report broken_samples/review_system --out FAILURES.md
    """
    from repair.output.failures import FORMATS, collect, level_counts, render

    if output_format not in FORMATS:
        raise _fail_usage(f"--format must be one of {', '.join(FORMATS)}")
    if out is not None and out.is_dir():
        raise _fail_usage(f"--out {out} is a folder; give the file to write")
    run = Run(paths=tuple(paths), select=tuple(select or ()), ignore=tuple(ignore or ()),
              terraform_version=terraform_version)
    collected, exit_code = [], EXIT_CLEAN
    for outcome in _outcomes(run):
        if outcome.error is not None:
            _report_error(outcome)
            exit_code = EXIT_ERROR
        if outcome.result is None:
            continue
        _report_warnings(outcome)
        collected.append((outcome.display, outcome.result))
        if outcome.result.needs_repair and exit_code == EXIT_CLEAN:
            exit_code = EXIT_NEEDS_REPAIR
    text = render(collected, paths, output_format)
    if out is None:
        _write_stdout(text)
    else:
        from repair.files import atomic_write

        try:
            atomic_write(out, text)
        except OSError as exc:
            raise _fail_usage(f"cannot write {out}: {exc.strerror or exc}")
    found = collect(collected)
    typer.echo(f"{len(found)} failure(s)" + (f": {level_counts(found)}." if found else "."), err=True)
    raise typer.Exit(exit_code)


VERIFY_FORMATS = ("text", "json", "sarif")


def _verify(run: Run, results: Optional[dict] = None, output_format: str = "text") -> int:
    """Prove each project the run names (runner.verify) and print one line for each (text) or one document for all
    (json, sarif), the sandbox said once on stderr and in the documents; the exit code. Each file's repair is put
    in `results` (resolved path -> RepairResult) when given."""
    from repair.output.formats import verify_text_findings
    from repair.runner import verify

    isolation = _usage(run.isolation) if run.files else None
    exit_code = EXIT_CLEAN
    verified: list = []
    said = False  # the sandbox is said once, with the first project's outcome (an error alone stays one line)
    proofs = _usage(lambda: verify(run, results, isolation))
    while (proof := _usage(lambda: next(proofs, None))) is not None:
        if proof.error is not None:
            typer.echo(proof.error, err=True)
            exit_code = EXIT_ERROR
            continue
        outcome, isolation = proof.verified, proof.sandbox
        verified.append(outcome)
        if not said:
            typer.echo(f"sandbox: {isolation.describe()}", err=True)
            said = True
        if output_format == "text":
            typer.echo(f"{proof.path}: before: {outcome.before.describe()}")
            typer.echo(f"{proof.path}: after:  {outcome.after.describe()}")
            if proof.tree.base != proof.tree.project:  # what was copied besides the project, and why
                typer.echo(f"    synthesized in a copy of {proof.tree.describe()}")
            for line in verify_text_findings(outcome):
                typer.echo(line)
        if not outcome.after.skipped and not outcome.after.clean:
            exit_code = max(exit_code, EXIT_NEEDS_REPAIR)
    if output_format != "text":
        from repair.output import formats

        render = {"json": formats.verify_json, "sarif": formats.verify_sarif}[output_format]
        sys.stdout.write(render(verified, isolation))
    return exit_code


@app.command()
def verify(
    paths: List[str] = typer.Argument(..., help="Project folders (with cdktf.json, tap.py or main.py), lone stack "
                                      "modules, or folders holding them."),
    synth_out: Optional[Path] = SynthOutOpt,
    timeout: float = TimeoutOpt,
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    terraform_version: Optional[str] = TerraformOpt,
    output_format: str = typer.Option("text", "--format", help="text (default), json (see repair/output/formats.py for "
                                      "the schema) or sarif (2.1.0): each Terraform JSON finding with its resource "
                                      "address and, when found, the line of its construct id."),
    stack: Optional[str] = typer.Option(None, "--stack", metavar="NAME", help="Prove only this stack of the app "
                                        "(its construct id); an app without it is an error naming its stacks."),
    sandbox: Optional[str] = SandboxOpt,
    memory_limit: Optional[str] = MemoryOpt,
) -> None:
    """Synthesize each project before and after repair with the real cdktf and provider, and check the Terraform
    JSON for the failures synth cannot see. Exit 1 when a repaired project still fails. Needs Node.js.

    Each project runs in a temporary copy of its repository (or of the folder holding every path its stacks
    read), with cdktf.json's context, as `cdktf synth` runs it; nothing is written into the project.

    Example: repair verify broken_samples/review_system
    """
    if output_format not in VERIFY_FORMATS:
        raise _fail_usage(f"--format must be one of {', '.join(VERIFY_FORMATS)}")
    run = Run(paths=tuple(paths), select=tuple(select or ()), ignore=tuple(ignore or ()),
              terraform_version=terraform_version, synth_out=synth_out, timeout=timeout, stack=stack,
              sandbox=sandbox, memory_limit=memory_limit)
    raise typer.Exit(_verify(run, output_format=output_format))


@app.command()
def batch(
    dataset: Path = typer.Argument(..., help="The dataset folder, or a table of answers (.jsonl, .parquet; one "
                                   "answer a row in --answer-field); never written to."),
    out: Path = typer.Option(..., "--out", help="Where repaired items, patches, report.jsonl and summary.md go."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: one per CPU); with --engine ray, "
                             "chunks worked on at once (0: the cluster's CPUs)."),
    resume: bool = typer.Option(False, "--resume", help="Skip items whose input and tool version match a "
                                "finished record in OUT/report.jsonl."),
    shard: Optional[str] = typer.Option(None, "--shard", metavar="K/N", help="Only this deterministic share of "
                                        "the items (for N jobs of a job array)."),
    pattern: Optional[List[str]] = typer.Option(None, "--pattern", help="File name glob of the items; repeatable "
                                                "(default: *.py and MODEL_RESPONSE*.md)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress output."),
    verify_items: bool = typer.Option(False, "--verify", help="Also prove each project once: synthesize it before "
                                      "and after repair, all of its repaired items in place; each of its items "
                                      "records that outcome (each worker loads the provider once: ~1 GB, ~20 s)."),
    sandbox: Optional[str] = SandboxOpt,
    memory_limit: Optional[str] = MemoryOpt,
    engine: str = typer.Option("local", "--engine", help="Where items are processed: local (processes on this "
                               "machine) or ray (a local Ray, or the cluster at --address)."),
    address: Optional[str] = typer.Option(None, "--address", metavar="ADDR", help="The Ray cluster to run on "
                                          "(host:port, ray://host:port, or auto); without it --engine ray starts a "
                                          "local Ray for the run."),
    answer_field: str = typer.Option("response", "--answer-field", metavar="FIELD", help="A table's column holding "
                                     "the answers (markdown or Python); the output adds repaired_FIELD, diff, "
                                     "findings and status."),
    select: Optional[List[str]] = SelectOpt,
    ignore: Optional[List[str]] = IgnoreOpt,
    terraform_version: Optional[str] = TerraformOpt,
) -> None:
    """Repair every Python file and model answer of a dataset folder (or every answer of a JSONL or Parquet table)
    into OUT, in parallel.

    Exit 0 when every item ran, 1 when any item errored (the others are still done).

    Example: repair batch ../shared/corpus-dev --out /tmp/repaired --jobs 2

    Example: repair batch answers.parquet --answer-field response --out /tmp/repaired --engine ray
    """
    from repair.batch.dataset import BatchConfig, BatchError, Shard
    from repair.batch.run import run_batch

    run = Run(paths=(str(dataset),), select=tuple(select or ()), ignore=tuple(ignore or ()),
              terraform_version=terraform_version, sandbox=sandbox, memory_limit=memory_limit)
    settings = _usage(lambda: run.settings(dataset))
    # A table refuses --verify (one line, from run_batch): no sandbox is started or announced for it.
    isolation = _usage(run.isolation) if verify_items and not dataset.is_file() else None
    if isolation is not None:
        typer.echo(f"sandbox: {isolation.describe()}", err=True)
    try:
        config = BatchConfig(dataset=dataset, out=out, patterns=tuple(pattern or ()) or BatchConfig.patterns,
                             jobs=jobs, resume=resume, shard=Shard.parse(shard) if shard else None,
                             rule_ids=tuple(r.id for r in settings.rules),
                             terraform_version=settings.options.terraform_version, verify=verify_items,
                             sandbox=isolation, engine=engine, address=address, answer_field=answer_field)
        tally = run_batch(config, None if quiet else _progress_printer())
    except BatchError as exc:
        raise _fail_usage(str(exc))
    if not quiet:
        typer.echo("", err=True)
    for note in tally.notes:
        typer.echo(note, err=True)
    typer.echo(_terminal_table(tally))
    if tally.removed:
        typer.echo(f"removed the outputs of {len(tally.removed)} item(s) no longer in the dataset: "
                   + ", ".join(tally.removed[:10]) + (" ..." if len(tally.removed) > 10 else ""), err=True)
    if tally.interrupted:
        if not dataset.is_file():  # a table's note above says where its rows are
            typer.echo(f"interrupted: {out / 'report.jsonl'} holds what finished; --resume continues", err=True)
        raise typer.Exit(130)
    raise typer.Exit(EXIT_NEEDS_REPAIR if tally.status["error"] else EXIT_CLEAN)


@app.command()
def merge(
    reports: List[Path] = typer.Argument(..., help="OUT folders (or report.jsonl files) of batch shards."),
    out: Path = typer.Option(..., "--out", help="Where the merged report.jsonl, summary.md and summary.html go."),
) -> None:
    """Merge the reports of `repair batch --shard` runs into one report and summary (and its summary.html).

    Example: repair merge out-1 out-2 out-3 --out merged
    """
    from repair.batch.dataset import BatchError
    from repair.batch.report import merge_reports

    try:
        tally = merge_reports(reports, out)
    except BatchError as exc:
        raise _fail_usage(str(exc))
    typer.echo(_terminal_table(tally))
    raise typer.Exit(EXIT_NEEDS_REPAIR if tally.status["error"] else EXIT_CLEAN)


CHECK_FORMATS = ("text", "json", "sarif", "github")


def _config_format(paths: List[str]) -> Optional[str]:
    from repair.config import ConfigError, load_config

    try:
        return load_config(Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()).format
    except ConfigError as exc:
        raise _fail_usage(str(exc))


def _check_machine(run: Run, output_format: str) -> None:
    """check --format json|sarif|github: one document on stdout; exit codes as for text."""
    from repair.output import formats

    results, exit_code = [], EXIT_CLEAN
    for outcome in _outcomes(run):
        if outcome.result is None:
            continue
        results.append((outcome.display, outcome.result))
        if outcome.error is not None:
            exit_code = EXIT_ERROR
        elif outcome.result.needs_repair and exit_code == EXIT_CLEAN:
            exit_code = EXIT_NEEDS_REPAIR
    render = {"json": formats.check_json, "sarif": formats.check_sarif, "github": formats.check_github}
    sys.stdout.write(render[output_format](results))
    raise typer.Exit(exit_code)


def _progress_printer():
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        eta = (total - done) / rate if rate else 0.0
        line = f"[{done}/{total}] {rate:.1f} items/s, ETA {eta:.0f} s"
        if tty:
            sys.stderr.write("\r" + line)
            sys.stderr.flush()
        elif seconds - last[0] >= 5 or done == total:
            last[0] = seconds
            sys.stderr.write(line + "\n")

    return show


def _terminal_table(tally) -> str:
    statuses = ("clean", "repaired", "error", *sorted(set(tally.status) - {"clean", "repaired", "error"}))
    rows = [f"{'status':<12}{'items':>8}"] + [f"{s:<12}{tally.status[s]:>8}" for s in statuses]
    rules = sorted({r for r, _ in tally.findings})
    if rules:
        rows += ["", f"{'rule':<12}{'fixed':>8}{'reported':>10}{'suppressed':>12}"]
        rows += [f"{r:<12}{tally.findings[(r, 'fixed')]:>8}{tally.findings[(r, 'reported')]:>10}"
                 f"{tally.findings[(r, 'suppressed')]:>12}" for r in rules]
    if tally.errors:
        rows += ["", f"{'error':<16}{'items':>8}"] + [f"{k:<16}{n:>8}" for k, n in tally.errors.most_common()]
    rate = tally.items / tally.seconds if tally.seconds else 0.0
    rows += ["", f"{tally.items} items, {tally.resumed} resumed, {tally.seconds:.1f} s, {rate:.1f} items/s"]
    return "\n".join(rows)


@app.command()
def rules(
    rule_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="A rule id or slug to show in full."),
    markdown: bool = typer.Option(False, "--markdown", help="The catalog as the Markdown table in README.md."),
) -> None:
    """List the rules, or show one with its description and examples.

    Example: repair rules CDK003
    """
    from repair.transforms._base import all_rules, catalog_markdown, rule_by_key

    if markdown:
        typer.echo(catalog_markdown(), nl=False)
        return
    if rule_id is None:
        for rule in sorted(all_rules(), key=lambda r: r.id):
            typer.echo(f"{rule.id}  {rule.slug:<30} {rule.severity.value:<8}  {rule.summary}")
        return
    rule = rule_by_key(rule_id)
    if rule is None:
        raise _fail_usage(f"unknown rule {rule_id!r}; `repair rules` lists them")
    typer.echo(f"{rule.id} {rule.slug} ({rule.severity.value})\n")
    typer.echo(rule.summary)
    typer.echo(f"\nPrevents: {rule.prevents}\nDocs: {rule.doc_url}\nSource: {rule.__module__}\n")
    doc = (sys.modules[rule.__module__].__doc__ or "").strip()
    if doc:
        typer.echo(doc.split("\n", 1)[1].strip() + "\n" if "\n" in doc else "")
    for number, example in enumerate(rule.examples, 1):
        if example.after is None:
            typer.echo(f"Example {number} (already right, left alone):\n{_indent(example.before)}")
        else:
            typer.echo(f"Example {number}, before:\n{_indent(example.before)}after:\n{_indent(example.after)}")


@app.command()
def provider(name: Optional[str] = typer.Argument(None, help="A class or struct name to look up.")) -> None:
    """Show the installed provider version and index cache; with a NAME, the provider modules that export it.

    Example: repair provider S3BucketVersioning
    """
    from repair.provider_index import PACKAGE, installed_index
    from repair.transforms._provider_names import closest_names

    index = installed_index()
    typer.echo(f"provider: cdktf-cdktf-provider-aws {index.version}")
    typer.echo(f"package: {index.root or 'not installed'}")
    typer.echo(f"cache: {index.cache_path}")
    if name is None:
        return
    found = False
    for candidate in dict.fromkeys([name, name + "A"]):
        for module in index.owners(candidate):
            found = True
            typer.echo(f"{candidate}: from {PACKAGE}.{module} import {candidate}")
    if not found:
        suggestions = closest_names(name, index.all_names())
        typer.echo(f"{name}: exported by no provider module" +
                   (f"; closest: {', '.join(suggestions)}" if suggestions else ""))
        raise typer.Exit(EXIT_NEEDS_REPAIR)


def _indent(code: str) -> str:
    return "".join(f"    {line}\n" for line in code.splitlines())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"repair (cdktf-repair) {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Repair the recurring deploy failures of model-generated CDKTF-Python stacks."""


def _quiet_about_the_users_code() -> None:
    """The code `repair` reads is the user's, parsed with `ast` and `compile`: CPython's warnings about it (an
    invalid escape sequence, `is` with a literal) would print on every run, attributed to no line of ours, and
    more from Python 3.12 on (SyntaxWarning). Set once here, before any worker is forked, so workers inherit it."""
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", message="invalid escape sequence", category=DeprecationWarning)


def _stop_on_sigterm_as_on_ctrl_c() -> None:
    """A stop from a scheduler, `timeout` or a CI runner (SIGTERM) ends a command as Ctrl-C does (exit 130): the way
    out removes the temporary copies and staged trees of a proof and a file half-filled for its atomic rename, which
    the default action (the process ends on the spot) would leave behind. A handler set by whoever started us (not
    the default) is kept; `repair batch` sets its own for its run, and its workers restore the default."""
    if hasattr(signal, "SIGTERM") and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    _quiet_about_the_users_code()
    _stop_on_sigterm_as_on_ctrl_c()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("repair: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last guard: a bug must still end in one line, never a traceback
        typer.echo(f"repair: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        sys.exit(EXIT_ERROR)
    finally:
        # The process ends here, and the OS frees its memory in one step. Frozen, the objects it made (libcst's,
        # the rules', matplotlib's) are out of the cyclic collector's reach, so the interpreter's last collections
        # do not visit them one by one first: 0.2 s of a batch's 0.4 s exit, serial time that even `-j 2` pays.
        # Reference counting and atexit work as before: outputs are written and closed, handlers run.
        gc.freeze()
