"""CDK037 missing-required-argument: a provider class called without an argument its signature requires.

The bindings declare each argument the provider's schema requires without a default (`visibility_config` of a
WAF web ACL, `metric_name` of its visibility config, `name` of an SSM parameter): a call that omits one stops synth
with `TypeError: Wafv2WebAcl.__init__() missing 1 required keyword-only argument: 'visibility_config'`, and a dict
written for a block without one of the block's required keys fails the same way when the bindings build the
block's struct from it (or, inside a list of blocks, with jsii's `Missing required properties`). Answers omit them
when the AWS console or CloudFormation fills a default the Terraform provider does not. The value is the
answer's choice (which metric name, whether to sample requests): no type decides it, so the rule never writes
one. It reports each call and block with what is missing, each argument with its type and, for a block, the
struct to call and the keys that struct requires in turn, and leaves the code alone.

Calls the other rules repair are theirs: a keyword renamed or moved into place (CDK010, CDK011), a struct called
like a resource (CDK028), a map of named blocks (CDK029). The engine keeps a finding of this rule only where it is
still true of the repaired code.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import missing_params, param_shape, param_struct, required_params, LIST
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import string_value
from repair.transforms._keyword_calls import called_as_its_kind, provider_calls, snake_case
from repair.transforms._triggers import MissingArgument


def python_list(names: list[str]) -> str:
    """Names quoted and joined the way Python's TypeError lists missing arguments: 'a', 'a' and 'b', 'a', 'b', and
    'c'."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def readable_type(annotation: str) -> str:
    """A signature's annotation as a reader writes it: `typing.Union[builtins.bool, IResolvable]` -> `bool`."""
    text = annotation
    for prefix in ("typing.", "builtins.", "jsii."):
        text = text.replace(prefix, "")
    if text.startswith("Union[") and text.endswith("]"):
        parts = [p.strip().strip('"') for p in text[len("Union["):-1].split(",")]
        parts = [p for p in parts if not p.endswith("IResolvable") and not p.startswith("Dict[")]
        text = parts[0] if len(parts) == 1 else " | ".join(parts)
    return {"Number": "number", "str": "str", "bool": "bool"}.get(text, text)


class MissingRequiredArgument(Rule):
    id = "CDK037"
    slug = "missing-required-argument"
    severity = Severity.CRITICAL
    summary = ("Report a provider class called (or a block written as a dict) without an argument the installed "
               "signature requires, naming each with its type and, for a block, the struct and its required keys: "
               "the value is the code's to choose.")
    prevents = ("TypeError: Wafv2WebAcl.__init__() missing 1 required keyword-only argument: 'visibility_config' "
                "(cdktf synth fails)")
    prevents_template = ("TypeError: {class_name}.__init__() missing {count} required keyword-only "
                         "argument{plural}: {arguments} (cdktf synth fails)")
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/wafv2WebAcl.python.md"
    analysis_keywords = ("missing required", "required argument", "required parameter", "required property",
                         "required field")
    # A provider class's or struct's keyword-only argument; the answer's own stacks are CDK008's.
    synth_errors = (r"^TypeError: (?!\w*Stack\.)\w+\.__init__\(\) missing \d+ required keyword-only arguments?",)
    reports_only = True
    triggers = MissingArgument()

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl, Wafv2WebAclVisibilityConfig\n"
                "Wafv2WebAcl(self, 'acl', name='api', scope='REGIONAL', default_action={'allow': {}},\n"
                "            visibility_config=Wafv2WebAclVisibilityConfig(cloudwatch_metrics_enabled=True,\n"
                "                                                          metric_name='api',\n"
                "                                                          sampled_requests_enabled=True))\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter\n"
                "SsmParameter(self, 'p', name='/app/stage', type='String', value=stage, **extra)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        for call, module, class_name, params in provider_calls(self):
            if not called_as_its_kind(call, params) or any(arg.star for arg in call.args):
                continue  # a struct called like a resource is CDK028's; a spread may give anything
            positional = sum(1 for arg in call.args if arg.keyword is None)
            keywords = [arg.keyword.value for arg in call.args if arg.keyword is not None]
            missing = missing_params(params, positional, keywords)
            if missing:
                self._report(call, module, class_name, params, missing, "called")
            for arg in call.args:
                if arg.keyword is not None:
                    self._check_blocks(arg.value, module, params.get(arg.keyword.value))
        return tree  # reported only: the values are the code's to choose

    def _check_blocks(self, value: cst.BaseExpression, module: str, annotation: str | None,
                      in_list: bool = False) -> None:
        """The dicts written for a block parameter (one, or the entries of a list), and the blocks inside them.
        jsii hands a dict inside a list of blocks to the provider as it is, so there (and in the dicts inside it)
        a key may be the property's JSON name (`propagateAtLaunch`); a lone block's dict becomes its struct's
        keyword arguments, spelled as the signature spells them."""
        struct = param_struct(annotation) if annotation else None
        params = self._index.params(module, struct) if struct else None
        if params is None:
            return
        if isinstance(value, cst.Dict):
            blocks = [value]
        elif isinstance(value, (cst.List, cst.Tuple)) and param_shape(annotation) == LIST:
            blocks = [e.value for e in value.elements if isinstance(e, cst.Element) and isinstance(e.value, cst.Dict)]
            in_list = True
        else:
            return  # a struct's call is a provider call, checked on its own
        for block in blocks:
            keys = [string_value(e.key) if isinstance(e, cst.DictElement) else None for e in block.elements]
            if None in keys:
                continue  # a spread or a computed key: the text cannot tell which keys it gives
            if in_list:
                keys = [snake_case(key) for key in keys]
            missing = missing_params(params, 0, keys)
            if missing:
                self._report(block, module, struct, params, missing, "written as a dict")
            for key, element in zip(keys, block.elements):
                self._check_blocks(element.value, module, params.get(key), in_list)

    def _report(self, node: cst.CSTNode, module: str, class_name: str, params: dict[str, str], missing: list[str],
                how: str) -> None:
        wanted = ", ".join(self._describe(module, name, params[name]) for name in missing)
        count = len(missing)
        self.report(node, f"{class_name} is {how} without the argument{'s' if count > 1 else ''} the installed "
                    f"provider requires: {wanted}; the value{'s are' if count > 1 else ' is'} the code's to choose",
                    fixed=False, facts={"class_name": class_name, "count": str(count), "plural": "s" * (count > 1),
                                        "arguments": python_list(missing)})

    def _describe(self, module: str, name: str, annotation: str) -> str:
        """`name: type`, and for a block the struct to call with the keys it requires in turn."""
        struct = param_struct(annotation)
        params = self._index.params(module, struct) if struct else None
        if params is None:
            return f"{name} ({readable_type(annotation)})"
        inner = ", ".join(f"{p}=..." for p in required_params(params))
        many = "a list of " if param_shape(annotation) == LIST else ""
        return f"{name} ({many}{struct}({inner}))"
