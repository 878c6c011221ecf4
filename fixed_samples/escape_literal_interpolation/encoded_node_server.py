"""A launch template whose boot script writes a small Node.js server: its template literals are the server's, and
the script, once base64-encoded by a Terraform function, reaches the instance through cdktf's own escaping."""
from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider


class StatusPageStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = "qa"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ca-central-1")
        server = f"""#!/bin/bash
mkdir -p /opt/status && cd /opt/status
cat > server.js << 'JS'
require('http').createServer((req, res) => res.end(`status ok (${{process.env.STAGE}})`)).listen(8080);
JS
STAGE={stage} nohup node server.js &
"""
        LaunchTemplate(self, "status-page", name_prefix=f"status-{stage}-", image_id="ami-0f1e2d3c4b5a69788",
                       instance_type="t3.small", user_data=Fn.base64encode(server))
        LaunchTemplate(self, "status-page-canary", name_prefix=f"status-canary-{stage}-",
                       image_id="ami-0f1e2d3c4b5a69788", instance_type="t3.small",
                       user_data=Fn.base64encode(Fn.raw_string("#!/bin/bash\necho \"canary for ${HOSTNAME}\" > /etc/motd\n")))
