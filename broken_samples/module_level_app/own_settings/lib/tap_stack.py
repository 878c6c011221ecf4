"""Alert topic; the module ends with the program the answer ran it with, under its own settings."""
from cdktf import App as CdktfApp
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from constructs import Construct

DEFAULT_REGION = "us-west-2"


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str = "dev",
                 aws_region: str = DEFAULT_REGION):
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region=aws_region)
        SnsTopic(self, "alerts", name=f"alerts-{environment_suffix}")


app = CdktfApp()
TapStack(app, "TapStackpr77", environment_suffix="sandbox")
app.synth()  # cdktf synth
print("synthesized")
