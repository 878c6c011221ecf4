from constructs import Construct
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class Queues(Construct):
    def __init__(self, scope: Construct, id: str, stage: str):
        super().__init__(scope, id)
        self.dead_letters = SqsQueue(self, "dead-letters", name=f"orders-dlq-{stage}")
        self.orders = SqsQueue(self, "orders", name=f"orders-{stage}", visibility_timeout_seconds=60)
