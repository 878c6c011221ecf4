"""A delivery stream's buffering and a database's name, in their names from before the 5.0 provider."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.kinesis_firehose_delivery_stream import (
    KinesisFirehoseDeliveryStream,
    KinesisFirehoseDeliveryStreamExtendedS3Configuration,
)


class IngestStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        KinesisFirehoseDeliveryStream(
            self,
            "events",
            name="events",
            destination="extended_s3",
            extended_s3_configuration=KinesisFirehoseDeliveryStreamExtendedS3Configuration(
                role_arn="arn:aws:iam::123456789012:role/firehose",
                bucket_arn="arn:aws:s3:::events-archive",
                buffering_size=64,
                buffering_interval=60,
            ),
        )
        DbInstance(
            self,
            "orders-db",
            identifier="orders",
            db_name="orders",
            engine="postgres",
            instance_class="db.t3.micro",
            allocated_storage=20,
            username="orders_admin",
            manage_master_user_password=True,
        )
