"""VPC flow logs kept in a log group encrypted by a key whose policy is written inline."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class FlowLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, aws_region: str = "ca-central-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)
        flow_key = KmsKey(self, "flow-key", policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::456789012345:role/netadmin"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "AllowCloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{aws_region}.amazonaws.com"}, "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], "Resource": "*"}]}))
        CloudwatchLogGroup(self, "vpc-flow", name="/vpc/flow", retention_in_days=30, kms_key_id=flow_key.arn)
