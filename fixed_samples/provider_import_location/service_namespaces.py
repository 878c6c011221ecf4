"""A batch cluster written against service namespaces (`ecs`, `eventbridge_rule`) that the provider does not have;
`eventbridge_target` is imported and never used."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws import provider, cloudwatch_event_rule as eventbridge_rule
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition


class BatchStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="us-east-1")
        cluster = EcsCluster(self, "batch", name="batch-cluster")
        EcsTaskDefinition(
            self,
            "report-task",
            family="nightly-report",
            requires_compatibilities=["FARGATE"],
            network_mode="awsvpc",
            cpu="256",
            memory="512",
            container_definitions=json.dumps([{"name": "report", "image": "acme/report:1.4", "essential": True}]),
            tags={"Cluster": cluster.name},
        )
        eventbridge_rule.CloudwatchEventRule(
            self,
            "nightly",
            name="nightly-report",
            schedule_expression="cron(0 2 * * ? *)",
        )
