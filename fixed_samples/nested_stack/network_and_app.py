"""A stack split the way AWS CDK nests stacks: the main stack creates its parts with the app as their scope."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc


class NetworkStack(Construct):
    def __init__(self, scope: Construct, id: str, cidr: str = "10.20.0.0/16"):
        super().__init__(scope, id)
        self.vpc = Vpc(self, "vpc", cidr_block=cidr, enable_dns_hostnames=True)
        self.subnet = Subnet(self, "app_subnet", vpc_id=self.vpc.id, cidr_block="10.20.1.0/24")


class AppStack(Construct):
    def __init__(self, scope: Construct, id: str, vpc_id: str = "", subnet_id: str = ""):
        super().__init__(scope, id)
        self.security_group = SecurityGroup(self, "app_sg", name="app-sg", vpc_id=vpc_id)
        TerraformOutput(self, "subnet", value=subnet_id)


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, aws_region: str = "us-east-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)
        network = NetworkStack(self, "network")
        AppStack(self, "app", vpc_id=network.vpc.id, subnet_id=network.subnet.id)
