from cdktf import App

from lib.stacks.billing_stack import BillingStack

app = App()
BillingStack(app, "billing", role_arn="arn:aws:iam::123456789012:role/billing")
app.synth()
