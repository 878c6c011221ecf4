"""Access logging through module aliases instead of imported names."""
import cdktf_cdktf_provider_aws.s3_bucket as s3_bucket
import cdktf_cdktf_provider_aws.s3_bucket_logging as s3_logging
from cdktf_cdktf_provider_aws import provider, s3_bucket_versioning
from constructs import Construct
from cdktf import TerraformStack


class LoggingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="us-east-1")
        logs = s3_bucket.S3Bucket(self, "logs", bucket_prefix="logs-")
        site = s3_bucket.S3Bucket(self, "site", bucket_prefix="site-")
        s3_logging.S3BucketLogging(self, "site-logging", bucket=site.id,
                                   target_bucket=logs.id, target_prefix="site/")
        s3_bucket_versioning.S3BucketVersioning(
            self,
            "site-versioning",
            bucket=site.id,
            versioning_configuration={"status": "Enabled"},
        )
