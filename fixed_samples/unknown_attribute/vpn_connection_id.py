"""A static route over an existing VPN connection, read by the `id` the data source does not have."""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.data_aws_vpn_connection import DataAwsVpnConnection
from cdktf_cdktf_provider_aws.vpn_connection_route import VpnConnectionRoute


class OfficeRouteStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-west-2")
        vpn = DataAwsVpnConnection(
            self,
            "office-vpn",
            filter=[{"name": "tag:Name", "values": ["office-vpn"]}],
        )
        VpnConnectionRoute(
            self,
            "office-route",
            destination_cidr_block="192.168.10.0/24",
            vpn_connection_id=vpn.vpn_connection_id,
        )
