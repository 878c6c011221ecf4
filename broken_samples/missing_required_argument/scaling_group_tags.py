"""An Auto Scaling group's tags as structs: one says whether instances get it, the other does not."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.autoscaling_group import AutoscalingGroup, AutoscalingGroupTag
from cdktf_cdktf_provider_aws.provider import AwsProvider


class WorkersStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, template_id: str = "lt-0abc", subnet_ids: list = None):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-2")

        AutoscalingGroup(
            self,
            "workers",
            min_size=1,
            max_size=4,
            vpc_zone_identifier=subnet_ids or ["subnet-0a", "subnet-0b"],
            launch_template={"id": template_id, "version": "$Latest"},
            tag=[
                AutoscalingGroupTag(key="Name", value="queue-worker", propagate_at_launch=True),
                AutoscalingGroupTag(key="CostCenter", value="batch"),
            ],
        )
