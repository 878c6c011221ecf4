"""An artifacts bucket and a build log group named after the environment of the context; JSON's `true` where
Python needs True (CDK017)."""
from cdktf import TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class ArtifactsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        environment = self.node.try_get_context("environment")
        AwsProvider(self, "aws", region="eu-central-1")
        S3Bucket(self, f"artifacts-{environment}", bucket=f"acme-artifacts-{environment}", force_destroy=true)
        logging = Construct(self, "logging")
        CloudwatchLogGroup(logging, f"builds-{environment}", name=f"/acme/builds/{environment}",
                           retention_in_days=14)
