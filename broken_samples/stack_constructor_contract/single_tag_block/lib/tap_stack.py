"""Search index bucket: the stack hands the entry's default tags straight to the provider."""
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev", default_tags=None):
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region="eu-north-1", default_tags=default_tags)
        S3Bucket(self, "index", bucket_prefix=f"search-index-{environment_suffix}-")
