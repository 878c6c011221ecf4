"""An Aurora database written against modules imported from the package root, reading classes through modules that
do not export them: the secret's version has a module of its own, the cluster's subnet group is the DB subnet group
the cluster refers to by `db_subnet_group_name`, and the serverless cache is named without its last word."""
import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws import provider, rds_cluster, secretsmanager_secret
from cdktf_cdktf_provider_aws.elasticache_serverless import ElasticacheServerless


class OrdersDatabaseStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        provider.AwsProvider(self, "aws", region="us-west-2")
        db_subnet_group = rds_cluster.RdsClusterSubnetGroup(
            self,
            "db-subnets",
            name="orders-db-subnets",
            subnet_ids=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
        )
        secret = secretsmanager_secret.SecretsmanagerSecret(self, "db-secret", name="orders/db")
        secretsmanager_secret.SecretsmanagerSecretVersion(
            self,
            "db-secret-version",
            secret_id=secret.id,
            secret_string=json.dumps({"username": "orders", "port": 5432}),
        )
        rds_cluster.RdsCluster(
            self,
            "orders-db",
            cluster_identifier="orders-db",
            engine="aurora-postgresql",
            master_username="orders",
            manage_master_user_password=True,
            db_subnet_group_name=db_subnet_group.name,
            skip_final_snapshot=True,
        )
        ElasticacheServerless(self, "sessions", name="orders-sessions", engine="valkey")
