"""Application logs whose key policy document is built once and kept on the stack."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class AppLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="sa-east-1")

        key_policy = {
            'Version': '2012-10-17',
            'Statement': [{'Sid': 'Owner', 'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::345678901234:root'},
                           'Action': 'kms:*', 'Resource': '*'}, {'Sid': 'AllowCloudWatchLogs', 'Effect': 'Allow', 'Principal': {'Service': 'logs.sa-east-1.amazonaws.com'}, 'Action': ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], 'Resource': '*'}],
        }
        self.log_key = KmsKey(self, "app-log-key", deletion_window_in_days=14, policy=json.dumps(key_policy))

        for service in ("checkout", "catalog"):
            CloudwatchLogGroup(self, f"{service}-logs", name=f"/app/{service}", kms_key_id=self.log_key.arn)
