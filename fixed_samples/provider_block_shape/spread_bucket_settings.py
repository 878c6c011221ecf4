"""Versioning settings gathered in a dict and spread into the resource, the single block written as a list."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA


class ArchiveStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        archive = S3Bucket(self, "archive", bucket_prefix="archive-")
        versioning = {"bucket": archive.id}
        versioning["versioning_configuration"] = {"status": "Enabled", "mfa_delete": "Disabled"}
        S3BucketVersioningA(self, "archive-versioning", **versioning)
