"""Audit log bucket, encrypted with its own key. The encryption resource is named with words left out and given
the shape of the block the provider once had inside the bucket; the flow log is named after the VPC it watches."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import S3BucketServerSideEncryptionConfigurationA, S3BucketServerSideEncryptionConfigurationRuleA
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.flow_log import FlowLog


class AuditLogStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-southeast-2")
        key = KmsKey(self, "audit-key", description="audit log encryption", enable_key_rotation=True)
        KmsAlias(self, "audit-key-alias", name="alias/audit-logs", target_key_id=key.key_id)
        logs = S3Bucket(self, "audit-logs", bucket_prefix="audit-logs-")
        S3BucketServerSideEncryptionConfigurationA(
            self, "audit-logs-encryption",
            bucket=logs.id,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default={
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": key.arn,
                    },
                    bucket_key_enabled=True,
                )],
        )
        network = Vpc(self, "network", cidr_block="10.20.0.0/16")
        FlowLog(
            self, "network-flow-log",
            vpc_id=network.id,
            traffic_type="REJECT",
            log_destination_type="s3",
            log_destination=logs.arn,
        )
