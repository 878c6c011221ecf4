"""An orders API handler and its shared layer, their code named as zips that the answer said to build by hand."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.lambda_layer_version import LambdaLayerVersion
from cdktf_cdktf_provider_aws.provider import AwsProvider


class OrdersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        role = IamRole(self, "orders-role", name="orders-handler",
                       assume_role_policy='{"Version": "2012-10-17", "Statement": []}')

        shared = LambdaLayerVersion(
            self,
            "shared-layer",
            layer_name="orders-shared",
            filename="layers/shared.zip",
            compatible_runtimes=["nodejs20.x"],
        )

        # The handler (package it first: zip -r lambda/orders.zip functions/orders)
        LambdaFunction(
            self,
            "orders-handler",
            function_name="orders-handler",
            role=role.arn,
            runtime="nodejs20.x",
            handler="index.handler",
            filename="lambda/orders.zip",
            source_code_hash="placeholder",
            layers=[shared.arn],
            timeout=10,
        )
