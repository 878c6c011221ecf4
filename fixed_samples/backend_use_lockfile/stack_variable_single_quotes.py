#!/usr/bin/env python
from cdktf import App, S3Backend, TerraformStack

app = App()
stack = TerraformStack(app, 'network')
S3Backend(stack, bucket='tf-states', key='network.tfstate', region='eu-west-1')
app.synth()
