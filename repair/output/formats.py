"""Machine-readable `repair check` output: JSON (this project's schema), SARIF 2.1.0, GitHub workflow commands.

JSON schema, version 1 (stable: fields are only ever added):

    {"version": 1,
     "tool": {"name": "cdktf-repair", "version": str},
     "files": [{"path": str,
                "error": null | {"kind": str, "message": str, "line": int, "column": int},
                "findings": [{"rule": "CDK002", "slug": str, "severity": str, "line": int, "column": int,
                              "message": str, "fixable": bool, "suppressed": bool}]}],
     "summary": {"files": int, "findings": int, "fixable": int, "suppressed": int, "errors": int}}

Lines are 1-based, columns 1-based. A finding is `fixable` when `repair fix` repairs it.
"""

from __future__ import annotations

import json

from repair import __version__
from repair.diff import split_lines
from repair.engine import RepairResult
from repair.transforms._base import Rule, all_rules, rule_by_key

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def check_json(results: list[tuple[str, RepairResult]]) -> str:
    files = []
    summary = {"files": 0, "findings": 0, "fixable": 0, "suppressed": 0, "errors": 0}
    for path, result in results:
        summary["files"] += 1
        error = result.error
        if error is not None:
            summary["errors"] += 1
        findings = []
        for f in result.findings:
            rule = rule_by_key(f.rule_id)
            findings.append({"rule": f.rule_id, "slug": f.slug, "severity": rule.severity.value if rule else "",
                             "line": f.line, "column": f.column, "message": f.message, "fixable": f.fixed,
                             "suppressed": f.suppressed})
            summary["suppressed" if f.suppressed else "findings"] += 1
            summary["fixable"] += f.fixed
        files.append({"path": path, "findings": findings,
                      "error": None if error is None else {"kind": error.kind, "message": error.message,
                                                           "line": error.line, "column": error.column}})
    return json.dumps({"version": 1, "tool": {"name": "cdktf-repair", "version": __version__}, "files": files,
                       "summary": summary}, indent=2) + "\n"


def _sarif_rule(rule: type[Rule]) -> dict:
    return {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} Prevents: {rule.prevents}"},
        "helpUri": rule.doc_url,
        "help": {"text": f"Prevents: {rule.prevents}. Fix with `repair fix` (see `repair rules {rule.id}`)."},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"severity": rule.severity.value},
    }


def _replacement(old_lines: list[str], hunk) -> dict:
    """One context-free hunk as a SARIF replacement: whole lines, newlines included, as characters of the
    original file."""
    inserted = "".join(line[1:] for line in hunk.lines if line.startswith("+") and not line.startswith("\\"))
    offset = sum(len(line) for line in old_lines[: hunk.a_start])
    length = sum(len(line) for line in old_lines[hunk.a_start : hunk.a_end])
    return {"deletedRegion": {"charOffset": offset, "charLength": length}, "insertedContent": {"text": inserted}}


def _fixes_per_finding(result: RepairResult) -> dict[int, list[dict]]:
    """Finding index -> its replacements. Each hunk of a rule's repair goes to one finding of that rule, the one
    nearest to it, so that a viewer applying every fix applies each replacement once."""
    if not result.changed:
        return {}
    old_lines = split_lines(result.source)
    fixes: dict[int, list[dict]] = {}
    for hunk in result.hunks(context=0):
        first, last = hunk.a_start + 1, max(hunk.a_end, hunk.a_start + 1)
        for rule_id in result.hunk_rules(hunk):
            owners = [(max(first - f.line, f.line - last, 0), n) for n, f in enumerate(result.findings)
                      if f.rule_id == rule_id and f.fixed and not f.suppressed]
            if owners:
                fixes.setdefault(min(owners)[1], []).append(_replacement(old_lines, hunk))
                break  # a hunk two rules made is still one replacement
    return fixes


def check_sarif(results: list[tuple[str, RepairResult]]) -> str:
    rules = sorted(all_rules(), key=lambda rule: rule.id)  # the catalog's order, not the run order
    index = {rule.id: n for n, rule in enumerate(rules)}
    sarif_results = []
    for path, result in results:
        fixes = _fixes_per_finding(result)
        for n, f in enumerate(result.findings):
            rule = rule_by_key(f.rule_id)
            entry = {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": _LEVEL[rule.severity.value],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": path},
                                                    "region": {"startLine": f.line, "startColumn": f.column}}}],
            }
            if n in fixes:
                entry["fixes"] = [{"description": {"text": f"repair fix: {rule.slug}"},
                                   "artifactChanges": [{"artifactLocation": {"uri": path},
                                                        "replacements": fixes[n]}]}]
            if f.suppressed:
                entry["suppressions"] = [{"kind": "inSource", "justification": "# repair: ignore"}]
            sarif_results.append(entry)
    errors = [(path, result.error) for path, result in results if result.error is not None]
    return _sarif_log(rules, sarif_results, errors)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(results: list[tuple[str, RepairResult]]) -> str:
    """GitHub Actions workflow commands: one annotation per finding (suppressed ones are left out)."""
    lines = []
    for path, result in results:
        if result.error is not None:
            e = result.error
            lines.append(f"::error file={_escape_property(path)},line={e.line or 1},col={e.column or 1},"
                         f"title=repair::{_escape_data(e.message)}")
        for f in result.findings:
            if f.suppressed:
                continue
            rule = rule_by_key(f.rule_id)
            level = "error" if _LEVEL[rule.severity.value] == "error" else "warning"
            title = _escape_property(f"{f.rule_id} {f.slug}")
            lines.append(f"::{level} file={_escape_property(path)},line={f.line},col={f.column},title={title}::"
                         f"{_escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)


# -- repair verify --format json|sarif ------------------------------------------------------------------------------
#
# JSON schema, version 1 (stable: fields are only ever added):
#
#     {"version": 1,
#      "tool": {"name": "cdktf-repair", "version": str},
#      "sandbox": {"level": "bwrap" | "none", "requested": "auto" | "bwrap" | "none", "description": str,
#                  "memory_limit": int (bytes)} | null,
#      "projects": [{"path": str,
#                    "before": {"ok": bool, "error_type": str, "error": str, "rule": str | null, "skipped": str},
#                    "after": (the same, once repaired),
#                    "findings": [{"rule": "CDK024", "slug": str, "severity": str, "address": str, "message": str,
#                                  "before": bool, "after": bool,
#                                  "file": str | null, "line": int | null, "column": int | null}]}],
#      "summary": {"projects": int, "findings": int, "after_repair": int, "failing": int}}
#
# A finding is one failure class found in the synthesized Terraform JSON, by resource address; `before` and `after`
# say whether the project has it as it is and once repaired. `failing` counts the projects that still fail (synth
# error or findings) once repaired: what `repair verify` exits 1 for.


def _record_json(record) -> dict:
    return {"ok": record.ok, "error_type": record.error_type, "error": record.error, "rule": record.rule,
            "skipped": record.skipped}


def _finding_json(finding) -> dict:
    rule = rule_by_key(finding.rule_id)
    location = finding.location
    return {"rule": finding.rule_id, "slug": rule.slug if rule else "", "severity": rule.severity.value if rule else "",
            "address": finding.address, "message": finding.message, "before": finding.before,
            "after": finding.after, "file": location.file if location else None,
            "line": location.line if location else None, "column": location.column if location else None}


def _still_fails(project) -> bool:
    return not project.after.skipped and not project.after.clean


def _sandbox_json(sandbox) -> dict | None:
    if sandbox is None:
        return None
    return {"level": sandbox.level, "requested": sandbox.requested, "description": sandbox.describe(),
            "memory_limit": sandbox.memory_limit}


def verify_json(projects: list, sandbox=None) -> str:
    summary = {"projects": len(projects), "findings": 0, "after_repair": 0, "failing": 0}
    entries = []
    for project in projects:
        summary["findings"] += len(project.findings)
        summary["after_repair"] += sum(f.after for f in project.findings)
        summary["failing"] += _still_fails(project)
        entries.append({"path": project.path, "before": _record_json(project.before),
                        "after": _record_json(project.after),
                        "findings": [_finding_json(f) for f in project.findings]})
    return json.dumps({"version": 1, "tool": {"name": "cdktf-repair", "version": __version__},
                       "sandbox": _sandbox_json(sandbox), "projects": entries, "summary": summary}, indent=2) + "\n"


def verify_sarif(projects: list, sandbox=None) -> str:
    """One result per Terraform JSON finding, at the construct id's line when it was found (else at the project);
    one per project whose repaired code still fails to synthesize. `repairedByFix` says whether `repair fix` removes
    the finding."""
    rules = sorted(all_rules(), key=lambda rule: rule.id)
    index = {rule.id: n for n, rule in enumerate(rules)}
    results = []
    for project in projects:
        for finding in project.findings:
            rule = rule_by_key(finding.rule_id)
            location = finding.location
            physical = {"artifactLocation": {"uri": location.file if location else project.path}}
            if location:
                physical["region"] = {"startLine": location.line, "startColumn": location.column}
            results.append({
                "ruleId": finding.rule_id,
                "ruleIndex": index[finding.rule_id],
                "level": _LEVEL[rule.severity.value],
                "message": {"text": f"{finding.address}: {finding.message}"},
                "locations": [{"physicalLocation": physical,
                               "logicalLocations": [{"fullyQualifiedName": finding.address, "kind": "resource"}]}],
                "properties": {"address": finding.address, "before": finding.before, "after": finding.after,
                               "repairedByFix": not finding.after},
            })
        if not project.after.ok and not project.after.skipped:
            entry = {"level": "error", "message": {"text": f"synth fails after repair: {project.after.error}"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": project.path}}}]}
            if project.after.rule in index:
                entry.update(ruleId=project.after.rule, ruleIndex=index[project.after.rule])
            results.append(entry)
    properties = {"sandbox": _sandbox_json(sandbox)} if sandbox is not None else None
    return _sarif_log(rules, results, properties=properties)


def _sarif_log(rules, results: list[dict], errors: list[tuple[str, object]] = (),
               properties: dict | None = None) -> str:
    """One SARIF 2.1.0 run of this tool: its rules' metadata and the results; files that could not be checked
    (path, RepairError) are the invocation's error notifications, so a viewer shows them beside the results;
    `properties` are the run's (verify: the sandbox)."""
    run = {
        "tool": {"driver": {"name": "cdktf-repair", "version": __version__,
                            "rules": [_sarif_rule(rule) for rule in rules]}},
        "results": results,
    }
    if errors:
        notifications = []
        for path, error in errors:
            location = {"artifactLocation": {"uri": path}}
            if error.line:
                location["region"] = {"startLine": error.line, **({"startColumn": error.column} if error.column
                                                                    else {})}
            notifications.append({"level": "error", "message": {"text": f"{path}: {error.message}"},
                                  "locations": [{"physicalLocation": location}]})
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    if properties:
        run["properties"] = properties
    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2) + "\n"


def verify_text_findings(project) -> list[str]:
    """Lines under a project's before/after lines: each JSON finding at its source line when known."""
    lines = []
    for finding in project.findings:
        where = (f"{finding.location.file}:{finding.location.line}:{finding.location.column}: "
                 if finding.location else "")
        state = "remains after repair" if finding.after else "repaired"
        lines.append(f"    {where}{finding.rule_id} {finding.address} ({state}): {finding.message}")
    return lines
