"""A build project whose environment variables are a map of names to values, and a listener rule whose query
string condition is a map of keys to values."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.codebuild_project import CodebuildProject
from cdktf_cdktf_provider_aws.lb_listener_rule import LbListenerRule, LbListenerRuleAction, LbListenerRuleCondition


class BuildAndRouteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        CodebuildProject(
            self,
            "build",
            name="storefront-build",
            service_role="arn:aws:iam::123456789012:role/codebuild",
            artifacts={"type": "NO_ARTIFACTS"},
            source={"type": "GITHUB", "location": "https://github.com/acme/storefront.git"},
            environment={
                "compute_type": "BUILD_GENERAL1_SMALL",
                "image": "aws/codebuild/standard:7.0",
                "type": "LINUX_CONTAINER",
                "environment_variable": [{"name": "STAGE", "value": "prod"}, {"name": "TIER", "value": "web"}],
            },
        )
        LbListenerRule(
            self,
            "v2-route",
            listener_arn="arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/web/1/2",
            priority=10,
            action=[LbListenerRuleAction(type="forward",
                     target_group_arn="arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/v2/3")],
            condition=[LbListenerRuleCondition(query_string=[{"key": "version", "value": "v2"}])],
        )
