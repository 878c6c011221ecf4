#!/usr/bin/env python3
"""The app: run by cdktf as `python3 bin/main.py`."""
import os

from cdktf import App
from lib.tap_stack import TapStack

app = App()
TapStack(app, "events-dev", environment_suffix=os.environ.get("ENVIRONMENT_SUFFIX", "dev"))
app.synth()
