"""An audit role that another account assumes, and the log bucket policy it reads: the ARNs written with
CloudFormation's Fn::Sub, its pseudo parameters and a variable of its own."""
import json

from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class AuditAccessStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, auditor_account: str = "210987654321"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        logs = S3Bucket(self, "audit-logs", bucket_prefix="audit-logs-")

        # The auditors' role, trusted by this account's root
        IamRole(
            self,
            "auditor",
            name="auditor",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": Fn.sub("arn:aws:iam::${AWS::AccountId}:root")},
                    "Action": "sts:AssumeRole",
                }],
            }),
            inline_policy=[{
                "name": "read-logs",
                "policy": json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": Fn.sub("arn:${AWS::Partition}:s3:::${Bucket}/${Account}/*",
                                           {"Bucket": logs.bucket, "Account": auditor_account}),
                    }],
                }),
            }],
        )
