"""Ledger queue: the stack reads its settings from the keywords the entry passes."""
from cdktf import S3Backend, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)

        environment_suffix = kwargs.get("environment_suffix", "dev")
        aws_region = kwargs.get("aws_region", "us-east-1")

        AwsProvider(self, "aws", region=aws_region, default_tags=[kwargs.get("default_tags", {})])

        S3Backend(
            self,
            bucket=kwargs.get("state_bucket", "tf-states"),
            key=f"{environment_suffix}/{construct_id}.tfstate",
            region=kwargs.get("state_bucket_region", "us-east-1"),
            encrypt=True,
        )

        SqsQueue(self, "entries", name=f"ledger-entries-{environment_suffix}", message_retention_seconds=86400)
