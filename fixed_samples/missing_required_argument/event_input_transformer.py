"""A schedule that reshapes the event for its target: the transformer names its paths, not the template."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class ReportsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")

        queue = SqsQueue(self, "reports", name="nightly-reports")
        nightly = CloudwatchEventRule(self, "nightly", name="nightly-report", schedule_expression="cron(0 2 * * ? *)")
        CloudwatchEventTarget(
            self,
            "to_queue",
            rule=nightly.name,
            arn=queue.arn,
            input_transformer={"input_paths": {"time": "$.time"}},
        )
