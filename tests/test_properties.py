"""Properties over generated inputs (issue 14): whatever the input, `repair` never raises, leaves code it has nothing
to do with byte for byte alone, converges in one run (repairing the repair changes nothing), and its diff turns the
input into the output. The inputs: every broken sample mutated the way real files break (lines dropped, doubled,
swapped or cut, stray characters, other line endings, a byte-order mark), and small programs with no trigger."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unidiff import PatchSet
from unidiff.constants import LINE_TYPE_NO_NEWLINE

from repair.diff import split_lines
from repair.engine import repair_source
from repair.markdown import repair_markdown

from conftest import BROKEN, sample_files

SAMPLES = [(BROKEN / p).read_text(encoding="utf-8") for p in sample_files()]
STRAY = ["(", ")", "[", "]", "{", "}", ":", ",", "'", '"', '"""', "\\", "#", "\t", " ", "\r", "\x00", "é", "${", "="]


@st.composite
def mutated_samples(draw) -> str:
    lines = split_lines(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "double", "swap", "cut", "stray", "indent"]))
        if kind == "drop":
            del lines[at]
        elif kind == "double":
            lines.insert(at, lines[at])
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif kind == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        elif kind == "stray":
            position = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:position] + draw(st.sampled_from(STRAY)) + lines[at][position:]
        elif kind == "indent":
            lines[at] = "    " + lines[at]
    text = "".join(lines)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if ending != "\n":
        text = text.replace("\n", ending)
    return draw(st.sampled_from(["", "\ufeff"])) + text


def applied(source: str, patch_text: str) -> str:
    """The patch applied to `source` in Python (unidiff reads it, as a reviewer's tool would)."""
    old = split_lines(source)
    out: list[str] = []
    position = 0
    for hunk in PatchSet(patch_text)[0] if patch_text else []:
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        out += old[position:start]
        position = start
        previous = None
        for line in hunk:
            if line.line_type == LINE_TYPE_NO_NEWLINE:
                # "\ No newline at end of file": the line before it ends the file without one (unidiff keeps a
                # newline in that line's value).
                if previous is not None and (previous.is_context or previous.is_added):
                    out[-1] = out[-1].removesuffix("\n")
                continue
            if line.is_context or line.is_removed:
                assert old[position].rstrip("\r\n") == line.value.rstrip("\r\n")
                position += 1
            if line.is_context or line.is_added:
                out.append(line.value)
            previous = line
    out += old[position:]
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_any_mutation_of_a_sample_is_repaired_safely(source):
    result = repair_source(source)  # never raises: an error is a result
    if result.error is not None:
        assert result.fixed_source == source and not result.changed
        return
    again = repair_source(result.fixed_source)
    assert again.error is None and again.fixed_source == result.fixed_source, "a repair must converge in one run"
    from repair.diff import patch_text

    patch = patch_text("f.py", result.hunks(3))
    if "\r" not in source:
        assert applied(source, patch) == result.fixed_source
    else:  # unidiff reads a CR as a line's end: git, which keeps it in the line, applies the patch instead
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "f.py").write_bytes(source.encode("utf-8"))
            (Path(folder) / "p.diff").write_bytes(patch.encode("utf-8"))
            if patch:
                done = subprocess.run(["git", "apply", "p.diff"], cwd=folder, capture_output=True, text=True)
                assert done.returncode == 0, (done.stderr, patch)
            assert (Path(folder) / "f.py").read_bytes().decode("utf-8") == result.fixed_source


NAMES = st.sampled_from(["bucket", "table", "queue", "x", "stack", "region", "tags"])
VALUES = st.one_of(st.integers(-5, 500).map(str), st.text(alphabet="abc-_ ${}", max_size=12).map(repr),
                   st.just("None"), st.just("[1, 2]"), st.just("{'a': 1}"))


@st.composite
def programs_without_triggers(draw) -> str:
    statements = [f"{draw(NAMES)} = {draw(VALUES)}" for _ in range(draw(st.integers(1, 8)))]
    if draw(st.booleans()):
        statements = ["def make(scope):"] + ["    " + s for s in statements] + ["    return scope"]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return draw(st.sampled_from(["", "# -*- coding: utf-8 -*-" + ending])) + ending.join(statements) + ending


@settings(max_examples=100, deadline=None)
@given(programs_without_triggers())
def test_code_no_rule_concerns_is_left_byte_for_byte(source):
    result = repair_source(source)
    assert result.error is None and result.fixed_source == source and not result.findings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples(), st.sampled_from(["python", "py", "", "text"]))
def test_an_answer_wrapping_any_mutation_is_repaired_safely(code, language):
    document = f"# Answer\n\n## File: lib/tap_stack.py\n```{language}\n{code}\n```\n\nDone.\n"
    result = repair_markdown(document)
    assert result.error is None
    assert repair_markdown(result.fixed_source).fixed_source == result.fixed_source
    # Only code blocks change: the prose around them is kept.
    assert result.fixed_source.startswith("# Answer\n\n## File: lib/tap_stack.py\n```") and \
        result.fixed_source.endswith("```\n\nDone.\n")


def test_a_patch_ending_in_a_line_without_newline_applies():
    # Found by the property above: a repair near the end of a file whose last line has no newline; the patch marks
    # it ("\ No newline at end of file") and applies to the repaired text (as `git apply` does).
    source = '\n\nfrom lib.audit_stack import AuditStack\napp = App()\nAuditStack(app, "audit-service")\na'
    result = repair_source(source)
    from repair.diff import patch_text

    patch = patch_text("f.py", result.hunks(3))
    assert "\\ No newline at end of file" in patch and result.fixed_source.endswith("\na")
    assert applied(source, patch) == result.fixed_source
