"""A database security group whose outbound rule is the group's egress block struct, called like a resource with
every argument of a standalone security group rule."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress


class DatabaseNetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-southeast-2")
        database = SecurityGroup(self, "database", name="orders-db", vpc_id="vpc-0123456789abcdef0")
        SecurityGroupEgress(
            self,
            "database-https-out",
            type="egress",
            security_group_id=database.id,
            from_port=443,
            to_port=443,
            protocol="tcp",
            cidr_blocks=["10.20.0.0/16"],
            description="HTTPS to the internal endpoints",
        )
