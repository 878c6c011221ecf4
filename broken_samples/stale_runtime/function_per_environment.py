"""One report function per environment, all built from the same settings with a deprecated runtime."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction as Function
from cdktf_cdktf_provider_aws.provider import AwsProvider


class ReportsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-northeast-1")

        for environment in ("staging", "production"):
            Function(
                self, f"report-{environment}",
                function_name=f"nightly-report-{environment}",
                role="arn:aws:iam::123456789012:role/reports",
                handler="report.main",
                runtime="python3.8",  # matches the build image
                timeout=300,
                s3_bucket="acme-build-artifacts", s3_key="reports/report.zip",
            )
