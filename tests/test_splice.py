"""The code of a rule's output is spliced from the code it read; it must be exactly libcst's code generation."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from conftest import BROKEN, FIXED, sample_files
from repair import engine
from repair.engine import repair_source
from repair.options import RepairOptions
from repair.transforms._base import RuleContext, all_rules
from repair.transforms._cst import add_keyword_arg, apply_leaves, remove_statements
from repair.transforms._positions import start_positions
from repair.transforms._splice import edits, positions_and_code


def _rule_outputs(source: str, options: RepairOptions, path: str):
    """(rule, input tree, input code, output tree) for each rule that repaired something, applied in turn, each rule
    given the file's project as the engine gives it (a rule that needs one changes nothing without it)."""
    tree, code = cst.parse_module(source), source
    for rule_class in all_rules():
        if not rule_class.may_apply(code, options):
            continue
        project = options.project_for(path) if rule_class.needs_project or rule_class.reads_project else None
        if project is None and rule_class.needs_project:
            continue
        rule = rule_class(RuleContext(filename=path, project=project), options)
        result = rule.transform_module(tree)
        if any(f.fixed for f in rule.findings):  # as the engine: a rule changes code only with a fixed finding
            yield rule_class, tree, code, result
            tree, code = result, result.code


def _cases():
    """(source, options, path, whether the rules change it) of each broken sample and each example with an after."""
    for relative in sample_files():
        broken = (BROKEN / relative).read_text(encoding="utf-8")
        changes = broken != (FIXED / relative).read_text(encoding="utf-8")
        yield pytest.param(broken, RepairOptions(), str(BROKEN / relative), changes, id=str(relative))
    for rule in all_rules():
        for n, example in enumerate(rule.examples):
            if example.after is not None:
                yield pytest.param(example.before, example.options, example.path, True, id=f"{rule.id}-example-{n}")


@pytest.mark.parametrize(("source", "options", "path", "changes"), _cases())
def test_spliced_code_is_the_generated_code(source, options, path, changes):
    outputs = list(_rule_outputs(source, options, path))
    assert bool(outputs) == changes, "the rules changed nothing" if changes else "the rules changed a valid sample"
    for rule_class, tree, code, result in outputs:
        _, spliced, _ = positions_and_code(tree, code, result, [])
        assert spliced is not None, f"{rule_class.id}: fell back to generating the whole module"
        assert spliced == result.code, rule_class.id


@pytest.mark.parametrize(("source", "options", "path", "changes"), _cases())
def test_a_parsed_tree_is_generated_only_up_to_its_last_measured_node(source, options, path, changes):
    # The first rule to change a freshly parsed tree: stopping after the last reported or edited node gives the
    # same positions, code and replacements as generating the whole module; so does positioning any few nodes.
    for rule_class, tree, code, result in _rule_outputs(source, options, path):
        nodes = [n for n in _walk(tree) if isinstance(n, (cst.Call, cst.Name, cst.SimpleStatementLine))]
        reported = nodes[len(nodes) // 3::max(1, len(nodes) // 7)]
        assert positions_and_code(tree, code, result, reported, True) == positions_and_code(tree, code, result,
                                                                                            reported), rule_class.id
        assert start_positions(tree, reported, True) == start_positions(tree, reported)
        break


class _Unprintable(cst.Pass):
    def _codegen_impl(self, state, **kwargs):
        raise AssertionError("generated past the last node asked for")


def test_the_generation_stops_after_the_last_node_asked_for():
    tree = _module("""\
        x = f(1)
        y = g(2)
        """)
    tree = tree.with_changes(body=[*tree.body, cst.SimpleStatementLine([_Unprintable()])])
    call = tree.body[1].body[0].value
    assert start_positions(tree, [call], single_nodes=True) == {call: (2, 4)}
    assert start_positions(tree, [call]) == {call: (2, 4)}  # it appears once: the same
    # A node that appears twice (a rule's output may reuse one): the whole module is generated.
    twice = tree.with_changes(body=[*tree.body[:2], cst.SimpleStatementLine([cst.Expr(call)]), tree.body[2]])
    with pytest.raises(AssertionError, match="generated past"):
        start_positions(twice, [call])
    new = apply_leaves(tree, {call: lambda c: c.with_changes(func=cst.Name("h"))})
    positions, code, replacements = positions_and_code(tree, "x = f(1)\ny = g(2)\npass\n", new, [call], True)
    assert positions == {call: (2, 4)} and code == "x = f(1)\ny = h(2)\npass\n" and replacements == [(13, 14, "h")]
    # What was generated must be the start of the text the caller holds.
    assert positions_and_code(tree, "x = f(10)\ny = g(2)\npass\n", new, [call], True)[1] is None


def test_the_review_system_regenerates_only_what_its_repairs_touched():
    path = BROKEN / "review_system" / "lib" / "tap_stack.py"
    fired = []
    for rule_class, tree, _, result in _rule_outputs(path.read_text(encoding="utf-8"), RepairOptions(), str(path)):
        found = edits(tree, result)
        regenerated = sum(len(cst.Module([]).code_for_node(n)) for e in found for n in e.new)
        assert found and regenerated < len(result.code) / 4, rule_class.id  # (a removal regenerates nothing)
        fired.append(rule_class.id)
    assert fired == ["CDK001", "CDK002", "CDK003", "CDK004", "CDK005"]


def _module(code: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(code))


def test_an_added_argument_regenerates_its_call_not_the_argument():
    # An argument's comma is passed in by its call, so an argument is never regenerated on its own.
    tree = _module("""\
        class Stack:
            def __init__(self):
                Deployment(self, "d",
                           rest_api_id=api.id)  # keep me
        """)
    call = next(n for n in _walk(tree) if isinstance(n, cst.Call))
    new = apply_leaves(tree, {call: lambda c: add_keyword_arg(c, "depends_on", cst.parse_expression("[a, b]"))})
    found = edits(tree, new)
    assert [type(n).__name__ for e in found for n in e.old] == ["Call"]
    _, spliced, _ = positions_and_code(tree, tree.code, new, [])
    assert spliced == new.code
    assert "rest_api_id=api.id,\n                   depends_on=[a, b])  # keep me\n" in spliced


def test_a_removed_statement_is_a_run_of_its_block():
    tree = _module("""\
        class Stack:
            def __init__(self):
                first()

                # about the override
                self.add_override("x", True)
                last()
        """)
    block = next(n for n in _walk(tree) if isinstance(n, cst.FunctionDef)).body
    drop = [False, True, False]
    body, footer = remove_statements(block.body, drop, block.footer)
    new = apply_leaves(tree, {block: lambda b: b.with_changes(body=body, footer=footer)})
    _, spliced, _ = positions_and_code(tree, tree.code, new, [])
    assert spliced == new.code
    assert "add_override" not in spliced and "about the override" not in spliced


def test_an_inserted_first_import_goes_before_the_old_first_statement():
    tree = _module('"""doc"""\nimport os\n')
    statement = cst.parse_statement("from a import b\n")
    new = tree.with_changes(body=[statement, *tree.body])
    _, spliced, _ = positions_and_code(tree, tree.code, new, [])
    assert spliced == new.code == 'from a import b\n"""doc"""\nimport os\n'


def test_whole_module_fallbacks():
    no_final_newline = cst.parse_module("x = 1\ny = 2")
    renamed = apply_leaves(no_final_newline, {no_final_newline.body[1].body[0].targets[0].target:
                                              lambda n: n.with_changes(value="z")})
    assert edits(no_final_newline, renamed) is None
    assert positions_and_code(no_final_newline, no_final_newline.code, renamed, [])[1] is None

    # The same node object twice in a tree: its span is ambiguous, so nothing is spliced.
    shared = cst.parse_statement("x = 1\n")
    twice = cst.Module(body=[shared, shared])
    changed = twice.with_changes(body=[shared, cst.parse_statement("y = 2\n")])
    assert positions_and_code(twice, twice.code, changed, [])[1] is None

    # A tree that is not the text the caller holds: what is generated up to the last measured node must be the start
    # of that text, and all of it when the whole module is generated.
    tree = cst.parse_module("x = 1\ny = 2\n")
    other = tree.with_changes(body=[tree.body[0], cst.parse_statement("y = 3\n")])
    assert positions_and_code(tree, "x = 10\ny = 2\n", other, [])[1] is None
    tree = cst.parse_module("x = 1\n")
    other = tree.with_changes(body=[cst.parse_statement("x = 2\n")])
    # After the last measured node (here the literal `1`) the text is the caller's, unread: the engine hands a rule
    # the code its tree was parsed or spliced from, which the suite checks (CDKTF_REPAIR_CHECK_SPLICE).
    assert positions_and_code(tree, "x = 10\n", other, [])[1] == "x = 20\n"


def test_the_engine_refuses_a_splice_that_differs(monkeypatch):
    import repair.transforms._base as base

    assert engine.CHECK_SPLICED_CODE, "tests/conftest.py turns the check on for the whole suite"
    monkeypatch.setattr(base, "positions_and_code",
                        lambda old, code, new, reported, single=False: ({n: (1, 0) for n in reported}, "wrong\n", None))
    source = (BROKEN / "backend_use_lockfile" / "self_override_with_comment.py").read_text(encoding="utf-8")
    result = repair_source(source)
    assert result.error is not None and "spliced code differs" in result.error.message
    assert result.fixed_source == source


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)
