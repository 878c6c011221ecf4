"""The failure analysis of an answer, written from what `repair` found: `repair report`, and batch's
`<item>.failures.md`.

Reviewers write one such analysis per generated task by hand ("Model Response Failures Analysis"): each failure
with its impact level, the answer's wrong lines, the fixed lines, the root cause, a documentation link and what the
failure costs, then a summary counting the failures by level and naming the knowledge gaps. Everything in it is
already known for each finding: the rule's severity, summary, description and link; the finding's own message and
facts (its `prevents` error, in its own names); the answer's lines around it; and the repair's diff, whose hunks are
attributed to the rules that made them (`RepairResult.hunk_rules`). Nothing here is a per-task text.

Markdown (the reviewers' form) or JSON, version 1:

    {"version": 1, "tool": {"name": "cdktf-repair", "version": str}, "paths": [str],
     "failures": [{"number": int, "rule": "CDK002", "slug": str, "category": str,
                   "impact_level": "Critical"|"High"|"Medium"|"Low", "path": str, "line": int, "column": int,
                   "block": str|null, "message": str, "fixed": bool,
                   "model_response": [{"line": int, "text": str, "marked": bool}],
                   "ideal_response": [{"line": int, "text": str, "marked": bool}] | null,
                   "root_cause": str, "doc_url": str, "stages": [str], "error": str}],
     "not_analysed": [{"path": str, "error": str}],
     "summary": {"total": int, "by_level": {level: int}, "fixed": int, "by_hand": int,
                 "knowledge_gaps": [{"category": str, "failures": int, "rules": [str], "description": str}]}}

Lines are 1-based lines of the answer as given (`model_response`) and as repaired (`ideal_response`); a failure
left to fix by hand has no `ideal_response`.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Sequence

from repair import __version__
from repair.diff import opcodes, split_lines
from repair.engine import RepairResult
from repair.transforms._base import Finding, Rule, Severity, rule_by_key

FORMATS = ("markdown", "json")
LEVELS = tuple(level.value.capitalize() for level in Severity)  # Critical, High, Medium, Low
# The marker of the offending line in the answer's lines, and of the lines the repair wrote in the fixed ones.
MARKER = "  # <- {rule}"
CONTEXT = 2  # lines shown around what a finding and its repair touch
MERGE_GAP = 8  # two pieces of one failure closer than this are shown as one, gap included

# Where a failure stops the deployment, read from the error it prevents (the rule's `prevents`, rendered with the
# finding's facts); the order is the order of a deployment.
STAGES = {
    "synth": "`cdktf synth` fails: the app stops before any Terraform configuration is written, so nothing can be "
             "planned or deployed.",
    "init": "`terraform init` fails: Terraform refuses the configuration before planning anything; nothing is "
            "deployed.",
    "plan": "`terraform plan` fails: the configuration is refused before any change is made.",
    "plan/apply": "`terraform plan` or `apply` rejects it after synth went through: the failure shows only once the "
                  "stack is deployed.",
    "apply": "`terraform apply` fails after synth and plan went through: what was created before it stays, and the "
             "deployment is left partial.",
    "silent": "Silent misconfiguration: synth and deploy can succeed while what is deployed is not what the code "
              "says.",
}
STAGE_NAMES = {"synth": "cdktf synth", "init": "terraform init", "plan": "terraform plan",
               "plan/apply": "terraform plan or apply", "apply": "terraform apply", "silent": "silent misconfiguration"}
_STAGE_PATTERNS = (
    ("synth", re.compile(r"synth fails|before synth|^\w*Error:|\bjsii\b", re.IGNORECASE)),
    ("init", re.compile(r"terraform init", re.IGNORECASE)),
    ("plan/apply", re.compile(r"terraform plan/apply", re.IGNORECASE)),
    ("plan", re.compile(r"terraform plan(?!/)", re.IGNORECASE)),
    ("apply", re.compile(r"terraform apply", re.IGNORECASE)),
    ("silent", re.compile(r"silently", re.IGNORECASE)),
)


def stages(rule: type[Rule], error: str) -> tuple[str, ...]:
    """Where the failure a rule prevents stops a deployment: read from its error text; without a stage there, a
    deploy rule's failure is one of plan or apply and any other rule's one of synth (its phase reads the code)."""
    found = tuple(stage for stage, pattern in _STAGE_PATTERNS if pattern.search(error))
    if found:
        return found
    return ("plan/apply",) if rule.category() == "deploy" else ("synth",)


def impact_level(rule: type[Rule]) -> str:
    return rule.severity.value.capitalize()


def _docstring_paragraphs(rule: type[Rule]) -> list[str]:
    """The paragraphs of the rule's module docstring, each on one line; a list item starts a paragraph of its own."""
    doc = (sys.modules[rule.__module__].__doc__ or "").strip()
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=\s*- )", doc) if p.strip()]


def headline(rule: type[Rule]) -> str:
    """What the failure is, from the first paragraph of the rule's module docstring ("CDK002 slug: what")."""
    paragraphs = _docstring_paragraphs(rule)
    text = paragraphs[0] if paragraphs else rule.summary
    text = re.sub(rf"^{re.escape(rule.id)}\s+{re.escape(rule.slug)}:\s*", "", text).rstrip(".")
    return text[:1].upper() + text[1:]


def explanation(rule: type[Rule], sentences: int = 2) -> str:
    """Why it fails: the first sentences of the second paragraph of the rule's module docstring (its summary when it
    has none); the sentences after them tell how the repair works."""
    paragraphs = _docstring_paragraphs(rule)
    if len(paragraphs) < 2:
        return rule.summary
    text = " ".join(re.split(r"(?<=[^.][.!?])\s+(?=[A-Z`])", paragraphs[1])[:sentences])
    return text[:-1] + "." if text.endswith(":") else text


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str
    marked: bool


@dataclass(frozen=True)
class Failure:
    path: str
    finding: Finding
    rule: type[Rule]
    model: tuple[Line | None, ...]  # None: lines left out between two pieces
    ideal: tuple[Line | None, ...] | None  # None: left to fix by hand
    block: str | None  # in a markdown answer, the path the answer gives the block

    @property
    def level(self) -> str:
        return impact_level(self.rule)

    @property
    def error(self) -> str:
        return self.finding.prevents()

    @property
    def stages(self) -> tuple[str, ...]:
        return stages(self.rule, self.error)

    @property
    def root_cause(self) -> str:
        message = self.finding.message.rstrip(".")
        return f"{message[:1].upper()}{message[1:]}. {explanation(self.rule)}"


# -- the answer's lines and the repaired ones ----------------------------------------------------------------------
def _hunk_span(hunk) -> tuple[int, int]:
    """The 0-based inclusive old lines a context-free hunk replaces (for an insertion, the lines around it)."""
    if hunk.a_end > hunk.a_start:
        return hunk.a_start, hunk.a_end - 1
    return max(hunk.a_start - 1, 0), hunk.a_start


def _names_in(finding: Finding, text: str) -> bool:
    """Whether one of the finding's own names (its facts) is a word of `text`."""
    return any(value and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) for _, value in finding.facts)


def _owned_hunks(result: RepairResult, findings: Sequence[Finding], old: Sequence[str]) -> dict[int, list]:
    """Finding index -> the context-free hunks of its repair. Among the fixed findings of the hunk's rule: the one
    on a line the hunk changes; else those whose own names (facts) the changed lines hold, or else all of them,
    and of these the last at or above the hunk (a rule reports where the construct it repairs starts), or the
    first below it."""
    owned: dict[int, list] = {}
    if not result.changed:
        return owned
    for hunk in result.hunks(context=0):
        first, last = hunk.a_start + 1, max(hunk.a_end, hunk.a_start, 1)  # 1-based lines the hunk touches
        changed = "".join(old[hunk.a_start:hunk.a_end])
        for rule_id in result.hunk_rules(hunk):
            candidates = [(f.line, n) for n, f in enumerate(findings) if f.rule_id == rule_id and f.fixed]
            inside = [c for c in candidates if first <= c[0] <= last]
            named = [c for c in candidates if _names_in(findings[c[1]], changed)]
            candidates = inside or named or candidates
            if not candidates:
                continue
            above = [c for c in candidates if c[0] <= last]
            owner = max(above)[1] if above else min(candidates)[1]
            owned.setdefault(owner, []).append(hunk)
    return owned


def _merge(spans: list[tuple[int, int]], lines: int, bounds: tuple[int, int]) -> list[tuple[int, int]]:
    low, high = max(bounds[0], 0), min(bounds[1], lines - 1)
    widened = sorted((max(s - CONTEXT, low), min(e + CONTEXT, high)) for s, e in spans)
    merged: list[tuple[int, int]] = []
    for start, end in widened:
        if start > end:
            continue
        if merged and start - merged[-1][1] <= MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _new_span(codes, start: int, end: int) -> tuple[int, int]:
    """The new lines (0-based, end exclusive) that stand for the old lines start..end (inclusive)."""
    new_start, new_end = start, end + 1
    for code in codes:
        if code.a_start <= start < code.a_end:
            new_start = code.b_start + (start - code.a_start if code.tag == "equal" else 0)
        if code.a_start <= end < code.a_end:
            new_end = code.b_start + (end - code.a_start) + 1 if code.tag == "equal" else code.b_end
    return new_start, new_end


def _dedented(lines: list[Line | None]) -> tuple[Line | None, ...]:
    texts = [line.text for line in lines if line is not None and line.text.strip()]
    indent = min((len(t) - len(t.lstrip(" \t")) for t in texts), default=0)
    return tuple(None if line is None else Line(line.number, line.text[indent:], line.marked) for line in lines)


def _block_of(blocks, line: int) -> tuple[tuple[int, int], str | None]:
    """For a markdown answer: the 0-based inclusive document lines of the code block holding `line`, and the path
    the answer gives it."""
    for block in blocks:
        first = block.first_line - 1
        last = first + len(split_lines(block.code)) - 1
        if first <= line - 1 <= last:
            return (first, last), block.path
    return (line - 1, line - 1), None


def failures_of(path: str, result: RepairResult) -> list[Failure]:
    """The failures of one repaired file or answer: every finding not suppressed, with its lines before and after
    its repair. A result with an error has no repair to show and gives none (the caller reports its error)."""
    if result.error is not None:
        return []
    findings = result.needs_repair
    if not findings:
        return []
    old = split_lines(result.source)
    new = split_lines(result.fixed_source)
    for lines in (old, new):  # a byte-order mark is the file's, not a line's
        if lines and lines[0].startswith("\ufeff"):
            lines[0] = lines[0][1:]
    codes = opcodes(old, new) if result.changed else []
    owned = _owned_hunks(result, findings, old)
    blocks = None
    if PurePosixPath(path).suffix.lower() in (".md", ".markdown"):
        from repair.markdown import code_blocks

        blocks = code_blocks(result.source)
    failures = []
    for n, finding in enumerate(findings):
        rule = rule_by_key(finding.rule_id)
        if rule is None:
            continue
        bounds, block = _block_of(blocks, finding.line) if blocks is not None else ((0, len(old) - 1), None)
        spans = [(finding.line - 1, finding.line - 1)]
        spans += [_hunk_span(h) for h in owned.get(n, []) if bounds[0] <= h.a_start <= bounds[1] + 1]
        pieces = _merge(spans, len(old), bounds)
        model: list[Line | None] = []
        ideal: list[Line | None] = []
        for start, end in pieces:
            if model:
                model.append(None)
                ideal.append(None)
            model += [Line(i + 1, old[i].rstrip("\r\n"), i == finding.line - 1) for i in range(start, end + 1)]
            new_start, new_end = _new_span(codes, start, end) if codes else (start, end + 1)
            ideal += [Line(j + 1, new[j].rstrip("\r\n"), j < len(result.line_rules) and rule.id in result.line_rules[j])
                      for j in range(new_start, new_end)]
        failures.append(Failure(path, finding, rule, _dedented(model),
                                _dedented(ideal) if finding.fixed else None, block))
    return failures


def collect(results: Sequence[tuple[str, RepairResult]]) -> list[Failure]:
    """Every failure of the results, in the analysis's order: by impact level, then file, line and rule."""
    order = {level: n for n, level in enumerate(LEVELS)}
    failures = [f for path, result in results for f in failures_of(path, result)]
    return sorted(failures, key=lambda f: (order[f.level], f.path, f.finding.line, f.finding.column, f.rule.id))


# -- the summary ---------------------------------------------------------------------------------------------------
def level_counts(failures: Sequence[Failure]) -> str:
    """"2 Critical, 2 High, 1 Medium" (levels without failures left out); "0" when there are none."""
    counts = Counter(f.level for f in failures)
    return ", ".join(f"{counts[level]} {level}" for level in LEVELS if counts[level]) or "0"


def _category_description(category: str) -> str:
    package = sys.modules.get(f"repair.transforms.{category}")
    return " ".join((package.__doc__ or "").split()) if package else ""


def knowledge_gaps(failures: Sequence[Failure]) -> list[dict]:
    """The rule categories the failures fall in, the most failures first: what the model did not know."""
    by_category: dict[str, list[Failure]] = {}
    for failure in failures:
        by_category.setdefault(failure.rule.category(), []).append(failure)
    order = {level: n for n, level in enumerate(LEVELS)}
    gaps = []
    for category, members in sorted(by_category.items(),
                                    key=lambda item: (-len(item[1]), min(order[f.level] for f in item[1]), item[0])):
        rules = sorted({f.rule.id for f in members})
        gaps.append({"category": category, "failures": len(members),
                     "rules": [f"{r} {rule_by_key(r).slug}" for r in rules],
                     "description": _category_description(category)})
    return gaps


# -- markdown ------------------------------------------------------------------------------------------------------
def _code(text: str) -> str:
    """`text` as inline code, whatever backticks it holds."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _python_block(lines: Sequence[Line | None], rule_id: str) -> list[str]:
    body = []
    for line in lines:
        if line is None:
            body.append("# ...")
        else:
            body.append(line.text + (MARKER.format(rule=rule_id) if line.marked else ""))
    fence = "```"
    while any(text.lstrip().startswith(fence) for text in body):
        fence += "`"
    return [f"{fence}python", *body, fence]


def _where(failure: Failure) -> str:
    where = f"{_code(failure.path)}, line {failure.finding.line}"
    if failure.block:
        where += f" (the answer's {_code(failure.block)})"
    return where


def _failure_markdown(number: int, failure: Failure) -> list[str]:
    rule, finding = failure.rule, failure.finding
    marker = MARKER.format(rule=rule.id).strip()
    hand = "" if finding.fixed else ", left to fix by hand"
    out = [f"### {number}. {headline(rule)} ({rule.id} {rule.slug}{hand})", "",
           f"**Impact Level**: {failure.level}", "",
           f"**MODEL_RESPONSE Issue**: {_where(failure)}, marked {_code(marker)}:", "",
           *_python_block(failure.model, rule.id), ""]
    if failure.ideal is not None:
        wrote = (f"The lines it wrote are marked {_code(marker)}:"
                 if any(line and line.marked for line in failure.ideal) else "It only removes lines:")
        out += [f"**IDEAL_RESPONSE Fix**: as `repair fix` repairs it. {rule.summary} {wrote}", "",
                *_python_block(failure.ideal, rule.id), ""]
    else:
        out += ["**IDEAL_RESPONSE Fix**: left to fix by hand: no single repair follows from the code and the "
                "installed provider, so `repair fix` leaves these lines as they are (the root cause names what "
                "to decide).", ""]
    out += [f"**Root Cause**: {failure.root_cause}", "",
            f"**Documentation Reference**: {rule.doc_url}", "",
            "**Deployment Impact**:"]
    out += [f"- {STAGES[stage]}" for stage in failure.stages]
    out += [f"- Error: {_code(failure.error)}", "", "---", ""]
    return out


def _intro(paths: Sequence[str], failures: Sequence[Failure]) -> str:
    files = len({f.path for f in failures})
    fixed = sum(f.finding.fixed for f in failures)
    named = ", ".join(_code(p) for p in paths)
    return (f"Written by `repair report` for {named}: {_count(len(failures), 'failure')} in {_count(files, 'file')}, "
            f"{fixed} repaired by `repair fix`, {len(failures) - fixed} left to fix by hand.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def render_markdown(results: Sequence[tuple[str, RepairResult]], paths: Sequence[str]) -> str:
    failures = collect(results)
    out = ["# Model Response Failures Analysis", "", _intro(paths, failures), ""]
    number = 0
    for level in LEVELS:
        members = [f for f in failures if f.level == level]
        if not members:
            continue
        out += [f"## {level} Failures", ""]
        for failure in members:
            number += 1
            out += _failure_markdown(number, failure)
    not_analysed = _not_analysed(results)
    if not_analysed:
        out += ["## Not analysed", ""] + [f"- {_code(item['path'])}: {item['error']}" for item in not_analysed] + [""]
    fixed = sum(f.finding.fixed for f in failures)
    out += ["## Summary", "", f"- Total failures: {level_counts(failures)}",
            f"- Repaired by `repair fix`: {fixed}; left to fix by hand: {len(failures) - fixed}"]
    stage_counts = Counter(stage for f in failures for stage in f.stages)
    if stage_counts:
        out.append("- Where they fail: " + ", ".join(f"{STAGE_NAMES[stage]} {stage_counts[stage]}" for stage in STAGES
                                                      if stage_counts[stage]))
    gaps = knowledge_gaps(failures)
    if gaps:
        out.append("- Primary knowledge gaps (by rule category):")
        for n, gap in enumerate(gaps, 1):
            out.append(f"  {n}. **{gap['category']}** ({_count(gap['failures'], 'failure')}: "
                       f"{', '.join(gap['rules'])}): {gap['description']}")
    return "\n".join(out) + "\n"


def _not_analysed(results: Sequence[tuple[str, RepairResult]]) -> list[dict]:
    return [{"path": path, "error": result.error.describe(path).split(": error: ", 1)[-1]}
            for path, result in results if result.error is not None]


# -- json ----------------------------------------------------------------------------------------------------------
def _lines_json(lines: Sequence[Line | None] | None) -> list[dict] | None:
    if lines is None:
        return None
    return [{"line": line.number, "text": line.text, "marked": line.marked} for line in lines if line is not None]


def render_json(results: Sequence[tuple[str, RepairResult]], paths: Sequence[str]) -> str:
    failures = collect(results)
    items = []
    for number, failure in enumerate(failures, 1):
        finding, rule = failure.finding, failure.rule
        items.append({"number": number, "rule": rule.id, "slug": rule.slug, "category": rule.category(),
                      "impact_level": failure.level, "path": failure.path, "line": finding.line,
                      "column": finding.column, "block": failure.block, "message": finding.message,
                      "fixed": finding.fixed, "model_response": _lines_json(failure.model),
                      "ideal_response": _lines_json(failure.ideal), "root_cause": failure.root_cause,
                      "doc_url": rule.doc_url, "stages": list(failure.stages), "error": failure.error})
    fixed = sum(f.finding.fixed for f in failures)
    counts = Counter(f.level for f in failures)
    summary = {"total": len(failures), "by_level": {level: counts[level] for level in LEVELS if counts[level]},
               "fixed": fixed, "by_hand": len(failures) - fixed, "knowledge_gaps": knowledge_gaps(failures)}
    document = {"version": 1, "tool": {"name": "cdktf-repair", "version": __version__}, "paths": list(paths),
                "failures": items, "not_analysed": _not_analysed(results), "summary": summary}
    return json.dumps(document, indent=2) + "\n"


def render(results: Sequence[tuple[str, RepairResult]], paths: Sequence[str], output_format: str = "markdown") -> str:
    """The analysis of the results in a format of FORMATS."""
    return (render_json if output_format == "json" else render_markdown)(results, paths)
