"""Ledger archive: one versioned bucket per environment, in the region the stack is given."""
from cdktf import TerraformStack, TerraformOutput
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        environment_suffix: str,
        region: str = "us-west-2",
        tags: dict = None,
    ):
        super().__init__(scope, construct_id)

        # Every resource carries the stack's tags through the provider
        AwsProvider(self, "aws", region=region, default_tags=[{"tags": tags or {}}])

        archive = S3Bucket(
            self,
            "archive",
            bucket=f"ledger-archive-{environment_suffix}",
            force_destroy=True,
        )

        TerraformOutput(self, "archive_bucket", value=archive.bucket)
