from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.s3_bucket_notification import (
    S3BucketNotification,
    S3BucketNotificationLambdaFunction,
)


class UploadsStack(TerraformStack):
    def __init__(self, scope, id, bucket, thumbnailer):
        super().__init__(scope, id)

        LambdaPermission(
            self,
            "AllowS3InvokeThumbnailer",
            statement_id="AllowExecutionFromS3",
            action="lambda:InvokeFunction",
            function_name=thumbnailer.function_name,
            principal="s3.amazonaws.com",
            source_arn=bucket.arn,
        )

        S3BucketNotification(
            self,
            "uploads-notification",
            bucket=bucket.id,
            lambda_function=[
                S3BucketNotificationLambdaFunction(
                    lambda_function_arn=thumbnailer.arn,
                    events=["s3:ObjectCreated:*"],
                )
            ],
        )
