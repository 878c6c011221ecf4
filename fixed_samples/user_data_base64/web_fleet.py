"""A web fleet's launch template that boots each instance with a shell script."""
from constructs import Construct
from cdktf import TerraformStack, Fn
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class WebFleetStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = "staging"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        assets = S3Bucket(self, "site-assets", bucket=f"web-fleet-assets-{stage}")

        startup = f"""#!/bin/bash
yum install -y nginx
aws s3 sync s3://{assets.bucket}/site /usr/share/nginx/html
systemctl enable --now nginx
"""
        LaunchTemplate(
            self,
            "web-template",
            name_prefix=f"web-{stage}-",
            image_id="ami-0c2d3e4f5a6b7c8d9",
            instance_type="t3.micro",
            user_data=Fn.base64encode(startup),
        )
