"""Sensor readings in Timestream, written by a role whose policy comes from the IAM policy document data source.
The model names the data source without jsii's `DataAws` prefix and splits `timestreamwrite` into two words."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.timestreamwrite_database import TimestreamwriteDatabase
from cdktf_cdktf_provider_aws.timestreamwrite_table import (
    TimestreamwriteTable,
    TimestreamwriteTableRetentionProperties,
)


class SensorStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        database = TimestreamwriteDatabase(self, "sensors", database_name="sensors")
        table = TimestreamwriteTable(
            self,
            "readings",
            database_name=database.database_name,
            table_name="readings",
            retention_properties=TimestreamwriteTableRetentionProperties(
                memory_store_retention_period_in_hours=24,
                magnetic_store_retention_period_in_days=365,
            ),
        )
        writer = DataAwsIamPolicyDocument(
            self,
            "writer",
            statement=[DataAwsIamPolicyDocumentStatement(actions=["timestream:WriteRecords"], resources=[table.arn])],
        )
        IamRolePolicy(self, "writer-policy", role="sensor-ingest", policy=writer.json)
