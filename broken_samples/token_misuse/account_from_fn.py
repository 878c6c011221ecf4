"""A key whose policy names the account, read through Fn as if Fn made data sources."""
import json

from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack, Token
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider


class KeyStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-3")
        KmsKey(
            self,
            "audit-key",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{Fn.data_aws_caller_identity(self, 'current').account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }),
        )
        TerraformOutput(self, "account", value=Token.as_string(Fn.data("aws_caller_identity.current.account_id")))
