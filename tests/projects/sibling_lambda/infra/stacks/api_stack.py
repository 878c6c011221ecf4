"""A handler packaged from lambda/, a sibling of the folder holding cdktf.json, told its region by a variable the
Lambda runtime reserves (CDK020)."""
import os

from cdktf import AssetType, TerraformAsset, TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider

HANDLER_SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "lambda")


class ApiStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, region: str = "eu-west-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=region)
        code = TerraformAsset(self, "handler-code", path=HANDLER_SOURCE, type=AssetType.ARCHIVE)
        role = IamRole(
            self,
            "quotes-role",
            name="quotes-handler",
            assume_role_policy='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                               '"sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}',
        )
        LambdaFunction(
            self,
            "quotes-handler",
            function_name="quotes-handler",
            role=role.arn,
            runtime="python3.12",
            handler="handler.handler",
            filename=code.path,
            source_code_hash=code.asset_hash,
            environment={"variables": {"AWS_REGION": region, "QUOTES_TABLE": "quotes"}},
        )
