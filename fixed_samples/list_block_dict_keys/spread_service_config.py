"""A Fargate service whose arguments are gathered in a dict and spread into the call; the load balancer block is
added to the dict only when the service has a target group."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.ecs_service import EcsService, EcsServiceLoadBalancer
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider


class CheckoutServiceStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, public: bool = True):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        cluster = EcsCluster(self, "cluster", name="checkout")
        target_group = LbTargetGroup(self, "web", name="checkout-web", port=8080, protocol="HTTP",
                                     target_type="ip", vpc_id="vpc-0a1b2c3d")
        self.service(cluster, target_group.arn if public else None)

    def service(self, cluster: EcsCluster, target_group_arn):
        settings = {
            "name": "checkout-api",
            "cluster": cluster.id,
            "desired_count": 2,
            "launch_type": "FARGATE",
        }
        if target_group_arn:
            settings["load_balancer"] = [EcsServiceLoadBalancer(
                target_group_arn=target_group_arn,
                container_name="checkout-api",
                container_port=8080,
            )]
        return EcsService(self, "api", **settings)
