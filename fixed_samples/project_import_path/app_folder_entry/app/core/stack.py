from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider

from core.parts.queues import Queues  # the module beside this one, as if this folder were on the path


class QueueStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-north-1")
        queues = Queues(self, "queues", stage)
        TerraformOutput(self, "orders_url", value=queues.orders.url)
