"""A static site bucket written for providers before v10, when the package root exported every class."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws import (
    AwsProvider,
    S3Bucket,
    S3BucketPublicAccessBlock,
    s3_bucket_website_configuration,
)


class SiteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        site = S3Bucket(self, "site", bucket="acme-site", force_destroy=True)
        S3BucketPublicAccessBlock(
            self,
            "site-public-access",
            bucket=site.id,
            block_public_acls=True,
            restrict_public_buckets=False,
        )
        website = s3_bucket_website_configuration.S3BucketWebsiteConfiguration(
            self,
            "site-website",
            bucket=site.id,
            index_document={"suffix": "index.html"},
        )
        TerraformOutput(self, "site-endpoint", value=website.website_endpoint)
