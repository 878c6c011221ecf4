from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod


def add_health_routes(scope, api, resource, handler):
    get_health_integration = 1  # taken: the new variable must not collide with it
    ApiGatewayMethod(scope, "get-health", rest_api_id=api.id, resource_id=resource.id,
                     http_method="GET", authorization="NONE")
    get_integration = ApiGatewayIntegration(scope, "get-integration", rest_api_id=api.id,
                                            resource_id=resource.id, http_method="GET", type="MOCK")
    ApiGatewayIntegration(scope, "get-health-integration", rest_api_id=api.id, resource_id=resource.id,
                          http_method="GET", integration_http_method="POST", type="AWS_PROXY",
                          uri=handler.invoke_arn)
    return ApiGatewayDeployment(
        scope,
        "health-deployment",
        rest_api_id=api.id,
        depends_on=[
            get_integration,
        ],
    )
