"""Which rule wrote each line: the engine follows lines through each rule's edits by where the edits are (the spans
the base class splices), matching only the lines of those spans, never the whole file."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from repair import engine
from repair.engine import _Attribution, repair_source

from conftest import BROKEN


def _whole_file(attribution: _Attribution, rule_id: str, before: str, after: str) -> _Attribution:
    twin = _Attribution(0)
    twin.line_rules = list(attribution.line_rules)
    twin.removal_rules = {k: set(v) for k, v in attribution.removal_rules.items()}
    twin.record(rule_id, before, after, None)
    return twin


_LINES = st.lists(st.sampled_from(["a\n", "b\n", ")\n", "\n", "    x = 1\n", "]\n"]), max_size=12)


_EDIT = st.tuples(st.integers(0, 40), st.integers(0, 8), _LINES)


@given(before=_LINES, edits=st.lists(_EDIT, min_size=1, max_size=3),
       tags=st.lists(st.sampled_from(["CDK001", "CDK002"]), max_size=12),
       removal=st.one_of(st.none(), st.integers(0, 12)))
@settings(max_examples=400, deadline=None)
def test_edits_are_attributed_as_a_whole_file_diff_would(before, edits, tags, removal):
    # Lines are carried over, tagged and moved exactly as matching the whole file would, for any edits of whole
    # or partial lines (identical lines around them included, where a diff has more than one reading).
    text = "".join(before)
    replacements, cursor = [], 0
    for start, length, new in edits:
        start = min(cursor + start, len(text))
        end = min(start + length, len(text))
        replacements.append((start, end, "".join(new)[:length + 4]))
        cursor = end + 1
        if cursor > len(text):
            break
    after, cursor = "", 0
    for start, end, replacement in replacements:
        after += text[cursor:start] + replacement
        cursor = end
    after += text[cursor:]
    if after == text:
        return
    attribution = _Attribution(len(before))
    attribution.line_rules = [frozenset({tags[i]}) if i < len(tags) else frozenset() for i in range(len(before))]
    if removal is not None:
        attribution.removal_rules = {min(removal, len(before)): {"CDK009"}}
    expected = _whole_file(attribution, "CDK003", text, after)
    attribution.record("CDK003", text, after, replacements)
    assert attribution.line_rules == expected.line_rules
    assert attribution.removal_rules == expected.removal_rules


def test_a_repair_matches_only_the_lines_its_edits_touched(monkeypatch):
    # One lockfile override in a long stack: the lines before and after the edit are known to be the same from
    # where the edit is, and only the few between are compared.
    source = (BROKEN / "backend_use_lockfile" / "self_override_with_comment.py").read_text(encoding="utf-8")
    padding = "".join(f"print({n})\n" for n in range(500))
    compared: list[int] = []
    real = engine.opcodes

    def counting(a, b, equal_head=0, equal_tail=0):
        compared.append(len(a) - equal_head - equal_tail)
        return real(a, b, equal_head, equal_tail)

    monkeypatch.setattr(engine, "opcodes", counting)
    result = repair_source(padding + source + padding)
    assert result.changed and {f.rule_id for f in result.findings} == {"CDK002"}
    assert compared and max(compared) <= 10  # of 1,000-odd lines
    (hunk,) = result.hunks()
    assert result.hunk_rules(hunk) == ["CDK002"]
