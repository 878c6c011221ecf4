"""Versioning and a DynamoDB table through module aliases; the single blocks were wrapped in lists."""
from constructs import Construct
from cdktf import TerraformStack
import cdktf_cdktf_provider_aws.dynamodb_table as dynamodb
import cdktf_cdktf_provider_aws.s3_bucket_versioning as versioning
from cdktf_cdktf_provider_aws import provider, s3_bucket


class StateStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="us-west-2")
        bucket = s3_bucket.S3Bucket(self, "state", bucket_prefix="state-")
        versioning.S3BucketVersioningA(
            self,
            "state-versioning",
            bucket=bucket.id,
            versioning_configuration=[versioning.S3BucketVersioningVersioningConfiguration(status="Enabled")],
        )
        dynamodb.DynamodbTable(
            self,
            "locks",
            name="terraform-locks",
            billing_mode="PAY_PER_REQUEST",
            hash_key="LockID",
            attribute=dynamodb.DynamodbTableAttribute(name="LockID", type="S"),
            point_in_time_recovery=[{"enabled": True}],
        )
