from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction


class ComputeStack:
    def __init__(self, scope, id, vpc, subnets):
        self.worker = LambdaFunction(
            scope,
            f"{id}-worker",
            function_name="orders-worker",
            role="arn:aws:iam::123456789012:role/orders-worker",
            handler="index.handler",
            runtime="python3.12",
            s3_bucket="orders-artifacts",
            s3_key="worker.zip",
            vpc_config={
                "subnet_ids": [subnet.id for subnet in subnets],
                "security_group_ids": [vpc.worker_security_group.id],
            },
        )
