"""An orders table billed per request, named by the words of DynamoDB's console ("on-demand")."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
)


class OrdersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")

        DynamodbTable(
            self,
            "orders",
            name="orders",
            billing_mode="ON_DEMAND",
            hash_key="order_id",
            attribute=[
                DynamodbTableAttribute(name="order_id", type="S"),
                DynamodbTableAttribute(name="customer_id", type="S"),
            ],
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(
                    name="by_customer",
                    hash_key="customer_id",
                    projection_type="ALL",
                )
            ],
        )
