"""CDK025 escape-literal-interpolation: `${...}` meant literally in a string that Terraform reads.

Terraform evaluates `${...}` in every string of the configuration, and CDKTF writes Python strings into
`cdk.tf.json` as they are. A shell variable in user data (`${ENVIRONMENT}`), a JavaScript template literal in inline
code (`${port}`) or a service's own placeholder (an IoT rule's `${topic(3)}`, CloudFormation's `${AWS::Region}`) then
fails `terraform plan` with "Invalid reference" or "Call to unknown function". Terraform's escape for a literal
`${` is `$${`.

Only what cannot be a Terraform expression is escaped: a bare name (`${port}`), a shell expansion (`${NAME:-x}`,
`${#list[@]}`), an IAM policy variable (`${aws:username}`), a first part with capitals or `::` (Terraform's
references and functions are lower-case), a call of a function Terraform does not have, a dotted name that
starts at neither a named value nor a resource type (`${context.requestId}`). References such as
`${aws_s3_bucket.logs.arn}` or `${var.region}` are left alone, and so are strings with template directives
(`%{ for ... }`), whose `${name}` may be a loop variable. The strings considered are those written into a
provider resource or `TerraformOutput` call, and those bound to names such a call reads (followed through
assignments). A string given to a function of cdktf's `Fn` (`Fn.base64encode(script)`, `Fn.raw_string(...)`) is
escaped by cdktf itself, `${` to `$${`: there Terraform's escape is one too many (the instance would read `$${`),
and a `$${` is written back as `${`.
"""

from __future__ import annotations

import re

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import callee_name, code_of, dotted_code, iter_children, walk
from repair.transforms._triggers import All, SourceFacts, Text, Trigger

# Terraform's built-in functions (https://developer.hashicorp.com/terraform/language/functions): a `${name(` of one
# of these is an expression; any other call is a placeholder of some other system.
TERRAFORM_FUNCTIONS = frozenset("""
abs abspath alltrue anytrue base64decode base64encode base64gzip base64sha256 base64sha512 basename bcrypt can ceil
chomp chunklist cidrhost cidrnetmask cidrsubnet cidrsubnets coalesce coalescelist compact concat contains csvdecode
dirname distinct element endswith ephemeralasnull file filebase64 filebase64sha256 filebase64sha512 fileexists
filemd5 fileset filesha1 filesha256 filesha512 flatten floor format formatdate formatlist indent index issensitive
join jsondecode jsonencode keys length list log lookup lower map matchkeys max md5 merge min nonsensitive one parseint
pathexpand plantimestamp pow range regex regexall replace reverse rsadecrypt sensitive setintersection setproduct
setsubtract setunion sha1 sha256 sha512 signum slice sort split startswith strcontains strrev substr sum templatefile
templatestring textdecodebase64 textencodebase64 timeadd timecmp timestamp title tobool tolist tomap tonumber toset
tostring transpose trim trimprefix trimspace trimsuffix try type upper urlencode uuid uuidv5 values yamldecode
yamlencode zipmap
""".split())
# https://developer.hashicorp.com/terraform/language/expressions/references
REFERENCE_ROOTS = frozenset({"var", "local", "module", "data", "each", "count", "self", "path", "terraform"})
_FIRST_PART = re.compile(r"\s*([^.(\[\s}:#%/!,+*-]*)(.?)")
_SHELL_EXPANSION = re.compile(r"^[#!]?[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?(:?[-=?+]|##?|%%?|//?|\^\^?|,,?|\[|:\d|$)")
_OUTPUT_CLASSES = frozenset({"TerraformOutput"})
# A call of one of cdktf's Terraform functions: `Fn.base64encode`, `cdktf.Fn.raw_string`.
_FN_CALL = re.compile(r"(?:\w+\.)*Fn\.\w+")
# Terraform's escape of a literal `${`, in a plain string and in an f-string's text (braces doubled).
_ESCAPED = re.compile(r"(?<!\$)\$\$\{")
_ESCAPED_IN_FSTRING = re.compile(r"(?<!\$)\$\$\{\{")


def is_literal_placeholder(inner: str) -> bool:
    """Whether the text between `${` and its `}` can only be meant literally (no Terraform expression)."""
    stripped = inner.strip()
    if not stripped or stripped.startswith(("[", "{", '"', "(")) or stripped[0].isdigit():
        return False  # for expressions, objects, strings, numbers: Terraform's own
    if stripped in ("true", "false", "null"):
        return False
    if stripped.startswith("provider::"):
        return False  # a provider-defined function (Terraform 1.8+)
    if re.match(r"[A-Za-z_]\w*::", stripped):
        return True  # `${AWS::Region}`; a `::` further in is inside the expression (`"arn:aws:s3:::b"`)
    first, follower = _FIRST_PART.match(stripped).groups()
    if first and first != first.lower():
        return True
    if follower == "(":
        return first not in TERRAFORM_FUNCTIONS
    if follower == ":":
        return True  # `${aws:username}` (an IAM policy variable), `${NAME:-x}`: no Terraform expression reads so
    if follower in (".", "["):
        # A reference starts at one of Terraform's named values or at a resource type, which is always
        # `<provider>_<type>`: `${context.requestId}` (API Gateway's mapping templates) can be neither.
        return first not in REFERENCE_ROOTS and "_" not in first
    return bool(_SHELL_EXPANSION.match(stripped))


def _closing(text: str, start: int) -> int | None:
    """Index of the `}` closing the `${` whose `{` is at `start - 1`, counting nested braces."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def literal_placeholders(text: str) -> list[tuple[int, str]]:
    """(index of the `$`, inner text) of each unescaped `${...}` in `text` that is meant literally."""
    found = []
    for match in re.finditer(r"(\$+)\{", text):
        if len(match.group(1)) % 2 == 0:
            continue  # `$${` is Terraform's escape
        end = _closing(text, match.end())
        if end is None:
            continue
        inner = text[match.end():end]
        if is_literal_placeholder(inner):
            found.append((match.end() - 2, inner))
    return found


def _escape_plain(text: str) -> str:
    for index, _ in reversed(literal_placeholders(text)):
        text = text[:index] + "$" + text[index:]
    return text


_FSTRING_OPENING = re.compile(r"(\$+)\{\{")


def _escape_fstring_text(text: str) -> tuple[str, list[str]]:
    """In an f-string's text `${{NAME}}` is `${NAME}`: braces are doubled there. A placeholder may run on into a
    replacement field (`${{STAGE:-{stage}}}`); then the part before the field decides, when it alone shows a shell
    expansion or a name no Terraform expression has."""
    out: list[str] = []
    inners: list[str] = []
    index = 0
    while index < len(text):
        match = _FSTRING_OPENING.match(text, index)
        if match is None:
            out.append(text[index])
            index += 1
            continue
        out.append(match.group(0))
        index = match.end()
        if len(match.group(1)) % 2 == 0:
            continue
        end = text.find("}}", match.end())
        inner = text[match.end():end if end != -1 else len(text)].replace("{{", "{").replace("}}", "}")
        complete = end != -1
        if inner and is_literal_placeholder(inner) and (complete or not re.fullmatch(r"[a-z_][a-z0-9_]*", inner)):
            out[-1] = "$" + match.group(0)
            inners.append(inner if complete else inner + "...")
    return "".join(out), inners


class _LiteralInterpolationInAString(Trigger):
    """Where the rule may find something to escape or unescape, read with `ast`: a string literal whose value holds
    a placeholder meant literally (`literal_placeholders`) or Terraform's escape `$${`, or an f-string with `${` in
    its text (read without the rule's care for a placeholder that runs on into a field). Values, not the source's
    spelling: an escape sequence or strings written side by side may show a `${` the rule does not read, never
    hide one. Where `ast` cannot read the code, "maybe"."""

    def test(self, facts: SourceFacts) -> bool:
        tree = facts.tree
        if tree is None:
            return True
        return any("${" in text for text in tree.fstring_texts) or any(
            "${" in text and ("$${" in text or literal_placeholders(text)) for text in tree.strings)


class EscapeLiteralInterpolation(Rule):
    id = "CDK025"
    slug = "escape-literal-interpolation"
    severity = Severity.HIGH
    summary = ("Escape `${...}` meant literally (shell variables, template literals, other services' placeholders) as "
               "`$${...}` in strings Terraform reads.")
    prevents = 'terraform plan: Error: Invalid reference (A reference to a resource type must be followed by at ' \
               'least one attribute access) / Call to unknown function'
    prevents_template = "terraform plan: Error: Invalid reference or Call to unknown function: ${{{placeholder}}}"
    doc_url = "https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1"
    analysis_keywords = ("escaping", "escape", "interpolation", "literal dollar")
    triggers = All(Text("${"), _LiteralInterpolationInAString())

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'script = """#!/bin/bash\n'
                'echo "env=${ENVIRONMENT:-dev}" > /etc/app.env\n'
                'aws s3 cp s3://${BUCKET}/app.tar.gz /opt/\n'
                '"""\n'
                'Instance(self, "app", ami=ami, user_data=script, tags={"Bucket": bucket.id})\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'script = """#!/bin/bash\n'
                'echo "env=$${ENVIRONMENT:-dev}" > /etc/app.env\n'
                'aws s3 cp s3://$${BUCKET}/app.tar.gz /opt/\n'
                '"""\n'
                'Instance(self, "app", ami=ami, user_data=script, tags={"Bucket": bucket.id})\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.iot_topic_rule import IotTopicRule\n"
                'IotTopicRule(self, "ingest", name="ingest", sql=f"SELECT * FROM \'{topic}\'",\n'
                '             kinesis=[{"partition_key": "${topic(3)}", "stream_name": f"${{{stream.name}}}"}])\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.iot_topic_rule import IotTopicRule\n"
                'IotTopicRule(self, "ingest", name="ingest", sql=f"SELECT * FROM \'{topic}\'",\n'
                '             kinesis=[{"partition_key": "$${topic(3)}", "stream_name": f"${{{stream.name}}}"}])\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "app", ami=ami, user_data=f"echo ${{REGION}} {region}\\n")\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "app", ami=ami, user_data=f"echo $${{REGION}} {region}\\n")\n'
            ),
        ),
        # Text given to a function of cdktf's Fn is escaped by cdktf itself: Terraform's escape there is one too many.
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "app", ami=ami, user_data_base64=Fn.base64encode("echo $${HOME}"))\n'
            ),
            after=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'Instance(self, "app", ami=ami, user_data_base64=Fn.base64encode("echo ${HOME}"))\n'
            ),
        ),
        # Terraform references and functions, escaped placeholders, raw strings, and strings Terraform never reads.
        Example(
            before=(
                "from cdktf import Fn\n"
                "from cdktf_cdktf_provider_aws.instance import Instance\n"
                'handler_source = "console.log(`port ${port}`)"\n'
                'Instance(self, "app", ami="${data.aws_ami.linux.id}", user_data=Fn.raw_string("echo ${HOME}"),\n'
                '         tags={"Name": "$${literal}", "Hash": "${filebase64sha256(\\"app.zip\\")}"})\n'
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        bindings = self.provider_imports
        roots: list[cst.CSTNode] = []
        for node in walk(tree):
            if type(node) is cst.Call and (bindings.resolve(node.func) is not None
                                               or callee_name(node) in _OUTPUT_CLASSES):
                roots.extend(arg.value for arg in node.args)
        if not roots:
            return tree
        assignments: dict[str, list[cst.BaseExpression]] = {}
        for node in walk(tree):
            if type(node) is cst.Assign:
                for target in node.targets:
                    name = dotted_code(target.target)
                    if name is not None:
                        assignments.setdefault(name, []).append(node.value)
        # Each string with how it reaches Terraform: written into the configuration as it is (False), or as an
        # argument of a Terraform function (`Fn.base64encode(script)`, `Fn.raw_string(...)`: True), which cdktf
        # escapes itself, `${` to `$${`.
        strings: dict[cst.CSTNode, set[bool]] = {}
        seen_names: set[tuple[str, bool]] = set()
        pending: list[tuple[cst.CSTNode, bool]] = [(root, False) for root in roots]
        while pending:
            node, through_fn = pending.pop()
            if type(node) is cst.Call and _FN_CALL.fullmatch(code_of(node.func)):
                pending.extend((arg.value, True) for arg in node.args)
                continue
            if type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "format":
                # the format string's braces mean something else
                pending.extend((arg.value, through_fn) for arg in node.args)
                continue
            if type(node) in (cst.SimpleString, cst.FormattedStringText):
                strings.setdefault(node, set()).add(through_fn)
                continue
            name = dotted_code(node) if type(node) in (cst.Name, cst.Attribute) else None
            if name is not None and name in assignments and (name, through_fn) not in seen_names:
                seen_names.add((name, through_fn))
                pending.extend((value, through_fn) for value in assignments[name])
            if type(node) is cst.Arg:
                pending.append((node.value, through_fn))  # not its keyword: a name, but no variable's
            elif type(node) is cst.Attribute:
                pending.append((node.value, through_fn))  # nor an attribute's name
            else:
                pending.extend((child, through_fn) for child in iter_children(node))
        edits: dict[cst.CSTNode, cst.CSTNode] = {}
        for node, ways in strings.items():
            if ways == {True}:
                self._unescape(node, edits)
                continue
            if True in ways:
                continue  # read both ways: no one spelling is right for both
            if type(node) is cst.SimpleString:
                if "b" in node.prefix.lower() or "%{" in node.value:
                    continue
                body = node.value[len(node.prefix) + len(node.quote): -len(node.quote)]
                escaped = _escape_plain(body)
                inners = [inner for _, inner in literal_placeholders(body)]
            else:
                if "%{{" in node.value:
                    continue
                body = node.value
                escaped, inners = _escape_fstring_text(body)
            if escaped == body:
                continue
            names = ", ".join(f"`${{{inner}}}`" for inner in inners)
            if not self.report(node, f"{names} is not a Terraform expression; Terraform would evaluate it: escaped "
                               "as `$${...}` so it reaches the resource literally",
                               facts={"placeholder": inners[0]}):
                continue
            if type(node) is cst.SimpleString:
                edits[node] = node.with_changes(value=node.prefix + node.quote + escaped + node.quote)
            else:
                edits[node] = node.with_changes(value=escaped)
        if not edits:
            return tree
        return tree.visit(_Replace(edits))

    def _unescape(self, node: cst.CSTNode, edits: dict) -> None:
        """A string given to a Terraform function through cdktf must not carry Terraform's escape: cdktf escapes
        each `${` of it itself, so a `$${` would reach the resource as `$${`."""
        if type(node) is cst.SimpleString:
            if "b" in node.prefix.lower():
                return
            pattern, plain = _ESCAPED, "${"
        else:
            pattern, plain = _ESCAPED_IN_FSTRING, "${{"
        if pattern.search(node.value) is None:
            return
        inners = [m.group(1) for m in re.finditer(r"\$\$\{\{?([^}]*)", node.value)]
        names = ", ".join(f"`$${{{inner}}}`" for inner in inners)
        if self.report(node, f"{names} reaches Terraform through a function of cdktf's Fn, which escapes `${{` "
                             "itself: unescaped so that it arrives as `${...}`, not `$${...}`",
                       facts={"placeholder": inners[0]}):
            edits[node] = node.with_changes(value=pattern.sub(lambda m: plain, node.value))

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for section in ("resource", "data"):
            for resource_type, named in (stack.get(section) or {}).items():
                for name, body in (named or {}).items():
                    prefix = "data." if section == "data" else ""
                    cls._check_value(body, f"{prefix}{resource_type}.{name}", findings)
        for name, body in (stack.get("output") or {}).items():
            cls._check_value(body, f"output.{name}", findings)
        return findings

    @classmethod
    def _check_value(cls, value, address: str, findings: list[JsonFinding]) -> None:
        if isinstance(value, str):
            if "%{" in value:
                return  # a template with directives: its `${name}` may be a loop variable
            for _, inner in literal_placeholders(value):
                findings.append(JsonFinding(cls.id, address, f"`${{{inner}}}` is not a Terraform expression; "
                                            "escape it as `$${...}` to mean it literally"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "//":  # CDKTF's metadata
                    cls._check_value(item, address, findings)
        elif isinstance(value, list):
            for item in value:
                cls._check_value(item, address, findings)


class _Replace(cst.CSTTransformer):
    def __init__(self, edits: dict) -> None:
        super().__init__()
        self._edits = edits

    def on_leave(self, original_node, updated_node):
        return self._edits.get(original_node, updated_node)
