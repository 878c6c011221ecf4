"""Line and column of a few nodes, without libcst's PositionProvider.

PositionProvider computes a range for every node of the module (about 8x the cost of generating its code), while
a rule reports a handful of nodes, mostly none. This runs the same code generation with a state that notes the
position only of the nodes asked for; the numbers are PositionProvider's `start` (syntactic, 1-based line,
0-based column).
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState

from repair.transforms._cst import walk


# Returned for every node that is not a target: libcst calls record_syntactic_position for most nodes, and a
# generator-based context manager per call cost more than the rest of this state's work.
_NOTHING = nullcontext()


class GeneratedThrough(Exception):
    """Ends a code generation once every node it waits for has been generated (`_TargetedState.stop_after`)."""


class _TargetedState(CodegenState):
    """Notes where the target nodes start. Targets are kept by id(): libcst nodes hash in Python, and this state
    looks up every node of the module."""

    def __init__(self, targets: Iterable[cst.CSTNode], **kwargs) -> None:
        super().__init__(**kwargs)
        self.targets = {id(n) for n in targets}
        self.found: dict[int, tuple[int, int]] = {}
        self._fallback: dict[int, tuple[int, int]] = {}
        self._consumed = 0
        self._line, self._column = 1, 0
        self._awaited: set[int] = set()

    def stop_after(self, nodes: Iterable[cst.CSTNode]) -> None:
        """End the generation (raise GeneratedThrough) as soon as all of `nodes` have been generated: the code after
        them tells nothing about them. Only for a tree that holds each node object once (libcst's parser makes no
        other), where a node's first appearance is its only one."""
        self._awaited = {id(n) for n in nodes}
        if self._awaited:
            # An instance attribute: a generation that waits for nothing pays no extra call per node.
            self.after_codegen = self._after_codegen_awaiting

    def _after_codegen_awaiting(self, node: cst.CSTNode) -> None:
        type(self).after_codegen(self, node)
        key = id(node)
        if key in self._awaited:
            self._awaited.discard(key)
            if not self._awaited:
                raise GeneratedThrough

    def _here(self) -> tuple[int, int]:
        for token in self.tokens[self._consumed:]:
            newlines = token.count("\n")
            if newlines:
                self._line += newlines
                self._column = len(token) - token.rfind("\n") - 1
            else:
                self._column += len(token)
        self._consumed = len(self.tokens)
        return self._line, self._column

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.targets:
            self._fallback[id(node)] = self._here()

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None):
        if id(node) not in self.targets:
            return _NOTHING
        if start_node is None:
            self.found[id(node)] = self._here()
            return _NOTHING
        return self._record_from(node, start_node)

    @contextmanager
    def _record_from(self, node: cst.CSTNode, start_node: cst.CSTNode) -> Iterator[None]:
        # The node's syntactic start is its child's (a call starts where its callee does).
        self.targets.add(id(start_node))
        yield
        key = id(start_node)
        self.found[id(node)] = self.found.get(key) or self._fallback.get(key) or self._here()

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        key = id(node)
        return self.found.get(key) or self._fallback.get(key, (0, 0))


def appear_once(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> bool:
    """Whether each of the nodes appears exactly once in the module (its walk, which the rules keep for the tree
    they read): then a generation may stop after them, as on a tree libcst parsed. A rule's output may hold a node
    twice (the same object reused), and then which appearance is meant is not known."""
    seen = {id(n): 0 for n in nodes}
    for node in walk(module):
        key = id(node)
        if key in seen:
            seen[key] += 1
    return all(count == 1 for count in seen.values())


def start_positions(module: cst.Module, nodes: Iterable[cst.CSTNode],
                    single_nodes: bool = False) -> dict[cst.CSTNode, tuple[int, int]]:
    """(line, column) where each node starts, as PositionProvider's `.start` gives it. With `single_nodes` (the
    module holds each node object once: a tree libcst parsed), or where each of them appears once, the code after
    the last of them is not generated."""
    targets = list(nodes)
    state = _TargetedState(targets, default_indent=module.default_indent, default_newline=module.default_newline)
    if single_nodes or appear_once(module, targets):
        state.stop_after(targets)
    try:
        module._codegen(state)
    except GeneratedThrough:
        pass
    return {node: state.position(node) for node in targets}
