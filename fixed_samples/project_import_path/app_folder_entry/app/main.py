from cdktf import App

from core.stack import QueueStack

app = App()
QueueStack(app, "queues-staging", stage="staging")
app.synth()
