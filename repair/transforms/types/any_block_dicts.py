"""CDK013 any-block-dicts: struct classes invented for a block the provider types `typing.Any`.

Where a block nests too deeply (a WAF rule's `statement`, which holds statements that hold statements), the
generator gives up and types it `typing.Any`: no struct class exists for anything inside it, so the
`Wafv2WebAclRuleStatement...` classes that answers call stop synth at an ImportError. jsii passes an `Any` value
through unchanged, so what Terraform needs there is plain dicts and lists with its own snake_case keys, which are
the keywords as the answer wrote them. The repair writes each struct call inside such a value as that dict,
nested ones included, and drops the imports nothing uses any more.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import PACKAGE
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, walk
from repair.transforms._structs import calls_to_dicts, keywords_only, struct_calls_in, tidy_imports, typed_args
from repair.transforms._triggers import ImportsUnknownName

_ANY = ("typing.Any",)


class AnyBlockDicts(Rule):
    id = "CDK013"
    slug = "any-block-dicts"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE
    summary = ("Write the struct objects inside a block the provider types `typing.Any` (a WAF rule's statement) "
               "as plain dicts with Terraform's keys.")
    prevents = (
        "ImportError: cannot import name 'Wafv2WebAclRuleStatement' from 'cdktf_cdktf_provider_aws.wafv2_web_acl' "
        "(cdktf synth fails)"
    )
    prevents_template = "ImportError: cannot import name '{name}' from '{module}' (cdktf synth fails)"
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/wafv2WebAcl.python.md"
    analysis_keywords = ("statement structure", "waf statement", "acl statement", "rule statement", "typing any")
    # No struct class exists inside an Any block: what the answers call there is a name the provider lacks.
    triggers = ImportsUnknownName()

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.wafv2_web_acl import (\n"
                "    Wafv2WebAclRule,\n"
                "    Wafv2WebAclRuleStatement,\n"
                "    Wafv2WebAclRuleStatementManagedRuleGroupStatement,\n"
                ")\n"
                "Wafv2WebAclRule(\n"
                "    name='common',\n"
                "    priority=1,\n"
                "    statement=Wafv2WebAclRuleStatement(\n"
                "        managed_rule_group_statement=Wafv2WebAclRuleStatementManagedRuleGroupStatement(\n"
                "            name='AWSManagedRulesCommonRuleSet',\n"
                "            vendor_name='AWS',\n"
                "        )\n"
                "    ),\n"
                ")\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.wafv2_web_acl import (\n"
                "    Wafv2WebAclRule,\n"
                ")\n"
                "Wafv2WebAclRule(\n"
                "    name='common',\n"
                "    priority=1,\n"
                "    statement={\n"
                "        \"managed_rule_group_statement\": {\n"
                "            \"name\": 'AWSManagedRulesCommonRuleSet',\n"
                "            \"vendor_name\": 'AWS',\n"
                "        }\n"
                "    },\n"
                ")\n"
            ),
        ),
        # Already plain dicts: nothing to do.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAclRule\n"
                "Wafv2WebAclRule(name='rate', priority=2, statement={'rate_based_statement': {'limit': 2000}})\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        index = self.options.provider_index()
        bindings = self.provider_imports
        edits: dict[cst.CSTNode, object] = {}
        touched: set[str] = set()
        inside_converted: set[cst.CSTNode] = set()
        for arg in typed_args(tree, bindings, index):
            if arg.annotation not in _ANY or arg.value in inside_converted:
                continue
            calls = struct_calls_in(arg.value, bindings, index)
            invented = [t for t in (bindings.resolve(c.func) for c in calls) if t[1] not in index.exports(t[0])]
            if not invented:
                continue  # no invented class inside
            facts = {"name": invented[0][1], "module": f"{PACKAGE}.{invented[0][0]}"}
            where = f"{arg.owner_class}.{arg.param} is typed Any (no struct classes exist inside it)"
            names = ", ".join(dict.fromkeys(code_of(c.func) for c in calls))
            if not all(keywords_only(c) for c in calls):
                self.report(arg.value, f"{where}; {names} take positional arguments and cannot be written as "
                            "dicts", fixed=False, facts=facts)
                continue
            if not self.report(arg.value, f"{where}: {names} written as plain dicts with Terraform's keys",
                               facts=facts):
                continue
            value, convert = arg.value, set(calls)
            edits[value] = lambda updated, value=value, convert=convert: calls_to_dicts(value, convert)
            inside_converted.update(walk(value))
            touched.update(c.func.value for c in calls if isinstance(c.func, cst.Name))
        if not edits:
            return tree
        tree = apply_leaves(tree, edits)
        return tidy_imports(self.context, tree, [], touched)
