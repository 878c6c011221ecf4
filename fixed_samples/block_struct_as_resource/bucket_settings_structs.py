"""An audit log bucket whose versioning and access logging are the S3 bucket's inline block structs, called like the
standalone resources of the same names."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, S3BucketLogging, S3BucketVersioning
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA


class AuditLogStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        access_logs = S3Bucket(self, "access-logs", bucket="acme-audit-access-logs")
        audit = S3Bucket(self, "audit", bucket="acme-audit-trail")
        S3BucketVersioningA(
            self,
            "audit-versioning",
            bucket=audit.id,
            versioning_configuration={"status": "Enabled", "mfa_delete": "Disabled"},
        )
        S3BucketLoggingA(
            self,
            "audit-logging",
            bucket=audit.id,
            target_bucket=access_logs.id,
            target_prefix="audit/",
        )
