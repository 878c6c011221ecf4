from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)


def add_retention(scope, bucket):
    S3BucketLifecycleConfiguration(
        scope,
        "retention",
        bucket=bucket.id,
        rule=[
            S3BucketLifecycleConfigurationRule(
                id="expire-current",
                status="Enabled",
                expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=30)],
            ),
            S3BucketLifecycleConfigurationRule(
                id="expire-noncurrent",
                status="Enabled",
                noncurrent_version_expiration=[
                    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=7)
                ],
            ),
        ],
    )
