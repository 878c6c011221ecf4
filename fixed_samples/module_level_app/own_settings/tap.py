#!/usr/bin/env python
"""Entry point: the task's own."""
from cdktf import App

from lib.tap_stack import TapStack

app = App()
TapStack(app, "TapStackpr77", environment_suffix="pr77", aws_region="sa-east-1")
app.synth()
