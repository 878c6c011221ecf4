"""A regional web ACL built from AWS managed rule groups: each rule's statement written as invented structs."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclRule,
    Wafv2WebAclRuleOverrideAction,
    Wafv2WebAclRuleStatement,
    Wafv2WebAclRuleStatementManagedRuleGroupStatement,
    Wafv2WebAclRuleVisibilityConfig,
    Wafv2WebAclVisibilityConfig,
)


def managed_rule(name: str, priority: int) -> Wafv2WebAclRule:
    return Wafv2WebAclRule(
        name=name,
        priority=priority,
        override_action=Wafv2WebAclRuleOverrideAction(none={}),
        # The whole rule group, as AWS publishes it
        statement=Wafv2WebAclRuleStatement(
            managed_rule_group_statement=Wafv2WebAclRuleStatementManagedRuleGroupStatement(
                name=name,
                vendor_name="AWS",
            )
        ),
        visibility_config=Wafv2WebAclRuleVisibilityConfig(
            cloudwatch_metrics_enabled=True,
            metric_name=f"{name}Metric",
            sampled_requests_enabled=True,
        ),
    )


class EdgeStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Wafv2WebAcl(
            self,
            "web-acl",
            name="shop-waf",
            scope="REGIONAL",
            default_action=Wafv2WebAclDefaultAction(allow={}),
            rule=[
                managed_rule("AWSManagedRulesCommonRuleSet", 1),
                managed_rule("AWSManagedRulesSQLiRuleSet", 2),
            ],
            visibility_config=Wafv2WebAclVisibilityConfig(
                cloudwatch_metrics_enabled=True,
                metric_name="shop-waf",
                sampled_requests_enabled=True,
            ),
        )
