"""The proof of a repair: synthesize before and after with the real cdktf, and check the Terraform JSON.

Synth alone cannot see several failure classes: they pass `cdktf synth` and fail at `terraform init` or `apply`.
Each rule owns the proof of its class (`Rule.check_terraform_json`, which reads the synthesized `cdk.tf.json`
itself, independent of the Python source, and names the resource address of each problem, and
`Rule.synth_errors`, the synth errors its class produces); this module runs them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from repair.proof.synth import SynthResult, SynthWorker, find_entry
from repair.transforms._base import JsonFinding, all_rules



def check_terraform_json(stack: dict, terraform_version: tuple[int, int] | None = None) -> list[JsonFinding]:
    """Every rule's check of one synthesized stack: each rule owns the proof of its failure class."""
    return [finding for rule in all_rules() for finding in rule.check_terraform_json(stack, terraform_version)]


def rule_for_synth_error(error_type: str, first_line: str) -> str | None:
    """The repair rule whose failure class a synth error is, when it is one (the first rule that explains it)."""
    for rule in all_rules():
        if rule.explains_synth_error(error_type, first_line):
            return rule.id
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
