"""Two Fargate services whose rolling-update percentages are written inside the deployment configuration block,
where the service takes them as arguments of its own."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.ecs_service import EcsService, EcsServiceDeploymentConfiguration
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition


class StorefrontStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        cluster = EcsCluster(self, "cluster", name="storefront")
        task = EcsTaskDefinition(
            self,
            "web-task",
            family="storefront-web",
            requires_compatibilities=["FARGATE"],
            network_mode="awsvpc",
            cpu="512",
            memory="1024",
            container_definitions=json.dumps([{"name": "web", "image": "acme/storefront:2.3", "essential": True}]),
        )
        EcsService(
            self,
            "web",
            name="storefront-web",
            cluster=cluster.id,
            task_definition=task.arn,
            desired_count=4,
            launch_type="FARGATE",
            deployment_configuration={
                "minimum_healthy_percent": 50,
                "maximum_percent": 200
            },
            network_configuration={"subnets": ["subnet-0a1b2c3d"], "assign_public_ip": False},
        )
        EcsService(
            self,
            "worker",
            name="storefront-worker",
            cluster=cluster.id,
            task_definition=task.arn,
            desired_count=2,
            launch_type="FARGATE",
            deployment_configuration=EcsServiceDeploymentConfiguration(
                strategy="ROLLING",
                minimum_healthy_percent=100,
            ),
            network_configuration={"subnets": ["subnet-0a1b2c3d"], "assign_public_ip": False},
        )
