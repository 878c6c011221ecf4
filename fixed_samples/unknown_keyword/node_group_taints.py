"""An EKS node group whose taint blocks are passed under the plural name."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup, EksNodeGroupScalingConfig, EksNodeGroupTaint


class NodesStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        EksNodeGroup(
            self,
            "gpu-nodes",
            cluster_name="platform",
            node_group_name="gpu",
            node_role_arn="arn:aws:iam::123456789012:role/nodes",
            subnet_ids=["subnet-0123456789abcdef0"],
            scaling_config=EksNodeGroupScalingConfig(desired_size=1, max_size=2, min_size=1),
            taint=[EksNodeGroupTaint(key="gpu", value="true", effect="NO_SCHEDULE")],
        )
