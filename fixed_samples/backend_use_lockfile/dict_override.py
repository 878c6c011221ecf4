from cdktf import TerraformStack


class StateStack(TerraformStack):
    def __init__(self, scope, id, bucket):
        super().__init__(scope, id)
        self.add_override("terraform.backend.s3", {
            "bucket": bucket,
            "key": "state/terraform.tfstate",
        })
        if bucket.endswith("-locked"):
            pass
