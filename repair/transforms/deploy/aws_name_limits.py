"""CDK021 aws-name-limits: resource names longer than AWS allows, or with characters it refuses.

Generated stacks build names from a readable description plus the environment suffix
(`f"{project}-application-load-balancer-{env}"`), and synth passes whatever the string is; the provider or the AWS
API then refuses it at plan or apply (a load balancer name holds 32 characters, a bucket name only lowercase
letters, digits, dots and hyphens). The intent of such a name is "unique, readable, carrying the environment
suffix", and a name AWS rejects serves none of it, so the rule rewrites it where the literal text alone decides:
- characters: bucket, cache and database identifiers are lowercased, and `_` becomes `-` where only hyphens are
  allowed; a space becomes `-` where the hyphen is the one separator (`"LoadBalancer Postagram"` ->
  `"LoadBalancer-Postagram"`; a bucket name, which takes dots too, is reported);
- a start AWS keeps for its own ids: a security group's name (or prefix) beginning with `sg-` gets that word at
  its end instead, before a final interpolation (`sg-db-{env}` -> `db-sg-{env}`); reported where no word is there;
- length: when the literal text (plain string, or the literal parts of an f-string, the environment suffix counted
  as `ENVIRONMENT_SUFFIX_RESERVE` characters and any other interpolation as one) is over the limit, the
  longest literal part is cut and ends in a six-letter hash of the whole original name (stable, and distinct for
  distinct names, so names stay unique within the stack), its leading and trailing separators kept; every `{...}`
  interpolation, the environment suffix among them, is kept, and each is given characters of the limit
  (`INTERPOLATION_RESERVE`, `ENVIRONMENT_SUFFIX_RESERVE` for the environment suffix).
- the stack's id: the project's entry names the stack (`TapStack(app, f"TapStack{suffix}", ...)`), and a stack
  that puts its id parameter in a lowercase-only name (`bucket=f"uploads-{construct_id}"`) gives S3 uppercase
  letters whatever the literal text; where the entry's id has uppercase letters in its literal text, the
  interpolation reads `{construct_id.lower()}` (the id is a Python string: the entry's).
Names only known after synth (a variable, a token) are checked by `check_terraform_json` against the same table.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from repair.options import RepairOptions
from repair.project import ProjectContext, modules_match
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import keyword_arg, string_value, walk, with_call_values
from repair.transforms._triggers import STRING, Any, ProviderCall, SourceFacts, Trigger

# Characters of the limit kept free for each interpolation of an f-string name. The environment suffix gets more,
# and counts at that length when deciding whether a name is too long: CI deploys with suffixes like
# `synth8280308137` (15 characters, the longest the corpus's deploy logs show; others are `synthl0s3m1`, `pr4892`).
# The entry point reads ENVIRONMENT_SUFFIX from the environment, so synth, which sees `dev`, cannot tell, and the
# corpus's failure analyses show those suffixes pushing load balancer and target group names past 32.
INTERPOLATION_RESERVE = 8
ENVIRONMENT_SUFFIX_RESERVE = 15
# The words of an interpolation that hold the environment suffix (`environment_suffix`, `self.env`, `stageName`), as
# whole words: `envoy_port` and `suffixes` are other values.
_ENVIRONMENT_WORDS = frozenset({"suffix", "env", "environment", "stage"})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SEPARATORS = "-_."


def _holds_environment(code: str) -> bool:
    return any(word.lower() in _ENVIRONMENT_WORDS for word in _WORD.findall(code))


@dataclass(frozen=True)
class NameLimit:
    max_length: int
    allowed: str  # a regular expression the whole name must match
    lowercase: bool = False  # the service refuses (or silently changes) uppercase letters
    hyphen_for_underscore: bool = False  # `_` is refused where `-` is allowed
    reserved_prefix: str = ""  # a start the service keeps for its own ids (`sg-`: a security group's id)

    def valid_characters(self, text: str) -> bool:
        return re.fullmatch(self.allowed, text) is not None

    @property
    def hyphen_only(self) -> bool:
        """The hyphen is the one separator the name takes (a load balancer's: no dot, no underscore), so a space can
        only have meant one; a bucket name takes dots too, and there a space is the user's to replace."""
        return self.hyphen_for_underscore and not self.valid_characters(".")

    def reserved_start(self, text: str) -> bool:
        return bool(self.reserved_prefix) and text.startswith(self.reserved_prefix)


_LB = NameLimit(32, r"[A-Za-z0-9-]+", hyphen_for_underscore=True)
_LB_PREFIX = NameLimit(6, r"[A-Za-z0-9-]+", hyphen_for_underscore=True)
_IAM = r"[\w+=,.@-]+"
_LOWER_ID = r"[a-z0-9-]+"
_BUCKET = r"[a-z0-9.-]+"
# A VPC security group's name: what EC2 takes, and never `sg-` first (the provider's own check: "cannot begin with
# sg-"), for the name and the prefix alike.
_SECURITY_GROUP = r"[A-Za-z0-9 ._:/()#,@\[\]+=&;{}!$*-]+"

# (provider module, class) -> {keyword: limit}, from the provider's argument reference and the service quotas it
# links (https://registry.terraform.io/providers/hashicorp/aws/latest/docs). The Terraform resource type is
# `aws_<module>`.
NAME_LIMITS: dict[tuple[str, str], dict[str, NameLimit]] = {
    ("lb", "Lb"): {"name": _LB, "name_prefix": _LB_PREFIX},
    ("alb", "Alb"): {"name": _LB, "name_prefix": _LB_PREFIX},
    ("lb_target_group", "LbTargetGroup"): {"name": _LB, "name_prefix": _LB_PREFIX},
    ("alb_target_group", "AlbTargetGroup"): {"name": _LB, "name_prefix": _LB_PREFIX},
    ("lambda_function", "LambdaFunction"): {"function_name": NameLimit(64, r"[A-Za-z0-9_-]+")},
    ("iam_role", "IamRole"): {"name": NameLimit(64, _IAM), "name_prefix": NameLimit(38, _IAM)},
    ("iam_policy", "IamPolicy"): {"name": NameLimit(128, _IAM), "name_prefix": NameLimit(102, _IAM)},
    ("iam_instance_profile", "IamInstanceProfile"): {"name": NameLimit(128, _IAM), "name_prefix": NameLimit(102, _IAM)},
    ("s3_bucket", "S3Bucket"): {
        "bucket": NameLimit(63, _BUCKET, lowercase=True, hyphen_for_underscore=True),
        "bucket_prefix": NameLimit(37, _BUCKET, lowercase=True, hyphen_for_underscore=True),
    },
    ("elasticache_replication_group", "ElasticacheReplicationGroup"): {
        "replication_group_id": NameLimit(40, _LOWER_ID, lowercase=True, hyphen_for_underscore=True)},
    ("elasticache_cluster", "ElasticacheCluster"): {
        "cluster_id": NameLimit(50, _LOWER_ID, lowercase=True, hyphen_for_underscore=True)},
    ("db_instance", "DbInstance"): {
        "identifier": NameLimit(63, _LOWER_ID, lowercase=True, hyphen_for_underscore=True)},
    ("rds_cluster", "RdsCluster"): {
        "cluster_identifier": NameLimit(63, _LOWER_ID, lowercase=True, hyphen_for_underscore=True)},
    ("sqs_queue", "SqsQueue"): {"name": NameLimit(80, r"[A-Za-z0-9_-]+(\.fifo)?")},
    ("cloudwatch_event_rule", "CloudwatchEventRule"): {"name": NameLimit(64, r"[A-Za-z0-9._-]+")},
    ("sfn_state_machine", "SfnStateMachine"): {"name": NameLimit(80, r"[A-Za-z0-9_-]+")},
    ("security_group", "SecurityGroup"): {"name": NameLimit(255, _SECURITY_GROUP, reserved_prefix="sg-"),
                                          "name_prefix": NameLimit(100, _SECURITY_GROUP, reserved_prefix="sg-")},
}
# Provider module -> its keywords that hold a limited name.
LIMITED_KEYWORDS: dict[str, frozenset[str]] = {}
for (_module, _), _limits in NAME_LIMITS.items():
    LIMITED_KEYWORDS[_module] = LIMITED_KEYWORDS.get(_module, frozenset()) | frozenset(_limits)
RESOURCE_LIMITS = {f"aws_{module}": limits for (module, _), limits in NAME_LIMITS.items()}


def name_hash(original: str) -> str:
    """Six lowercase letters from the original name: valid in every name above, even as its first character."""
    digest = hashlib.sha1(original.encode("utf-8")).hexdigest()[:6]
    return "".join("abcdefghijklmnop"[int(c, 16)] for c in digest)


def fix_characters(text: str, limit: NameLimit) -> str:
    if limit.lowercase:
        text = text.lower()
    if limit.hyphen_for_underscore:
        text = text.replace("_", "-")
    if limit.hyphen_only:
        text = text.replace(" ", "-")
    return text


def shorten(parts: list[str], interpolated: list[bool], budget: int, original: str) -> list[str]:
    """Cut the longest literal parts until the literal text fits `budget`; the cut part ends in the hash."""
    parts = list(parts)
    tag = name_hash(original)
    for _ in range(len(parts)):
        excess = sum(len(p) for p, i in zip(parts, interpolated) if not i) - budget
        if excess <= 0:
            break
        index = max((k for k, i in enumerate(interpolated) if not i and tag not in parts[k]),
                    key=lambda k: len(parts[k]), default=None)
        if index is None:
            break
        text = parts[index]
        lead = text[0] if index > 0 and text[0] in _SEPARATORS else ""
        # A separator before an interpolation, or ending a prefix (`bucket_prefix="logs-"`), stays.
        trail = text[-1] if text[-1] in _SEPARATORS and len(text) > 1 else ""
        core = text[len(lead):len(text) - len(trail)]
        keep = max(len(core) - excess - len(tag) - 1, 0)
        head = core[:keep]
        boundary = max(head.rfind(s) for s in _SEPARATORS)
        if keep < len(core) and core[keep] not in _SEPARATORS and boundary >= len(head) // 2:
            head = head[:boundary]  # whole words only, where that keeps most of what fits
        head = head.rstrip(_SEPARATORS)
        parts[index] = lead + (f"{head}-{tag}" if head else tag) + trail
    return parts


@dataclass
class _Name:
    """A name literal as parts: literal texts and interpolations (whose length is unknown)."""

    parts: list[str]
    interpolated: list[bool]

    @property
    def literal_length(self) -> int:
        return sum(len(p) for p, i in zip(self.parts, self.interpolated) if not i)

    @property
    def literal_text(self) -> str:
        return "".join(p for p, i in zip(self.parts, self.interpolated) if not i)

    def text(self) -> str:
        return "".join(self.parts)  # interpolations as written: `{environment_suffix}`


def _read_name(node: cst.BaseExpression) -> _Name | None:
    value = string_value(node)
    if value is not None and isinstance(node, cst.SimpleString):
        return None if "${" in value else _Name([value], [False])  # a Terraform token: known only at apply
    if isinstance(node, cst.FormattedString) and "{{" not in cst.Module([]).code_for_node(node):
        parts, interpolated = [], []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                if "\\" in part.value or "$" in part.value:
                    return None  # escapes (the text's length is not its source's) or a Terraform token
                parts.append(part.value)
                interpolated.append(False)
            else:
                parts.append(cst.Module([]).code_for_node(part))
                interpolated.append(True)
        return _Name(parts, interpolated)
    return None


def _write_name(node: cst.BaseExpression, name: _Name) -> cst.BaseExpression:
    if isinstance(node, cst.SimpleString):
        quote = node.quote
        return node.with_changes(value=f"{node.prefix}{quote}{name.parts[0]}{quote}")
    texts = iter(p for p, i in zip(name.parts, name.interpolated) if not i)
    parts = [part.with_changes(value=next(texts)) if isinstance(part, cst.FormattedStringText) else part
             for part in node.parts]
    return node.with_changes(parts=parts)


def _valid_part(text: str, limit: NameLimit) -> bool:
    """Whether a literal part can be part of a valid name (the part may follow an interpolation: `{name}.fifo`)."""
    pattern = f"(?:{limit.allowed})?"
    return re.fullmatch(pattern, text) is not None or re.fullmatch(pattern, "x" + text) is not None


def repaired_name(name: _Name, limit: NameLimit, original: str) -> tuple[_Name | None, list[str]]:
    """The name within the limit where its literal text decides it (None where no literal text would fit), and
    what was wrong with it."""
    problems = []
    parts = [p if i else fix_characters(p, limit) for p, i in zip(name.parts, name.interpolated)]
    if limit.reserved_start(name.text()):
        problems.append(f"begins with {limit.reserved_prefix!r}, which AWS keeps for its own ids")
        parts = _reserved_prefix_moved(parts, name.interpolated, limit.reserved_prefix)
        if parts is None:
            return None, problems
    if limit.lowercase and any(c.isupper() for c in name.literal_text):
        problems.append("uppercase letters")
    if limit.hyphen_for_underscore and "_" in name.literal_text:
        problems.append("underscores")
    if limit.hyphen_only and " " in name.literal_text:
        problems.append("spaces")
    interpolations = sum(name.interpolated)
    # The shortest the name can be: an environment suffix as long as CI's, any other interpolation one character
    # (an empty one would leave doubled separators).
    suffixes = sum(1 for p, i in zip(name.parts, name.interpolated) if i and _holds_environment(p))
    shortest = name.literal_length + suffixes * ENVIRONMENT_SUFFIX_RESERVE + (interpolations - suffixes)
    if shortest > limit.max_length:
        with_suffix = f" with a {ENVIRONMENT_SUFFIX_RESERVE}-character environment suffix" if suffixes else ""
        at_least = " at least" if interpolations else ""
        problems.append(f"{shortest} characters{at_least}{with_suffix}, over the limit of {limit.max_length}")
        reserve = suffixes * ENVIRONMENT_SUFFIX_RESERVE + (interpolations - suffixes) * INTERPOLATION_RESERVE
        budget = max(limit.max_length - reserve, len(name_hash("")))
        parts = shorten(parts, name.interpolated, budget, original)
        if sum(len(p) for p, i in zip(parts, name.interpolated) if not i) + shortest - name.literal_length \
                > limit.max_length:
            problems.append("too many interpolations to fit whatever the literal text")
            return None, problems
    return _Name(parts, name.interpolated), problems


def _reserved_prefix_moved(parts: list[str], interpolated: list[bool], prefix: str) -> list[str] | None:
    """`sg-db-primary-{env}` -> `db-primary-sg-{env}`: the reserved start becomes the last word before a final
    interpolation (the environment suffix stays last), or the last word of a name that ends in literal text
    (`sg-web` -> `web-sg`, a prefix `sg-web-` -> `web-sg-`); None where neither place exists (`sg-{name}`)."""
    word, separator = prefix[:-1], prefix[-1]
    parts = [parts[0][len(prefix):], *parts[1:]]
    last = len(parts) - 1
    if not interpolated[last] and parts[last].strip(separator):
        text = parts[last]
        parts[last] = text + word + separator if text.endswith(separator) else text + separator + word
        return parts
    if interpolated[last] and last > 0 and not interpolated[last - 1] and parts[last - 1].endswith(separator) \
            and (last > 1 or parts[last - 1].strip(separator)):
        parts[last - 1] += word + separator
        return parts
    return None


def _may_need_repair(target: tuple[str, str], keyword: str, value: ast.expr) -> bool:
    """The trigger's reading of a name written as a string or an f-string (CPython's tree, before libcst's is
    built): whether the rule may report it. Where the two readings can differ it says yes."""
    limit = NAME_LIMITS[target].get(keyword)
    if limit is None:
        return False
    if type(value) is ast.Constant:
        if "${" in value.value:
            return False  # a Terraform token: known only at apply
        name = _Name([value.value], [False])
    else:
        parts, interpolated = [], []
        for part in value.values:
            if type(part) is ast.Constant:
                if "$" in part.value:
                    return False  # a Terraform token (or an escape of `$`: the rule leaves both)
                parts.append(part.value)
                interpolated.append(False)
            elif type(part) is ast.FormattedValue and part.conversion == -1 and part.format_spec is None:
                parts.append("{" + ast.unparse(part.value) + "}")
                interpolated.append(True)
            else:
                return True  # a conversion or a format spec: its text is not read here
        name = _Name(parts, interpolated)
    fixed, problems = repaired_name(name, limit, "")
    return bool(problems) or fixed is None or any(
        not i and not _valid_part(p, limit) for p, i in zip(fixed.parts, fixed.interpolated))


# Entries for the examples: the dataset's own, naming the stack `TapStack<suffix>`, and one naming it in lowercase.
_ENTRY = (
    "from lib.tap_stack import TapStack\n"
    "environment_suffix = 'dev'\n"
    "stack_name = {id}\n"
    "TapStack(app, stack_name, environment_suffix=environment_suffix)\n"
)
_UPPERCASE_ID = RepairOptions(project=ProjectContext.of_entry(_ENTRY.format(id="f'TapStack{environment_suffix}'"),
                                                              Path("example")))
_LOWERCASE_ID = RepairOptions(project=ProjectContext.of_entry(_ENTRY.format(id="f'tap-{environment_suffix}'"),
                                                              Path("example")))
_ID_STACK = (
    "from cdktf import TerraformStack\n"
    "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
    "class TapStack(TerraformStack):\n"
    "    def __init__(self, scope, construct_id, environment_suffix):\n"
    "        super().__init__(scope, construct_id)\n"
    "        S3Bucket(self, 'uploads', bucket=f'uploads-{{environment_suffix}}-{{{id}}}')\n"
)

# The keywords of the table whose names take no uppercase letter.
LOWERCASE_KEYWORDS = frozenset(k for limits in NAME_LIMITS.values() for k, limit in limits.items() if limit.lowercase)


def _id_parameter(function: ast.FunctionDef | cst.FunctionDef) -> str | None:
    """The name of a constructor's id parameter: the third, after `self` and the scope."""
    if isinstance(function, ast.FunctionDef):
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
    else:
        params = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
    return params[2] if len(params) >= 3 else None


class _IdInLowercaseName(Trigger):
    """Where a class's constructor may put its id parameter in a lowercase-only name, read with `ast`: an f-string
    given to one of LOWERCASE_KEYWORDS that interpolates the parameter. Where `ast` cannot read the code, the
    word TerraformStack."""

    def test(self, facts: SourceFacts) -> bool:
        if not facts.contains("TerraformStack"):
            return False
        module = facts.ast_module
        if module is None:
            return True
        for cls in module.body:
            init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None) \
                if isinstance(cls, ast.ClassDef) else None
            parameter = _id_parameter(init) if init is not None else None
            if parameter is None:
                continue
            for node in ast.walk(init):
                if isinstance(node, ast.keyword) and node.arg in LOWERCASE_KEYWORDS and isinstance(
                        node.value, ast.JoinedStr) and any(
                        isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)
                        and v.value.id == parameter for v in node.value.values):
                    return True
        return False


def _uppercase_id(value: ast.expr | None) -> str | None:
    """The entry's stack id as its literal text shows it (`TapStack{...}`) when that text has uppercase letters."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        text = value.value
    elif isinstance(value, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{...}" for v in value.values)
    else:
        return None
    return text if any(c.isupper() for c in text) else None


class AwsNameLimits(Rule):
    id = "CDK021"
    slug = "aws-name-limits"
    severity = Severity.HIGH
    summary = (
        "Shorten resource names over AWS limits (keeping interpolations and the environment suffix, with a stable "
        "hash for uniqueness), lowercase bucket, cache and database identifiers, and move `sg-` off the start of "
        "security group names."
    )
    prevents = 'terraform plan: Error: "name" cannot be longer than 32 characters (aws_lb)'
    prevents_template = "terraform plan/apply: {resource} {keyword}: {problem}"
    doc_url = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-name"
    analysis_keywords = ("name length", "naming violation", "naming requirement", "name constraint", "too long")
    # A limited name written as a string (or an f-string) for a class of its module: names held by variables are
    # known only after synth, and checked in the Terraform JSON.
    # A class of the table given a name it limits as a string or an f-string.
    # Or a stack's id parameter in a lowercase-only name (what the entry passes decides).
    triggers = Any(ProviderCall(classes={target: frozenset(limits) for target, limits in NAME_LIMITS.items()},
                                value=STRING, accepts=_may_need_repair), _IdInLowercaseName())
    # The stack's id is the entry's.
    reads_project = True

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lb import Lb\n"
                'Lb(self, "alb", name=f"{project}-customer-portal-application-lb-{environment_suffix}",\n'
                '   load_balancer_type="application", subnets=subnet_ids)\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lb import Lb\n"
                'Lb(self, "alb", name=f"{project}-ogcnkl-{environment_suffix}",\n'
                '   load_balancer_type="application", subnets=subnet_ids)\n'
            ),
        ),
        # A space where only letters, digits and hyphens go: a hyphen (a public project's load balancer).
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lb import Lb\n"
                'Lb(self, "alb", name="LoadBalancer Postagram", load_balancer_type="application")\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lb import Lb\n"
                'Lb(self, "alb", name="LoadBalancer-Postagram", load_balancer_type="application")\n'
            ),
        ),
        # 20 literal characters: over 32 once CI's environment suffix (`synth8280308137`) is appended.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.alb import Alb\n"
                'Alb(self, "public", name=f"orders-platform-alb-{environment_suffix}", internal=False)\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.alb import Alb\n"
                'Alb(self, "public", name=f"orders-cgkghk-{environment_suffix}", internal=False)\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "S3Bucket(self, 'assets', bucket=f'MyApp_Assets-{environment_suffix}')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                "S3Bucket(self, 'assets', bucket=f'myapp-assets-{environment_suffix}')\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'cache', description='sessions',\n"
                "    replication_group_id='customer-portal-session-cache-production-primary')\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup\n"
                "ElasticacheReplicationGroup(self, 'cache', description='sessions',\n"
                "    replication_group_id='customer-portal-session-cache-kedala')\n"
            ),
        ),
        # `sg-` starts only security group ids: the word moves to the end, before the environment suffix.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                'SecurityGroup(self, "db", name=f"sg-db-primary-{environment_suffix}", vpc_id=vpc.id)\n'
                'SecurityGroup(self, "web", name_prefix="sg-web-", vpc_id=vpc.id)\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                'SecurityGroup(self, "db", name=f"db-primary-sg-{environment_suffix}", vpc_id=vpc.id)\n'
                'SecurityGroup(self, "web", name_prefix="web-sg-", vpc_id=vpc.id)\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
                "from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
                'LbTargetGroup(self, "tg", name=f"web-tg-{environment_suffix}", port=80, protocol="HTTP")\n'
                'SecurityGroup(self, "web", name=f"web-sg-{environment_suffix}", description="SG-1 rules")\n'
            ),
        ),
        # The entry names the stack `TapStack{environment_suffix}`: its id, in a bucket name, is read in lowercase.
        Example(before=_ID_STACK.format(id="construct_id"), after=_ID_STACK.format(id="construct_id.lower()"),
                options=_UPPERCASE_ID),
        # An entry that names it in lowercase: nothing to change.
        Example(before=_ID_STACK.format(id="construct_id"), options=_LOWERCASE_ID),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._stack_ids = self._uppercase_stack_ids(tree)
        return with_call_values(tree, self._new_values)

    def _uppercase_stack_ids(self, tree: cst.Module) -> dict[cst.Call, tuple[str, str]]:
        """Each call in the constructor of a stack class the entry creates with an id that has uppercase letters ->
        (the constructor's id parameter, the entry's id): where the parameter holds that id (never reassigned)."""
        project = self.context.project
        if not isinstance(project, ProjectContext) or not project.stack_calls:
            return {}
        module = project.module_of(self.context.filename)
        found: dict[cst.Call, tuple[str, str]] = {}
        for cls in tree.body:
            if type(cls) is not cst.ClassDef:
                continue
            ids = {text for call in project.stack_calls if call.class_name == cls.name.value
                   and (module is None or modules_match(call.module, module))
                   and (text := _uppercase_id(call.stack_id)) is not None}
            init = next((n for n in walk(cls.body) if type(n) is cst.FunctionDef and n.name.value == "__init__"),
                        None)
            parameter = _id_parameter(init) if init is not None and len(ids) == 1 else None
            if parameter is None:
                continue
            nodes = list(walk(init.body))
            if any(type(n) is cst.AssignTarget and type(n.target) is cst.Name and n.target.value == parameter
                   for n in nodes):
                continue  # the parameter is given another value: what the name holds is not the entry's id
            for node in nodes:
                if type(node) is cst.Call:
                    found[node] = (parameter, next(iter(ids)))
        return found

    def _lowered_id(self, call: cst.Call, value: cst.BaseExpression) -> cst.BaseExpression | None:
        """The f-string with the stack's id parameter read in lowercase, where the call holds it (else None)."""
        held = self._stack_ids.get(call)
        if held is None or type(value) is not cst.FormattedString:
            return None
        parameter = held[0]
        parts = [part.with_changes(expression=cst.parse_expression(f"{parameter}.lower()"))
                 if type(part) is cst.FormattedStringExpression and type(part.expression) is cst.Name
                 and part.expression.value == parameter and part.conversion is None and part.format_spec is None
                 else part for part in value.parts]
        return value.with_changes(parts=parts) if any(a is not b for a, b in zip(parts, value.parts)) else None

    def _new_values(self, call: cst.Call) -> dict[int, cst.BaseExpression]:
        """Argument index -> its repaired name; every finding reported."""
        target = self.provider_imports.resolve(call.func)
        limits = NAME_LIMITS.get(target) if target else None
        if not limits:
            return {}
        replacements = {}
        for keyword, limit in limits.items():
            arg = keyword_arg(call, keyword)
            name = _read_name(arg.value) if arg else None
            if name is None:
                continue
            original = cst.Module([]).code_for_node(arg.value)
            fixed, problems = repaired_name(name, limit, original)
            still_invalid = fixed is None or [p for p, i in zip(fixed.parts, fixed.interpolated)
                                              if not i and not _valid_part(p, limit)]
            if fixed is not None and still_invalid:
                problems.append(f"characters outside {limit.allowed} that no rewrite decides")
            lowered = self._lowered_id(call, arg.value) if limit.lowercase else None
            if lowered is not None:
                parameter, entry_id = self._stack_ids[call]
                problems.append(f"uppercase letters from the stack's id `{parameter}`, which the entry gives as "
                                f"{entry_id!r}")
            if not problems:
                continue
            resource = f"aws_{target[0]}"
            facts = {"resource": resource, "keyword": keyword, "problem": "; ".join(problems)}
            if still_invalid:
                self.report(arg.value, f"{resource} {keyword} {name.text()!r}: {'; '.join(problems)}", fixed=False,
                            facts=facts)
                continue
            new_value = _write_name(arg.value, fixed)
            if lowered is not None:
                new_value = self._lowered_id(call, new_value)
            shown = cst.Module([]).code_for_node(new_value)
            if self.report(arg.value, f"{resource} {keyword} {name.text()!r}: {'; '.join(problems)}; rewritten as "
                           f"{shown if lowered is not None else repr(fixed.text())}", facts=facts):
                replacements[call.args.index(arg)] = new_value
        return replacements

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for resource_type, limits in RESOURCE_LIMITS.items():
            for name, resource in (stack.get("resource", {}).get(resource_type) or {}).items():
                for keyword, limit in limits.items():
                    value = resource.get(keyword) if isinstance(resource, dict) else None
                    if not isinstance(value, str) or "${" in value:
                        continue  # known only at apply
                    problems = []
                    if len(value) > limit.max_length:
                        problems.append(f"{len(value)} characters, over the limit of {limit.max_length}")
                    if not limit.valid_characters(value):
                        problems.append(f"characters outside {limit.allowed}")
                    if limit.reserved_start(value):
                        problems.append(f"begins with {limit.reserved_prefix!r}, which AWS keeps for its own ids")
                    if problems:
                        findings.append(JsonFinding(cls.id, f"{resource_type}.{name}",
                                                    f"{keyword} {value!r}: {'; '.join(problems)}"))
        return findings
