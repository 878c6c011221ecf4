"""Versioned, encrypted bucket; the nested structs are imported under short aliases."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioning,
    S3BucketVersioningVersioningConfiguration as VersioningConfiguration,
)
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfiguration as EncryptionConfiguration,
    S3BucketServerSideEncryptionConfigurationRule as EncryptionRule,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,  # default SSE
)


class StorageStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, 'aws', region='us-east-1')

        bucket = S3Bucket(self, 'data', bucket_prefix='data-')

        S3BucketVersioning(
            self, 'data-versioning',
            bucket=bucket.id,
            versioning_configuration=VersioningConfiguration(status='Enabled'),
        )

        EncryptionConfiguration(
            self, 'data-encryption',
            bucket=bucket.id,
            rule=[EncryptionRule(
                apply_server_side_encryption_by_default=
                S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault(sse_algorithm='aws:kms'),
                bucket_key_enabled=True,
            )],
        )
