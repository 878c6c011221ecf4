"""A release pipeline whose stages are keyed by their name, the way the console lists them."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.codepipeline import Codepipeline, CodepipelineStageAction


class ReleasePipelineStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-2")
        Codepipeline(
            self,
            "release",
            name="storefront-release",
            role_arn="arn:aws:iam::123456789012:role/pipeline",
            artifact_store=[{"location": "acme-pipeline-artifacts", "type": "S3"}],
            stage=[
                {
                    "action": [CodepipelineStageAction(
                        name="Checkout",
                        category="Source",
                        owner="AWS",
                        provider="CodeStarSourceConnection",
                        version="1",
                        output_artifacts=["source"],
                        configuration={"FullRepositoryId": "acme/storefront", "BranchName": "main",
                                          "ConnectionArn": "arn:aws:codeconnections:eu-west-2:123456789012:connection/1"},
                    )],
                    "name": "Source",
                },
                {
                    "action": [CodepipelineStageAction(
                        name="Build",
                        category="Build",
                        owner="AWS",
                        provider="CodeBuild",
                        version="1",
                        input_artifacts=["source"],
                        configuration={"ProjectName": "storefront-build"},
                    )],
                    "name": "Build",
                },
            ],
        )
