"""Review processor: stores reviews posted through the API, lists them, and records uploaded review images."""

import json
import os
import time
import uuid

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["REVIEWS_TABLE"])


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def _create_review(event):
    payload = json.loads(event.get("body") or "{}")
    missing = [field for field in ("product_id", "rating", "text") if field not in payload]
    if missing:
        return _response(400, {"error": f"missing fields: {', '.join(missing)}"})
    if not 1 <= int(payload["rating"]) <= 5:
        return _response(400, {"error": "rating must be between 1 and 5"})
    review = {
        "product_id": payload["product_id"],
        "review_id": str(uuid.uuid4()),
        "rating": int(payload["rating"]),
        "text": payload["text"],
        "created_at": int(time.time()),
    }
    TABLE.put_item(Item=review)
    return _response(201, review)


def _list_reviews(event):
    product_id = (event.get("queryStringParameters") or {}).get("product_id")
    if not product_id:
        return _response(400, {"error": "product_id is required"})
    items = TABLE.query(KeyConditionExpression=Key("product_id").eq(product_id))["Items"]
    return _response(200, {"reviews": items})


def _record_images(event):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]  # images/<product_id>/<review_id>.jpg
        parts = key.split("/")
        if len(parts) == 3:
            TABLE.update_item(
                Key={"product_id": parts[1], "review_id": parts[2].rsplit(".", 1)[0]},
                UpdateExpression="SET image_key = :k",
                ExpressionAttributeValues={":k": key},
            )
    return {"processed": len(event["Records"])}


def handler(event, context):
    if "Records" in event:
        return _record_images(event)
    if event.get("httpMethod") == "POST":
        return _create_review(event)
    if event.get("httpMethod") == "GET":
        return _list_reviews(event)
    return _response(405, {"error": "method not allowed"})
