"""A stack module that imports Construct from cdktf, which takes it from the constructs package."""
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.ecr_repository import EcrRepository
from constructs import Construct


class RegistryStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        EcrRepository(self, "api", name=f"orders-api-{environment_suffix}", image_tag_mutability="IMMUTABLE")
