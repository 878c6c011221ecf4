#!/usr/bin/env python
"""Two stacks of one app: the network (a public zone on a reserved domain, which only its owner can rename) and
the storage (a lifecycle rule without a filter, which repair gives one)."""
from cdktf import App

from stacks.network import NetworkStack
from stacks.storage import StorageStack

app = App()
NetworkStack(app, "network")
StorageStack(app, "storage")
app.synth()
