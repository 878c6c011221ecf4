"""Line and column of a few nodes, without libcst's PositionProvider.

PositionProvider computes a range for every node of the module (about 8x the cost of generating its code), while
a rule reports a handful of nodes, mostly none. This runs the same code generation with a state that notes the
position only of the nodes asked for; the numbers are PositionProvider's `start` (syntactic, 1-based line,
0-based column).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState


class _TargetedState(CodegenState):
    def __init__(self, targets: set[cst.CSTNode], **kwargs) -> None:
        super().__init__(**kwargs)
        self.targets = targets
        self.found: dict[cst.CSTNode, tuple[int, int]] = {}
        self._fallback: dict[cst.CSTNode, tuple[int, int]] = {}
        self._consumed = 0
        self._line, self._column = 1, 0

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
        if node in self.targets:
            self._fallback[node] = self._here()

    @contextmanager
    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None) -> Iterator[None]:
        if node not in self.targets:
            yield
            return
        if start_node is None:
            self.found[node] = self._here()
            yield
            return
        # The node's syntactic start is its child's (a call starts where its callee does).
        self.targets.add(start_node)
        yield
        self.found[node] = self.found.get(start_node) or self._fallback.get(start_node) or self._here()


def start_positions(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, tuple[int, int]]:
    """(line, column) where each node starts, as PositionProvider's `.start` gives it."""
    targets = set(nodes)
    state = _TargetedState(targets, default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return {node: state.found.get(node) or state._fallback.get(node, (0, 0)) for node in targets}
