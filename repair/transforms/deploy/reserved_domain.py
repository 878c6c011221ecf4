"""CDK022 reserved-domain: a hosted zone or certificate for a domain nobody can own.

RFC 2606 reserves `example.com`, `example.net`, `example.org` and the `.example`, `.test`, `.invalid` and
`.localhost` top-level domains for documentation. ACM can never validate a certificate for any of them. Route 53
refuses a public hosted zone for the three example domains (`InvalidDomainName: example.com is reserved by AWS!`;
a private zone, attached to a VPC, may use any name), and creates one for a name under the reserved top-level
domains (a human-fixed task deployed `payment-dr-prod.internal.test`): zones are reported for the example domains
only. A stack that uses the documentation placeholder there fails at apply.
Which domain the user owns is theirs to say: the rule reports the zone or certificate, with the value, and never
rewrites it.
"""

from __future__ import annotations

import libcst as cst

from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._cst import code_of, keyword_arg, string_value, walk
from repair.transforms._triggers import All, ProviderCall, Text

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")

# (module, class) -> the keywords that name a domain, and the resource type they synthesize to.
DOMAIN_KEYWORDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("route53_zone", "Route53Zone"): ("name",),
    ("acm_certificate", "AcmCertificate"): ("domain_name", "subject_alternative_names"),
}
ZONE = ("route53_zone", "Route53Zone")
RESOURCE_KEYWORDS = {f"aws_{module}": keywords for (module, _), keywords in DOMAIN_KEYWORDS.items()}


def reserved(domain: str, zone: bool = False) -> str | None:
    """The reserved domain or TLD that `domain` (a name or the literal tail of one) lies in, if any; for a hosted
    `zone`, only the domains Route 53 refuses (the example domains)."""
    name = domain.strip().rstrip(".").lower()
    for base in RESERVED_DOMAINS:
        if name == base or name.endswith("." + base):
            return base
    if zone:
        return None
    tld = name.rsplit(".", 1)[-1]
    if tld in RESERVED_TLDS and ("." in name or name == tld):
        return "." + tld
    return None


def _literal_tail(node: cst.BaseExpression) -> str | None:
    """The domain a literal names: the whole string, or the text after an f-string's last interpolation (the
    parent domain, which decides whether the name is reserved)."""
    value = string_value(node)
    if value is not None:
        return value
    if isinstance(node, cst.FormattedString) and node.parts and isinstance(node.parts[-1], cst.FormattedStringText):
        tail = node.parts[-1].value
        return tail if "." in tail else None
    return None


def _domain_values(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(value, (cst.List, cst.Tuple)):
        return [element.value for element in value.elements]
    return [value]


def _json_tail(value: str) -> str:
    # "${var.sub}.example.com": the text after the last token is what is known.
    return value.rsplit("}", 1)[-1] if "${" in value else value


class ReservedDomain(Rule):
    id = "CDK022"
    slug = "reserved-domain"
    severity = Severity.HIGH
    summary = (
        "Report public Route 53 zones under example.com/.net/.org and ACM certificates for any reserved domain "
        "(those and .example, .test, .invalid, .localhost): the user must name a domain they own."
    )
    prevents = (
        "terraform apply: creating Route53 Hosted Zone (example.com): InvalidDomainName: example.com is reserved by AWS!"
    )
    prevents_template = (
        "terraform apply: creating Route53 Hosted Zone ({domain}): InvalidDomainName: {domain} is reserved by AWS!"
    )
    doc_url = "https://www.rfc-editor.org/rfc/rfc2606"
    analysis_keywords = ("reserved domain", "example com", "documentation domain")
    reports_only = True
    # A zone or certificate class called in a file that writes a reserved name.
    triggers = All(Text("example", ".test", ".invalid", ".localhost"), ProviderCall(classes=DOMAIN_KEYWORDS))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                "Route53Zone(self, 'zone', name='shop.acme-widgets.io')\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for node in walk(tree):
            if isinstance(node, cst.Call):
                self._report_reserved(node)
        return tree  # reported only: the domain is the user's to choose

    def _report_reserved(self, call: cst.Call) -> None:
        target = self.provider_imports.resolve(call.func)
        keywords = DOMAIN_KEYWORDS.get(target)
        if keywords is None or keyword_arg(call, "vpc") is not None:
            return  # a private zone (one with a VPC) may use any name: only public ones are refused
        for keyword in keywords:
            arg = keyword_arg(call, keyword)
            for value in _domain_values(arg.value) if arg else []:
                tail = _literal_tail(value)
                base = reserved(tail, zone=target == ZONE) if tail is not None else None
                if base is not None:
                    self.report(value, f"{keyword}={code_of(value)} lies in {base}, which is reserved (RFC 2606) and "
                                f"cannot be registered or validated: use a domain you own", fixed=False,
                                facts={"domain": tail.strip().lstrip(".")})

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        findings = []
        for resource_type, keywords in RESOURCE_KEYWORDS.items():
            for name, resource in (stack.get("resource", {}).get(resource_type) or {}).items():
                for keyword in keywords:
                    if not isinstance(resource, dict) or resource.get("vpc"):
                        continue  # private zone
                    values = resource.get(keyword)
                    for value in values if isinstance(values, list) else [values]:
                        base = reserved(_json_tail(value), zone=resource_type == "aws_route53_zone") \
                            if isinstance(value, str) else None
                        if base is not None:
                            findings.append(JsonFinding(cls.id, f"{resource_type}.{name}",
                                                        f"{keyword} {value!r} lies in reserved {base}"))
        return findings
