"""Lambda failures that only `terraform apply` shows (issue 13, classes 1 and 2): the repaired samples synthesize
with the answer's values in place, and the JSON checks name what the broken samples still carry."""

from __future__ import annotations

from repair.transforms.lambda_reserved_env import LambdaReservedEnv

from conftest import BROKEN, FIXED


def _only_stack(worker, path):
    result = worker.synth(path)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_reserved_environment_keys_are_dropped_and_the_others_kept(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "lambda_reserved_env" / "orders_api.py")
    (finding,) = LambdaReservedEnv.check_terraform_json(broken, None)
    assert finding.address.startswith("aws_lambda_function.") and "AWS_REGION" in finding.message

    repaired = _only_stack(synth_worker, FIXED / "lambda_reserved_env" / "orders_api.py")
    (function,) = repaired["resource"]["aws_lambda_function"].values()
    variables = function["environment"]["variables"]
    assert variables == {"TABLE_NAME": "${aws_dynamodb_table.orders.name}", "LOG_LEVEL": "INFO"}
    assert LambdaReservedEnv.check_terraform_json(repaired, None) == []
