"""CDK028 block-struct-as-resource: the struct of a resource's inline block called like a resource of its own.

Many resources have an inline block and a standalone resource for the same thing, and the bindings have a class for
each: `s3_bucket.S3BucketServerSideEncryptionConfiguration` is the struct of S3Bucket's inline
`server_side_encryption_configuration` block, the resource is
`s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA`. Answers import the
struct and call it with a scope and an id (`(self, "sse", bucket=b.id, rule=[...])`); a struct takes neither, and
its keywords are the block's, so synth stops at a TypeError (`got an unexpected keyword argument 'bucket'`).

A resource class lives in the module named after it: when that module exports a construct of the struct's name
(or jsii's `A`-suffixed spelling of it), that resource is the class meant, and the call is read from there (the
import follows; CDK012 then gives its blocks the resource's own struct classes). Otherwise the resources of the
struct's family (the provider modules whose name contains the struct's module, data sources aside) that take every
keyword given are the candidates: one that also receives every argument it requires is the class. So is the one
whose only missing arguments accept, by the provider's validation (CDK039's table), the name of the block the struct
is for: SecurityGroupIngress is the struct of SecurityGroup's `ingress` block, SecurityGroupRule takes every keyword
given and requires `type`, "ingress" or "egress": `SecurityGroupRule(self, id, type="ingress", ...)`. Unless the
group it refers to (`security_group_id=sg.id`, created in the file) gives its `ingress` blocks inline: Terraform
cannot mix those with rule resources on one group, so that is reported, as is anything else, with the candidates.
"""

from __future__ import annotations

from functools import partial

import libcst as cst

from repair.provider_index import PACKAGE, required_params
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._constructs import collect
from repair.transforms._cst import add_import, apply_leaves, dotted_code, keyword_arg, place_items
from repair.transforms._keyword_calls import called_as_its_kind, keyword_args, provider_calls, quote_style, snake_case
from repair.transforms._names import name_uses
from repair.transforms._provider_imports import reference_to
from repair.transforms._triggers import ProviderCall
from repair.transforms.deploy.allowed_values import ALLOWED
from repair.transforms._provider_names import _main_class, _module_name_for, _without_markers


class BlockStructAsResource(Rule):
    id = "CDK028"
    slug = "block-struct-as-resource"
    severity = Severity.CRITICAL
    phase = Phase.STRUCTURE  # the keyword rules read a call's keywords by its class
    summary = ("Call the resource a block struct called like a resource (scope, id) stands for: the one of the "
               "struct's name in its own module, or the one resource of its family that takes the call's keywords.")
    prevents = ("TypeError: S3BucketServerSideEncryptionConfiguration.__init__() got an unexpected keyword argument "
                "'bucket' (cdktf synth fails)")
    prevents_template = ("TypeError: {class_name}.__init__() got an unexpected keyword argument (a block struct "
                         "called like a resource; cdktf synth fails)")
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/s3BucketServerSideEncryptionConfiguration.python.md"
    # A struct given a scope and an id: jsii's struct __init__ takes keywords only.
    synth_errors = (r"^TypeError: \w+\.__init__\(\) takes 1 positional argument but \d+ were given",)
    analysis_keywords = ("struct as resource", "block as resource", "inline rule class", "standalone rule")
    # A provider struct (no scope) called with a scope and an id.
    triggers = ProviderCall(construct=False, positional=2)

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import s3_bucket\n"
                "s3_bucket.S3BucketServerSideEncryptionConfiguration(self, 'sse', bucket=logs.id, rule=rules)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import s3_bucket, s3_bucket_server_side_encryption_configuration\n"
                "s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA(self, "
                "'sse', bucket=logs.id, rule=rules)\n"
            ),
        ),
        # One resource of the family takes every keyword and receives all it requires.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroupEgress\n"
                "SecurityGroupEgress(self, 'out', type='egress', security_group_id=sg.id, from_port=0, to_port=0,\n"
                "                    protocol='-1', cidr_blocks=['0.0.0.0/0'])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroupEgress\n"
                "from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule\n"
                "SecurityGroupRule(self, 'out', type='egress', security_group_id=sg.id, from_port=0, to_port=0,\n"
                "                    protocol='-1', cidr_blocks=['0.0.0.0/0'])\n"
            ),
        ),
        # Valid: the struct as its resource's block.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n"
                "SecurityGroup(self, 'sg', vpc_id=vpc.id, ingress=[\n"
                "    SecurityGroupIngress(from_port=443, to_port=443, protocol='tcp', cidr_blocks=['10.0.0.0/8'])])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        index = self.options.provider_index()
        edits: dict[cst.CSTNode, object] = {}
        planned: list[tuple[str, str, str | None]] = []
        uses = None
        extra: dict[cst.Call, dict[str, str]] = {}  # keywords a call gets with its new class
        quote = ""
        for call, module, class_name, params in provider_calls(self):
            if called_as_its_kind(call, params) or sum(1 for a in call.args if a.keyword is None) < 2:
                continue
            given = [a.keyword.value for a in keyword_args(call)]
            facts = {"class_name": class_name}
            found = self._candidates(index, module, class_name, given)
            what = f"{class_name} is the struct of a block of {module}, called like a resource (scope, id)"
            if isinstance(found, tuple):
                target_module, target = found
                reason = f"the resource of its name is {target}, exported by {PACKAGE}.{target_module}"
            else:
                fitting = [c for c in found if c[2] and not c[3]]
                implied = [] if fitting else _implied_by_block(index, module, class_name, found)
                if len(fitting) + len(implied) != 1:
                    self.report(call.func, f"{what}; " + _describe(found, given, class_name), fixed=False,
                                facts=facts)
                    continue
                target_module, target = (fitting or implied)[0][:2]
                reason = (f"{target} is the one resource of its family that takes every keyword given, "
                          f"exported by {PACKAGE}.{target_module}")
                if implied:
                    block, added = implied[0][2], implied[0][3]
                    inline = self._parent_gives_block(tree, call, module, block)
                    if inline:
                        self.report(call.func, f"{what}; {reason}, but {inline} gives its `{block}` blocks inline, "
                                    f"and Terraform cannot mix inline {block} blocks with standalone {target} "
                                    f"resources on one {module} (each overwrites the other's): add it to that "
                                    "list by hand", fixed=False, facts=facts)
                        continue
                    reason += " and " + ", ".join(f"takes `{k}={v!r}`, the one value it accepts that names the "
                                                  f"`{block}` block" for k, v in added.items())
                    extra[call] = added
            uses = uses or name_uses(tree)
            reference = reference_to(self.provider_imports, uses, target_module, target, planned)
            if reference is None:
                self.report(call.func, f"{what}; {reason}, but the file binds both {target_module} and {target} to "
                            "something else", fixed=False, facts=facts)
            elif self.report(call.func, f"{what}; {reason}: called as {reference}", facts=facts):
                quote = quote or quote_style(tree)  # the file's quote, read once for the strings written
                edits[call] = partial(_called_as, cst.parse_expression(reference), extra.get(call, {}), quote)
        if not edits:
            return tree
        tree = apply_leaves(tree, edits)
        for module, name, asname in planned:
            tree = add_import(self.context, tree, module, name, asname)
        return tree

    def _parent_gives_block(self, tree: cst.Module, call: cst.Call, module: str, block: str) -> str | None:
        """The binding of the construct of `module` this call refers to by `<module>_id=<binding>.id`, when that
        construct is created in this file and gives `block` inline."""
        reference = keyword_arg(call, f"{module}_id")
        text = dotted_code(reference.value) if reference is not None else None
        if not text or not text.endswith(".id"):
            return None
        index = self.options.provider_index()
        parent = _main_class(index, module)
        for construct in collect(tree, {parent})[0]:
            if construct.binding == text[:-3] and keyword_arg(construct.call, block) is not None:
                return construct.binding
        return None

    @staticmethod
    def _candidates(index, module: str, struct: str, given: list[str]):
        """(module, class) of the resource of the struct's own name; else [(module, class, takes every keyword
        given, required arguments missing)] for the resources of the struct's family."""
        home = _module_name_for(_without_markers(struct))
        if home != module:
            for name in (struct, struct + "A"):
                if name in index.exports(home) and "scope" in (index.params(home, name) or {}):
                    return home, name
        words = module.split("_")
        family = []
        for candidate in index.modules_starting(""):
            parts = candidate.split("_")
            if candidate == module or candidate.startswith("data_aws_") or not any(
                    parts[i:i + len(words)] == words for i in range(len(parts) - len(words) + 1)):
                continue
            resource = _main_class(index, candidate)
            params = index.params(candidate, resource) if resource else None
            if params is None:
                continue
            unknown = [k for k in given if k not in params]
            missing = [p for p in required_params(params) if p not in given]
            family.append((candidate, resource, not unknown, missing, unknown))
        return family


def _implied_by_block(index, module: str, struct: str, found: list) -> list:
    """[(module, class, block, {keyword: value})] for the resources of the family that take every keyword given
    and lack only arguments whose accepted values (CDK039's table, from the provider's validation) hold the name of
    the block the struct is for: SecurityGroupIngress is the struct of SecurityGroup's `ingress` block, and
    SecurityGroupRule's `type` accepts "ingress" or "egress"."""
    parent = _main_class(index, module)
    if parent is None or not struct.startswith(parent) or struct == parent:
        return []
    block = snake_case(struct[len(parent):])
    if block not in (index.params(module, parent) or {}):
        return []
    implied = []
    for candidate, resource, takes_all, missing, _ in found:
        accepted = ALLOWED.get((candidate, resource), {})
        if takes_all and missing and all(block in getattr(accepted.get(p), "values", ()) for p in missing):
            implied.append((candidate, resource, block, {p: block for p in missing}))
    return implied


def _called_as(func: cst.BaseExpression, added: dict[str, str], quote: str, updated: cst.Call) -> cst.Call:
    """The call with its new class, the keywords it gains placed after its id."""
    args = list(updated.args)
    new = [cst.Arg(keyword=cst.Name(k), value=cst.SimpleString(f"{quote}{v}{quote}"),
                   equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                         whitespace_after=cst.SimpleWhitespace("")))
           for k, v in added.items()]
    if new:
        args = place_items(args, 1, new)
    return updated.with_changes(func=func, args=args)


def _describe(found: list, given: list[str], struct: str) -> str:
    taking = [f"{c[1]} (also requires {', '.join(c[3])})" if c[3] else c[1] for c in found if c[2]]
    # Resources named with the struct's name first (VpcSecurityGroupIngressRule for SecurityGroupIngress).
    named = _module_name_for(_without_markers(struct))
    near = [f"{c[1]} (does not take {', '.join(c[4])})"
            for c in sorted(found, key=lambda c: (named not in c[0], len(c[4]), c[0]))
            if not c[2] and len(c[4]) < len(given)]
    if not taking and not near:
        return "no resource of its family takes its keywords: the class is what needs changing"
    parts = []
    if taking:
        parts.append(f"resources that take every keyword given: {', '.join(taking)}")
    if near:
        parts.append(f"related: {', '.join(near[:3])}")
    return "; ".join(parts) + ": the values the call does not give are a choice to make by hand"
