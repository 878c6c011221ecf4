from cdktf import TerraformStack


class CrlfStack(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        self.add_override("terraform.backend.s3.encrypt", True)
