"""Serverless product review system: DynamoDB reviews table, S3 image bucket, Lambda processor, REST API."""

import os

from cdktf import AssetType, S3Backend, TerraformAsset, TerraformOutput, TerraformStack
from constructs import Construct
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction, LambdaFunctionEnvironment
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleTransition,
)
from cdktf_cdktf_provider_aws.s3_bucket_notification import (
    S3BucketNotification,
    S3BucketNotificationLambdaFunction,
)
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfiguration as BucketEncryption,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)

LAMBDA_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda", "review_processor")


class TapStack(TerraformStack):
    """Product reviews: POST /reviews stores a review, GET /reviews lists a product's reviews, and images
    uploaded to the bucket are attached to their review by the same processor function."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        environment_suffix: str = "dev",
        state_bucket: str = "review-system-tf-states",
        state_bucket_region: str = "us-east-1",
        aws_region: str = "us-east-1",
    ):
        super().__init__(scope, construct_id)

        AwsProvider(self, "aws", region=aws_region)

        # Remote state in S3
        S3Backend(
            self,
            bucket=state_bucket,
            key=f"review-system/{environment_suffix}/terraform.tfstate",
            region=state_bucket_region,
            encrypt=True,
        )
        # Enable S3-native state locking
        self.add_override("terraform.backend.s3.use_lockfile", True)

        # ---------------- DynamoDB: reviews by product ----------------
        reviews_table = DynamodbTable(
            self,
            "reviews-table",
            name=f"product-reviews-{environment_suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="product_id",
            range_key="review_id",
            attribute=[
                DynamodbTableAttribute(name="product_id", type="S"),
                DynamodbTableAttribute(name="review_id", type="S"),
            ],
            point_in_time_recovery={"enabled": True},
        )

        # ---------------- S3: review images ----------------
        images_bucket = S3Bucket(
            self,
            "review-images",
            bucket=f"product-review-images-{environment_suffix}",
            force_destroy=True,
        )

        S3BucketPublicAccessBlock(
            self,
            "review-images-public-access",
            bucket=images_bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )

        BucketEncryption(
            self,
            "review-images-encryption",
            bucket=images_bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default=(
                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                            sse_algorithm="AES256"
                        )
                    ),
                )
            ],
        )

        # Move old images to cheaper storage, then expire them
        S3BucketLifecycleConfiguration(
            self,
            "review-images-lifecycle",
            bucket=images_bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="archive-old-images",
                    status="Enabled",
                    transition=[
                        S3BucketLifecycleConfigurationRuleTransition(days=90, storage_class="STANDARD_IA"),
                    ],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=365)],
                )
            ],
        )

        # ---------------- Lambda: review processor ----------------
        lambda_role = IamRole(
            self,
            "review-processor-role",
            name=f"review-processor-role-{environment_suffix}",
            assume_role_policy="""{
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"
                }]
            }""",
        )

        IamRolePolicy(
            self,
            "review-processor-policy",
            role=lambda_role.id,
            policy=f"""{{
                "Version": "2012-10-17",
                "Statement": [
                    {{
                        "Effect": "Allow",
                        "Action": ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                        "Resource": "{reviews_table.arn}"
                    }},
                    {{
                        "Effect": "Allow",
                        "Action": ["s3:GetObject"],
                        "Resource": "{images_bucket.arn}/*"
                    }},
                    {{
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": "arn:aws:logs:*:*:*"
                    }}
                ]
            }}""",
        )

        processor_code = TerraformAsset(self, "review-processor-code", path=LAMBDA_SOURCE, type=AssetType.ARCHIVE)

        processor = LambdaFunction(
            self,
            "review-processor",
            function_name=f"review-processor-{environment_suffix}",
            role=lambda_role.arn,
            handler="index.handler",
            runtime="python3.12",
            filename=processor_code.path,
            source_code_hash=processor_code.asset_hash,
            timeout=30,
            environment=LambdaFunctionEnvironment(variables={"REVIEWS_TABLE": reviews_table.name}),
        )

        # Let S3 invoke the processor for new images
        s3_invoke_permission = LambdaPermission(
            self,
            "review-images-invoke",
            action="lambda:InvokeFunction",
            function_name=processor.function_name,
            principal="s3.amazonaws.com",
            source_arn=images_bucket.arn,
        )

        S3BucketNotification(
            self,
            "review-images-notification",
            bucket=images_bucket.id,
            lambda_function=[
                S3BucketNotificationLambdaFunction(
                    lambda_function_arn=processor.arn,
                    events=["s3:ObjectCreated:*"],
                    filter_prefix="images/",
                )
            ],
        )

        # ---------------- API Gateway: POST/GET /reviews ----------------
        api = ApiGatewayRestApi(
            self,
            "reviews-api",
            name=f"product-reviews-api-{environment_suffix}",
            description="Product review API",
        )

        reviews_resource = ApiGatewayResource(
            self,
            "reviews-resource",
            rest_api_id=api.id,
            parent_id=api.root_resource_id,
            path_part="reviews",
        )

        post_method = ApiGatewayMethod(
            self,
            "post-review-method",
            rest_api_id=api.id,
            resource_id=reviews_resource.id,
            http_method="POST",
            authorization="NONE",
        )

        post_integration = ApiGatewayIntegration(
            self,
            "post-review-integration",
            rest_api_id=api.id,
            resource_id=reviews_resource.id,
            http_method=post_method.http_method,
            integration_http_method="POST",
            type="AWS_PROXY",
            uri=processor.invoke_arn,
        )

        get_method = ApiGatewayMethod(
            self,
            "get-reviews-method",
            rest_api_id=api.id,
            resource_id=reviews_resource.id,
            http_method="GET",
            authorization="NONE",
        )

        get_integration = ApiGatewayIntegration(
            self,
            "get-reviews-integration",
            rest_api_id=api.id,
            resource_id=reviews_resource.id,
            http_method=get_method.http_method,
            integration_http_method="POST",
            type="AWS_PROXY",
            uri=processor.invoke_arn,
        )

        LambdaPermission(
            self,
            "reviews-api-invoke",
            action="lambda:InvokeFunction",
            function_name=processor.function_name,
            principal="apigateway.amazonaws.com",
            source_arn=f"{api.execution_arn}/*/*",
        )

        deployment = ApiGatewayDeployment(
            self,
            "reviews-api-deployment",
            rest_api_id=api.id,
            depends_on=[post_method, get_method],
            lifecycle={"create_before_destroy": True},
        )

        stage = ApiGatewayStage(
            self,
            "reviews-api-stage",
            rest_api_id=api.id,
            deployment_id=deployment.id,
            stage_name=environment_suffix,
        )

        TerraformOutput(self, "api_url", value=f"{stage.invoke_url}/reviews")
        TerraformOutput(self, "reviews_table_name", value=reviews_table.name)
        TerraformOutput(self, "images_bucket_name", value=images_bucket.bucket)
