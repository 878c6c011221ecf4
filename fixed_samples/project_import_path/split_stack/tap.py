from cdktf import App

from lib.tap_stack import TapStack

app = App()
TapStack(app, "orders-dev", environment_suffix="dev")
app.synth()
