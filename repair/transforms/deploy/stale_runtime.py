"""CDK023 stale-runtime: a Lambda function pinned to a runtime AWS has deprecated.

Lambda deprecates a runtime when its language (or OS) leaves long-term support; after the deprecation date the
runtime gets no patches, and some time later Lambda refuses to create functions with it (`InvalidParameterValue
Exception: The runtime parameter of <runtime> is no longer supported`). Generated stacks pin the runtime their
training data used. The table below says which runtimes were deprecated, as of `RUNTIMES_AS_OF` (the rule and its
tests read that date, never today's: the table is a snapshot of the AWS page and says when it was taken).

Upgrade policy (conservative): a runtime is replaced only where the newer runtime of the same language runs the
same handler code with the same bundled AWS SDK.
- Python 3.x -> python3.12: the same `lambda_handler(event, context)` contract and boto3 bundled in every Python
  runtime; 3.12 (Amazon Linux 2023) is the newest runtime with years of support left whose wheels the common
  dependencies all publish.
- nodejs18.x -> nodejs22.x: both bundle the AWS SDK for JavaScript v3.
- Older Node.js runtimes bundle SDK v2 (`require('aws-sdk')`), which nodejs18.x and later no longer ship; Go
  (`go1.x` -> `provided.al2023`) needs a `bootstrap` binary built; Java, .NET and Ruby need a rebuild or a major
  language upgrade. Those are reported with the replacement to choose, never rewritten.
"""

from __future__ import annotations

import datetime

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import keyword_arg, string_value, with_call_values
from repair.transforms._triggers import STRING, All, ModuleArgument, Text

# When the deprecation table was read from https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html.
RUNTIMES_AS_OF = datetime.date(2025, 11, 1)

# runtime -> the date Lambda deprecated it (deprecations after RUNTIMES_AS_OF are not listed: not known then).
DEPRECATED_RUNTIMES: dict[str, datetime.date] = {
    "python2.7": datetime.date(2021, 7, 15),
    "python3.6": datetime.date(2022, 7, 18),
    "python3.7": datetime.date(2023, 12, 4),
    "python3.8": datetime.date(2024, 10, 14),
    "nodejs": datetime.date(2016, 10, 31),
    "nodejs4.3": datetime.date(2020, 3, 5),
    "nodejs6.10": datetime.date(2019, 8, 12),
    "nodejs8.10": datetime.date(2020, 3, 6),
    "nodejs10.x": datetime.date(2021, 7, 30),
    "nodejs12.x": datetime.date(2023, 3, 31),
    "nodejs14.x": datetime.date(2023, 12, 4),
    "nodejs16.x": datetime.date(2024, 6, 12),
    "nodejs18.x": datetime.date(2025, 9, 1),
    "java8": datetime.date(2024, 1, 8),
    "go1.x": datetime.date(2024, 1, 8),
    "provided": datetime.date(2024, 1, 8),
    "ruby2.5": datetime.date(2021, 7, 30),
    "ruby2.7": datetime.date(2023, 12, 7),
    "dotnetcore1.0": datetime.date(2019, 6, 27),
    "dotnetcore2.0": datetime.date(2019, 5, 30),
    "dotnetcore2.1": datetime.date(2022, 1, 5),
    "dotnetcore3.1": datetime.date(2023, 4, 3),
    "dotnet5.0": datetime.date(2022, 5, 10),
    "dotnet6": datetime.date(2024, 12, 20),
    "dotnet7": datetime.date(2024, 5, 14),
}

# Where the policy above allows an upgrade: runtime -> its replacement.
SAFE_UPGRADES: dict[str, str] = {
    **{runtime: "python3.12" for runtime in ("python3.6", "python3.7", "python3.8")},
    "nodejs18.x": "nodejs22.x",
}

# What to move to by hand, and why no rewrite was made.
MANUAL_UPGRADES: dict[str, str] = {
    "python2.7": "python3.12 (Python 2 code needs porting to Python 3)",
    "go1.x": "provided.al2023 (build the handler as a `bootstrap` binary)",
    "provided": "provided.al2023 (rebuild the custom runtime for Amazon Linux 2023)",
    "java8": "java8.al2 or java21 (rebuild the deployment package)",
    "ruby2.5": "ruby3.3 (a major Ruby upgrade)",
    "ruby2.7": "ruby3.3 (a major Ruby upgrade)",
}
_NODE_SDK_V2 = "nodejs22.x (older Node.js runtimes bundle the AWS SDK v2, which nodejs18.x and later do not ship)"
_DOTNET = "dotnet8 (recompile for .NET 8)"

FUNCTION_CLASSES = {("lambda_function", "LambdaFunction")}
RESOURCE_TYPE = "aws_lambda_function"


def stale(runtime: str, as_of: datetime.date = RUNTIMES_AS_OF) -> datetime.date | None:
    """The deprecation date of `runtime` if it was deprecated on or before `as_of`."""
    date = DEPRECATED_RUNTIMES.get(runtime)
    return date if date is not None and date <= as_of else None


def manual_upgrade(runtime: str) -> str:
    if runtime in MANUAL_UPGRADES:
        return MANUAL_UPGRADES[runtime]
    if runtime.startswith("nodejs"):
        return _NODE_SDK_V2
    if runtime.startswith("dotnet"):
        return _DOTNET
    return "a supported runtime of the same language"


class StaleRuntime(Rule):
    id = "CDK023"
    slug = "stale-runtime"
    severity = Severity.HIGH
    summary = (
        "Move Lambda functions off deprecated runtimes: Python 3.6-3.8 to python3.12 and nodejs18.x to nodejs22.x; "
        "report the others with the runtime to move to."
    )
    prevents = (
        "terraform apply: InvalidParameterValueException: The runtime parameter of python3.8 is no longer supported "
        "for creating or updating AWS Lambda functions"
    )
    prevents_template = (
        "terraform apply: InvalidParameterValueException: The runtime parameter of {runtime} is no longer supported "
        "for creating or updating AWS Lambda functions"
    )
    doc_url = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated"
    analysis_keywords = ("deprecated runtime", "runtime deprecated", "unsupported runtime", "runtime version",
                         "stale runtime")
    # A deprecated runtime named in a file that gives a Lambda function its runtime as a string.
    triggers = All(ModuleArgument({module: {"runtime"} for module, _ in FUNCTION_CLASSES},
                                  lambda value: value.maybe(STRING)),
                   Text(*DEPRECATED_RUNTIMES))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'resize', function_name='resize', runtime='python3.8',\n"
                "               handler='index.handler', role=role.arn, filename=asset.path)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'resize', function_name='resize', runtime='python3.12',\n"
                "               handler='index.handler', role=role.arn, filename=asset.path)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws import lambda_function\n"
                'lambda_function.LambdaFunction(self, "api", runtime="nodejs18.x", handler="index.handler",\n'
                '                               role=role.arn, filename=asset.path)\n'
            ),
            after=(
                "from cdktf_cdktf_provider_aws import lambda_function\n"
                'lambda_function.LambdaFunction(self, "api", runtime="nodejs22.x", handler="index.handler",\n'
                '                               role=role.arn, filename=asset.path)\n'
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'api', runtime='python3.11', handler='index.handler', role=role.arn)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return with_call_values(tree, lambda call: self._new_values(call) if self.provider_imports.resolve(
            call.func) in FUNCTION_CLASSES else {})

    def _new_values(self, call: cst.Call) -> dict[int, cst.BaseExpression]:
        """Argument index -> its repaired value; every finding reported."""
        arg = keyword_arg(call, "runtime")
        runtime = string_value(arg.value) if arg else None
        deprecated = stale(runtime) if runtime else None
        if deprecated is None:
            return {}
        facts = {"runtime": runtime}
        upgrade = SAFE_UPGRADES.get(runtime)
        if upgrade is None:
            self.report(arg.value, f"runtime {runtime!r} was deprecated on {deprecated.isoformat()}; move to "
                        f"{manual_upgrade(runtime)}", fixed=False, facts=facts)
            return {}
        if not self.report(arg.value, f"runtime {runtime!r} was deprecated on {deprecated.isoformat()}; upgraded "
                           f"to {upgrade!r} (same language and bundled AWS SDK)", facts=facts):
            return {}
        quote = arg.value.quote if isinstance(arg.value, cst.SimpleString) else '"'
        return {call.args.index(arg): cst.SimpleString(f"{quote}{upgrade}{quote}")}

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for name, function in (stack.get("resource", {}).get(RESOURCE_TYPE) or {}).items():
            runtime = function.get("runtime") if isinstance(function, dict) else None
            deprecated = stale(runtime) if isinstance(runtime, str) else None
            if deprecated is not None:
                upgrade = SAFE_UPGRADES.get(runtime) or manual_upgrade(runtime)
                findings.append(JsonFinding(cls.id, f"{RESOURCE_TYPE}.{name}", f"runtime {runtime!r} was deprecated "
                                            f"on {deprecated.isoformat()} (as of {RUNTIMES_AS_OF.isoformat()}); "
                                            f"move to {upgrade}"))
        return findings
