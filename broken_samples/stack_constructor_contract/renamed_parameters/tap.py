#!/usr/bin/env python
"""Entry point: the task's own, which calls the stack with the settings of the pipeline."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from cdktf import App

from lib.tap_stack import TapStack

environment_suffix = "pr118"
state_bucket = "ledger-tf-states"
state_bucket_region = "eu-central-1"
aws_region = "eu-west-3"

# default_tags is structured in adherence to the AwsProvider default_tags interface
default_tags = {
    "tags": {
        "Environment": environment_suffix,
        "Team": "ledger",
    }
}

app = App()

TapStack(
    app,
    f"TapStack{environment_suffix}",
    environment_suffix=environment_suffix,
    state_bucket=state_bucket,
    state_bucket_region=state_bucket_region,
    aws_region=aws_region,
    default_tags=default_tags,
)

app.synth()
