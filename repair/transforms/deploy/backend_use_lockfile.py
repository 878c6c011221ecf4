"""CDK002 backend-use-lockfile: the `use_lockfile` escape hatch on the S3 backend.

`use_lockfile` (S3-native state locking) is an S3 backend argument only from Terraform 1.10 on. Generated stacks
set it through `add_override`, which CDKTF writes into `cdk.tf.json` unchecked; any older Terraform then refuses
the whole configuration at `terraform init`. Unless the target Terraform version is known to be 1.10 or later,
the override is dropped: the statement, or only the key when it sits in a dict override of the backend block.
"""

from __future__ import annotations

import libcst as cst

from repair.options import S3_LOCKFILE_MIN_TERRAFORM
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import apply_leaves, keyword_arg, remove_item, remove_statements, string_value, walk

OVERRIDE_PATH = "terraform.backend.s3.use_lockfile"
BACKEND_PATH = "terraform.backend.s3"
KEY = "use_lockfile"


def _override_args(call: cst.Call) -> tuple[str | None, cst.BaseExpression | None]:
    """(path, value) of `<anything>.add_override(path, value)`, path as a literal string or None."""
    if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_override"):
        return None, None
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    path = positional[0] if positional else getattr(keyword_arg(call, "path"), "value", None)
    value = positional[1] if len(positional) > 1 else getattr(keyword_arg(call, "value"), "value", None)
    return string_value(path), value


def _lockfile_key_index(value: cst.BaseExpression | None) -> int | None:
    if isinstance(value, cst.Dict):
        for index, element in enumerate(value.elements):
            if isinstance(element, cst.DictElement) and string_value(element.key) == KEY:
                return index
    return None


def _drops_whole_statement(call: cst.Call) -> bool:
    path, value = _override_args(call)
    if path == OVERRIDE_PATH:
        return True
    index = _lockfile_key_index(value) if path == BACKEND_PATH else None
    return index is not None and len(value.elements) == 1  # the key is all the override says


def _whole_line_override(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    calls = [_statement_call(s) for s in statement.body]
    return all(c is not None and _drops_whole_statement(c) for c in calls)


def _statement_call(statement: cst.BaseSmallStatement) -> cst.Call | None:
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        return statement.value
    return None


class BackendUseLockfile(Rule):
    id = "CDK002"
    slug = "backend-use-lockfile"
    severity = Severity.CRITICAL
    summary = "Drop the S3 backend `use_lockfile` override unless the target Terraform is 1.10 or later."
    prevents = (
        'terraform init: Error: Extraneous JSON object property: No argument or block type is named '
        '"use_lockfile" (Terraform older than 1.10)'
    )
    doc_url = "https://developer.hashicorp.com/terraform/language/backend/s3#use_lockfile"
    analysis_keywords = ("lockfile", "invalid backend", "invalid * backend", "invalid * * backend", "backend invalid",
                         "backend property", "backend parameter", "deprecated * backend")
    triggers = (KEY,)

    examples = (
        Example(
            before=(
                "S3Backend(self, bucket=state_bucket, key=key, region=region, encrypt=True)\n"
                "# Use S3-native state locking\n"
                'self.add_override("terraform.backend.s3.use_lockfile", True)\n'
                "\n"
                "bucket = S3Bucket(self, 'images')\n"
            ),
            after=(
                "S3Backend(self, bucket=state_bucket, key=key, region=region, encrypt=True)\n"
                "\n"
                "bucket = S3Bucket(self, 'images')\n"
            ),
        ),
        Example(
            before=(
                "stack.add_override(\n"
                "    'terraform.backend.s3',\n"
                "    {'encrypt': True, 'use_lockfile': True},\n"
                ")\n"
            ),
            after=(
                "stack.add_override(\n"
                "    'terraform.backend.s3',\n"
                "    {'encrypt': True},\n"
                ")\n"
            ),
        ),
        Example(
            before=(
                "if enable_locking:\n"
                '    self.add_override("terraform.backend.s3.use_lockfile", True)\n'
            ),
            after="if enable_locking:\n    pass\n",
        ),
        Example(
            before='if enable_locking: self.add_override("terraform.backend.s3.use_lockfile", True)\n',
            after="if enable_locking: pass\n",
        ),
        Example(before='self.add_override("terraform.backend.s3.encrypt", True)\n'),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        version = self.options.terraform_version
        if version is not None and version >= S3_LOCKFILE_MIN_TERRAFORM:
            return tree  # a valid argument there: nothing to repair
        edits = {}
        for node in walk(tree):
            if type(node) in (cst.IndentedBlock, cst.Module):
                if any(_whole_line_override(statement) for statement in node.body):
                    leave = self.leave_Module if type(node) is cst.Module else self.leave_IndentedBlock
                    edits[node] = lambda updated, original=node, leave=leave: leave(original, updated)
            elif type(node) is cst.SimpleStatementLine:
                if any(_statement_call(s) is not None for s in node.body):
                    edits[node] = lambda updated, original=node: self.leave_SimpleStatementLine(original, updated)
            elif type(node) is cst.SimpleStatementSuite:
                # `if lock: self.add_override(...)`: the statement after the colon, on the `if`'s own line.
                if any(_statement_call(s) is not None for s in node.body):
                    edits[node] = lambda updated, original=node: self.leave_SimpleStatementSuite(original, updated)
            elif type(node) is cst.Call and _override_args(node)[0] == BACKEND_PATH:
                edits[node] = lambda updated, original=node: self.leave_Call(original, updated)
        return apply_leaves(tree, edits)

    def _reason(self) -> str:
        version = self.options.terraform_version
        if version is None:
            target = "an unknown Terraform version (assumed older than 1.10)"
        else:
            target = f"Terraform {version[0]}.{version[1]}"
            if self.options.terraform_version_source:
                target += f" (from {self.options.terraform_version_source})"
        return f"`use_lockfile` is not an S3 backend argument before Terraform 1.10; dropped for {target}"

    # -- whole statements --------------------------------------------------------------------------------------
    def _drop_flags(self, original_body) -> list[bool]:
        flags = []
        for statement in original_body:
            drop = False
            if isinstance(statement, cst.SimpleStatementLine):
                calls = [_statement_call(s) for s in statement.body]
                drop = all(c is not None and _drops_whole_statement(c) for c in calls)
                if drop:
                    drop = all([self.report(call, self._reason()) for call in calls])
            flags.append(drop)
        return flags

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        flags = self._drop_flags(original_node.body)
        if not any(flags):
            return updated_node
        body, footer = remove_statements(updated_node.body, flags, updated_node.footer)
        if not body:
            body = [cst.SimpleStatementLine([cst.Pass()])]  # a block may not be empty
        return updated_node.with_changes(body=body, footer=footer)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        flags = self._drop_flags(original_node.body)
        if not any(flags):
            return updated_node
        body, footer = remove_statements(updated_node.body, flags, updated_node.footer)
        return updated_node.with_changes(body=body, footer=footer)

    def leave_SimpleStatementLine(self, original_node, updated_node):
        # `a(); self.add_override(...)`: drop only the override; a line of nothing but overrides is the block's job.
        flags = [(c := _statement_call(s)) is not None and _drops_whole_statement(c) for s in original_node.body]
        if not any(flags) or all(flags):
            return updated_node
        body = list(updated_node.body)
        for index in reversed([i for i, f in enumerate(flags) if f]):
            if not self.report(original_node.body[index], self._reason()):
                continue
            removed = body.pop(index)
            if index == len(body) and body:
                body[-1] = body[-1].with_changes(semicolon=removed.semicolon)
        return updated_node.with_changes(body=body)

    def leave_SimpleStatementSuite(self, original_node, updated_node):
        flags = [(c := _statement_call(s)) is not None and _drops_whole_statement(c) for s in original_node.body]
        if not any(flags):
            return updated_node
        body = list(updated_node.body)
        for index in reversed([i for i, f in enumerate(flags) if f]):
            if not self.report(original_node.body[index], self._reason()):
                continue
            removed = body.pop(index)
            if index == len(body) and body:
                body[-1] = body[-1].with_changes(semicolon=removed.semicolon)
        if not body:
            body = [cst.Pass()]  # a suite may not be empty
        return updated_node.with_changes(body=body)

    # -- the key inside a dict override ------------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        path, value = _override_args(original_node)
        if path != BACKEND_PATH or _drops_whole_statement(original_node):
            return updated_node
        index = _lockfile_key_index(value)
        if index is None:
            return updated_node
        if not self.report(value.elements[index], self._reason()):
            return updated_node
        new_args = []
        for original_arg, arg in zip(original_node.args, updated_node.args):
            if original_arg.value is value:
                arg = arg.with_changes(value=arg.value.with_changes(elements=remove_item(arg.value.elements, index)))
            new_args.append(arg)
        return updated_node.with_changes(args=new_args)

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        backend = stack.get("terraform", {}).get("backend", {}).get("s3", {})
        if KEY not in backend or (terraform_version is not None and terraform_version >= S3_LOCKFILE_MIN_TERRAFORM):
            return []
        since = S3_LOCKFILE_MIN_TERRAFORM
        target = "an unknown Terraform version" if terraform_version is None else \
            f"Terraform {terraform_version[0]}.{terraform_version[1]}"
        return [JsonFinding(cls.id, BACKEND_PATH, f"argument {KEY!r} needs Terraform {since[0]}.{since[1]} or later; "
                            f"the target is {target}")]