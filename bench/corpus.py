"""Measure `repair` on real model answers: ../shared/corpus-dev (or --corpus DIR), when present.

For every model answer (lib/MODEL_RESPONSE*.md of each task):
- provider names: each name imported from a provider module that does not export it (the truth is the installed
  provider's symbol table), and whether repair fixed it, reported it (no safe fix), or missed it;
- block shapes: CDK006 findings, fixed or reported;
- with --synth: the answer laid out as a project (repair/proof/answers.py) and synthesized with the real cdktf and
  provider before and after repair; first errors grouped by cause, the share that synthesizes among the answers
  that define a stack (those that define none are listed apart), and each answer's first error after repair.
Writes a Markdown report (--report, default docs/corpus.md) and prints it.

    python bench/corpus.py [--synth] [--corpus DIR] [--report FILE] [--only TASK ...]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import carried_sections  # noqa: E402
from repair.proof.answers import build_project, lay_out  # noqa: E402
from repair.markdown import code_blocks, repair_markdown  # noqa: E402
from repair.provider_index import PACKAGE, installed_index  # noqa: E402
from repair.proof.verify import record_from  # noqa: E402

IMPORT = re.compile(rf"^[ \t]*from[ \t]+{PACKAGE}\.(\w+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)


def missing_names(markdown: str) -> list[tuple[int, str, str]]:
    """(document line, module, name) of each provider import whose module does not export the name."""
    index = installed_index()
    found = []
    for block in code_blocks(markdown):
        if not block.is_python:
            continue
        for match in IMPORT.finditer(block.code):
            module = match.group(1)
            exports = index.exports(module)
            names_text = re.sub(r"#[^\n]*", "", match.group(2))
            offset = block.code[: match.start()].count("\n")
            for item in names_text.strip("()\\ \n").split(","):
                words = item.split()
                if words and words[0] not in exports:
                    line = block.first_line + offset + match.group(0)[: match.group(0).find(words[0])].count("\n")
                    found.append((line, module, words[0]))
    return found


RULE_CAUSES = {"CDK001": "provider name (CDK001)", "CDK006": "block shape, list vs object (CDK006)",
               "CDK007": "dict keys lost in a list of blocks (CDK007)"}


NO_STACK = "no stack in the answer (counted apart)"


def classify(record) -> str:
    """A synth record (repair/proof/verify.py) as the cause to group it under."""
    if record.ok:
        if record.json_findings:
            return "synthesizes, JSON findings: " + ", ".join(sorted({f["rule_id"] for f in record.json_findings}))
        return "ok (synthesizes, Terraform JSON clean)"
    if record.rule:
        return RULE_CAUSES.get(record.rule, record.rule)
    text = record.error
    if record.error_type == "ModuleNotFoundError":
        # A provider module the installed provider lacks is the answer's naming, not its layout.
        if "No module named 'cdktf_cdktf_provider_" in text:
            return "provider module the installed provider lacks"
        return "module missing from the answer"
    if record.error_type == "TypeError" and "unexpected keyword argument" in text:
        return "unknown parameter"
    if record.error_type == "TypeError" and "type of argument" in text:
        return "argument type"
    if record.skipped or record.error_type in ("NoEntry", "NoStacks"):
        return "no app entry or stack"
    return f"other: {record.error_type}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "corpus.md")
    parser.add_argument("--synth", action="store_true", help="also synthesize each answer before and after repair")
    parser.add_argument("--only", action="append", default=[], metavar="TASK",
                        help="only this task folder (repeatable); prints each answer's first error after repair "
                             "and writes no report")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; nothing to measure")
        return
    answers = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md"))
    if args.only:
        answers = [answer for answer in answers if answer.parent.parent.name in args.only]
    names = collections.Counter()
    name_outcome = collections.Counter()
    name_examples: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    rule_counts = collections.Counter()
    synth_before = collections.Counter()
    synth_after = collections.Counter()
    first_errors: dict[str, str] = {}  # answer -> its first error after repair ("" when it synthesizes)
    why_left: dict[str, str] = {}  # answer -> why its first error after repair is not repaired
    without_stack: list[str] = []  # answers that define no TerraformStack subclass
    unparsed: dict[str, str] = {}  # of those, the ones whose Python does not parse: where and why
    # Terraform-JSON findings (what only init/apply would show) of the answers that synthesize: rule -> count, and
    # after repair each one with its answer.
    json_before, json_after = collections.Counter(), collections.Counter()
    json_left: list[tuple[str, dict, str | None]] = []
    started = time.perf_counter()
    worker = None
    if args.synth:
        from repair.proof.synth import SynthWorker

        worker = SynthWorker(timeout=120)
    for answer in answers:
        text = answer.read_text(encoding="utf-8")
        repaired = repair_markdown(text, path=str(answer))
        for finding in repaired.findings:
            rule_counts[(finding.rule_id, "fixed" if finding.fixed else "reported")] += 1
        for line, module, name in missing_names(text):
            names[name] += 1
            at_line = [f for f in repaired.findings if f.rule_id == "CDK001" and f.line == line and name in f.message]
            outcome = "fixed" if any(f.fixed for f in at_line) else ("reported" if at_line else "missed")
            name_outcome[outcome] += 1
            name_examples[name][outcome] += 1
        if worker is not None:
            task = answer.parent.parent
            label = task.name if answer.name == "MODEL_RESPONSE.md" else f"{task.name} ({answer.name})"
            for document, tally, found in ((text, synth_before, json_before), (repaired.fixed_source, synth_after,
                                                                                json_after)):
                layout = lay_out(document, task)
                with tempfile.TemporaryDirectory() as tmp:
                    project = build_project(task, layout.files, Path(tmp) / "project")
                    record = record_from(worker.synth(project), None)
                tally[classify(record) if layout.has_stack else NO_STACK] += 1
                found.update(f["rule_id"] for f in record.json_findings)
            reported = {f.rule_id: f.message for f in repaired.findings if not f.fixed}
            json_left += [(label, f, reported.get(f["rule_id"])) for f in record.json_findings]
            if not layout.has_stack:
                # A module cut short or mistyped says so: its block's syntax error (repair/markdown.py).
                broken = next((w for w in repaired.warnings if "syntax error" in w.message), None)
                without_stack.append(label)
                if broken:
                    unparsed[label] = f"line {broken.line}, {broken.message.split('syntax error: ', 1)[-1]}"
            first_errors[label] = record.error or record.error_type if not record.ok else ""
            if not record.ok and layout.has_stack:
                why_left[label] = why_not_mechanical(first_errors[label], repaired.findings, repaired.fixed_source,
                                                     [str(path) for path in layout.files])
            if args.only and record.ok:
                first_errors[label] = "; ".join(f"{f['rule_id']} {f.get('address', '')}: {f.get('message', '')}"
                                                for f in record.json_findings)
    if worker is not None:
        worker.close()
    elapsed = time.perf_counter() - started
    if args.only:
        for label, error in first_errors.items():
            print(f"{label}: {error or 'synthesizes'}")
            if why_left.get(label):
                print(f"  why: {why_left[label]}")
        for (rule, outcome), count in sorted(rule_counts.items()):
            print(f"  {rule} {outcome}: {count}")
        return
    report = render(args, answers, names, name_outcome, name_examples, rule_counts, synth_before, synth_after, elapsed,
                    first_errors, without_stack, (json_before, json_after, json_left), why_left, unparsed)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    # Sections other scripts write here (bench/agreement.py's table) are carried over as they are.
    args.report.write_text(report + carried_sections(args.report), encoding="utf-8")
    print(report)


def render(args, answers, names, name_outcome, name_examples, rule_counts, synth_before, synth_after, elapsed,
           first_errors=None, without_stack=(), json_findings=None, why_left=None, unparsed=None) -> str:
    index = installed_index()
    out = ["# repair on real model answers\n",
           f"Corpus: `{args.corpus.name}`, {len(answers)} model answers; provider cdktf-cdktf-provider-aws "
           f"{index.version}. Generated by `python bench/corpus.py{' --synth' if args.synth else ''}` "
           f"in {elapsed:.0f} s.\n",
           "## Provider names the answers import that the provider lacks\n",
           f"{sum(names.values())} imports of {len(names)} distinct names: "
           f"{name_outcome['fixed']} fixed, {name_outcome['reported']} reported without a fix, "
           f"{name_outcome['missed']} missed.\n",
           "| name | imports | fixed | reported | missed |", "|---|---|---|---|---|"]
    for name, count in names.most_common():
        o = name_examples[name]
        out.append(f"| `{name}` | {count} | {o['fixed']} | {o['reported']} | {o['missed']} |")
    out += ["", "## Findings per rule\n", "| rule | fixed | reported |", "|---|---|---|"]
    for rule in sorted({r for r, _ in rule_counts}):
        out.append(f"| {rule} | {rule_counts[(rule, 'fixed')]} | {rule_counts[(rule, 'reported')]} |")
    if synth_before:
        out += ["", "## cdktf synth of each answer, before and after repair\n",
                "Each answer laid out over its task folder (the task's entry, cdktf.json and assets; not the human's "
                "lib/ modules), its modules mapped to where the entry imports them or its own entry run "
                "(repair/proof/answers.py), and synthesized with the real cdktf and provider.\n",
                "| first error | before | after |", "|---|---|---|"]
        for cause in sorted(set(synth_before) | set(synth_after), key=lambda c: (not c.startswith("ok"),
                                                                               -synth_before[c], c)):
            out.append(f"| {cause} | {synth_before[cause]} | {synth_after[cause]} |")
        first_errors = first_errors or {}
        with_stack = [a for a in first_errors if a not in without_stack]
        synthesized = sum(1 for a in with_stack if not first_errors[a])
        out += ["", f"After repair, {synthesized} of the {len(with_stack)} answers that define a stack synthesize "
                f"({100 * synthesized / max(len(with_stack), 1):.0f} %).\n",
                *_complete_figure(with_stack, synthesized, why_left or {}),
                f"### Answers without a stack ({len(without_stack)})\n",
                "They define no TerraformStack subclass (prose, snippets, a placeholder, code that does not parse): "
                "nothing to synthesize, counted apart.\n"]
        unparsed = unparsed or {}
        out += [f"- {a}" + (f" (its Python does not parse: {unparsed[a]})" if a in unparsed else "")
                for a in without_stack] or ["(none)"]
        out += json_section(*json_findings) if json_findings else []
        out += ["", "### First error after repair, per answer that defines a stack\n",
                "Why each is left is read off the error and the answer (bench/corpus.py `why_not_mechanical`), not "
                "written per answer.\n",
                "| answer | first error | why it is not repaired |", "|---|---|---|"]
        for answer in with_stack:
            error = first_errors[answer].replace("|", "\\|")
            why = (why_left or {}).get(answer, "").replace("|", "\\|")
            out.append(f"| {answer} | {error[:200] or 'synthesizes'} | {why} |")
    return "\n".join(out) + "\n"


# Why-left texts of answers that no repair of their own code could make synthesize here.
_INCOMPLETE = ("the answer's code is an excerpt", "uses another provider's bindings")


def _complete_figure(with_stack: list[str], synthesized: int, why_left: dict[str, str]) -> list[str]:
    incomplete = [a for a in with_stack if why_left.get(a, "").startswith(_INCOMPLETE)]
    if not incomplete:
        return []
    complete = len(with_stack) - len(incomplete)
    return [f"Leaving out the {len(incomplete)} whose code is not all there ({', '.join(incomplete)}: an excerpt, "
            f"or another provider's bindings, below), {synthesized} of {complete} ({100 * synthesized / complete:.0f}"
            " %).\n"]


def why_not_mechanical(error: str, findings, code: str, files: list[str] = ()) -> str:
    """Why an answer's first error after repair is not one a repair could make, read off the error, the findings
    the rules left to a hand, and the repaired answer; "" when none of these explains it."""
    from repair.transforms._base import rule_by_key

    for finding in findings:
        rule = rule_by_key(finding.rule_id)
        if not finding.fixed and rule is not None and rule.explains_synth_error("", error):
            return f"reported by {finding.rule_id} with no unique fix: {finding.message}"
    failing_class = re.match(r"\w+: (\w+)\.__init__\(\)", error)
    for finding in findings:
        if not finding.fixed and failing_class and failing_class.group(1) in finding.message:
            return f"reported by {finding.rule_id} with no unique fix: {finding.message}"
    if re.search(r"INTENTIONAL(?:LY)? (?:ERROR|BROKEN|WRONG)", code, re.I):
        return "the answer marks its own errors as intentional"
    flawed = re.search(r"^.*\bFLAWED\b.*$", code, re.I | re.M)
    if flawed:
        return (f"the answer presents its code as deliberately flawed (\"{flawed.group(0).strip(' #')[:80]}\"): "
                "what it leaves out is the point of the answer, not a slip a repair could make good")
    missing_module = re.search(r"No module named '(cdktf_cdktf_provider_(?!aws\b)\w+)", error)
    if missing_module:
        return (f"uses another provider's bindings ({missing_module.group(1)}), which are not installed: the rules "
                "repair against the AWS provider")
    own_module = re.search(r"No module named '([\w.]+)'", error)
    if own_module:
        import importlib.util

        top = own_module.group(1).split(".")[0]
        given = any(f"/{top}/" in f"/{path}" or f"/{path}".endswith(f"/{top}.py") for path in files)
        if importlib.util.find_spec(top) is None and not given:
            return (f"the answer's code is an excerpt: it imports `{own_module.group(1)}`, a module of its own that "
                    "none of its code blocks gives")
    if "NameError" in error:
        # Classes the answer calls and defines, imports or assigns nowhere in any of its blocks: an excerpt.
        nowhere = [name for name in dict.fromkeys(re.findall(r"(?<![\w.])([A-Z]\w+)\(", code))
                   if not re.search(rf"(?:class|def)\s+{name}\b|^\s*{name}\s*=|import[^\n]*\b{name}\b"
                                    rf"|^\s+{name}(?:\s+as\s+\w+)?,?\s*$", code, re.M)]
        if nowhere:
            return (f"the answer's code is an excerpt: it calls {', '.join(f'`{n}`' for n in nowhere[:4])}"
                    f"{' ...' if len(nowhere) > 4 else ''} and defines them nowhere")
    required = re.search(r"(\w+)\.__init__\(\) missing \d+ required keyword-only arguments?: '(\w+)'", error)
    if required:
        return (f"the answer never gives {required.group(1)}'s required `{required.group(2)}`: its value is a "
                "choice of the answer's, which no provider type decides")
    provider = re.search(r"argument provider must be one of .*got str instead", error)
    if provider:
        return ("the answer names providers by Terraform's `aws.<alias>` string, and defines no provider object "
                "of that alias to pass instead")
    attribute = re.search(r"'(\w+)' object has no attribute '(\w+)'", error)
    if attribute:
        return (f"the answer reads `{attribute.group(2)}` of a `{attribute.group(1)}` that never has it when it is "
                "read: which value was meant is not in the code")
    return ""


def json_section(before: collections.Counter, after: collections.Counter,
                 left: list[tuple[str, dict, str | None]]) -> list[str]:
    """The Terraform-JSON checks' findings (failures only `terraform init`/`apply` would show) in the answers that
    synthesize, before and after repair, and each one left after repair with why it is left."""
    from repair.transforms._base import all_rules

    rules = {rule.id: rule for rule in all_rules()}
    out = ["", "### Deploy-time findings in the answers that synthesize\n",
           "Counted by `repair verify`'s Terraform-JSON checks on each synthesized answer (before: the answers that "
           "synthesize as written; after: those that synthesize once repaired, a larger set).\n",
           "| rule | before | after |", "|---|---|---|"]
    for rule in sorted(set(before) | set(after)):
        out.append(f"| {rule} {rules[rule].slug if rule in rules else ''} | {before[rule]} | {after[rule]} |")
    out += ["", f"Left after repair: {len(left)}, each answer's findings of one rule on one line.\n"]
    if left:
        grouped: dict[tuple[str, str], list[tuple[dict, str | None]]] = {}
        for label, finding, reported in left:
            grouped.setdefault((label, finding["rule_id"]), []).append((finding, reported))
        out += ["| answer | rule | findings | first of them | why it is left |", "|---|---|---|---|---|"]
        for (label, rule_id), findings in grouped.items():
            rule = rules.get(rule_id)
            finding, reported = findings[0]
            if rule is not None and rule.reports_only:
                why = "only reportable: " + rule.summary
            elif rule is not None and rule.only_reportable(finding):
                why = "only reportable: " + rule.only_reportable(finding)
            elif reported:
                why = "reported by repair, no unique fix: " + reported
            else:
                why = ("its value is only known at synth: built from what the entry passes, no literal in the stack "
                       "to repair (verify points at the source line)")
            cells = [label, rule_id, str(len(findings)), f"`{finding.get('address', '')}`: {finding.get('message', '')}",
                     why]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return out


if __name__ == "__main__":
    main()
