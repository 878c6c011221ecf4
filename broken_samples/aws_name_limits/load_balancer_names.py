"""A web tier whose load balancer and target group names spell out what they are, past the 32 characters AWS allows."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider


class WebTierStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")

        Lb(
            self, "web_alb",
            name=f"inventory-service-public-load-balancer-{environment_suffix}",
            load_balancer_type="application",
            subnets=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        )
        # Blue/green pair: the two names differ only after the limit, and must stay distinct once shortened.
        for colour in ("blue", "green"):
            LbTargetGroup(
                self, f"web_tg_{colour}",
                name=f"inventory-service-web_target_group-{colour}",
                port=8080,
                protocol="HTTP",
                vpc_id="vpc-0123456789abcdef0",
            )
