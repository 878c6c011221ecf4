"""The service's logging, a construct of its own: a KMS key with a written policy, and the log group it encrypts.
The provider and its region are set up by the stack, in another function."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class EncryptedLogs(Construct):
    def __init__(self, scope: Construct, id: str, service: str):
        super().__init__(scope, id)
        account = DataAwsCallerIdentity(self, "account")
        key = KmsKey(
            self,
            "logs-key",
            description=f"{service} log encryption",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AccountAdmin",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }),
        )
        CloudwatchLogGroup(self, "logs", name=f"/services/{service}", retention_in_days=30, kms_key_id=key.arn)


class BillingLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, aws_region: str = "ap-northeast-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)
        EncryptedLogs(self, "billing-logs", service="billing")
