"""An EKS cluster and the OIDC provider of its service accounts: the issuer read Java-style and by indexing."""
import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster, EksClusterVpcConfig
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider


class ClusterStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        role = IamRole(self, "cluster-role", name="orders-eks", assume_role_policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"},
                           "Action": "sts:AssumeRole"}],
        }))
        self.cluster = EksCluster(
            self, "cluster",
            name="orders",
            role_arn=role.arn,
            vpc_config=EksClusterVpcConfig(subnet_ids=["subnet-0a1b2c3d", "subnet-4e5f6a7b"]),
        )
        IamOpenidConnectProvider(
            self, "oidc",
            url=self.cluster.identity_get(0).oidc_get(0).issuer,
            client_id_list=["sts.amazonaws.com"],
        )
        TerraformOutput(self, "issuer", value=self.cluster.identity[0].oidc[0].issuer)
