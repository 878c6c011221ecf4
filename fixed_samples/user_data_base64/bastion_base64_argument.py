"""A bastion host whose script is given to the argument that takes base64."""
from constructs import Construct
from cdktf import TerraformStack, Fn
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.provider import AwsProvider


class BastionStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-3")
        Instance(
            self,
            "bastion",
            ami="ami-0d3e4f5a6b7c8d9e0",
            instance_type="t3.nano",
            user_data_base64=Fn.base64encode("#!/bin/bash\ndnf install -y tmux\n"),
        )
