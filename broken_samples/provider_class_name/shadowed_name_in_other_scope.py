"""The import is repaired; a local that merely shares its name is not touched."""
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning


def describe(S3BucketVersioning):
    # a parameter, not the provider class
    return f"versioning: {S3BucketVersioning}"


def enable_versioning(scope, bucket):
    return S3BucketVersioning(scope, "versioning", bucket=bucket.id,
                              versioning_configuration={"status": "Enabled"})
