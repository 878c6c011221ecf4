"""A stack that grants its reader role access to two buckets before it creates them, through a second helper."""
import json

from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class AnalyticsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")

        self.reader_role = IamRole(
            self,
            "reader",
            name="analytics-reader",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "glue.amazonaws.com"}}],
            }),
        )
        # Raw events
        self.events_bucket = S3Bucket(self, "events", bucket="analytics-events-euw1")
        # Query results
        self.results_bucket = S3Bucket(self, "results", bucket="analytics-results-euw1")
        self._attach_read_policy()  # the reader may list and get both buckets

        TerraformOutput(self, "reader_role_arn", value=self.reader_role.arn)

    def _attach_read_policy(self):
        IamRolePolicy(
            self,
            "read-buckets",
            role=self.reader_role.id,
            policy=Fn.jsonencode({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                               "Resource": self._bucket_arns()}],
            }),
        )

    def _bucket_arns(self):
        arns = []
        for bucket in (self.events_bucket, self.results_bucket):
            arns += [bucket.arn, f"{bucket.arn}/*"]
        return arns
