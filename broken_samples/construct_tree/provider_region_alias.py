"""Audit topics in every region of the stack, each resource's provider named by a Terraform address built from
its region ("aws.eu_west_1"), while the stack creates no provider of those aliases."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class AuditStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, regions=("us-east-1", "eu-west-1", "ap-south-1")):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=regions[0])
        for index, region in enumerate(regions):
            SnsTopic(
                self,
                f"audit-{region}",
                name=f"audit-{region}",
                provider=f"aws.{region.replace('-', '_')}" if index > 0 else None,
            )
        self._archive_queue()

    def _archive_queue(self):
        SqsQueue(self, "archive", name="audit-archive", provider="aws.eu_west_1")
