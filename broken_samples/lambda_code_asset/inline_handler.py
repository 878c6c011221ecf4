"""A function whose handler the stack holds as a string, deployed from a zip that nothing builds."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class PingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        role = IamRole(self, "ping-role", name="ping-role", assume_role_policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"Service": "lambda.amazonaws.com"}}],
        }))

        # The handler's code
        ping_code = '''
import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"pong": True})}
'''

        LambdaFunction(
            self,
            "ping",
            function_name="ping",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            filename="ping.zip",  # zip ping_code as index.py before deploying
            source_code_hash="${filebase64sha256(\"ping.zip\")}",
        )
