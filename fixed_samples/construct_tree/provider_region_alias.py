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
                provider=self._aws_provider(region, region.replace('-', '_')) if index > 0 else None,
            )
        self._archive_queue()

    def _archive_queue(self):
        SqsQueue(self, "archive", name="audit-archive", provider=self._aws_provider("eu-west-1", "eu_west_1"))

    def _aws_provider(self, region, alias):
        """The stack's AwsProvider of `alias`, created for `region` if it has none: what `provider=` takes."""
        stack = TerraformStack.of(self)
        for construct in stack.node.find_all():
            if isinstance(construct, AwsProvider) and construct.alias == alias:
                return construct
        return AwsProvider(stack, f"aws_{alias}", region=region, alias=alias)
