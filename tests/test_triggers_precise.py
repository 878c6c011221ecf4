"""The structural triggers (repair/transforms/_triggers.py: ProviderCall, ConstructRead, UnknownKey(every=True), Word,
InString, ProjectClassCall, Unimported(in_code=True)) read the code with one `ast` walk shared by every rule: each
holds where its rule may repair something, not elsewhere, and says "maybe" where `ast` cannot read the code. And the
engine's confirmation pass skips a rule that already ran on the same code and changed nothing, unless
CDKTF_REPAIR_NO_FILTERS=1."""

from __future__ import annotations

from dataclasses import replace

import pytest

from repair.engine import repair_source
from repair.options import RepairOptions
from repair.project import ProjectContext
from repair.transforms import _triggers
from repair.transforms._base import Rule, all_rules
from repair.transforms._triggers import (
    STRING, TYPED_USE, UNKNOWN_ATTRIBUTE, ConstructRead, InString, LiteralIdInLoop, ProjectClassCall, ProviderCall,
    SourceFacts,
    Unimported, UnknownKey, Word,
)
from repair.transforms.deploy.aws_name_limits import AwsNameLimits
from repair.transforms.deploy.reserved_domain import ReservedDomain
from repair.transforms.structure.module_level_app import ModuleLevelApp

P = "cdktf_cdktf_provider_aws"
BROKEN = "def broken(:\n"  # ast cannot read it: a structural trigger says "maybe"


def holds(trigger, code: str) -> bool:
    return trigger.test(SourceFacts(code, RepairOptions().provider_index))


CACHE = (f"from {P}.elasticache_subnet_group import ElasticacheSubnetGroup\n"
         "cache = ElasticacheSubnetGroup(self, 'subnets', name='c', subnet_ids=ids)\n")


@pytest.mark.parametrize("code, expected", [
    (CACHE + "print(cache.subnet_group_name)\n", True),
    (CACHE + "print(cache.name, cache.arn, cache.add_override)\n", False),
    (CACHE.replace("cache =", "self.cache =") + "x = self.cache.subnet_group_name\n", True),
    (f"from {P} import elasticache_subnet_group as esg\n"
     "c = esg.ElasticacheSubnetGroup(self, 's', name='c', subnet_ids=ids)\nc.subnet_group_name\n", True),
    (f"import {P} as aws\nc = aws.elasticache_subnet_group.ElasticacheSubnetGroup(self, 's')\nc.bogus\n", True),
    # Not a construct of the provider: its attributes are not the rule's.
    ("cache = ElasticacheSubnetGroup(self, 'subnets')\ncache.subnet_group_name\n", False),
    (CACHE + "other.subnet_group_name\n", False),
    (CACHE + BROKEN, True),
])
def test_construct_read_of_an_unknown_attribute(code, expected):
    assert holds(ConstructRead(UNKNOWN_ATTRIBUTE), code) is expected


AZS = (f"from {P}.data_aws_availability_zones import DataAwsAvailabilityZones\n"
       f"from {P}.eks_cluster import EksCluster\n"
       "azs = DataAwsAvailabilityZones(self, 'azs', state='available')\n"
       "self.eks = EksCluster(self, 'eks', name='c', role_arn=r, vpc_config=v)\n")


@pytest.mark.parametrize("use, expected", [
    ("x = azs.names[0]", True),
    ("n = len(azs.names)", True),
    ("zones = [z for z in azs.names]", True),
    ("for z in azs.names:\n    pass", True),
    ("s = f'${{{azs.names}[0]}}'", True),
    ("i = self.eks.identity[0]", True),
    ("i = self.eks.identity_get(0)", True),
    ("s = f'{azs.id}-{self.eks.arn}'", False),
    ("x = azs.id[0]", False),
    ("ids = [s.id for s in subnets]", False),
    ("x = " + BROKEN, True),
])
def test_construct_read_of_a_typed_value(use, expected):
    assert holds(ConstructRead(TYPED_USE), AZS + use + "\n") is expected


STRUCT = f"from {P}.s3_bucket import S3Bucket, S3BucketServerSideEncryptionConfiguration\n"


@pytest.mark.parametrize("call, expected", [
    ("S3BucketServerSideEncryptionConfiguration(self, 'sse', bucket=b.id)", True),
    ("S3BucketServerSideEncryptionConfiguration(*args)", False),  # starred only: called as its kind
    ("S3BucketServerSideEncryptionConfiguration(rule=rules)", False),
    ("S3Bucket(self, 'b', bucket='x')", False),  # a construct: called as its kind
    ("Other(self, 'sse', bucket=b.id)", False),
    (BROKEN, True),
])
def test_provider_call_of_a_struct_with_a_scope_and_an_id(call, expected):
    assert holds(ProviderCall(construct=False, positional=2), STRUCT + call + "\n") is expected


LB = f"from {P}.lb import Lb\nfrom {P}.sns_topic import SnsTopic\n"
NAMES = ProviderCall(classes={("lb", "Lb"): {"name"}}, value=STRING)


@pytest.mark.parametrize("call, expected", [
    ("Lb(self, 'alb', name='a-very-long-name')", True),
    ("Lb(self, 'alb', name=f'{project}-alb')", True),
    ("Lb(self, 'alb', name=variable)", False),
    ("Lb(self, 'alb', internal='false')", False),
    ("SnsTopic(self, 't', name='a-very-long-name')", False),
])
def test_provider_call_of_some_classes_with_a_string_keyword(call, expected):
    assert holds(NAMES, LB + call + "\n") is expected
    assert holds(NAMES, call + "\n") is False  # no provider import: no provider call


FIS = f"from {P}.fis_experiment_template import FisExperimentTemplate, FisExperimentTemplateAction\n"


@pytest.mark.parametrize("action, expected", [
    ("{'stop-instances': FisExperimentTemplateAction(action_id='a')}", True),
    ("{'stop': {'action_id': 'a'}}", True),
    ("[{'name': 'stop', 'action_id': 'a'}]", False),
    ("{'name': 'stop', 'action_id': 'a', 'bogus': 1}", False),  # one block with an unknown key: not a map
    ("actions", False),
])
def test_unknown_key_every_finds_a_map_keyed_by_other_names(action, expected):
    code = FIS + f"FisExperimentTemplate(self, 'f', description='d', role_arn=r, stop_condition=[s], action={action})\n"
    assert holds(UnknownKey(every=True), code) is expected


def test_a_whole_word():
    assert holds(Word("App"), "from cdktf import App\n")
    assert not holds(Word("App"), "from cdktf import TerraformApp\nMyApp()\napply()\n")
    assert holds(Word("synth", "App"), "app.synth()\n")


@pytest.mark.parametrize("code, expected", [
    ("bucket = 'data-{environment_suffix}'\n", True),
    ("bucket = f'data-{environment_suffix}'\n", False),
    ("bucket = f'data-{{workspace}}'\n", True),
    ("bucket = 'data'  # {environment_suffix}\n", False),
    ("bucket = 'data-{environment_suffix}'\n" + BROKEN, True),
])
def test_a_placeholder_in_a_string_literal(code, expected):
    assert holds(InString(r"\{[A-Za-z_][A-Za-z0-9_]*\}"), code) is expected


@pytest.mark.parametrize("code, expected", [
    ("from lib.network import Network\nfrom lib.compute import Compute\n"
     "net = Network(self, 'n')\nCompute(self, 'c', vpc=net.vpc)\n", True),
    ("class Compute:\n    pass\nnet = Network()\nCompute(self, 'c', vpc=net.vpc)\n", True),
    ("class Compute:\n    pass\nCompute(self, 'c', vpc=net.vpc)\n", False),  # `net` is no object the file makes
    ("class Compute:\n    def __init__(self, config):\n        Compute(self, 'c', vpc=config.vpc)\n", False),
    ("from lib.compute import Compute\nCompute(self, 'c', vpc=net)\n", False),
    (f"from {P}.s3_bucket import S3Bucket\nS3Bucket(self, 'b', bucket=config.name)\n", False),
    ("from cdktf import TerraformOutput\nTerraformOutput(self, 'o', value=bucket.arn)\n", False),
    ("from lib.compute import Compute\nx = 1\n" + BROKEN, True),
    ("from lib.compute import Compute\n" + BROKEN, False),  # not even an `=`
])
def test_a_call_of_the_projects_class_with_an_attribute(code, expected):
    assert holds(ProjectClassCall(), code) is expected


@pytest.mark.parametrize("call, expected", [
    ("Lb(self, 'alb', name='web')", False),  # within the limit, valid characters
    ("Lb(self, 'alb', name='web-application-load-balancer-for-production')", True),  # 46 > 32
    ("Lb(self, 'alb', name='web_alb')", True),  # `_` where only `-` is allowed
    ("Lb(self, 'alb', name=f'web-{environment_suffix}')", False),  # 4 + 15 (the suffix's reserve)
    ("Lb(self, 'alb', name=f'web-application-lb-{environment_suffix}')", True),  # 19 + 15 > 32
    ("Lb(self, 'alb', name=f'web-application-lb-{name}')", False),  # 19 + 1
    ("Lb(self, 'alb', name=f'{name!r}')", True),  # a conversion: not read here
    ("Lb(self, 'alb', name='${var.name}')", False),  # a Terraform token
])
def test_the_name_limits_trigger_reads_the_name(call, expected):
    assert AwsNameLimits.trigger().test(SourceFacts(LB + call + "\n", RepairOptions().provider_index)) is expected


@pytest.mark.parametrize("name, expected", [
    ("f'orders-{construct_id}'", True),  # the constructor's id parameter, in a lowercase-only name
    ("f'orders-{construct_id.lower()}'", False),  # read in lowercase already
    ("f'orders-{environment_suffix}'", False),  # another parameter
])
def test_the_name_limits_trigger_reads_the_stack_id_in_lowercase_names(name, expected):
    code = ("from cdktf import TerraformStack\nfrom cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
            "class TapStack(TerraformStack):\n    def __init__(self, scope, construct_id, environment_suffix):\n"
            f"        S3Bucket(self, 'b', bucket={name})\n")
    assert AwsNameLimits.trigger().test(SourceFacts(code, RepairOptions().provider_index)) is expected


def test_the_reserved_domain_trigger_needs_a_zone_or_certificate():
    zone = f"from {P}.route53_zone import Route53Zone\n"
    assert ReservedDomain.may_apply(zone + "Route53Zone(self, 'z', name='shop.example.com')\n", RepairOptions())
    assert not ReservedDomain.may_apply("URL = 'https://api.example.com/v1'\n", RepairOptions())


def test_the_module_level_app_rule_leaves_the_entry_and_modules_it_does_not_import(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "tap.py").write_text("from cdktf import App\nfrom lib.tap_stack import TapStack\napp = App()\n"
                                     "TapStack(app, 'tap')\napp.synth()\n")
    project = ProjectContext.of_entry((tmp_path / "tap.py").read_text(), tmp_path)
    project = replace(project, entry=tmp_path / "tap.py")
    assert not ModuleLevelApp.may_apply_in(project, str(tmp_path / "tap.py"))
    assert not ModuleLevelApp.may_apply_in(project, str(tmp_path / "lib" / "helpers.py"))
    assert ModuleLevelApp.may_apply_in(project, str(tmp_path / "lib" / "tap_stack.py"))
    assert ModuleLevelApp.may_apply_in(project, "<markdown block>")  # no module of the project: its classes decide


def test_unimported_in_code_skips_names_the_module_binds():
    def provided(word, facts):
        return word in ("Vpc", "TABLE")

    trigger = Unimported(r"\b([A-Z]\w*)\b", provided, in_code=True)
    assert not holds(trigger, "TABLE = os.environ['TABLE']\nprint(TABLE)\n")
    assert not holds(trigger, "def f(Vpc):\n    return Vpc\n")
    assert not holds(trigger, "from helpers import *\nnetwork = Vpc(self, 'vpc')\n")
    assert holds(trigger, "network = Vpc(self, 'vpc')\nTABLE = 1\n")
    assert holds(trigger, "self.Vpc = Vpc(self, 'vpc')\n")  # an attribute named so binds no name


def test_unimported_in_code_reads_names_not_strings_or_comments():
    def provided(word, facts):
        return word == "Vpc"

    trigger = Unimported(r"\b([A-Z]\w*)\b", provided, in_code=True)
    assert not holds(trigger, '"""A Vpc and its subnets."""\n# Vpc\nx = "Vpc"\nself.Vpc = 1\nf(Vpc=1)\n')
    assert holds(trigger, "network = Vpc(self, 'vpc')\n")
    assert holds(trigger, '"""A Vpc."""\n' + BROKEN)  # unreadable: every word of the text counts
    assert holds(Unimported(r"\b([A-Z]\w*)\b", provided), '"""A Vpc."""\n')


def test_the_code_is_read_with_ast_once_for_every_rule(monkeypatch):
    rules = all_rules()
    parsed = []
    real = _triggers.ast.parse
    monkeypatch.setattr(_triggers.ast, "parse", lambda code, *a, **k: parsed.append(code) or real(code, *a, **k))
    code = (AZS + CACHE + FIS + "x = azs.names[0]\ncache.subnet_group_name\nb = 'data-{env}'\n"
            "from lib.compute import Compute\nnet = Network()\nCompute(vpc=net.vpc)\n")
    facts = SourceFacts(code, RepairOptions().provider_index)
    options = RepairOptions()
    verdicts = {rule.id: rule.may_apply(facts, options) for rule in rules}
    assert verdicts["CDK016"] and verdicts["CDK027"] and verdicts["CDK035"] and verdicts["CDK036"]
    assert parsed == [code]


# -- the confirmation pass --------------------------------------------------------------------------------------
# CDK023 (a deprecated runtime) changes the file; the rules after it in the first pass saw the fixed code already.
LAMBDA = (f"from {P}.lambda_function import LambdaFunction\n"
          "LambdaFunction(self, 'f', function_name='f', role=role.arn, handler='index.handler',\n"
          "               runtime='python3.7', filename='f.zip')\n")


def _runs(monkeypatch) -> dict[str, int]:
    runs: dict[str, int] = {}
    real = Rule.transform_module

    def counted(self, tree):
        runs[self.id] = runs.get(self.id, 0) + 1
        return real(self, tree)

    monkeypatch.setattr(Rule, "transform_module", counted)
    return runs


def test_the_confirmation_pass_skips_rules_that_saw_the_same_code(monkeypatch):
    runs = _runs(monkeypatch)
    monkeypatch.setenv("CDKTF_REPAIR_NO_FILTERS", "0")
    skipped = repair_source(LAMBDA)
    with_skips = dict(runs)
    runs.clear()
    monkeypatch.setenv("CDKTF_REPAIR_NO_FILTERS", "1")
    everything = repair_source(LAMBDA)
    assert skipped.changed and "python3.7" not in skipped.fixed_source
    assert (skipped.fixed_source, skipped.findings, skipped.error) == (
        everything.fixed_source, everything.findings, everything.error)
    # With the filters off every rule runs in both passes; with them on, a rule after the last change runs once.
    assert set(runs.values()) == {2}
    assert with_skips["CDK023"] == 1 and 1 in with_skips.values()
    assert sum(with_skips.values()) < sum(runs.values())


@pytest.mark.parametrize("code, expected", [
    ("for name in names:\n    Bucket(self, 'logs', bucket=name)\n", True),
    ("for name in names:\n    Bucket(self, f'logs-{name}', bucket=name)\n", False),
    ("while more():\n    Bucket(self, id_='logs')\n", True),
    ("[Bucket(self, 'logs') for n in names]\n", True),
    ("for name in names:\n    def build():\n        Bucket(self, 'logs')\n", False),  # a function of its own
    ("Bucket(self, 'logs')\nfor name in names:\n    print(name)\n", False),
    ("for name in names:\n" + BROKEN, True),
])
def test_a_literal_construct_id_in_a_loop(code, expected):
    assert holds(LiteralIdInLoop(), code) is expected


def test_a_dict_spread_into_a_provider_call():
    spread = ProviderCall(spread=True)
    code = f"from {P}.s3_bucket import S3Bucket\n"
    assert holds(spread, code + "S3Bucket(self, 'b', **settings)\n")
    assert not holds(spread, code + "S3Bucket(self, 'b')\nprint(2 ** 8, dict(**settings))\n")


ZONE = (f"from {P}.route53_zone import Route53Zone, Route53ZoneVpc\n"
        "Route53Zone(self, 'zone', name='internal', tags={'cost_center': 'x'}, vpc=VPC)\n")
POLICY = (f"from {P}.data_aws_iam_policy_document import DataAwsIamPolicyDocument\n"
          "DataAwsIamPolicyDocument(self, 'doc', statement=STATEMENTS)\n"
          "tags = {'cost_center': 'x'}\n")


@pytest.mark.parametrize("code, expected", [
    (ZONE.replace("VPC", "[{'vpc_id': network.id}]"), True),
    (ZONE.replace("VPC", "[Route53ZoneVpc(vpc_id=network.id)]"), False),
    # A name is followed to what the module assigns it; one nothing assigns holds no dict the rule could see.
    ("settings = {'vpc_id': network.id}\n" + ZONE.replace("VPC", "[settings]"), True),
    ("vpcs = [{'vpc_id': network.id}]\n" + ZONE.replace("VPC", "vpcs"), True),
    ("vpcs = [{'vpc_id': network.id}]\n" + ZONE.replace("VPC", "[*vpcs]"), False),  # a list inside a list
    (ZONE.replace("VPC", "[settings]"), False),
    (ZONE.replace("VPC", "[make_vpc()]"), False),
    # Every dict a conditional expression or a comprehension may give, not only the one the text shows first.
    (ZONE.replace("VPC", "[{'vpc': 1} if a else {'vpc_id': network.id}]"), True),
    (ZONE.replace("VPC", "[{'vpc_id': v.id} for v in vpcs]"), True),
    # Keys that are one word are the same in camelCase: jsii keeps them, at any depth of blocks.
    (POLICY.replace("STATEMENTS", "[{'effect': 'Allow', 'principals': [{'type': 'Service', 'identifiers': ids}]}]"),
     False),
    (POLICY.replace("STATEMENTS", "[{'effect': 'Allow', 'principals': [{'type': 'Service', 'identifiers_': ids}]}]"),
     True),
    # A nested list of blocks reached through a name, inside a dict given for a list of blocks.
    ("principals = [{'type': 'Service', 'identifiers_': ids}]\n"
     + POLICY.replace("STATEMENTS", "[{'effect': 'Allow', 'principals': principals}]"), True),
    # Where `ast` cannot read the code, the text reading: a list of blocks given anything but struct calls.
    (ZONE.replace("VPC", "[settings]") + BROKEN, True),
])
def test_the_list_block_dict_keys_trigger_follows_the_values_the_rule_reads(code, expected):
    from repair.transforms.types.list_block_dict_keys import ListBlockDictKeys

    assert ListBlockDictKeys.may_apply(code, RepairOptions()) is expected
    if expected and BROKEN not in code:  # what the trigger admits here, the rule repairs (or reports)
        assert repair_source(code, [ListBlockDictKeys]).findings


@pytest.mark.parametrize("code, expected", [
    ('arn = "${aws_s3_bucket.logs.arn}"\n', False),  # a Terraform reference: Terraform's to evaluate
    ('# echo ${ENVIRONMENT}\narn = "${var.region}"\n', False),  # a placeholder in a comment only
    ('script = "echo ${ENVIRONMENT:-dev}"\n', True),
    ('script = "echo $${ENVIRONMENT}"\n', True),  # escaped: the rule unescapes it where Fn escapes again
    ('script = f"echo ${{ENVIRONMENT}} {name}"\n', True),
    ('script = f"echo {name} ${{var.region}}"\n', True),  # an f-string is read without the rule's care
    ('script = "echo ${" "ENVIRONMENT}"\n', True),  # values: side by side, the strings read as one
    ('script = "echo \\x24{ENVIRONMENT}"\n', False),  # no `${` written: the rule reads the source's spelling
    ('arn = "${var.region}"\n' + BROKEN, True),
])
def test_the_escape_literal_interpolation_trigger_reads_the_strings_values(code, expected):
    from repair.transforms.deploy.escape_literal_interpolation import EscapeLiteralInterpolation

    assert EscapeLiteralInterpolation.may_apply(code, RepairOptions()) is expected


def test_the_stack_contract_rule_leaves_modules_whose_stack_the_entry_does_not_call(tmp_path):
    from repair.transforms.structure.stack_constructor_contract import StackConstructorContract

    entry = "from cdktf import App\nfrom lib.tap_stack import TapStack\napp = App()\nTapStack(app, 'tap')\n"
    project = ProjectContext.of_entry(entry, tmp_path)
    assert StackConstructorContract.may_apply_in(project, str(tmp_path / "lib" / "tap_stack.py"))
    assert not StackConstructorContract.may_apply_in(project, str(tmp_path / "lib" / "network.py"))
    assert StackConstructorContract.may_apply_in(project, "<markdown block>")
    assert not StackConstructorContract.may_apply_in(ProjectContext.of_entry("print(1)\n", tmp_path), "<block>")


@pytest.mark.parametrize("code, expected", [
    ("from cdktf import Fn\nx = Fn.jsonencode({'a': 1})\n", False),  # a function Fn has, its result passed on
    ("from cdktf import Fn\nx = Fn.base64_encode(text)\n", True),  # a function Fn lacks
    ("import cdktf\nx = cdktf.Fn.base64_encode(text)\n", True),
    ("from cdktf import Fn as F\nx = F.base64_encode(text)\n", True),
    ("from cdktf import Fn\nx = Fn.jsondecode(secret)['password']\n", True),  # an item of an Fn result
    ("from cdktf import Fn\nx = Fn.jsondecode(secret).password\n", True),  # an attribute of it
    ("from cdktf import Fn\nx = Fn.jsondecode(secret).get('password')\n", True),
    ("from cdktf import Fn\nx = Fn.base64encode(script)\nscript = 'echo hi'\n", False),
    ("from cdktf import Fn\nscript = 'echo \"hi\"'\nx = Fn.base64encode(script)\n", True),  # a double quote
    ("from cdktf import Fn\nscript = 'echo \"hi\"'\nx = Fn.raw_string(script)\n", False),
    ("x = 'no Fn word here'\n", False),
    ("from cdktf import Fn\n" + BROKEN, True),
])
def test_the_token_misuse_trigger_reads_the_uses_of_fn(code, expected):
    from repair.transforms.structure.token_misuse import _FnMisuse

    assert holds(_FnMisuse(), code) is expected


@pytest.mark.parametrize("code, expected", [
    # `stage_name` is an old keyword of ApiGatewayDeployment only: ApiGatewayStage takes it today.
    (f"from {P}.api_gateway_deployment import ApiGatewayDeployment\nfrom {P}.api_gateway_stage import "
     "ApiGatewayStage\nd = ApiGatewayDeployment(self, 'd', rest_api_id=api.id)\n"
     "ApiGatewayStage(self, 's', deployment_id=d.id, rest_api_id=api.id, stage_name='prod')\n", False),
    (f"from {P}.api_gateway_deployment import ApiGatewayDeployment\n"
     "ApiGatewayDeployment(self, 'd', rest_api_id=api.id, stage_name='prod')\n", True),
    (f"from {P} import eip\neip.Eip(self, 'ip', vpc=True)\n", True),  # through a module alias
    (f"from {P}.eip import Eip\nEip(self, 'ip', domain='vpc')\nconfig = {{'vpc': True}}\n", False),
    # A struct's old key may be written in a dict standing for its block, wherever it is.
    (f"from {P}.provider import AwsProvider\nrole = {{'role_arn': arn, 'duration_seconds': 900}}\n", True),
    (f"from {P}.eip import Eip\n" + BROKEN + "x(vpc=True)\n", True),
])
def test_the_renamed_keyword_trigger_reads_the_class_given_an_old_keyword(code, expected):
    from repair.transforms.types.renamed_keyword import RenamedKeyword

    assert holds(RenamedKeyword.trigger(), code) is expected


KEY = f"from {P}.kms_key import KmsKey\nfrom {P}.cloudwatch_log_group import CloudwatchLogGroup\n"


@pytest.mark.parametrize("code, expected", [
    (KEY + "key = KmsKey(self, 'k')\nCloudwatchLogGroup(self, 'g', name='/app', kms_key_id=key.arn)\n", True),
    (KEY + "key = KmsKey(self, 'k')\nCloudwatchLogGroup(self, 'g', name='/app')\n", False),  # no key on the group
    (KEY + "CloudwatchLogGroup(self, 'g', name='/app', kms_key_id=other.arn)\n", False),  # no key in the file
    (KEY + "class Security:\n    def __init__(self):\n        self.logs_key = KmsKey(self, 'k')\n", True),
    (KEY + "key = KmsKey(self, 'k')\n" + BROKEN, True),
])
def test_the_log_key_policy_trigger_needs_a_key_a_log_group_may_use(code, expected):
    from repair.transforms.deploy.kms_logs_key_policy import KmsLogsKeyPolicy

    assert holds(KmsLogsKeyPolicy.trigger(), code) is expected


LT = f"from {P}.launch_template import LaunchTemplate, LaunchTemplateTagSpecifications\n"


@pytest.mark.parametrize("code, expected", [
    (LT + "LaunchTemplate(self, 'lt', tag_specifications=[LaunchTemplateTagSpecifications(resource_type='i')])\n",
     False),  # the declared struct
    (f"from {P}.launch_template import LaunchTemplate\nfrom {P}.instance import InstanceEbsBlockDevice\n"
     "LaunchTemplate(self, 'lt', tag_specifications=[InstanceEbsBlockDevice(device_name='d')])\n", True),
    (f"from {P}.launch_template import LaunchTemplate\nfrom {P}.instance import InstanceEbsBlockDevice\n"
     "LaunchTemplate(self, 'lt', name='x')\nblock = InstanceEbsBlockDevice(device_name='d')\n", False),
    (LT + "LaunchTemplate(self, 'lt', tag_specifications=[{'resource_type': 'i', 'tags': Tags()}])\n", False),
    # Where ast cannot read the code, the text's reading.
    (LT + "LaunchTemplate(self, 'lt', tag_specifications=[Spec(resource_type='i')])\n" + BROKEN, True),
    (LT + "LaunchTemplate(self, 'lt', name='x')\n" + BROKEN, False),
])
def test_the_struct_class_trigger_reads_a_struct_under_another_name(code, expected):
    from repair.transforms.types.struct_class import _StructElsewhere

    assert holds(_StructElsewhere(), code) is expected


def test_provider_arguments_are_typed_by_the_class_of_their_call():
    from repair.transforms.types.keyword_literal_type import KeywordLiteralType
    from repair.transforms.types.provider_block_shape import ProviderBlockShape

    # `port` is a number on the security group rule; a string there is the rule's concern, and only there.
    rule = f"from {P}.security_group_rule import SecurityGroupRule\n"
    assert holds(KeywordLiteralType.trigger(), rule + "SecurityGroupRule(self, 'r', from_port='80', type='x')\n")
    assert not holds(KeywordLiteralType.trigger(), rule + "SecurityGroupRule(self, 'r', from_port=80, type='x')\n")
    # A dict key at a block's place is typed by the block's struct, at any depth: `expiration` takes a list.
    lifecycle = (f"from {P}.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
                 "S3BucketLifecycleConfiguration(self, 'l', bucket='b', rule=[{'id': 'x', 'status': 'Enabled', "
                 "'expiration': %s}])\n")
    assert holds(ProviderBlockShape.trigger(), lifecycle % "{'days': 30}")
    assert not holds(ProviderBlockShape.trigger(), lifecycle % "[{'days': 30}]")
    # The same words outside a provider call are no argument of it.
    assert not holds(KeywordLiteralType.trigger(), rule + "settings = dict(from_port='80')\n")


def test_unknown_and_missing_arguments_read_the_calls_the_code_makes():
    from repair.transforms.types.missing_required_argument import MissingRequiredArgument
    from repair.transforms.types.unknown_keyword import UnknownKeyword

    bucket = f"from {P}.s3_bucket import S3Bucket\n"
    # A call written in a docstring is text, not a call: only the real one is read, and it is right.
    code = bucket + '"""Example: S3Bucket(self, "b", bogus=1)"""\nS3Bucket(self, "b", bucket="logs")\n'
    assert not holds(UnknownKeyword.trigger(), code)
    assert holds(UnknownKeyword.trigger(), bucket + 'S3Bucket(self, "b", bogus=1)\n')
    lifecycle = f"from {P}.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
    # A dict is a block only where a provider call takes it: a settings dict elsewhere is no struct.
    assert not holds(UnknownKeyword.trigger(), lifecycle + "settings = {'expiration': {'bogus': 1}}\n")
    assert holds(UnknownKeyword.trigger(), lifecycle + "S3BucketLifecycleConfiguration(self, 'l', bucket='b', rule=["
                 "{'id': 'x', 'status': 'Enabled', 'expiration': {'bogus': 1}}])\n")
    assert holds(MissingRequiredArgument.trigger(), lifecycle + "S3BucketLifecycleConfiguration(self, 'l', rule=[])\n")
