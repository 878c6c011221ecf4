"""A function whose environment is built as a struct first, with the runtime's names among its keys."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction, LambdaFunctionEnvironment


class ReportsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, role_arn: str, stage: str):
        super().__init__(scope, id)
        environment = LambdaFunctionEnvironment(
            variables={
                "STAGE": stage,
                "REPORT_PREFIX": "daily/",
            }
        )
        LambdaFunction(self, "reports", function_name=f"reports-{stage}", role=role_arn, runtime="python3.12",
                       handler="reports.handler", s3_bucket="artifacts", s3_key="reports.zip",
                       environment=environment)
