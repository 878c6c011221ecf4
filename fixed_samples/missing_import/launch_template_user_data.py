"""Web servers' launch template: the user data is encoded with `base64` and tagged with a `hashlib` digest,
neither imported; the template's own `LaunchTemplate` import is there."""
import textwrap
import base64
import hashlib

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider

USER_DATA = textwrap.dedent("""\
    #!/bin/bash
    yum install -y nginx
    systemctl enable --now nginx
""")


class WebStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        LaunchTemplate(
            self,
            "web",
            name_prefix="web-",
            image_id="ami-0abcdef1234567890",
            instance_type="t3.micro",
            user_data=base64.b64encode(USER_DATA.encode()).decode(),
            tags={"UserDataSha": hashlib.sha256(USER_DATA.encode()).hexdigest()[:12]},
        )
