"""The public zone of the status page, on a domain AWS reserves (CDK022: reported, never rewritten)."""
from cdktf import TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone


class NetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Route53Zone(self, "status-zone", name="status.example.com")
