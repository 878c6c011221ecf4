"""A FinOps tagging aspect written as a subclass of cdktf's IAspect, added to the stack's aspects."""
from typing import Dict

from constructs import Construct, IConstruct
from cdktf import Aspects, IAspect, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class CostAllocationTags(IAspect):
    """Adds the cost allocation tags to every queue of the stack."""

    def __init__(self, tags: Dict[str, str]):
        self.tags = tags

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, SqsQueue):
            for key, value in self.tags.items():
                node.add_override(f"tags.{key}", value)


class BillingQueuesStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-3")
        SqsQueue(self, "invoices", name="billing-invoices")
        SqsQueue(self, "refunds", name="billing-refunds")
        Aspects.of(self).add(CostAllocationTags({"CostCenter": "billing", "Owner": "finops"}))
