"""CDK021-CDK023: names over AWS limits, reserved domains and deprecated runtimes, in source and in synthesized JSON."""

from __future__ import annotations

import datetime

import pytest

from repair.engine import repair_source, select_rules
from repair.transforms.deploy.aws_name_limits import ENVIRONMENT_SUFFIX_RESERVE, NAME_LIMITS, AwsNameLimits, name_hash
from repair.transforms.deploy.reserved_domain import ReservedDomain, reserved
from repair.transforms.deploy.stale_runtime import RUNTIMES_AS_OF, StaleRuntime, stale

from conftest import BROKEN, FIXED

FUNCTION = "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"


def _findings(source: str, rule_id: str):
    result = repair_source(source, rules=select_rules([rule_id]))
    return result, result.findings


# -- CDK023 -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("runtime", "hint"), [("nodejs16.x", "SDK v2"), ("go1.x", "provided.al2023"),
                                               ("dotnet6", "dotnet8"), ("ruby2.7", "ruby3.3")])
def test_runtimes_without_a_safe_upgrade_are_reported_and_kept(runtime, hint):
    source = FUNCTION + f"LambdaFunction(self, 'f', runtime='{runtime}', handler='h', role=role.arn)\n"
    result, (finding,) = _findings(source, "CDK023")
    assert result.fixed_source == source and not finding.fixed
    assert hint in finding.message and runtime in finding.prevents()


def test_the_table_is_read_as_of_its_own_date():
    assert RUNTIMES_AS_OF == datetime.date(2025, 11, 1)
    assert stale("nodejs18.x") == datetime.date(2025, 9, 1)
    assert stale("nodejs18.x", as_of=datetime.date(2025, 8, 31)) is None  # not yet deprecated then
    assert stale("python3.9") is None and stale("python3.12") is None


def test_runtime_from_a_variable_is_left_to_the_json_check():
    source = FUNCTION + "LambdaFunction(self, 'f', runtime=RUNTIME, handler='h', role=role.arn)\n"
    assert _findings(source, "CDK023")[1] == []
    stack = {"resource": {"aws_lambda_function": {"f": {"runtime": "python3.8"}, "g": {"runtime": "python3.12"}}}}
    (finding,) = StaleRuntime.check_terraform_json(stack, None)
    assert finding.address == "aws_lambda_function.f" and "python3.12" in finding.message


# -- CDK022 -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("domain", "base"), [("example.com", "example.com"), ("api.dev.Example.ORG.", "example.org"),
                                              ("status.acme.test", ".test"), ("myexample.com", None),
                                              ("example.company.io", None), ("shop.acme-widgets.io", None)])
def test_reserved_domains(domain, base):
    assert reserved(domain) == base
    # A hosted zone is refused for the example domains only: Route 53 creates `payment-dr-prod.internal.test`.
    assert reserved(domain, zone=True) == (base if base and not base.startswith(".") else None)


def test_reserved_zone_is_reported_never_rewritten():
    source = ("from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
              "Route53Zone(self, 'zone', name=f'{env}.example.net')\n")
    result, (finding,) = _findings(source, "CDK022")
    assert result.fixed_source == source and not finding.fixed
    assert "f'{env}.example.net'" in finding.message and "example.net" in finding.prevents()


def test_reserved_domain_json_check_skips_private_zones():
    stack = {"resource": {
        "aws_route53_zone": {"public": {"name": "example.com"}, "staging": {"name": "staging.acme.test"},
                             "private": {"name": "corp.example.com", "vpc": [{"vpc_id": "vpc-1"}]}},
        "aws_acm_certificate": {"cert": {"domain_name": "${var.sub}.example.org",
                                         "subject_alternative_names": ["www.acme.io"]},
                                "staging": {"domain_name": "staging.acme.test"}}}}
    assert {f.address for f in ReservedDomain.check_terraform_json(stack, None)} == {
        "aws_route53_zone.public", "aws_acm_certificate.cert", "aws_acm_certificate.staging"}


# -- CDK021 -------------------------------------------------------------------------------------------------------
def test_shortened_names_keep_suffix_and_stay_distinct():
    source = ("from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
              "LbTargetGroup(self, 'a', name=f'orders-service-internal-target-group-one-{env}')\n"
              "LbTargetGroup(self, 'b', name=f'orders-service-internal-target-group-two-{env}')\n")
    result, findings = _findings(source, "CDK021")
    assert len(findings) == 2 and all(f.fixed for f in findings)
    names = [line.split("name=f'")[1].split("'")[0] for line in result.fixed_source.splitlines()[1:]]
    assert names[0] != names[1]
    # Room for a CI environment suffix of 15 characters (`synth8280308137`), written out: the constant itself
    # set to 0 must fail here.
    assert ENVIRONMENT_SUFFIX_RESERVE == 15
    assert all(n.endswith("-{env}") and len(n) - len("{env}") + 15 <= 32 for n in names)
    assert repair_source(result.fixed_source, rules=select_rules(["CDK021"])).findings == []


def test_name_hash_is_stable_lowercase_letters():
    assert name_hash("orders") == name_hash("orders") != name_hash("orders2")
    assert name_hash("orders").isalpha() and name_hash("orders").islower() and len(name_hash("x")) == 6


def test_characters_no_rewrite_decides_are_reported():
    source = ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
              "S3Bucket(self, 'b', bucket='reports bucket')\n")
    result, (finding,) = _findings(source, "CDK021")
    assert result.fixed_source == source and not finding.fixed


def test_name_json_check_by_address():
    stack = {"resource": {
        "aws_lb": {"web": {"name": "inventory-service-public-load-balancer-dev"}, "ok": {"name": "web-dev"}},
        "aws_s3_bucket": {"b": {"bucket": "Media_Uploads"}, "t": {"bucket": "${var.name}-MEDIA"}},
        "aws_lambda_function": {"f": {"function_name": "x" * 65}},
        "aws_security_group": {"db": {"name": "sg-db-dev"}, "web": {"name_prefix": "web-sg-"}}}}
    assert {f.address for f in AwsNameLimits.check_terraform_json(stack, None)} == {
        "aws_lb.web", "aws_s3_bucket.b", "aws_lambda_function.f", "aws_security_group.db"}


def test_a_security_group_name_without_a_word_to_carry_sg_is_reported_unchanged():
    source = ("from cdktf_cdktf_provider_aws.security_group import SecurityGroup\n"
              "SecurityGroup(self, 'a', name=f'sg-{name}')\n"
              "SecurityGroup(self, 'b', name_prefix='sg-')\n")
    result, findings = _findings(source, "CDK021")
    assert result.fixed_source == source and len(findings) == 2 and not any(f.fixed for f in findings)
    assert all("begins with 'sg-'" in f.message for f in findings)


def test_limits_table_names_installed_provider_arguments():
    from repair.provider_index import installed_index

    index = installed_index()
    for (module, klass), limits in NAME_LIMITS.items():
        params = index.params(module, klass)
        assert params is not None, (module, klass)
        assert set(limits) <= set(params), (module, klass)


# -- synthesized ----------------------------------------------------------------------------------------------------
def _stack(worker, path):
    result = worker.synth(path)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_repaired_names_synthesize_within_limits(synth_worker):
    from repair.proof.verify import check_terraform_json

    stack = _stack(synth_worker, FIXED / "aws_name_limits" / "load_balancer_names.py")
    (lb,) = stack["resource"]["aws_lb"].values()
    assert lb["name"] == "inventory-npgjee-dev" and lb["load_balancer_type"] == "application"
    groups = {name: g["name"] for name, g in stack["resource"]["aws_lb_target_group"].items()}
    assert groups == {"web_tg_blue": "inventory-pmadce-blue", "web_tg_green": "inventory-pmadce-green"}
    assert not check_terraform_json(stack)

    stack = _stack(synth_worker, FIXED / "aws_name_limits" / "bucket_names.py")
    buckets = {name: b.get("bucket") or b.get("bucket_prefix")
               for name, b in stack["resource"]["aws_s3_bucket"].items()}
    assert buckets == {"uploads": "mediauploads-dev", "thumbnails": "media-thumbnails-store",
                       "exports": "media-library-monthly-export-inaclb-"}

    stack = _stack(synth_worker, FIXED / "aws_name_limits" / "cache_role_function.py")
    (cache,) = stack["resource"]["aws_elasticache_replication_group"].values()
    (role,) = stack["resource"]["aws_iam_role"].values()
    (function,) = stack["resource"]["aws_lambda_function"].values()
    assert cache["replication_group_id"] == "checkout-session-cache-primary-gemfhg"
    assert role["name"].endswith("-dev") and len(role["name"]) <= 64
    assert function["function_name"].endswith("-dev") and len(function["function_name"]) <= 64
    assert function["role"] == "${aws_iam_role.reader_role.arn}"


def test_broken_names_are_named_by_address_after_synth(synth_worker):
    from repair.proof.verify import check_terraform_json

    stack = _stack(synth_worker, BROKEN / "aws_name_limits" / "load_balancer_names.py")
    assert {(f.rule_id, f.address) for f in check_terraform_json(stack)} == {
        ("CDK021", "aws_lb.web_alb"), ("CDK021", "aws_lb_target_group.web_tg_blue"),
        ("CDK021", "aws_lb_target_group.web_tg_green")}


def test_runtimes_and_domains_after_synth(synth_worker):
    from repair.proof.verify import check_terraform_json

    stack = _stack(synth_worker, FIXED / "stale_runtime" / "python_functions.py")
    runtimes = {name: f["runtime"] for name, f in stack["resource"]["aws_lambda_function"].items()}
    assert runtimes == {"resize": "python3.12", "tagger": "python3.12", "indexer": "python3.12"}
    assert not check_terraform_json(stack)
    broken = _stack(synth_worker, BROKEN / "stale_runtime" / "node_function.py")
    assert [(f.rule_id, f.address) for f in check_terraform_json(broken)] == [("CDK023", "aws_lambda_function.webhook")]
    fixed = _stack(synth_worker, FIXED / "stale_runtime" / "node_function.py")
    (webhook,) = fixed["resource"]["aws_lambda_function"].values()
    assert webhook["runtime"] == "nodejs22.x"
    assert webhook["environment"] == {"variables": {"SIGNING_SECRET_NAME": "webhook/signing"}}

    stack = _stack(synth_worker, FIXED / "reserved_domain" / "certificate.py")
    (cert,) = stack["resource"]["aws_acm_certificate"].values()
    assert cert["domain_name"] == "api-dev.example.org"
    assert {(f.rule_id, f.address) for f in check_terraform_json(stack)} == {
        ("CDK022", "aws_acm_certificate.api_cert")}  # the domain name and its alternative name
    stack = _stack(synth_worker, FIXED / "reserved_domain" / "private_and_public_zones.py")
    assert [f.address for f in check_terraform_json(stack)] == ["aws_route53_zone.public"]


def test_terraform_tokens_in_names_are_left_to_the_json_check():
    source = ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
              "S3Bucket(self, 'state', bucket='tap-state-${random_id.bucket_suffix.hex}')\n")
    assert _findings(source, "CDK021")[1] == []


def test_names_fitting_with_a_ci_length_suffix_are_kept():
    source = ("from cdktf_cdktf_provider_aws.lb import Lb\n"
              "Lb(self, 'a', name=f'orders-alb-{environment_suffix}')\n")  # 11 + 15 characters
    assert _findings(source, "CDK021")[1] == []


def test_a_name_one_character_over_with_a_ci_suffix_is_shortened():
    # 18 literal characters + a 15-character suffix like synth8280308137: 33, one over the target group limit.
    source = ("from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
              "LbTargetGroup(self, 'a', name=f'checkout-tg-green-{environment_suffix}')\n")
    result, (finding,) = _findings(source, "CDK021")
    assert finding.fixed and "33 characters at least" in finding.message
    assert "-{environment_suffix}')" in result.fixed_source


def test_names_no_literal_text_can_fit_are_reported_unchanged():
    source = ("from cdktf_cdktf_provider_aws.lb import Lb\n"
              "Lb(self, 'a', name=f'{team}-{product}-{region}-{stage_name}-{environment_suffix}-public-alb')\n")
    result, (finding,) = _findings(source, "CDK021")
    assert result.fixed_source == source and not finding.fixed


@pytest.mark.parametrize(("interpolation", "reserved"), [
    ("environment_suffix", True), ("self.env", True), ("stageName", True), ("ENVIRONMENT_SUFFIX", True),
    ("envoy_port", False), ("suffixes[0]", False),
])
def test_the_environment_suffix_is_told_by_the_words_of_its_name(interpolation, reserved):
    # 17 literal characters: with a CI-length suffix 32, the limit; with any other value (8 kept for it) well in.
    source = ("from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup\n"
              f"LbTargetGroup(self, 'a', name=f'checkout-tg-blue-{{{interpolation}}}')\n")
    assert _findings(source, "CDK021")[1] == []
    longer = source.replace("checkout-tg-blue-", "checkout-tg-green-")  # 18: over the limit only with a suffix
    assert bool(_findings(longer, "CDK021")[1]) is reserved


# -- CDK021: the stack's id, which the entry gives ----------------------------------------------------------------
STACK_WITH_ID = (
    "from cdktf import TerraformStack\n"
    "from cdktf_cdktf_provider_aws.db_instance import DbInstance\n"
    "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
    "class TapStack(TerraformStack):\n"
    "    def __init__(self, scope, construct_id, environment_suffix):\n"
    "        super().__init__(scope, construct_id)\n"
    "        DbInstance(self, 'db', identifier=f'orders-{construct_id}', instance_class='db.t3.micro')\n"
    "        LambdaFunction(self, 'fn', function_name=f'orders-{construct_id}', role='r')\n"
)


def _with_entry(source: str, entry_id: str, class_name: str = "TapStack"):
    from pathlib import Path

    from repair.options import RepairOptions
    from repair.project import ProjectContext

    entry = f"from lib.tap_stack import {class_name}\n{class_name}(app, {entry_id}, environment_suffix='dev')\n"
    options = RepairOptions(project=ProjectContext.of_entry(entry, Path("example")))
    return repair_source(source, rules=[AwsNameLimits], options=options, path="lib/tap_stack.py")


def test_the_stack_id_the_entry_gives_in_uppercase_is_lowered_only_where_names_are_lowercase():
    result = _with_entry(STACK_WITH_ID, "'TapStackdev'")
    (finding,) = result.findings
    assert finding.fixed and "the entry gives as 'TapStackdev'" in finding.message
    assert "identifier=f'orders-{construct_id.lower()}'" in result.fixed_source
    assert "function_name=f'orders-{construct_id}'" in result.fixed_source  # Lambda names take uppercase
    assert _with_entry(result.fixed_source, "'TapStackdev'").findings == []  # idempotent


@pytest.mark.parametrize(("source", "entry_id", "class_name"), [
    (STACK_WITH_ID, "'tapstack-dev'", "TapStack"),  # the entry's id is lowercase already
    (STACK_WITH_ID, "stack_id_from_elsewhere()", "TapStack"),  # what the id is, is not known
    (STACK_WITH_ID, "'TapStackdev'", "OtherStack"),  # the entry creates another class
    (STACK_WITH_ID.replace("        super().__init__(scope, construct_id)\n",
                           "        super().__init__(scope, construct_id)\n        construct_id = 'orders'\n"),
     "'TapStackdev'", "TapStack"),  # the parameter holds another value by then
])
def test_an_id_not_known_to_hold_uppercase_letters_is_left_alone(source, entry_id, class_name):
    result = _with_entry(source, entry_id, class_name)
    assert result.findings == [] and result.fixed_source == source
