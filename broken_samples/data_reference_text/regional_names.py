"""Parameters that spell out the region's endpoint and the partition's ARN, in a construct of their own."""
from constructs import Construct
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter


class Endpoints(Construct):
    def __init__(self, scope: Construct, id: str, *, queue_name: str):
        super().__init__(scope, id)
        SsmParameter(
            self,
            "queue_url",
            name=f"/endpoints/{queue_name}",
            type="String",
            value=f"https://sqs.${{data.aws_region.current.name}}.amazonaws.com/{queue_name}",
        )
        SsmParameter(
            self,
            "archive_arn",
            name="/endpoints/archive",
            type="String",
            value="arn:${data.aws_partition.current.partition}:s3:::archive",
        )
