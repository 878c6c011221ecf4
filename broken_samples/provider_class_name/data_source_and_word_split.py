"""Sensor readings in Timestream, written by a role whose policy comes from the IAM policy document data source.
The model names the data source without jsii's `DataAws` prefix and splits `timestreamwrite` into two words."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.iam_policy_document import IamPolicyDocument, IamPolicyDocumentStatement
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.timestream_write_database import TimestreamWriteDatabase
from cdktf_cdktf_provider_aws.timestream_write_table import (
    TimestreamWriteTable,
    TimestreamWriteTableRetentionProperties,
)


class SensorStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        database = TimestreamWriteDatabase(self, "sensors", database_name="sensors")
        table = TimestreamWriteTable(
            self,
            "readings",
            database_name=database.database_name,
            table_name="readings",
            retention_properties=TimestreamWriteTableRetentionProperties(
                memory_store_retention_period_in_hours=24,
                magnetic_store_retention_period_in_days=365,
            ),
        )
        writer = IamPolicyDocument(
            self,
            "writer",
            statement=[IamPolicyDocumentStatement(actions=["timestream:WriteRecords"], resources=[table.arn])],
        )
        IamRolePolicy(self, "writer-policy", role="sensor-ingest", policy=writer.json)
