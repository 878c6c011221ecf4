"""A queue worker whose KMS keys were created without a policy: each encrypts a log group, so each needs AWS's
default key policy written out with the statement for CloudWatch Logs. The stack's own key also encrypts the job
queue (the default policy's account statement keeps it usable); the audit construct reads its account already."""
import json
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion


class AuditTrail(Construct):
    def __init__(self, scope: Construct, id: str, retention_days: int):
        super().__init__(scope, id)
        self.account = DataAwsCallerIdentity(self, "account")
        region = DataAwsRegion(self, "region")
        trail_key = KmsKey(self, "trail-key", description="audit trail logs", enable_key_rotation=True, policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{self.account.account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }, {
                "Sid": "AllowCloudWatchLogs",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region.region}.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
            }],
        }))
        CloudwatchLogGroup(self, "trail", name="/audit/trail", retention_in_days=retention_days,
                           kms_key_id=trail_key.arn)


class QueueWorkerStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, aws_region: str = "eu-north-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)

        caller_identity = DataAwsCallerIdentity(self, "caller_identity")
        # One key for the worker's data at rest.
        worker_key = KmsKey(
            self,
            "worker-key",
            description="queue worker encryption",
            deletion_window_in_days=7,
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{caller_identity.account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }, {
                    "Sid": "AllowCloudWatchLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{aws_region}.amazonaws.com"},
                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    "Resource": "*",
                }],
            }),
        )
        SqsQueue(self, "jobs", name="worker-jobs", kms_master_key_id=worker_key.key_id)
        CloudwatchLogGroup(self, "worker-logs", name="/worker", retention_in_days=14, kms_key_id=worker_key.arn)

        AuditTrail(self, "audit", retention_days=400)
