#!/usr/bin/env python
"""The quotes API: the infrastructure lives in infra/, the function's code in the repository's lambda/."""
from cdktf import App

from stacks.api_stack import ApiStack

app = App()
ApiStack(app, "quotes-api")
app.synth()
