"""Fulfilment events: the stack reads its settings from the keywords the entry passes."""
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id)

        environment_suffix = kwargs.get("environment_suffix", "dev")
        default_tags = kwargs.get("default_tags", {})

        AwsProvider(
            self,
            "aws",
            region=kwargs.get("aws_region", "us-east-1"),
            default_tags=[default_tags],
        )

        SnsTopic(self, "shipped", name=f"fulfilment-shipped-{environment_suffix}")
