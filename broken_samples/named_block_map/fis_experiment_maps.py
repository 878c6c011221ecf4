"""A zone outage experiment written with the FIS API's maps: actions and targets keyed by name, an action's
parameters and target keyed by their key."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.fis_experiment_template import (
    FisExperimentTemplate,
    FisExperimentTemplateAction,
    FisExperimentTemplateStopCondition,
    FisExperimentTemplateTarget,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole


class ZoneOutageStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        role = IamRole(
            self,
            "fis-role",
            name="fis-zone-outage",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "fis.amazonaws.com"}}],
            }),
        )
        FisExperimentTemplate(
            self,
            "zone-outage",
            description="Disrupt the app subnets of one zone",
            role_arn=role.arn,
            stop_condition=[FisExperimentTemplateStopCondition(source="none")],
            action={
                "disruptZone": FisExperimentTemplateAction(
                    action_id="aws:network:disrupt-connectivity",
                    description="Cut the zone's subnets off",
                    parameter={
                        "duration": "PT5M",
                        "scope": "availability-zone",
                    },
                    target={"Subnets": "appSubnets"},
                )
            },
            target={
                "appSubnets": FisExperimentTemplateTarget(
                    resource_type="aws:ec2:subnet",
                    selection_mode="ALL",
                    resource_arns=["arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b2c3d"],
                )
            },
        )
