"""Subnets spread over the region's zones: the data source class and `os` are used but never imported."""
import os

from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones


class NetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=os.environ.get("NETWORK_REGION", "us-west-2"))
        zones = DataAwsAvailabilityZones(self, "zones", state="available")
        vpc = Vpc(self, "vpc", cidr_block="10.20.0.0/16")
        for index in range(2):
            Subnet(
                self,
                f"private-{index}",
                vpc_id=vpc.id,
                cidr_block=f"10.20.{index}.0/24",
                availability_zone=Fn.element(zones.names, index),
            )
