"""A plain helper class (not a construct) building logs in a stack's scope: its metric filter helper is called with
the environment before the log group it filters exists."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import (
    CloudwatchLogMetricFilter,
    CloudwatchLogMetricFilterMetricTransformation,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider


class ServiceLogs:
    def __init__(self, scope: Construct, service: str, environment: str):
        self.scope = scope
        self.service = service
        self._count_errors(environment)
        self.log_group = CloudwatchLogGroup(scope, f"{service}-logs", name=f"/services/{service}-{environment}",
                                            retention_in_days=30)

    def _count_errors(self, environment):
        CloudwatchLogMetricFilter(
            self.scope,
            f"{self.service}-errors",
            name=f"{self.service}-errors-{environment}",
            log_group_name=self.log_group.name,
            pattern="ERROR",
            metric_transformation=CloudwatchLogMetricFilterMetricTransformation(
                name=f"{self.service}-error-count",
                namespace=f"Services/{environment}",
                value="1",
            ),
        )


class CheckoutStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "qa"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        ServiceLogs(self, "checkout", environment_suffix)
