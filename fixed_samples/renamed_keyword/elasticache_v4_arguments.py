"""A replication group written with the arguments the 5.0 provider renamed."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.elasticache_replication_group import ElasticacheReplicationGroup


class CacheStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        ElasticacheReplicationGroup(
            self,
            "sessions",
            replication_group_id="sessions",
            description="session store",  # shown in the console
            engine="redis",
            node_type="cache.t3.micro",
            num_cache_clusters=2,
            preferred_cache_cluster_azs=["us-east-1a", "us-east-1b"],
        )
