"""The quotes handler: deployed from the archive the stack builds of this folder."""
import json
import os


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"table": os.environ.get("QUOTES_TABLE", "")})}
