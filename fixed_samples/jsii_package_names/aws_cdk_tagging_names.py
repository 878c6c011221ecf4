"""A stack whose imports bring AWS CDK's tagging interfaces along with cdktf's classes; it never uses them."""
from constructs import Construct
from cdktf import TerraformStack, TerraformOutput
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute


class SessionsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="sa-east-1", default_tags=[{"tags": {"Team": "identity"}}])
        table = DynamodbTable(
            self,
            "sessions",
            name="identity-sessions",
            billing_mode="PAY_PER_REQUEST",
            hash_key="session_id",
            attribute=[DynamodbTableAttribute(name="session_id", type="S")],
        )
        TerraformOutput(self, "table_arn", value=table.arn)
