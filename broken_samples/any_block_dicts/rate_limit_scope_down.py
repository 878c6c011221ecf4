"""A rate limit that applies only to requests from some countries: statements nested three deep."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl, Wafv2WebAclDefaultAction, Wafv2WebAclRule, Wafv2WebAclRuleAction, Wafv2WebAclRuleStatement, Wafv2WebAclRuleStatementRateBasedStatement, Wafv2WebAclRuleStatementRateBasedStatementScopeDownStatement, Wafv2WebAclRuleStatementRateBasedStatementScopeDownStatementGeoMatchStatement, Wafv2WebAclRuleVisibilityConfig, Wafv2WebAclVisibilityConfig


class ApiShieldStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        Wafv2WebAcl(self, "api-acl",
            name="api-acl",
            scope="REGIONAL",
            default_action=Wafv2WebAclDefaultAction(allow={}),
            rule=[Wafv2WebAclRule(
                name="limit-foreign",
                priority=1,
                action=Wafv2WebAclRuleAction(block={}),
                statement=Wafv2WebAclRuleStatement(rate_based_statement=Wafv2WebAclRuleStatementRateBasedStatement(
                    limit=500,
                    aggregate_key_type="IP",
                    scope_down_statement=Wafv2WebAclRuleStatementRateBasedStatementScopeDownStatement(
                        geo_match_statement=Wafv2WebAclRuleStatementRateBasedStatementScopeDownStatementGeoMatchStatement(
                            country_codes=["BR", "IN"])))),
                visibility_config=Wafv2WebAclRuleVisibilityConfig(cloudwatch_metrics_enabled=False,
                                                                  metric_name="limit-foreign",
                                                                  sampled_requests_enabled=False),
            )],
            visibility_config=Wafv2WebAclVisibilityConfig(cloudwatch_metrics_enabled=False, metric_name="api-acl",
                                                          sampled_requests_enabled=False))
