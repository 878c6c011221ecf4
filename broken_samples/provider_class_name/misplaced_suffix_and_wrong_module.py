from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault,
)


def secure_bucket(scope, name, policy_json):
    bucket = S3Bucket(scope, name, bucket=name)
    S3BucketPolicy(scope, f"{name}-policy", bucket=bucket.id, policy=policy_json)
    S3BucketServerSideEncryptionConfigurationA(
        scope,
        f"{name}-sse",
        bucket=bucket.id,
        rule=[
            S3BucketServerSideEncryptionConfigurationRuleA(
                apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleAApplyServerSideEncryptionByDefault(
                    sse_algorithm="AES256"
                )
            )
        ],
    )
    return bucket
