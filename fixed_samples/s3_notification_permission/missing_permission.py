from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_notification import (
    S3BucketNotification,
    S3BucketNotificationLambdaFunction,
)
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission


class ReportsStack(TerraformStack):
    def __init__(self, scope, id, report_builder):
        super().__init__(scope, id)
        reports = S3Bucket(self, 'reports', bucket_prefix='reports-')

        # Build a report when a CSV lands
        report_builder_s3_permission = LambdaPermission(
            self,
            'reports-notification-report-builder-s3-permission',
            action='lambda:InvokeFunction',
            function_name=report_builder.function_name,
            principal='s3.amazonaws.com',
            source_arn=reports.arn,
        )
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
            depends_on=[report_builder_s3_permission],
        )
