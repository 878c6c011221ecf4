from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi


class OrdersApi(TerraformStack):
    def __init__(self, scope, id, function):
        super().__init__(scope, id)
        self.function = function
        self.api = ApiGatewayRestApi(self, "orders-api", name="orders")
        self._create_routes()
        self._deploy()

    def _create_routes(self):
        orders = ApiGatewayResource(self, "orders", rest_api_id=self.api.id,
                                    parent_id=self.api.root_resource_id, path_part="orders")
        self.list_orders = ApiGatewayMethod(self, "list-orders", rest_api_id=self.api.id,
                                            resource_id=orders.id, http_method="GET", authorization="NONE")
        self.list_orders_integration = ApiGatewayIntegration(
            self, "list-orders-integration", rest_api_id=self.api.id, resource_id=orders.id,
            http_method="GET", integration_http_method="POST", type="AWS_PROXY",
            uri=self.function.invoke_arn,
        )
        # Created without keeping a reference
        self.create_order_integration = ApiGatewayIntegration(
            self, "CreateOrderIntegration", rest_api_id=self.api.id, resource_id=orders.id,
            http_method="POST", integration_http_method="POST", type="AWS_PROXY",
            uri=self.function.invoke_arn,
        )

    def _deploy(self):
        self.deployment = ApiGatewayDeployment(
            self,
            "orders-deployment",
            rest_api_id=self.api.id,
            depends_on=[self.list_orders_integration, self.create_order_integration],
        )
