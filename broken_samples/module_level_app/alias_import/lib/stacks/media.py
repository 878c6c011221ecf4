'''Media uploads bucket, with the module's own program for trying it alone.'''
import cdktf
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct


class MediaStack(cdktf.TerraformStack):
    def __init__(self, scope: Construct, id: str, stage: str = 'dev'):
        super().__init__(scope, id)
        AwsProvider(self, 'aws', region='eu-west-1')
        S3Bucket(self, 'uploads', bucket_prefix=f'media-uploads-{stage}-')


app = cdktf.App()
# one stack per stage
for stage in ('dev', 'prod'):
    MediaStack(app, f'media-{stage}', stage=stage)
app.synth()
