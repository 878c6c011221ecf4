"""A ledger construct: its table's billing mode in lower case, its log kept two and three years."""
from constructs import Construct
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableAttribute


class Ledger(Construct):
    def __init__(self, scope: Construct, id: str, *, prefix: str):
        super().__init__(scope, id)
        self.table = DynamodbTable(
            self, "entries", name=f"{prefix}-ledger", billing_mode="PAY_PER_REQUEST", hash_key="entry_id",
            attribute=[DynamodbTableAttribute(name="entry_id", type="S")],
        )
        self.changes = CloudwatchLogGroup(self, "changes", name=f"/{prefix}/ledger", retention_in_days=731)
        self.exports = CloudwatchLogGroup(self, "exports", name=f"/{prefix}/exports", retention_in_days=1096)
