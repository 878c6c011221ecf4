"""Two handlers with the same module name, told apart by the zip each was to be packaged into."""
import os
from constructs import Construct
from cdktf import TerraformStack, TerraformAsset, AssetType
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class BillingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, role_arn: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        invoice_asset = TerraformAsset(
            self,
            "invoice-asset",
            path=os.path.join(os.path.dirname(__file__), "..", "functions", "invoice"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(self, "invoice", function_name="invoice", role=role_arn, runtime="nodejs20.x",
                       handler="index.handler", filename=invoice_asset.path, source_code_hash=invoice_asset.asset_hash)
        refund_asset = TerraformAsset(
            self,
            "refund-asset",
            path=os.path.join(os.path.dirname(__file__), "..", "functions", "refund"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(self, "refund", function_name="refund", role=role_arn, runtime="nodejs20.x",
                       handler="index.handler", filename=refund_asset.path, source_code_hash=refund_asset.asset_hash, memory_size=256)
