#!/usr/bin/env python
from cdktf import App, S3Backend, TerraformStack

app = App()
stack = TerraformStack(app, 'network')
S3Backend(stack, bucket='tf-states', key='network.tfstate', region='eu-west-1')
stack.add_override('terraform.backend.s3.use_lockfile', True)  # S3 locking
app.synth()
