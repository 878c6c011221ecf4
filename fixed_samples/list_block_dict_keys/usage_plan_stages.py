from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_rest_api import ApiGatewayRestApi
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage
from cdktf_cdktf_provider_aws.api_gateway_usage_plan import ApiGatewayUsagePlan, ApiGatewayUsagePlanApiStages
from cdktf_cdktf_provider_aws.provider import AwsProvider


class QuotaStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, 'aws', region='us-east-1')
        api = ApiGatewayRestApi(self, 'api', name='quota-api')
        method = ApiGatewayMethod(self, 'get', rest_api_id=api.id, resource_id=api.root_resource_id,
                                  http_method='GET', authorization='NONE')
        integration = ApiGatewayIntegration(self, 'mock', rest_api_id=api.id, resource_id=api.root_resource_id,
                                            http_method=method.http_method, type='MOCK')
        deployment = ApiGatewayDeployment(self, 'deployment', rest_api_id=api.id, depends_on=[integration])
        stage = ApiGatewayStage(self, 'stage', rest_api_id=api.id, deployment_id=deployment.id, stage_name='v1')
        ApiGatewayUsagePlan(
            self, 'plan',
            name='standard',
            api_stages=[ApiGatewayUsagePlanApiStages(api_id=api.id, stage=stage.stage_name)],  # one stage per API
            quota_settings={'limit': 1000, 'period': 'DAY'},
            throttle_settings={'burst_limit': 20, 'rate_limit': 10},
        )
