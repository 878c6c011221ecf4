"""A queue part made a stack of its own, created twice by the main stack with its scope."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class QueueStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, *, name: str = "jobs"):
        super().__init__(scope, id)
        dead_letters = SqsQueue(self, "dlq", name=f"{name}-dlq")
        self.queue = SqsQueue(self, "queue", name=name,
                              redrive_policy=f'{{"deadLetterTargetArn": "{dead_letters.arn}", "maxReceiveCount": 3}}')


class WorkersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        for name in ("orders", "emails"):
            QueueStack(scope, f"{name}-queue", name=name)
