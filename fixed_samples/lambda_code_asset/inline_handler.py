"""A function whose handler the stack holds as a string, deployed from a zip that nothing builds."""
import json

from constructs import Construct
from cdktf import TerraformStack, TerraformAsset, AssetType
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider


def _inline_source_folder(code, file_name):
    """A folder holding `code` as `file_name`, for a TerraformAsset to package: the Lambda source this module holds
    as a string. Removed when the program ends, synth having copied it into the stack's assets by then."""
    import atexit
    import os
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="cdktf-inline-")
    atexit.register(shutil.rmtree, folder, True)
    with open(os.path.join(folder, file_name), "w", encoding="utf-8") as handle:
        handle.write(code)
    return folder


class PingStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        role = IamRole(self, "ping-role", name="ping-role", assume_role_policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"Service": "lambda.amazonaws.com"}}],
        }))

        # The handler's code
        ping_code = '''
import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"pong": True})}
'''

        ping_asset = TerraformAsset(
            self,
            "ping-asset",
            path=_inline_source_folder(ping_code, "index.py"),
            type=AssetType.ARCHIVE,
        )
        LambdaFunction(
            self,
            "ping",
            function_name="ping",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            filename=ping_asset.path,  # zip ping_code as index.py before deploying
            source_code_hash=ping_asset.asset_hash,
        )
