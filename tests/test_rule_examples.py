"""One case per before/after example that a rule declares (the rules document and test themselves)."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.transforms._base import all_rules

CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{number}")
    for rule in all_rules()
    for number, example in enumerate(rule.examples, 1)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule, example):
    result = repair_source(example.before, rules=[rule], options=example.options, path=example.path)
    assert result.error is None
    if example.after is None:
        assert result.fixed_source == example.before
        assert result.findings == []
        return
    assert result.fixed_source == example.after
    assert result.findings and all(f.rule_id == rule.id and f.fixed for f in result.findings)
    again = repair_source(result.fixed_source, rules=[rule], options=example.options, path=example.path)
    assert again.fixed_source == result.fixed_source, "the fix is not idempotent"
    assert again.findings == []


def test_every_rule_has_fix_and_valid_examples():
    for rule in all_rules():
        assert rule.reports_only or any(e.after is not None for e in rule.examples), rule.id
        assert any(e.after is None for e in rule.examples), rule.id


def test_rule_metadata_is_complete_and_ids_stable():
    ids = [r.id for r in all_rules()]
    assert len(set(ids)) == len(ids)
    # The engine runs the rules by phase (structure first), then by id.
    for phase in {r.phase for r in all_rules()}:
        in_phase = [r.id for r in all_rules() if r.phase == phase]
        assert in_phase == sorted(in_phase)
    for rule in all_rules():
        assert rule.id.startswith("CDK") and rule.id[3:].isdigit()
        assert rule.slug and rule.summary and rule.prevents and rule.doc_url.startswith("https://")
        # A newcomer finds a rule from its slug in one step: the module is named after it.
        assert rule.__module__.rsplit(".", 1)[-1] == rule.slug.replace("-", "_")
