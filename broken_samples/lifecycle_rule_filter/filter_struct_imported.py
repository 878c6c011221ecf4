from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleFilter as RuleFilter,
    S3BucketLifecycleConfigurationRuleTransition,
)


def tier_images(scope, bucket):
    S3BucketLifecycleConfiguration(scope, "images-tiering", bucket=bucket.id, rule=[
        S3BucketLifecycleConfigurationRule(id="thumbnails", status="Enabled",
                                           filter=[RuleFilter(prefix="thumbs/")],
                                           transition=[S3BucketLifecycleConfigurationRuleTransition(
                                               days=30, storage_class="STANDARD_IA")]),
        S3BucketLifecycleConfigurationRule(id="everything", status="Enabled",
                                           transition=[S3BucketLifecycleConfigurationRuleTransition(
                                               days=180, storage_class="GLACIER")]),
    ])
