"""Log groups kept as long as an audit asks: seven and five years, written as 365 days a year."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup


class AuditLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")

        # Card payment records: seven years.
        CloudwatchLogGroup(
            self,
            "payment_audit",
            name=f"/audit/payments-{environment_suffix}",
            retention_in_days=2557,
        )
        # Access logs: five years.
        CloudwatchLogGroup(
            self,
            "access_audit",
            name=f"/audit/access-{environment_suffix}",
            retention_in_days=1827,
        )
        CloudwatchLogGroup(
            self,
            "application",
            name=f"/app/api-{environment_suffix}",
            retention_in_days=30,
        )
