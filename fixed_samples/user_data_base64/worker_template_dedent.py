"""Queue workers started from a launch template with a dedented boot script."""
from textwrap import dedent

from constructs import Construct
from cdktf import TerraformStack, Fn
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider


class QueueWorkersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, concurrency: int = 4):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-northeast-1")
        LaunchTemplate(
            self,
            "queue-worker",
            name="queue-worker",
            image_id="ami-0e4f5a6b7c8d9e0f1",
            user_data=Fn.base64encode(dedent(f"""\
                #!/bin/bash
                echo WORKERS={concurrency} >> /etc/worker.conf
                systemctl start queue-worker
            """)),
        )
