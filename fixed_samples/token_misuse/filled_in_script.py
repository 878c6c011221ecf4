"""A worker's boot script with double quotes in it, filled in with the stack's stage and a bucket's name (a token)
before Terraform encodes it."""
from constructs import Construct
from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class ReportWorkerStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = "staging"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-2")
        reports = S3Bucket(self, "reports", bucket_prefix="reports-")
        boot = """#!/bin/bash
echo "STAGE=@STAGE@" >> /etc/environment
aws s3 cp "s3://@BUCKET@/worker.tar.gz" /opt/worker.tar.gz
"""
        LaunchTemplate(
            self, "worker",
            name_prefix=f"report-worker-{stage}-",
            image_id="ami-0a9b8c7d6e5f40312",
            instance_type="t3.small",
            user_data=Fn.base64encode(Fn.replace(Fn.replace(Fn.raw_string(boot), "@STAGE@", stage), "@BUCKET@", reports.bucket)),
        )
