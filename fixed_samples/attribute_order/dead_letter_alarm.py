"""A queue construct whose alarm helper runs before the dead-letter queue it watches exists."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class WorkQueue(Construct):
    """A work queue, its dead-letter queue and an alarm on the dead letters piling up."""

    def __init__(self, scope: Construct, id: str, queue_name: str):
        super().__init__(scope, id)
        self.queue_name = queue_name
        self.queue = SqsQueue(self, "queue", name=queue_name, visibility_timeout_seconds=90)

        self.dead_letters = SqsQueue(self, "dead-letters", name=f"{queue_name}-dlq",
                                     message_retention_seconds=1209600)

        # Page someone when messages land in the dead-letter queue
        self._add_backlog_alarm()

    def _add_backlog_alarm(self):
        CloudwatchMetricAlarm(
            self,
            "backlog",
            alarm_name=f"{self.queue_name}-dlq-backlog",
            namespace="AWS/SQS",
            metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": self.dead_letters.name},
            statistic="Maximum",
            period=300,
            evaluation_periods=1,
            threshold=3,
            comparison_operator="GreaterThanOrEqualToThreshold",
        )


class BillingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-southeast-2")

        invoices = WorkQueue(self, "invoices", queue_name="billing-invoices")
        TerraformOutput(self, "invoices_dlq_url", value=invoices.dead_letters.url)
