"""The orders stack: its network and storage come from the modules of lib/stacks/."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider

from stacks.network import NetworkConstruct
from stacks import storage


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        network = NetworkConstruct(self, "network", environment_suffix)
        files = storage.StorageConstruct(self, "storage", environment_suffix)
        TerraformOutput(self, "vpc_id", value=network.vpc.id)
        TerraformOutput(self, "bucket", value=files.bucket.bucket)
