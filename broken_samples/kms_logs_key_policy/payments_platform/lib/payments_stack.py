"""The payments platform, wired from constructs of their own: security keeps the keys, monitoring writes the
application's logs with the key it is given, and the settlement queue is encrypted with the other key."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue

from lib.monitoring import MonitoringConstruct
from lib.security import SecurityConstruct


class PaymentsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-2")

        self.security = SecurityConstruct(self, "security", environment_suffix=environment_suffix)
        self.monitoring = MonitoringConstruct(
            self,
            "monitoring",
            environment_suffix=environment_suffix,
            kms_key_arn=self.security.logs_key.arn,
        )
        SqsQueue(
            self,
            "settlements",
            name=f"settlements-{environment_suffix}",
            kms_master_key_id=self.security.data_key.arn,
        )
        TerraformOutput(self, "logs_key_id", value=self.security.logs_key.id)
