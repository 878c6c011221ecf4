from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification, S3BucketNotificationLambdaFunction


class PipelineStack(TerraformStack):
    def __init__(self, scope, id, raw, curated, ingest_fn, index_fn):
        super().__init__(scope, id)
        self.ingest_fn = ingest_fn
        self.raw = raw
        # Permissions for each function, from its own bucket
        self.ingest_permission = LambdaPermission(self, "ingest-from-raw", action="lambda:InvokeFunction",
                                                  function_name=self.ingest_fn.function_name,
                                                  principal="s3.amazonaws.com", source_arn=raw.arn)
        index_api_permission = LambdaPermission(self, "index-from-api", action="lambda:InvokeFunction",
                                                function_name=index_fn.function_name,
                                                principal="apigateway.amazonaws.com")
        index_permission = LambdaPermission(self, "index-from-curated", action="lambda:InvokeFunction",
                                            function_name=index_fn.arn, principal="s3.amazonaws.com",
                                            source_arn=curated.arn)
        S3BucketNotification(self, "curated-events", bucket=curated.id, depends_on=[index_api_permission, index_permission],
                             lambda_function=[S3BucketNotificationLambdaFunction(lambda_function_arn=index_fn.arn,
                                               events=["s3:ObjectCreated:*"])])
        self._raw_notifications()

    def _raw_notifications(self):
        S3BucketNotification(self, "raw-events", bucket=self.raw.id,
                             lambda_function=[S3BucketNotificationLambdaFunction(lambda_function_arn=self.ingest_fn.arn,
                                               events=["s3:ObjectCreated:*"])],
                             depends_on=[self.ingest_permission])
