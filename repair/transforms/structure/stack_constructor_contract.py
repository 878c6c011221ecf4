"""CDK008 stack-constructor-contract: the stack class must accept what the project's entry passes it.

The entry (`tap.py`) usually belongs to the task, not the answer: it imports the stack class from its module and calls it
with keywords of its own (`environment_suffix=`, `state_bucket=`, `aws_region=`, `default_tags=`, ...). Generated
stacks often take other parameters, forward `**kwargs` to `TerraformStack.__init__` (which takes only scope and
id) or name the class differently, and the app dies before synthesizing anything ("TapStack.__init__() got an
unexpected keyword argument"). With the project's entry in reach, the constructor is made to accept every keyword
the entry passes; a parameter of the same meaning under another name (`region` for `aws_region`) receives the
entry's value; a renamed class gets the imported name as an alias. The entry's provider tags reach the provider
as one list of blocks: a list of blocks the stack wraps in a list again is passed as it is, one block it passes bare
is wrapped (the entry's literal value says which). On a lone file the rule does nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from repair.options import RepairOptions
from repair.project import ProjectContext, StackCall, modules_match
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.provider_index import LIST
from repair.transforms._cst import apply_leaves, code_of, iter_children, remove_item, string_value
from repair.transforms._triggers import SourceFacts

# Parameters that mean the same thing under different names: the entry's keyword reaches the stack's parameter of
# its group when the stack has none of the entry's name.
SAME_MEANING: tuple[frozenset[str], ...] = (
    frozenset({"aws_region", "region"}),
    frozenset({"environment_suffix", "environment", "env", "env_suffix", "suffix"}),
    frozenset({"state_bucket", "state_bucket_name", "backend_bucket"}),
    frozenset({"state_bucket_region", "backend_region"}),
    frozenset({"tags", "common_tags"}),
)
# Tags as the AWS provider's `default_tags` block, {"tags": {...}}, which a stack's plain map of tags is the inside of.
PROVIDER_TAGS = "default_tags"
PLAIN_TAGS = frozenset({"tags", "common_tags"})
TAG_BLOCK_KEY = "tags"
# A signature that grows past this many characters on one line is laid out one parameter per line.
MAX_LINE = 100

_EXAMPLE_ENTRY = (
    "from lib.tap_stack import TapStack\n"
    "default_tags = {'tags': {'Team': 'payments'}}\n"
    "TapStack(app, 'TapStackdev', environment_suffix='dev', aws_region='eu-west-1', default_tags=default_tags)\n"
)
_EXAMPLE_OPTIONS = RepairOptions(project=ProjectContext.of_entry(_EXAMPLE_ENTRY, Path("example")))


def _is_terraform_stack(class_def: cst.ClassDef) -> bool:
    for base in class_def.bases:
        value = base.value
        name = value.value if isinstance(value, cst.Name) else value.attr.value if isinstance(
            value, cst.Attribute) else None
        if base.keyword is None and name == "TerraformStack":
            return True
    return False


def _bound_names(tree: cst.Module) -> set[str]:
    """The names a module binds at its top level (classes, functions, assignments, imports)."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    names |= {t.value for t in targets if isinstance(t, cst.Name)}
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname else alias.name
                        if isinstance(bound, cst.Name):
                            names.add(bound.value)
                        elif isinstance(bound, cst.Attribute):
                            names.add(code_of(bound).split(".")[0])
    return names


def _init_of(class_def: cst.ClassDef) -> cst.FunctionDef | None:
    if not isinstance(class_def.body, cst.IndentedBlock):
        return None
    for statement in class_def.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
            return statement
    return None


def _is_base_init(call: cst.Call) -> bool:
    """`super().__init__(...)`, `super(Cls, self).__init__(...)` or `TerraformStack.__init__(...)`."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "__init__"):
        return False
    owner = func.value
    if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "super":
        return True
    return isinstance(owner, (cst.Name, cst.Attribute)) and code_of(owner).split(".")[-1] == "TerraformStack"


def _without_kwargs_forwarding(init: cst.FunctionDef, kwargs: str) -> tuple[cst.FunctionDef, list[cst.Call]]:
    """`init` without `**<kwargs>` in its base class's `__init__` call (a statement of its body), and the calls
    that forwarded it."""
    forwarding: list[cst.Call] = []
    statements = list(init.body.body)
    for index, statement in enumerate(statements):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        small = list(statement.body)
        for position, expression in enumerate(small):
            call = expression.value if isinstance(expression, cst.Expr) else None
            if not isinstance(call, cst.Call) or not _is_base_init(call):
                continue
            for arg_index, arg in enumerate(call.args):
                if arg.star == "**" and isinstance(arg.value, cst.Name) and arg.value.value == kwargs:
                    forwarding.append(call)
                    small[position] = expression.with_changes(
                        value=call.with_changes(args=remove_item(call.args, arg_index)))
                    statements[index] = statement.with_changes(body=small)
                    break
    if not forwarding:
        return init, []
    return init.with_changes(body=init.body.with_changes(body=statements)), forwarding


@dataclass
class _Plan:
    """What one stack class needs to accept the entry's calls."""

    added: list[str] = field(default_factory=list)  # keyword parameters to add, default None
    mappings: list[tuple[str, str, str]] = field(default_factory=list)  # (entry keyword, stack param, value code)
    defaults_to_none: set[str] = field(default_factory=set)  # required parameters the entry fills by another name


def _param_items(params: cst.Parameters) -> list[cst.Param | cst.ParamStar]:
    items: list = list(params.params)
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)):
        items.append(params.star_arg)
    items.extend(params.kwonly_params)
    if params.star_kwarg is not None:
        items.append(params.star_kwarg)
    return items


def _with_params_added(function: cst.FunctionDef, names: list[str]) -> cst.Parameters:
    """The function's parameters with `name=None` for each of `names` before any `**kwargs`, keyword-only after a
    `*args` or `*`, separated and laid out like the existing ones."""
    params = function.params
    new = [cst.Param(name=cst.Name(n), default=cst.Name("None"),
                     equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                           whitespace_after=cst.SimpleWhitespace(""))) for n in names]
    keyword_only = isinstance(params.star_arg, (cst.Param, cst.ParamStar))
    items = _param_items(params)
    if params.star_kwarg is not None:
        # The item before `**kwargs` already ends with the separator the list uses: the new ones take it too.
        separator = items[-2].comma if len(items) >= 2 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new = [p.with_changes(comma=separator) for p in new]
    else:
        last = items[-1]
        if len(items) >= 2 and isinstance(items[-2].comma, cst.Comma):
            separator = items[-2].comma
        elif isinstance(function.whitespace_before_params, cst.ParenthesizedWhitespace):
            separator = cst.Comma(whitespace_after=function.whitespace_before_params)
        else:
            separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        closing, trailing = last.comma, getattr(last, "whitespace_after_param", cst.SimpleWhitespace(""))
        replaced_last = last.with_changes(comma=separator, whitespace_after_param=cst.SimpleWhitespace("")) \
            if isinstance(last, cst.Param) else last.with_changes(comma=separator)
        new = [p.with_changes(comma=separator) for p in new[:-1]] + [
            new[-1].with_changes(comma=closing, whitespace_after_param=trailing)]
        if last is params.star_arg:
            params = params.with_changes(star_arg=replaced_last)
        elif params.kwonly_params and last is params.kwonly_params[-1]:
            params = params.with_changes(kwonly_params=[*params.kwonly_params[:-1], replaced_last])
        else:
            params = params.with_changes(params=[*params.params[:-1], replaced_last])
    if keyword_only:
        return params.with_changes(kwonly_params=[*params.kwonly_params, *new])
    return params.with_changes(params=[*params.params, *new])


def _one_per_line(function: cst.FunctionDef, indent: str) -> cst.FunctionDef:
    """The function with its parameters one per line and a trailing comma (black's layout of a long signature)."""
    def line_break(last_line: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=[], indent=True,
                                           last_line=cst.SimpleWhitespace(last_line))

    items = _param_items(function.params)
    laid_out = []
    for index, item in enumerate(items):
        comma = cst.Comma(whitespace_after=line_break(indent if index < len(items) - 1 else ""))
        if isinstance(item, cst.Param):
            item = item.with_changes(whitespace_after_param=cst.SimpleWhitespace(""))
        laid_out.append(item.with_changes(comma=comma))
    params = function.params
    star_at = len(params.params)
    kwonly_at = star_at + (1 if isinstance(params.star_arg, (cst.Param, cst.ParamStar)) else 0)
    kwonly_end = kwonly_at + len(params.kwonly_params)
    params = params.with_changes(
        params=laid_out[:star_at],
        star_arg=laid_out[star_at] if kwonly_at > star_at else params.star_arg,
        kwonly_params=laid_out[kwonly_at:kwonly_end],
        star_kwarg=laid_out[kwonly_end] if params.star_kwarg is not None else None,
    )
    return function.with_changes(params=params, whitespace_before_params=line_break(indent))


def _preferred_quote(tree: cst.Module) -> str:
    """The quote the module's first plain string literal uses."""
    class First(cst.CSTVisitor):
        quote = '"'
        found = False

        def visit_SimpleString(self, node: cst.SimpleString) -> bool:
            if not self.found and node.prefix == "" and not node.value.startswith(('"""', "'''")):
                self.quote, self.found = node.value[0], True
            return False

    finder = First()
    tree.visit(finder)
    return finder.quote


def _mapping_statement(keyword: str, target: str, value: str) -> cst.If:
    return cst.ensure_type(cst.parse_statement(f"if {keyword} is not None:\n    {target} = {value}\n"), cst.If)


def _keyword_read(value: cst.BaseExpression, kwargs: str | None) -> tuple[str, cst.BaseExpression | None] | None:
    """(keyword, default) of `kwargs.get("keyword"[, default])` or `kwargs["keyword"]` on the `**kwargs`
    parameter."""
    if kwargs is None:
        return None
    if (type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "get"
            and type(value.func.value) is cst.Name and value.func.value.value == kwargs
            and 1 <= len(value.args) <= 2 and all(a.keyword is None and not a.star for a in value.args)):
        keyword = string_value(value.args[0].value)
        return (keyword, value.args[1].value if len(value.args) == 2 else None) if keyword else None
    if (type(value) is cst.Subscript and type(value.value) is cst.Name and value.value.value == kwargs
            and len(value.slice) == 1 and type(value.slice[0].slice) is cst.Index):
        keyword = string_value(value.slice[0].slice.value)
        return (keyword, None) if keyword else None
    return None


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


class StackConstructorContract(Rule):
    id = "CDK008"
    slug = "stack-constructor-contract"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    needs_project = True
    summary = ("Make the stack's constructor accept what the project's entry passes it: every keyword, the entry's "
               "value in the parameter of the same meaning, the class name it imports.")
    prevents = "TypeError: TapStack.__init__() got an unexpected keyword argument 'state_bucket' (the app fails before synth)"
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/stacks"
    analysis_keywords = ("constructor signature", "constructor parameter", "constructor argument", "stack parameter",
                         "positional argument", "keyword only argument", "stack initialization")
    triggers = ("TerraformStack",)

    examples = (
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id, region='us-east-2', tags=None):\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region=region, default_tags=[{'tags': tags or {}}])\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(\n"
                "        self,\n"
                "        scope,\n"
                "        id,\n"
                "        region='us-east-2',\n"
                "        tags=None,\n"
                "        environment_suffix=None,\n"
                "        aws_region=None,\n"
                "        default_tags=None,\n"
                "    ):\n"
                "        if aws_region is not None:\n"
                "            region = aws_region\n"
                "        if default_tags is not None:\n"
                "            tags = default_tags['tags']\n"
                "        super().__init__(scope, id)\n"
                "        AwsProvider(self, 'aws', region=region, default_tags=[{'tags': tags or {}}])\n"
            ),
            options=_EXAMPLE_OPTIONS,
        ),
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, construct_id, aws_region='us-east-1', **kwargs):\n"
                "        super().__init__(scope, construct_id, **kwargs)\n"
                "        self.suffix = kwargs.get('environment_suffix', 'dev')\n"
            ),
            after=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, construct_id, aws_region='us-east-1', **kwargs):\n"
                "        super().__init__(scope, construct_id)\n"
                "        self.suffix = kwargs.get('environment_suffix', 'dev')\n"
            ),
            options=_EXAMPLE_OPTIONS,
        ),
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, construct_id, **kwargs):\n"
                "        super().__init__(scope, construct_id)\n"
                "        self.region = kwargs.get('aws_region', 'us-east-1')\n"
            ),
            options=_EXAMPLE_OPTIONS,
        ),
        # No project in reach (a lone file): nothing to check the constructor against.
        Example(
            before=(
                "from cdktf import TerraformStack\n"
                "class TapStack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
            ),
        ),
    )

    @classmethod
    def may_apply_in(cls, project: ProjectContext, path: str, facts: SourceFacts | None = None) -> bool:
        # The entry calls a stack class of this module (any module, for a file that is none of the project's).
        module = project.module_of(path)
        return any(module is None or modules_match(call.module, module) for call in project.stack_calls)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        project = self.context.project
        if not isinstance(project, ProjectContext) or not project.stack_calls:
            return tree
        module = project.module_of(self.context.filename)
        self._default_indent = tree.default_indent
        self._tree = tree
        stacks = {s.name.value: s for s in tree.body if isinstance(s, cst.ClassDef) and _is_terraform_stack(s)}
        if not stacks:
            return tree
        calls: dict[str, list[StackCall]] = {}
        aliases: list[tuple[str, str]] = []
        bound = _bound_names(tree)
        for call in project.stack_calls:
            if module is not None and not modules_match(call.module, module):
                continue
            if call.class_name in stacks:
                calls.setdefault(call.class_name, []).append(call)
            elif module is not None and call.class_name not in bound:
                if len(stacks) != 1:
                    self.report(next(iter(stacks.values())),
                                f"the entry imports `{call.class_name}` from `{call.module}`, which defines "
                                f"{', '.join(f'`{n}`' for n in stacks)} instead: which one it means is not clear",
                                fixed=False)
                    continue
                (name, class_def), = stacks.items()
                if (call.class_name, name) not in aliases and self.report(
                        class_def, f"the entry imports `{call.class_name}` from `{call.module}`, which names its "
                                   f"stack `{name}`: `{call.class_name} = {name}` added"):
                    aliases.append((call.class_name, name))
                calls.setdefault(name, []).append(call)
        if not calls and not aliases:
            return tree
        shapes: dict[cst.CSTNode, object] = {}
        for name, class_calls in calls.items():
            init = _init_of(stacks[name])
            if init is not None and isinstance(init.body, cst.IndentedBlock):
                shapes.update(self._block_shapes(init, class_calls))
        body = [self._accepting(s, calls[s.name.value]) if isinstance(s, cst.ClassDef) and s.name.value in calls
                else s for s in tree.body]
        if not aliases and not shapes and all(new is old for new, old in zip(body, tree.body)):
            return tree
        for alias, name in aliases:
            lines = [cst.EmptyLine(), cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(
                "# The name the project's entry imports the stack by."))]
            body.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(alias))], cst.Name(name))],
                                                leading_lines=lines))
        return apply_leaves(tree.with_changes(body=body), shapes)

    def _block_shapes(self, init: cst.FunctionDef, calls: list[StackCall]) -> dict[cst.CSTNode, object]:
        """Edits that give a provider's list of blocks the entry's value in its shape. The entry passes e.g.
        `default_tags=[{"tags": {...}}]`, already a list of blocks, or `default_tags={"tags": {...}}`, one block;
        the stack reads the keyword into a name (`kwargs.get("default_tags", {})`, or its parameter) and hands it
        on as `default_tags=[name]` or `default_tags=name`. Only one of those is a list of blocks: `[name]` of the
        entry's list is a list of lists, `name` of its dict a single block where a list is wanted, and jsii refuses
        either. The literal shape of the entry's value decides, for a name read only there."""
        values = {k: v for call in calls for k, v in call.values.items()}
        params = init.params
        kwargs = params.star_kwarg.name.value if isinstance(params.star_kwarg, cst.Param) else None
        named = {p.name.value for p in [*params.params, *params.kwonly_params]}
        parents: dict[cst.CSTNode, cst.CSTNode] = {}
        occurrences: dict[str, list[cst.Name]] = {}
        bound: dict[str, tuple[cst.Name, str, cst.BaseExpression | None]] = {}  # name = kwargs.get("keyword", default)
        sites: list[tuple[cst.BaseExpression, str, cst.BaseExpression | None]] = []  # kwargs.get(...) read in place
        stack: list[cst.CSTNode] = [init.body]
        while stack:
            node = stack.pop()
            if type(node) is cst.Name:
                occurrences.setdefault(node.value, []).append(node)
            elif type(node) in (cst.Call, cst.Subscript) and (read := _keyword_read(node, kwargs)) is not None:
                parent = parents.get(node)
                if type(parent) is cst.Assign and len(parent.targets) == 1 and type(
                        parent.targets[0].target) is cst.Name:
                    bound.setdefault(parent.targets[0].target.value, (parent.targets[0].target, *read))
                else:
                    sites.append((node, *read))
            for child in iter_children(node):
                parents[child] = node
                # a keyword's name and an attribute's name are not reads of a variable
                if not ((type(node) is cst.Arg and child is node.keyword)
                        or (type(node) is cst.Attribute and child is node.attr)):
                    stack.append(child)
        for name, found in occurrences.items():
            # A name read once, and bound once (to the keyword's read) or a parameter of the keyword's own name
            # bound nowhere: nothing else depends on the shape of its value.
            if name in bound and name not in named and len(found) == 2:
                target, keyword, default = bound[name]
                sites += [(n, keyword, default) for n in found if n is not target]
            elif name in named and name not in bound and len(found) == 1:
                sites.append((found[0], name, None))
        bindings = self.provider_imports
        index = self.options.provider_index()
        edits: dict[cst.CSTNode, object] = {}
        for read, keyword, default in sites:
            entry = values.get(keyword)
            if not isinstance(entry, (ast.List, ast.Dict)):
                continue
            parent = parents.get(read)
            wrapped = type(parent) is cst.Element and type(parents.get(parent)) is cst.List and len(
                parents[parent].elements) == 1
            value = parents[parent] if wrapped else read
            arg = parents.get(value)
            call = parents.get(arg)
            if type(arg) is not cst.Arg or arg.keyword is None or arg.value is not value or type(call) is not cst.Call:
                continue
            target = bindings.resolve(call.func)
            info = index.param(*target, arg.keyword.value) if target is not None else None
            if info is None or info[0] != LIST:
                continue
            where, what = f"{target[1]}.{arg.keyword.value}", code_of(read)
            if isinstance(entry, ast.List) and wrapped and all(isinstance(e, ast.Dict) for e in entry.elts):
                if self.report(value, f"the entry passes `{keyword}=` a list of blocks, which `[{what}]` makes a list "
                                      f"of lists for {where}: passed as it is"):
                    edits[value] = lambda updated: updated.elements[0].value.with_changes(
                        lpar=updated.lpar, rpar=updated.rpar)
                    if isinstance(default, cst.Dict):  # the default block, still given as a list of it
                        edits[default] = lambda updated: cst.List([cst.Element(updated)])
            elif isinstance(entry, ast.Dict) and not wrapped and not isinstance(default, (cst.List, cst.Tuple)):
                if self.report(value, f"the entry passes `{keyword}=` one block, and {where} takes a list of "
                                      f"blocks: wrapped in [...]"):
                    edits[value] = lambda updated: cst.List([cst.Element(updated)])
        return edits

    def _accepting(self, class_def: cst.ClassDef, calls: list[StackCall]) -> cst.ClassDef:
        """The class with an `__init__` that accepts the entry's calls, as far as one follows."""
        keywords = list(dict.fromkeys(k for call in calls for k in call.keywords))
        init = _init_of(class_def)
        if init is None:
            if keywords:
                self.report(class_def, f"`{class_def.name.value}` takes TerraformStack's scope and id only, but the "
                                       f"entry passes {', '.join(f'`{k}=`' for k in keywords)}: give it an __init__ "
                                       "that takes them", fixed=False)
            return class_def
        params = init.params
        if params.posonly_params or not params.params or not isinstance(init.body, cst.IndentedBlock):
            return class_def  # `__init__(self, /, ...)` or a one-line body: rare enough to leave to a hand
        positional = [p.name.value for p in params.params[1:]]  # after self
        passed_positional = max(call.positional for call in calls)
        if passed_positional > len(positional) and not isinstance(params.star_arg, cst.Param):
            self.report(init, f"the entry passes {passed_positional} positional arguments, `__init__` takes "
                              f"{len(positional)}", fixed=False)
            return class_def
        named = {p.name.value: p for p in [*params.params[1:], *params.kwonly_params]}
        open_names = [n for n in named if n not in keywords and n not in positional[:passed_positional]]
        kwargs = params.star_kwarg.name.value if isinstance(params.star_kwarg, cst.Param) else None
        values = {k: v for call in calls for k, v in call.values.items()}
        plan = _Plan()
        new_init = init
        for keyword in keywords:
            if keyword in named:
                continue
            counterpart = self._counterpart(keyword, open_names, values.get(keyword))
            if counterpart is not None:
                target, value = counterpart
                parameter = named[target]
                if parameter.default is None and not self._may_default(params, target):
                    self.report(parameter, f"the entry passes `{keyword}=`, the stack takes it as `{target}`, a "
                                           "required parameter followed by other required ones: map it by hand",
                                fixed=False)
                    continue
                if self.report(parameter, f"the entry passes `{keyword}=`; the stack takes it as `{target}`: "
                                          f"`{keyword}` accepted and its value given to `{target}`"):
                    plan.added.append(keyword)
                    plan.mappings.append((keyword, target, value))
                    open_names.remove(target)
                    if parameter.default is None:
                        plan.defaults_to_none.add(target)
                continue
            if kwargs is not None:
                continue  # accepted by **kwargs
            if self.report(init, f"the entry passes `{keyword}=`, which `{class_def.name.value}.__init__` did not "
                                 "take: accepted (default None); the stack does not use it"):
                plan.added.append(keyword)
        for name in open_names:
            parameter = named[name]
            if parameter.default is None and name not in positional[:passed_positional]:
                self.report(parameter, f"`{name}` is required, but the entry does not pass it", fixed=False)
        if kwargs is not None and any(k not in named for k in keywords):
            without, forwarding = _without_kwargs_forwarding(init, kwargs)
            if forwarding and all([self.report(call, f"`**{kwargs}` is forwarded to TerraformStack.__init__, which "
                                                     "takes only scope and id: the entry's keywords would be refused "
                                                     "there; not forwarded") for call in forwarding]):
                new_init = without
        if not plan.added and new_init is init:
            return class_def
        if plan.added:
            class_indent = class_def.body.indent if class_def.body.indent is not None else self._default_indent
            new_init = self._apply(new_init, plan, class_indent)
        class_body = [new_init if s is init else s for s in class_def.body.body]
        return class_def.with_changes(body=class_def.body.with_changes(body=class_body))

    @staticmethod
    def _may_default(params: cst.Parameters, name: str) -> bool:
        """Whether required `name` can take a default: keyword-only, or no required positional one after it."""
        if any(p.name.value == name for p in params.kwonly_params):
            return True
        after = [p for p in params.params if p.name.value == name]
        index = params.params.index(after[0])
        return all(p.default is not None for p in params.params[index + 1:])

    def _counterpart(self, keyword: str, open_names: list[str], value: ast.expr | None) -> tuple[str, str] | None:
        """(stack parameter, the value expression to give it) for the entry's `keyword`, when the stack has
        exactly one parameter of the same meaning that the entry does not fill already."""
        if keyword == PROVIDER_TAGS:
            # The provider's block is {"tags": {...}}: a plain map of tags is its inside, when the entry's value
            # shows that shape.
            plain = [n for n in open_names if n in PLAIN_TAGS]
            if len(plain) == 1 and isinstance(value, ast.Dict) and [
                    k.value if isinstance(k, ast.Constant) else None for k in value.keys] == [TAG_BLOCK_KEY]:
                quote = _preferred_quote(self._tree)
                return plain[0], f"{keyword}[{quote}{TAG_BLOCK_KEY}{quote}]"
            return None
        if keyword in PLAIN_TAGS and PROVIDER_TAGS in open_names:
            quote = _preferred_quote(self._tree)
            return PROVIDER_TAGS, f"{{{quote}{TAG_BLOCK_KEY}{quote}: {keyword}}}"
        for group in SAME_MEANING:
            if keyword in group:
                candidates = [n for n in open_names if n in group]
                if len(candidates) == 1:
                    return candidates[0], keyword
        return None

    def _apply(self, init: cst.FunctionDef, plan: _Plan, indent: str) -> cst.FunctionDef:
        """`init` with the plan's parameters and mappings; `indent` is the def's own indentation."""
        module_indent = self._default_indent
        params = init.params
        if plan.defaults_to_none:
            none = cst.Name("None")
            equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                    whitespace_after=cst.SimpleWhitespace(""))
            spaced = cst.AssignEqual()  # PEP 8: spaces around = after an annotation

            def defaulted(p: cst.Param) -> cst.Param:
                if p.name.value not in plan.defaults_to_none:
                    return p
                return p.with_changes(default=none, equal=spaced if p.annotation else equal)

            params = params.with_changes(params=[defaulted(p) for p in params.params],
                                         kwonly_params=[defaulted(p) for p in params.kwonly_params])
        init = init.with_changes(params=params)
        init = init.with_changes(params=_with_params_added(init, plan.added))
        header = code_of(init.with_changes(body=cst.IndentedBlock([]), leading_lines=())).split("\n", 1)[0]
        if "\n" not in code_of(init.params) and len(indent) + len(header) > MAX_LINE:
            init = _one_per_line(init, module_indent)
        if plan.mappings:
            statements = list(init.body.body)
            at = 1 if statements and _is_docstring(statements[0]) else 0
            mapped = [_mapping_statement(*m) for m in plan.mappings]
            if at == 0 and statements:
                # The first statement's comments and blank lines stay above the code now leading the body.
                mapped[0] = mapped[0].with_changes(leading_lines=statements[0].leading_lines)
                statements[0] = statements[0].with_changes(leading_lines=())
            statements[at:at] = mapped
            init = init.with_changes(body=init.body.with_changes(body=statements))
        return init
