"""The engine's parse (`_cst.parse_module`) skips libcst's per-node validation of what its parser builds: the tree
must be libcst's own, and every node built afterwards (a rule's) must still be validated."""

from __future__ import annotations

import libcst as cst
import pytest

from conftest import BROKEN, FIXED, sample_files
from repair.transforms import _cst
from repair.transforms._cst import parse_module


@pytest.mark.parametrize("relative", sample_files(), ids=str)
def test_the_tree_is_libcsts_own(relative):
    for folder in (BROKEN, FIXED):
        path = folder / relative
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        ours = parse_module(source)
        assert ours.deep_equals(cst.parse_module(source))
        assert ours.code == source


def test_the_parser_builds_nodes_without_validating_them(monkeypatch):
    validated = []
    original = cst.Name._validate
    monkeypatch.setattr(cst.Name, "_validate", lambda self: validated.append(self.value) or original(self))
    cst.parse_module("x = y\n")
    assert validated == ["x", "y"]  # libcst's parse validates every node it builds
    validated.clear()
    parse_module("x = y\n")
    assert validated == []
    cst.Name("z")  # a node built after the parse is validated again
    assert validated == ["z"]


@pytest.mark.parametrize("source", ["x = (\n", "def f(:\n    pass\n"])
def test_validation_is_back_after_a_syntax_error(source):
    with pytest.raises(cst.ParserSyntaxError):
        parse_module(source)
    assert cst.CSTNode.__post_init__ is _cst._VALIDATING
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")


@pytest.mark.parametrize("relative", sample_files(), ids=str)
def test_code_generation_without_generators_writes_libcsts_code_and_positions(relative, monkeypatch):
    # _cst replaces two of libcst's context managers for every expression's code: same tokens, same positions.
    from libcst._nodes.expression import _BaseParenthesizedNode
    from libcst._nodes.internal import CodegenState
    from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

    from repair.transforms._positions import start_positions

    assert _BaseParenthesizedNode._parenthesize is _cst._parenthesize  # installed on import

    def generated(source: str):
        tree = cst.parse_module(source)
        expressions = [n for n in _cst.walk(tree) if isinstance(n, cst.BaseExpression)]
        wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        spans = wrapper.resolve(WhitespaceInclusivePositionProvider)
        return (tree.code, [_cst.code_of(n) for n in expressions], [positions[n] for n in expressions],
                [spans[n] for n in expressions], list(start_positions(tree, expressions).values()))

    for folder in (BROKEN, FIXED):
        path = folder / relative
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8") + "value = ((a) + (b, c))[(0)]\n"
        ours = generated(source)
        with monkeypatch.context() as libcsts:
            libcsts.setattr(_BaseParenthesizedNode, "_parenthesize", _cst._PARENTHESIZE)
            libcsts.setattr(CodegenState, "record_syntactic_position", _cst._RECORD_SYNTACTIC_POSITION)
            assert ours == generated(source)
        assert ours[0] == source
