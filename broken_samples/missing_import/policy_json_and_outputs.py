"""A read-only bucket policy: `json`, `TerraformOutput` and `Fn` are used but never imported."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy


class ReportsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        bucket = S3Bucket(self, "reports", bucket="acme-reports")
        S3BucketPolicy(
            self,
            "reports-policy",
            bucket=bucket.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "s3:GetObject",
                    "Resource": f"{bucket.arn}/*",
                }],
            }),
        )
        TerraformOutput(self, "reports-url", value=Fn.join("", ["s3://", bucket.bucket]))
