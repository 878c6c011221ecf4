"""Device telemetry routed by an IoT rule that partitions on the topic's device segment."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.iot_topic_rule import IotTopicRule, IotTopicRuleKinesis
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
from cdktf_cdktf_provider_aws.provider import AwsProvider


class DeviceTelemetryStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-north-1")
        stream = KinesisStream(self, "telemetry", name="device-telemetry", shard_count=2)
        IotTopicRule(
            self,
            "telemetry-rule",
            name="device_telemetry",
            enabled=True,
            sql="SELECT * FROM 'devices/+/telemetry'",
            sql_version="2016-03-23",
            kinesis=[IotTopicRuleKinesis(
                stream_name=stream.name,
                role_arn="arn:aws:iam::567890123456:role/iot-kinesis",
                partition_key="${topic(2)}",
            )],
        )
