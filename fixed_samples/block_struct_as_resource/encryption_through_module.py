"""Analytics buckets encrypted with the S3 bucket module's inline encryption structs, read through the module and
called like the standalone encryption resource."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws import kms_key, provider, s3_bucket, s3_bucket_server_side_encryption_configuration


class AnalyticsStorageStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="eu-west-1")
        key = kms_key.KmsKey(self, "analytics-key", description="analytics at rest", enable_key_rotation=True)
        analytics = s3_bucket.S3Bucket(self, "analytics", bucket="acme-analytics-raw")
        s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA(
            self,
            "analytics-encryption",
            bucket=analytics.id,
            rule=[s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA(
                apply_server_side_encryption_by_default=(
                    s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="aws:kms",
                        kms_master_key_id=key.arn,
                    )
                ),
                bucket_key_enabled=True,
            )],
        )
