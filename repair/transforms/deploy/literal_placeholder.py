"""CDK035 literal-placeholder: a `{name}` placeholder left literal in a string that reaches Terraform.

Two ways generated code leaves a placeholder unfilled, both of which synth lets through and AWS rejects at apply
(`{` and `}` are outside every resource name's charset: "ValidationException: ... failed to satisfy constraint:
Member must satisfy regular expression pattern"):

- the missing `f`: `bucket="data-{environment_suffix}"` where `environment_suffix` is bound right there. Python
  keeps the braces; the code meant the value. The repair adds the `f` prefix, and only when every brace of the
  string is a `{name}` field whose name is bound in the string's scope before it (a parameter, an earlier
  assignment, an enclosing scope's binding; never a builtin), so the f-string reads exactly the names the author
  wrote. Left alone: strings with any other brace (JSON, `{{`/`}}`, `{0}`, `{x.y}`, `{####}`), with `${`, `%{`,
  `!{`, `#{` (Terraform, Firehose and shell placeholders), with a field after a `/` or the whole string one field
  (`/items/{id}`, `path_part="{id}"`: API Gateway's and AppSync's own path parameters), multi-line strings (inline
  code), strings with a backslash (LaTeX, paths, regular expressions), and templates: strings another formatter
  reads (`.format`, `.format_map`, `%`, `string.Template`, `.replace`, through a name assigned once too, or the
  result of the call they are given to: `_("...{name}").format(name=...)`), strings handed to a call with their
  fields' values (`name=...`, or a dict of them), and strings of a function that formats some string with every
  field's name or a `**` mapping (the template reaches it through lists, loops and joins).
- the Terraform workspace written as a Python placeholder: `f"{{workspace}}-{region}"` (escaped braces) or
  `"{workspace}-..."` where nothing named `workspace` is bound in the module. The workspace is a value only
  Terraform knows at plan time, and its one name there is the named value `terraform.workspace`
  (https://developer.hashicorp.com/terraform/language/state/workspaces#current-workspace-interpolation), so the
  placeholder becomes `${terraform.workspace}` (`${{terraform.workspace}}` in an f-string), when the string is
  given to a construct (a provider class, a class of the project or of cdktf), directly or through a name every
  read of which is; elsewhere it is only reported, the value would not reach Terraform.

Any other unbound `{name}` (or an escaped `{{name}}` of a name that is bound) in a string given to a construct is
reported with the names bound there that it may have meant, and left alone: which value was meant is the user's.

The JSON check names what reaches Terraform unfilled: a `{name}` in a resource's name-like argument is CDK021's
(it checks each name's charset); here, a `${...}` in a backend's settings, which Terraform reads before it
evaluates anything ("Error: Variables not allowed"), e.g. a workspace-suffixed state bucket.
"""

from __future__ import annotations

import difflib
import re

import libcst as cst
from libcst.metadata import BuiltinAssignment, ComprehensionScope, ParentNodeProvider, ScopeProvider

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, walk
from repair.transforms._names import is_stdlib_module, name_uses
from repair.transforms._triggers import CDKTF_IMPORT, All, InString, Regex

# `{name}` fields of a plain string, and what may stand before a brace that is no Python placeholder.
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ESCAPED_FIELD = re.compile(r"(?<![${])\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}(?!\})")
_OTHER_SYSTEMS = ("$", "%", "!", "#", "/", "\\N")
# A field right after a backslash is an escape, a path or a command's argument (`\\{`, `C:\\{user}`, LaTeX's
# `\\end{code}`), not a Python placeholder.
_AFTER_BACKSLASH = re.compile(r"\\[A-Za-z]*$")
# Methods and functions that fill a template's own placeholders: a string they read is a template, not a value.
_FORMATTERS = frozenset({"format", "format_map", "replace", "substitute", "safe_substitute", "Template"})
WORKSPACE = "workspace"
# https://developer.hashicorp.com/terraform/language/backend#backend-block: "A backend block cannot refer to named
# values (like input variables, locals, or data source attributes)."
_BACKEND_READ = ("Terraform reads backend settings before it evaluates anything: no `${...}` may be used there "
                 "(Error: Variables not allowed)")
_INTERPOLATION = re.compile(r"(?<!\$)\$\{")
_LITERAL_FIELD = re.compile(r"(?<![$%!#])\{[A-Za-z_][A-Za-z0-9_]*\}")
# S3 backend settings that name a bucket or a table (charsets without braces).
_NAMED_SETTINGS = frozenset({"bucket", "dynamodb_table"})
TERRAFORM_WORKSPACE = "${terraform.workspace}"


def _plain_fields(node: cst.SimpleString) -> list[tuple[int, str]] | None:
    """(offset in the literal's code, name) of each `{name}` field of a plain one-line string whose every brace
    belongs to such a field; None when the string is anything else."""
    if set(node.prefix.lower()) & set("fbu") or len(node.quote) == 3:
        return None
    body = node.value[len(node.prefix) + len(node.quote): -len(node.quote)]
    if "\n" in body or "\\" in body:
        return None  # a line break (inline code), or text for another reader: LaTeX (`\\int_{a}`), a path, a regex
    fields = list(_FIELD.finditer(body))
    covered = sum(m.end() - m.start() for m in fields)
    if not fields or body.count("{") + body.count("}") != 2 * len(fields):
        return None
    if covered == len(body) and fields[0].group(1) != WORKSPACE:
        return None  # the whole string one field: a service's own parameter (`path_part="{id}"`)
    if covered == 0 or any(body[:m.start()].endswith(_OTHER_SYSTEMS) for m in fields):
        return None
    start = len(node.prefix) + len(node.quote)
    return [(start + m.start(), m.group(1)) for m in fields]


def _gives_fields(value: cst.BaseExpression, fields: set[str]) -> bool:
    """A dict literal whose string keys include every field: the template's values, handed over with it."""
    if type(value) is not cst.Dict or not fields:
        return False
    keys = {element.key.evaluated_value for element in value.elements
            if type(element) is cst.DictElement and type(element.key) is cst.SimpleString}
    return fields <= keys


def _bound_by(statement: cst.CSTNode) -> set[str]:
    """The plain names an assignment statement or a `for` loop binds."""
    if type(statement) is cst.For:
        targets = [statement.target]
    elif type(statement) is cst.Assign:
        targets = [t.target for t in statement.targets]
    elif type(statement) in (cst.AnnAssign, cst.AugAssign):
        targets = [statement.target]
    else:
        return set()
    names = set()
    while targets:
        target = targets.pop()
        if type(target) is cst.Name:
            names.add(target.value)
        elif type(target) in (cst.Tuple, cst.List):
            targets += [element.value for element in target.elements]
    return names


def _flows_and_formats(scope: cst.CSTNode) -> tuple[dict[str, set[str]], list[tuple[str, set[str] | None]]]:
    """In a function (or module): name -> the names assigned from an expression that reads it or looping over one,
    and each `name.format(...)` with the keywords it is given (None: a `**` mapping or `format_map`)."""
    flows: dict[str, set[str]] = {}
    formats: list[tuple[str, set[str] | None]] = []
    for inner in walk(scope):
        kind = type(inner)
        if kind is cst.Call and type(inner.func) is cst.Attribute and type(inner.func.value) is cst.Name \
                and inner.func.attr.value in ("format", "format_map"):
            mapping = inner.func.attr.value == "format_map" or any(arg.star == "**" for arg in inner.args)
            formats.append((inner.func.value.value, None if mapping else
                            {arg.keyword.value for arg in inner.args if arg.keyword is not None}))
        elif kind in (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For):
            source = inner.iter if kind is cst.For else inner.value
            if source is None:
                continue
            targets = _bound_by(inner)
            for read in walk(source):
                if type(read) is cst.Name:
                    flows.setdefault(read.value, set()).update(targets)
    return flows, formats


def _escaped_fields(node: cst.FormattedString) -> list[str] | None:
    """The names of the `{{name}}` escapes of an f-string whose text has no other brace; None when it has one."""
    names = []
    for part in node.parts:
        if type(part) is cst.FormattedStringText:
            text = part.value
            found = list(_ESCAPED_FIELD.finditer(text))
            rest = _ESCAPED_FIELD.sub("", text).replace("${{", "").replace("}}", "")
            if "{" in rest or "}" in rest or "\n" in text:
                return None
            if any(text[:m.start()].endswith(_OTHER_SYSTEMS) or _AFTER_BACKSLASH.search(text[:m.start()])
                   for m in found):
                return None
            names += [m.group(1) for m in found]
    return None if node.start.endswith(("'''", '"""')) else names


class LiteralPlaceholder(Rule):
    id = "CDK035"
    slug = "literal-placeholder"
    severity = Severity.HIGH
    summary = ("Fill `{name}` placeholders left literal in strings: add the missing `f` where every field is a "
               "name bound there, write the Terraform workspace as `${terraform.workspace}`, report the others.")
    prevents = ("terraform apply: Error: creating Lambda Function (data-processor-{workspace}-eu-west-1): "
                "ValidationException: 1 validation error detected: Value at 'functionName' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern")
    prevents_template = ("terraform apply: Error: creating a resource named {value}: ValidationException: ... failed "
                         "to satisfy constraint: Member must satisfy regular expression pattern")
    doc_url = "https://developer.hashicorp.com/terraform/language/state/workspaces#current-workspace-interpolation"
    analysis_keywords = ("missing f string", "f string", "string interpolation", "literal placeholder",
                         "workspace interpolation", "literal braces", "unformatted string")
    # A `{name}` field in a plain string, or an escaped `{{name}}` in an f-string.
    # A `{name}` in a string literal (an f-string's `{{name}}` included), not an f-string's own field.
    # Only in CDKTF code (a module that imports cdktf, constructs or a provider): elsewhere (a Lambda handler, a
    # library) a `{name}` is as often a template filled by means this cannot see, and no value reaches Terraform.
    triggers = All(Regex(CDKTF_IMPORT), InString(r"\{[A-Za-z_][A-Za-z0-9_]*\}"))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "def build(self, environment_suffix):\n"
                '    S3Bucket(self, "data", bucket="orders-data-{environment_suffix}")\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "def build(self, environment_suffix):\n"
                '    S3Bucket(self, "data", bucket=f"orders-data-{environment_suffix}")\n'
            ),
        ),
        Example(
            before=(
                "from cdktf import App\n"
                "from lib.stack import AppStack\n"
                'for region in ["eu-west-1", "us-east-1"]:\n'
                '    AppStack(app, f"app-{region}", environment_suffix=f"{{workspace}}-{region}")\n'
            ),
            after=(
                "from cdktf import App\n"
                "from lib.stack import AppStack\n"
                'for region in ["eu-west-1", "us-east-1"]:\n'
                '    AppStack(app, f"app-{region}", environment_suffix=f"${{terraform.workspace}}-{region}")\n'
            ),
        ),
        # API Gateway's own path parameters, JSON, Terraform's and other formatters' placeholders stay.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.apigatewayv2_route import Apigatewayv2Route\n"
                "def build(self, id, api, name):\n"
                '    Apigatewayv2Route(self, "get", api_id=api.id, route_key="GET /items/{id}")\n'
                '    template = "hello {name}"\n'
                "    greeting = template.format(name=name)\n"
                '    body = \'{"name": "x"}\'\n'
                '    url = "${aws_s3_bucket.b.arn}/{name}"\n'
            ),
        ),
        # A name bound only after the string would fail as an f-string: left alone.
        Example(
            before=(
                "def build(self):\n"
                '    label = "orders-{suffix}"\n'
                '    suffix = "dev"\n'
                "    return label\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if not CDKTF_IMPORT.search(tree.code if self._code is None else self._code):
            return tree
        # The trigger matches every f-string field: most files have no candidate, and pay for one walk.
        candidates = []
        for node in walk(tree):
            if type(node) is cst.SimpleString:
                fields = _plain_fields(node)
                if fields:
                    candidates.append((self._plain, node, fields))
            elif type(node) is cst.FormattedString:
                names = _escaped_fields(node)
                if names:
                    candidates.append((self._escaped, node, names))
        if not candidates:
            return tree
        self._order = {node: i for i, node in enumerate(walk(tree))}
        self._tree = tree
        self._module_bound = None
        self._held_formats = None
        self._scope_flows: dict[cst.CSTNode, tuple] = {}
        edits = {}
        for repair, node, fields in candidates:
            repair(node, fields, edits)
        return apply_leaves(tree, edits) if edits else tree

    # -- what a string's names are where it is written ------------------------------------------------------------

    def _bound_before(self, node: cst.CSTNode, name: str) -> bool:
        """Whether `name` is bound where `node` is evaluated (not as a builtin), by a binding that comes first."""
        scope = self.node_metadata(ScopeProvider, node)
        if scope is None:
            return False
        assignments = [a for a in scope[name] if not isinstance(a, BuiltinAssignment)]
        if not assignments:
            return False
        local = [a for a in assignments if a.scope is scope]
        if not local or isinstance(scope, ComprehensionScope):
            return True
        position = self._order.get(node, 0)
        return any(type(a.node) is cst.Param or self._order.get(a.node, position) < position for a in local)

    def _free_in_module(self, name: str) -> bool:
        """Bound nowhere in the module (no assignment, parameter, import, definition, in any scope)."""
        if self._module_bound is None:
            self._module_bound = name_uses(self._tree)
        return self._module_bound.is_free(name)

    def _names_in_scope(self, node: cst.CSTNode) -> list[str]:
        scope = self.node_metadata(ScopeProvider, node)
        names: list[str] = []
        while scope is not None:
            names += [a.name for a in scope.assignments if not isinstance(a, BuiltinAssignment)]
            parent = getattr(scope, "parent", None)
            scope = parent if parent is not scope else None
        return list(dict.fromkeys(names))

    def _candidates(self, node: cst.CSTNode, name: str) -> list[str]:
        names = [n for n in self._names_in_scope(node) if n != name and not n.startswith("_")]
        close = [n for n in names if name.lower() in n.lower() or n.lower() in name.lower() and len(n) > 2]
        return list(dict.fromkeys(close + difflib.get_close_matches(name, names, n=3)))[:4]

    # -- where a string goes ------------------------------------------------------------------------------------

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.node_metadata(ParentNodeProvider, node)

    def _use(self, node: cst.CSTNode) -> tuple[str, cst.CSTNode | None]:
        """Where the string's value goes: ("arg", call), ("assign", target), ("value", None) for other reads that
        take it as it is (a container, a return), ("template", None) when a formatter reads it, ("other", None)."""
        current, parent = node, self._parent(node)
        while type(parent) in (cst.ConcatenatedString, cst.FormattedStringExpression) or (
                type(parent) is cst.BinaryOperation and type(parent.operator) is cst.Add):
            if type(parent) is cst.FormattedStringExpression:
                return "other", None
            current, parent = parent, self._parent(parent)
        if type(parent) is cst.Attribute or (type(parent) is cst.BinaryOperation and parent.left is current):
            return "template", None
        if type(parent) is cst.Arg:
            call = self._parent(parent)
            if type(call) is cst.Call:
                func = call.func
                name = func.attr.value if type(func) is cst.Attribute else code_of(func)
                fields = set(_FIELD.findall(code_of(node))) if type(node) is cst.SimpleString else set(
                    _escaped_fields(node) or ()) if type(node) is cst.FormattedString else set()
                if name in _FORMATTERS or any(arg.keyword is not None and arg.keyword.value in fields
                                              or _gives_fields(arg.value, fields) for arg in call.args):
                    return "template", None  # a formatter, or a call given the fields' values by name
                result = self._parent(call)
                if type(result) is cst.Attribute and result.attr.value in _FORMATTERS:
                    return "template", None  # `_("Missing {name}").format(name=...)`: the call's result is one
                return "arg", call
            return "other", None
        if type(parent) in (cst.DictElement, cst.Element):
            if type(parent) is cst.DictElement and parent.key is current:
                return "other", None
            container = self._parent(parent)
            outer, _ = self._use(container) if container is not None else ("other", None)
            if outer == "assign" and self._formats_held_values():
                return "template", None  # a container of strings that something formats by other means
            return ("value", None) if outer in ("arg", "assign", "value") else (outer, None)
        if type(parent) is cst.Assign and parent.value is current and len(parent.targets) == 1:
            return "assign", parent.targets[0].target
        if type(parent) is cst.AnnAssign and parent.value is current:
            return "assign", parent.target
        if type(parent) is cst.Return:
            return "value", None
        return "other", None

    def _formats_held_values(self) -> bool:
        """Whether the file formats a string it reads out of something (`templates["x"].format(...)`)."""
        if self._held_formats is None:
            self._held_formats = any(
                type(node) is cst.Attribute and node.attr.value in _FORMATTERS
                and type(node.value) in (cst.Subscript, cst.Call, cst.Attribute) for node in self._order)
        return self._held_formats

    def _formatted_later(self, node: cst.CSTNode) -> bool:
        """Whether the string's value reaches a formatter given the values of all its fields by name (or a `**`
        mapping) through the names of its function: the name it is assigned to (in any expression: a list, a join),
        then each name assigned from or looping over one of those (`getter = "wget {url}"; cmd = " | ".join((getter,
        x)); cmd.format(url=url)`, `keys = ["{version}"]; for key in keys: key.format(version=v)`)."""
        statement, current = None, node
        while current is not None and type(current) not in (cst.FunctionDef, cst.Module):
            parent = self._parent(current)
            if isinstance(current, cst.BaseSmallStatement) or type(parent) is cst.For and parent.iter is current:
                statement = parent if type(parent) is cst.For else current
                break
            current = parent
        holders = _bound_by(statement) if statement is not None else set()
        if not holders:
            return False
        scope = statement
        while scope is not None and type(scope) not in (cst.FunctionDef, cst.Module):
            scope = self._parent(scope)
        if scope not in self._scope_flows:
            self._scope_flows[scope] = _flows_and_formats(scope)
        flows, formats = self._scope_flows[scope]
        pending = list(holders)
        while pending:  # every name the value may be held by, through the function's assignments and loops
            for target in flows.get(pending.pop(), ()):
                if target not in holders:
                    holders.add(target)
                    pending.append(target)
        fields = set(_FIELD.findall(code_of(node))) if type(node) is cst.SimpleString else set(
            _escaped_fields(node) or ())
        return any(name in holders and (given is None or fields <= given) for name, given in formats)

    def _reads_of(self, target: cst.BaseExpression) -> list[cst.CSTNode] | None:
        """The reads of an assigned name or attribute (by its code) in the file; None when one is a formatter's."""
        text = code_of(target)
        reads = []
        for node in self._order:
            if type(node) in (cst.Name, cst.Attribute) and node is not target and code_of(node) == text:
                parent = self._parent(node)
                if type(parent) is cst.AssignTarget or (type(parent) is cst.Attribute and parent.value is not
                                                            node):
                    continue
                use, _ = self._use(node)
                if use == "template":
                    return None
                reads.append(node)
        return reads

    def _is_construct(self, call: cst.Call) -> bool:
        """A call of a provider class, of a class of the file or the project, or of cdktf's."""
        if self.provider_imports.resolve(call.func) is not None:
            return True
        if type(call.func) is not cst.Name or not call.func.value[:1].isupper():
            return False
        scope = self.node_metadata(ScopeProvider, call)
        for assignment in scope[call.func.value] if scope is not None else ():
            if isinstance(assignment, BuiltinAssignment):
                continue  # `ValueError(...)`: Python's own class
            if type(assignment.node) is cst.ClassDef:
                return True
            if type(assignment.node) is cst.ImportFrom:
                module = code_of(assignment.node.module) if assignment.node.module else ""
                if assignment.node.relative or not is_stdlib_module(module.split(".")[0]):
                    return True
        return False

    def _reaches_construct(self, node: cst.CSTNode) -> bool:
        use, where = self._use(node)
        if use == "arg":
            return self._is_construct(where)
        if use == "value":
            # Inside a container: the container's own use decides.
            current = self._parent(node)
            while current is not None and type(current) is not cst.Arg:
                if isinstance(current, (cst.Assign, cst.BaseSmallStatement, cst.BaseCompoundStatement)):
                    return False
                current = self._parent(current)
            call = self._parent(current) if current is not None else None
            return type(call) is cst.Call and self._is_construct(call)
        if use == "assign":
            reads = self._reads_of(where)
            if not reads:
                return False
            return all(self._use(read)[0] == "arg" and self._is_construct(self._use(read)[1]) for read in reads)
        return False

    def _takes_value(self, node: cst.CSTNode) -> bool:
        """Whether the string is taken as it is (no formatter reads it, directly or through its name)."""
        if self._formatted_later(node):
            return False
        use, where = self._use(node)
        if use in ("arg", "value"):
            if use == "arg" and any(arg.star == "**" for arg in where.args):
                return False
            return True
        if use == "assign":
            return self._reads_of(where) is not None
        return False

    # -- the repairs --------------------------------------------------------------------------------------------

    def _plain(self, node: cst.SimpleString, fields: list[tuple[int, str]], edits: dict) -> None:
        if not self._takes_value(node):
            return
        names = [name for _, name in fields]
        bound = {name: self._bound_before(node, name) for name in names}
        unbound = [name for name in names if not bound[name]]
        workspace = [name for name in unbound if name == WORKSPACE and self._free_in_module(name)]
        others = [name for name in unbound if name not in workspace]
        code = code_of(node)
        if others:
            self._report_unbound(node, others, code)
            return
        if workspace and not self._reaches_construct(node):
            self._report_workspace(node, code)
            return
        interpolated = any(bound.values())
        text = code
        for offset, name in reversed(fields):
            if name in workspace:
                new = "${{terraform.workspace}}" if interpolated else TERRAFORM_WORKSPACE
                text = text[:offset] + new + text[offset + len(name) + 2:]
        if interpolated:
            text = "f" + text if node.prefix.islower() or not node.prefix else "F" + text
        what = []
        if interpolated:
            what.append("added the missing `f` (" + ", ".join(f"`{n}`" for n in names if bound[n]) + " bound here)")
        if workspace:
            what.append(f"wrote the Terraform workspace as `{TERRAFORM_WORKSPACE}` (nothing named `workspace` is "
                        "bound)")
        if self.report(node, f"{code} keeps its placeholders literal: " + "; ".join(what),
                       facts={"value": code}):
            edits[node] = lambda updated, text=text: cst.parse_expression(text).with_changes(
                lpar=updated.lpar, rpar=updated.rpar)

    def _escaped(self, node: cst.FormattedString, names: list[str], edits: dict) -> None:
        if not self._takes_value(node):
            return
        code = code_of(node)
        workspace = WORKSPACE in names and self._free_in_module(WORKSPACE)
        others = [n for n in names if n != WORKSPACE or not workspace]
        if others:
            bound = [n for n in others if self._bound_before(node, n)]
            if self._reaches_construct(node):
                if bound:
                    self.report(node, f"{code}: the doubled braces keep " + ", ".join(f"`{{{n}}}`" for n in bound)
                                + " literal though " + ", ".join(f"`{n}`" for n in bound) + " is bound here: write "
                                + ", ".join(f"`{{{n}}}`" for n in bound) + " if its value was meant", fixed=False,
                                facts={"value": code})
                unbound = [n for n in others if n not in bound]
                if unbound:
                    self._report_unbound(node, unbound, code)
            return
        if not self._reaches_construct(node):
            self._report_workspace(node, code)
            return
        if self.report(node, f"{code} keeps `{{workspace}}` literal, and nothing named `workspace` is bound: wrote "
                       f"the Terraform workspace, `{TERRAFORM_WORKSPACE}`",
                       facts={"value": code}):
            edits[node] = self._workspace_edit

    @staticmethod
    def _workspace_edit(updated: cst.FormattedString) -> cst.FormattedString:
        parts = [part.with_changes(value=_ESCAPED_FIELD.sub(
            lambda m: "${{terraform.workspace}}" if m.group(1) == WORKSPACE else m.group(0), part.value))
            if type(part) is cst.FormattedStringText else part for part in updated.parts]
        return updated.with_changes(parts=parts)

    def _report_unbound(self, node: cst.CSTNode, names: list[str], code: str) -> None:
        if not self._reaches_construct(node):
            return
        for name in names:
            candidates = self._candidates(node, name)
            hint = (" names bound here: " + ", ".join(f"`{c}`" for c in candidates)) if candidates else ""
            self.report(node, f"{code} reaches a construct with `{{{name}}}` literal, and nothing named `{name}` is "
                        f"bound there; which value was meant is not in the code{';' if hint else ''}{hint}",
                        fixed=False, facts={"value": code})

    def _report_workspace(self, node: cst.CSTNode, code: str) -> None:
        self.report(node, f"{code} keeps `{{workspace}}` literal, and nothing named `workspace` is bound; the value "
                    f"does not reach a construct here, so Terraform's `{TERRAFORM_WORKSPACE}` may not be what it "
                    "needs", fixed=False, facts={"value": code})

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        backends = (stack.get("terraform") or {}).get("backend") or {}
        for kind, settings in backends.items() if isinstance(backends, dict) else ():
            for key, value in (settings or {}).items() if isinstance(settings, dict) else ():
                if not isinstance(value, str):
                    continue
                if _INTERPOLATION.search(value):
                    findings.append(JsonFinding(cls.id, f"terraform.backend.{kind}",
                                                f"{key} '{value}': {_BACKEND_READ}"))
                elif key in _NAMED_SETTINGS and _LITERAL_FIELD.search(value):
                    findings.append(JsonFinding(cls.id, f"terraform.backend.{kind}", f"{key} '{value}': a "
                                                "placeholder left literal; the braces are outside the name's charset"))
        return findings

    @classmethod
    def only_reportable(cls, finding: dict) -> str | None:
        if str(finding.get("address", "")).startswith("terraform.backend.") and _BACKEND_READ in str(
                finding.get("message", "")):
            return ("a backend's settings cannot use a value of the configuration, the workspace included (the S3 "
                    "backend keeps each workspace's state apart by itself, under env:/<workspace>/): which bucket and "
                    "table to use is the user's choice")
        return None
