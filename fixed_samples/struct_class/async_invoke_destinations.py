"""Order events: a failed asynchronous invocation of the handler goes to a dead-letter topic, a stream batch that
keeps failing goes to a queue. Each destination is written as the nested block alone, without the block around it."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lambda_function_event_invoke_config import (
    LambdaFunctionEventInvokeConfig,
    LambdaFunctionEventInvokeConfigDestinationConfigOnFailure,
    LambdaFunctionEventInvokeConfigDestinationConfig,
)
from cdktf_cdktf_provider_aws.lambda_event_source_mapping import (
    LambdaEventSourceMapping,
    LambdaEventSourceMappingDestinationConfigOnFailure,
    LambdaEventSourceMappingDestinationConfig,
)


class OrderEventsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        failed_invocations = SnsTopic(self, "failed-invocations", name="orders-failed-invocations")
        failed_batches = SqsQueue(self, "failed-batches", name="orders-failed-batches")
        orders = DynamodbTable(
            self, "orders",
            name="orders",
            billing_mode="PAY_PER_REQUEST",
            hash_key="order_id",
            attribute=[DynamodbTableAttribute(name="order_id", type="S")],
            stream_enabled=True,
            stream_view_type="NEW_IMAGE",
        )
        role = IamRole(
            self, "handler-role",
            name="orders-handler",
            assume_role_policy='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                               '"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}',
        )
        handler = LambdaFunction(
            self, "handler",
            function_name="orders-handler",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            s3_bucket="orders-artifacts",
            s3_key="handler/handler.zip",
        )
        LambdaFunctionEventInvokeConfig(
            self, "handler-async",
            function_name=handler.function_name,
            maximum_retry_attempts=1,
            destination_config=LambdaFunctionEventInvokeConfigDestinationConfig(on_failure=LambdaFunctionEventInvokeConfigDestinationConfigOnFailure(
                destination=failed_invocations.arn,
            )),
        )
        LambdaEventSourceMapping(
            self, "orders-stream",
            event_source_arn=orders.stream_arn,
            function_name=handler.arn,
            starting_position="LATEST",
            maximum_retry_attempts=3,
            destination_config=LambdaEventSourceMappingDestinationConfig(on_failure=LambdaEventSourceMappingDestinationConfigOnFailure(destination_arn=failed_batches.arn)),
        )
