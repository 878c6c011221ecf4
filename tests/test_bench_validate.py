"""bench/validate.py's reading of terraform validate: what counts as the answer's failure, and the stack it validates
offline (the benchmark itself needs terraform and a provider mirror, and runs outside the tests)."""

from __future__ import annotations

from bench.validate import classify, mirror_versions, prepared


def test_what_only_a_newer_provider_knows_is_not_judged_against_an_older_mirror():
    newer = {"summary": "Unsupported argument", "detail": 'An argument named "region" is not expected here.'}
    assert classify(newer, older_mirror=True) == "newer provider only"
    assert classify(newer, older_mirror=False) == "failure"
    staged = {"summary": "Error in function call",
              "detail": 'Call to function "filebase64sha256" failed: open assets/fn/x.zip: no such file or directory.'}
    assert classify(staged, older_mirror=False) == "staged file"
    refused = {"summary": "expected billing_mode to be one of [\"PROVISIONED\" \"PAY_PER_REQUEST\"], got ON_DEMAND"}
    assert classify(refused, older_mirror=True) == "failure"


def test_the_stack_is_validated_without_its_backend_at_the_mirrors_version():
    stack = {"terraform": {"backend": {"s3": {"bucket": "state"}},
                           "required_providers": {"aws": {"source": "aws", "version": "6.25.0"}}},
             "provider": {"aws": [{"region": "us-east-1"}]}, "resource": {}}
    ready = prepared(stack, "5.100.0")
    assert "backend" not in ready["terraform"] and "backend" in stack["terraform"]  # a copy: the original stays
    assert ready["terraform"]["required_providers"] == {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}
    other = {"terraform": {"required_providers": {"aws": {}, "random": {"source": "hashicorp/random"}}}}
    assert prepared(other, "5.100.0") is None  # the mirror holds only AWS's provider


def test_mirror_versions_in_version_order(tmp_path):
    for version in ("5.9.0", "5.100.0", "5.10.1"):
        (tmp_path / "registry.terraform.io" / "hashicorp" / "aws" / version).mkdir(parents=True)
    assert mirror_versions(tmp_path) == ["5.9.0", "5.10.1", "5.100.0"]
    assert mirror_versions(tmp_path / "none") == []


def test_arguments_only_a_newer_provider_has_are_taken_out_of_every_block():
    from bench.validate import _NAMED, _without_arguments

    stack = {"resource": {"aws_secretsmanager_secret": {"s": {"name": "db", "region": "us-east-1"}}},
             "data": {"aws_region": {"r": {"region": "us-east-1"}}}, "output": {"region": {"value": "x"}}}
    assert _without_arguments(stack, {"region"}) == {
        "resource": {"aws_secretsmanager_secret": {"s": {"name": "db"}}}, "data": {"aws_region": {"r": {}}},
        "output": {"region": {"value": "x"}}}
    assert _NAMED.search('An argument named "region" is not expected here.').group(1) == "region"
    assert _NAMED.search('No argument or block type is named "region".').group(1) == "region"
