"""Placeholder code of a Lambda function whose real code is deployed outside Terraform.

Terraform creates the function with this package; a deploy pipeline replaces it with
`aws lambda update-function-code`. Until then every invocation answers HTTP 503 in the
shape API Gateway's Lambda proxy integration expects.
"""
import json
import os


def handler(event, context):
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "this function")
    return {
        "statusCode": 503,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(
            {"message": f"{name} is deployed, but its code is not: deploy it with aws lambda update-function-code"}
        ),
    }
