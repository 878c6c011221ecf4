"""A stack split into plain classes: the compute part is handed the network's VPC, and reads the network's
security group from it."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider

from lib.parts.compute import ComputeStack
from .parts.network import NetworkStack


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        network = NetworkStack(self, "network")
        ComputeStack(self, "compute", vpc=network, subnets=network.private_subnets)
