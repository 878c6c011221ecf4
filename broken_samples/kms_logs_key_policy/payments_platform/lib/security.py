"""The platform's keys: one for the application's logs, with a written policy for the account's administrators,
and one for the data, with AWS's default policy."""
import json

from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey


class SecurityConstruct(Construct):
    def __init__(self, scope: Construct, id: str, environment_suffix: str):
        super().__init__(scope, id)
        account = DataAwsCallerIdentity(self, "account")

        self.logs_key = KmsKey(
            self,
            "logs-key",
            description=f"Payments application logs ({environment_suffix})",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AccountAdministrators",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }),
        )
        KmsAlias(self, "logs-key-alias", name=f"alias/payments-logs-{environment_suffix}",
                 target_key_id=self.logs_key.key_id)

        self.data_key = KmsKey(self, "data-key", description="Payments data", enable_key_rotation=True)
