#!/usr/bin/env python
"""Entry point: the task's own; it passes the provider's default tags already as a list of blocks."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from cdktf import App

from lib.tap_stack import TapStack

environment_suffix = "pr204"

# A list of blocks, as the AwsProvider's default_tags takes them
default_tags = [{"tags": {"Environment": environment_suffix, "CostCenter": "fulfilment"}}]

app = App()
TapStack(
    app,
    f"TapStack{environment_suffix}",
    environment_suffix=environment_suffix,
    aws_region="ap-southeast-2",
    default_tags=default_tags,
)
app.synth()
