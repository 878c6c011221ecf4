"""A network firewall across the private subnets, and the web ports it lets through: blocks built in comprehensions,
one of them held by a variable, one chosen by a conditional expression."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.networkfirewall_firewall import NetworkfirewallFirewall
from cdktf_cdktf_provider_aws.networkfirewall_firewall_policy import (
    NetworkfirewallFirewallPolicy,
    NetworkfirewallFirewallPolicyFirewallPolicy,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc

WEB_PORTS = [80, 443]


class InspectionStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, restrict_egress: bool = True):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16")
        subnets = [Subnet(self, f"private-{n}", vpc_id=vpc.id, cidr_block=f"10.0.{n}.0/24") for n in range(2)]
        policy = NetworkfirewallFirewallPolicy(
            self,
            "policy",
            name="inspection",
            firewall_policy=NetworkfirewallFirewallPolicyFirewallPolicy(
                stateless_default_actions=["aws:forward_to_sfe"],
                stateless_fragment_default_actions=["aws:forward_to_sfe"],
            ),
        )
        NetworkfirewallFirewall(
            self,
            "firewall",
            name="inspection",
            firewall_policy_arn=policy.arn,
            vpc_id=vpc.id,
            subnet_mapping=[{"subnet_id": subnet.id} for subnet in subnets],
        )
        web_ingress = [
            {"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}
            for port in WEB_PORTS
        ]
        SecurityGroup(
            self,
            "web",
            vpc_id=vpc.id,
            ingress=web_ingress,
            egress=[{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]
            if restrict_egress
            else [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}],
        )
