"""Parse once, apply the rules in id order, repeat until nothing changes, and guard the result.

`repair_source` never raises: every outcome, a syntax error in the input or a rule that crashed included, comes back
as a `RepairResult`. A result with an error always carries the input unchanged, so nothing half-repaired is ever
written.
"""

from __future__ import annotations

import ast
import gc
import os
import re
import sys
import time
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Sequence

import libcst as cst

from repair.diff import diff_hunks, line_map, opcodes, split_lines
from repair.options import RepairOptions
from repair.transforms._base import Finding, Rule, RuleContext, all_rules, run_order, suppressions
from repair.transforms._cst import forget_walks, parse_module
from repair.transforms._triggers import SourceFacts

# A rule that does its work re-finds nothing on the next pass; more passes than this means two rules undo each other.
MAX_PASSES = 4
# The test suite sets this to check every spliced result against libcst's own code generation of the whole tree.
CHECK_SPLICED_CODE = os.environ.get("CDKTF_REPAIR_CHECK_SPLICE") == "1"
# libcst's trees nest where CPython's are flat (3,000 adjacent strings are one constant to `ast`, a chain 3,000 deep
# to libcst) and its visitors take about four frames a level: at Python's default limit of 1,000 frames a rule
# stopped at a few hundred levels ("CDK017 crashed: RecursionError" on pydoc's topics.py, 2,215 strings). The
# parsers accept no more than ~3,000 levels (CPython's `+` chains) or ~3,500 strings (libcst), and calls between
# Python functions take no C stack from 3.11 on, so a repair runs with room for that depth.
RECURSION_LIMIT = 30_000
# The filters' soundness check (tests/test_filters_sound.py): with this set, every rule runs on every file, its
# declared triggers ignored. The triggers are only allowed to save work, so results must not change.
FILTERS_OFF = "CDKTF_REPAIR_NO_FILTERS"
VARIANT = 0


def _filters_on() -> bool:
    return os.environ.get(FILTERS_OFF) != "1"


@dataclass(frozen=True)
class RepairError:
    kind: str  # "syntax", "decode", "io", "too-deep", "libcst-limit", "rule-crash", "invalid-output", "no-convergence"
    message: str
    line: int = 0
    column: int = 0

    def describe(self, path: str) -> str:
        where = f"{path}:{self.line}:{self.column}" if self.line else path
        return f"{where}: error: {self.message}"


@dataclass
class RepairResult:
    path: str
    source: str
    fixed_source: str
    findings: list[Finding] = field(default_factory=list)
    error: RepairError | None = None
    seconds: float = 0.0
    # Problems that did not stop the file, such as a markdown answer's code fragment that does not parse.
    warnings: list[RepairError] = field(default_factory=list)
    # Which rules wrote each line of fixed_source, and which removed lines at a position of it: the attribution
    # of every hunk of the diff to the repairs that made it.
    line_rules: list[frozenset[str]] = field(default_factory=list)
    removal_rules: dict[int, frozenset[str]] = field(default_factory=dict)
    _hunks: dict[int, list] = field(default_factory=dict, repr=False, compare=False)
    # The input is known to be Python that CPython reads (the triggers' `ast` parse of it succeeded).
    _python_ok: bool = field(default=False, repr=False, compare=False)

    def hunks(self, context: int = 3) -> list:
        """The hunks of the diff from `source` to `fixed_source`, diffed once per context: a batch item's patch
        and its review, or a check's report and its SARIF fixes, share them."""
        if context not in self._hunks:
            self._hunks[context] = diff_hunks(self.source, self.fixed_source, context)
        return self._hunks[context]

    def hunk_rules(self, hunk) -> list[str]:
        """The rule ids that made a hunk of the diff from `source` to `fixed_source`."""
        rules: set[str] = set()
        for line in hunk.changed_new_lines:
            if line < len(self.line_rules):
                rules |= self.line_rules[line]
        for position in hunk.removal_points:
            rules |= self.removal_rules.get(position, frozenset())
        return sorted(rules)

    @property
    def changed(self) -> bool:
        return self.fixed_source != self.source

    @property
    def unfixed(self) -> list[Finding]:
        """Findings still needing a hand: not fixed, and not suppressed on purpose."""
        return [f for f in self.findings if not f.fixed and not f.suppressed]

    @property
    def needs_repair(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]


def select_rules(keys: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> list[type[Rule]]:
    """Rules by id or slug; ValueError names the first key that matches no rule."""
    from repair.transforms._base import rule_by_key

    chosen = list(all_rules())
    if keys:
        chosen = []
        for key in keys:
            rule = rule_by_key(key)
            if rule is None:
                raise ValueError(f"unknown rule {key!r}")
            chosen.append(rule)
    ignored = set()
    for key in ignore:
        rule = rule_by_key(key)
        if rule is None:
            raise ValueError(f"unknown rule {key!r}")
        ignored.add(rule)
    return sorted((r for r in set(chosen) if r not in ignored), key=run_order)


def tune_collector() -> None:
    """For a process that repairs many files (the CLI, a batch worker). libcst builds tens of thousands of small
    objects for each file, and CPython's cyclic collector, at its default threshold (a collection every 700 new
    objects), runs every few statements of a tree and again and again promotes and rescans the trees still alive:
    12% of the real-file bench's time (bench/realfiles.py). A collection every 5,000 objects, with what was loaded
    before the first file (modules, the provider index's tables) frozen out of the collector's scans, halves that;
    nothing is kept longer than before except up to 5,000 objects of garbage in cycles."""
    gc.freeze()
    gc.set_threshold(5000, 10, 10)


def _python_syntax_problem(source: str, path: str) -> RepairError | None:
    try:
        compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return RepairError("syntax", f"syntax error: {exc.msg}", exc.lineno or 0, exc.offset or 0)
    except ValueError as exc:  # a NUL byte
        return RepairError("syntax", f"syntax error: {exc}")
    return None


def _check_depth(facts: SourceFacts) -> None:
    """Raises RecursionError for code nested deeper than CPython itself can build a tree of. libcst's native parser
    has no such guard: a chain of 10,000 `+` takes minutes and then overflows the C stack (a segfault that no
    `except` catches), while CPython refuses at about 3,000 levels in milliseconds. Only the depth is asked here;
    a syntax error is left to libcst, which reads newer grammar than the running CPython. The tree CPython builds
    is kept in the facts for the triggers still to be asked about this code."""
    if facts.ast_module is None and facts.refused_by_parser is not None:
        raise facts.refused_by_parser("refused by CPython's parser")


def _read_by_ast(facts: SourceFacts) -> bool:
    """Whether CPython has parsed this code already (for a trigger or the depth check), without error."""
    return facts.__dict__.get("ast_module") is not None


def _syntax_error(source: str, path: str, exc: cst.ParserSyntaxError) -> RepairError:
    # CPython's own message and position are the ones users know from tracebacks, and libcst's column is often 0.
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as py_exc:
        return RepairError("syntax", f"syntax error: {py_exc.msg}", py_exc.lineno or 0, py_exc.offset or 0)
    except ValueError:
        pass  # e.g. a NUL byte: fall back to libcst's report
    else:
        # Python accepts the code: the limit is libcst's (no more than ~3,500 adjacent strings; a parenthesized
        # annotated target, `(x): int`), and the code is not to be called wrong.
        return RepairError("libcst-limit", f"libcst cannot parse this code, which Python accepts ({exc.message}); left "
                           "as it is", exc.raw_line, exc.raw_column + 1)
    return RepairError("syntax", f"syntax error: {exc.message}", exc.raw_line, exc.raw_column + 1)


class _Attribution:
    """Follows each line through the rules' edits: which rules wrote it, and where rules removed lines. A rule's
    edits are known by where they are (the spans the base class spliced): the lines before the first and after the
    last are carried over as they were, and only the lines between are matched, old against new (the result is the
    whole-file diff's, without its cost)."""

    def __init__(self, lines: int) -> None:
        self.line_rules: list[frozenset[str]] = [frozenset()] * lines
        self.removal_rules: dict[int, set[str]] = {}

    def record(self, rule_id: str, before: str, after: str,
               replacements: Sequence[tuple[int, int, str]] | None = None) -> None:
        """A rule turned `before` into `after` by `replacements` ((start, end, new text) with offsets in `before`,
        in order), or by edits not known (None: the whole code is matched)."""
        old, new = split_lines(before), split_lines(after)
        head = tail = 0
        if replacements:
            first, last = replacements[0], replacements[-1]
            head = before.count("\n", 0, first[0])  # lines wholly before the first edit
            # Lines wholly after the last edit: the line its end is on may be joined to its replacement text.
            tail = len(old) - before.count("\n", 0, last[1]) - 1
        tags: list[frozenset[str]] = []
        removals: dict[int, set[str]] = {}
        codes = opcodes(old, new, head, max(tail, 0))
        for code in codes:
            if code.tag == "equal":
                tags += self.line_rules[code.a_start:code.a_end]
                continue
            touched = frozenset({rule_id}).union(*self.line_rules[code.a_start:code.a_end])
            tags += [touched] * (code.b_end - code.b_start)
            if code.b_end == code.b_start:
                removals.setdefault(code.b_start, set()).update(touched)
        starts = [code.a_start for code in codes]
        for position, rules in self.removal_rules.items():
            removals.setdefault(_moved(position, codes, len(new), starts), set()).update(rules)
        self.line_rules, self.removal_rules = tags, removals


def _moved(position: int, codes: list, new_count: int, starts: list[int] | None = None) -> int:
    """Where a line position of the old code is in the new: the same line where it was carried over, else the
    start of the change that replaced or removed it. `starts`: the codes' a_start, to find the few codes at a
    position by bisection (a file with thousands of removals would otherwise scan every code for each)."""
    if starts is None:
        starts = [code.a_start for code in codes]
    last = bisect_right(starts, position) - 1
    first = last
    while first > 0 and codes[first - 1].a_end >= position:
        first -= 1  # the codes that end at the position (an insertion there, the change before it)
    around = codes[max(first, 0):last + 1]
    for code in around:
        if code.tag == "equal" and code.a_start <= position < code.a_end:
            return code.b_start + position - code.a_start
    for code in around:
        if code.tag != "equal" and code.a_start <= position <= code.a_end:
            return code.b_start
    return new_count


def _compiles(code: str, path: str) -> str | None:
    try:
        compile(code, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def _invalid_output(source: str, fixed: str, path: str) -> str | None:
    """Why `fixed` is not valid Python, or None. CPython is the judge unless the input itself needs a newer Python
    than the one running (libcst parses 3.12+ syntax such as multi-line f-strings): then libcst alone decides."""
    # CPython's parser is the judge (and ~10x faster than re-parsing with libcst); only when CPython cannot read
    # the input either (3.12+ syntax on an older Python) does libcst decide.
    problem = _compiles(fixed, path)
    if problem is None:
        return None
    if _compiles(source, path) is None:
        return problem
    try:
        cst.parse_module(fixed)
    except cst.ParserSyntaxError as exc:
        return str(exc)
    return None


def repair_source(
    source: str,
    rules: Sequence[type[Rule]] | None = None,
    options: RepairOptions | None = None,
    path: str = "<string>",
) -> RepairResult:
    started = time.perf_counter()
    limit = sys.getrecursionlimit()
    if limit < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        return _repair_text(source, rules, options, path, started)
    finally:
        if limit < RECURSION_LIMIT:
            sys.setrecursionlimit(limit)


def _repair_text(source: str, rules: Sequence[type[Rule]] | None, options: RepairOptions | None, path: str,
                 started: float) -> RepairResult:
    # A byte-order mark and old Mac line endings (CR alone) are the file's, not the code's: the rules see plain
    # text, and the result is given back in the file's own form.
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    text = source[len(bom):]
    carriage_only = "\r" in text and "\n" not in text
    if carriage_only:
        text = text.replace("\r", "\n")
    try:
        if "\0" in text:
            # CPython refuses such a file whatever it holds (libcst reads a NUL in a comment): not Python, before
            # any rule, so that a file is never repaired once and refused the next time.
            where = text.index("\0")
            line = text.count("\n", 0, where) + 1
            column = where - (text.rfind("\n", 0, where) + 1) + 1
            result = RepairResult(path, text, text, error=RepairError(
                "syntax", "syntax error: source code string cannot contain null bytes", line, column))
        else:
            result = _repair(text, list(all_rules() if rules is None else rules), options or RepairOptions(), path)
        if result.error is None and not result.findings and result.fixed_source == text and not result._python_ok:
            # No rule looked at the tree (nothing triggered): still, a file that is not Python must be said so.
            problem = _python_syntax_problem(text, path)
            if problem is not None:
                result = replace(result, error=problem)
    except (RecursionError, MemoryError) as exc:
        # Deep nesting (a generated expression thousands of levels deep) exhausts the parsers: this file alone fails.
        what = "nested too deeply to parse" if isinstance(exc, RecursionError) else "too large to parse in memory"
        result = RepairResult(path, text, text, error=RepairError("too-deep", f"{what}; left as it is"))
    finally:
        forget_walks()  # the file's trees are done with: a long-lived process keeps none of them
    if bom or carriage_only:
        def restored(code: str) -> str:
            return bom + (code.replace("\n", "\r") if carriage_only else code)

        result = replace(result, source=source, fixed_source=restored(result.fixed_source),
                                     _hunks={})
    result.seconds = time.perf_counter() - started
    return result


_WORD = re.compile(r"\w+")


def _original_column(current: str, original: str, column: int) -> int:
    """The 1-based column in the user's line `original` of what starts at `column` of `current`, the line of the
    code a rule saw that stands for it: the same where the line is unchanged; where an earlier rule rewrote it, the
    same occurrence of the word there (`from imports.aws.vpc import Vpc, RouteTable` -> `from
    cdktf_cdktf_provider_aws.vpc import Vpc, RouteTable`: RouteTable 13 columns to the left), else as it was."""
    if current == original:
        return column
    word = _WORD.match(current, column - 1)
    if word is None:
        return column
    pattern = re.compile(rf"(?<!\w){re.escape(word.group())}(?!\w)")
    ordinal = len(pattern.findall(current, 0, column - 1))
    found = list(pattern.finditer(original))
    return found[ordinal].start() + 1 if ordinal < len(found) else column


def _repair(source: str, rules: list[type[Rule]], options: RepairOptions, path: str) -> RepairResult:
    def failed(error: RepairError, findings: Sequence[Finding] = ()) -> RepairResult:
        return RepairResult(path, source, source, list(findings), error)

    filters = _filters_on()
    facts = SourceFacts(source, options.provider_index)  # what the rules' triggers read, once per version of the code
    first_facts = facts
    if filters and not any(rule.may_apply(facts, options) for rule in rules):
        return RepairResult(path, source, source, _python_ok=_read_by_ast(facts))
    # libcst's tree is built only once a rule's trigger holds.
    module: cst.Module | None = None
    parsed: cst.Module | None = None  # the tree libcst parsed, which holds each node object once

    original_lines = split_lines(source)
    findings: dict[tuple, Finding] = {}
    wrappers: dict = {}  # metadata of the current tree, shared by the rules until one changes it
    attribution = _Attribution(len(original_lines))
    current = source
    mapped_version: str | None = None
    to_original: list[int] | None = None
    # Rule -> the code it last ran on and what it reported there, for a rule that changed nothing: a rule is
    # deterministic, so a later pass that hands it the same code would only hear the same again (the confirmation
    # pass re-runs every rule on the fixed code; those after the last change need not run). A filter like the
    # triggers: CDKTF_REPAIR_NO_FILTERS=1 runs them all.
    settled: dict[type[Rule], tuple[str, list[tuple]]] = {}
    for _ in range(MAX_PASSES):
        pass_changed = False
        # What the rules report on the code as it stands in this pass: the last pass sees the final code, and a
        # finding left to a hand that it no longer reports was settled by a later rule (an unknown keyword whose
        # invented block another rule flattened) and is not the user's to fix.
        reported_now: set[tuple] = set()
        suppressed_lines = suppressions(current)
        for rule_class in rules:
            if filters and not rule_class.may_apply(facts, options):
                continue
            if filters and rule_class in settled and settled[rule_class][0] == current:
                reported_now.update(settled[rule_class][1])
                continue
            project = None
            if rule_class.needs_project or rule_class.reads_project:
                project = options.project_for(path)
                if project is None and rule_class.needs_project:
                    continue  # a lone file: nothing to check it against
                if filters and project is not None and not rule_class.may_apply_in(project, path, facts):
                    continue
            if module is None:
                _check_depth(facts)  # the facts of the source: no rule has changed it yet
                try:
                    module = parsed = parse_module(source)
                except cst.ParserSyntaxError as exc:
                    return failed(_syntax_error(source, path, exc))
            rule = rule_class(RuleContext(filename=path, project=project), options, wrappers, suppressed_lines,
                              code=current, single_nodes=module is parsed)
            try:
                new_module = rule.transform_module(module)
            except Exception as exc:  # a rule bug must cost only this file, and say where it came from
                return failed(RepairError("rule-crash", f"{rule_class.id} crashed: {type(exc).__name__}: {exc}"))
            reported: list[tuple] = []
            if rule.findings:
                # Positions are in the code the rule saw; report them in the file as the user wrote it.
                # One map per version of the code, shared by every rule that reports on it.
                if mapped_version is not current:
                    mapped_version = current
                    current_lines = split_lines(current)
                    to_original = line_map(original_lines, current_lines) if current != source else None
                for finding in rule.findings:
                    line, column = finding.line, finding.column
                    if to_original is not None and 0 < line <= len(to_original):
                        line = to_original[line - 1] + 1
                        if line <= len(original_lines):
                            column = _original_column(current_lines[finding.line - 1], original_lines[line - 1],
                                                      column)
                    key = (finding.rule_id, line, finding.message)
                    reported.append(key)
                    if key not in findings:
                        findings[key] = replace(finding, line=line, column=column)
                reported_now.update(reported)
            # A rule changes code only together with a fixed finding (the contract in _base.Rule), so a rule that
            # fixed nothing left the tree as it was: no need to generate and compare its code.
            if not any(f.fixed for f in rule.findings):
                settled[rule_class] = (current, reported)
                continue
            new_code = rule.result_code
            if new_code is None:
                new_code = new_module.code
            elif CHECK_SPLICED_CODE and new_code != new_module.code:
                return failed(RepairError("rule-crash", f"{rule_class.id}: spliced code differs from the generated "
                                          "code (repair.transforms._splice)"))
            if new_code != current:
                attribution.record(rule_class.id, current, new_code, rule.replacements)
                module, current, pass_changed = new_module, new_code, True
                facts = SourceFacts(current, options.provider_index)
        if not pass_changed:
            findings = {k: f for k, f in findings.items() if f.fixed or k in reported_now}
            break
    else:
        return failed(RepairError("no-convergence",
                                  f"the repairs did not settle after {MAX_PASSES} passes (a rule bug); file left as it was"),
                      findings.values())

    ordered = sorted(findings.values(), key=lambda f: (f.line, f.column, f.rule_id))
    if current != source:
        # The guard: whatever the rules did must still be Python that libcst and CPython both accept.
        problem = _invalid_output(source, current, path)
        if problem:
            return failed(RepairError("invalid-output", f"a repair produced invalid Python ({problem}); file left as "
                                      "it was"), ordered)
    return RepairResult(path, source, current, ordered, line_rules=attribution.line_rules,
                        removal_rules={k: frozenset(v) for k, v in attribution.removal_rules.items()},
                        _python_ok=current == source and _read_by_ast(first_facts))
