"""A session cache whose subnet group is named with the replication group's keyword, and read back by it."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup
from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup


class SessionCacheStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        self.cache_subnets = ElasticacheSubnetGroup(
            self,
            "cache-subnets",
            subnet_group_name="sessions-cache-subnets",
            subnet_ids=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        )
        ElasticacheReplicationGroup(
            self,
            "sessions",
            replication_group_id="sessions",
            description="session store",
            node_type="cache.t4g.small",
            num_cache_clusters=2,
            subnet_group_name=self.cache_subnets.subnet_group_name,
        )
