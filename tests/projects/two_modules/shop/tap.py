#!/usr/bin/env python
"""The shop's entry: one stack, its storage built by a module of its own."""
from cdktf import App

from lib.tap_stack import TapStack

app = App()
TapStack(app, "shop", environment_suffix="dev")
app.synth()
