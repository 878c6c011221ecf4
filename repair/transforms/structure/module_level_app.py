"""CDK033 module-level-app: a stack module that builds and synthesizes its own app when it is imported.

Answers often end their stack module the way a single-file CDKTF program ends: `app = App()`, the stack, and
`app.synth()`, at module level. The project's entry (`tap.py`) imports the stack class from that module, and the
import runs those lines first: a second app, a second stack (under the entry's id, "There is already a Construct
with name 'tap' in App", or the module's own settings synthesized in the entry's place). Python's idiom for code
that must run only when the module is the program is `if __name__ == "__main__":`; the lines from the `App()`
call to the last `.synth()` are put under it, as they are. Run as a program, the module does what it did;
imported, it only defines its classes. Only a module that the project's entry imports from is changed, and only
when the entry creates an app or a stack of its own (the entry's is the one that must run; an entry that imports
the module's app, `from lib.main import app`, and at most synthesizes it runs the module's program as it is). An
app the entry imports from the module and builds its stack in (`from lib.tap_stack import TapStack, app`) stays
created at import, only the module's stacks and synth are guarded; when another name those lines bind is used
elsewhere, wrapping them would break that use, and the finding is reported instead.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from repair.options import RepairOptions
from repair.project import ProjectContext, modules_match
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import code_of, walk
from repair.transforms._keyword_calls import quote_style
from repair.transforms._names import BINDING_FIELDS
from repair.transforms._triggers import All, SourceFacts, Word

_EXAMPLE_ENTRY = (
    "from cdktf import App\n"
    "from lib.tap_stack import TapStack\n"
    "app = App()\n"
    "TapStack(app, 'tap', environment_suffix='dev')\n"
    "app.synth()\n"
)
_EXAMPLE_OPTIONS = RepairOptions(project=ProjectContext.of_entry(_EXAMPLE_ENTRY, Path("example")))
_SHARED_APP_ENTRY = (
    "from lib.tap_stack import TapStack, app\n"
    "TapStack(app, 'tap', environment_suffix='dev')\n"
    "app.synth()\n"
)
_SHARED_APP_OPTIONS = RepairOptions(project=ProjectContext.of_entry(_SHARED_APP_ENTRY, Path("example")))


def _app_names(tree: cst.Module) -> set[str]:
    """How the module calls cdktf's App: `App` (or its alias), `cdktf.App`."""
    names: set[str] = set()
    for statement in tree.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if type(small) is cst.ImportFrom and small.module is not None and code_of(small.module) == "cdktf" \
                    and type(small.names) is not cst.ImportStar:
                for alias in small.names:
                    if code_of(alias.name) == "App":
                        names.add(code_of(alias.asname.name) if alias.asname else "App")
            elif type(small) is cst.Import:
                for alias in small.names:
                    if code_of(alias.name) == "cdktf":
                        names.add((code_of(alias.asname.name) if alias.asname else "cdktf") + ".App")
    return names


def _calls(statement: cst.CSTNode) -> list[cst.Call]:
    return [node for node in walk(statement) if type(node) is cst.Call]


def _bound_and_read(nodes) -> tuple[set[str], set[str]]:
    """The plain names the statements bind, and those they read."""
    bound: set[str] = set()
    read: set[str] = set()
    for statement in nodes:
        stack: list[tuple[cst.CSTNode, cst.CSTNode | None, str]] = [(statement, None, "")]
        while stack:
            node, parent, field_name = stack.pop()
            if type(node) is cst.Name:
                if parent is not None and (type(parent), field_name) in BINDING_FIELDS:
                    bound.add(node.value)
                elif not (type(parent) is cst.Attribute and field_name == "attr") and not (
                        type(parent) is cst.Arg and field_name == "keyword"):
                    read.add(node.value)
                continue
            for name in node.__dataclass_fields__:
                value = getattr(node, name)
                for child in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(child, cst.CSTNode):
                        stack.append((child, node, name))
    return bound, read


def _global_reads(statement: cst.CSTNode) -> set[str]:
    """The names a module-level statement reads from the module: a function's own parameters and locals, and a
    class's methods', are not the module's."""
    if type(statement) is cst.FunctionDef:
        bound, read = _bound_and_read([statement.params, statement.body])
        return read - bound
    if type(statement) is cst.ClassDef:
        names: set[str] = set()
        for inner in statement.body.body if type(statement.body) is cst.IndentedBlock else ():
            names |= _global_reads(inner)
        return names | _bound_and_read(statement.bases)[1] | _bound_and_read(statement.decorators)[1]
    return _bound_and_read([statement])[1]


def _imported_by_entry(project: ProjectContext, path: str | None) -> bool | None:
    """Whether the project's entry imports the module at `path`; None when the path is no module of the project (a
    markdown block's): then the classes the module defines decide."""
    if not project.entry_builds_app and not project.stack_calls:
        return False  # an entry with neither an App nor a stack of its own runs what it imports (`from lib.main
        # import app`, then at most `app.synth()`): the module's app is the program
    module = project.module_of(path)
    if module is None:
        return None
    if project.entry is not None and project.module_of(str(project.entry)) == module:
        return False  # the entry itself: its app is the one that runs
    return any(modules_match(imported, module) for imported, _ in project.entry_imports) or any(
        modules_match(call.module, module) for call in project.stack_calls)


def _is_main_guard(statement: cst.BaseStatement) -> bool:
    """`if __name__ == "__main__":` (either quote, either side)."""
    if type(statement) is not cst.If or type(statement.test) is not cst.Comparison:
        return False
    test = statement.test
    sides = [test.left] + [target.comparator for target in test.comparisons]
    return (len(test.comparisons) == 1 and type(test.comparisons[0].operator) is cst.Equal
            and {code_of(side).strip("'\"") for side in sides} == {"__name__", "__main__"})


def _unindented_blank_lines(statement: cst.BaseStatement) -> cst.BaseStatement:
    """The statement with its blank lines (not its comments) left without indentation inside a block."""
    lines = [line.with_changes(indent=False) if line.comment is None else line for line in statement.leading_lines]
    return statement.with_changes(leading_lines=lines)


class ModuleLevelApp(Rule):
    id = "CDK033"
    slug = "module-level-app"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    needs_project = True
    summary = ("Put a stack module's own `App()` ... `app.synth()` lines under `if __name__ == \"__main__\":`, so "
               "that importing the module from the project's entry does not build a second app.")
    prevents = "RuntimeError: There is already a Construct with name 'tap' in App (the entry's import runs the module's app)"
    doc_url = "https://docs.python.org/3/library/__main__.html#idiomatic-usage"
    synth_errors = (r"There is already a Construct with name '[^']+' in App\b",)
    analysis_keywords = ("module level app", "app synth at import", "duplicate construct", "already a construct")
    # cdktf's App (imported by that name) and a `.synth` call.
    triggers = All(Word("App"), Word("synth"))

    examples = (
        Example(
            before=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id, environment_suffix='dev'):\n"
                "        super().__init__(scope, id)\n"
                "\n"
                "# Synthesize the stack\n"
                "app = App()\n"
                "TapStack(app, 'tap')\n"
                "app.synth()\n"
            ),
            after=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id, environment_suffix='dev'):\n"
                "        super().__init__(scope, id)\n"
                "\n"
                "# Synthesize the stack\n"
                "if __name__ == '__main__':\n"
                "    app = App()\n"
                "    TapStack(app, 'tap')\n"
                "    app.synth()\n"
            ),
            options=_EXAMPLE_OPTIONS,
        ),
        # The entry builds its stack in the module's app: the app stays, the module's own stack and synth go.
        Example(
            before=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    pass\n"
                "app = App()\n"
                "TapStack(app, 'tap')\n"
                "app.synth()\n"
            ),
            after=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    pass\n"
                "app = App()\n"
                "if __name__ == '__main__':\n"
                "    TapStack(app, 'tap')\n"
                "    app.synth()\n"
            ),
            options=_SHARED_APP_OPTIONS,
        ),
        # Already guarded; and a module the entry does not import a stack from (no project: a lone file).
        Example(
            before=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    pass\n"
                "if __name__ == '__main__':\n"
                "    app = App()\n"
                "    TapStack(app, 'tap')\n"
                "    app.synth()\n"
            ),
            options=_EXAMPLE_OPTIONS,
        ),
        Example(
            before=(
                "from cdktf import App, TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    pass\n"
                "app = App()\n"
                "TapStack(app, 'tap')\n"
                "app.synth()\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        project = self.context.project
        if not isinstance(project, ProjectContext) or not self._imported_by_entry(project, tree):
            return tree
        apps = _app_names(tree)
        if not apps:
            return tree
        body = list(tree.body)
        first = next((i for i, s in enumerate(body) if type(s) is cst.SimpleStatementLine
                      and any(code_of(c.func) in apps for c in _calls(s))), None)
        if first is None:
            return tree
        last = max((i for i, s in enumerate(body) if i >= first and type(s) not in (cst.FunctionDef, cst.ClassDef)
                    and not _is_main_guard(s)
                    and any(type(c.func) is cst.Attribute and c.func.attr.value == "synth" for c in _calls(s))),
                   default=None)
        if last is None:
            return tree
        wrapped = body[first:last + 1]
        if any(type(s) in (cst.FunctionDef, cst.ClassDef) for s in wrapped):
            self.report(body[first], "this module builds and synthesizes its own app when the project's entry "
                                     "imports it (a second app), around definitions: put those lines under "
                                     "`if __name__ == \"__main__\":` by hand", fixed=False)
            return tree
        # What must stay defined at import: the names the rest of the module reads, and those the entry imports
        # from it (an entry may build its stack in the module's own app: `from lib.tap_stack import TapStack, app`).
        needed = self._entry_names(project).union(*(_global_reads(s) for s in body[:first] + body[last + 1:]))
        kept = 0  # the leading lines that create only the app and bind it under such a name stay unguarded
        while kept < len(wrapped) and _bound_and_read([wrapped[kept]])[0] & needed and all(
                code_of(c.func) in apps for c in _calls(wrapped[kept])):
            kept += 1
        clash = sorted(_bound_and_read(wrapped[kept:])[0] & needed)
        if clash or kept == len(wrapped):
            self.report(body[first], "this module builds and synthesizes its own app when the project's entry "
                                     f"imports it (a second app); {', '.join(clash) or 'the app'} from those lines "
                                     "is used elsewhere: guard them by hand", fixed=False)
            return tree
        if not self.report(body[first], "the project's entry imports this module, whose own `App()` ... `.synth()` "
                                        "lines would build a second app at import: put under "
                                        "`if __name__ == \"__main__\":`"):
            return tree
        first += kept
        wrapped = wrapped[kept:]
        quote = quote_style(tree)
        leading = wrapped[0].leading_lines
        inner = [wrapped[0].with_changes(leading_lines=())] + [_unindented_blank_lines(s) for s in wrapped[1:]]
        guard = cst.If(
            test=cst.parse_expression(f"__name__ == {quote}__main__{quote}"),
            body=cst.IndentedBlock(body=inner),
            leading_lines=leading,
        )
        return tree.with_changes(body=[*body[:first], guard, *body[last + 1:]])

    @classmethod
    def may_apply_in(cls, project: ProjectContext, path: str, facts: SourceFacts | None = None) -> bool:
        # The entry itself, and a module of the project the entry imports nothing from, are left as they are.
        return _imported_by_entry(project, path) is not False

    def _imported_by_entry(self, project: ProjectContext, tree: cst.Module) -> bool:
        imported = _imported_by_entry(project, self.context.filename)
        if imported is not None:
            return imported
        defined = {s.name.value for s in tree.body if type(s) is cst.ClassDef}
        return any(call.class_name in defined for call in project.stack_calls)

    def _entry_names(self, project: ProjectContext) -> set[str]:
        module = project.module_of(self.context.filename)
        return {name for imported, name in project.entry_imports if module is None or modules_match(imported, module)}
