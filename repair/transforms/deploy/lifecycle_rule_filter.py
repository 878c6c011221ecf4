"""CDK005 lifecycle-rule-filter: an S3 lifecycle rule with neither `filter` nor `prefix`.

The AWS provider warns that a rule without either is invalid and a later provider release makes it an error; the
S3 API itself rejects some such rules. The repair adds an empty filter (the rule then applies to every object,
which is what a rule without one meant). Its form comes from the installed provider: provider 21.x made the
rule's `filter` a list of blocks, and the seed analysis's own `filter={}` fails there at synth.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import LIST, PACKAGE
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import append_items, apply_leaves, callee_name, code_of, keyword_arg, string_value, walk


MODULE = "s3_bucket_lifecycle_configuration"
CONFIGURATION = "S3BucketLifecycleConfiguration"
RULE = "S3BucketLifecycleConfigurationRule"
FILTER = "S3BucketLifecycleConfigurationRuleFilter"
SCOPING_KEYS = ("filter", "prefix")


class LifecycleRuleFilter(Rule):
    id = "CDK005"
    slug = "lifecycle-rule-filter"
    severity = Severity.MEDIUM
    summary = "Give every S3 lifecycle rule a filter (empty: all objects), in the shape the provider takes."
    prevents = (
        "Warning/Error: Invalid Attribute Combination: No attribute specified when one (and only one) of "
        "[rule[0].filter,rule[0].prefix] is required"
    )
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration#filter"
    analysis_keywords = ("lifecycle rule filter", "lifecycle filter", "rule filter", "filter or prefix")
    triggers = (CONFIGURATION,)

    examples = (
        Example(
            before=(
                "S3BucketLifecycleConfiguration(self, 'lifecycle', bucket=bucket.id, rule=[\n"
                "    S3BucketLifecycleConfigurationRule(id='expire', status='Enabled',\n"
                "                                       expiration=[{'days': 90}])])\n"
            ),
            after=(
                "S3BucketLifecycleConfiguration(self, 'lifecycle', bucket=bucket.id, rule=[\n"
                "    S3BucketLifecycleConfigurationRule(id='expire', status='Enabled',\n"
                "                                       expiration=[{'days': 90}],\n"
                "                                       filter=[{}])])\n"
            ),
        ),
        Example(
            before=(
                "S3BucketLifecycleConfiguration(\n"
                "    self,\n"
                '    "lifecycle",\n'
                "    bucket=bucket.id,\n"
                "    rule=[\n"
                "        {\n"
                '            "id": "archive",\n'
                '            "status": "Enabled",\n'
                '            "transition": [{"days": 30, "storage_class": "GLACIER"}],\n'
                "        }\n"
                "    ],\n"
                ")\n"
            ),
            after=(
                "S3BucketLifecycleConfiguration(\n"
                "    self,\n"
                '    "lifecycle",\n'
                "    bucket=bucket.id,\n"
                "    rule=[\n"
                "        {\n"
                '            "id": "archive",\n'
                '            "status": "Enabled",\n'
                '            "transition": [{"days": 30, "storage_class": "GLACIER"}],\n'
                '            "filter": [{}],\n'
                "        }\n"
                "    ],\n"
                ")\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (\n"
                "    S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule,\n"
                "    S3BucketLifecycleConfigurationRuleFilter)\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[\n"
                "    S3BucketLifecycleConfigurationRule(id='tmp', status='Enabled')])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (\n"
                "    S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule,\n"
                "    S3BucketLifecycleConfigurationRuleFilter)\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[\n"
                "    S3BucketLifecycleConfigurationRule(id='tmp', status='Enabled', "
                "filter=[S3BucketLifecycleConfigurationRuleFilter()])])\n"
            ),
        ),
        Example(
            before=(
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[\n"
                "    {'id': 'logs', 'status': 'Enabled', 'prefix': 'logs/'},\n"
                "    S3BucketLifecycleConfigurationRule(id='all', status='Enabled', filter=[{}])])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        shape = self.options.provider_index().param_shape(MODULE, RULE, "filter")
        # Without the provider installed, assume the shape of the range pyproject pins (21.x: a list).
        self._as_list = (shape or LIST) == LIST
        self._filter_name = _imported_name(tree, FILTER)
        self._rule_dicts: set[cst.Dict] = set()
        edits = {}
        for node in walk(tree):
            if type(node) is cst.Call:
                name = callee_name(node)
                if name == CONFIGURATION:
                    self.visit_Call(node)
                elif name == RULE:
                    edits[node] = lambda updated, original=node: self.leave_Call(original, updated)
        for block in self._rule_dicts:
            edits[block] = lambda updated, original=block: self.leave_Dict(original, updated)
        return apply_leaves(tree, edits)

    def _empty_filter(self) -> cst.BaseExpression:
        block = f"{self._filter_name}()" if self._filter_name else "{}"
        return cst.parse_expression(f"[{block}]" if self._as_list else block)

    def visit_Call(self, node: cst.Call) -> None:
        if callee_name(node) != CONFIGURATION:
            return
        rules = keyword_arg(node, "rule")
        if rules is not None and type(rules.value) in (cst.List, cst.Tuple):
            self._rule_dicts.update(e.value for e in rules.value.elements if type(e.value) is cst.Dict)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if callee_name(original_node) != RULE:
            return updated_node
        if any(keyword_arg(original_node, key) for key in SCOPING_KEYS) or any(a.star for a in original_node.args):
            return updated_node
        if not self.report(original_node, self._message()):
            return updated_node
        arg = cst.Arg(value=self._empty_filter(), keyword=cst.Name("filter"),
                      equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        return updated_node.with_changes(args=append_items(updated_node.args, [arg], updated_node.whitespace_before_args))

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.BaseExpression:
        if original_node not in self._rule_dicts:
            return updated_node
        keys = [string_value(e.key) for e in original_node.elements if type(e) is cst.DictElement]
        if any(k in keys for k in SCOPING_KEYS) or any(type(e) is cst.StarredDictElement
                                                        for e in original_node.elements):
            return updated_node
        if not self.report(original_node, self._message()):
            return updated_node
        quote = next((e.key.quote for e in original_node.elements
                      if type(e) is cst.DictElement and type(e.key) is cst.SimpleString), '"')
        element = cst.DictElement(key=cst.SimpleString(f"{quote}filter{quote}"), value=self._empty_filter())
        return updated_node.with_changes(
            elements=append_items(updated_node.elements, [element], updated_node.lbrace.whitespace_after))

    def _message(self) -> str:
        shape = "a list with one empty filter" if self._as_list else "an empty filter"
        return f"lifecycle rule has neither filter nor prefix; added {shape} (the rule applies to all objects)"

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for name, body in stack.get("resource", {}).get("aws_s3_bucket_lifecycle_configuration", {}).items():
            for position, rule in enumerate(body.get("rule", []) or []):
                if isinstance(rule, dict) and "filter" not in rule and "prefix" not in rule:
                    findings.append(JsonFinding(cls.id, f"aws_s3_bucket_lifecycle_configuration.{name}",
                                                f"rule[{position}] ({rule.get('id', '?')}) has neither filter nor prefix"))
        return findings

def _imported_name(tree: cst.Module, name: str) -> str | None:
    """The local name under which `name` is imported from the lifecycle module, if it is."""
    for statement in tree.body:
        if type(statement) is not cst.SimpleStatementLine:
            continue
        for small in statement.body:
            if (type(small) is cst.ImportFrom and small.module is not None
                    and code_of(small.module) == f"{PACKAGE}.{MODULE}" and type(small.names) is not cst.ImportStar):
                for alias in small.names:
                    if code_of(alias.name) == name:
                        return code_of(alias.asname.name) if alias.asname else name
    return None
