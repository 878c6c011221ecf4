"""An order workflow: the Step Functions definition is written as JSON inside a Python dict."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sfn_state_machine import SfnStateMachine


class OrderWorkflowStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        definition = {
            "StartAt": "CheckApproval",
            "States": {
                "CheckApproval": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.approved", "BooleanEquals": True, "Next": "Approved"},
                    ],
                    "Default": "Rejected",
                },
                "Approved": {"Type": "Pass", "Result": {"reason": None}, "End": True},
                "Rejected": {"Type": "Fail", "Error": "OrderRejected"},
            },
        }
        SfnStateMachine(
            self,
            "order-workflow",
            name="order-workflow",
            role_arn="arn:aws:iam::123456789012:role/order-workflow",
            definition=json.dumps(definition),
        )
