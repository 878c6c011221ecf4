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
