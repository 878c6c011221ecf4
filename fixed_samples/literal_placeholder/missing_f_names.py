"""Order intake in one stack: every name carries the environment suffix, but some strings lost their `f`.
The route's `{order_id}` is API Gateway's own path parameter, and the summary is a template the stack formats."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.apigatewayv2_api import Apigatewayv2Api
from cdktf_cdktf_provider_aws.apigatewayv2_route import Apigatewayv2Route
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class OrderIntakeStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "qa", aws_region: str = "eu-central-1"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=aws_region)

        archive = S3Bucket(self, "archive", bucket=f"order-archive-{environment_suffix}", force_destroy=True)
        SqsQueue(
            self,
            "incoming",
            name=f"order-intake-{environment_suffix}-{aws_region}",
            visibility_timeout_seconds=60,
        )
        dead_letter_name = f"order-intake-dlq-{environment_suffix}"
        SqsQueue(self, "dead-letters", name=dead_letter_name, message_retention_seconds=1209600)

        api = Apigatewayv2Api(self, "api", name=f"order-api-{environment_suffix}", protocol_type="HTTP")
        Apigatewayv2Route(self, "get-order", api_id=api.id, route_key="GET /orders/{order_id}")

        summary = "Order intake for {environment_suffix}"
        TerraformOutput(self, "summary", value=summary.format(environment_suffix=environment_suffix.upper()))
        TerraformOutput(self, "archive_bucket", value=archive.bucket)
