"""What a batch leaves: the tally of its records, the report read back (--resume, `repair merge`), the report
replaced whole at the end of a run, and the summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from repair.batch.dataset import REPORT, SUMMARY, BatchConfig, BatchError, check_out


@dataclass
class Tally:
    items: int = 0
    status: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)  # (rule, fixed|reported|suppressed)
    errors: Counter = field(default_factory=Counter)
    resumed: int = 0
    notes: list[str] = field(default_factory=list)  # said once to the user (a capped --jobs)
    removed: list[str] = field(default_factory=list)  # earlier items no longer in the dataset, outputs removed
    seconds: float = 0.0
    interrupted: bool = False
    # With --verify, by project (every item of a project carries its one proof): the projects with a repaired
    # item, and those of them that synthesize with clean Terraform JSON once repaired.
    repaired_projects: set = field(default_factory=set)
    verified_projects: set = field(default_factory=set)

    @property
    def verified(self) -> int:
        """Repaired projects whose proof is clean after repair."""
        return len(self.verified_projects)

    def add(self, record: dict) -> None:
        self.items += 1
        self.status[record["status"]] += 1
        for f in record.get("rules", ()):
            outcome = "suppressed" if f.get("suppressed") else ("fixed" if f["fixed"] else "reported")
            self.findings[(f["rule"], outcome)] += 1
        if record.get("error"):
            self.errors[record["error"]["kind"]] += 1
        verify = record.get("verify")
        if verify and record["status"] == "repaired":
            project = verify.get("project", record["path"])
            self.repaired_projects.add(project)
            after = verify.get("after") or {}
            if after.get("ok") and not after.get("json_findings"):
                self.verified_projects.add(project)


def load_finished(report: Path, strict: bool = False) -> dict[str, dict]:
    """path -> record of a report. A line that is not a record is skipped (a torn last line of an interrupted run),
    or with `strict` (merging reports someone hands us) an error naming the file and line."""
    finished: dict[str, dict] = {}
    if report.is_file():
        with report.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = json.loads(line)
                    if not (isinstance(record, dict) and isinstance(record.get("path"), str)
                            and record.get("status") in ("clean", "repaired", "error")):
                        raise ValueError("not a batch record (it needs a path and a status)")
                except ValueError as exc:
                    if strict:
                        reason = str(exc) if str(exc).startswith("not a batch") else "not JSON"
                        raise BatchError(f"{report}:{number}: {reason}") from None
                    continue
                finished[record["path"]] = record
    return finished


def keep_finished(partial: Path, report: Path, earlier: dict[str, dict], written: set[str], stopped: bool) -> None:
    """The new report replaces the old one. A run stopped early keeps the earlier run's records it did not reach,
    so an interrupted --resume never shrinks the report."""
    if not partial.exists():
        return
    if stopped and earlier:
        with partial.open("a", encoding="utf-8") as handle:
            for path, record in earlier.items():
                if path not in written:
                    handle.write(json.dumps(record, sort_keys=True) + "\n")
    os.replace(partial, report)


def render_summary(tally: Tally, config: BatchConfig | None = None, title: str = "repair batch") -> str:
    lines = [f"# {title}\n"]
    if config is not None:
        lines.append(f"Dataset `{config.dataset}`, output `{config.out}`"
                     + (f", shard {config.shard.index}/{config.shard.count}" if config.shard else "") + ".\n")
    rate = tally.items / tally.seconds if tally.seconds else 0.0
    lines.append(f"{tally.items} items in {tally.seconds:.1f} s ({rate:.1f} items/s)"
                 + (f", {tally.resumed} resumed" if tally.resumed else "")
                 + (" — interrupted, the report holds what finished" if tally.interrupted else "") + ".\n")
    lines += ["| status | items |", "|---|---|"]
    lines += [f"| {s} | {tally.status[s]} |" for s in ("clean", "repaired", "error")]
    if tally.repaired_projects or config is not None and config.verify:
        # Counted by project: each was synthesized once as it is and once with all of its repaired items in place.
        lines += ["", "| proof (projects) | projects |", "|---|---|",
                  f"| repaired | {len(tally.repaired_projects)} |",
                  f"| repaired and verified | {tally.verified} |"]
        if config is not None and config.sandbox is not None:
            lines += ["", f"Synthesized in the sandbox: {config.sandbox.describe()}."]
    lines += ["", "| rule | fixed | reported | suppressed |", "|---|---|---|---|"]
    for rule in sorted({r for r, _ in tally.findings}):
        lines.append(f"| {rule} | {tally.findings[(rule, 'fixed')]} | {tally.findings[(rule, 'reported')]} | "
                     f"{tally.findings[(rule, 'suppressed')]} |")
    if tally.removed:
        lines += ["", f"Removed the outputs of {len(tally.removed)} earlier item(s) no longer in the dataset:", ""]
        lines += [f"- {relative}" for relative in tally.removed]
    if tally.errors:
        lines += ["", "| error | items |", "|---|---|"]
        lines += [f"| {kind} | {n} |" for kind, n in tally.errors.most_common()]
    return "\n".join(lines) + "\n"


def merge_reports(reports: list[Path], out: Path) -> Tally:
    """One report and summary from the reports of several shards (each item once, in path order)."""
    records: dict[str, dict] = {}
    for report in reports:
        path = report / REPORT if report.is_dir() else report
        if not path.is_file():
            raise BatchError(f"{path}: no report")
        records.update(load_finished(path, strict=True))
    check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    with (out / REPORT).open("w", encoding="utf-8") as handle:
        for relative in sorted(records):
            handle.write(json.dumps(records[relative], sort_keys=True) + "\n")
            tally.add(records[relative])
    tally.seconds = sum(r.get("seconds", 0.0) for r in records.values())
    (out / SUMMARY).write_text(render_summary(tally, title="repair batch (merged)"), encoding="utf-8")
    from repair.output.summary_page import write_summary_page

    # The whole run's page: each shard's summary.html charts only its own share.
    write_summary_page(tally, out, "repair batch (merged)",
                       details="Each item with failures has its analysis as <code>&lt;item&gt;.failures.md</code> in "
                               "the output of its shard; every record is in <code>report.jsonl</code>.")
    return tally

