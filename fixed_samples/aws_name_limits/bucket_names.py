"""Buckets named in CamelCase and snake_case, which S3 refuses: only lowercase letters, digits, dots and hyphens."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class MediaStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")

        S3Bucket(self, "uploads", bucket=f"mediauploads-{environment_suffix}")
        S3Bucket(self, "thumbnails", bucket="media-thumbnails-store")
        S3Bucket(self, "exports", bucket_prefix="media-library-monthly-export-inaclb-")
