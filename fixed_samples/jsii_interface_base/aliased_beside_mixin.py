"""An encryption check aspect that also inherits a small reporting mixin, with cdktf's IAspect imported under
another name."""
from constructs import Construct
from cdktf import Annotations, Aspects, TerraformStack
from cdktf import IAspect as Aspect
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
import jsii


class WarningsMixin:
    def warn(self, node, message):
        Annotations.of(node).add_warning(message)


@jsii.implements(Aspect)
class TopicEncryptionCheck(WarningsMixin):
    def visit(self, node):
        if isinstance(node, SnsTopic) and node.kms_master_key_id_input is None:
            self.warn(node, "topic is not encrypted with a KMS key")


class AlertsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="ap-northeast-1")
        SnsTopic(self, "alerts", name="ops-alerts", kms_master_key_id="alias/aws/sns")
        SnsTopic(self, "digest", name="ops-digest")
        Aspects.of(self).add(TopicEncryptionCheck())
