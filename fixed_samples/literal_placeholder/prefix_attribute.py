"""Metrics ingestion: the stack keeps its name prefix on itself for its helper methods, and tags everything with
the Terraform workspace through the provider's default tags."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.kinesis_stream import KinesisStream
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic


class MetricsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, team: str = "analytics"):
        super().__init__(scope, id)
        AwsProvider(
            self,
            "aws",
            region="ca-central-1",
            default_tags=[AwsProviderDefaultTags(tags={"Team": team, "Workspace": "${terraform.workspace}"})],
        )
        self.prefix = f"metrics-{team}"
        self._create_stream()

    def _create_stream(self):
        KinesisStream(self, "events", name=f"{self.prefix}-events", shard_count=1, retention_period=48)
        SnsTopic(self, "alerts", name=f"{self.prefix}-alerts")
