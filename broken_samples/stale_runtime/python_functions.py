"""An image pipeline whose functions were written for Python 3.7 and 3.8, both deprecated Lambda runtimes."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider

ARTIFACTS = "acme-build-artifacts"  # the CI build uploads each handler here
ROLE_ARN = "arn:aws:iam::123456789012:role/image-pipeline"


class ImagePipelineStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")

        LambdaFunction(self, "resize", function_name="image-resize", role=ROLE_ARN,
                       handler="resize.handler", runtime="python3.8", s3_bucket=ARTIFACTS, s3_key="images/resize.zip")
        LambdaFunction(self, "tagger", function_name="image-tagger", role=ROLE_ARN,
                       handler="tagger.handler", runtime='python3.7', s3_bucket=ARTIFACTS, s3_key="images/tagger.zip")
        # Already current: left as it is.
        LambdaFunction(self, "indexer", function_name="image-indexer", role=ROLE_ARN,
                       handler="indexer.handler", runtime="python3.12", s3_bucket=ARTIFACTS,
                       s3_key="images/indexer.zip")
