"""Stacks named through the cdktf module; the logging part is created with the stack's own scope."""
import cdktf
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider


class LoggingStack(cdktf.TerraformStack):
    def __init__(self, scope, id, retention: int = 30):
        super().__init__(scope, id)
        self.app_logs = CloudwatchLogGroup(self, "app_logs", name="/app/web", retention_in_days=retention)


class WebStack(cdktf.TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        logging = LoggingStack(scope, "logging", retention=14)
        cdktf.TerraformOutput(self, "log_group", value=logging.app_logs.name)
