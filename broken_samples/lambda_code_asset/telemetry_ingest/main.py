from cdktf import App

from lib.ingest_stack import IngestStack

app = App()
IngestStack(app, "telemetry-ingest")
app.synth()
