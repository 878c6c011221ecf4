"""A stack given its region by the app's entry that never creates the provider with it."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class QueueStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev", aws_region: str = "ca-central-1"):
        super().__init__(scope, id)

        dead_letters = SqsQueue(self, "dead-letters", name=f"orders-dlq-{environment_suffix}")
        orders = SqsQueue(
            self,
            "orders",
            name=f"orders-{environment_suffix}",
            redrive_policy=f'{{"deadLetterTargetArn": "{dead_letters.arn}", "maxReceiveCount": 5}}',
        )
        TerraformOutput(self, "orders_queue_url", value=orders.url)
