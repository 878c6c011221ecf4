#!/usr/bin/env python
"""Entry point of the product review system: synthesizes one stack per environment."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from cdktf import App

from lib.tap_stack import TapStack

environment_suffix = os.getenv("ENVIRONMENT_SUFFIX", "dev")
state_bucket = os.getenv("TERRAFORM_STATE_BUCKET", "review-system-tf-states")
state_bucket_region = os.getenv("TERRAFORM_STATE_BUCKET_REGION", "us-east-1")
aws_region = os.getenv("AWS_REGION", "us-east-1")

app = App()

TapStack(
    app,
    f"ReviewSystem{environment_suffix}",
    environment_suffix=environment_suffix,
    state_bucket=state_bucket,
    state_bucket_region=state_bucket_region,
    aws_region=aws_region,
)

app.synth()
