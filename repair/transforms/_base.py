"""What every rule is made of, and how the rules are found.

A rule is one module in this package: a `Rule` subclass holding its metadata (stable id, slug, severity, the deploy
error it prevents, a link), its libcst transform and before/after examples. The examples are data the test suite
turns into cases, so a rule documents and tests itself in one place (the Fixit 2 layout). Rules are discovered by
importing every public module of the package: adding a file is all it takes, there is no list to update.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
import string
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import ClassVar, Iterator, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper

from repair.options import RepairOptions
from repair.transforms._positions import start_positions
from repair.transforms._splice import positions_and_code
from repair.transforms._triggers import SourceFacts, Trigger, as_trigger


class Phase(enum.IntEnum):
    """When a rule runs in a pass. Rules that change the structure a file is read by (which names are imported,
    what the stack's constructor accepts, how the module's Python parses) run before the rules that read it."""

    STRUCTURE = 1
    REPAIR = 2


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Example:
    """`before` is repaired into `after`; with `after=None` the code is valid and must come back unchanged."""

    before: str
    after: str | None = None
    # Options the example runs with (for instance a target Terraform version).
    options: RepairOptions = field(default_factory=RepairOptions)
    # The file the example is, for a rule that reads where a file sits in its project.
    path: str = "<string>"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    slug: str
    line: int  # 1-based, in the source as given
    column: int  # 1-based
    message: str
    fixed: bool
    # Left alone on purpose: a `# repair: ignore[ID]` comment on its line.
    suppressed: bool = False
    # The finding's own names (the class, module, keyword it is about), as (key, value) pairs: what the rule's
    # `prevents_template` is rendered with, so each finding quotes its own error, never the catalog's example.
    facts: tuple[tuple[str, str], ...] = ()

    def prevents(self) -> str:
        """The error this finding's code fails with, in its own names."""
        rule = rule_by_key(self.rule_id)
        return rule.prevents_for(dict(self.facts)) if rule else ""


@dataclass(frozen=True)
class JsonFinding:
    """A failure class found in synthesized Terraform JSON (what `repair verify` checks after synth)."""

    rule_id: str  # the repair rule whose failure class this is
    address: str  # e.g. aws_api_gateway_deployment.reviews-api-deployment, or terraform.backend.s3
    message: str


# `# repair: ignore` (every rule) or `# repair: ignore[CDK002, CDK005]` (those rules), on the line of a finding.
_SUPPRESSION = re.compile(r"#\s*repair:\s*ignore(?:\[([A-Za-z0-9_,\s-]*)\])?")


def suppressions(source: str) -> dict[int, frozenset[str] | None]:
    """1-based line -> the rule ids (or slugs) suppressed there, None meaning all rules."""
    if "repair:" not in source:
        return {}
    found: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(source.split("\n"), 1):
        match = _SUPPRESSION.search(line)
        if match:
            keys = match.group(1)
            found[number] = None if keys is None else frozenset(k.strip() for k in keys.split(",") if k.strip())
    return found


@dataclass(frozen=True)
class RuleContext:
    """What a rule knows of its file: the part of libcst's CodemodContext that rules use (`filename`, and
    `wrapper` while the rule runs). A CodemodContext works too, so libcst's codemod CLI can run a rule."""

    filename: str | None = None
    wrapper: MetadataWrapper | None = None
    # The project the file belongs to (repair.project.ProjectContext), for the rules that set `needs_project` or
    # `reads_project`; None for the others, and for a lone file.
    project: object | None = None


class Rule(cst.CSTTransformer):
    """Base of every repair. Subclasses set the metadata and implement the libcst transform.

    A rule is a libcst codemod in all but name: `Rule(context).transform_module(tree)` runs it, subclasses
    override `transform_module_impl` (or the transformer's visit/leave methods). It does not derive from libcst's
    CodemodCommand because importing `libcst.codemod` (and through it `libcst.matchers`) costs 0.4 s, two thirds of
    `repair`'s start-up, for machinery (import visitors, deep copies) the rules do not use.

    A rule reports each problem it sees with `report(node, ...)`: `fixed=True` when its transform repairs it,
    `fixed=False` when it can only point at it (the engine then tells the user the file still needs a hand).
    Contract: a rule changes the code only together with a fixed finding; the engine ignores the tree of a rule
    that reported no fix.
    """

    id: ClassVar[str]
    slug: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    # The error the broken code produces at synth, init or deploy time, quoted the way the tool prints it: the
    # catalog's example. `prevents_template` is the same error with `{fact}` fields that each finding fills with
    # its own names (see `report(..., facts=...)`); a rule whose error names nothing of the code needs none.
    prevents: ClassVar[str]
    prevents_template: ClassVar[str | None] = None
    doc_url: ClassVar[str]
    examples: ClassVar[Sequence[Example]] = ()
    phase: ClassVar[Phase] = Phase.REPAIR
    # The proofs the rule owns (`repair verify` collects them from every rule): patterns of the first line of a
    # synth error that this rule's failure class produces, and `check_terraform_json` below for what synth lets
    # through and only init or apply would show.
    synth_errors: ClassVar[Sequence[str]] = ()
    # What the source must show for the rule to possibly apply (repair/transforms/_triggers.py): substrings of which
    # it must contain one, or a Trigger (patterns, provider arguments of a kind, ...). A declaration the engine tests
    # on facts read once per file, not a second matcher: it saves parsing and visiting files the rule cannot touch.
    triggers: ClassVar[Sequence[str] | Trigger] = ()
    # A rule whose failure class has no repair that follows from the code (the user must choose a value): it only
    # reports, so it has no before/after example and its samples come back unchanged.
    reports_only: ClassVar[bool] = False
    # The rule reads the file's project (`context.project`): the engine resolves it for this rule only.
    needs_project: ClassVar[bool] = False
    # The rule reads the file's project when it has one (`context.project`), and still runs on a lone file.
    reads_project: ClassVar[bool] = False
    # How a reviewer's failure analysis names this rule's failure class in a heading: phrases of words matched in
    # order, case-insensitively, a word also matching its plural, `*` any one word ("invalid * backend").
    # `bench/agreement.py` compares the rules the tool reports on an answer with those its human analysis names.
    analysis_keywords: ClassVar[Sequence[str]] = ()

    def __init__(
        self,
        context=None,
        options: RepairOptions | None = None,
        wrappers: dict[cst.Module, MetadataWrapper] | None = None,
        suppressed_lines: dict[int, frozenset[str] | None] | None = None,
        code: str | None = None,
        single_nodes: bool = False,
    ) -> None:
        super().__init__()
        self.context = context if context is not None else RuleContext()
        self.options = options or RepairOptions()
        self.findings: list[Finding] = []
        # The code of the tree this rule will be given, when the caller has it: then the code of the rule's output
        # is spliced from it (`result_code`) instead of generated whole.
        self._code = code
        self.result_code: str | None = None
        # How result_code was made from the code: (start, end, new text) spans of it, in order; None when unknown.
        # The engine attributes the changed lines to this rule from them.
        self.replacements: list[tuple[int, int, str]] | None = None
        self._suppressions = suppressed_lines or {}
        # Shared by the rules of one engine run: a tree that a rule left unchanged is not analysed again.
        self._wrappers = wrappers if wrappers is not None else {}
        # The tree this rule will be given holds each node object once (libcst parsed it; a rule's output may hold
        # a node twice): then the code generations that position nodes stop after the last one asked for.
        self._single_nodes = single_nodes

    @classmethod
    def category(cls) -> str:
        """The rule's category: the sub-package of repair.transforms it lives in (imports, types, structure,
        deploy)."""
        parts = cls.__module__.split(".")
        return parts[2] if len(parts) > 3 else "general"

    @classmethod
    def source_path(cls) -> str:
        """The rule's module, relative to the repository: `repair/transforms/deploy/backend_use_lockfile.py`."""
        return cls.__module__.replace(".", "/") + ".py"

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        """This rule's failure class in one synthesized stack (`cdk.tf.json` as a dict), by resource address."""
        return []

    @classmethod
    def only_reportable(cls, finding: dict) -> str | None:
        """Why a finding of `check_terraform_json` (as a dict) is one no repair of the code settles, when the rule
        knows it by the finding alone (a setting Terraform cannot take whatever the code); None otherwise."""
        return None

    @classmethod
    def explains_synth_error(cls, error_type: str, first_line: str) -> bool:
        """Whether a synth error (its type and first line) is this rule's failure class."""
        # The first line usually starts with the error's type already (jsii's RuntimeError lines may not).
        text = first_line if first_line.startswith(error_type) else f"{error_type}: {first_line}"
        return any(re.search(pattern, text) for pattern in cls.synth_errors)

    @classmethod
    def named_in(cls, heading: str) -> bool:
        """Whether a heading of a human failure analysis names this rule's failure class (`analysis_keywords`)."""
        words = re.findall(r"[a-z0-9_]+", heading.lower())
        for keyword in cls.analysis_keywords:
            wanted = keyword.lower().split()
            for start in range(len(words) - len(wanted) + 1):
                if all(w == "*" or words[start + k] in (w, w + "s", w + "es")
                       for k, w in enumerate(wanted)):
                    return True
        return False

    @classmethod
    def prevents_for(cls, facts: dict[str, str] | None = None) -> str:
        """The error prevented, rendered with a finding's facts; a fact the finding lacks shows as `<fact>`."""
        if cls.prevents_template is None:
            return cls.prevents
        return string.Formatter().vformat(cls.prevents_template, (), _Placeholders(facts or {}))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """The rule as a plain transformer by default; rules that analyse first override this."""
        return tree.visit(self)

    @contextmanager
    def _metadata_for(self, module: cst.Module) -> Iterator[cst.Module]:
        # libcst deep-copies the module for each codemod so that no node appears twice in a tree; the engine hands
        # the rules trees that no one else edits, so the copy is skipped and the wrapper reused across rules.
        wrapper = self._wrappers.get(module)
        if wrapper is None:
            self._wrappers.clear()
            wrapper = self._wrappers[module] = MetadataWrapper(module, unsafe_skip_copy=True)
        old_wrapper = self.context.wrapper
        with self.resolve(wrapper):
            self.context = replace(self.context, wrapper=wrapper)
            try:
                yield wrapper.module
            finally:
                self.context = replace(self.context, wrapper=old_wrapper)

    @property
    def provider_imports(self):
        """Which local names of the file being transformed stand for which provider classes and modules
        (`_provider_imports.ProviderBindings`): resolved once per tree and shared by every rule that reads it."""
        from repair.transforms._provider_imports import provider_bindings

        module = self.context.wrapper.module
        # Kept beside the tree's metadata wrapper in the dict the engine shares between its rules, which is
        # cleared as soon as a rule hands on a new tree.
        key = (module, "provider_imports")
        if key not in self._wrappers:
            self._wrappers[key] = provider_bindings(module)
        return self._wrappers[key]

    def node_metadata(self, provider, node: cst.CSTNode, default=None):
        """Metadata computed on first use: most files give a rule nothing to report, and then no position or
        scope analysis is paid for."""
        return self.context.wrapper.resolve(provider).get(node, default)

    @classmethod
    def trigger(cls) -> Trigger:
        """The rule's `triggers` as a Trigger."""
        declared = cls.__dict__.get("_trigger")
        if declared is None or declared[0] is not cls.triggers:
            declared = (cls.triggers, as_trigger(cls.triggers))
            setattr(cls, "_trigger", declared)
        return declared[1]

    @classmethod
    def may_apply(cls, source: str | SourceFacts, options: RepairOptions) -> bool:
        """False only when the rule certainly has nothing to do in `source` (then the file is not even parsed
        for it): its declared trigger tested on the code (or on the engine's facts of it, shared by all rules).
        Checked again on each pass, so a rule whose problem is gone is not re-run."""
        facts = source if isinstance(source, SourceFacts) else SourceFacts(source, options.provider_index)
        verdict = facts.verdicts.get(cls)
        if verdict is None:
            verdict = facts.verdicts[cls] = cls.trigger().test(facts)
        return verdict

    @classmethod
    def may_apply_in(cls, project, path: str, facts: SourceFacts | None = None) -> bool:
        """For a rule that reads the project: False only when the rule certainly has nothing to do in the file at
        `path` of `project` (repair.project.ProjectContext), whatever its code (the project's entry itself, for a
        rule about the modules the entry imports), or given what `facts` read of its code (the engine's; None: the
        code is not known). Like `may_apply`, a filter: it saves parsing the file."""
        return True

    def transform_module(self, tree: cst.Module) -> cst.Module:
        self._pending: list[tuple[cst.CSTNode, str, bool, tuple]] = []
        with self._metadata_for(tree) as module:
            result = self.transform_module_impl(module)
        reported = [node for node, _, _, _ in self._pending]
        if self._code is not None and result is not tree:
            # One targeted code generation of the input positions the findings and measures the edited spans.
            positions, self.result_code, self.replacements = positions_and_code(
                tree, self._code, result, reported, self._single_nodes)
        elif reported:
            # One code generation for all of this run's positions.
            positions = start_positions(tree, reported, self._single_nodes)
        if self._pending:
            for node, message, fixed, facts in self._pending:
                line, column = positions[node]
                self.findings.append(Finding(self.id, self.slug, line, column + 1, message, fixed, facts=facts))
        return result

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        """(line, 1-based column) of a node of the tree being transformed."""
        line, column = start_positions(self.context.wrapper.module, [node], self._single_nodes)[node]
        return line, column + 1

    def suppressed(self, node: cst.CSTNode) -> bool:
        """Whether a `# repair: ignore` comment on the node's first line covers this rule."""
        if not self._suppressions:
            return False
        line, _ = self.position(node)
        if line not in self._suppressions:
            return False
        keys = self._suppressions[line]
        return keys is None or self.id in keys or self.slug in keys

    def report(self, node: cst.CSTNode, message: str, *, fixed: bool = True, facts: dict[str, str] | None = None,
               also: Sequence[cst.CSTNode] = ()) -> bool:
        """Record a finding; False when it is suppressed, and then the rule must leave that code alone. `facts` are
        the finding's own names, for the rule's `prevents_template`. `also`: the other nodes the finding's repair
        changes (a renamed class's uses): a `# repair: ignore` on any of their lines suppresses it too, since the
        repair cannot change the import without them."""
        facts_items = tuple(sorted((facts or {}).items()))
        if not self._suppressions:
            self._pending.append((node, message, fixed, facts_items))  # positioned once the rule is done
            return True
        line, column = self.position(node)
        suppressed = self.suppressed(node) or any(self.suppressed(other) for other in also)
        self.findings.append(Finding(self.id, self.slug, line, column, message, fixed and not suppressed, suppressed,
                                     facts_items))
        return not suppressed


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _is_rule_class(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and "id" in obj.__dict__


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule in `repair.transforms`, in the order the engine applies them: by phase, then by id."""
    import repair.transforms as package

    found: dict[str, type[Rule]] = {}
    # One module per rule, in a sub-package per category (imports, types, structure, deploy); modules and packages
    # whose name starts with "_" are the shared machinery.
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.ispkg or any(part.startswith("_") for part in info.name.split(".")[2:]):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if _is_rule_class(obj) and obj.__module__ == module.__name__:
                if obj.id in found:
                    raise RuntimeError(f"rule id {obj.id} is defined twice: {found[obj.id]} and {obj}")
                found[obj.id] = obj
    return tuple(sorted(found.values(), key=run_order))


def run_order(rule: type[Rule]) -> tuple[int, str]:
    return int(rule.phase), rule.id


def rule_by_key(key: str) -> type[Rule] | None:
    """A rule by id (`CDK001`, any case) or slug (`provider-class-name`)."""
    for rule in all_rules():
        if key.upper() == rule.id or key == rule.slug:
            return rule
    return None


def catalog_markdown() -> str:
    """The rule catalog as a Markdown table (README.md embeds it; a test keeps the two equal)."""
    rows = ["| id | slug | severity | repairs | prevents | module |", "|---|---|---|---|---|---|"]
    for rule in sorted(all_rules(), key=lambda r: r.id):
        module = rule.source_path()
        prevents = rule.prevents.replace("|", "\\|")
        rows.append(f"| {rule.id} | `{rule.slug}` | {rule.severity.value} | {rule.summary} | {prevents} | "
                    f"[{module}]({module}) |")
    return "\n".join(rows) + "\n"
