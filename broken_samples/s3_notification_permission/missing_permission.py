from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_notification import (
    S3BucketNotification,
    S3BucketNotificationLambdaFunction,
)


class ReportsStack(TerraformStack):
    def __init__(self, scope, id, report_builder):
        super().__init__(scope, id)
        reports = S3Bucket(self, 'reports', bucket_prefix='reports-')

        # Build a report when a CSV lands
        S3BucketNotification(
            self,
            'reports-notification',
            bucket=reports.id,
            lambda_function=[
                S3BucketNotificationLambdaFunction(
                    lambda_function_arn=report_builder.arn,
                    events=['s3:ObjectCreated:*'],
                    filter_suffix='.csv',
                )
            ],
        )
