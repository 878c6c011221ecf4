from constructs import Construct
from cdktf_cdktf_provider_aws.vpc import Vpc


class NetworkConstruct(Construct):
    def __init__(self, scope: Construct, id: str, environment_suffix: str):
        super().__init__(scope, id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.60.0.0/16", tags={"Name": f"orders-{environment_suffix}"})
