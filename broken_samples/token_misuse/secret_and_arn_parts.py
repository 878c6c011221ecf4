"""A reporting database whose credentials come from a secret's JSON, an alarm on the load balancer in front of it
(a construct of its own, given the balancer's ARN), and the VPN the office reaches it through."""
from constructs import Construct
from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret_version import DataAwsSecretsmanagerSecretVersion
from cdktf_cdktf_provider_aws.data_aws_vpn_connection import DataAwsVpnConnection
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.provider import AwsProvider


class BalancerAlarms(Construct):
    def __init__(self, scope: Construct, id: str, balancer_arn: str):
        super().__init__(scope, id)
        CloudwatchMetricAlarm(
            self,
            "errors",
            alarm_name="reporting-5xx",
            namespace="AWS/ApplicationELB",
            metric_name="HTTPCode_ELB_5XX_Count",
            statistic="Sum",
            period=60,
            evaluation_periods=5,
            threshold=10,
            comparison_operator="GreaterThanThreshold",
            dimensions={"LoadBalancer": balancer_arn.split(":loadbalancer/")[1]},
        )


class ReportingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        credentials = DataAwsSecretsmanagerSecretVersion(self, "credentials", secret_id="reporting/db")
        DbInstance(
            self,
            "reports",
            identifier="reporting",
            engine="postgres",
            instance_class="db.t4g.micro",
            allocated_storage=20,
            username=Fn.jsondecode(credentials.secret_string)["username"],
            password=Fn.jsondecode(credentials.secret_string).get("password"),
            skip_final_snapshot=True,
        )
        balancer = Lb(self, "front", name="reporting-front", internal=True, subnets=["subnet-0aa1", "subnet-0bb2"])
        BalancerAlarms(self, "front-alarms", balancer_arn=balancer.arn)
        office = DataAwsVpnConnection(self, "office", vpn_connection_id="vpn-0c0ffee0c0ffee000")
        TerraformOutput(self, "office_vpn", value=office.id)
