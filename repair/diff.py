"""Unified diffs that `git apply` and `patch -p1` accept, computed without difflib.

The line matching is Myers' O((N+M)·D) algorithm (the one git and GNU diff use), run on what remains once the
common head and tail are set aside: a repair changes a few lines of a long file, so D is small. A change of more
than GREEDY_STEPS lines (thousands of findings in one file) is first split on the lines that occur once on each
side and then at middle snakes, in linear space, so that its cost stays near the file's size. Lines keep their
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


# The plain Myers search below keeps the furthest points of every step to trace its path back: d steps cost about
# d² cells. Beyond this many steps (a change of hundreds of lines) the problem is split first (see `_split_matches`).
GREEDY_STEPS = 256


def _myers_matches(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs (i, j) with a[i] == b[j] of a short edit script between a and b: the shortest one (Myers) while
    it takes at most GREEDY_STEPS edits, else one found in linear space and near-linear time (`_split_matches`)."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    found = _greedy_matches(a, b, GREEDY_STEPS)
    return found if found is not None else _split_matches(a, b)


def _greedy_matches(a: Sequence[str], b: Sequence[str], limit: int | None) -> list[tuple[int, int]] | None:
    """Myers' greedy search and its trace back; None when the script needs more than `limit` edits. Each step's
    trace keeps only the diagonals it can have reached (k in [-d, d]), so d steps take O(d²) cells, not O((N+M)·d)."""
    n, m = len(a), len(b)
    offset = n + m
    v = [0] * (2 * offset + 2)
    trace: list[list[int]] = []
    last = offset if limit is None else min(offset, limit)
    for d in range(last + 1):
        trace.append(v[offset - d : offset + d + 1])  # trace[d][k + d] is v[k] before step d
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
                return _backtrack(trace, a, b, d, k)
    if limit is not None:
        return None
    raise AssertionError("unreachable: an edit script always exists")


def _backtrack(trace: list[list[int]], a, b, d_end: int, k_end: int) -> list[tuple[int, int]]:
    matches: list[tuple[int, int]] = []
    x, y = len(a), len(b)
    for d in range(d_end, 0, -1):
        v = trace[d]
        k = x - y
        if k == -d or (k != d and v[k - 1 + d] < v[k + 1 + d]):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = v[prev_k + d]
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


def _split_matches(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matches of a large change: anchored on the lines that occur once in each side (the longest increasing run
    of them, as patience diff does), each stretch between anchors diffed on its own; a stretch without anchors is
    split at its middle snake (Myers' linear-space refinement, as git's xdiff and diff-match-patch do). Memory
    stays linear in the input, and a change spread over a long file costs about its size, not size x changes."""
    anchors = _unique_anchors(a, b)
    if not anchors:
        split = _middle_snake(a, b)
        n, m = len(a), len(b)
        if split is None:
            return []  # nothing in common
        x, y = split
        if (x, y) in ((0, 0), (n, m)):  # no progress: cannot happen past GREEDY_STEPS, but never loop
            return _greedy_matches(a, b, None) or []
        return _matches_between(a, b, 0, x, 0, y) + _matches_between(a, b, x, n, y, m)
    matches: list[tuple[int, int]] = []
    i = j = 0
    for ai, bj in anchors + [(len(a), len(b))]:
        matches += _matches_between(a, b, i, ai, j, bj)
        if ai < len(a):
            matches.append((ai, bj))
        i, j = ai + 1, bj + 1
    return matches


def _matches_between(a, b, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int]]:
    """The matches of a[a0:a1] against b[b0:b1], in the indexes of a and b."""
    return [(i + a0 + p, j + b0 + p) for i, j, length in _matched_runs(a[a0:a1], b[b0:b1])
            for p in range(length)]


def _unique_anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """The longest run of (i, j), increasing in both, of lines that occur exactly once in a and once in b."""
    counts: dict[str, int] = {}
    for line in a:
        counts[line] = counts.get(line, 0) + 1
    in_b: dict[str, int] = {}
    seen_b: dict[str, int] = {}
    for j, line in enumerate(b):
        if counts.get(line) == 1:
            seen_b[line] = seen_b.get(line, 0) + 1
            in_b[line] = j
    pairs = [(i, in_b[line]) for i, line in enumerate(a) if counts[line] == 1 and seen_b.get(line) == 1]
    # Longest increasing subsequence of the j's (patience sorting).
    from bisect import bisect_left

    tails: list[int] = []  # tails[L] = the smallest j ending an increasing run of length L + 1
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        place = bisect_left(tails, j)
        if place == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[place] = j
            tail_index[place] = index
        previous.append(tail_index[place - 1] if place else -1)
    run: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    run.reverse()
    return run


def _middle_snake(a: Sequence[str], b: Sequence[str]) -> tuple[int, int] | None:
    """Where a shortest edit script crosses its middle (searching forward from the start and backward from the
    end at once), or None when a and b have nothing in common. Linear space."""
    n, m = len(a), len(b)
    max_d = (n + m + 1) // 2
    v_offset = max_d
    v_length = 2 * max_d + 2
    v1 = [-1] * v_length
    v2 = [-1] * v_length
    v1[v_offset + 1] = 0
    v2[v_offset + 1] = 0
    delta = n - m
    front = delta % 2 != 0  # the forward search meets the backward one (else the backward meets the forward)
    k1_start = k1_end = k2_start = k2_end = 0
    for d in range(max_d):
        for k1 in range(-d + k1_start, d + 1 - k1_end, 2):
            k1_offset = v_offset + k1
            if k1 == -d or (k1 != d and v1[k1_offset - 1] < v1[k1_offset + 1]):
                x1 = v1[k1_offset + 1]
            else:
                x1 = v1[k1_offset - 1] + 1
            y1 = x1 - k1
            while x1 < n and y1 < m and a[x1] == b[y1]:
                x1 += 1
                y1 += 1
            v1[k1_offset] = x1
            if x1 > n:
                k1_end += 2  # off the right of the grid
            elif y1 > m:
                k1_start += 2  # off the bottom
            elif front:
                k2_offset = v_offset + delta - k1
                if 0 <= k2_offset < v_length and v2[k2_offset] != -1 and x1 >= n - v2[k2_offset]:
                    return x1, y1
        for k2 in range(-d + k2_start, d + 1 - k2_end, 2):
            k2_offset = v_offset + k2
            if k2 == -d or (k2 != d and v2[k2_offset - 1] < v2[k2_offset + 1]):
                x2 = v2[k2_offset + 1]
            else:
                x2 = v2[k2_offset - 1] + 1
            y2 = x2 - k2
            while x2 < n and y2 < m and a[n - x2 - 1] == b[m - y2 - 1]:
                x2 += 1
                y2 += 1
            v2[k2_offset] = x2
            if x2 > n:
                k2_end += 2
            elif y2 > m:
                k2_start += 2
            elif not front:
                k1_offset = v_offset + delta - k2
                if 0 <= k1_offset < v_length and v1[k1_offset] != -1:
                    x1 = v1[k1_offset]
                    y1 = v_offset + x1 - k1_offset
                    if x1 >= n - x2:
                        return x1, y1
    return None


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

    Between two matched lines, the changed lines map in order onto the old lines they replaced (the n-th changed
    line to the n-th replaced one: exact where a change rewrote lines one for one, as an import moved to its module
    does), the surplus ones to the last of them; a line the change only added maps to the old line after the last
    matched one, which is where a reader of the old file would look for it.
    """
    mapping = [0] * len(new)
    pairs = matching_pairs(old, new)
    matched = {j: i for i, j in pairs}
    # For each new line, the old line of the next match after it (or the end): the old gap it falls in ends there.
    next_old = [len(old)] * len(new)
    following = len(old)
    for j in range(len(new) - 1, -1, -1):
        if j in matched:
            following = matched[j]
        next_old[j] = following
    last_old, last_new = -1, -1
    for j in range(len(new)):
        if j in matched:
            last_old, last_new = matched[j], j
            mapping[j] = last_old
        else:
            gap_end = next_old[j]  # the old lines last_old+1 .. gap_end-1 were replaced
            if gap_end > last_old + 1:
                mapping[j] = min(last_old + 1 + (j - last_new - 1), gap_end - 1)
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
