"""A handler zipped at synth time into a temporary folder, then handed to an asset that expects a folder."""
import os
import shutil
import tempfile

from constructs import Construct
from cdktf import AssetType, TerraformAsset, TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction


class ReportsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, role_arn: str):
        super().__init__(scope, id)
        build_dir = tempfile.mkdtemp()
        zip_path = os.path.join(build_dir, "reports.zip")
        shutil.make_archive(zip_path[: -len(".zip")], "zip", os.path.join(os.path.dirname(__file__), "reports"))
        code = TerraformAsset(self, "reports-code", path=zip_path, type=AssetType.FILE)
        LambdaFunction(self, "reports", function_name="reports", role=role_arn, runtime="python3.12",
                       handler="app.handler", filename=code.path, source_code_hash=code.asset_hash)
