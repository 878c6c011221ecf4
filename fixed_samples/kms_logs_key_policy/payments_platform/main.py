from cdktf import App

from lib.payments_stack import PaymentsStack

app = App()
PaymentsStack(app, "payments-platform", environment_suffix="staging")
app.synth()
