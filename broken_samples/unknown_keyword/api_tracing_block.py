"""A REST API given a Lambda function's tracing block; its stage is what traces requests (X-Ray)."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage


class StatusApiStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        api = ApiGatewayRestApi(
            self,
            "status-api",
            name="status-api",
            description="service status",
            # Enable X-Ray tracing
            tracing_config=[{
                "tracing_enabled": True
            }],
        )
        method = ApiGatewayMethod(
            self,
            "get-status",
            rest_api_id=api.id,
            resource_id=api.root_resource_id,
            http_method="GET",
            authorization="NONE",
        )
        integration = ApiGatewayIntegration(
            self,
            "status-mock",
            rest_api_id=api.id,
            resource_id=api.root_resource_id,
            http_method=method.http_method,
            type="MOCK",
            request_templates={"application/json": '{"statusCode": 200}'},
        )
        deployment = ApiGatewayDeployment(self, "deployment", rest_api_id=api.id, depends_on=[integration])
        ApiGatewayStage(
            self,
            "prod",
            rest_api_id=api.id,
            deployment_id=deployment.id,
            stage_name="prod",
            xray_tracing_enabled=True,
        )
