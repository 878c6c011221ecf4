"""A replica topic in a second region, its provider named by Terraform's address instead of the construct."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic


class AlertStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        self.replica_provider = AwsProvider(self, "aws-replica", region="us-west-2", alias="replica")

        SnsTopic(self, "alerts", name="alerts-primary")
        SnsTopic(self, "alerts-replica", name="alerts-replica", provider=self.replica_provider)
