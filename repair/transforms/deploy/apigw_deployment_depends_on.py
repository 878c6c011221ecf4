"""CDK003 apigw-deployment-depends-on: an API Gateway deployment created before its integrations exist.

Terraform orders resources only by references. An `aws_api_gateway_deployment` refers to the REST API, not to the
integrations, so Terraform may create it first, and API Gateway refuses to deploy a method without one. Every
integration of the deployment's REST API has to be in its `depends_on` (methods there are not enough).
"""

from __future__ import annotations

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._constructs import (
    apply_dependency_edits,
    Construct,
    DependencyEdits,
    collect,
    existing_dependencies,
)
from repair.transforms._cst import keyword_arg, reference_root
from repair.transforms._triggers import All, Text


DEPLOYMENT = "ApiGatewayDeployment"
INTEGRATION = "ApiGatewayIntegration"
REST_API = "ApiGatewayRestApi"


class ApigwDeploymentDependsOn(Rule):
    id = "CDK003"
    slug = "apigw-deployment-depends-on"
    severity = Severity.HIGH
    summary = "Make every API Gateway deployment depend on all integrations of its REST API."
    prevents = "terraform apply: Error creating API Gateway Deployment: BadRequestException: No integration defined for method"
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment"
    analysis_keywords = ("deployment dependency", "deployment dependencies", "deployment depends",
                         "deployment * integration")
    # Without integrations there is nothing a deployment must wait for.
    triggers = All(Text(DEPLOYMENT), Text(INTEGRATION))

    examples = (
        Example(
            before=(
                "post = ApiGatewayMethod(self, 'post', rest_api_id=api.id, resource_id=r.id, http_method='POST',\n"
                "                        authorization='NONE')\n"
                "post_integration = ApiGatewayIntegration(self, 'post-integration', rest_api_id=api.id,\n"
                "                                         resource_id=r.id, http_method=post.http_method,\n"
                "                                         type='AWS_PROXY', integration_http_method='POST', uri=fn.invoke_arn)\n"
                "deployment = ApiGatewayDeployment(self, 'deployment', rest_api_id=api.id, depends_on=[post])\n"
            ),
            after=(
                "post = ApiGatewayMethod(self, 'post', rest_api_id=api.id, resource_id=r.id, http_method='POST',\n"
                "                        authorization='NONE')\n"
                "post_integration = ApiGatewayIntegration(self, 'post-integration', rest_api_id=api.id,\n"
                "                                         resource_id=r.id, http_method=post.http_method,\n"
                "                                         type='AWS_PROXY', integration_http_method='POST', uri=fn.invoke_arn)\n"
                "deployment = ApiGatewayDeployment(self, 'deployment', rest_api_id=api.id, depends_on=[post, post_integration])\n"
            ),
        ),
        Example(
            before=(
                "ApiGatewayIntegration(self, 'GetReviewsIntegration', rest_api_id=api.id, resource_id=r.id,\n"
                "                      http_method='GET', type='AWS_PROXY', integration_http_method='POST', uri=u)\n"
                "ApiGatewayDeployment(\n"
                "    self,\n"
                "    'deployment',\n"
                "    rest_api_id=api.id,\n"
                ")\n"
            ),
            after=(
                "get_reviews_integration = ApiGatewayIntegration(self, 'GetReviewsIntegration', rest_api_id=api.id, resource_id=r.id,\n"
                "                      http_method='GET', type='AWS_PROXY', integration_http_method='POST', uri=u)\n"
                "ApiGatewayDeployment(\n"
                "    self,\n"
                "    'deployment',\n"
                "    rest_api_id=api.id,\n"
                "    depends_on=[get_reviews_integration],\n"
                ")\n"
            ),
        ),
        Example(
            before=(
                "integration = ApiGatewayIntegration(self, 'i', rest_api_id=api.id, resource_id=r.id,\n"
                "                                    http_method='GET', type='MOCK')\n"
                "ApiGatewayDeployment(self, 'd', rest_api_id=api.id, depends_on=[integration])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        constructs, scopes = collect(tree, {DEPLOYMENT, INTEGRATION, REST_API})
        apis = [c for c in constructs if c.class_name == REST_API]
        deployments = [c for c in constructs if c.class_name == DEPLOYMENT]
        integrations = [c for c in constructs if c.class_name == INTEGRATION]
        edits = DependencyEdits(scopes)
        for deployment in deployments:
            group = _api_of(deployment, apis)
            mine = [i for i in integrations if _api_of(i, apis) == group]
            self._plan(deployment, mine, edits)
        if edits.empty():
            return tree
        return apply_dependency_edits(tree, edits)

    def _plan(self, deployment: Construct, integrations: list[Construct], edits: DependencyEdits) -> None:
        if self.suppressed(deployment.call):
            # Plan on a scratch copy to learn whether anything is missing, without touching the code.
            edits = DependencyEdits(edits.scopes.copy())
        present, extendable = existing_dependencies(deployment.call)
        missing: list[str] = []
        problems: list[str] = []
        for integration in integrations:
            if present is not None and integration.binding in present:
                continue
            reference, why = edits.reference(deployment, integration)
            if reference is None:
                line, _ = self.position(integration.call)
                problems.append(f"the integration at line {line} cannot be referenced ({why})")
            elif present is None or reference not in present:
                missing.append(reference)
        if missing and not extendable:
            self.report(deployment.call, "depends_on is not a list literal; add the integrations "
                        f"{', '.join(missing)} to it", fixed=False)
            return
        if missing and self.report(deployment.call, f"deployment must depend on every integration of its REST API; "
                                   f"added {', '.join(missing)} to depends_on"):
            for reference in missing:
                edits.depend(deployment, reference)
        for problem in problems:
            self.report(deployment.call, f"deployment must depend on every integration: {problem}", fixed=False)

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        resources = stack.get("resource", {})
        integrations: dict[object, list[str]] = {}
        for name, body in resources.get("aws_api_gateway_integration", {}).items():
            integrations.setdefault(body.get("rest_api_id"), []).append(f"aws_api_gateway_integration.{name}")
        findings = []
        for name, body in resources.get("aws_api_gateway_deployment", {}).items():
            missing = [i for i in integrations.get(body.get("rest_api_id"), []) if i not in body.get("depends_on", [])]
            if missing:
                findings.append(JsonFinding(cls.id, f"aws_api_gateway_deployment.{name}",
                                            f"does not depend on {', '.join(missing)}"))
        return findings

def _api_of(construct: Construct, apis: list[Construct]) -> object:
    """The REST API a method, integration or deployment belongs to, as something comparable."""
    if len(apis) == 1:
        return apis[0]
    arg = keyword_arg(construct.call, "rest_api_id")
    key = reference_root(arg.value) if arg else None
    for api in apis:
        if api.binding is not None and api.binding == key:
            if key.startswith("self.") and api.klass is construct.klass:
                return api
            if api.function is construct.function:
                return api
    return (construct.klass, key)
