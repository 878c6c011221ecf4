"""A documentation site written against the bindings `cdktf get` generates (`imports.aws`, in the flat layout of
older cdktf and in the per-resource one), which this project never generated."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from imports.aws.provider import AwsProvider
from imports.aws import S3Bucket, S3BucketWebsiteConfiguration, s3_bucket_versioning


class DocsSiteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        site = S3Bucket(self, "site", bucket="acme-docs-site", force_destroy=True)
        S3BucketWebsiteConfiguration(
            self,
            "website",
            bucket=site.id,
            index_document={"suffix": "index.html"},
            error_document={"key": "404.html"},
        )
        s3_bucket_versioning.S3BucketVersioningA(
            self,
            "versioning",
            bucket=site.id,
            versioning_configuration={"status": "Enabled"},
        )
        TerraformOutput(self, "site_bucket", value=site.bucket)
