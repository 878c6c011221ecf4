"""A Fargate task: its containers written as invented struct objects where the provider takes a JSON string."""
import json
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.ecs_task_definition import (
    EcsTaskDefinition,
)


class ApiTaskStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        logs = CloudwatchLogGroup(self, "logs", name="/ecs/api", retention_in_days=7)
        EcsTaskDefinition(
            self,
            "api",
            family="api",
            requires_compatibilities=["FARGATE"],
            network_mode="awsvpc",
            cpu="256",
            memory="512",
            container_definitions=json.dumps([
                {
                    "name": "api",
                    "image": "public.ecr.aws/nginx/nginx:1.27",
                    "essential": True,
                    "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {"awslogs-group": logs.name, "awslogs-region": "us-east-1"},
                    },
                },
            ]),
        )
