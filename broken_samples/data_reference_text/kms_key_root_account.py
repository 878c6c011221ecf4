"""A KMS key whose policy names the account's root the way HCL would: `data.aws_caller_identity.current`."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.kms_key import KmsKey


class KeysStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        KmsKey(
            self,
            "data_key",
            description="Encrypts the data bucket",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "EnableRootAccess",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }),
        )
