from cdktf import App

from lib.audit_stack import AuditStack

app = App()
AuditStack(app, "audit-service", environment_suffix="qa")
app.synth()
