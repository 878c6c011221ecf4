"""Unified diffs that `git apply` and `patch -p1` accept, computed without difflib.

The line matching is Myers' O((N+M)·D) algorithm (the one git and GNU diff use), run on what remains once the
common head and tail are set aside: a repair changes a few lines of a long file, so D is small. Lines keep their
own endings, so a CRLF file's diff carries CRLF lines and applies back byte for byte; a last line without a
newline gets the `\\ No newline at end of file` marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

NO_NEWLINE_MARKER = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class Opcode:
    tag: str  # "equal", "delete", "insert", "replace"
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _myers_matches(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs (i, j) with a[i] == b[j] of a shortest edit script between a and b."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    offset = n + m
    v = [0] * (2 * offset + 2)
    trace: list[list[int]] = []
    for d in range(offset + 1):
        trace.append(v[:])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, a, b, offset, d, k)
    raise AssertionError("unreachable: an edit script always exists")


def _backtrack(trace: list[list[int]], a, b, offset: int, d_end: int, k_end: int) -> list[tuple[int, int]]:
    matches: list[tuple[int, int]] = []
    x, y = len(a), len(b)
    for d in range(d_end, 0, -1):
        v = trace[d]
        k = x - y
        if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = v[offset + prev_k]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x -= 1
            y -= 1
            matches.append((x, y))
        x, y = prev_x, prev_y
    while x > 0 and y > 0:
        x -= 1
        y -= 1
        matches.append((x, y))
    matches.reverse()
    return matches


def _matched_runs(a: Sequence[str], b: Sequence[str], equal_head: int = 0,
                  equal_tail: int = 0) -> list[tuple[int, int, int]]:
    """Runs (i, j, length) of matched lines of a minimal diff, common head and tail included. `equal_head` and
    `equal_tail`: lines the caller knows to be the same at the start and at the end (where a change cannot be),
    so that only the rest is compared."""
    limit = min(len(a), len(b))
    head = min(equal_head, limit)
    while head < limit and a[head] == b[head]:
        head += 1
    tail = min(equal_tail, limit - head)
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    runs = [(0, 0, head)] if head else []
    runs += [(i + head, j + head, 1) for i, j in _myers_matches(a[head : len(a) - tail], b[head : len(b) - tail])]
    if tail:
        runs.append((len(a) - tail, len(b) - tail, tail))
    return runs


def matching_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matched line pairs of a minimal diff, common head and tail included."""
    return [(i + k, j + k) for i, j, length in _matched_runs(a, b) for k in range(length)]


def opcodes(a: Sequence[str], b: Sequence[str], equal_head: int = 0, equal_tail: int = 0) -> list[Opcode]:
    """The diff from a to b as runs of equal, replaced, deleted and inserted lines. `equal_head`, `equal_tail`:
    lines known to be the same at either end (see `_matched_runs`); the result is the same as without them."""
    result: list[Opcode] = []
    i = j = 0
    for mi, mj, length in _matched_runs(a, b, equal_head, equal_tail) + [(len(a), len(b), 0)]:
        if i < mi or j < mj:
            tag = "replace" if i < mi and j < mj else ("delete" if i < mi else "insert")
            result.append(Opcode(tag, i, mi, j, mj))
        if length:
            if result and result[-1].tag == "equal":
                last = result.pop()
                result.append(Opcode("equal", last.a_start, mi + length, last.b_start, mj + length))
            else:
                result.append(Opcode("equal", mi, mi + length, mj, mj + length))
        i, j = mi + length, mj + length
    return result


def line_map(old: Sequence[str], new: Sequence[str]) -> list[int]:
    """For each line of `new` (0-based), the 0-based line of `old` it stands for.

    A line the change added maps to the old line after the last matched one, which is where a reader of the old
    file would look for it.
    """
    mapping = [0] * len(new)
    last_old = -1
    matched = dict((j, i) for i, j in matching_pairs(old, new))
    for j in range(len(new)):
        if j in matched:
            last_old = matched[j]
            mapping[j] = last_old
        else:
            mapping[j] = min(last_old + 1, max(len(old) - 1, 0))
    return mapping


def _range(start: int, count: int) -> str:
    # Unified diff: an empty range names the line before it; a one-line range omits the count.
    if count == 0:
        return f"{start},0"
    if count == 1:
        return f"{start + 1}"
    return f"{start + 1},{count}"


def _emit(prefix: str, line: str, out: list[str]) -> None:
    if line.endswith("\n"):
        out.append(prefix + line)
    else:
        out.append(prefix + line + "\n")
        out.append(NO_NEWLINE_MARKER)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on "\\n" only (str.splitlines also splits on \\r, \\f, U+2028, ... which
    git and patch take as ordinary characters)."""
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def _hunks(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """Changes closer than 2*context lines share a hunk; each hunk keeps `context` equal lines on either side."""
    if codes and codes[0].tag == "equal":
        c = codes[0]
        keep = min(context, c.a_end - c.a_start)
        codes[0] = Opcode("equal", c.a_end - keep, c.a_end, c.b_end - keep, c.b_end)
    if codes and codes[-1].tag == "equal":
        c = codes[-1]
        keep = min(context, c.a_end - c.a_start)
        codes[-1] = Opcode("equal", c.a_start, c.a_start + keep, c.b_start, c.b_start + keep)
    hunks: list[list[Opcode]] = []
    group: list[Opcode] = []
    for c in codes:
        if c.tag == "equal" and c.a_end - c.a_start > 2 * context and group:
            group.append(Opcode("equal", c.a_start, c.a_start + context, c.b_start, c.b_start + context))
            hunks.append(group)
            group = []
            c = Opcode("equal", c.a_end - context, c.a_end, c.b_end - context, c.b_end)
        group.append(c)
    if any(c.tag != "equal" for c in group):
        hunks.append(group)
    return hunks


@dataclass(frozen=True)
class Hunk:
    header: str  # "@@ -a,b +c,d @@\n"
    lines: tuple[str, ...]  # each with its " ", "-", "+" prefix (and the no-newline marker where due)
    a_start: int  # 0-based line range in the old text
    a_end: int
    b_start: int  # 0-based line range in the new text
    b_end: int
    changed_new_lines: tuple[int, ...]  # 0-based lines of the new text this hunk adds
    removal_points: tuple[int, ...]  # 0-based new-text positions where it removes old lines


def diff_hunks(old: str, new: str, context: int = 3) -> list[Hunk]:
    a = split_lines(old)
    b = split_lines(new)
    hunks = []
    for group in _hunks(opcodes(a, b), context):
        a_start, a_end = group[0].a_start, group[-1].a_end
        b_start, b_end = group[0].b_start, group[-1].b_end
        out: list[str] = []
        added: list[int] = []
        removed_at: list[int] = []
        for code in group:
            if code.tag == "equal":
                for line in a[code.a_start : code.a_end]:
                    _emit(" ", line, out)
                continue
            for line in a[code.a_start : code.a_end]:
                _emit("-", line, out)
            if code.a_end > code.a_start:
                removed_at.append(code.b_start)
            for line in b[code.b_start : code.b_end]:
                _emit("+", line, out)
            added.extend(range(code.b_start, code.b_end))
        header = f"@@ -{_range(a_start, a_end - a_start)} +{_range(b_start, b_end - b_start)} @@\n"
        hunks.append(Hunk(header, tuple(out), a_start, a_end, b_start, b_end, tuple(added), tuple(removed_at)))
    return hunks


def file_header(path: str) -> str:
    # GNU patch reads a name up to its first blank unless a tab ends it (where diff puts the timestamp); git apply
    # and unidiff read the tab the same way. Only names with blanks get one, so every other header is unchanged.
    end = "\t" if any(c.isspace() for c in path) else ""
    return f"--- a/{path}{end}\n+++ b/{path}{end}\n"


def unified_diff(old: str, new: str, path: str, context: int = 3) -> str:
    """The unified diff turning `old` into `new`, with git's `a/` and `b/` path prefixes; '' when they are equal."""
    if old == new:
        return ""
    return patch_text(path, diff_hunks(old, new, context))


def patch_text(path: str, hunks: list[Hunk]) -> str:
    """A unified diff of one file from its hunks; '' without hunks."""
    if not hunks:
        return ""
    return file_header(path) + "".join(h.header + "".join(h.lines) for h in hunks)


def diff_stats(patch_text: str) -> tuple[int, int, int]:
    """(files, lines added, lines removed) of a unified diff, read back through unidiff as a validity check."""
    from unidiff import PatchSet

    patch = PatchSet(patch_text)
    return len(patch), patch.added, patch.removed
