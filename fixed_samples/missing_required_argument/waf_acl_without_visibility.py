"""A regional web ACL in front of an API: the answer gives its rules a visibility config, the ACL none."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclRule,
    Wafv2WebAclRuleVisibilityConfig,
)


class EdgeStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")

        Wafv2WebAcl(
            self,
            "api_acl",
            name="orders-api-acl",
            scope="REGIONAL",
            default_action={"allow": {}},
            rule=[
                Wafv2WebAclRule(
                    name="rate-limit",
                    priority=1,
                    action={"block": {}},
                    statement={"rate_based_statement": {"limit": 2000, "aggregate_key_type": "IP"}},
                    visibility_config=Wafv2WebAclRuleVisibilityConfig(
                        cloudwatch_metrics_enabled=True,
                        metric_name="rate-limit",
                        sampled_requests_enabled=True,
                    ),
                )
            ],
        )
