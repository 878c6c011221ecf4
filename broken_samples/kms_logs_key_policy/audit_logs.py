"""Audit logs encrypted with a customer-managed key whose policy only names the account."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class AuditLogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, region: str = "eu-central-1", account: str = "210987654321"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=region)

        audit_key = KmsKey(
            self,
            "audit-key",
            description="Audit log encryption",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministration",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                ],
            }),
        )

        CloudwatchLogGroup(
            self,
            "audit-trail",
            name="/audit/trail",
            retention_in_days=365,
            kms_key_id=audit_key.arn,
        )
