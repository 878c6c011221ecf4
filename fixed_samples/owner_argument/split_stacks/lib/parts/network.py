from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc


class NetworkStack:
    def __init__(self, scope, id):
        self.vpc = Vpc(scope, f"{id}-vpc", cidr_block="10.20.0.0/16")
        self.private_subnets = [
            Subnet(scope, f"{id}-private-{i}", vpc_id=self.vpc.id, cidr_block=f"10.20.{i}.0/24")
            for i in range(2)
        ]
        self._security_groups(scope, id)

    def _security_groups(self, scope, id):
        self.worker_security_group = SecurityGroup(scope, f"{id}-worker-sg", name="orders-worker",
                                                   vpc_id=self.vpc.id)
