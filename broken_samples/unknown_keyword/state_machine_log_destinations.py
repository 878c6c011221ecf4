"""A state machine whose logging is written in the Step Functions API's shape: a list of destinations, each a
CloudWatch Logs group by its ARN, where the provider takes the one log group ARN flat."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sfn_state_machine import SfnStateMachine


class WorkflowStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")
        logs = CloudwatchLogGroup(self, "workflow-logs", name="/aws/vendedlogs/states/orders", retention_in_days=14)
        SfnStateMachine(
            self,
            "orders",
            name="orders-workflow",
            role_arn="arn:aws:iam::123456789012:role/orders-workflow",
            definition='{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}',
            logging_configuration={
                "level": "ERROR",
                "include_execution_data": True,
                "destinations": [{
                    "cloudwatch_logs_log_group": {
                        "log_group_arn": f"{logs.arn}:*"
                    }
                }]
            },
        )
