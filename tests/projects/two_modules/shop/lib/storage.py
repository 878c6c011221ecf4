"""The shop's media bucket, its classes imported from the package root as before provider v10 (CDK014)."""
from constructs import Construct
from cdktf_cdktf_provider_aws import S3Bucket, S3BucketVersioningA

from lib.naming import resource_name


def media_bucket(scope: Construct, environment_suffix: str) -> S3Bucket:
    bucket = S3Bucket(scope, "media", bucket=resource_name("shop-media", environment_suffix))
    S3BucketVersioningA(scope, "media-versioning", bucket=bucket.id,
                        versioning_configuration={"status": "Enabled"})
    return bucket
