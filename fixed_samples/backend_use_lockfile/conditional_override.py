import os

from cdktf import TerraformStack


class LockedStack(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        if os.environ.get("TF_LOCKING", "1") == "1":
            pass
        self.add_override("terraform.backend.s3.encrypt", True)
