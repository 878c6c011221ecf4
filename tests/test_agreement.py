"""Agreement with reviewers (bench/agreement.py): each rule's `analysis_keywords`, the failure headings of a human
analysis, and the comparison, on a small corpus written here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from repair.transforms._base import all_rules, rule_by_key

from conftest import BROKEN, ROOT

sys.path.insert(0, str(ROOT))
from bench.agreement import compare, failure_headings, render  # noqa: E402


def test_every_rule_declares_how_reviewers_name_its_failure_class():
    for rule in all_rules():
        assert rule.analysis_keywords, f"{rule.id} declares no analysis_keywords"
        assert all(k == k.lower() and k.strip() == k for k in rule.analysis_keywords), rule.id


@pytest.mark.parametrize("rule_id, heading, named", [
    ("CDK002", "Backend lockfile setting refused", True),
    ("CDK002", "Invalid Terraform state Backend setting", True),  # `*` stands for one word each
    ("CDK002", "Backend for the state is missing", False),
    ("CDK001", "Wrong provider CLASS NAMES", True),  # any case, and plurals
    ("CDK001", "Names of the class", False),  # the words of a keyword in their order
    ("CDK020", "Handler sets AWS_REGION itself", True),  # underscores are part of a word
    ("CDK015", "Missing TerraformOutput import", True),
    ("CDK019", "zipper on the bucket", False),  # whole words only
])
def test_a_heading_names_a_rule_by_its_keywords(rule_id, heading, named):
    assert rule_by_key(rule_id).named_in(heading) is named


ANALYSIS = """# Analysis

## Critical Failures

### 1. Backend lockfile setting refused

```python
# 9. a numbered comment inside code is not a heading
```

### 2. Alarms the task asked for are missing

## Issue 3: Provider class names without their suffix

### B4: Lifecycle rule filter absent

## Summary

### 1. A recap, not a failure
"""


def test_failure_headings_are_numbered_headings_outside_code_and_summaries():
    headings = failure_headings("task", ANALYSIS)
    assert [(h.number, h.text) for h in headings] == [
        (1, "Backend lockfile setting refused"), (2, "Alarms the task asked for are missing"),
        (3, "Provider class names without their suffix"), (4, "Lifecycle rule filter absent")]


ANSWER = """# The stack

## File: lib/tap_stack.py

```python
{stack}```
"""


def test_comparison_counts_both_tool_only_human_only_and_uncovered(tmp_path):
    corpus = tmp_path / "corpus-test"
    lib = corpus / "task1" / "lib"
    lib.mkdir(parents=True)
    (lib / "MODEL_RESPONSE.md").write_text(ANSWER.format(
        stack=(BROKEN / "review_system" / "lib" / "tap_stack.py").read_text()))
    (lib / "MODEL_FAILURES.md").write_text(ANALYSIS)
    (corpus / "task2" / "lib").mkdir(parents=True)
    (corpus / "task2" / "lib" / "MODEL_FAILURES.md").write_text(ANALYSIS)  # no answer: not compared
    figures = compare(corpus)
    assert figures["tasks"] == ["task1"]
    per_rule = figures["per_rule"]
    # The tool reports CDK001-CDK005 on the review system; the analysis names CDK001, CDK002 and CDK005.
    assert {r: dict(c) for r, c in per_rule.items() if c} == {
        "CDK001": {"both": 1}, "CDK002": {"both": 1}, "CDK005": {"both": 1}, "CDK003": {"tool": 1},
        "CDK004": {"tool": 1}}
    assert [(h.task, h.number) for h in figures["uncovered"]] == [("task1", 2)]
    text = render(corpus, figures, 0.0)
    assert text.startswith("# Agreement") and "`python bench/agreement.py`" in text
    assert "| CDK003 `apigw-deployment-depends-on` | 0 | 1 | 0 |  |" in text
    assert "1 of the 4 failure headings (25 %)" in text
    assert "Alarms the task" not in text  # the analyses' text is referred to, never copied


def test_without_a_corpus_the_script_says_so_and_writes_nothing(tmp_path):
    report = tmp_path / "agreement.md"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "agreement.py"), "--corpus", str(tmp_path / "none"),
                          "--report", str(report)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "skipped" in run.stdout and not report.exists()


def test_the_table_is_a_section_of_the_corpus_report_that_its_regeneration_keeps(tmp_path):
    from bench.sections import carried_sections, demoted, write_section

    report = tmp_path / "corpus.md"
    report.write_text("# repair on real model answers\n\nfigures\n")
    table = "# Agreement\n\n## Per rule\n\n| rule | both |\n|---|---|\n| CDK001 | 3 |\n"
    write_section(report, "agreement", demoted(table))
    once = report.read_text()
    assert once.startswith("# repair on real model answers\n\nfigures\n")
    assert "<!-- agreement -->\n## Agreement\n\n### Per rule\n" in once and once.endswith("<!-- end agreement -->\n")
    write_section(report, "agreement", demoted(table.replace("| 3 |", "| 4 |")))
    twice = report.read_text()
    assert twice.count("<!-- agreement -->") == 1 and "| CDK001 | 4 |" in twice and "| 3 |" not in twice
    # bench/corpus.py writes the page anew and carries the section over as it is.
    report.write_text("# repair on real model answers\n\nnew figures\n" + carried_sections(report))
    assert report.read_text().endswith(twice[twice.index("<!-- agreement -->"):])
    assert "new figures" in report.read_text()
