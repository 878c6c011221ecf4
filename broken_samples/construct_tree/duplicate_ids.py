"""Two log buckets and their outputs, the second of each copied from the first with its id unchanged."""
from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class LogStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        access_logs = S3Bucket(self, "log_bucket", bucket="shop-access-logs")
        TerraformOutput(self, "log_bucket_arn", value=access_logs.arn)

        # Audit trail
        audit_logs = S3Bucket(self, "log_bucket", bucket="shop-audit-logs")
        TerraformOutput(self, "log_bucket_arn", value=audit_logs.arn)
