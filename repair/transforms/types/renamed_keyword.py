"""CDK010 renamed-keyword: a keyword the Terraform AWS provider renamed at a major version, in its old spelling.

Answers are written from examples of older providers: `ElasticacheReplicationGroup(replication_group_description=
...)` (`description` since 5.0), `Eip(vpc=True)` (`domain="vpc"` since 6.0). The bindings reject the old keyword
(`TypeError: ... got an unexpected keyword argument`). The renames come from the provider's upgrade guides, keyed
by the major version that removed the old name; a rename applies only while the installed signature lacks the old
name and has every new one (the tests hold each entry against the installed provider). Where the value changed
type, it is converted when that is lossless (`vpc=True` -> `domain="vpc"`, a route's `instance_id=nat.id` ->
`network_interface_id=nat.primary_network_interface_id`); where nothing replaces the old keyword
one for one, the finding says what the guide advises instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

import libcst as cst

from repair.provider_index import PACKAGE, ProviderIndex
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, string_value
from repair.transforms._keyword_calls import keyword_sites, names_given, quote_style, renamed_name
from repair.transforms._tokens import CLASS, ConstructTypes
from repair.transforms._triggers import ModuleArgument, SourceFacts, Trigger

# A value in the new keyword's terms: {new keyword: value}, or None when this value has no lossless equivalent.
# The second argument is the quote the file writes its strings with.
Convert = Callable[[cst.BaseExpression, str], "dict[str, cst.BaseExpression] | None"]


@dataclass(frozen=True)
class Renamed:
    new: tuple[str, ...]  # the keywords that replace the old one; () when none does one for one
    convert: Convert | None = None  # None: the value carries over unchanged to the single new keyword
    advice: str = ""  # what to do instead, when the value cannot be carried over


def _eip_domain(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # `vpc = true` asked for a VPC address; "standard" (EC2-Classic) is gone, so `vpc=False` has no equivalent.
    if isinstance(value, cst.Name) and value.value == "True":
        return {"domain": cst.SimpleString(f"{quote}vpc{quote}")}
    return None


def _resolve_conflicts(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # One setting became two: creation accepts NONE and OVERWRITE, update also PRESERVE.
    text = string_value(value)
    if text in ("NONE", "OVERWRITE"):
        return {"resolve_conflicts_on_create": value, "resolve_conflicts_on_update": value.deep_clone()}
    if text == "PRESERVE":
        return {"resolve_conflicts_on_update": value}
    return None


def _list_of_blocks(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # `tags` was a list of {key, value, propagate_at_launch} maps; `tag` blocks have the same fields. A plain
    # {name: value} mapping is something else.
    return {"tag": value} if isinstance(value, (cst.List, cst.Tuple)) else None


def _credentials_files(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # One file became a list of files.
    if isinstance(value, (cst.List, cst.Tuple)):
        return {"shared_credentials_files": value}
    return {"shared_credentials_files": cst.List([cst.Element(value)])}


def _duration(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # A number of seconds became a duration string.
    if isinstance(value, cst.Integer) and value.value.isdigit():
        return {"duration": cst.SimpleString(f"{quote}{int(value.value)}s{quote}")}
    return None


def _instance_interface(value: cst.BaseExpression, quote: str) -> dict[str, cst.BaseExpression] | None:
    # A route's target instance became its network interface: `instance.id` routes to the instance's primary one.
    if isinstance(value, cst.Attribute) and value.attr.value == "id":
        return {"network_interface_id": value.with_changes(attr=cst.Name("primary_network_interface_id"))}
    return None


_FIREHOSE_BUFFERING = {"buffer_size": Renamed(("buffering_size",)), "buffer_interval": Renamed(("buffering_interval",))}
_API_STAGE = "an ApiGatewayStage(rest_api_id=..., deployment_id=deployment.id, stage_name=...) holds the stage now"

# Terraform AWS provider major version that removed the old name -> (provider module, class) -> old -> Renamed.
RENAMED: dict[int, dict[tuple[str, str], dict[str, Renamed]]] = {
    5: {
        ("provider", "AwsProvider"): {
            "s3_force_path_style": Renamed(("s3_use_path_style",)),
            "shared_credentials_file": Renamed(("shared_credentials_files",), _credentials_files),
        },
        ("provider", "AwsProviderAssumeRole"): {
            "duration_seconds": Renamed(("duration",), _duration, 'write duration="<seconds>s"'),
        },
        ("provider", "AwsProviderAssumeRoleWithWebIdentity"): {
            "duration_seconds": Renamed(("duration",), _duration, 'write duration="<seconds>s"'),
        },
        ("elasticache_replication_group", "ElasticacheReplicationGroup"): {
            "replication_group_description": Renamed(("description",)),
            "number_cache_clusters": Renamed(("num_cache_clusters",)),
            "availability_zones": Renamed(("preferred_cache_cluster_azs",)),
        },
        ("db_instance", "DbInstance"): {"name": Renamed(("db_name",))},
        ("autoscaling_attachment", "AutoscalingAttachment"): {
            "alb_target_group_arn": Renamed(("lb_target_group_arn",)),
        },
        ("autoscaling_group", "AutoscalingGroup"): {
            "tags": Renamed(("tag",), _list_of_blocks, "a mapping of tags goes into tag=[{key, value, "
                                                       "propagate_at_launch}] blocks"),
        },
        # The S3 settings of every destination that had them before 5.0, and their backup settings.
        **{("kinesis_firehose_delivery_stream", f"KinesisFirehoseDeliveryStream{block}"): _FIREHOSE_BUFFERING
           for block in ("ExtendedS3Configuration", "ExtendedS3ConfigurationS3BackupConfiguration",
                         "RedshiftConfigurationS3BackupConfiguration", "RedshiftConfigurationS3Configuration",
                         "ElasticsearchConfigurationS3Configuration", "OpensearchConfigurationS3Configuration",
                         "SplunkConfigurationS3Configuration", "HttpEndpointConfigurationS3Configuration")},
        ("secretsmanager_secret", "SecretsmanagerSecret"): {
            name: Renamed((), advice="rotation is a SecretsmanagerSecretRotation resource now")
            for name in ("rotation_enabled", "rotation_lambda_arn", "rotation_rules")
        },
        ("ecs_cluster", "EcsCluster"): {
            name: Renamed((), advice="capacity providers are an EcsClusterCapacityProviders resource now")
            for name in ("capacity_providers", "default_capacity_provider_strategy")
        },
        ("route", "Route"): {
            "instance_id": Renamed(("network_interface_id",), _instance_interface,
                                   "route to the instance's network interface (network_interface_id)"),
        },
    },
    6: {
        ("eip", "Eip"): {"vpc": Renamed(("domain",), _eip_domain, 'write domain="vpc"')},
        ("eks_addon", "EksAddon"): {
            "resolve_conflicts": Renamed(("resolve_conflicts_on_create", "resolve_conflicts_on_update"),
                                         _resolve_conflicts, "set resolve_conflicts_on_create/_on_update"),
        },
        ("batch_compute_environment", "BatchComputeEnvironment"): {
            "compute_environment_name": Renamed(("name",)),
            "compute_environment_name_prefix": Renamed(("name_prefix",)),
        },
        ("data_aws_batch_compute_environment", "DataAwsBatchComputeEnvironment"): {
            "compute_environment_name": Renamed(("name",)),
        },
        ("dx_gateway_association", "DxGatewayAssociation"): {"vpn_gateway_id": Renamed(("associated_gateway_id",))},
        ("flow_log", "FlowLog"): {
            "log_group_name": Renamed((), advice="log_destination takes the log group's ARN"),
        },
        ("api_gateway_deployment", "ApiGatewayDeployment"): {
            name: Renamed((), advice=_API_STAGE) for name in ("stage_name", "stage_description", "canary_settings")
        },
        ("instance", "Instance"): {
            name: Renamed((), advice="write cpu_options={'core_count': ..., 'threads_per_core': ...}")
            for name in ("cpu_core_count", "cpu_threads_per_core")
        },
    },
}

# Provider module -> the old keywords of its classes; (module, class) -> the class's old keywords.
RENAMED_IN_MODULE: dict[str, frozenset[str]] = {}
RENAMED_IN_CLASS: dict[tuple[str, str], frozenset[str]] = {}
for _classes in RENAMED.values():
    for (_module, _class), _olds in _classes.items():
        RENAMED_IN_MODULE[_module] = RENAMED_IN_MODULE.get(_module, frozenset()) | frozenset(_olds)
        RENAMED_IN_CLASS[(_module, _class)] = RENAMED_IN_CLASS.get((_module, _class), frozenset()) | frozenset(_olds)


class _OldKeywordWritten(Trigger):
    """Where the rule may find an old keyword, read with `ast`: a call of a class (resolved as the rules resolve
    it) given one of that class's old keywords; or, for the structs that had old keywords (classes without a
    scope), such a key written anywhere in a file that imports their module, where a dict may stand for the block.
    Where `ast` cannot read the code: any old keyword of an imported module, written anywhere."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains(PACKAGE):
            return False
        tree = facts.tree
        if tree is None:
            return ModuleArgument(RENAMED_IN_MODULE).test(facts)
        for call in tree.calls:
            for target in tree.resolve(call.func):
                olds = RENAMED_IN_CLASS.get(target)
                if olds and any(keyword.arg in olds for keyword in call.keywords):
                    return True
        return ModuleArgument(_struct_keywords(facts.index)).test(facts)


def _struct_keywords(index: ProviderIndex) -> dict[str, frozenset[str]]:
    """Provider module -> the old keywords of its structs (a class the index does not know counted as one)."""
    found: dict[str, frozenset[str]] = {}
    for (module, class_name), olds in RENAMED_IN_CLASS.items():
        if "scope" not in (index.params(module, class_name) or {}):
            found[module] = found.get(module, frozenset()) | olds
    return found

_REGISTRY_VERSION = re.compile(r"registry\.terraform\.io/providers/hashicorp/aws/(\d+)\.")


@cache
def _major_in(root: Path | None) -> int | None:
    if root is None:
        return None
    try:
        with open(root / "provider" / "__init__.py", encoding="utf-8") as handle:
            match = _REGISTRY_VERSION.search(handle.read(8192))
    except OSError:
        return None
    return int(match.group(1)) if match else None


def terraform_provider_major(index: ProviderIndex) -> int | None:
    """The major version of the Terraform AWS provider the installed bindings were generated from (their docs
    link to its registry pages)."""
    return _major_in(index.root)


def renames_for(index: ProviderIndex, module: str, class_name: str) -> dict[str, tuple[int, Renamed]]:
    """old keyword -> (the major version that removed it, its Renamed), for the renames of one class that the
    installed provider has made (all of them when its version is unknown)."""
    major = terraform_provider_major(index)
    found: dict[str, tuple[int, Renamed]] = {}
    for removed_in, classes in sorted(RENAMED.items()):
        if major is None or removed_in <= major:
            found.update((old, (removed_in, renamed)) for old, renamed in classes.get((module, class_name), {}).items())
    return found


class RenamedKeyword(Rule):
    id = "CDK010"
    slug = "renamed-keyword"
    severity = Severity.CRITICAL
    summary = ("Use the keyword the provider renamed an old one to at a major version (upgrade guides), converting "
               "the value where its type changed.")
    prevents = ("TypeError: ElasticacheReplicationGroup.__init__() got an unexpected keyword argument "
                "'replication_group_description' (cdktf synth fails)")
    prevents_template = "TypeError: {class_name}.__init__() got an unexpected keyword argument '{keyword}' (cdktf synth fails)"
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-5-upgrade"
    analysis_keywords = ("renamed", "deprecated parameter", "deprecated argument", "deprecated * api", "old parameter")
    # Exactly the keywords of the table, so that any other unknown keyword is CDK011's.
    synth_errors = (r"^TypeError: (?:" + "|".join(
        sorted({re.escape(f"{class_name}.__init__() got an unexpected keyword argument '{old}'")
                for classes in RENAMED.values() for (_, class_name), olds in classes.items() for old in olds}))
        + ")",)
    # An old keyword given to its class, or written as a key where a dict may stand for a struct that had it.
    triggers = _OldKeywordWritten()
    # Keyword names are what the block rules look parameters up by (CDK006, CDK007, CDK009): they read the
    # spelling the provider takes, or they would report a key as unknown that this rule renames a moment later.
    phase = Phase.STRUCTURE

    examples = (
        # A route to an instance routes to the instance's primary network interface.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route import Route\n"
                "Route(self, 'nat', route_table_id=rt.id, destination_cidr_block='0.0.0.0/0', instance_id=nat.id)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.route import Route\n"
                "Route(self, 'nat', route_table_id=rt.id, destination_cidr_block='0.0.0.0/0', "
                "network_interface_id=nat.primary_network_interface_id)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r',\n"
                "                            replication_group_description='sessions', number_cache_clusters=2)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'redis', replication_group_id='r',\n"
                "                            description='sessions', num_cache_clusters=2)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eip import Eip\n"
                "nat_ip = Eip(self, 'nat-ip', vpc=True, tags={'Name': 'nat'})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.eip import Eip\n"
                "nat_ip = Eip(self, 'nat-ip', domain='vpc', tags={'Name': 'nat'})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eks_addon import EksAddon\n"
                "EksAddon(self, 'cni', cluster_name=cluster.name, addon_name='vpc-cni', resolve_conflicts='OVERWRITE')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.eks_addon import EksAddon\n"
                "EksAddon(self, 'cni', cluster_name=cluster.name, addon_name='vpc-cni', resolve_conflicts_on_create='OVERWRITE', resolve_conflicts_on_update='OVERWRITE')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.kinesis_firehose_delivery_stream import KinesisFirehoseDeliveryStream\n"
                "KinesisFirehoseDeliveryStream(self, 'fh', name='events', destination='extended_s3',\n"
                "    extended_s3_configuration={'role_arn': role.arn, 'bucket_arn': bucket.arn,\n"
                "                               'buffer_size': 64, 'buffer_interval': 60})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.kinesis_firehose_delivery_stream import KinesisFirehoseDeliveryStream\n"
                "KinesisFirehoseDeliveryStream(self, 'fh', name='events', destination='extended_s3',\n"
                "    extended_s3_configuration={'role_arn': role.arn, 'bucket_arn': bucket.arn,\n"
                "                               'buffering_size': 64, 'buffering_interval': 60})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eip import Eip\n"
                "from cdktf_cdktf_provider_aws.db_instance import DbInstance\n"
                "Eip(self, 'ip', domain='vpc')\n"
                "DbInstance(self, 'db', db_name='app', engine='postgres', instance_class='db.t3.micro')\n"
            ),
        ),
    )

    def _report(self, site, message: str, *, fixed: bool = True) -> bool:
        """A finding about one site, quoting the TypeError its keyword raises."""
        return self.report(site.name_node, message, fixed=fixed,
                           facts={"class_name": site.class_name, "keyword": site.name})

    def _attributes_exist(self, tree: cst.Module, index, values) -> bool:
        """Whether each attribute a conversion reads (`nat.primary_network_interface_id`) exists on its construct,
        where the construct's class is known (a DataAwsInstance calls it `network_interface_id`)."""
        reads = [value for value in values if type(value) is cst.Attribute]
        if not reads:
            return True
        if getattr(self, "_types_of", None) is None or self._types_of[0] is not tree:
            self._types_of = (tree, ConstructTypes(tree, self.provider_imports, index))
        types = self._types_of[1]
        for read in reads:
            owner = types.type_of(read.value)
            members = index.members(owner.module, owner.name) if owner is not None and owner.kind == CLASS else None
            if members and read.attr.value not in members:
                return False
        return True

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        index = self.options.provider_index()
        edits: dict[cst.CSTNode, Callable] = {}
        splits: dict[cst.Call, dict[int, dict[str, cst.BaseExpression]]] = {}
        quote = None
        for site in keyword_sites(self):
            if site.name in site.params:
                continue
            entry = renames_for(index, site.module, site.class_name).get(site.name)
            if entry is None:
                continue
            removed_in, renamed = entry
            given = names_given(site.owner)
            where = f"{site.class_name}.{site.name}"
            if not renamed.new or not all(n in site.params for n in renamed.new):
                self._report(site, f"{where} was removed in the {removed_in}.0 provider: {renamed.advice}",
                             fixed=False)
                continue
            taken = [n for n in renamed.new if n in given]
            if renamed.convert is None:
                values = {renamed.new[0]: site.value}
            else:
                quote = quote or quote_style(tree)
                values = renamed.convert(site.value, quote)
                if values is not None and not self._attributes_exist(tree, index, values.values()):
                    values = None
            new_names = " and ".join(renamed.new)
            if taken:
                self._report(site, f"{where} is {new_names} now, and {', '.join(taken)} is already given",
                             fixed=False)
            elif values is None:
                self._report(site, f"{where} is {new_names} now; this value has no lossless equivalent: "
                             f"{renamed.advice}", fixed=False)
            elif len(values) > 1 and not site.is_keyword:
                self._report(site, f"{where} is {new_names} now; set them in this block", fixed=False)
            elif self._report(site, f"{where} is {' and '.join(values)} since the {removed_in}.0 provider "
                              "(its upgrade guide)"):
                if len(values) > 1:
                    position = next(i for i, a in enumerate(site.owner.args) if a.keyword is site.name_node)
                    splits.setdefault(site.owner, {})[position] = values
                    continue
                ((name, value),) = values.items()
                edits[site.name_node] = (lambda node, name=name: renamed_name(node, name))
                if value is not site.value:
                    edits[site.value] = (lambda _, value=value: value)
        for call, positions in splits.items():
            edits[call] = (lambda node, positions=positions: _split(node, positions))
        return apply_leaves(tree, edits) if edits else tree


def _split(call: cst.Call, positions: dict[int, dict[str, cst.BaseExpression]]) -> cst.Call:
    """`call` with the argument at each position replaced by one argument per new keyword, separated the way the
    call separates its arguments."""
    args = list(call.args)
    for position in sorted(positions, reverse=True):
        old = args[position]
        # The comma after the previous argument separates two arguments; the old one's own may close the call.
        if position > 0 and isinstance(args[position - 1].comma, cst.Comma):
            separator = _bare(args[position - 1].comma)
        elif position + 1 < len(args) and isinstance(old.comma, cst.Comma):
            separator = _bare(old.comma)
        else:
            separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        items = list(positions[position].items())
        replacement = []
        for number, (name, value) in enumerate(items):
            last = number == len(items) - 1
            replacement.append(old.with_changes(
                keyword=cst.Name(name), value=value, comma=old.comma if last else separator,
                whitespace_after_arg=old.whitespace_after_arg if last else cst.SimpleWhitespace("")))
        args[position:position + 1] = replacement
    return call.with_changes(args=args)


def _bare(comma: cst.Comma) -> cst.Comma:
    """A separator laid out like `comma` (same line or next line at the same indent), without its comments."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = cst.ParenthesizedWhitespace(last_line=after.last_line, indent=after.indent)
    return cst.Comma(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=after)
