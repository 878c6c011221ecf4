"""An audit table and its archive bucket, every class read through the package alias (`aws.S3Bucket`) or a
namespace under it (`aws.dynamodb.DynamodbTable`)."""
import cdktf_cdktf_provider_aws as aws
from constructs import Construct
from cdktf import TerraformStack


class AuditStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        aws.AwsProvider(self, "aws", region="ap-southeast-2")
        aws.dynamodb.DynamodbTable(
            self,
            "audit",
            name="audit-events",
            billing_mode="PAY_PER_REQUEST",
            hash_key="event_id",
            attribute=[aws.dynamodb_table.DynamodbTableAttribute(name="event_id", type="S")],
        )
        archive = aws.S3Bucket(self, "archive", bucket="acme-audit-archive")
        aws.S3BucketVersioning(
            self,
            "archive-versioning",
            bucket=archive.id,
            versioning_configuration=aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration(
                status="Enabled"),
        )
