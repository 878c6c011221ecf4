"""A webhook receiver on Node.js 18, deprecated on Lambda since September 2025."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws import lambda_function, provider


class WebhookStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="us-east-1")

        lambda_function.LambdaFunction(
            self,
            "webhook",
            function_name="webhook-receiver",
            role="arn:aws:iam::123456789012:role/webhook",
            handler="index.handler",
            runtime="nodejs22.x",
            s3_bucket="acme-build-artifacts", s3_key="webhook/webhook.zip",
            environment={"variables": {"SIGNING_SECRET_NAME": "webhook/signing"}},
        )
