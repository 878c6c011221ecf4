"""An auto-scaling web tier: the launch template tags its instances and volumes."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplate,
    LaunchTemplateTagSpecifications,
    LaunchTemplateMetadataOptions,
)


class WebTierStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        tags = {"Team": "web", "CostCenter": "1234"}
        LaunchTemplate(
            self,
            "web",
            name_prefix="web-",
            image_id="ami-0123456789abcdef0",
            instance_type="t3.micro",
            metadata_options=LaunchTemplateMetadataOptions(http_tokens="required"),
            tag_specifications=[
                LaunchTemplateTagSpecifications(resource_type="instance", tags={**tags, "Name": "web"}),
                LaunchTemplateTagSpecifications(resource_type="volume", tags=tags),
            ],
        )
