"""A cache subnet group named the way its replication group refers to it."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup


class CacheNetworkStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        ElasticacheSubnetGroup(
            self,
            "cache-subnets",
            name="cache-subnets",
            description="private subnets of the cache",
            subnet_ids=["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
        )
