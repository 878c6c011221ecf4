"""An error-rate alarm: metric queries are a list; each one's nested metric block is a dict too."""
from constructs import Construct
from cdktf import TerraformStack
import cdktf_cdktf_provider_aws.cloudwatch_metric_alarm as alarm
from cdktf_cdktf_provider_aws.provider import AwsProvider


class AlarmStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        alarm.CloudwatchMetricAlarm(
            self,
            "error-rate",
            alarm_name="api-error-rate",
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=2,
            threshold=5,
            metric_query=[
                alarm.CloudwatchMetricAlarmMetricQuery(id="rate", expression="errors / requests * 100", return_data=True),
                alarm.CloudwatchMetricAlarmMetricQuery(
                    id="errors",
                    metric={"metric_name": "5XXError", "namespace": "AWS/ApiGateway", "period": 60, "stat": "Sum"},
                ),
                alarm.CloudwatchMetricAlarmMetricQuery(id="requests", metric={"metric_name": "Count", "namespace": "AWS/ApiGateway",
                                              "period": 60, "stat": "Sum"}),
            ],
        )
