"""Subnets per availability zone, the zones read from a data source as if its list were Python's."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc


class NetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        azs = DataAwsAvailabilityZones(self, "azs", state="available")
        vpc = Vpc(self, "vpc", cidr_block="10.20.0.0/16")

        Subnet(self, "public-a", vpc_id=vpc.id, cidr_block="10.20.1.0/24",
               availability_zone=f"{azs.names[0]}")
        Subnet(self, "public-b", vpc_id=vpc.id, cidr_block="10.20.2.0/24",
               availability_zone=azs.names[1])
        for i in range(2):
            Subnet(self, f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.20.{10 + i}.0/24",
                   availability_zone=f"${{{azs.names_fqn}[{i}]}}")

        TerraformOutput(self, "zone_count", value=len(azs.names))
