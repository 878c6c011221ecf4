"""A Redis replication group: the 6.0 provider takes two of its switches as strings ("true"), not booleans."""
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
            description="session store",
            engine="redis",
            node_type="cache.t3.micro",
            num_cache_clusters=2,
            port=6379,
            at_rest_encryption_enabled="true",
            auto_minor_version_upgrade="false",
            transit_encryption_enabled=True,
        )
