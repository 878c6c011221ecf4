"""Diffs apply: `git apply` and `patch -p1` turn the original into the repaired file byte for byte."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.diff import diff_stats, line_map, split_lines, unified_diff

from conftest import BROKEN, FIXED, sample_files

needs_tools = pytest.mark.skipif(not (shutil.which("git") and shutil.which("patch")), reason="git and patch needed")


def apply_both_ways(tmp_path, old: str, new: str, context: int = 3) -> None:
    """Apply the diff of old->new with git and with patch, each on a fresh copy of old; both must give new."""
    patch_text = unified_diff(old, new, "f.txt", context=context)
    (tmp_path / "p.diff").write_bytes(patch_text.encode("utf-8"))
    git_args = ["git", "apply", "--unidiff-zero"] if context == 0 else ["git", "apply"]
    for command in (git_args + ["p.diff"], ["patch", "-s", "-p1", "-i", "p.diff"]):
        (tmp_path / "f.txt").write_bytes(old.encode("utf-8"))
        completed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
        assert completed.returncode == 0, (command, completed.stdout, completed.stderr, patch_text)
        assert (tmp_path / "f.txt").read_bytes().decode("utf-8") == new, (command, patch_text)


@needs_tools
@pytest.mark.parametrize("relative", [p for p in sample_files() if (BROKEN / p).read_bytes() != (FIXED / p).read_bytes()],
                         ids=str)
def test_sample_diff_applies(tmp_path, relative):
    old = (BROKEN / relative).read_bytes().decode("utf-8")
    new = (FIXED / relative).read_bytes().decode("utf-8")
    apply_both_ways(tmp_path, old, new)
    files, added, removed = diff_stats(unified_diff(old, new, str(relative)))
    assert files == 1 and added + removed > 0


LINES = st.sampled_from(["a\n", "b\n", "x = 1\n", "\n", "caf\u00e9\n", "\u2028odd\n", "tab\there\n", "c\r\n",
                         "    indented\n", "\\ backslash\n"])


@st.composite
def edits(draw):
    old = draw(st.lists(LINES, max_size=40))
    new = list(old)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        if kind == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(LINES))
        elif kind == "delete":
            del new[draw(st.integers(0, len(new) - 1))]
        else:
            new[draw(st.integers(0, len(new) - 1))] = draw(LINES)
    old_text, new_text = "".join(old), "".join(new)
    if draw(st.booleans()):
        old_text = old_text.rstrip("\n")
    if draw(st.booleans()):
        new_text = new_text.rstrip("\n")
    return old_text, new_text, draw(st.integers(1, 4))


@needs_tools
@settings(max_examples=200, deadline=None)
@given(edits())
def test_random_edits_apply(tmp_path_factory, case):
    old, new, context = case
    if old == new:
        assert unified_diff(old, new, "f.txt") == ""
        return
    apply_both_ways(tmp_path_factory.mktemp("d"), old, new, context)


def test_no_newline_marker_and_crlf_kept():
    text = unified_diff("a\r\nb", "a\r\nc", "f.py")
    assert text == "--- a/f.py\n+++ b/f.py\n@@ -1,2 +1,2 @@\n a\r\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"


def test_hunks_are_minimal():
    old = "".join(f"line {i}\n" for i in range(100))
    new = old.replace("line 10\n", "line ten\n").replace("line 80\n", "line eighty\n")
    text = unified_diff(old, new, "f.py", context=3)
    assert text.count("@@ -") == 2
    assert sum(1 for l in text.splitlines() if l.startswith(" ")) == 12


def test_split_lines_only_on_newline():
    assert split_lines("a\u2028b\x0cc\rd\ne") == ["a\u2028b\x0cc\rd\n", "e"]


def test_line_map_follows_deletions_and_insertions():
    old = ["a\n", "gone\n", "b\n", "c\n"]
    new = ["a\n", "b\n", "new\n", "c\n"]
    assert line_map(old, new) == [0, 2, 3, 3]


def _valid_matches(a, b, matches) -> None:
    previous = (-1, -1)
    for i, j in matches:
        assert a[i] == b[j] and i > previous[0] and j > previous[1]
        previous = (i, j)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=30), st.lists(st.sampled_from("abcd"), max_size=30))
def test_middle_snake_split_is_minimal(a, b):
    """Past GREEDY_STEPS the diff is split at middle snakes (linear space); without anchors the split finds as many
    matches as Myers' greedy search."""
    from repair import diff

    expected = len(diff._greedy_matches(a, b, None)) if a and b else 0
    steps, anchors = diff.GREEDY_STEPS, diff._unique_anchors
    diff.GREEDY_STEPS, diff._unique_anchors = 0, lambda a, b: []
    try:
        found = diff.matching_pairs(a, b)
    finally:
        diff.GREEDY_STEPS, diff._unique_anchors = steps, anchors
    _valid_matches(a, b, found)
    assert len(found) == expected


@needs_tools
def test_thousands_of_changes_apply_in_linear_space(tmp_path):
    """A change of thousands of lines (one finding every few lines of a long stack) takes the split path: the
    diff applies, and the greedy search's trace is never built (it would hold d² cells)."""
    old = "".join(f'fn{i} = Function("fn{i}",\n    runtime="python3.8",\n)\n' for i in range(1500))
    new = old.replace("python3.8", "python3.12")
    apply_both_ways(tmp_path, old, new)
    text = unified_diff(old, new, "f.txt")
    assert text.count("\n-    runtime") == 1500 and text.count("\n+    runtime") == 1500


def test_line_map_maps_lines_rewritten_one_for_one_in_order():
    # An import moved to its module rewrites its lines one for one: each maps to the line it replaced (all of them
    # used to map to the first), surplus lines to the last replaced one, a pure insertion after the last match.
    old = ["a\n", "b\n", "c\n", "d\n", "e\n"]
    assert line_map(old, ["a\n", "B\n", "C\n", "d\n", "e\n"]) == [0, 1, 2, 3, 4]
    assert line_map(old, ["a\n", "B\n", "C\n", "X\n", "d\n", "e\n"]) == [0, 1, 2, 2, 3, 4]
    assert line_map(old, ["a\n", "b\n", "N\n", "c\n", "d\n", "e\n"]) == [0, 1, 2, 2, 3, 4]
    assert line_map(old, ["a\n", "B\n", "e\n"]) == [0, 1, 4]
