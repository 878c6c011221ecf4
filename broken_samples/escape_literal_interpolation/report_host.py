"""A report host whose boot script reads its settings from shell variables."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.instance import Instance
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class ReportHostStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = "qa"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-southeast-2")
        reports = S3Bucket(self, "reports", bucket=f"nightly-reports-{stage}")

        boot_script = f"""#!/bin/bash
REPORT_STAGE="${{STAGE:-{stage}}}"
aws s3 sync /var/reports "s3://{reports.bucket}/${{REPORT_STAGE}}/"
"""
        Instance(
            self,
            "report-host",
            ami="ami-0b1e2c3d4f5a6b7c8",
            instance_type="t3.small",
            user_data=boot_script,
            tags={"Name": f"report-host-{stage}", "Schedule": "cron(0 2 * * ? *)"},
        )
