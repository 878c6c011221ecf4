"""A cache cluster's security group with its outbound traffic inline and one inbound rule written as the group's
ingress block struct, called like a resource without saying the rule's type."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress


class SessionCacheNetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment: str = "staging"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-north-1")
        self.cache_sg = SecurityGroup(
            self,
            "session-cache",
            name=f"session-cache-{environment}",
            vpc_id="vpc-0fedcba9876543210",
            egress=[SecurityGroupEgress(from_port=0, to_port=0, protocol="-1", cidr_blocks=["0.0.0.0/0"])],
        )

        # Redis from the application subnets only
        SecurityGroupIngress(
            self,
            "session-cache-redis-in",
            security_group_id=self.cache_sg.id,
            from_port=6379,
            to_port=6379,
            protocol="tcp",
            cidr_blocks=["10.40.16.0/20", "10.40.32.0/20"],
            description="Redis from the app tier",
        )
