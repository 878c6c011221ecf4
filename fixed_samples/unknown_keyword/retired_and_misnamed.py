"""Arguments that no longer exist (EC2-Classic, a cache auth switch) and a retry policy key missing its unit."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.vpc import Vpc


class EventsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Vpc(
            self,
            "vpc",
            cidr_block="10.0.0.0/16",
            enable_dns_support=True,
        )
        rule = CloudwatchEventRule(self, "nightly", name="nightly", schedule_expression="cron(0 2 * * ? *)")
        CloudwatchEventTarget(
            self,
            "nightly-target",
            rule=rule.name,
            arn="arn:aws:lambda:us-east-1:123456789012:function:nightly",
            retry_policy={"maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 2},
        )
