from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRuleTransition


def archive_logs(scope, bucket):
    return S3BucketLifecycleConfiguration(
        scope, 'logs-lifecycle',
        bucket=bucket.id,
        rule=[
            {
                'id': 'to-glacier',
                'status': 'Enabled',
                'transition': [S3BucketLifecycleConfigurationRuleTransition(days=30, storage_class='GLACIER')],
                'filter': [{}]
            },
            {'id': 'logs-only', 'status': 'Enabled', 'prefix': 'logs/', 'expiration': [{'days': 400}]},
        ],
    )
