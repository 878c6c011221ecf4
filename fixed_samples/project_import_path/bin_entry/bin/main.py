#!/usr/bin/env python3
"""The app: run by cdktf as `python3 bin/main.py`."""
import os

from cdktf import App
import sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project's root, where `lib` is
from lib.tap_stack import TapStack

app = App()
TapStack(app, "events-dev", environment_suffix=os.environ.get("ENVIRONMENT_SUFFIX", "dev"))
app.synth()
