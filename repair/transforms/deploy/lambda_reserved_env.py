"""CDK020 lambda-reserved-env: environment variables a Lambda function may not set.

The Lambda runtime sets a list of environment variables itself (the function's region, name, credentials, handler,
paths) and the Lambda API refuses a function whose configuration sets any of them, at `terraform apply`, after synth
went through. Generated stacks often pass `AWS_REGION` to the handler; the handler reads the runtime's own value
under the same name, so dropping the key keeps what the code meant. Every other key stays. A key computed in
Python (a variable, an f-string) is only known once synthesized: `repair verify` names it there.
"""

from __future__ import annotations

import re

import libcst as cst


from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import keyword_arg, remove_item, string_value, walk
from repair.transforms._triggers import All, Regex, Text

# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
# ("Reserved environment variables": the keys the runtime sets and a function configuration may not).
RESERVED_KEYS = frozenset({
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "TZ",
})

_RESERVED_LITERAL = re.compile(r"""["'](?:%s)["']""" % "|".join(sorted(RESERVED_KEYS)))

FUNCTION = ("lambda_function", "LambdaFunction")
ENVIRONMENT = ("lambda_function", "LambdaFunctionEnvironment")


def _variables_in_block(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The `variables` values of an `environment=` given as a dict, or a list of dicts (CDK007 makes that a dict)."""
    blocks = [e.value for e in value.elements] if isinstance(value, cst.List) else [value]
    found = []
    for block in blocks:
        if isinstance(block, cst.Dict):
            for element in block.elements:
                if isinstance(element, cst.DictElement) and string_value(element.key) == "variables":
                    found.append(element.value)
    return found


def _needs_a_look(variables: cst.Dict) -> bool:
    return any(isinstance(e, cst.DictElement) and string_value(e.key) in RESERVED_KEYS for e in variables.elements)


class LambdaReservedEnv(Rule):
    id = "CDK020"
    slug = "lambda-reserved-env"
    severity = Severity.HIGH
    summary = "Drop the Lambda environment variables the runtime reserves (`AWS_REGION`, ...); keep every other key."
    prevents = (
        "terraform apply: InvalidParameterValueException: Lambda was unable to configure your environment "
        "variables because the environment variables you have provided contains reserved keys that are currently "
        "not supported for modification. Reserved keys used in this request: AWS_REGION"
    )
    prevents_template = (
        "terraform apply: InvalidParameterValueException: Lambda was unable to configure your environment "
        "variables because the environment variables you have provided contains reserved keys that are currently "
        "not supported for modification. Reserved keys used in this request: {key}"
    )
    doc_url = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime"
    analysis_keywords = ("reserved environment", "reserved * environment", "reserved * * environment", "aws_region")
    # A reserved key written as a string in a file that creates Lambda functions.
    triggers = All(Text("LambdaFunction"), Regex(_RESERVED_LITERAL))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', function_name='fn', role=role.arn, environment={\n"
                "    'variables': {\n"
                "        'TABLE_NAME': table.name,\n"
                "        'AWS_REGION': region,\n"
                "    }\n"
                "})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', function_name='fn', role=role.arn, environment={\n"
                "    'variables': {\n"
                "        'TABLE_NAME': table.name,\n"
                "    }\n"
                "})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction, LambdaFunctionEnvironment\n"
                "env = LambdaFunctionEnvironment(variables={'AWS_DEFAULT_REGION': 'eu-west-1', 'STAGE': stage,\n"
                "                                           'AWS_LAMBDA_FUNCTION_NAME': 'x'})\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction, LambdaFunctionEnvironment\n"
                "env = LambdaFunctionEnvironment(variables={'STAGE': stage})\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import lambda_function\n"
                "lambda_function.LambdaFunction(self, 'fn', environment=[{'variables': {'AWS_REGION': r}}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws import lambda_function\n"
                "lambda_function.LambdaFunction(self, 'fn', environment=[{'variables': {}}])\n"
            ),
        ),
        # Not reserved: the runtime leaves these to the function (LANG, PATH, the exec wrapper, ...).
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'fn', environment={'variables': {'AWS_LAMBDA_EXEC_WRAPPER': '/opt/w',\n"
                "                                                      'REGION': region, **common}})\n"
            ),
        ),
        # Not a Lambda function's environment.
        Example(before="Container(environment={'variables': {'AWS_REGION': region}})\n"),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._variables: set[cst.Dict] = set()
        bindings = self.provider_imports
        for node in walk(tree):
            if not isinstance(node, cst.Call):
                continue
            target = bindings.resolve(node.func)
            if target == FUNCTION:
                environment = keyword_arg(node, "environment")
                values = _variables_in_block(environment.value) if environment else []
            elif target == ENVIRONMENT:
                variables = keyword_arg(node, "variables")
                values = [variables.value] if variables else []
            else:
                continue
            self._variables.update(v for v in values if isinstance(v, cst.Dict))
        # Visited only where there is something to drop or report: an unchanged file keeps its tree.
        if not any(_needs_a_look(d) for d in self._variables):
            return tree
        return tree.visit(self)

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.Dict:
        if original_node not in self._variables:
            return updated_node
        dropped = []
        for index, element in enumerate(original_node.elements):
            if not isinstance(element, cst.DictElement):
                continue  # `**other`: its keys are known after synth
            key = string_value(element.key)  # a key computed in Python is only known after synth (the JSON check)
            if key in RESERVED_KEYS and self.report(
                    element, f"`{key}` is set by the Lambda runtime and may not be configured; dropped (the "
                    "function reads the runtime's own value under the same name)", facts={"key": key}):
                dropped.append(index)
        elements = list(updated_node.elements)
        for index in reversed(dropped):
            elements = remove_item(elements, index)
        return updated_node.with_changes(elements=elements) if dropped else updated_node

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for name, body in stack.get("resource", {}).get("aws_lambda_function", {}).items():
            environment = body.get("environment")
            blocks = environment if isinstance(environment, list) else [environment]
            for block in blocks:
                variables = block.get("variables") if isinstance(block, dict) else None
                reserved = sorted(set(variables) & RESERVED_KEYS) if isinstance(variables, dict) else []
                if reserved:
                    findings.append(JsonFinding(cls.id, f"aws_lambda_function.{name}",
                                                f"environment sets keys the Lambda runtime reserves: "
                                                f"{', '.join(reserved)}"))
        return findings
