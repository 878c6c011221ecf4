"""A report pipeline whose outputs read each resource by the name of its identifier in the AWS APIs."""
import json

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue


class ReportPipelineStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        reports = S3Bucket(self, "reports", bucket="acme-monthly-reports")
        queue = SqsQueue(self, "jobs", name="report-jobs", visibility_timeout_seconds=300)
        role = IamRole(
            self,
            "worker",
            name="report-worker",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "lambda.amazonaws.com"}}],
            }),
        )
        TerraformOutput(self, "reports_uri", value=f"s3://{reports.bucket}/monthly/")
        TerraformOutput(self, "jobs_queue_url", value=queue.url)
        TerraformOutput(self, "worker_role_arn", value=role.arn)
