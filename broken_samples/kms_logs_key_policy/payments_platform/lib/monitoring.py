"""The application's log groups, encrypted with the key the platform gives the construct."""
from constructs import Construct
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup


class MonitoringConstruct(Construct):
    def __init__(self, scope: Construct, id: str, environment_suffix: str, kms_key_arn: str):
        super().__init__(scope, id)
        self.environment_suffix = environment_suffix
        self.kms_key_arn = kms_key_arn
        self._create_log_groups()

    def _create_log_groups(self):
        self.application_logs = CloudwatchLogGroup(
            self,
            "application-logs",
            name=f"/payments/{self.environment_suffix}/application",
            retention_in_days=90,
            kms_key_id=self.kms_key_arn,
        )
