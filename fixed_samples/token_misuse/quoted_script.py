"""A web server's boot script and settings passed to Terraform functions: both texts hold double quotes."""
from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider


class WebStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        boot = """#!/bin/bash
echo "<h1>STAGE</h1>" > /var/www/html/index.html
"""
        LaunchTemplate(
            self, "web",
            name_prefix="web-",
            image_id="ami-0123456789abcdef0",
            instance_type="t3.micro",
            user_data=Fn.base64encode(Fn.raw_string(boot.replace("STAGE", "production"))),
        )
        TerraformOutput(self, "settings", value=Fn.jsondecode(Fn.raw_string('{"replicas": 2}')))
