"""CDK011 unknown-keyword: a keyword the provider class does not take stops synth with a TypeError.

Answers give provider classes keywords they never had or no longer have: a name spelled the way another resource
spells it (`subnet_group_name` for an ElastiCache subnet group's `name`), camelCase (`searchableAttributes`), the
singular of a plural (`taints`), or an argument that belongs elsewhere (`tracing_config` on a REST API). The bindings
reject it (`__init__() got an unexpected keyword argument`). A keyword with exactly one match in the installed
signature (same words reordered, a known prefix or suffix added or removed, singular/plural, camelCase, the class's
own noun as a prefix, or that noun alone for the thing's `name`: a KmsAlias's `alias`) is renamed to it. A key of a
block that the block's parent takes as an argument of its own, spelled `<block>_<key>` (ECS's
`deployment_configuration={"minimum_healthy_percent": 50}` is the service's `deployment_minimum_healthy_percent`), is
moved to the parent, and a block left empty goes with it. An argument that wraps the class's own arguments (the shape
of the block a resource replaced: `server_side_encryption_configuration={"rule": ...}` of the S3 encryption resource)
gives its keys to the class, when every key is a parameter not given yet. An IAM condition written as the policy's
JSON (`{"Bool": {"aws:SecureTransport": "false"}}`) in a block whose struct is IAM's condition (`test`, `variable`,
`values`) becomes one such block a condition key. An argument written in the AWS API's nested
shape around one plain value, where the provider takes that value flat (Step Functions'
`destinations=[{"cloudwatch_logs_log_group": {"log_group_arn": arn}}]` is the logging block's `log_destination=arn`),
becomes the one parameter whose name ends with the key's words after words that begin words of the class's name, when
that parameter takes a plain value of the value's type. Any other keyword of a call is dropped, when its value only
holds values (plain values, and blocks written as dicts or calls of the provider's structs), and reported with the
closest names; a call of anything else, a key of a dict block or an argument of a data source (it selects what the
data source reads) is only reported. Renames known from the upgrade guides (CDK010) are left to that rule. A dict
inside a list of blocks reaches jsii as it is, and jsii reads its keys by their camelCase names: there `fromPort` is
right, and a key renamed is written that way (a snake_case key would be dropped: CDK007).
"""

from __future__ import annotations

import difflib

import libcst as cst

from repair.provider_index import param_struct, positional_params, settable_params
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, place_items, remove_item, string_value, walk
from repair.transforms._keyword_calls import (jsii_name, keyword_sites, names_given, parameter_of_key,
                                              renamed_name, snake_case)
from repair.transforms._triggers import UnknownArgument
from repair.transforms.types.keyword_literal_type import element_values, literal_type, scalar_types
from repair.transforms.types.renamed_keyword import RENAMED

_SUFFIXES = ("_name", "_names", "_id", "_ids", "_arn", "_arns", "_enabled", "_in_seconds", "_in_days",
             "_in_minutes", "_config", "_configuration")
_PREFIXES = ("enable_", "is_")
# Values that can be dropped with their keyword: nothing in them runs code or builds a block.
_PLAIN_VALUES = (cst.Name, cst.Attribute, cst.Subscript, cst.SubscriptElement, cst.Index, cst.Slice,
                 cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.FormattedStringText,
                 cst.FormattedStringExpression, cst.Integer, cst.Float, cst.Imaginary, cst.UnaryOperation,
                 cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.ComparisonTarget, cst.IfExp,
                 cst.List, cst.Tuple, cst.Element, cst.BaseUnaryOp, cst.BaseBinaryOp, cst.BaseBooleanOp,
                 cst.BaseCompOp)
# Blocks, written as dicts (or as a struct's call: checked apart), and comprehensions of plain values.
_BLOCK_VALUES = (cst.Dict, cst.DictElement, cst.StarredDictElement, cst.Arg, cst.ListComp, cst.CompFor, cst.CompIf,
                 cst.AssignEqual)


def _variants(name: str) -> set[str]:
    """Spellings one step from `name`: a known suffix or prefix added or removed, enable_x <-> x_enabled,
    singular <-> plural."""
    found = {name}
    for suffix in _SUFFIXES:
        found.add(name + suffix)
        if name.endswith(suffix):
            found.add(name[: -len(suffix)])
    for prefix in _PREFIXES:
        found.add(prefix + name)
        if name.startswith(prefix):
            found.add(name[len(prefix):])
    if name.startswith("enable_"):
        found.add(name[len("enable_"):] + "_enabled")
    if name.endswith("_enabled"):
        found.add("enable_" + name[: -len("_enabled")])
    if name.endswith("ies"):
        found.add(name[:-3] + "y")
    elif name.endswith("y"):
        found.add(name[:-1] + "ies")
    if name.endswith("s"):
        found.add(name[:-1])
        if name.endswith("es"):
            found.add(name[:-2])
    else:
        found.update((name + "s", name + "es"))
    return found


def matches(name: str, class_name: str, params: dict[str, str]) -> set[str]:
    """The parameters `name` is one step away from."""
    settable = [p for p in settable_params(params) if p != name]
    bases = {name, snake_case(name)}
    # The class's own noun as a prefix: `subnet_group_name` of an ElasticacheSubnetGroup is its `name`.
    class_words = snake_case(class_name).split("_")
    for base in list(bases):
        for start in range(len(class_words)):
            noun = "_".join(class_words[start:]) + "_"
            if base.startswith(noun) and len(base) > len(noun):
                bases.add(base[len(noun):])
            elif base + "_" == noun:
                # The class's own noun alone names the thing: a KmsAlias's `alias` is its `name`.
                bases.add("name")
    candidates = set().union(*(_variants(base) for base in bases))
    found = {p for p in settable if p in candidates}
    for base in bases:
        words = sorted(base.split("_"))
        found.update(p for p in settable if sorted(p.split("_")) == words)
    return found


FITS, WRAP, MAYBE_LIST = "fits", "wrap", "maybe-list"


def fit(value: cst.BaseExpression, annotation: str) -> str | None:
    """How the value goes into a parameter of this type: as it is (FITS), as the one entry of a list (WRAP: a
    literal where a list of its type goes), perhaps (MAYBE_LIST: a list is wanted and the value's type is unknown),
    or not at all (None: a literal of another plain type, or a block where a plain value goes, says the name
    matched by accident; `auth_token_enabled=False` is not `auth_token`)."""
    wanted = scalar_types(annotation)
    literal = literal_type(value)
    if wanted is not None:
        if isinstance(value, (cst.Dict, cst.List, cst.Tuple)):
            return None
        return FITS if literal is None or literal[0] in wanted else None
    if "typing.Any" in annotation:
        return FITS
    entries = element_values(cst.List([]), annotation)[1]
    if entries:  # a list of one plain type
        if isinstance(value, (cst.List, cst.Tuple, cst.ListComp)):
            return FITS
        if literal is not None:
            return WRAP if literal[0] in entries else None
        return MAYBE_LIST
    return FITS if literal is None else None


def _only_read_in(value: cst.BaseExpression, tree: cst.Module) -> list[str]:
    """The names the file assigns (`lambda_code = ...`) whose every other appearance is inside `value`: content
    written for that argument alone, which dropping the argument would leave unused."""
    inside: dict[str, int] = {}
    for node in walk(value):
        if type(node) is cst.Name:
            inside[node.value] = inside.get(node.value, 0) + 1
    if not inside:
        return []
    everywhere: dict[str, int] = {}
    assigned: dict[str, int] = {}
    for node in walk(tree):
        if type(node) is cst.Name and node.value in inside:
            everywhere[node.value] = everywhere.get(node.value, 0) + 1
        elif type(node) in (cst.AssignTarget, cst.AnnAssign) and type(node.target) is cst.Name \
                and node.target.value in inside:
            assigned[node.target.value] = assigned.get(node.target.value, 0) + 1
    return sorted(name for name, count in inside.items()
                  if assigned.get(name) and everywhere[name] == count + assigned[name])


def _plain(value: cst.BaseExpression) -> bool:
    return all(isinstance(node, _PLAIN_VALUES) for node in walk(value))


class UnknownKeyword(Rule):
    id = "CDK011"
    slug = "unknown-keyword"
    severity = Severity.HIGH
    summary = ("Rename a keyword the provider class does not take to its one matching parameter (a nest around "
               "one value becoming that value), or move a block's key to the parent argument it is; otherwise drop "
               "it, naming the closest parameters.")
    prevents = ("TypeError: ElasticacheSubnetGroup.__init__() got an unexpected keyword argument "
                "'subnet_group_name' (cdktf synth fails)")
    prevents_template = "TypeError: {class_name}.__init__() got an unexpected keyword argument '{keyword}' (cdktf synth fails)"
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/elasticacheSubnetGroup.python.md"
    analysis_keywords = ("parameter name", "parameter naming", "property name", "unknown parameter",
                         "unknown keyword", "unexpected keyword")
    # A provider class's keyword; the answer's own stack classes (`TapStack.__init__()`) are not provider classes.
    synth_errors = (r"^TypeError: (?!\w*Stack\.)\w+\.__init__\(\) got an unexpected keyword argument",)
    triggers = UnknownArgument()
    # Keyword names are what the block rules look parameters up by (CDK006, CDK007, CDK009): they read the
    # spelling the provider takes, or they would report a key as unknown that this rule renames a moment later.
    phase = Phase.STRUCTURE

    examples = (
        # The class's own noun alone is the thing's name.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kms_alias import KmsAlias\n"
                "KmsAlias(self, 'alias', alias=f'alias/{env}-data', target_key_id=key.key_id)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.kms_alias import KmsAlias\n"
                "KmsAlias(self, 'alias', name=f'alias/{env}-data', target_key_id=key.key_id)\n"
            ),
        ),
        # An argument wrapping the class's own arguments: its keys are passed to the class.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "S3BucketVersioningA(self, 'v', bucket=b.id,\n"
                "                    versioning={'versioning_configuration': {'status': 'Enabled'}})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "S3BucketVersioningA(self, 'v', bucket=b.id,\n"
                "                    versioning_configuration={'status': 'Enabled'})\n"
            ),
        ),
        # IAM's condition written as the policy's JSON: one test/variable/values block a condition key.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument\n"
                "DataAwsIamPolicyDocument(self, 'deny-http', statement=[{\n"
                "    'effect': 'Deny', 'actions': ['s3:*'], 'resources': [arn],\n"
                "    'condition': [{'Bool': {'aws:SecureTransport': 'false'}}],\n"
                "}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument\n"
                "DataAwsIamPolicyDocument(self, 'deny-http', statement=[{\n"
                "    'effect': 'Deny', 'actions': ['s3:*'], 'resources': [arn],\n"
                "    'condition': [{'test': 'Bool', 'variable': 'aws:SecureTransport', 'values': ['false']}],\n"
                "}])\n"
            ),
        ),
        # A data source of an EC2-style API selects by tag with a filter.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.data_aws_vpn_connection import DataAwsVpnConnection\n"
                "vpn = DataAwsVpnConnection(self, 'vpn', tags={'Name': 'on-premises-vpn', 'Env': env})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.data_aws_vpn_connection import DataAwsVpnConnection\n"
                "vpn = DataAwsVpnConnection(self, 'vpn', filter=[{\"name\": \"tag:Name\", \"values\": ['on-premises-vpn']}, "
                "{\"name\": \"tag:Env\", \"values\": [env]}])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
                "ElasticacheSubnetGroup(self, 'subnets', subnet_group_name='cache', subnet_ids=ids)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup\n"
                "ElasticacheSubnetGroup(self, 'subnets', name='cache', subnet_ids=ids)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup\n"
                "EksNodeGroup(self, 'nodes', cluster_name=c.name, node_role_arn=r.arn, subnet_ids=ids,\n"
                "             scaling_config={'desired_size': 1, 'max_size': 1, 'min_size': 1},\n"
                "             taints=[{'key': 'gpu', 'value': 'true', 'effect': 'NO_SCHEDULE'}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup\n"
                "EksNodeGroup(self, 'nodes', cluster_name=c.name, node_role_arn=r.arn, subnet_ids=ids,\n"
                "             scaling_config={'desired_size': 1, 'max_size': 1, 'min_size': 1},\n"
                "             taint=[{'key': 'gpu', 'value': 'true', 'effect': 'NO_SCHEDULE'}])\n"
            ),
        ),
        # Keys of a block that its parent takes as arguments of its own: moved out, the empty block gone.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.ecs_service import EcsService\n"
                "EcsService(self, 'web', name='web', deployment_configuration={\n"
                "    'minimum_healthy_percent': 50, 'maximum_percent': 200}, desired_count=2)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.ecs_service import EcsService\n"
                "EcsService(self, 'web', name='web', deployment_minimum_healthy_percent=50, "
                "deployment_maximum_percent=200, desired_count=2)\n"
            ),
        ),
        # A block the class does not take: dropped, like a plain value.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi\n"
                "ApiGatewayRestApi(self, 'api', name='orders', tracing_config=[{'mode': 'Active'}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi\n"
                "ApiGatewayRestApi(self, 'api', name='orders')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.iot_thing_type import IotThingType\n"
                "IotThingType(self, 'sensor', name='sensor', properties={'searchableAttributes': ['site']})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.iot_thing_type import IotThingType\n"
                "IotThingType(self, 'sensor', name='sensor', properties={'searchable_attributes': ['site']})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(\n"
                "    self, 'redis',\n"
                "    replication_group_id='r',\n"
                "    description='sessions',\n"
                "    auth_token_enabled=False,\n"
                ")\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(\n"
                "    self, 'redis',\n"
                "    replication_group_id='r',\n"
                "    description='sessions',\n"
                ")\n"
            ),
        ),
        # A dict in a list of blocks reaches jsii as it is, which reads the camelCase names there: `fromPort` is
        # right, and a key matching one parameter is renamed to that spelling (snake_case would be dropped).
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "SecurityGroup(self, 'sg', egress=[{'fromPort': 0, 'toPort': 0, 'protocol': '-1',\n"
                "                                   'cidrBlock': '0.0.0.0/0'}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "SecurityGroup(self, 'sg', egress=[{'fromPort': 0, 'toPort': 0, 'protocol': '-1',\n"
                "                                   'cidrBlocks': ['0.0.0.0/0']}])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                "SecurityGroup(self, 'sg', egress=[{'fromPort': 0, 'toPort': 0, 'protocol': '-1',\n"
                "                                   'cidrBlocks': ['0.0.0.0/0'], 'ipv6CidrBlocks': ['::/0']}])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress\n"
                "SecurityGroup(self, 'sg', vpc_id=vpc.id, ingress=[\n"
                "    SecurityGroupIngress(from_port=443, to_port=443, protocol='tcp', cidr_blocks=['10.0.0.0/8'])])\n"
            ),
        ),
    )

    def _report(self, site, message: str, *, fixed: bool = True) -> bool:
        """A finding about one site, quoting the TypeError its keyword raises."""
        return self.report(site.name_node, message, fixed=fixed,
                           facts={"class_name": site.class_name, "keyword": site.name})

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        index = self.options.provider_index()
        renamed = {(module, class_name, old) for classes in RENAMED.values()
                   for (module, class_name), olds in classes.items() for old in olds}
        edits: dict[cst.CSTNode, object] = {}
        dropped: dict[cst.Call | cst.Dict, set[int]] = {}  # owner -> positions of the arguments or keys removed
        # parent owner -> {position of the block's argument: [(parameter, value), ...] moved in after it}
        moved: dict[cst.Call | cst.Dict, dict[int, list[tuple[str, cst.BaseExpression]]]] = {}
        unwrapped: dict[cst.Call | cst.Dict, set[int]] = {}  # owner -> positions of arguments replaced by their keys
        # A block struct called like a resource (scope, id): the class is what is wrong, and CDK028's to repair.
        for site in keyword_sites(self):
            if (construct := _construct_id_keyword(site)) is not None:
                # `id_=` where this class names its construct id `id` (older bindings and other classes use `id_`),
                # or `id=` where it is `id_`: the id it must be created with, under the other spelling.
                if self._report(site, f"{site.class_name} takes its construct id as {construct}, not {site.name}: "
                                "renamed"):
                    edits[site.name_node] = (lambda node, name=construct: renamed_name(node, name))
                continue
            if site.name in site.params or (site.module, site.class_name, site.name) in renamed:
                continue
            if site.raw and any(jsii_name(param) == site.name for param in site.params):
                continue  # a map jsii receives as it is reads the camelCase name: `fromPort` is right there
            where = f"{site.class_name}.{site.name}"
            fits = {p: how for p in matches(site.name, site.class_name, site.params)
                    if (how := fit(site.value, site.params[p])) is not None}
            found = set(fits)
            given = names_given(site.owner, site.params if site.raw else None)
            if (own := _own_arguments(site, given, moved)) is not None:
                # Before any reading of the name: keys that are all the class's own say what the argument is.
                keys = ", ".join(name for name, _ in own)
                if self._report(site, f"{where} is not a parameter in provider {index.version}; it wraps "
                                f"{site.class_name}'s own arguments ({keys}): passed to it directly"):
                    at = _position(site.owner, site.name_node)
                    moved.setdefault(site.owner, {}).setdefault(at, []).extend(own)
                    unwrapped.setdefault(site.owner, set()).add(at)
                continue
            if len(found) == 1 and not found & given:
                (name,) = found
                if fits[name] == MAYBE_LIST:
                    self._report(site, f"{where} is not a parameter in provider {index.version}; its one match, "
                                 f"{name}, takes a list: rename it, with the value in [...] if it is one item",
                                 fixed=False)
                elif self._report(site, f"{where} is not a parameter in provider {index.version}; renamed to "
                                  f"{_spelled(site, name)}, its one match" + (", the value as its one entry"
                                                                              if fits[name] == WRAP else "")):
                    edits[site.name_node] = (lambda node, name=_spelled(site, name): renamed_name(node, name))
                    if fits[name] == WRAP:
                        edits[site.value] = (lambda node: cst.List([cst.Element(node)]))
                continue
            settable = [_spelled(site, name) for name in settable_params(site.params)]
            close = sorted(_spelled(site, name) for name in found) or difflib.get_close_matches(
                site.name, settable, n=3, cutoff=0.6)
            closest = f"closest: {', '.join(close)}" if close else "no close parameter"
            parent = None if found else self._parent_parameter(site, moved)
            if parent is not None:
                block = site.block
                if self._report(site, f"{where} is not a parameter in provider {index.version}; "
                                f"{block.class_name} takes it as {_spelled(block, parent)}: moved out of the "
                                f"{block.name} block"):
                    dropped.setdefault(site.owner, set()).add(_position(site.owner, site.name_node))
                    at = _position(block.owner, block.name_node)
                    moved.setdefault(block.owner, {}).setdefault(at, []).append((_spelled(block, parent), site.value))
            elif len(found) > 1 or found & given:
                self._report(site, f"{where} is not a parameter in provider {index.version}; it matches "
                             f"more than one, or one already given ({closest})", fixed=False)
            elif (single := _single_value_parameter(site, given)) is not None:
                name, leaf = single
                if self._report(site, f"{where} is not a parameter in provider {index.version}; its value holds one "
                                f"value ({code_of(leaf)}), which the one parameter named for it takes: "
                                f"{_spelled(site, name)}"):
                    edits[site.name_node] = (lambda node, name=_spelled(site, name): renamed_name(node, name))
                    edits[site.value] = (lambda node: _single_leaf(node))
            elif (conditions := _condition_blocks(site)) is not None:
                if self._report(site, f"{where} is not a parameter in provider {index.version}; an IAM condition "
                                f"written as the policy's JSON (`{{operator: {{key: value}}}}`): the block's test, "
                                "variable and values, one block a key"):
                    edits.setdefault(site.block.value, lambda node, conditions=conditions: conditions)
            elif (filters := self._tag_filters(site, given, index)) is not None:
                if self._report(site, f"{where} is not a parameter in provider {index.version}; a data source "
                                "selects by tag with its EC2 filter: written as filter=[{name: 'tag:<key>', "
                                "values: [<value>]}]"):
                    edits[site.name_node] = (lambda node: renamed_name(node, "filter"))
                    edits[site.value] = (lambda node, filters=filters: filters)
            elif not site.is_keyword or not self._inert(site.value) or site.module.startswith("data_aws_"):
                # A data source's arguments select what it reads: without one it may read something else.
                what = ("a key of a block's dict" if not site.is_keyword else
                        f"its value, {_kind_of(site.value)}, is not a plain value to drop"
                        if not self._inert(site.value) else "an argument of a data source")
                self._report(site, f"{where} is not a parameter in provider {index.version}; {what}, left "
                             f"for a hand to move or remove ({closest})", fixed=False)
            elif carried := _only_read_in(site.value, tree):
                # Dropping it would drop what the code wrote for it: a function's source text, a canary's script.
                self._report(site, f"{where} is not a parameter in provider {index.version}; its value carries "
                             f"{', '.join(f'`{n}`' for n in carried)}, bound only for it: what it stands for is a "
                             f"hand's to move, not to drop ({closest})", fixed=False)
            elif self._report(site, f"{where} is not a parameter in provider {index.version}; dropped "
                              f"({closest})"):
                dropped.setdefault(site.owner, set()).add(_position(site.owner, site.name_node))
        for owner in set(dropped) | set(moved):
            removed, inserted = dropped.get(owner, set()), moved.get(owner, {})
            # A block all of whose arguments moved to its parent is gone with them.
            emptied = {at for at in inserted if _emptied(_item_value(owner, at), dropped)} | unwrapped.get(owner, set())
            edits[owner] = (lambda node, removed=removed, inserted=inserted, emptied=emptied:
                            _rebuilt(node, removed, inserted, emptied))
        return apply_leaves(tree, edits) if edits else tree

    def _parent_parameter(self, site, moved) -> str | None:
        """The parameter of the block's parent that a key of the block is, spelled `<block>_<key>` with the block's
        name or its leading words (`deployment_configuration={"minimum_healthy_percent": 50}` of an ECS service is
        its `deployment_minimum_healthy_percent`): when exactly one exists, the parent does not have it yet, the
        value is a plain value of its type, and the block is the one block of that argument."""
        block = site.block
        if block is None or not _plain(site.value) or block.module.startswith("data_aws_"):
            return None
        value = block.value
        single = value.elements[0].value if isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) == 1 \
            else value
        if single is not site.owner:
            return None
        words = block.name.split("_")
        key = snake_case(site.name)
        candidates = {f"{'_'.join(words[:end])}_{key}" for end in range(1, len(words) + 1)} & set(block.params)
        taken = names_given(block.owner, block.params if block.raw else None) | {
            parameter_of_key(name, block.params) or name for names in moved.get(block.owner, {}).values()
            for name, _ in names}
        if len(candidates) != 1 or candidates & taken:
            return None
        (parameter,) = candidates
        return parameter if fit(site.value, block.params[parameter]) == FITS else None

    def _inert(self, value: cst.BaseExpression) -> bool:
        """A value that can be dropped with its keyword: plain values, and blocks written as dicts or as calls of
        the provider's structs (which only hold what they are given), at any depth; never a resource or any other
        call, which may do something."""
        bindings, index = self.provider_imports, self.options.provider_index()
        for node in walk(value):
            if isinstance(node, cst.Call):
                target = bindings.resolve(node.func)
                params = index.params(*target) if target is not None else None
                if params is None or "scope" in params:
                    return False
            elif not isinstance(node, _PLAIN_VALUES + _BLOCK_VALUES):
                return False
        return True


    @staticmethod
    def _tag_filters(site, given: set[str], index) -> cst.List | None:
        """`DataAwsVpnConnection(tags={"Name": "vpn"})`: the data sources of EC2-style APIs take no `tags`
        argument but select with `filter` blocks of `name`/`values`, where a tag is the filter `tag:<key>` (the
        EC2 Describe* API's own convention). The filter list for a literal dict of tags, when that mapping is the
        one reading: the data source has a `filter` block of exactly those fields and none is given yet."""
        if not (site.is_keyword and site.name == "tags" and site.module.startswith("data_aws_")
                and "filter" in site.params and "filter" not in given and type(site.value) is cst.Dict):
            return None
        struct = param_struct(site.params["filter"])
        fields = index.params(site.module, struct) if struct else None
        if not fields or set(fields) - {"name", "values"} or not site.value.elements:
            return None
        entries = []
        for element in site.value.elements:
            key = string_value(element.key) if type(element) is cst.DictElement else None
            if key is None:
                return None
            entries.append(f'{{"name": "tag:{key}", "values": [{code_of(element.value)}]}}')
        return cst.parse_expression("[" + ", ".join(entries) + "]")


def _own_arguments(site, given: set[str], moved: dict) -> list[tuple[str, cst.BaseExpression]] | None:
    """The keys of an argument that wraps the class's own arguments (`server_side_encryption_configuration={"rule":
    ...}` of an S3BucketServerSideEncryptionConfigurationA, the shape of the block that resource replaced), as
    (parameter, value) pairs: when the value is one dict (alone or the one entry of a list) whose every key is a
    parameter of the class that the call does not give yet."""
    value = site.value
    if not site.is_keyword or not isinstance(site.owner, cst.Call):
        return None
    if isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) == 1 and type(value.elements[0]) is cst.Element:
        value = value.elements[0].value
    if type(value) is not cst.Dict or not value.elements:
        return None
    taken = given | {name for names in moved.get(site.owner, {}).values() for name, _ in names}
    settable = set(settable_params(site.params))
    pairs = []
    for element in value.elements:
        key = string_value(element.key) if type(element) is cst.DictElement else None
        if key is None or key not in settable or key in taken:
            return None
        pairs.append((key, element.value))
    return pairs if len({key for key, _ in pairs}) == len(pairs) else None


_CONDITION_FIELDS = frozenset({"test", "variable", "values"})


def _condition_blocks(site) -> cst.List | None:
    """A condition block whose struct is IAM's condition (exactly the fields `test`, `variable` and `values`, as the
    provider declares them) written as the policy's JSON, `[{"Bool": {"aws:SecureTransport": "false"}}]`: the
    blocks it means, one a condition key, `[{"test": "Bool", "variable": "aws:SecureTransport", "values":
    ["false"]}]`; None when the site is not such a key or any part is not literal keys around values."""
    block = site.block
    if site.is_keyword or block is None or set(settable_params(site.params)) != _CONDITION_FIELDS:
        return None
    written = block.value.elements if isinstance(block.value, (cst.List, cst.Tuple)) else [block.value]
    entries: list[cst.Dict] = []
    for element in written:
        operators = element.value if isinstance(element, cst.Element) else element
        if type(operators) is not cst.Dict or not operators.elements:
            return None
        for operator in operators.elements:
            if type(operator) is not cst.DictElement or string_value(operator.key) in (None, *_CONDITION_FIELDS) \
                    or type(operator.value) is not cst.Dict or not operator.value.elements:
                return None
            for key in operator.value.elements:
                if type(key) is not cst.DictElement or string_value(key.key) is None:
                    return None
                values = key.value if isinstance(key.value, (cst.List, cst.Tuple)) else \
                    cst.List([cst.Element(key.value)])
                quote = operator.key.quote if type(operator.key) is cst.SimpleString else '"'
                entries.append(cst.Dict([
                    cst.DictElement(cst.SimpleString(f"{quote}test{quote}"), operator.key),
                    cst.DictElement(cst.SimpleString(f"{quote}variable{quote}"), key.key),
                    cst.DictElement(cst.SimpleString(f"{quote}values{quote}"), values),
                ]))
    # Laid out as the first dict was: one block a line where its keys were one a line.
    first = written[0].value if isinstance(written[0], cst.Element) else written[0]
    after, before = first.lbrace.whitespace_after, first.rbrace.whitespace_before
    return cst.List([cst.Element(entry, comma=cst.Comma(whitespace_after=after) if n < len(entries) - 1
                                 else cst.MaybeSentinel.DEFAULT) for n, entry in enumerate(entries)],
                    lbracket=cst.LeftSquareBracket(whitespace_after=after),
                    rbracket=cst.RightSquareBracket(whitespace_before=before))


def _single_leaf(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The one value inside a nest of one-entry lists and one-key dicts (`[{"group": {"arn": x}}]` -> x), or None
    when the value is not such a nest (a plain value on its own included)."""
    depth = 0
    while True:
        if isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) == 1 \
                and type(value.elements[0]) is cst.Element:
            value = value.elements[0].value
        elif isinstance(value, cst.Dict) and len(value.elements) == 1 and type(value.elements[0]) is cst.DictElement \
                and string_value(value.elements[0].key) is not None:
            value = value.elements[0].value
        else:
            break
        depth += 1
    if depth == 0 or isinstance(value, (cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp)) \
            or any(isinstance(node, (cst.Call, cst.Lambda, cst.Dict, cst.List)) for node in walk(value)):
        return None  # a block, a list or a call: not one plain value
    return value


def _single_value_parameter(site, given: set[str]) -> tuple[str, cst.BaseExpression] | None:
    """An argument written in the AWS API's nested shape where the provider takes its one value flat: Step
    Functions' `destinations=[{"cloudwatch_logs_log_group": {"log_group_arn": arn}}]` is the logging block's
    `log_destination=arn`. The value is a nest of one-entry lists and one-key dicts around one plain value; the
    parameter is the one settable parameter, not given yet, whose name ends with the key's words (singular or
    as written) after words that begin words of the class's name (`log` of `...LoggingConfiguration`), and that
    takes a plain value of the leaf's type (not a list or a block)."""
    leaf = _single_leaf(site.value)
    if leaf is None:
        return None
    words = set()
    for variant in {site.name, snake_case(site.name)}:
        words.add(tuple(variant.split("_")))
        if variant.endswith("s"):
            words.add(tuple((variant[:-2] if variant.endswith("es") else variant[:-1]).split("_")))
            words.add(tuple(variant[:-1].split("_")))
        if variant.endswith("ies"):
            words.add(tuple((variant[:-3] + "y").split("_")))
    class_words = snake_case(site.class_name).split("_")
    found = []
    for parameter in settable_params(site.params):
        parts = tuple(parameter.split("_"))
        for tail in words:
            head = parts[:len(parts) - len(tail)]
            if len(parts) >= len(tail) and parts[len(head):] == tail and all(
                    any(word.startswith(h) for word in class_words) for h in head):
                found.append(parameter)
                break
    if len(found) != 1 or found[0] in given:
        return None
    annotation = site.params[found[0]]
    if scalar_types(annotation) is None or fit(leaf, annotation) != FITS:
        return None
    return found[0], leaf


def _items(owner: cst.Call | cst.Dict) -> list:
    return list(owner.args if isinstance(owner, cst.Call) else owner.elements)


def _position(owner: cst.Call | cst.Dict, name_node: cst.CSTNode) -> int:
    """Where the argument (or dict entry) named by `name_node` is among its owner's."""
    return next(i for i, item in enumerate(_items(owner))
                if (item.keyword if isinstance(owner, cst.Call) else getattr(item, "key", None)) is name_node)


def _item_value(owner: cst.Call | cst.Dict, position: int) -> cst.BaseExpression:
    return _items(owner)[position].value


def _emptied(block: cst.BaseExpression, removed: dict) -> bool:
    """Whether every argument of the one block in `block` (a dict or a struct's call, alone or in a list) goes."""
    if isinstance(block, (cst.List, cst.Tuple)):
        block = block.elements[0].value
    return isinstance(block, (cst.Call, cst.Dict)) and len(removed.get(block, ())) == len(_items(block))


def _rebuilt(owner: cst.Call | cst.Dict, removed: set[int], inserted: dict[int, list], emptied: set[int]):
    """The owner without the arguments at `removed`, with each `inserted` argument placed after the block it moved
    out of (in the place of that block when it is `emptied`), in the owner's own layout."""
    items = _items(owner)
    is_call = isinstance(owner, cst.Call)
    for position in sorted(removed | set(inserted), reverse=True):
        if position in inserted:
            template = items[position]
            new = [template.with_changes(keyword=cst.Name(name), value=value) if is_call else
                   template.with_changes(key=renamed_name(template.key, name), value=value)
                   for name, value in inserted[position]]
            items = place_items(items, position, new, keep=position not in emptied)
        elif position in removed:
            items = remove_item(items, position)
    return owner.with_changes(args=items) if is_call else owner.with_changes(elements=items)


def _construct_id_keyword(site) -> str | None:
    """The construct id's parameter of the class, where the call gives the id under its other spelling (`id_` for
    `id`, or `id` for `id_`) and not otherwise: the scope alone before it, no keyword of the parameter's own name. A
    resource with an argument named `id` takes its construct id as `id_`; `id=` there sets that argument and leaves
    the construct without its id (TypeError: missing 1 required positional argument)."""
    if not site.is_keyword or site.block is not None or site.name not in ("id", "id_"):
        return None
    positional = positional_params(site.params)
    if len(positional) != 2 or positional[1] == site.name or positional[1].rstrip("_") != "id":
        return None
    args = site.owner.args
    given = names_given(site.owner)
    scopes = sum(1 for a in args if a.keyword is None and not a.star) + (positional[0] in given)
    if scopes != 1 or any(a.star for a in args) or positional[1] in given:
        return None
    return positional[1]


def _spelled(site, param: str) -> str:
    """How `param` is written where `site` is: as its Python keyword, or in a map jsii receives as it is, as the
    camelCase name jsii reads there (a snake_case key would be dropped: CDK007)."""
    return jsii_name(param) if site.raw else param


def _kind_of(value: cst.BaseExpression) -> str:
    """What a value is written as, for a message: `a call`, `an f-string`, `a name`, `an expression`."""
    kind = type(value)
    if kind is cst.Call:
        return "a call"
    if kind is cst.FormattedString:
        return "an f-string"
    if kind in (cst.Name, cst.Attribute):
        return "a name"
    return "an expression"
