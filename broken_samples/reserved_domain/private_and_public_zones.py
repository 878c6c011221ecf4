"""An internal zone attached to a VPC (any name is allowed there), a public zone under the .test TLD (Route 53 creates
it) and a public zone under example.net, which Route 53 refuses."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone, Route53ZoneVpc


class ZonesStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        Route53Zone(self, "internal", name="corp.example.com", vpc=[Route53ZoneVpc(vpc_id="vpc-0123456789abcdef0")])
        Route53Zone(self, "staging", name="status.acme.test")
        Route53Zone(self, "public", name="status.example.net")
