"""A notification construct whose import also asks constructs for AWS CDK's Resource base class (unused)."""
from constructs import Construct, IConstruct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription


class OnCallNotifications(Construct):
    def __init__(self, scope: IConstruct, id: str, email: str):
        super().__init__(scope, id)
        self.topic = SnsTopic(self, "topic", name="on-call-pages")
        SnsTopicSubscription(self, "email", topic_arn=self.topic.arn, protocol="email", endpoint=email)


class PagingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        OnCallNotifications(self, "notifications", email="oncall@acme-widgets.io")
