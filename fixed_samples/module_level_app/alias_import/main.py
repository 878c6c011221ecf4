from cdktf import App

from lib.stacks.media import MediaStack

app = App()
MediaStack(app, "media-prod", stage="prod")
app.synth()
