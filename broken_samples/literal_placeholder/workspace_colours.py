"""Blue and green copies of the order service, told apart by the Terraform workspace they are deployed from:
the workspace is written as a Python placeholder, which nothing fills."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider


class OrderService(Construct):
    def __init__(self, scope: Construct, id: str, name_suffix: str):
        super().__init__(scope, id)
        self.table = DynamodbTable(
            self,
            "orders",
            name=f"orders-{name_suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attribute=[DynamodbTableAttribute(name="order_id", type="S")],
            tags={"Workspace": "{workspace}"},
        )
        IamRole(
            self,
            "worker",
            name=f"orders-worker-{name_suffix}",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }],
            }),
        )


class OrderServiceStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, aws_region: str = "us-west-2"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)
        for colour in ("blue", "green"):
            OrderService(self, f"orders-{colour}", name_suffix=f"{{workspace}}-{colour}")
