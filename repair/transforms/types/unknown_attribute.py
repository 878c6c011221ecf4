"""CDK027 unknown-attribute: an attribute read from a provider construct whose class has no such attribute.

Answers read a resource's attributes by the names they gave its arguments, and those names are often not the
provider's: `cache_subnets.subnet_group_name` where the ElastiCache subnet group's attribute is `name` (the same
invented keyword CDK011 renames in the call), `role.role_arn` for `role.arn`, `bucket.bucket_name` for
`bucket.bucket`. Python stops the stack at synth with an AttributeError. What the construct has is in the installed
provider (the class's own properties and methods) and in cdktf (what every resource, data source and provider
inherits: `node`, `fqn`, `add_override`, ...). A read of a name in neither is renamed to its one match among the
class's attributes, by the reading CDK011 uses for keywords (the class's own noun as a prefix, a known suffix added
or removed, words reordered, camelCase), or with the class's noun added (a VPN connection data source has no `id`
but a `vpn_connection_id`); with no match or several, it is reported with the closest attributes and
left alone, and so is a call of a method the class does not have.

The construct's class is known when the name (`cache_subnets`, or `self.cache_subnets`) is bound, everywhere in the
file, to a call of one provider construct class (`_tokens.ConstructTypes`).
"""

from __future__ import annotations

import difflib

import libcst as cst

from repair.cdktf_index import construct_members
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, walk
from repair.transforms._keyword_calls import snake_case
from repair.transforms._tokens import CLASS, ConstructTypes
from repair.transforms._triggers import UNKNOWN_ATTRIBUTE, ConstructRead
from repair.transforms.types.unknown_keyword import matches


class UnknownAttribute(Rule):
    id = "CDK027"
    slug = "unknown-attribute"
    severity = Severity.CRITICAL
    summary = ("Read each attribute of a provider construct by the name its class has: the one attribute an invented "
               "name matches; otherwise name the closest.")
    prevents = ("AttributeError: 'ElasticacheSubnetGroup' object has no attribute 'subnet_group_name' (cdktf synth "
                "fails)")
    prevents_template = "AttributeError: '{class_name}' object has no attribute '{attribute}' (cdktf synth fails)"
    doc_url = "https://developer.hashicorp.com/terraform/cdktf/concepts/resources#references"
    # Provider classes are capitalized, the answer's own stacks and constructs are not provider classes; CDK016
    # (earlier in run order) explains the `x_get` reads of its own class.
    synth_errors = (r"^AttributeError: '(?!NoneType')(?!\w*(?:Stack|Construct)')[A-Z]\w*' object has no attribute",)
    analysis_keywords = ("attribute error", "no attribute", "nonexistent attribute", "wrong attribute", "invalid attribute")
    # An attribute read on a name assigned a provider construct whose class lacks it.
    triggers = ConstructRead(UNKNOWN_ATTRIBUTE)

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "self.cache_subnets = ElasticacheSubnetGroup(self, 'subnets', name='cache', subnet_ids=ids)\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r', description='sessions',\n"
                "                            subnet_group_name=self.cache_subnets.subnet_group_name)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "self.cache_subnets = ElasticacheSubnetGroup(self, 'subnets', name='cache', subnet_ids=ids)\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r', description='sessions',\n"
                "                            subnet_group_name=self.cache_subnets.name)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf import TerraformOutput\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "role = IamRole(self, 'role', assume_role_policy=policy)\n"
                "bucket = S3Bucket(self, 'logs', bucket='acme-logs')\n"
                "TerraformOutput(self, 'role', value=role.role_arn)\n"
                "TerraformOutput(self, 'bucket', value=f's3://{bucket.bucket_name}')\n"
            ),
            after=(
                "from cdktf import TerraformOutput\n"
                "from cdktf_cdktf_provider_aws.iam_role import IamRole\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "role = IamRole(self, 'role', assume_role_policy=policy)\n"
                "bucket = S3Bucket(self, 'logs', bucket='acme-logs')\n"
                "TerraformOutput(self, 'role', value=role.arn)\n"
                "TerraformOutput(self, 'bucket', value=f's3://{bucket.bucket}')\n"
            ),
        ),
        # Valid: the class's attributes, what every construct inherits from cdktf, methods, and names bound twice.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "bucket = S3Bucket(self, 'logs', bucket='acme-logs')\n"
                "bucket.add_override('acl', 'private')\n"
                "path = bucket.node.path + bucket.fqn + bucket.tags_all_input + bucket.arn\n"
                "bucket.reset_tags()\n"
                "other = S3Bucket(self, 'a')\n"
                "other = make_bucket()\n"
                "other.bucket_name\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        inherited = construct_members()
        if not inherited:
            return tree  # without cdktf's own members, any name could be one of them
        index = self.options.provider_index()
        types = ConstructTypes(tree, self.provider_imports, index)
        edits: dict[cst.CSTNode, object] = {}
        for node in walk(tree):
            if type(node) is not cst.Attribute:
                continue
            owner = types.type_of(node.value)
            name = node.attr.value
            if owner is None or owner.kind != CLASS or name.startswith("_") or name in inherited:
                continue
            members = index.members(owner.module, owner.name)
            if not members or name in members or "scope" not in (index.params(owner.module, owner.name) or {}):
                continue  # a class the index cannot list, an attribute it has, or not a construct
            parent = types.parents.get(node)
            if type(parent) in (cst.AssignTarget, cst.Del) or (
                    type(parent) in (cst.AugAssign, cst.AnnAssign) and parent.target is node):
                continue  # set, not read: Python lets a program keep its own values on the object
            attributes = {a: t for a, t in index.attributes(owner.module, owner.name).items() if a in members}
            where = f"{code_of(node.value)}.{name}"
            facts = {"class_name": owner.name, "attribute": name}
            if type(parent) is cst.Call and parent.func is node:
                close = difflib.get_close_matches(name, sorted(members - {"__init__"}), n=3, cutoff=0.6)
                self.report(node.attr, f"{where}(): {owner.name} has no method {name}"
                            + (f" (closest: {', '.join(close)})" if close else ""), fixed=False, facts=facts)
                continue
            found = matches(name, owner.name, attributes) or _with_noun(name, owner.name, attributes)
            if len(found) == 1:
                (real,) = found
                if self.report(node.attr, f"{where}: {owner.name} has no attribute {name} in provider "
                               f"{index.version}; read as {real}, its one match", facts=facts):
                    edits[node.attr] = lambda updated, real=real: updated.with_changes(value=real)
                continue
            close = sorted(found) or difflib.get_close_matches(name, sorted(attributes), n=3, cutoff=0.6)
            self.report(node.attr, f"{where}: {owner.name} has no attribute {name} in provider {index.version}"
                        + (f"; it matches more than one ({', '.join(close)})" if len(found) > 1 else
                           f" (closest: {', '.join(close)})" if close else " (no close attribute)"),
                        fixed=False, facts=facts)
        return apply_leaves(tree, edits) if edits else tree


def _with_noun(name: str, class_name: str, attributes: dict[str, str]) -> set[str]:
    """The attributes that are `name` behind the class's own noun: `id` of a DataAwsVpnConnection is its
    `vpn_connection_id` (the data sources of the plugin framework have no `id`)."""
    words = snake_case(class_name).split("_")
    return {f"{noun}_{name}" for start in range(len(words))
            if (noun := "_".join(words[start:])) and f"{noun}_{name}" in attributes}
