"""A shell profile published as an SSM parameter for the build hosts to source."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter

PROFILE = "export PATH=$${PATH}:/opt/build/bin\nexport CACHE_DIR=$${HOME}/.build-cache\n"


class BuildProfileStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        SsmParameter(self, "build-profile", name="/build/profile", type="String", value=PROFILE)
