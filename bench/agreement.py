"""Agreement with reviewers: the failure classes `repair` reports on each model answer against those the human
failure analysis of the same answer names, over ../shared/corpus-dev (or --corpus DIR), when present.

For every task with both `lib/MODEL_RESPONSE.md` and `lib/MODEL_FAILURES.md`:
- the tool's classes: the rules with a finding (not suppressed) when `repair_markdown` repairs the answer;
- the human's classes: the rules whose `analysis_keywords` (declared once on each rule) match a failure heading of
  the analysis. A failure heading is a numbered heading ("### 3. ...", "## Issue 2: ...", "### B1: ...") outside
  code blocks and outside sections that are not failures (summary, lessons, recommendations, ...).
Per rule: the answers where both name it, the tool only, the human only; then the human headings no rule's keywords
match, counted, with their most frequent words and where a few of them are (task and heading number; the
analyses' text is not copied). Writes its table into docs/corpus.md as the section `agreement` (--report to write elsewhere) and prints it.

    python bench/agreement.py [--corpus DIR] [--report FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import demoted, write_section  # noqa: E402
from repair.markdown import repair_markdown  # noqa: E402
from repair.transforms._base import all_rules  # noqa: E402

COMMAND = "python bench/agreement.py"
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# "1. x", "#1: x", "Issue 2: x", "Bug #3 - x", "Error 4: x", "Failure 5: x", "B1: x" (bold markers allowed).
_NUMBERED = re.compile(r"^(?:\*\*)?\s*(?:(?:issue|bug|error|failure|problem|fix)\s*#?\s*\d+\b\s*[:.)\-]?|#?\d+[.):]"
                       r"|[A-Z]\d+[:.])\s*(.+)$", re.IGNORECASE)
# Sections whose numbered headings are not failures of the answer.
NOT_FAILURES = ("summary", "lesson", "learning", "best practice", "recommendation", "superior", "services added",
                "improvements", "conclusion", "prevention", "alerting", "recovery", "checklist", "got right",
                "positive", "next steps")
STOPWORDS = {"a", "an", "and", "the", "of", "in", "for", "to", "with", "on", "vs", "or", "not", "no", "is", "by",
             "from", "at", "as", "all", "into", "lines", "line"}


@dataclass(frozen=True)
class Heading:
    task: str
    number: int  # its position among the task's failure headings, 1-based
    text: str


def failure_headings(task: str, markdown: str) -> list[Heading]:
    """The numbered failure headings of a human analysis, outside code blocks and non-failure sections."""
    found: list[Heading] = []
    fence: str | None = None
    sections: dict[int, str] = {}  # heading level -> the text of the last heading of that level
    for line in markdown.splitlines():
        opened = _FENCE.match(line)
        if opened:
            marker = opened.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _HEADING.match(line)
        if not match:
            continue
        level, text = len(match.group(1)), match.group(2)
        sections = {k: v for k, v in sections.items() if k < level}
        numbered = _NUMBERED.match(text)
        parents = " ".join(sections.values()).lower()
        if numbered and level >= 2 and not any(word in parents for word in NOT_FAILURES):
            found.append(Heading(task, len(found) + 1, numbered.group(1).strip("* ")))
        sections[level] = text
    return found


def human_rules(headings: list[Heading]) -> tuple[set[str], list[Heading]]:
    """The rules the headings name, and the headings no rule's keywords match."""
    named: set[str] = set()
    uncovered = []
    for heading in headings:
        rules = {rule.id for rule in all_rules() if rule.named_in(heading.text)}
        named |= rules
        if not rules:
            uncovered.append(heading)
    return named, uncovered


def tool_rules(answer: Path) -> set[str]:
    result = repair_markdown(answer.read_text(encoding="utf-8", errors="replace"), path=str(answer))
    return {f.rule_id for f in result.findings if not f.suppressed}


def compare(corpus: Path) -> dict:
    tasks = sorted(p.parent.parent for p in corpus.glob("*/lib/MODEL_FAILURES.md")
                   if (p.parent / "MODEL_RESPONSE.md").is_file())
    per_rule = {rule.id: Counter() for rule in all_rules()}
    human_only_tasks: dict[str, list[str]] = {rule.id: [] for rule in all_rules()}
    tool_only_tasks: dict[str, list[str]] = {rule.id: [] for rule in all_rules()}
    headings_total = 0
    uncovered: list[Heading] = []
    for task in tasks:
        headings = failure_headings(task.name, (task / "lib" / "MODEL_FAILURES.md").read_text(encoding="utf-8",
                                                                                              errors="replace"))
        headings_total += len(headings)
        human, missed = human_rules(headings)
        uncovered += missed
        tool = tool_rules(task / "lib" / "MODEL_RESPONSE.md")
        for rule_id in per_rule:
            if rule_id in tool and rule_id in human:
                per_rule[rule_id]["both"] += 1
            elif rule_id in tool:
                per_rule[rule_id]["tool"] += 1
                tool_only_tasks[rule_id].append(task.name)
            elif rule_id in human:
                per_rule[rule_id]["human"] += 1
                human_only_tasks[rule_id].append(task.name)
    return {"tasks": [t.name for t in tasks], "per_rule": per_rule, "human_only": human_only_tasks,
            "tool_only": tool_only_tasks, "headings": headings_total, "uncovered": uncovered}


def render(corpus: Path, figures: dict, seconds: float, examples: int = 8) -> str:
    rules = {rule.id: rule for rule in all_rules()}
    per_rule = figures["per_rule"]
    both = sum(c["both"] for c in per_rule.values())
    tool = sum(c["tool"] for c in per_rule.values())
    human = sum(c["human"] for c in per_rule.values())
    uncovered: list[Heading] = figures["uncovered"]
    out = ["# Agreement with the reviewers' failure analyses\n",
           f"Generated by `{COMMAND}` over `{corpus.name}` in {seconds:.0f} s: {len(figures['tasks'])} tasks with "
           "both a model answer (`lib/MODEL_RESPONSE.md`) and its human failure analysis (`lib/MODEL_FAILURES.md`).\n",
           "The tool's classes on an answer are the rules with a finding when `repair_markdown` repairs it; the "
           "human's are the rules whose `analysis_keywords` (declared once on each rule, no per-task table) match one of the "
           "analysis's numbered failure headings. A heading that names a class in words no rule lists is not "
           "counted for it, so the figures are a floor for agreement. A human-only pair is a failure the tool misses, "
           "or one the stored answer no longer has (analyses often describe an earlier attempt); the last column "
           "lists where to look.\n",
           "## Per rule\n",
           f"Over all rules: {both} (rule, answer) pairs named by both, {tool} by the tool only, {human} by the human "
           f"only; of the tool's, {_share(both, both + tool)} are named by the human too, and of the human's "
           f"(those a rule covers), {_share(both, both + human)} are found by the tool.\n",
           "| rule | both | tool only | human only | human only in |", "|---|---|---|---|---|"]
    for rule_id in sorted(per_rule):
        c = per_rule[rule_id]
        where = ", ".join(figures["human_only"][rule_id][:6]) + (" ..." if len(figures["human_only"][rule_id]) > 6
                                                                 else "")
        out.append(f"| {rule_id} `{rules[rule_id].slug}` | {c['both']} | {c['tool']} | {c['human']} | {where} |")
    out += ["", "## What the human analyses name that no rule covers\n",
            f"{len(uncovered)} of the {figures['headings']} failure headings "
            f"({_share(len(uncovered), figures['headings'])}) "
            "match no rule's keywords. Their most frequent words say what they are about: resources and settings "
            "the answer lacks, tests, hardcoded values, security and IAM, regions and quotas; most ask what the "
            "task wanted, which no repair of code that fails to deploy can decide.\n"]
    words = Counter(w for h in uncovered for w in set(re.findall(r"[a-z][a-z0-9_]+", h.text.lower()))
                    if w not in STOPWORDS)
    out.append(", ".join(f"{word} ({n})" for word, n in words.most_common(20)) + ".\n")
    per_task = Counter(h.task for h in uncovered)
    places = []
    for task, count in per_task.most_common(examples):
        numbers = [f"#{h.number}" for h in uncovered if h.task == task]
        places.append(f"{task} {', '.join(numbers[:5])}" + (f" (+{count - 5})" if count > 5 else ""))
    out.append("Where a few of them are (task, then the heading's number among its failure headings): "
               + "; ".join(places) + ".")
    return "\n".join(out) + "\n"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "corpus.md")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no corpus here; nothing to compare (skipped)")
        return 0
    started = time.perf_counter()
    figures = compare(args.corpus)
    if not figures["tasks"]:
        print(f"{args.corpus}: no task with both lib/MODEL_RESPONSE.md and lib/MODEL_FAILURES.md (skipped)")
        return 0
    text = render(args.corpus, figures, time.perf_counter() - started)
    write_section(args.report, "agreement", demoted(text))
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
