"""CDK040 data-reference-text: a data source read through Terraform's text (`${data.aws_caller_identity.current.
account_id}`) that nothing declares under that address.

Generated stacks write the account, region or partition the way HCL would, as a reference in a string:
`f"arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root"`. cdktf passes the text through, and
Terraform then looks for a data source at `data.aws_caller_identity.current`, which the code never declared (or
declared under a construct, where cdktf gives it another address): `terraform plan` stops with "Reference to
undeclared resource". The provider's data sources of the account, region and partition take no argument, so the
reference has exactly one meaning: the attribute of such a data source. The text becomes a read of it, as CDK016
does for CloudFormation's `${AWS::AccountId}` (repair/transforms/_data_sources.py): the data source bound before the
statement in the same method, else one created there, with its import.

A reference to another data source (its arguments are the code's), or one outside a method of a class, is
reported, and so is a resource read by its address (`${random_id.suffix.hex}`) where the file declares no construct
under that name; one to a data source the file declares under that very id is left to the JSON check (directly in a
stack, cdktf gives it that address). The Terraform JSON check names every `${data.<type>.<name>...}` and
`${<type>.<name>.<attribute>}` reference (aws_s3_bucket, random_id) whose object the synthesized stack does not
declare.
"""

from __future__ import annotations

import re

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, construct_id, walk
from repair.transforms._data_sources import DataSources
from repair.transforms._keyword_calls import quote_style
from repair.transforms._triggers import Regex

# The provider's data sources that take no argument: Terraform type -> (provider module, class).
NO_ARGUMENT_SOURCES = {
    "aws_caller_identity": ("data_aws_caller_identity", "DataAwsCallerIdentity"),
    "aws_region": ("data_aws_region", "DataAwsRegion"),
    "aws_partition": ("data_aws_partition", "DataAwsPartition"),
}
# `${data.<type>.<name>.<attribute>}` as a plain string holds it, and as an f-string's text writes it (`${{...}}`).
# What follows the attribute (`names[0]`, `names[{i}]`) makes it an expression over the data source.
_PLAIN = re.compile(r"\$\{data\.(\w+)\.([\w-]+)\.(\w+)([^{}]*)\}")
_IN_FSTRING = re.compile(r"\$\{\{data\.(\w+)\.([\w-]+)\.(\w+)((?:[^{}]|\{[^{}]*\})*)\}\}")
# `${<type>.<name>.<attribute>` of a resource (aws_s3_bucket, random_id), in either kind of string.
_RESOURCE_TEXT = re.compile(r"(?<!\$)\$\{\{?([a-z][a-z0-9]*_[a-z0-9_]+)\.([\w-]+)\.(\w+)")
# References in synthesized JSON: `${...}` expressions, and the data sources and resources they name.
_EXPRESSION = re.compile(r"(?<!\$)\$\{([^{}]*)\}")
_DATA_REFERENCE = re.compile(r"(?<![\w.])data\.(\w+)\.([\w-]+)")
# A resource type is `<provider>_<name>` (aws_s3_bucket, random_id): Terraform's own names (var., local., each.,
# count., path., terraform., module., self.) have no `_` in their first word.
_RESOURCE_REFERENCE = re.compile(r"(?<![\w.])([a-z][a-z0-9]*_[a-z0-9_]+)\.([\w-]+)\.\w")


class DataReferenceText(Rule):
    id = "CDK040"
    slug = "data-reference-text"
    severity = Severity.CRITICAL
    summary = (
        "Read the account, region or partition a string refers to as HCL would (`${data.aws_caller_identity.current."
        "account_id}`) from a data source construct, declared before the statement where none is; report other "
        "data sources referred to by text."
    )
    prevents = 'terraform plan: Error: Reference to undeclared resource: data "aws_caller_identity" "current"'
    prevents_template = 'terraform plan: Error: Reference to undeclared resource: data "{type}" "{name}"'
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/data-sources"
    analysis_keywords = ("undeclared resource", "undeclared data source", "caller identity", "data source reference",
                         "hardcoded reference")
    triggers = Regex(re.compile(r"\$\{\{?(?:data\.\w|[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]+\.\w)"))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "class Keys(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        root = f\"arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root\"\n"
                "        KmsKey(self, 'key', description='${data.aws_region.current.name} data')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.kms_key import KmsKey\n"
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion\n"
                "class Keys(Construct):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        caller_identity = DataAwsCallerIdentity(self, 'caller_identity')\n"
                "        root = f\"arn:aws:iam::{caller_identity.account_id}:root\"\n"
                "        region = DataAwsRegion(self, 'region')\n"
                "        KmsKey(self, 'key', description=f'{region.name} data')\n"
            ),
        ),
        # A data source bound before the statement is the one read; `${aws:username}` is IAM's, kept as text.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        me = DataAwsCallerIdentity(self, 'me')\n"
                "        arn = 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/${aws:username}'\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity\n"
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        me = DataAwsCallerIdentity(self, 'me')\n"
                "        arn = f'arn:aws:iam::{me.account_id}:user/${{aws:username}}'\n"
            ),
        ),
        Example(
            before=(
                "class Stack(TerraformStack):\n"
                "    def __init__(self, scope, id):\n"
                "        super().__init__(scope, id)\n"
                "        Output(self, 'escaped', value='$${data.aws_region.current.name} is Terraform text')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._data_sources = DataSources(tree, self.provider_imports, quote_style(tree))
        # (class, construct id) of the data sources the file declares: one declared under the name the text uses
        # may well be at that address (directly in a stack), and then the text works: the JSON check tells.
        self._declared = {(target, construct_id(node)) for node in walk(tree) if type(node) is cst.Call
                          and (target := self.provider_imports.resolve(node.func)) in NO_ARGUMENT_SOURCES.values()}
        edits: dict[cst.CSTNode, object] = {}
        ids: set[str] | None = None
        expected: set[int] = set()
        for node in walk(tree):
            if type(node) in (cst.SimpleString, cst.FormattedString) and _RESOURCE_TEXT.search(code_of(node)):
                if ids is None:  # the construct ids the file writes: a resource declared under one may be there
                    calls = [call for call in walk(tree) if type(call) is cst.Call]
                    ids = {construct_id(call) for call in calls} - {None}
                    # ... and the resources an override writes into the stack's JSON by their address
                    code = tree.code
                    ids |= {m.group(1) for m in re.finditer(r"resource\.[a-z][a-z0-9]*_[a-z0-9_]+\.([\w-]+)", code)}
                    expected = _expectations(tree, calls, self.provider_imports)
                if id(node) not in expected:
                    self._report_resource_text(node, ids)
            if type(node) is cst.SimpleString and "b" not in node.prefix.lower():
                written = self._rewritten(node, node.value[len(node.prefix) + len(node.quote):-len(node.quote)],
                                          _PLAIN, plain=True)
                if written is not None:
                    edits[node] = lambda updated, code=written: cst.parse_expression(code).with_changes(
                        lpar=updated.lpar, rpar=updated.rpar)
            elif type(node) is cst.FormattedString:
                texts = [p.value for p in node.parts if type(p) is cst.FormattedStringText]
                if any(_IN_FSTRING.search(text) for text in texts):
                    written = self._rewritten(node, code_of(node), _IN_FSTRING, plain=False)
                    if written is not None:
                        edits[node] = lambda updated, code=written: cst.parse_expression(code).with_changes(
                            lpar=updated.lpar, rpar=updated.rpar)
        if not edits:
            return tree
        tree = apply_leaves(tree, self._data_sources.merged(edits))
        return self._data_sources.add_imports(self.context, tree)

    def _report_resource_text(self, node: cst.BaseExpression, ids: set[str]) -> None:
        """A resource read through Terraform's address (`${random_id.suffix.hex}`): cdktf gives a construct an
        address of its own, and the code declares none under that name; which construct was meant is the code's."""
        for kind, name, attribute in dict.fromkeys(m.groups() for m in _RESOURCE_TEXT.finditer(code_of(node))):
            if name not in ids:
                self.report(node, f"`${{{kind}.{name}.{attribute}}}` refers to a resource by Terraform's address, and "
                            f"nothing here declares a construct `{name}` (terraform plan: Reference to undeclared "
                            "resource): read the attribute of the construct meant", fixed=False,
                            facts={"type": kind, "name": name})

    def _rewritten(self, node: cst.BaseExpression, text: str, pattern: re.Pattern, plain: bool) -> str | None:
        """The string's code with each reference to a no-argument data source read from one, or None (findings
        reported either way)."""
        matches = [m for m in pattern.finditer(text) if not _escaped(text, m.start())]
        if not matches:
            return None
        names: list[str | None] = []
        sources = []
        for match in matches:
            kind, name, attribute, rest = match.groups()
            target = NO_ARGUMENT_SOURCES.get(kind)
            if (target, name) in self._declared:
                return None
            facts = {"type": kind, "name": name}
            where = f"`${{data.{kind}.{name}.{attribute}{rest}}}`"
            if target is None:
                self.report(node, f"{where} refers to a data source by Terraform's address, which cdktf does not "
                            "give it: declare it as a construct and read its attribute (its arguments are the "
                            "code's)", fixed=False, facts=facts)
                return None
            if rest.strip():
                self.report(node, f"`{match.group(0)}` is an expression over a data source nothing declares under "
                            f"that address: declare a {target[1]} and write it over its `.{attribute}`", fixed=False,
                            facts=facts)
                return None
            if attribute not in self.options.provider_index().attributes(*target):
                self.report(node, f"{where}: {target[1]} has no attribute `{attribute}`", fixed=False, facts=facts)
                return None
            local = self._data_sources.name_for(node, *target)
            if local is None:
                self.report(node, f"{where} refers to a data source nothing declares under that address; outside "
                            f"a method of a class, declare a {target[1]} and read `.{attribute}`", fixed=False,
                            facts=facts)
                return None
            names.append(f"{local}.{attribute}")
            sources.append(target)
        if plain:
            quote, prefix = node.quote, node.prefix
            pieces, position = [], 0
            for match, read in zip(matches, names):
                pieces.append(text[position:match.start()].replace("{", "{{").replace("}", "}}"))
                pieces.append("{" + read + "}")
                position = match.end()
            pieces.append(text[position:].replace("{", "{{").replace("}", "}}"))
            code = f"f{prefix}{quote}{''.join(pieces)}{quote}"
        else:
            code, offset = text, 0
            for match, read in zip(matches, names):
                code = code[:match.start() + offset] + "{" + read + "}" + code[match.end() + offset:]
                offset += len(read) + 2 - (match.end() - match.start())
        whole = text[len(node.prefix) + len(node.quote):-len(node.quote)] if not plain else text
        if len(matches) == 1 and matches[0].group(0) == whole:
            code = names[0]  # the string is the reference: the attribute itself
        if not self.report(node, f"{', '.join(sorted({m.group(0) for m in matches}))} refers to a data source "
                           f"nothing declares under that address (terraform plan: Reference to undeclared "
                           f"resource): read as {', '.join(names)}", facts={"type": matches[0].group(1),
                                                                            "name": matches[0].group(2)}):
            return None
        for target in sources:
            self._data_sources.create(node, *target)
        return code

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        declared_data = {(kind, name) for kind, named in (stack.get("data") or {}).items() if isinstance(named, dict)
                         for name in named}
        declared = {(kind, name) for kind, named in (stack.get("resource") or {}).items() if isinstance(named, dict)
                    for name in named}
        findings: list[JsonFinding] = []
        for address, text in _strings(stack):
            for expression in _EXPRESSION.findall(text):
                for kind, name in _DATA_REFERENCE.findall(expression):
                    if (kind, name) not in declared_data:
                        findings.append(JsonFinding(cls.id, address, f"refers to data.{kind}.{name}, which the stack "
                                                    "does not declare"))
                for kind, name in _RESOURCE_REFERENCE.findall(expression):
                    if (kind, name) not in declared:
                        findings.append(JsonFinding(cls.id, address, f"refers to {kind}.{name}, which the stack does "
                                                    "not declare"))
        return list(dict.fromkeys(findings))


def _expectations(tree: cst.Module, calls: list[cst.Call], bindings) -> set[int]:
    """The strings (by id) that are what a test expects of the synthesized JSON, not Terraform's input: in a module
    that creates no construct (no provider class called, no call given a literal construct id), every one (a test
    module's `expected_outputs = {...}`); elsewhere those in an `assert`, a comparison, the arguments of cdktf's
    `Testing` matchers, or the value of a variable read only there (`assert result["output"] == expected_outputs`)."""
    strings = (cst.SimpleString, cst.FormattedString)
    if not any(construct_id(call) is not None or bindings.resolve(call.func) is not None for call in calls):
        return {id(node) for node in walk(tree) if type(node) in strings}
    roots: list[cst.CSTNode] = [node for node in walk(tree) if type(node) in (cst.Assert, cst.Comparison)]
    roots += [call for call in calls if type(call.func) is cst.Attribute and type(call.func.value) is cst.Name
              and call.func.value.value == "Testing"]
    inside = {id(node) for root in roots for node in walk(root)}
    names: dict[str, list[cst.Name]] = {}
    for node in walk(tree):
        if type(node) is cst.Name:
            names.setdefault(node.value, []).append(node)
    for node in walk(tree):
        if type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
            target = node.targets[0].target
            reads = [name for name in names[target.value] if name is not target]
            if reads and all(id(name) in inside for name in reads):
                roots.append(node.value)
    return {id(node) for root in roots for node in walk(root) if type(node) in strings}


def _escaped(text: str, start: int) -> bool:
    """Whether the `${` at `start` is Terraform's escape `$${`, a literal `${`."""
    return start > 0 and text[start - 1] == "$"


def _strings(stack: dict) -> list[tuple[str, str]]:
    """(address of the block, a string with `${` somewhere in it) of each resource, data source and output."""
    blocks = [(f"{kind}.{name}", body) for kind, named in (stack.get("resource") or {}).items()
              if isinstance(named, dict) for name, body in named.items()]
    blocks += [(f"data.{kind}.{name}", body) for kind, named in (stack.get("data") or {}).items()
               if isinstance(named, dict) for name, body in named.items()]
    blocks += [(f"output.{name}", body) for name, body in (stack.get("output") or {}).items()]
    found: list[tuple[str, str]] = []
    for address, body in blocks:
        pending = [body]
        while pending:
            value = pending.pop()
            if isinstance(value, str):
                if "${" in value:
                    found.append((address, value))
            elif isinstance(value, dict):
                pending.extend(value.values())
            elif isinstance(value, list):
                pending.extend(value)
    return found
