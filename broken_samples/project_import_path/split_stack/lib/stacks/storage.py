from constructs import Construct
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class StorageConstruct(Construct):
    def __init__(self, scope: Construct, id: str, environment_suffix: str):
        super().__init__(scope, id)
        self.bucket = S3Bucket(self, "bucket", bucket_prefix=f"orders-{environment_suffix}-")
