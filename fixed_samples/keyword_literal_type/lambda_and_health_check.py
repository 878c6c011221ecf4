"""An API's function and its load balancer: numbers written as strings, a status code written as a number."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck


class ApiStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        role = IamRole(
            self,
            "handler-role",
            name="orders-handler",
            assume_role_policy='{"Version": "2012-10-17", "Statement": []}',
        )
        LambdaFunction(
            self,
            "handler",
            function_name="orders-handler",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            s3_bucket="orders-artifacts",
            s3_key="handler.zip",
            timeout=30,
            memory_size=512,
        )
        LbTargetGroup(
            self,
            "orders-tg",
            name="orders",
            port=8080,
            protocol="HTTP",
            vpc_id="vpc-0123456789abcdef0",
            deregistration_delay="15",
            health_check=LbTargetGroupHealthCheck(
                path="/health",
                matcher="200",
                interval=30,
                enabled=True,
            ),
        )
