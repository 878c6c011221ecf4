#!/usr/bin/env python
"""Entry point: the answer's own, which builds the stack in the app its stack module creates."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from lib.tap_stack import TapStack, app

environment_suffix = os.getenv("ENVIRONMENT_SUFFIX", "pr512")

TapStack(app, "tap", environment_suffix=environment_suffix)
app.synth()
