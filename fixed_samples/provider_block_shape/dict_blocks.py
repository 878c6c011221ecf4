"""Encryption and lifecycle written as dicts: one block given as an object, one as a list, each the wrong way."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
)


class LogsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, 'aws', region='eu-west-1')
        logs = S3Bucket(self, 'logs', bucket_prefix='logs-')
        S3BucketServerSideEncryptionConfigurationA(
            self, 'logs-sse',
            bucket=logs.id,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(apply_server_side_encryption_by_default={'sse_algorithm': 'AES256'})],
        )
        S3BucketLifecycleConfiguration(
            self, 'logs-lifecycle',
            bucket=logs.id,
            rule=[{
                'id': 'expire-logs',
                'status': 'Enabled',
                'filter': [{'prefix': 'logs/'}],
                'expiration': [{'days': 90}],
            }],
        )
