"""A telemetry ingest function whose code asset names a zip of the lambda folder that nothing builds."""
import os

from constructs import Construct
from cdktf import AssetType, TerraformAsset, TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class IngestStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        role = IamRole(self, "ingest-role", name="telemetry-ingest",
                       assume_role_policy='{"Version": "2012-10-17", "Statement": []}')
        code = TerraformAsset(
            self,
            "ingest-code",
            path=os.path.join(os.path.dirname(__file__), "lambda"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(
            self,
            "ingest",
            function_name="telemetry-ingest",
            role=role.arn,
            runtime="nodejs20.x",
            handler="ingest.handler",
            filename=code.path,
            source_code_hash=code.asset_hash,
            memory_size=256,
        )
