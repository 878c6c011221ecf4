"""CDK041 nested-stack: a TerraformStack created inside another stack, with the app as its scope, and no provider.

Answers split a system into "stacks" the way AWS CDK nests them: the stack the entry builds creates
`VpcStack(scope, f"vpc-{env}", ...)`, `DatabaseStack(scope, ...)`, passing its own scope (the app) on and wiring
the parts together with their attributes. In cdktf each of those is a stack of its own: synth refuses one that has
resources but no provider ("Found resources without a matching provider construct"), and the entry's deploy of
its stack would leave the others out. What the code means is one stack of parts: each such class becomes a
`Construct` (its `super().__init__(scope, id)` is the same), created in the stack (`self`), under the stack's
provider.

Only where that is the one reading, across the project's modules (repair/transforms/_project_flow.py): every
creation of the class is such a call in the constructor of a stack that creates a provider, and the class creates
no provider of its own (then it is a stack by design) and uses nothing only a stack has (`add_override`, a
backend, `add_dependency`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from repair.cdktf_index import stack_members
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import add_import, apply_leaves, walk
from repair.transforms._project_flow import _same_module, project_sources
from repair.transforms._triggers import StackInStack, creates_provider, scope_calls, stack_classes

_HERE = "<this file>"
_CONSTRUCT_IMPORTED = re.compile(r"^\s*from\s+constructs\s+import\s+\(?[^)\n]*(?<![\w.])Construct(?![\w])(?!\s+as\b)",
                                 re.MULTILINE)
_OTHER_CONSTRUCT = re.compile(r"^\s*from\s+(?!constructs\b)[\w.]+\s+import[^\n]*\bConstruct\b(?!\w)", re.MULTILINE)


@dataclass(frozen=True)
class _Plan:
    classes: frozenset[str]  # stack classes of this file that become constructs
    callees: frozenset[str]  # names this file calls with its stack's scope that stand for such classes
    creators: tuple[tuple[str, str], ...]  # (class, the stack that creates it), for the messages


def _stack_only(stack: ast.ClassDef) -> bool:
    for node in ast.walk(stack):
        if type(node) is ast.Attribute and node.attr in stack_members() and type(node.value) is ast.Name \
                and node.value.id == "self":
            return True
        if type(node) is ast.Call and ((type(node.func) is ast.Name and node.func.id.endswith("Backend"))
                                       or (type(node.func) is ast.Attribute and node.func.attr.endswith("Backend"))):
            return True
    return False


def _imports(module: ast.Module) -> dict[str, tuple[str, str, int]]:
    """Local name -> (module written, name there, relative level) of each module-level `from ... import`."""
    found = {}
    for node in module.body:
        if type(node) is ast.ImportFrom:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module or "", alias.name, node.level)
    return found


@lru_cache(maxsize=64)
def _plan(sources: tuple[tuple[str, str], ...], here: str) -> _Plan:
    modules: dict[str, ast.Module] = {}
    for name, code in sources:
        try:
            modules[name] = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    stacks = {(name, cls.name): cls for name, module in modules.items() for cls in stack_classes(module)}

    def resolve(module_name: str, local: str) -> tuple[str, str] | None:
        if (module_name, local) in stacks:
            return module_name, local
        imported = _imports(modules[module_name]).get(local)
        if imported is None:
            return None
        written, name, level = imported
        if level:
            base = module_name.rsplit(".", level)[0] if module_name.count(".") >= level else ""
            written = f"{base}.{written}".strip(".") if written else base
        matches = [m for m in modules if m == written or _same_module(written, m)]
        return (matches[0], name) if len(matches) == 1 and (matches[0], name) in stacks else None

    # Every call of a stack class anywhere, and which of them are a stack's constructor passing its scope on.
    nested: dict[tuple[str, str], list[tuple[str, str]]] = {}
    elsewhere: set[tuple[str, str]] = set()
    for name, module in modules.items():
        qualifying = {id(call): (name, cls.name) for cls in stack_classes(module) if creates_provider(cls)
                      for call in scope_calls(cls)}
        for call in ast.walk(module):
            if type(call) is not ast.Call or type(call.func) is not ast.Name:
                continue
            target = resolve(name, call.func.id)
            if target is None:
                continue
            creator = qualifying.get(id(call))
            if creator is None or creator == target:
                elsewhere.add(target)
            else:
                nested.setdefault(target, []).append(creator)
    converted = {target for target in nested if target not in elsewhere and not creates_provider(stacks[target])
                 and not _stack_only(stacks[target])}
    callees = frozenset(local for local in {c.func.id for cls in stack_classes(modules[here]) if creates_provider(cls)
                                             for c in scope_calls(cls)} if resolve(here, local) in converted) \
        if here in modules else frozenset()
    return _Plan(frozenset(c for m, c in converted if m == here), callees,
                 tuple(sorted((c, creators[0][1]) for (m, c), creators in nested.items() if (m, c) in converted)))


class NestedStack(Rule):
    id = "CDK041"
    slug = "nested-stack"
    severity = Severity.CRITICAL
    summary = ("Make a TerraformStack that another stack creates with the app as its scope, and that has no "
               "provider of its own, a Construct created in that stack (`self`).")
    prevents = ("RuntimeError: Validation failed: Found resources without a matching provider construct (cdktf "
                "synth fails)")
    prevents_template = ("RuntimeError: Found resources without a matching provider construct in stack '{stack}' "
                         "(cdktf synth fails)")
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/constructs"
    analysis_keywords = ("nested stack", "multiple stacks", "stack composition", "matching provider construct",
                         "construct instead of stack")
    synth_errors = (r"Found resources without a matching provider construct",)
    reads_project = True  # the stack classes may be in the project's other modules
    triggers = StackInStack()
    examples = (
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "class NetworkStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        self.vpc = Vpc(self, 'vpc', cidr_block='10.0.0.0/16')\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        network = NetworkStack(scope, 'network')\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                "from constructs import Construct\n"
                "class NetworkStack(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        self.vpc = Vpc(self, 'vpc', cidr_block='10.0.0.0/16')\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "        network = NetworkStack(self, 'network')\n"
            ),
        ),
        # Stacks by design: each with its provider, or one the entry creates as well.
        Example(
            before=(
                "from cdktf import App, TerraformStack\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "class EdgeStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='us-east-1')\n"
                "class LogsStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "class MainStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region='eu-west-1')\n"
                "        EdgeStack(scope, 'edge')\n"
                "        LogsStack(scope, 'logs')\n"
                "app = App()\n"
                "LogsStack(app, 'audit-logs')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        project = self.context.project
        code = self._code or tree.code
        here = (project.module_of(self.context.filename) if project is not None else None) or _HERE
        sources = dict(project_sources(project, self.options, self.context.filename, code)) if project else {}
        sources[here] = code
        plan = _plan(tuple(sorted(sources.items())), here)
        if not plan.classes and not plan.callees:
            return tree
        if plan.classes and _OTHER_CONSTRUCT.search(code):
            return tree  # `Construct` names something else here
        creators = dict(plan.creators)
        edits: dict[cst.CSTNode, object] = {}
        converted = False
        for node in tree.body:
            if type(node) is not cst.ClassDef:
                continue
            if node.name.value in plan.classes:
                base = next((a for a in node.bases if _is_stack_base(a.value)), None)
                creator = creators.get(node.name.value, "a stack")
                if base is not None and self.report(
                        node.name, f"{node.name.value} is a TerraformStack that {creator} creates with the app as its "
                        "scope and no provider of its own: a stack apart, which synth refuses without a provider and "
                        "the entry's deploy leaves out; made a Construct of that stack"):
                    edits[base] = lambda arg: arg.with_changes(value=cst.Name("Construct"))
                    converted = True
            init = next((n for n in node.body.body if type(n) is cst.FunctionDef and n.name.value == "__init__"),
                        None) if _is_stack_class(node) else None
            if init is None or len(init.params.params) < 2:
                continue
            scope = init.params.params[1].name.value
            for call in walk(init):
                if type(call) is cst.Call and type(call.func) is cst.Name and call.func.value in plan.callees \
                        and call.args and call.args[0].keyword is None and type(call.args[0].value) is cst.Name \
                        and call.args[0].value.value == scope:
                    if self.report(call, f"{call.func.value}({scope}, ...) in {node.name.value}: created in the "
                                   f"stack (self), as the construct it is"):
                        edits[call.args[0]] = lambda arg: arg.with_changes(value=cst.Name("self"))
        if not edits:
            return tree
        tree = apply_leaves(tree, edits)
        if not converted or _CONSTRUCT_IMPORTED.search(code):
            return tree
        return add_import(self.context, tree, "constructs", "Construct")


def _is_stack_base(value: cst.BaseExpression) -> bool:
    return (type(value) is cst.Name and value.value == "TerraformStack") or (
        type(value) is cst.Attribute and value.attr.value == "TerraformStack")


def _is_stack_class(node: cst.ClassDef) -> bool:
    return any(_is_stack_base(arg.value) for arg in node.bases)
