"""A public hosted zone and a record for the documentation domain the answer was written with."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_record import Route53Record
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone


class DnsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        zone = Route53Zone(self, "zone", name="example.com")
        Route53Record(self, "www", zone_id=zone.zone_id, name="www.example.com", type="CNAME", ttl=300,
                      records=["shop.example.net"])
