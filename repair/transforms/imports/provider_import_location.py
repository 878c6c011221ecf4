"""CDK014 provider-import-location: provider classes reached through the package root or a module that is not one.

Since provider version 10 every class lives in a submodule named after its Terraform type
(`cdktf_cdktf_provider_aws.s3_bucket.S3Bucket`); the package root exports only the submodules. Models still write
the earlier layouts, and each stops the stack at an ImportError or AttributeError:

- a class imported from the root: `from cdktf_cdktf_provider_aws import AwsProvider, S3Bucket`. Each name is
  imported from its own module instead (`.provider`, `.s3_bucket`);
- a service namespace that does not exist: `from cdktf_cdktf_provider_aws import ecs` with `ecs.EcsCluster(...)`.
  When every class read through it lives in one module, the import binds that module under the same name
  (`from cdktf_cdktf_provider_aws import cloudwatch_event_rule as eventbridge_rule`); when they live in several,
  each class is imported from its module and read by its name (only names the file binds nowhere else);
- a class read through the package: `import cdktf_cdktf_provider_aws as aws` with `aws.S3Bucket` (or
  `aws.ecs.EcsCluster`) becomes `aws.s3_bucket.S3Bucket` (`aws.ecs_cluster.EcsCluster`);
- the local bindings `cdktf get` generates (`from imports.aws.s3_bucket import S3Bucket`, or the flat
  `from imports.aws import Vpc, Subnet` of older cdktf), which exist only where `cdktf get` ran: the prebuilt
  package has the same classes in the same module layout (both are generated from the provider's schema by the
  same tool), so `imports.aws` is read as `cdktf_cdktf_provider_aws` and its classes placed as above. Only when
  the project has no `imports/aws` folder of its own; bindings of another provider (`imports.random`) are
  reported: only the AWS provider's package is installed.

Where a class lives is CDK001's resolution (`provider_class_name.resolve`): the module named after it, else the one
module exporting it, a data source's `DataAws` name, a spelling that differs only in case and underscores. This
rule moves a name to its module and keeps the name as written; CDK001, which runs after it, then corrects a name
that module spells differently (jsii's `A` suffix). A name no module or several modules export is reported with the
reason and left alone; `from cdktf_cdktf_provider_aws.<module> import X` with a wrong module is CDK001's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import libcst as cst
from libcst.metadata import ImportAssignment, ParentNodeProvider, ScopeProvider

from repair.provider_index import PACKAGE
from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves, code_of, remove_item, walk
from repair.transforms._names import NameUses, name_uses
from repair.transforms._provider_imports import class_home
from repair.transforms._triggers import All, Any, Regex, Text

# `from cdktf_cdktf_provider_aws import ...` and `import cdktf_cdktf_provider_aws [as x]`: the only forms this rule
# reads (a submodule import names the package followed by a dot); and any import of `cdktf get`'s `imports` package.
_ROOT_IMPORT = re.compile(rf"^[ \t]*(?:from[ \t]+{PACKAGE}[ \t]+import\b|import[ \t][^\n]*\b{PACKAGE}\b(?!\.)"
                          rf"|from[ \t]+imports\.|import[ \t][^\n]*\bimports\.)", re.MULTILINE)
# The package `cdktf get` writes a provider's bindings into (`imports/aws/...`), and the AWS provider's name in it.
LOCAL_BINDINGS = "imports"
_LOCAL_AWS = f"{LOCAL_BINDINGS}.aws"


class ProviderImportLocation(Rule):
    id = "CDK014"
    slug = "provider-import-location"
    severity = Severity.CRITICAL
    summary = "Import each provider class from its own submodule, not from the package root or a namespace that does not exist."
    prevents = "ImportError: cannot import name 'S3Bucket' from 'cdktf_cdktf_provider_aws' (cdktf synth fails)"
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/API.python.md"
    reads_project = True  # cdktf.json says what another `imports.<name>` binding is (a module, a provider)
    analysis_keywords = ("import location", "import path", "package root", "module path")
    # The package root exports only submodules: a class asked of the root is this rule's failure class.
    synth_errors = (r"^(ImportError|AttributeError): .*'cdktf_cdktf_provider_aws' ",
                    r"^ModuleNotFoundError: No module named 'imports(\.aws[.\w]*)?'")
    phase = Phase.STRUCTURE
    triggers = All(Any(Text(PACKAGE), Text(LOCAL_BINDINGS + ".")), Regex(_ROOT_IMPORT))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import AwsProvider, S3Bucket, s3_bucket_policy\n"
                "AwsProvider(self, 'aws', region='us-east-1')\n"
                "bucket = S3Bucket(self, 'b')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import s3_bucket_policy\n"
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "AwsProvider(self, 'aws', region='us-east-1')\n"
                "bucket = S3Bucket(self, 'b')\n"
            ),
        ),
        # Bindings `cdktf get` would generate: the prebuilt package has the same modules.
        Example(
            before=(
                "from imports.aws.provider import AwsProvider\n"
                "from imports.aws import S3Bucket, s3_bucket_policy\n"
                "AwsProvider(self, 'aws', region='us-east-1')\n"
                "bucket = S3Bucket(self, 'b')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
                "from cdktf_cdktf_provider_aws import s3_bucket_policy\n"
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "AwsProvider(self, 'aws', region='us-east-1')\n"
                "bucket = S3Bucket(self, 'b')\n"
            ),
        ),
        # A parameter of the same name in a function is another variable: the import's own reads decide.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import rds\n"
                "def database(self):\n"
                "    return rds.DbInstance(self, 'db', engine='postgres', instance_class='db.t3.micro')\n"
                "def url(rds):\n"
                "    return f'postgres://{rds.endpoint}'\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import db_instance as rds\n"
                "def database(self):\n"
                "    return rds.DbInstance(self, 'db', engine='postgres', instance_class='db.t3.micro')\n"
                "def url(rds):\n"
                "    return f'postgres://{rds.endpoint}'\n"
            ),
        ),
        # A namespace whose classes live in one module: the import binds that module under the namespace's name.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import eventbridge_rule\n"
                "eventbridge_rule.CloudwatchEventRule(self, 'nightly', schedule_expression='cron(0 2 * * ? *)')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import cloudwatch_event_rule as eventbridge_rule\n"
                "eventbridge_rule.CloudwatchEventRule(self, 'nightly', schedule_expression='cron(0 2 * * ? *)')\n"
            ),
        ),
        # A service namespace over several modules: each class from its module, read by its name.
        Example(
            before=(
                "# ECS\n"
                "from cdktf_cdktf_provider_aws import ecs\n"
                "cluster = ecs.EcsCluster(self, 'cluster', name='web')\n"
                "ecs.EcsService(self, 'service', name='web', cluster=cluster.id)\n"
            ),
            after=(
                "# ECS\n"
                "from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster\n"
                "from cdktf_cdktf_provider_aws.ecs_service import EcsService\n"
                "cluster = EcsCluster(self, 'cluster', name='web')\n"
                "EcsService(self, 'service', name='web', cluster=cluster.id)\n"
            ),
        ),
        Example(
            before=(
                "import cdktf_cdktf_provider_aws as aws\n"
                "aws.provider.AwsProvider(self, 'aws', region='us-east-1')\n"
                "aws.S3Bucket(self, 'b')\n"
                "aws.dynamodb.DynamodbTable(self, 't', name='t', hash_key='id')\n"
            ),
            after=(
                "import cdktf_cdktf_provider_aws as aws\n"
                "aws.provider.AwsProvider(self, 'aws', region='us-east-1')\n"
                "aws.s3_bucket.S3Bucket(self, 'b')\n"
                "aws.dynamodb_table.DynamodbTable(self, 't', name='t', hash_key='id')\n"
            ),
        ),
        # Imported, never read, and no such module: the import is all that breaks.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import provider, eventbridge_target\n"
                "provider.AwsProvider(self, 'aws')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import provider\n"
                "provider.AwsProvider(self, 'aws')\n"
            ),
        ),
        # Valid: submodules imported from the root and read through the package.
        Example(
            before=(
                "import cdktf_cdktf_provider_aws as aws\n"
                "from cdktf_cdktf_provider_aws import provider, s3_bucket as buckets\n"
                "provider.AwsProvider(self, 'aws')\n"
                "buckets.S3Bucket(self, 'b')\n"
                "aws.s3_bucket.S3Bucket(self, 'c')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._uses: NameUses | None = None
        self._edits: dict = {}
        self._local_bindings: dict[str, bool] = {}
        self._declared: tuple[dict[str, str], dict[str, str]] | bool | None = None  # False: no cdktf.json
        for node in walk(tree):
            if isinstance(node, cst.SimpleStatementLine):
                for small in node.body:
                    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
                            and not isinstance(small.names, cst.ImportStar):
                        dotted = code_of(small.module)
                        if dotted == PACKAGE:
                            self._scan_root_import(node, small)
                        elif dotted == LOCAL_BINDINGS or dotted.startswith(LOCAL_BINDINGS + "."):
                            self._scan_local_import(node, small, dotted)
                    elif isinstance(small, cst.Import):
                        for alias in small.names:
                            if code_of(alias.name) == PACKAGE:
                                self._scan_package_reads(code_of(alias.asname.name) if alias.asname else PACKAGE)
                            elif code_of(alias.name).startswith(LOCAL_BINDINGS + "."):
                                self._scan_local_module_import(alias)
        return apply_leaves(tree, self._edits) if self._edits else tree

    # -- from imports.aws... import X: the bindings `cdktf get` generates --------------------------------------
    def _has_local_bindings(self, provider: str) -> bool:
        """Whether the project has the bindings `cdktf get` writes for `provider` (`imports/aws/`): then its
        imports are the project's own. Looked for beside the file and in the folders above it, up to the
        project's root (the folder with `cdktf.json`)."""
        if provider not in self._local_bindings:
            found = False
            filename = self.context.filename
            if filename and os.path.isfile(filename):
                folder = Path(os.path.abspath(filename)).parent
                for candidate in (folder, *folder.parents)[:4]:
                    if (candidate / LOCAL_BINDINGS / provider).is_dir():
                        found = True
                    if found or (candidate / "cdktf.json").is_file():
                        break
            self._local_bindings[provider] = found
        return self._local_bindings[provider]

    def _other_bindings(self, dotted: str, name: str) -> str:
        """What is missing where the code imports `cdktf get`'s bindings of something else than the AWS provider:
        a Terraform module or another provider the project's cdktf.json declares, or nothing it declares."""
        declared = self._declared_bindings()
        if declared is None:  # no cdktf.json to tell: what such an import usually is
            return (f"{dotted} is the binding `cdktf get` generates for the {name} provider, and the project has "
                    f"none; only the AWS provider's package ({PACKAGE}) is installed to read it from: run `cdktf get` "
                    f"or install that provider's prebuilt package where one exists")
        modules, providers = declared
        # The longest declared path the import names (`imports.terraform_aws_modules.security_group.aws`), else
        # its first part.
        path = dotted.split(".")[1:]
        name = next((".".join(path[:end]) for end in range(len(path), 0, -1)
                     if ".".join(path[:end]) in modules or ".".join(path[:end]) in providers), name)
        if name in modules:
            return (f"{dotted} is the binding `cdktf get` generates for the Terraform module {modules[name]} "
                    "(cdktf.json's terraformModules), and the project has none: run `cdktf get` before synth")
        if name in providers:
            return (f"{dotted} is the binding `cdktf get` generates for the {providers[name]} provider (cdktf.json's "
                    f"terraformProviders), and the project has none; only the AWS provider's package ({PACKAGE}) is "
                    "installed: run `cdktf get`, or install that provider's prebuilt package where one exists")
        declared = ", ".join(sorted({*modules.values(), *providers.values()})) or "none"
        return (f"{dotted} is no binding the project has or declares: `cdktf get` generates `{LOCAL_BINDINGS}.<name>` "
                f"for the providers and modules of cdktf.json (declared here: {declared})")

    def _declared_bindings(self) -> tuple[dict[str, str], dict[str, str]] | None:
        """The names `cdktf get` gives the bindings of the Terraform modules and providers the project's cdktf.json
        declares, each with the entry that declares it; None without a project or a cdktf.json that reads."""
        if self._declared is None:
            modules: dict[str, str] = {}
            providers: dict[str, str] = {}
            config = self.context.project.config if self.context.project is not None else None
            if not config:
                self._declared = False
                return None
            for key, found in (("terraformModules", modules), ("terraformProviders", providers)):
                entries = config.get(key)
                for entry in entries if isinstance(entries, list) else ():
                    for name in _binding_names(entry, found is modules):
                        found.setdefault(name, _source_of(entry))
            self._declared = (modules, providers)
        return self._declared or None

    def _local_target(self, node: cst.CSTNode, dotted: str) -> str | None:
        """The prebuilt package's module for `imports.aws[.module]`; None (reported) for another provider's."""
        provider = dotted.split(".")[1] if "." in dotted else ""
        if not provider or self._has_local_bindings(provider):
            return None
        if dotted != _LOCAL_AWS and not dotted.startswith(_LOCAL_AWS + "."):
            self.report(node, self._other_bindings(dotted, provider), fixed=False)
            return None
        return PACKAGE + dotted[len(_LOCAL_AWS):]

    def _scan_local_import(self, statement: cst.SimpleStatementLine, node: cst.ImportFrom, dotted: str) -> None:
        target = self._local_target(node, dotted)
        if target is None:
            return
        module = target[len(PACKAGE) + 1:]
        if not module or self._index.has_module(module):
            message = (f"{dotted} is the binding `cdktf get` generates, which this project does not have; the "
                       f"prebuilt provider package has the same modules: {target}")
        else:  # an older cdktf's service namespace (`imports.aws.ec2`): the package has a module a class
            message = (f"{dotted} is the binding `cdktf get` generates, which this project does not have; read from "
                       f"{target}, where CDK001 places each class in its own module of the prebuilt package")
        if target == PACKAGE:
            # The flat layout of older cdktf: every class at the root, placed in its own module like a root import.
            self._scan_root_import(statement, node, retarget=message)
        elif self.report(node, message):
            self._edits[node] = lambda updated, target=target: updated.with_changes(
                module=cst.parse_expression(target))

    def _scan_local_module_import(self, alias: cst.ImportAlias) -> None:
        dotted = code_of(alias.name)
        target = self._local_target(alias, dotted)
        if target is None:
            return
        if alias.asname is None:
            # `import imports.aws.s3_bucket` binds `imports`: its reads would need rewriting too.
            self.report(alias, f"{dotted} is the binding `cdktf get` generates, which this project does not have; "
                        f"import {target} instead", fixed=False)
        elif self.report(alias, f"{dotted} is the binding `cdktf get` generates, which this project does not have; "
                         f"the prebuilt provider package has the same modules: {target}"):
            self._edits[alias] = lambda updated, target=target: updated.with_changes(
                name=cst.parse_expression(target))

    @property
    def uses(self) -> NameUses:
        if self._uses is None:
            self._uses = name_uses(self.context.wrapper.module)
        return self._uses

    # -- from cdktf_cdktf_provider_aws import X ----------------------------------------------------------------
    def _scan_root_import(self, statement: cst.SimpleStatementLine, node: cst.ImportFrom,
                          retarget: str | None = None) -> None:
        """`retarget`: the statement names another package standing for the provider's root (`imports.aws`), and
        this is why it is pointed at the provider's package; the names it keeps are the root's submodules."""
        moved: dict[int, list[tuple[str, str, str | None]]] = {}  # position -> the imports that replace it
        # What the messages call the module the names were imported from: the one the code wrote.
        self._root = PACKAGE if retarget is None else f"{code_of(node.module)} (read as {PACKAGE})"
        # New import statements go next to this one: not possible inside `import a; from ... import X`.
        splittable = len(statement.body) == 1
        for position, alias in enumerate(node.names):
            name = code_of(alias.name)
            if self._index.has_module(name):
                continue
            bound = code_of(alias.asname.name) if alias.asname else name
            home = class_home(self._index, name)
            if home.module is not None:
                message = f"{name} is not exported by {self._root} itself: it lives in {PACKAGE}.{home.module}"
                if self.report(alias, message, fixed=splittable) and splittable:
                    moved[position] = [(home.module, name, code_of(alias.asname.name) if alias.asname else None)]
                continue
            reads, alone = self._reads_of_import(node, bound)
            if not reads and alone and splittable:
                # Nothing reads what the import would bind, and it cannot succeed: the import only breaks the module.
                if self.report(alias, f"{self._root} has no module or class {name}, and nothing reads it: the import "
                               "is dropped"):
                    moved[position] = []
                continue
            namespace_reads = [(read, parent) for read, parent in reads
                               if isinstance(parent, cst.Attribute) and parent.value is read]
            if not reads or len(namespace_reads) != len(reads) or not alone:
                self.report(alias, f"{self._root} has no module or class {name}: {home.reason}", fixed=False)
                continue
            replacement = self._scan_namespace(alias, name, bound, namespace_reads, splittable)
            if replacement:
                moved[position] = replacement
        if retarget is not None and len(moved) < len(node.names) and self.report(node, retarget):
            # Names kept in the statement (submodules, and what could not be placed) are read from the package.
            self._edits[node] = lambda updated: updated.with_changes(module=cst.parse_expression(PACKAGE))
        if moved:
            self._edits[statement] = lambda updated: _split_import(updated, moved)

    def _reads_of_import(self, node: cst.ImportFrom, bound: str) -> tuple[list[tuple[cst.Name, cst.CSTNode | None]],
                                                                          bool]:
        """The reads of the name an import binds, and whether they are all and only the import's: where the module
        binds the name once, every read of it; where it binds it again in another scope (a function's parameter
        `rds` beside `from ... import rds`), the reads scope analysis ties to the import, when the import is the
        name's one binding in its own scope. Else every read, and False: which are the import's is not known."""
        reads = self.uses.reads.get(bound, [])
        if self.uses.bindings[bound] == 1:
            return reads, True
        if self.uses.star_import:
            return reads, False
        scope = self.node_metadata(ScopeProvider, node)
        assignments = list(scope.assignments[bound]) if scope is not None else []
        if len(assignments) != 1 or not isinstance(assignments[0], ImportAssignment) or assignments[0].node is not node:
            return reads, False
        accessed = {id(access.node) for access in assignments[0].references}
        return [(read, parent) for read, parent in reads if id(read) in accessed], True

    def _scan_namespace(self, alias: cst.ImportAlias, name: str, bound: str, reads: list[tuple[cst.Name, cst.Attribute]],
                        splittable: bool) -> list[tuple[str, str, str | None]] | None:
        """A namespace module that does not exist, whose classes are read as `ns.Class`: bind the one module they
        live in under the namespace's name, or import each class from its module (returned) and read it bare."""
        homes: dict[str, str] = {}
        for _, attribute in reads:
            attr = attribute.attr.value
            if attr not in homes:
                home = class_home(self._index, attr)
                if home.module is None:
                    self.report(alias, f"{self._root} has no module {name}, and {name}.{attr}: {home.reason}",
                                fixed=False)
                    return None
                homes[attr] = home.module
        modules = list(dict.fromkeys(homes.values()))
        where = ", ".join(f"{name}.{attr} in {PACKAGE}.{module}" for attr, module in homes.items())
        if len(modules) == 1:
            if self.report(alias, f"{self._root} has no module {name}: {where}"):
                module = cst.Name(modules[0])
                self._edits[alias] = lambda updated: updated.with_changes(
                    name=module, asname=updated.asname or cst.AsName(name=cst.Name(bound)))
            return None
        taken = [attr for attr in homes if attr in self.uses.bindings]
        if not splittable:
            self.report(alias, f"{self._root} has no module {name}: {where}", fixed=False)
            return None
        if taken:
            self.report(alias, f"{self._root} has no module {name} ({where}); each class needs its own import, but "
                        f"the file binds {', '.join(taken)} already", fixed=False)
            return None
        if not self.report(alias, f"{self._root} has no module {name}: {where}"):
            return None
        for read, attribute in reads:
            self._edits[attribute] = lambda updated, attr=attribute.attr: cst.Name(
                attr.value, lpar=updated.lpar, rpar=updated.rpar)
        return [(module, attr, None) for attr, module in homes.items()]

    # -- import cdktf_cdktf_provider_aws as aws: aws.S3Bucket, aws.ecs.EcsCluster ------------------------------
    def _scan_package_reads(self, bound: str) -> None:
        if self.uses.bindings[bound] != 1:
            return  # the name is rebound somewhere: which reads are the package's needs a scope analysis
        for read, first in self.uses.reads.get(bound, []):
            if not (isinstance(first, cst.Attribute) and first.value is read):
                continue
            attr = first.attr.value
            if attr.startswith("_") or self._index.has_module(attr):
                continue  # a submodule, or the package's own dunders (aws.__version__)
            home = class_home(self._index, attr)
            if home.module is not None:
                if self.report(first, f"{bound}.{attr} does not exist: the class lives in {PACKAGE}.{home.module}"):
                    module = home.module
                    self._edits[first] = lambda updated, module=module: updated.with_changes(
                        value=cst.Attribute(value=updated.value, attr=cst.Name(module)))
                continue
            second = self._parent(first)
            if isinstance(second, cst.Attribute) and second.value is first:
                inner = class_home(self._index, second.attr.value)
                if inner.module is not None:
                    if self.report(first, f"{PACKAGE} has no module {attr}: {attr}.{second.attr.value} lives in "
                                   f"{PACKAGE}.{inner.module}"):
                        module = inner.module
                        self._edits[first.attr] = lambda updated, module=module: updated.with_changes(value=module)
                    continue
            self.report(first, f"{bound}.{attr}: {PACKAGE} has no such module or class ({home.reason})", fixed=False)

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.node_metadata(ParentNodeProvider, node, None)


def _source_of(entry: object) -> str:
    if isinstance(entry, dict):
        return str(entry.get("source") or entry.get("name") or "")
    return str(entry).split("@")[0].strip()


def _binding_names(entry: object, module: bool) -> set[str]:
    """The dotted names under `imports` where `cdktf get` may write an entry's bindings, as Python names: its `name`;
    a provider's type (`hashicorp/aws@~>4.0`: `aws`); a module's parts and its whole source
    (`terraform-aws-modules/vpc/aws`: `vpc`, ..., `terraform_aws_modules.vpc.aws`)."""
    names = set()
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        names.add(entry["name"])
    parts = [part for part in re.split(r"[/:]", _source_of(entry)) if part.strip()]
    if module:
        names.update(parts)
        names.add(".".join(parts))
    elif parts:
        names.add(parts[-1])
    return {re.sub(r"[^\w.]", "_", name.strip().lower()) for name in names if name.strip()}


def _split_import(statement: cst.SimpleStatementLine, moved: dict[int, list[tuple[str, str, str | None]]]):
    """The statement without the moved names, followed by one `from <package>.<module> import ...` per module."""
    node = statement.body[0]
    by_module: dict[str, list[str]] = {}
    for position in sorted(moved):
        for module, name, asname in moved[position]:
            by_module.setdefault(module, []).append(f"{name} as {asname}" if asname else name)
    new = [cst.parse_statement(f"from {PACKAGE}.{module} import {', '.join(names)}\n")
           for module, names in by_module.items()]
    if len(moved) == len(node.names):
        if not new:
            return cst.RemovalSentinel.REMOVE
        new[0] = new[0].with_changes(leading_lines=statement.leading_lines)
        new[-1] = new[-1].with_changes(trailing_whitespace=statement.trailing_whitespace)
        return cst.FlattenSentinel(new)
    names = list(node.names)
    for position in sorted(moved, reverse=True):
        names = remove_item(names, position)
    kept = statement.with_changes(body=[node.with_changes(names=names)])
    return cst.FlattenSentinel([kept, *new])
