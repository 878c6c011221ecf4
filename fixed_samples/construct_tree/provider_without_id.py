"""A queue stack whose provider is created with its scope and region but no construct id."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class QueueStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(
            self,
            "aws",
            region="eu-central-1",
            default_tags=[{"tags": {"team": "orders"}}],
        )
        SqsQueue(self, "orders", name="orders-queue", visibility_timeout_seconds=60)
