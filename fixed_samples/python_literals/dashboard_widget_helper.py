"""A dashboard built from a widget helper; its properties say `false` and `null` in JSON's spelling."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard


def widget(metric: str, stacked: bool) -> dict:
    return {
        "type": "metric",
        "properties": {"metrics": [["AWS/Lambda", metric]], "stacked": stacked, "setPeriodToTimeRange": False},
    }


class DashboardStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        CloudwatchDashboard(
            self,
            "lambda-dashboard",
            dashboard_name="lambda",
            dashboard_body=json.dumps({"widgets": [widget("Errors", True), widget("Invocations", False)],
                                       "periodOverride": None}),
        )
