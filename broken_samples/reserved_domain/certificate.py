"""A certificate for an environment's subdomain of example.org, which DNS validation can never complete."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
from cdktf_cdktf_provider_aws.provider import AwsProvider


class CertificateStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        AcmCertificate(
            self, "api_cert",
            domain_name=f"api-{environment_suffix}.example.org",
            subject_alternative_names=[f"*.api-{environment_suffix}.example.org"],
            validation_method="DNS",
        )
