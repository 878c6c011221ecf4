"""A network module that writes Terraform's function calls in f-strings around the zone list of a data source."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack, Fn
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc


class ZonedNetwork(Construct):
    def __init__(self, scope: Construct, id: str, zones: int = 3):
        super().__init__(scope, id)
        self.azs = DataAwsAvailabilityZones(self, "azs", state="available")
        self.vpc = Vpc(self, "vpc", cidr_block="10.40.0.0/16")
        for i in range(zones):
            Subnet(self, f"app-{i}", vpc_id=self.vpc.id,
                   cidr_block=f"${{cidrsubnet({self.vpc.cidr_block}, 8, {i})}}",
                   availability_zone=Fn.element(self.azs.names, i))
        Subnet(self, "spare", vpc_id=self.vpc.id, cidr_block="10.40.200.0/24",
               availability_zone=Fn.element(self.azs.names, 0))
        TerraformOutput(self, "zones", value=Fn.join(",", self.azs.names))


class NetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        ZonedNetwork(self, "network")
