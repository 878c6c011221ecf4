#!/usr/bin/env python
"""Entry point: the task's own; it passes the provider's default tags as one block."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from cdktf import App

from lib.tap_stack import TapStack

environment_suffix = "pr311"
default_tags = {"tags": {"Environment": environment_suffix, "Owner": "search"}}

app = App()
TapStack(app, f"TapStack{environment_suffix}", environment_suffix=environment_suffix, default_tags=default_tags)
app.synth()
