"""Two audit functions whose code the answer wrote as lib/lambda/audit_*.py, while each function names a zip that
nothing builds and a handler module (`index`) that does not exist."""
import os
from constructs import Construct
from cdktf import TerraformStack, TerraformAsset, AssetType
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


class AuditStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
        role = IamRole(self, "audit-role", name=f"audit-functions-{environment_suffix}",
                       assume_role_policy='{"Version": "2012-10-17", "Statement": []}')

        audit_export_asset = TerraformAsset(
            self,
            f"audit_export_{environment_suffix}-asset",
            path=os.path.join(os.path.dirname(__file__), "lambda"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(
            self,
            f"audit_export_{environment_suffix}",
            function_name=f"audit-export-{environment_suffix}",
            role=role.arn,
            runtime="python3.12",
            handler="audit_export.lambda_handler",
            filename=audit_export_asset.path,
            source_code_hash=audit_export_asset.asset_hash,
            environment={"variables": {"ARCHIVE_BUCKET": f"audit-archive-{environment_suffix}"}},
        )

        audit_purge_asset = TerraformAsset(
            self,
            f"audit_purge_{environment_suffix}-asset",
            path=os.path.join(os.path.dirname(__file__), "lambda"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(
            self,
            f"audit_purge_{environment_suffix}",
            function_name=f"audit-purge-{environment_suffix}",
            role=role.arn,
            runtime="python3.12",
            handler="audit_purge.lambda_handler",
            filename=audit_purge_asset.path,
            source_code_hash=audit_purge_asset.asset_hash,
            environment={"variables": {"RETENTION_DAYS": "90"}},
        )
