"""A bucket that CloudFront's service may read, for this account's distributions only."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity


class SiteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")

        site = S3Bucket(self, "site", bucket_prefix="static-site-")
        caller_identity = DataAwsCallerIdentity(self, "caller_identity")
        S3BucketPolicy(
            self,
            "site_policy",
            bucket=site.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": f"{site.arn}/*",
                    "Condition": {"StringEquals": {
                        "aws:SourceAccount": caller_identity.account_id}},
                }],
            }),
        )
