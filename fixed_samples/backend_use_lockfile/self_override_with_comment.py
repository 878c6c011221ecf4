from cdktf import S3Backend, TerraformStack
from constructs import Construct


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, state_bucket: str, region: str):
        super().__init__(scope, construct_id)

        # Configure S3 Backend with native state locking
        S3Backend(
            self,
            bucket=state_bucket,
            key=f"{construct_id}/terraform.tfstate",
            region=region,
            encrypt=True,
        )

        # Resources follow
        self.region = region
