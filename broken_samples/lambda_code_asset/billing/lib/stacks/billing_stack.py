"""Two handlers with the same module name, told apart by the zip each was to be packaged into."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class BillingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, role_arn: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        LambdaFunction(self, "invoice", function_name="invoice", role=role_arn, runtime="nodejs20.x",
                       handler="index.handler", filename="invoice.zip")
        LambdaFunction(self, "refund", function_name="refund", role=role_arn, runtime="nodejs20.x",
                       handler="index.handler", filename="refund.zip", memory_size=256)
