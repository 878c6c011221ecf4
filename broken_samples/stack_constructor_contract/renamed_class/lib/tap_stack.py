"""Ledger alarms: a topic for the on-call rotation."""
import os

from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from constructs import Construct


class LedgerAlarmsStack(TerraformStack):
    """Alarms of the ledger service."""

    def __init__(self, scope: Construct, ns: str, env: str = "dev"):
        super().__init__(scope, ns)

        AwsProvider(self, "aws", region=os.environ.get("LEDGER_REGION", "us-east-1"))

        SnsTopic(self, "on_call", name=f"ledger-on-call-{env}")
