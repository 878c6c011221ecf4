"""Already right: A-suffixed names, complete depends_on, scoped lifecycle rules, no lockfile override, structs
(not dicts) inside lists of blocks."""
from cdktf import S3Backend, TerraformStack
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
)
from cdktf_cdktf_provider_aws.s3_bucket_notification import (
    S3BucketNotification,
    S3BucketNotificationLambdaFunction,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA


class GoodStack(TerraformStack):
    def __init__(self, scope, id, api, resource, bucket, fn):
        super().__init__(scope, id)
        S3Backend(self, bucket="states", key="good.tfstate", region="us-east-1")
        S3BucketVersioningA(self, "versioning", bucket=bucket.id,
                            versioning_configuration={"status": "Enabled"})
        integration = ApiGatewayIntegration(self, "integration", rest_api_id=api.id, resource_id=resource.id,
                                            http_method="GET", type="MOCK")
        ApiGatewayDeployment(self, "deployment", rest_api_id=api.id, depends_on=[integration])
        permission = LambdaPermission(self, "allow-s3", action="lambda:InvokeFunction",
                                      function_name=fn.function_name, principal="s3.amazonaws.com",
                                      source_arn=bucket.arn)
        S3BucketNotification(self, "notify", bucket=bucket.id, depends_on=[permission],
                             lambda_function=[S3BucketNotificationLambdaFunction(lambda_function_arn=fn.arn,
                                                                                 events=["s3:ObjectCreated:*"])])
        S3BucketLifecycleConfiguration(self, "lifecycle", bucket=bucket.id, rule=[
            S3BucketLifecycleConfigurationRule(id="tmp", status="Enabled", filter=[{"prefix": "tmp/"}],
                                               expiration=[{"days": 1}]),
        ])
