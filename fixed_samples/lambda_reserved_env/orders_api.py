"""An orders handler told its region and table through environment variables."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class OrdersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, region: str = "eu-west-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=region)
        table = DynamodbTable(self, "orders", name="orders", hash_key="id", billing_mode="PAY_PER_REQUEST",
                              attribute=[DynamodbTableAttribute(name="id", type="S")])
        role = IamRole(self, "orders-role", name="orders-handler",
                       assume_role_policy='{"Version": "2012-10-17", "Statement": []}')

        LambdaFunction(
            self,
            "orders-handler",
            function_name="orders-handler",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            s3_bucket="artifacts-eu-west-1",
            s3_key="orders/handler.zip",
            environment={
                "variables": {
                    "TABLE_NAME": table.name,
                    "LOG_LEVEL": "INFO",
                }
            },
        )
