"""A public and an admin API in one stack: each deployment waits only for its own API's integrations."""
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi


class ApisStack(TerraformStack):
    def __init__(self, scope, id, handler):
        super().__init__(scope, id)

        public_api = ApiGatewayRestApi(self, "public-api", name="public")
        admin_api = ApiGatewayRestApi(self, "admin-api", name="admin")

        public_get = ApiGatewayMethod(self, "public-get", rest_api_id=public_api.id,
                                      resource_id=public_api.root_resource_id, http_method="GET",
                                      authorization="NONE")
        public_get_integration = ApiGatewayIntegration(
            self, "public-get-integration", rest_api_id=public_api.id,
            resource_id=public_api.root_resource_id, http_method=public_get.http_method,
            integration_http_method="POST", type="AWS_PROXY", uri=handler.invoke_arn)

        admin_post = ApiGatewayMethod(self, "admin-post", rest_api_id=admin_api.id,
                                      resource_id=admin_api.root_resource_id, http_method="POST",
                                      authorization="AWS_IAM")
        admin_post_integration = ApiGatewayIntegration(
            self, "admin-post-integration", rest_api_id=admin_api.id,
            resource_id=admin_api.root_resource_id, http_method=admin_post.http_method,
            integration_http_method="POST", type="AWS_PROXY", uri=handler.invoke_arn)

        ApiGatewayDeployment(self, "public-deployment", rest_api_id=public_api.id, depends_on=[public_get, public_get_integration])
        ApiGatewayDeployment(self, "admin-deployment", rest_api_id=admin_api.id, depends_on=[admin_post, admin_post_integration])
