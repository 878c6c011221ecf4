"""The proof of a repair: synthesize before and after with the real cdktf, and check the Terraform JSON.

Synth alone cannot see four of the failure classes: they pass `cdktf synth` and fail at `terraform init` or
`apply`. The checks here read the synthesized `cdk.tf.json` itself, independent of the Python source, and name
the resource address of each problem.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from repair.options import S3_LOCKFILE_MIN_TERRAFORM
from repair.synth import SynthResult, SynthWorker, find_entry

# S3 backend arguments that need a Terraform at least this recent.
S3_BACKEND_ARGUMENT_SINCE = {"use_lockfile": S3_LOCKFILE_MIN_TERRAFORM}
_REF = re.compile(r"^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$")


@dataclass(frozen=True)
class JsonFinding:
    rule_id: str  # the repair rule whose failure class this is
    address: str  # e.g. aws_api_gateway_deployment.reviews-api-deployment, or terraform.backend.s3
    message: str


def _ref(value: object) -> tuple[str, str] | None:
    """("aws_lambda_function", "processor") for "${aws_lambda_function.processor.arn}"."""
    match = _REF.match(value) if isinstance(value, str) else None
    return (match.group(1), match.group(2)) if match else None


def check_terraform_json(stack: dict, terraform_version: tuple[int, int] | None = None) -> list[JsonFinding]:
    findings: list[JsonFinding] = []
    backend = stack.get("terraform", {}).get("backend", {}).get("s3", {})
    for argument, since in S3_BACKEND_ARGUMENT_SINCE.items():
        if argument in backend and (terraform_version is None or terraform_version < since):
            target = "an unknown Terraform version" if terraform_version is None else \
                f"Terraform {terraform_version[0]}.{terraform_version[1]}"
            findings.append(JsonFinding("CDK002", "terraform.backend.s3", f"argument {argument!r} needs Terraform "
                                        f"{since[0]}.{since[1]} or later; the target is {target}"))
    resources = stack.get("resource", {})
    findings += _deployments(resources) + _notifications(resources) + _lifecycle_rules(resources)
    findings += _empty_encryption_rules(resources)
    return findings


def _deployments(resources: dict) -> list[JsonFinding]:
    integrations: dict[object, list[str]] = {}
    for name, body in resources.get("aws_api_gateway_integration", {}).items():
        integrations.setdefault(body.get("rest_api_id"), []).append(f"aws_api_gateway_integration.{name}")
    findings = []
    for name, body in resources.get("aws_api_gateway_deployment", {}).items():
        missing = [i for i in integrations.get(body.get("rest_api_id"), []) if i not in body.get("depends_on", [])]
        if missing:
            findings.append(JsonFinding("CDK003", f"aws_api_gateway_deployment.{name}",
                                        f"does not depend on {', '.join(missing)}"))
    return findings


def _notifications(resources: dict) -> list[JsonFinding]:
    permissions: dict[str, list[str]] = {}  # function resource name -> S3 permissions for it
    for name, body in resources.get("aws_lambda_permission", {}).items():
        target = _ref(body.get("function_name"))
        if body.get("principal") == "s3.amazonaws.com" and target and target[0] == "aws_lambda_function":
            permissions.setdefault(target[1], []).append(f"aws_lambda_permission.{name}")
    findings = []
    for name, body in resources.get("aws_s3_bucket_notification", {}).items():
        depends = set(body.get("depends_on", []))
        for entry in body.get("lambda_function", []) or []:
            target = _ref(entry.get("lambda_function_arn")) if isinstance(entry, dict) else None
            if target is None or target[0] != "aws_lambda_function":
                continue
            granted = permissions.get(target[1], [])
            if not granted:
                findings.append(JsonFinding("CDK004", f"aws_s3_bucket_notification.{name}",
                                            f"no aws_lambda_permission lets s3.amazonaws.com invoke "
                                            f"aws_lambda_function.{target[1]}"))
            elif not depends & set(granted):
                findings.append(JsonFinding("CDK004", f"aws_s3_bucket_notification.{name}",
                                            f"does not depend on {' or '.join(granted)}"))
    return findings


def _lifecycle_rules(resources: dict) -> list[JsonFinding]:
    findings = []
    for name, body in resources.get("aws_s3_bucket_lifecycle_configuration", {}).items():
        for position, rule in enumerate(body.get("rule", []) or []):
            if isinstance(rule, dict) and "filter" not in rule and "prefix" not in rule:
                findings.append(JsonFinding("CDK005", f"aws_s3_bucket_lifecycle_configuration.{name}",
                                            f"rule[{position}] ({rule.get('id', '?')}) has neither filter nor prefix"))
    return findings


def _empty_encryption_rules(resources: dict) -> list[JsonFinding]:
    findings = []
    for name, body in resources.get("aws_s3_bucket_server_side_encryption_configuration", {}).items():
        for position, rule in enumerate(body.get("rule", []) or []):
            if rule == {}:
                findings.append(JsonFinding("CDK007", f"aws_s3_bucket_server_side_encryption_configuration.{name}",
                                            f"rule[{position}] is empty: its settings were lost (a dict with "
                                            "snake_case keys inside a list)"))
    return findings


def rule_for_synth_error(error_type: str, first_line: str) -> str | None:
    """The repair rule whose failure class a synth error is, when it is one."""
    # The package root exports only submodules: a class asked of it is CDK014's, a class asked of a submodule
    # (or a submodule that does not exist) CDK001's.
    if error_type in ("ImportError", "AttributeError") and "'cdktf_cdktf_provider_aws' " in first_line:
        return "CDK014"
    if error_type == "ImportError" and "cannot import name" in first_line and "cdktf_cdktf_provider_aws" in first_line:
        return "CDK001"
    if error_type == "AttributeError" and "cdktf_cdktf_provider_aws" in first_line:
        return "CDK001"
    if error_type == "ModuleNotFoundError" and "No module named 'cdktf_cdktf_provider_aws." in first_line:
        return "CDK001"
    if error_type == "NameError":
        return "CDK017" if re.search(r"name '(true|false|null)' is not defined", first_line) else "CDK015"
    if "Value is not an array" in first_line or re.search(r"got (list|dict) instead", first_line):
        return "CDK006"
    if "Missing required properties" in first_line:
        return "CDK007"
    if "Unable to deserialize value" in first_line:
        return "CDK006"
    return None


@dataclass
class SynthRecord:
    ok: bool
    error_type: str = ""
    error: str = ""  # the first line
    rule: str | None = None  # the repair rule the error belongs to
    json_findings: list[dict] = field(default_factory=list)
    skipped: str = ""  # why nothing could be synthesized (a stack that needs arguments)

    @property
    def clean(self) -> bool:
        return self.ok and not self.json_findings

    def describe(self) -> str:
        if self.skipped:
            return f"skipped ({self.skipped})"
        if not self.ok:
            return f"synth failed: {self.error}" + (f" [{self.rule}]" if self.rule else "")
        if self.json_findings:
            return "synth ok; " + "; ".join(f"{f['rule_id']} {f['address']}: {f['message']}"
                                            for f in self.json_findings)
        return "synth ok, Terraform JSON clean"


def _full_error(result: SynthResult) -> str:
    # jsii puts the useful part (Missing required properties ...) several lines down; keep the lines that say why.
    lines = [line.strip() for line in result.error.splitlines() if line.strip()]
    reasons = [line for line in lines if "Missing required" in line or "Value is not an array" in line]
    return lines[0] + (f" ({reasons[0].lstrip('╰─├ ')})" if reasons else "") if lines else ""


def record_from(result: SynthResult, terraform_version: tuple[int, int] | None) -> SynthRecord:
    if not result.ok:
        first = _full_error(result)
        if result.error_type == "TypeError" and "missing" in first and "required positional argument" in first:
            return SynthRecord(False, result.error_type, first, skipped="a stack that needs arguments")
        return SynthRecord(False, result.error_type, first, rule_for_synth_error(result.error_type, first))
    findings = [asdict(f) for stack in result.stacks.values() for f in check_terraform_json(stack, terraform_version)]
    return SynthRecord(True, json_findings=findings)


def find_projects(path: Path) -> list[Path]:
    """Folders with an app entry (not searched below), and lone stack modules elsewhere."""
    if path.is_file():
        return [path]
    if find_entry(path) is not None:
        return [path]
    found: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith((".", "__")) or child.name in ("cdktf.out", "node_modules"):
            continue
        if child.is_dir():
            found += find_projects(child)
        elif child.suffix == ".py" and re.search(r"^class \w+\((?:\w+\.)?TerraformStack\)", child.read_text(
                encoding="utf-8", errors="replace"), re.MULTILINE):
            found.append(child)
    return found


def synth_before_after(worker: SynthWorker, project: Path, repaired_files: dict[Path, str],
                       terraform_version: tuple[int, int] | None, keep: Path | None = None
                       ) -> tuple[SynthRecord, SynthRecord]:
    """Synthesize `project` as it is, then with `repaired_files` (absolute path -> text) in place of its files,
    in temporary copies. With `keep`, the synthesized JSON of both goes there."""
    before_result = worker.synth(project)
    before = record_from(before_result, terraform_version)
    if not repaired_files:
        after_result, after = before_result, before
    else:
        with tempfile.TemporaryDirectory(prefix="repair-verify-") as tmp:
            copy = Path(tmp) / project.name
            if project.is_file():
                copy.parent.mkdir(exist_ok=True)
                copy.write_text(repaired_files.get(project.resolve(), project.read_text(encoding="utf-8")),
                                encoding="utf-8")
            else:
                shutil.copytree(project, copy, ignore=shutil.ignore_patterns("cdktf.out", "__pycache__"))
                for path, text in repaired_files.items():
                    relative = path.resolve().relative_to(project.resolve())
                    (copy / relative).write_text(text, encoding="utf-8")
            after_result = worker.synth(copy)
        after = record_from(after_result, terraform_version)
    if keep is not None:
        for label, result in (("before", before_result), ("after", after_result)):
            for stack, data in result.stacks.items():
                target = keep / project.name / label / stack / "cdk.tf.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return before, after
