"""Terraform functions called by names cdktf's Fn does not have, and an element read without Fn imported."""
import cdktf
from constructs import Construct
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.provider import AwsProvider

BOOT_SCRIPT = "#!/bin/bash\necho ready > /tmp/ready\n"


class WorkerStack(cdktf.TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-southeast-2")
        zones = DataAwsAvailabilityZones(self, "zones")
        Instance(
            self, "worker",
            ami="ami-0123456789abcdef0",
            instance_type="t3.micro",
            availability_zone=zones.zone_ids_get(0),
            user_data_base64=cdktf.Fn.base64_encode(BOOT_SCRIPT),
            tags={"Name": cdktf.Fn.Upper("worker")},
        )
