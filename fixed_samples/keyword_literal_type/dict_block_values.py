"""Values inside dicts written for blocks are checked against the block's struct as well."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi
from cdktf_cdktf_provider_aws.efs_access_point import EfsAccessPoint
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class QueueStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        ApiGatewayRestApi(
            self,
            "api",
            name="orders-api",
            minimum_compression_size="1024",
            endpoint_configuration={"types": ["REGIONAL"]},
        )
        SqsQueue(
            self,
            "orders",
            name="orders.fifo",
            fifo_queue=True,
            visibility_timeout_seconds=120,
            message_retention_seconds=1209600,
        )
        EfsAccessPoint(
            self,
            "uploads",
            file_system_id="fs-0123456789abcdef0",
            posix_user={"uid": 1000, "gid": 1000, "secondary_gids": [1001]},
        )
