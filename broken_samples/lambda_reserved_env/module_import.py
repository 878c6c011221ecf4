"""Functions created through the provider module, one of them passing the tracing header as a variable."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws import lambda_function


class TracingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, role_arn: str):
        super().__init__(scope, id)
        for name in ("ingest", "enrich"):
            lambda_function.LambdaFunction(
                self, name, function_name=name, role=role_arn, runtime="nodejs20.x", handler="index.handler",
                s3_bucket="artifacts", s3_key=f"{name}.zip",
                environment={"variables": {"_X_AMZN_TRACE_ID": "Root=1-0-0", "TZ": "UTC", "NAME": name}},
            )
