"""Inventory table: the stack, and the lines that synthesized it while the answer was written."""
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev"):
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region="us-east-2")
        DynamodbTable(
            self,
            "inventory",
            name=f"inventory-{environment_suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="sku",
            attribute=[{"name": "sku", "type": "S"}],
        )


# Synthesize
app = App()
if __name__ == "__main__":
    TapStack(app, "tap", environment_suffix="local")

    app.synth()
