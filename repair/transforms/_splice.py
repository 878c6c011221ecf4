"""The code of an edited tree, from the code of the tree it was edited from, without generating all of it again.

A rule rebuilds only the nodes it edits and their ancestors (`_cst.apply_leaves`); every other node of its output
is the very object of its input, and the input's code is the text the rule read. So the output's code is that text
with the spans of the replaced nodes swapped for the code of their replacements. Generating a stack's code costs
about a third of parsing it, and a repaired file used to pay for it once per repair on top of the code generation
that positions the findings; now that one (targeted) generation also measures the spans.

`edits(old, new)` finds the smallest regions to regenerate. A node is regenerated on its own only when its code
depends on nothing but the indentation around it: libcst passes some nodes arguments from their parent (an
argument's default comma, a small statement's default semicolon), and those are regenerated with their parent. A
module without a final newline, a tree that holds a node twice, or a span that does not add up falls back to
generating the whole module (`None`).
"""

from __future__ import annotations

import dataclasses
import inspect
from itertools import accumulate
from typing import Iterable, Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState

from repair.transforms._cst import NODE_TYPES
from repair.transforms._positions import GeneratedThrough, _TargetedState, appear_once


@dataclasses.dataclass(frozen=True)
class Edit:
    """Replace the code of `old` (a run of sibling nodes, possibly empty) with that of `new`. An empty run is an
    insertion: after `after`, or else before `before`."""

    old: tuple[cst.CSTNode, ...]
    new: tuple[cst.CSTNode, ...]
    after: cst.CSTNode | None = None
    before: cst.CSTNode | None = None


class _Escalate(Exception):
    """This change cannot be regenerated at this level: regenerate the parent."""


_STANDALONE: dict[type, bool] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _standalone(node: cst.CSTNode) -> bool:
    """Whether the node's code depends only on the node and the indentation (its `_codegen_impl` takes no
    argument from its parent)."""
    cls = type(node)
    known = _STANDALONE.get(cls)
    if known is None:
        parameters = inspect.signature(cls._codegen_impl).parameters
        known = _STANDALONE[cls] = len(parameters) == 2 and type(node) is not cst.Module
    return known


def _standalone_in_body(node: cst.CSTNode) -> bool:
    """`_standalone` for a node of a sequence: an `if` statement takes whether it is an `elif` from its parent, but
    only an `if`'s own `orelse` generates it so, never a body (CDK033 moves a module's app under one)."""
    return _standalone(node) or type(node) is cst.If


def _fields(node: cst.CSTNode) -> tuple[str, ...]:
    cls = type(node)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _is_node_sequence(value: object) -> bool:
    return type(value) in (list, tuple) and all(type(v) in NODE_TYPES for v in value)


def _diff_node(old: cst.CSTNode, new: cst.CSTNode) -> list[Edit]:
    if type(old) is type(new):
        try:
            edits: list[Edit] = []
            for name in _fields(old):
                before, after = getattr(old, name), getattr(new, name)
                if before is after:
                    continue
                if isinstance(before, cst.CSTNode) and isinstance(after, cst.CSTNode):
                    edits += _diff_node(before, after)
                elif _is_node_sequence(before) and _is_node_sequence(after):
                    edits += _diff_sequence(before, after)
                elif isinstance(before, cst.CSTNode) or isinstance(after, cst.CSTNode) or before != after:
                    raise _Escalate  # a node became a sentinel (or the reverse), or a plain value changed
            return edits
        except _Escalate:
            pass
    if _standalone(old) and _standalone(new):
        return [Edit((old,), (new,))]
    raise _Escalate


def _diff_sequence(old: Sequence[cst.CSTNode], new: Sequence[cst.CSTNode]) -> list[Edit]:
    if not old and not new:
        return []
    if not old or not new:
        raise _Escalate  # an empty body generates a placeholder (`pass`), an empty list its brackets' layout
    start = 0
    while start < min(len(old), len(new)) and old[start] is new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] is new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    middle_old, middle_new = old[start:end_old], new[start:end_new]
    if len(middle_old) == len(middle_new):
        try:
            return [e for a, b in zip(middle_old, middle_new) for e in _diff_node(a, b)]
        except _Escalate:
            pass
    if not all(_standalone_in_body(n) for n in (*middle_old, *middle_new)):
        raise _Escalate
    after = old[start - 1] if start > 0 else None
    before = old[end_old] if end_old < len(old) else None
    return [Edit(tuple(middle_old), tuple(middle_new), after, before)]


def edits(old: cst.Module, new: cst.Module) -> list[Edit] | None:
    """The regions of `old` to regenerate to get `new`, or None when only the whole module will do."""
    if old is new:
        return []
    if not (old.has_trailing_newline and new.has_trailing_newline):
        return None  # the module drops its last newline token after its last node has been measured
    try:
        return _diff_node(old, new)
    except _Escalate:
        return None


class _SpanState(_TargetedState):
    """Positions of the reported nodes, plus where the code of each edited node starts and ends (token indexes)
    and the indentation it was generated with."""

    def __init__(self, targets: Iterable[cst.CSTNode], spanned: set[cst.CSTNode], **kwargs) -> None:
        super().__init__(targets, **kwargs)
        self.spanned = {id(n) for n in spanned}
        self.starts: dict[int, tuple[int, tuple[str, ...]]] = {}
        self.ends: dict[int, int] = {}
        self.twice = False

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.targets:
            self._fallback[key] = self._here()
        if key in self.spanned:
            if key in self.starts:
                self.twice = True  # the same object twice in the tree: its span is ambiguous
            self.starts[key] = (len(self.tokens), tuple(self.indent_tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.spanned:
            self.ends[id(node)] = len(self.tokens)


def positions_and_code(
    old: cst.Module, old_code: str, new: cst.Module, reported: Iterable[cst.CSTNode], single_nodes: bool = False
) -> tuple[dict[cst.CSTNode, tuple[int, int]], str | None, list[tuple[int, int, str]] | None]:
    """Start (line, column) of each reported node of `old`, the code of `new` (None: generate it whole), and the
    replacements that make it: (start, end, code) in `old_code`, in order (None with the code). One targeted code
    generation of `old` serves all three; with `single_nodes` (`old` holds each node object once: a tree libcst
    parsed), or where each node it measures appears once, it stops after the last of them, and the rest of
    `old_code` is taken as it is."""
    targets = list(reported)
    found = edits(old, new) if new is not old else []
    spanned = {n for e in found for n in (*e.old, e.after, e.before) if n is not None} if found is not None else set()
    state = _SpanState(targets, spanned, default_indent=old.default_indent, default_newline=old.default_newline)
    awaited = [*targets, *spanned]
    if single_nodes or appear_once(old, awaited):
        state.stop_after(awaited)
    try:
        old._codegen(state)
        through = False
    except GeneratedThrough:
        through = True
    positions = {n: state.position(n) for n in targets}
    if found is None or state.twice:
        return positions, None, None
    offsets = list(accumulate(map(len, state.tokens), initial=0))
    if (not old_code.startswith("".join(state.tokens)) if through else offsets[-1] != len(old_code)):
        return positions, None, None  # the tree is not the text the caller holds: trust nothing
    pieces, cursor = [], 0
    replacements = sorted(_replacements(found, state, offsets, new), key=lambda r: r[:2])
    for start, end, text in replacements:
        if start < cursor:
            return positions, None, None  # overlapping regions: cannot happen for a tree, but never splice blindly
        pieces += [old_code[cursor:start], text]
        cursor = end
    pieces.append(old_code[cursor:])
    return positions, "".join(pieces), replacements


def _replacements(found: list[Edit], state: _SpanState, offsets: list[int], new: cst.Module):
    """(start, end, code) in the old text for each edit."""
    for edit in found:
        if edit.old:
            start, indent = state.starts[id(edit.old[0])]
            end = state.ends[id(edit.old[-1])]
        elif edit.after is not None:
            _, indent = state.starts[id(edit.after)]
            start = end = state.ends[id(edit.after)]
        else:
            start, indent = state.starts[id(edit.before)]
            end = start
        piece = CodegenState(default_indent=new.default_indent, default_newline=new.default_newline,
                             indent_tokens=list(indent))
        for node in edit.new:
            node._codegen(piece)
        yield offsets[start], offsets[end], "".join(piece.tokens)
