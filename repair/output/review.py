"""Diffs for reviewers: each hunk with the rules that made it, why, and the deploy error it prevents.

Formats: `patch` (a pure unified diff, for `git apply`), `review` (the diff with a comment block above each hunk,
colored on a terminal), `markdown` (a table of repairs per rule, then each file's annotated diff, ready to paste
into a pull request) and `json` (each hunk with its rule ids). Every hunk is attributed from the lines each rule
actually touched (RepairResult.hunk_rules), not guessed from finding positions.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from repair.diff import file_header
from repair.engine import RepairResult
from repair.transforms._base import Finding, rule_by_key

FORMATS = ("patch", "review", "markdown", "json")

_RESET, _BOLD, _RED, _GREEN, _CYAN, _YELLOW = "\033[0m", "\033[1m", "\033[31m", "\033[32m", "\033[36m", "\033[33m"


def _annotation(rule_ids: list[str], findings: list[Finding] = ()) -> list[str]:
    """The comment block of a hunk: each rule that made it, and the errors its findings there prevent, quoted in
    the findings' own names (the rule's catalog example only when no finding of the rule falls in the hunk)."""
    lines = []
    for rule_id in rule_ids:
        rule = rule_by_key(rule_id)
        if rule is None:
            continue
        lines.append(f"# {rule.id} {rule.slug} ({rule.severity.value}): {rule.summary}")
        prevented = list(dict.fromkeys(f.prevents() for f in findings if f.rule_id == rule.id)) or [rule.prevents_for()]
        lines += [f"#   prevents: {text}" for text in prevented]
    return lines or ["# (no rule: formatting carried along with a repair)"]


def _hunk_findings(result: RepairResult, hunk) -> list[Finding]:
    """The fixed findings whose line lies in the old lines a hunk covers."""
    return [f for f in result.findings if f.fixed and hunk.a_start < f.line <= max(hunk.a_end, hunk.a_start + 1)]


def _paint(line: str, color: bool) -> str:
    if not color:
        return line
    if line.startswith("#"):
        return f"{_YELLOW}{line}{_RESET}"
    if line.startswith("@@"):
        return f"{_CYAN}{line}{_RESET}"
    if line.startswith(("---", "+++")):
        return f"{_BOLD}{line}{_RESET}"
    if line.startswith("+"):
        return f"{_GREEN}{line}{_RESET}"
    if line.startswith("-"):
        return f"{_RED}{line}{_RESET}"
    return line


def annotated_diff(result: RepairResult, path: str, context: int = 3, color: bool = False) -> str:
    """The unified diff with each hunk preceded by its rules' comment block; '' when nothing changed."""
    if not result.changed:
        return ""
    out = [_paint(line, color) + "\n" for line in file_header(path).splitlines()]
    for hunk in result.hunks(context):
        out += [_paint(line, color) + "\n" for line in _annotation(result.hunk_rules(hunk), _hunk_findings(result, hunk))]
        out.append(_paint(hunk.header.rstrip("\n"), color) + "\n")
        for line in hunk.lines:
            text = line.rstrip("\n")
            out.append(_paint(text, color) + line[len(text):] if color else line)
    return "".join(out)


def _rule_table(results: Iterable[tuple[str, RepairResult]]) -> list[str]:
    counts: Counter = Counter()
    files: dict[str, set[str]] = {}
    for path, result in results:
        for finding in result.findings:
            if finding.fixed:
                counts[finding.rule_id] += 1
                files.setdefault(finding.rule_id, set()).add(path)
    lines = ["| rule | severity | repairs | files | prevents |", "|---|---|---|---|---|"]
    for rule_id in sorted(counts):
        rule = rule_by_key(rule_id)
        lines.append(f"| {rule.id} `{rule.slug}` | {rule.severity.value} | {counts[rule_id]} | "
                     f"{len(files[rule_id])} | {rule.prevents.replace('|', chr(92) + '|')} |")
    return lines


def markdown_report(results: list[tuple[str, RepairResult]], context: int = 3) -> str:
    """A pull-request-ready report: the repairs per rule, then each changed file's annotated diff."""
    changed = [(path, r) for path, r in results if r.changed]
    out = ["# Repairs by cdktf-repair", ""]
    if not changed:
        return "\n".join(out + ["Nothing to repair.", ""])
    out += _rule_table(changed) + [""]
    for path, result in changed:
        out += [f"## `{path}`", "", "```diff", annotated_diff(result, path, context).rstrip("\n"), "```", ""]
    return "\n".join(out)


def json_report(results: list[tuple[str, RepairResult]], context: int = 3) -> str:
    files = []
    for path, result in results:
        if not result.changed:
            continue
        hunks = [{"header": h.header.rstrip("\n"), "rules": result.hunk_rules(h), "lines": list(h.lines)}
                 for h in result.hunks(context)]
        files.append({"path": path, "hunks": hunks})
    return json.dumps({"files": files}, indent=2) + "\n"
