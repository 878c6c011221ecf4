"""Daily backups, copied to a second vault: the copy keeps its own retention."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.backup_vault import BackupVault
from cdktf_cdktf_provider_aws.backup_plan import BackupPlan, BackupPlanRule, BackupPlanRuleCopyAction, BackupPlanRuleLifecycle


class BackupStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        primary = BackupVault(self, "primary", name="primary-vault")
        secondary = BackupVault(self, "secondary", name="secondary-vault")
        BackupPlan(self, "daily", name="daily", rule=[BackupPlanRule(
            rule_name="daily",
            target_vault_name=primary.name,
            schedule="cron(0 5 * * ? *)",
            lifecycle=BackupPlanRuleLifecycle(delete_after=35),
            copy_action=[BackupPlanRuleCopyAction(
                destination_vault_arn=secondary.arn,
                lifecycle=BackupPlanRuleLifecycle(cold_storage_after=30, delete_after=120),
            )],
        )])
