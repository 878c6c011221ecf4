"""A session cache, its reader function and the function's role, with ids and names past their services' limits."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider

ASSUME_LAMBDA = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},'
    '"Action":"sts:AssumeRole"}]}'
)


class SessionStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str = "dev"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")

        ElasticacheReplicationGroup(
            self, "sessions",
            replication_group_id="Checkout-Session-Cache-Primary-Replication",
            description="checkout sessions",
            node_type="cache.t3.micro",
            engine="redis",
        )
        role = IamRole(
            self, "reader_role",
            name=f"checkout-session-cache-reader-lambda-execution-role-with-vpc-access-{environment_suffix}",
            assume_role_policy=ASSUME_LAMBDA,
        )
        LambdaFunction(
            self, "reader",
            function_name=f"checkout-session-cache-reader-function-for-the-storefront-public-api-{environment_suffix}",
            role=role.arn,
            handler="index.handler",
            runtime="python3.12",
            s3_bucket="checkout-build-artifacts", s3_key="session-reader.zip",
        )
