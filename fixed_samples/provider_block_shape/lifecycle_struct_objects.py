"""Lifecycle rules written for the pre-21 provider: nested blocks passed as single structs."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketLifecycleConfigurationRuleTransition,
)


class ArchiveStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        archive = S3Bucket(self, "archive", bucket_prefix="archive-")

        S3BucketLifecycleConfiguration(
            self,
            "archive-lifecycle",
            bucket=archive.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="tier-down",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="data/")],
                    transition=[S3BucketLifecycleConfigurationRuleTransition(days=30, storage_class="GLACIER")],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=365)],  # one year
                    noncurrent_version_expiration=[S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                        noncurrent_days=30
                    )],
                )
            ],
        )
