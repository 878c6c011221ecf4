"""A NAT address and an EKS add-on, each with an argument the 6.0 provider replaced."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.eks_addon import EksAddon


class ClusterStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Eip(self, "nat-ip", vpc=True, tags={"Name": "nat"})
        EksAddon(
            self,
            "vpc-cni",
            cluster_name="platform",
            addon_name="vpc-cni",
            resolve_conflicts="OVERWRITE",
        )
