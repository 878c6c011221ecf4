from cdktf import App

from lib.orders_stack import OrdersStack

app = App()
OrdersStack(app, "orders-service")
app.synth()
