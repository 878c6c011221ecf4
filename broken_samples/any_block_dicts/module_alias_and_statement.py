"""Block bad bots on the login path: an and_statement holding a list of statements, reached through a module alias."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
import cdktf_cdktf_provider_aws.wafv2_web_acl as waf


class LoginGuardStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        waf.Wafv2WebAcl(self, "login-guard",
                        name="login-guard",
                        scope="REGIONAL",
                        default_action=waf.Wafv2WebAclDefaultAction(allow={}),
                        rule=[waf.Wafv2WebAclRule(
                            name="bad-bots-on-login",
                            priority=1,
                            action=waf.Wafv2WebAclRuleAction(block={}),
                            statement=waf.Wafv2WebAclRuleStatement(and_statement=waf.Wafv2WebAclRuleStatementAndStatement(
                                statement=[
                                    waf.Wafv2WebAclRuleStatement(byte_match_statement=waf.Wafv2WebAclRuleStatementByteMatchStatement(
                                        search_string="/login",
                                        positional_constraint="STARTS_WITH",
                                        field_to_match={"uri_path": {}},
                                        text_transformation=[{"priority": 0, "type": "NONE"}],
                                    )),
                                    waf.Wafv2WebAclRuleStatement(label_match_statement=waf.Wafv2WebAclRuleStatementLabelMatchStatement(
                                        scope="LABEL", key="awswaf:managed:aws:bot-control:bot:category:http_library")),
                                ],
                            )),
                            visibility_config=waf.Wafv2WebAclRuleVisibilityConfig(cloudwatch_metrics_enabled=False,
                                                                                  metric_name="bad-bots",
                                                                                  sampled_requests_enabled=False),
                        )],
                        visibility_config=waf.Wafv2WebAclVisibilityConfig(cloudwatch_metrics_enabled=False,
                                                                          metric_name="login-guard",
                                                                          sampled_requests_enabled=False))
