"""The rules' declared triggers and the reading of a file they are tested on (repair/transforms/_triggers.py).

A trigger may only skip work: where the text cannot be read with certainty the facts say "maybe". These tests pin
what the reading knows, and that an unreadable form is a "maybe", never a "no"."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.options import RepairOptions
from repair.transforms import _triggers
from repair.transforms._base import all_rules
from repair.transforms._triggers import (
    ANY, BOOL, CALL, DICT, LIST, NAME, NUMBER, STRING, ImportsUnknownName, ModuleArgument, ProviderArgument,
    SourceFacts, UnknownArgument, read_provider_imports,
)
from repair.transforms.types.keyword_literal_type import mistyped
from repair.transforms.types.provider_block_shape import misshaped

P = "cdktf_cdktf_provider_aws"


def facts(code: str) -> SourceFacts:
    return SourceFacts(code, RepairOptions().provider_index)


def test_provider_imports_read_from_the_text():
    code = (f"from {P}.s3_bucket import S3Bucket, S3BucketVersioning as Versioning\n"
            f"from {P} import iam_role as roles, sqs_queue\n"
            f"import {P}.sns_topic as topics\n"
            f"import {P} as aws\n"
            "roles.IamRole(self, 'r')\ntopics.SnsTopic(self, 't')\naws.lambda_function.LambdaFunction(self, 'f')\n"
            f"{P}.kms_key.KmsKey(self, 'k')\n")
    imports = read_provider_imports(code)
    assert imports.modules == {"s3_bucket", "iam_role", "sqs_queue", "sns_topic", "lambda_function", "kms_key"}
    assert imports.classes == {"S3Bucket": ("s3_bucket", "S3Bucket"), "Versioning": ("s3_bucket", "S3BucketVersioning")}
    assert {("iam_role", "IamRole"), ("sns_topic", "SnsTopic"), ("lambda_function", "LambdaFunction"),
            ("kms_key", "KmsKey"), ("s3_bucket", "S3BucketVersioning")} <= imports.names
    assert {"roles", "topics", "aws", "Versioning"} <= imports.locals


@pytest.mark.parametrize("code", [
    f"from {P}.s3_bucket import (  # the bucket\n    S3Bucket,\n)\n",  # a comment may hide a name
    f"from {P}.s3_bucket import S3Bucket, \\\n    S3BucketPolicy\n",  # a continuation
    f"import os; from {P}.s3_bucket import S3Bucket\n",  # an import after a semicolon
    f"aws = importlib.import_module('{P}')\n",  # the package named outside an import
])
def test_imports_the_text_does_not_show_are_a_maybe(code):
    assert read_provider_imports(code).modules is None
    assert ImportsUnknownName().test(facts(code))


@pytest.mark.parametrize(("value", "kind"), [
    ("{'a': 1}", DICT), ("[1]", LIST), ("(1, 2)", ANY), ("True", BOOL), ("30", NUMBER), ("-1.5", NUMBER),
    ("- 2", NUMBER), (".5", NUMBER), ("'x'", STRING), ('f"{a}-b"', STRING), ("rb'x'", STRING),
    ("Struct(a=1)", CALL), ("mod . Struct (a=1)", CALL), ("name", NAME), ("self.x.y", NAME), ("-x", ANY),
    ("  # a comment\n    {'a': 1}", DICT), ("\\\n    [1]", LIST),
])
def test_the_kind_of_a_value_written_for_a_keyword_or_a_key(value, kind):
    for code in (f"f(kw={value})\n", f"{{'kw': {value}}}\n"):
        (written,) = facts(code).values("kw")
        assert written.kind == kind, code
    if kind == CALL:
        assert written.name in ("Struct", "mod.Struct")


def test_list_entries_dict_keys_and_call_keywords():
    code = "x = [1, 'a', True, X(1, [2, 3]), [3], {'k': (4)}, y, -z, *rest]\n"
    entries = facts(code).values("x")[0].elements()
    assert [e.kind for e in entries] == [NUMBER, STRING, BOOL, CALL, LIST, DICT, NAME, ANY, ANY]
    code = "d = {'a': 1, \"b\": [1, 2], **more, r'c': {'inner': 2}, 'x' 'y': 3, k: 4}\n"
    assert facts(code).values("d")[0].keys() == ["a", "b", None, "c", None, None]
    f = facts("Thing(scope, 'id', a=1, b=f(c=2), *args, d == e, **kw)\n")
    assert f.keywords_at(f.code.index("(")) == [None, None, "a", "b", None, None, None]
    # Brackets inside strings and comments do not count; a bracket that never closes is a "maybe".
    assert [e.kind for e in facts("x = ['])', # ]\n 2]\n").values("x")[0].elements()] == [STRING, NUMBER]
    assert [e.kind for e in facts("x = [1, 2\n").values("x")[0].elements()] == [ANY]


def test_provider_calls_through_every_kind_of_import():
    code = (f"from {P}.s3_bucket import S3Bucket as Bucket\nfrom {P} import iam_role\nimport {P} as aws\n"
            "Bucket(self, 'b', bucket='x')\niam_role.IamRole(self, 'r', name='r')\n"
            "aws.sqs_queue.SqsQueue(self, 'q', name='q')\nBucketList = 1\n")
    calls = facts(code).provider_calls
    assert [(module, name) for module, name, _ in calls] == [
        ("s3_bucket", "S3Bucket"), ("iam_role", "IamRole"), ("sqs_queue", "SqsQueue")]


def test_unknown_argument_reads_calls_and_block_dicts():
    head = f"from {P}.elasticache_subnet_group import ElasticacheSubnetGroup\n"
    assert not UnknownArgument().test(facts(head + "ElasticacheSubnetGroup(self, 's', name='c', subnet_ids=ids)\n"))
    assert UnknownArgument().test(facts(head + "ElasticacheSubnetGroup(self, 's', subnet_group_name='c')\n"))
    head = f"from {P}.eks_node_group import EksNodeGroup\n"
    good = "EksNodeGroup(self, 'n', scaling_config={'desired_size': 1, 'max_size': 1, 'min_size': 1})\n"
    assert not UnknownArgument().test(facts(head + good))
    assert UnknownArgument().test(facts(head + good.replace("'max_size'", "'maxSize'")))
    # Keywords of other calls (outputs, backends, the file's own functions) are not the provider's.
    assert not UnknownArgument().test(facts(head + good + "TerraformOutput(self, 'o', value=x, whatever=1)\n"))


def test_provider_argument_reads_what_the_provider_types_a_keyword_as():
    head = f"from {P}.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfigurationRule\n"
    shape = ProviderArgument(misshaped)
    assert not shape.test(facts(head + "S3BucketLifecycleConfigurationRule(id='a', status='x', filter=[{}])\n"))
    assert shape.test(facts(head + "S3BucketLifecycleConfigurationRule(id='a', status='x', filter={})\n"))
    assert shape.test(facts(head + "S3BucketLifecycleConfigurationRule(id='a', status='x', filter=(\n    {}))\n"))
    head = f"from {P}.lambda_function import LambdaFunction\n"
    literal = ProviderArgument(mistyped)
    assert not literal.test(facts(head + "LambdaFunction(self, 'f', timeout=30, function_name='f')\n"))
    assert literal.test(facts(head + "LambdaFunction(self, 'f', timeout='30')\n"))
    assert literal.test(facts(head + "LambdaFunction(self, 'f', timeout=str(30))\n"))
    # A module the file does not import tells nothing.
    assert not literal.test(facts("LambdaFunction(self, 'f', timeout='30')\n"))


def test_module_argument_needs_the_module_and_the_keyword():
    trigger = ModuleArgument({"eip": {"vpc"}})
    assert trigger.test(facts(f"from {P}.eip import Eip\nEip(self, 'ip', vpc=True)\n"))
    assert not trigger.test(facts(f"from {P}.eip import Eip\nEip(self, 'ip', domain='vpc')\n"))
    assert not trigger.test(facts(f"from {P}.vpc import Vpc\nx = f(vpc=True)\n"))


def test_the_facts_of_a_file_are_read_once_for_every_rule(monkeypatch):
    calls = []
    real = _triggers.read_provider_imports

    def counting(code):
        calls.append(code)
        return real(code)

    monkeypatch.setattr(_triggers, "read_provider_imports", counting)
    source = (f"from {P}.eip import Eip\nfrom {P}.lambda_function import LambdaFunction\n"
              "Eip(self, 'ip', vpc=True)\nLambdaFunction(self, 'f', function_name='f', role=r.arn, timeout='30')\n")
    result = repair_source(source)
    assert {f.rule_id for f in result.findings} == {"CDK009", "CDK010"}
    # One reading per version of the code (the input, then each rule's output), shared by all the rules.
    assert len(calls) == len(set(calls)) <= 3


def test_every_rule_declares_a_trigger():
    # `may_apply` is the engine's, derived from the declaration: no rule writes its own filter.
    for rule in all_rules():
        assert "may_apply" not in vars(rule) and "may_apply_ast" not in vars(rule), rule.id
        assert not isinstance(rule.trigger(), _triggers.Always) or rule.needs_project, rule.id
