"""The shop's stack: an orders table, and the media bucket of lib/storage.py, encrypted with a struct name the
provider does not export (CDK001: jsii's `A` suffix)."""
from cdktf import TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRule,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,
)

from lib.naming import resource_name
from lib.storage import media_bucket


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-3")
        DynamodbTable(self, "orders", name=resource_name("orders", environment_suffix), hash_key="id",
                      billing_mode="PAY_PER_REQUEST", attribute=[DynamodbTableAttribute(name="id", type="S")])
        bucket = media_bucket(self, environment_suffix)
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "media-encryption",
            bucket=bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRule(
                    apply_server_side_encryption_by_default=(
                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault(
                            sse_algorithm="AES256"
                        )
                    )
                )
            ],
        )
