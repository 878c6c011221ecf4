"""A private hosted zone: the VPC block is a dict inside a list."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone
from cdktf_cdktf_provider_aws.vpc import Vpc


class DnsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16")
        Route53Zone(
            self,
            "internal-zone",
            name="internal.example.com",
            vpc=[{
                "vpc_id": vpc.id,
                "vpc_region": "us-east-1",
            }],
        )
