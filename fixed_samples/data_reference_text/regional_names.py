"""Parameters that spell out the region's endpoint and the partition's ARN, in a construct of their own."""
from constructs import Construct
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition


class Endpoints(Construct):
    def __init__(self, scope: Construct, id: str, *, queue_name: str):
        super().__init__(scope, id)
        region = DataAwsRegion(self, "region")
        SsmParameter(
            self,
            "queue_url",
            name=f"/endpoints/{queue_name}",
            type="String",
            value=f"https://sqs.{region.name}.amazonaws.com/{queue_name}",
        )
        partition = DataAwsPartition(self, "partition")
        SsmParameter(
            self,
            "archive_arn",
            name="/endpoints/archive",
            type="String",
            value=f"arn:{partition.partition}:s3:::archive",
        )
