"""An orders table whose changes feed a stream: the stream settings written as an invented block."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableStreamSpecification,
)


class OrdersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        DynamodbTable(
            self,
            "orders",
            name="orders",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attribute=[DynamodbTableAttribute(name="order_id", type="S")],
            stream_specification=DynamodbTableStreamSpecification(
                stream_enabled=True,
                stream_view_type="NEW_AND_OLD_IMAGES",
            ),
            tags={"Service": "orders"},
        )
