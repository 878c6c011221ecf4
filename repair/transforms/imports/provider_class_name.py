"""CDK001 provider-class-name: names that the installed provider module does not export.

jsii appends `A` to a generated class whose name would clash with the Terraform resource's own name (for example
`S3BucketServerSideEncryptionConfigurationA`), and the suffix follows into the nested structs and their
`Config`/`List`/`OutputReference` types. Models keep writing the name without it, so `cdktf synth` stops at an
ImportError. The installed provider's `__all__` is the truth: no table of names is kept here.

A class read through a module that does not export it (`secretsmanager_secret.SecretsmanagerSecretVersion`, with
the module imported from the package root) is read through the module that does: a name the file binds to it
already, else that module imported under its own name, else the class imported by its name, whichever the file
does not bind to something else (models often call a variable after the module: `db_subnet_group = ...`).

An import inside a `try:` that catches a failed import (`except ImportError: VpcFlowLog = None`) is reported, not
repaired: the code runs without the name by its own choice, and importing it would switch on the code it guards.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider, ScopeProvider

from repair.provider_index import PACKAGE
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import NODE_TYPES, _child_fields, add_import, apply_leaves, code_of, remove_item, walk
from repair.transforms._names import BINDING_FIELDS as _BINDING_FIELDS
from repair.transforms._names import PREDEFINED, name_uses
from repair.transforms._provider_imports import reference_to
from repair.transforms._provider_names import _provider_submodule, resolve
from repair.transforms._triggers import ImportsUnknownName

class ProviderClassName(Rule):
    id = "CDK001"
    slug = "provider-class-name"
    severity = Severity.CRITICAL
    summary = "Use the class and struct names the installed provider really exports (jsii's `A` suffix)."
    prevents = (
        "ImportError: cannot import name 'S3BucketServerSideEncryptionConfiguration' from "
        "'cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration' (cdktf synth fails)"
    )
    prevents_template = "ImportError: cannot import name '{name}' from '{module}' (cdktf synth fails)"
    synth_errors = (r"^ImportError: cannot import name .* from 'cdktf_cdktf_provider_aws",
                    r"^AttributeError: .*cdktf_cdktf_provider_aws",
                    r"^ModuleNotFoundError: No module named 'cdktf_cdktf_provider_aws\.")
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/s3BucketServerSideEncryptionConfiguration.python.md"
    analysis_keywords = ("class name", "class naming", "import name", "import naming", "import error",
                         "invalid import", "incorrect import", "non existent class")
    # Nearly every CDKTF file imports the provider, and nearly always correctly: only a file that takes a name its
    # module does not export is parsed for this rule.
    triggers = ImportsUnknownName()

    examples = (
        # EventBridge's resources are filed under their former service names (CloudWatch Events, Scheduler).
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.eventbridge_rule import EventbridgeRule\n"
                "from cdktf_cdktf_provider_aws.eventbridge_schedule import EventbridgeSchedule\n"
                "EventbridgeRule(self, 'nightly', schedule_expression='cron(0 2 * * ? *)')\n"
                "EventbridgeSchedule(self, 's', schedule_expression='rate(1 hour)', flexible_time_window=window,\n"
                "                    target=target)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule\n"
                "from cdktf_cdktf_provider_aws.scheduler_schedule import SchedulerSchedule\n"
                "CloudwatchEventRule(self, 'nightly', schedule_expression='cron(0 2 * * ? *)')\n"
                "SchedulerSchedule(self, 's', schedule_expression='rate(1 hour)', flexible_time_window=window,\n"
                "                    target=target)\n"
            ),
        ),
        # Read through a module that does not export it: the class comes from its own module. A part of a resource
        # the provider has as a resource of its own is the one the resource refers to (`db_subnet_group_name`).
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import rds_cluster, secretsmanager_secret\n"
                "db_subnet_group = rds_cluster.RdsClusterSubnetGroup(self, 'db', name='db', subnet_ids=ids)\n"
                "secretsmanager_secret.SecretsmanagerSecretVersion(self, 'v', secret_id=s.id, secret_string='{}')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import rds_cluster, secretsmanager_secret, secretsmanager_secret_version\n"
                "from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup\n"
                "db_subnet_group = DbSubnetGroup(self, 'db', name='db', subnet_ids=ids)\n"
                "secretsmanager_secret_version.SecretsmanagerSecretVersion(self, 'v', secret_id=s.id, secret_string='{}')\n"
            ),
        ),
        # Taken with `import *`: the wrong name is only where the file reads it.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import *\n"
                "S3BucketServerSideEncryptionConfiguration(self, 'enc', bucket=b.id, rule=rules)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import *\n"
                "S3BucketServerSideEncryptionConfigurationA(self, 'enc', bucket=b.id, rule=rules)\n"
            ),
        ),
        # A resource named without its last word, when one module alone is that name and one more word.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_serverless import ElasticacheServerless\n"
                "ElasticacheServerless(self, 'sessions', name='sessions', engine='valkey')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_serverless_cache import ElasticacheServerlessCache\n"
                "ElasticacheServerlessCache(self, 'sessions', name='sessions', engine='valkey')\n"
            ),
        ),
        # A resource named after what it attaches to: aws_flow_log refers to the VPC by `vpc_id`.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.vpc_flow_log import VpcFlowLog\n"
                "VpcFlowLog(self, 'flow', vpc_id=vpc.id, traffic_type='ALL', log_destination=bucket.arn)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.flow_log import FlowLog\n"
                "FlowLog(self, 'flow', vpc_id=vpc.id, traffic_type='ALL', log_destination=bucket.arn)\n"
            ),
        ),
        # Words of another resource's resource left out: the one module of the bucket holding "encryption".
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_encryption import S3BucketEncryption\n"
                "S3BucketEncryption(self, 'enc', bucket=bucket.id, rule=rules)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import "
                "S3BucketServerSideEncryptionConfigurationA\n"
                "S3BucketServerSideEncryptionConfigurationA(self, 'enc', bucket=bucket.id, rule=rules)\n"
            ),
        ),
        # One letter off the module's own class.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_event_source_mapping import LambdEventSourceMapping\n"
                "LambdEventSourceMapping(self, 'm', event_source_arn=queue.arn, function_name=fn.arn)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_event_source_mapping import LambdaEventSourceMapping\n"
                "LambdaEventSourceMapping(self, 'm', event_source_arn=queue.arn, function_name=fn.arn)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import (\n"
                "    S3BucketVersioning,\n"
                "    S3BucketVersioningVersioningConfiguration as VersioningConfig,\n"
                ")\n"
                "\n"
                "S3BucketVersioning(self, 'v', bucket=b.id, versioning_configuration=VersioningConfig(status='Enabled'))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import (\n"
                "    S3BucketVersioningA,\n"
                "    S3BucketVersioningVersioningConfiguration as VersioningConfig,\n"
                ")\n"
                "\n"
                "S3BucketVersioningA(self, 'v', bucket=b.id, versioning_configuration=VersioningConfig(status='Enabled'))\n"
            ),
        ),
        Example(
            before=(
                "import cdktf_cdktf_provider_aws.s3_bucket_logging as logging_\n"
                "logging_.S3BucketLogging(self, 'log', bucket=b.id, target_bucket=t.id, target_prefix='l/')\n"
            ),
            after=(
                "import cdktf_cdktf_provider_aws.s3_bucket_logging as logging_\n"
                "logging_.S3BucketLoggingA(self, 'log', bucket=b.id, target_bucket=t.id, target_prefix='l/')\n"
            ),
        ),
        # The alias is rebound in another scope: only the reads of the import's binding are its.
        Example(
            before=(
                "import cdktf_cdktf_provider_aws.s3_bucket_logging as logging_\n"
                "def configure(logging_):\n"
                "    logging_.S3BucketLogging(level=1)\n"
                "logging_.S3BucketLogging(self, 'log', bucket=b.id, target_bucket=t.id, target_prefix='l/')\n"
            ),
            after=(
                "import cdktf_cdktf_provider_aws.s3_bucket_logging as logging_\n"
                "def configure(logging_):\n"
                "    logging_.S3BucketLogging(level=1)\n"
                "logging_.S3BucketLoggingA(self, 'log', bucket=b.id, target_bucket=t.id, target_prefix='l/')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                "    S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault,\n"
                ")\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                "    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,\n"
                ")\n"
            ),
        ),
        Example(
            before="from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketPolicy\n",
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy\n"
            ),
        ),
        # Every name leaves the statement: it is pointed at the first one's module, the others get their own.
        Example(
            before="from cdktf_cdktf_provider_aws.s3_bucket import S3BucketPolicy, S3BucketPublicAccessBlock\n",
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy\n"
                "from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock\n"
            ),
        ),
        # A data source without jsii's `DataAws` prefix, in a module that does not exist.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.iam_policy_document import IamPolicyDocument\n"
                "doc = IamPolicyDocument(self, 'doc', statement=[])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument\n"
                "doc = DataAwsIamPolicyDocument(self, 'doc', statement=[])\n"
            ),
        ),
        # Valid: the inline `versioning` block struct of aws_s3_bucket really is called S3BucketVersioning.
        Example(before="from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketVersioning\n"),
        Example(before="from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._renames: dict[cst.Name, str] = {}  # original Name node -> new identifier
        self._dropped_aliases: dict[cst.ImportFrom, set[int]] = {}  # aliases moved to another module's import
        self._module_retarget: dict[cst.ImportFrom, str] = {}  # single-name imports pointed at another module
        self._added_imports: list[tuple[str, str, str | None]] = []  # names moved to another module's import
        self._replacements: dict[cst.CSTNode, object] = {}  # `module.Name` read through another module
        self._uses = None
        self._plain: _PlainNames | None = None
        self._tree = tree
        self._scan(tree)
        if not (self._renames or self._dropped_aliases or self._module_retarget or self._replacements):
            return tree
        tree = apply_leaves(tree, {**_edits(self._renames, self._dropped_aliases, self._module_retarget),
                                   **self._replacements})
        for module, name, asname in self._added_imports:
            tree = add_import(self.context, tree, module, name, asname)
        return tree

    # -- analysis ----------------------------------------------------------------------------------------------
    def _scan(self, tree: cst.Module) -> None:
        self._guarded = _guarded_imports(tree)
        imports = _walk_imports(tree)
        for node in imports:
            if type(node) is cst.ImportFrom:
                self._scan_import_from(node)
            else:
                self._scan_import(node)
        self._scan_star_imports(imports)

    def _scan_star_imports(self, imports: list[cst.Import | cst.ImportFrom]) -> None:
        """`from <provider module> import *` binds every name the module exports, so a wrong name is never in an
        import line: it is a name the file reads and binds nowhere. Its fix is the one every star-imported module
        agrees on; a star import from elsewhere (whose names are not known without running it) leaves the file
        alone."""
        stars = [node for node in imports if type(node) is cst.ImportFrom and isinstance(node.names, cst.ImportStar)]
        if not stars:
            return
        modules = []
        for node in stars:
            module = None if node.relative or node.module is None else _provider_submodule(code_of(node.module))
            if module is None:
                return
            modules.append(module)
        uses = self._name_uses()
        for name, reads in uses.reads.items():
            if name in uses.bindings or name in PREDEFINED or not name[:1].isupper():
                continue
            resolutions = [resolve(self._index, module, name) for module in modules]
            if any(resolution is None for resolution in resolutions):
                continue  # a star-imported module exports it
            fixes = {(r.module, r.name) for r in resolutions if r.name is not None}
            spelled = ", ".join(f"{PACKAGE}.{module}" for module in modules)
            facts = {"name": name, "module": f"{PACKAGE}.{modules[0]}"}
            first, *others = [node for node, _ in reads]
            if len(fixes) != 1:
                self.report(first, f"{name} is exported by none of {spelled} (imported with *); "
                            f"{resolutions[0].reason}", fixed=False, facts=facts)
                continue
            (target, new_name), = fixes
            reason = next(r.reason for r in resolutions if r.name is not None)
            if uses.bindings.get(new_name):
                # The file gives the provider's name another meaning: a use renamed to it would read that.
                self.report(first, f"{name} is not exported by {spelled} (imported with *); {reason} (and the file "
                            f"binds {new_name} to something else)", fixed=False, facts=facts)
                continue
            if not self.report(first, f"{name} is not exported by {spelled} (imported with *); {reason}",
                               facts=facts, also=others):
                continue
            for read in (first, *others):
                self._renames[read] = new_name
            if target not in modules:
                self._added_imports.append((f"{PACKAGE}.{target}", new_name, None))

    def _scan_import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        dotted = code_of(node.module)
        if dotted == PACKAGE:  # from cdktf_cdktf_provider_aws import s3_bucket_versioning [as x]
            for alias in node.names:
                submodule = code_of(alias.name)
                bound = code_of(alias.asname.name) if alias.asname else submodule
                self._check_module_accesses(node, bound, submodule)
            return
        module = _provider_submodule(dotted)
        if module is None:
            return
        moves: list[tuple[int, cst.ImportAlias, str, str]] = []  # (position, alias, module, name) to move
        for position, alias in enumerate(node.names):
            if not isinstance(alias.name, cst.Name):
                continue
            name = alias.name.value
            resolution = resolve(self._index, module, name)
            if resolution is None:
                continue
            if resolution.name is None:
                self.report(alias, f"{name}: {resolution.reason}", fixed=False, facts={"name": name, "module": dotted})
                continue
            new_name = resolution.name
            where = "does not exist in" if resolution.module == module else "is not in"
            if node in self._guarded:
                # The code runs without the name by its own choice: importing it would switch on what it guards.
                self.report(alias, f"{name} {where} {dotted}; {resolution.reason}; the import is guarded by "
                            "`except ImportError`, and the code runs without it: importing it would switch on the "
                            "code it guards, a change to make by hand", fixed=False,
                            facts={"name": name, "module": dotted})
                continue
            uses = self._import_reads(node, name) if alias.asname is None and new_name != name else []
            if not self.report(alias, f"{name} {where} {dotted}; {resolution.reason}",
                               facts={"name": name, "module": dotted}, also=uses):
                continue
            if resolution.module == module:
                self._renames[alias.name] = new_name
            else:
                moves.append((position, alias, resolution.module, new_name))
            for use in uses:
                self._renames[use] = new_name
        # When every name leaves the statement (the model named a module that does not exist), the statement itself
        # is pointed at the first name's module: an import cannot be emptied.
        retarget = moves[0][2] if moves and len(moves) == len(node.names) else None
        if retarget is not None:
            self._module_retarget[node] = f"{PACKAGE}.{retarget}"
        for position, alias, target, new_name in moves:
            if target == retarget:
                if new_name != alias.name.value:
                    self._renames[alias.name] = new_name
                continue
            self._dropped_aliases.setdefault(node, set()).add(position)
            asname = code_of(alias.asname.name) if alias.asname else None
            self._added_imports.append((f"{PACKAGE}.{target}", new_name, asname))

    def _scan_import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = code_of(alias.name)
            module = _provider_submodule(dotted)
            bound = code_of(alias.asname.name) if alias.asname else dotted
            if module is not None:
                # `import pkg.m as x` binds x; `import pkg.m` binds the dotted name `pkg.m` (uses: `pkg.m.X`).
                self._check_module_accesses(node, bound, module)
            elif dotted == PACKAGE:
                self._check_package_accesses(node, bound)

    def _accesses(self, import_node: cst.CSTNode, bound: str) -> list[cst.Name | cst.Attribute]:
        """The expressions that read the binding `bound` made by this import, scope-aware."""
        scope = self.node_metadata(ScopeProvider, import_node, None)
        if scope is None:
            return []
        nodes = []
        for assignment in scope.assignments[bound]:
            if getattr(assignment, "node", None) is import_node:
                nodes.extend(a.node for a in assignment.references if isinstance(a.node, (cst.Name, cst.Attribute)))
        return nodes

    def _reads(self, import_node: cst.CSTNode, bound: str) -> list[tuple[cst.CSTNode, cst.CSTNode | None,
                                                                          cst.CSTNode | None]]:
        """(read, parent, grandparent) for each read of the binding `bound` made by this import."""
        if "." not in bound:
            plain = self._plain_names().plain_uses(bound, import_node)
            if plain is not None:
                return plain
        # Bound elsewhere too (or a dotted `import pkg.m`): scope analysis tells which reads are the import's.
        reads = []
        for access in self._accesses(import_node, bound):
            parent = self.node_metadata(ParentNodeProvider, access, None)
            grandparent = self.node_metadata(ParentNodeProvider, parent, None) if parent is not None else None
            reads.append((access, parent, grandparent))
        return reads

    def _check_module_accesses(self, import_node: cst.CSTNode, bound: str, module: str) -> None:
        for access, parent, _ in self._reads(import_node, bound):
            if isinstance(parent, cst.Attribute) and parent.value is access:
                self._check_attribute(parent, module, f"{bound}.")

    def _check_package_accesses(self, import_node: cst.CSTNode, bound: str) -> None:
        for access, first, second in self._reads(import_node, bound):
            if not (isinstance(first, cst.Attribute) and first.value is access):
                continue
            if isinstance(second, cst.Attribute) and second.value is first:
                self._check_attribute(second, first.attr.value, f"{bound}.{first.attr.value}.")

    def _check_attribute(self, attribute: cst.Attribute, module: str, spelled: str) -> None:
        name = attribute.attr.value
        facts = {"name": name, "module": f"{PACKAGE}.{module}"}
        resolution = resolve(self._index, module, name)
        if resolution is None:
            return
        if resolution.name is not None and resolution.module == module:
            if self.report(attribute, f"{spelled}{name} does not exist; {resolution.reason}", facts=facts):
                self._renames[attribute.attr] = resolution.name
        elif resolution.name is not None:
            # Another module's name cannot be reached through this module's alias: read it through that module.
            reference = self._reference(resolution.module, resolution.name, spelled)
            if reference is None:
                self.report(attribute, f"{spelled}{name} does not exist; {resolution.reason} (and the file binds "
                            f"both {resolution.module} and {resolution.name} to something else)", fixed=False,
                            facts=facts)
            elif self.report(attribute, f"{spelled}{name} does not exist; {resolution.reason}: read as "
                             f"{reference}", facts=facts):
                self._replacements[attribute] = lambda updated, reference=reference: cst.parse_expression(
                    reference).with_changes(lpar=updated.lpar, rpar=updated.rpar)
        else:
            self.report(attribute, f"{spelled}{name}: {resolution.reason}", fixed=False, facts=facts)

    def _reference(self, module: str, name: str, spelled: str) -> str | None:
        """How the file reads `name` of provider module `module` where it read it through another module:
        through the package alias (`aws.db_subnet_group.X` for `aws.rds_cluster.X`), else as `reference_to` finds."""
        if spelled.count(".") == 2:  # `<package alias>.<module>.`
            return f"{spelled.split('.')[0]}.{module}.{name}"
        return reference_to(self.provider_imports, self._name_uses(), module, name, self._added_imports)

    def _plain_names(self) -> _PlainNames:
        if self._plain is None:
            self._plain = _PlainNames(self._tree)
        return self._plain

    def _name_uses(self):
        if self._uses is None:
            self._uses = name_uses(self._tree)
        return self._uses

    def _import_reads(self, import_node: cst.ImportFrom, name: str) -> list[cst.Name]:
        """The reads of the name an import binds, to be renamed with it."""
        plain = self._plain_names().plain_uses(name, import_node)
        if plain is not None:
            return [use for use, _, _ in plain]
        # The name is bound somewhere else too: only scope analysis tells which uses are the import's.
        return [a for a in self._accesses(import_node, name) if isinstance(a, cst.Name)]




def _bound_names(node: cst.Import | cst.ImportFrom) -> set[str]:
    if isinstance(node.names, cst.ImportStar):
        return {"*"}
    return {code_of(a.asname.name) if a.asname else code_of(a.name).split(".")[0] for a in node.names}


class _PlainNames:
    """Every plain name of a tree read in one walk (the rule asks for each name an import binds; a walk per name
    was most of the rule's time): the reads of each name with their parent and grandparent, the names something
    other than an import binds, and the imports that bind each name (`*` for a star import)."""

    def __init__(self, tree: cst.Module) -> None:
        self.reads: dict[str, list[tuple]] = {}
        self.bound: set[str] = set()
        self.imports: dict[str, list[cst.CSTNode]] = {}
        stack: list[tuple[cst.CSTNode, bool, bool, cst.CSTNode | None, cst.CSTNode | None]] = [
            (tree, False, False, None, None)]
        while stack:
            node, binding, skip, parent, grandparent = stack.pop()
            if type(node) in (cst.Import, cst.ImportFrom):
                for bound in _bound_names(node):
                    self.imports.setdefault(bound, []).append(node)
                continue  # an import's own names are neither reads nor other bindings
            if type(node) is cst.Name:
                if binding:
                    self.bound.add(node.value)
                elif not skip:
                    self.reads.setdefault(node.value, []).append((node, parent, grandparent))
                continue
            children = []
            for field in _child_fields(node):
                value = getattr(node, field)
                child_binding = binding or (type(node), field) in _BINDING_FIELDS
                # An attribute's name and a keyword argument's name are not reads.
                child_skip = skip or (type(node) is cst.Attribute and field == "attr") or \
                    (type(node) is cst.Arg and field == "keyword")
                for child in value if isinstance(value, (list, tuple)) else (value,):
                    if type(child) in NODE_TYPES:
                        children.append((child, child_binding and not child_skip, child_skip, node, parent))
            stack.extend(reversed(children))  # reads in the order of the code

    def plain_uses(self, name: str, import_node: cst.CSTNode) -> list[tuple] | None:
        """(read, parent, grandparent) for every read of `name` when the file binds it nowhere but in this import;
        None when it binds it elsewhere too (then scope analysis must tell which reads are the import's)."""
        if name in self.bound:
            return None
        if any(node is not import_node for node in self.imports.get(name, ()) + self.imports.get("*", [])):
            return None  # another import of the same name (or a star import): ambiguous
        return self.reads.get(name, [])


_IMPORT_FAILURES = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _guarded_imports(tree: cst.Module) -> set[cst.ImportFrom]:
    """The imports in the body of a `try:` whose handlers catch a failed import (`except ImportError:`, a bare
    `except:`, `except Exception:`): the module runs on either way."""
    guarded: set[cst.ImportFrom] = set()
    for node in walk(tree):
        if type(node) is not cst.Try:
            continue
        caught = set()
        for handler in node.handlers:
            kinds = handler.type.elements if type(handler.type) is cst.Tuple else [handler.type]
            for kind in kinds:
                if isinstance(kind, cst.Element):
                    kind = kind.value
                caught.add("BaseException" if kind is None else code_of(kind).rsplit(".", 1)[-1])
        if caught & _IMPORT_FAILURES:
            guarded.update(n for n in walk(node.body) if type(n) is cst.ImportFrom)
    return guarded


def _walk_imports(tree: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    return [node for node in walk(tree) if type(node) in (cst.Import, cst.ImportFrom)]


def _edits(renames: dict[cst.Name, str], dropped: dict[cst.ImportFrom, set[int]],
           retarget: dict[cst.ImportFrom, str]) -> dict:
    edits: dict = {name: (lambda updated, new=new: updated.with_changes(value=new)) for name, new in renames.items()}
    for node in set(dropped) | set(retarget):
        edits[node] = lambda updated, node=node: _edit_import(updated, dropped.get(node, ()), retarget.get(node))
    return edits


def _edit_import(node: cst.ImportFrom, drop, module: str | None) -> cst.ImportFrom:
    if module is not None:
        node = node.with_changes(module=cst.parse_expression(module))
    if drop:
        names = list(node.names)
        for position in sorted(drop, reverse=True):
            names = remove_item(names, position)
        node = node.with_changes(names=names)
    return node
