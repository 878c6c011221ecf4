"""A check of the stack's bucket names, written as a subclass of constructs' IValidation read through the module,
registered with the stack's node."""
import constructs
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
import jsii


@jsii.implements(constructs.IValidation)
class LowercaseBucketNames:
    def __init__(self, names):
        self.names = names

    def validate(self):
        return [f"bucket name {name} has capitals" for name in self.names if name != name.lower()]


class ArchiveStack(TerraformStack):
    def __init__(self, scope: constructs.Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ca-central-1")
        names = ["archive-documents-2024", "archive-scans-2024"]
        for name in names:
            S3Bucket(self, name, bucket=name)
        self.node.add_validation(LowercaseBucketNames(names))
