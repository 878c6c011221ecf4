#!/usr/bin/env python
"""Build artifacts per environment: `environment` comes from cdktf.json's context, which `cdktf synth` gives the
app over the default the app sets for itself."""
from cdktf import App

from stacks.artifacts import ArtifactsStack

app = App(context={"environment": "dev"})
ArtifactsStack(app, "artifacts")
app.synth()
