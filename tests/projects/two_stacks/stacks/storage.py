"""Report archives expiring after 90 days, the rule written without a filter (CDK005)."""
from cdktf import TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
)


class StorageStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        reports = S3Bucket(self, "reports", bucket="acme-report-archive")
        S3BucketLifecycleConfiguration(
            self,
            "reports-retention",
            bucket=reports.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-reports",
                    status="Enabled",
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=90)],
                )
            ],
        )
