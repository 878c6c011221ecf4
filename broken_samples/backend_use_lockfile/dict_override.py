from cdktf import TerraformStack


class StateStack(TerraformStack):
    def __init__(self, scope, id, bucket):
        super().__init__(scope, id)
        self.add_override("terraform.backend.s3", {
            "bucket": bucket,
            "key": "state/terraform.tfstate",
            "use_lockfile": True,
        })
        if bucket.endswith("-locked"):
            self.add_override("terraform.backend.s3", {"use_lockfile": True})
