"""The proof of a repair: synthesize before and after with the real cdktf, and check the Terraform JSON.

Synth alone cannot see several failure classes: they pass `cdktf synth` and fail at `terraform init` or `apply`.
Each rule owns the proof of its class (`Rule.check_terraform_json`, which reads the synthesized `cdk.tf.json`
itself, independent of the Python source, and names the resource address of each problem, and
`Rule.synth_errors`, the synth errors its class produces); this module runs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from repair.proof.synth import SynthResult, SynthWorker, find_entry
from repair.proof.tree import Tree, copy_tree, tree_of
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


class UnknownStack(LookupError):
    """`--stack NAME` names no stack the project's app synthesizes; the message is one line naming the stacks."""

    def __init__(self, project: Path, stack: str, names: list[str]) -> None:
        super().__init__(f"{project}: the app synthesizes no stack named {stack!r}; its stacks: {', '.join(names)}")


def _only(result: SynthResult, stack: str | None) -> SynthResult:
    """The result of one stack of the app (the app's own failure stays the result)."""
    if stack is None or not result.ok:
        return result
    if stack not in result.stacks:
        return SynthResult(False, "NoStack", f"the app synthesized no stack named {stack!r}")
    return SynthResult(True, stacks={stack: result.stacks[stack]})


def _copy_error(tree: Tree, exc: BaseException) -> SynthResult:
    if isinstance(exc, shutil.Error):  # the files that could not be copied, each (source, target, why)
        errors = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
        source, why = (errors[0][0], str(errors[0][2]).split(": ")[0]) if errors else (tree.base, str(exc))
        return SynthResult(False, "CopyError", f"cannot copy {tree.base}: {len(errors) or 1} file(s) not "
                                               f"copied, the first {source} ({why})")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return SynthResult(False, "CopyError", f"cannot copy {tree.base}: {reason}")


def _synth_tree(worker: SynthWorker, tree: Tree, files: dict[Path, str]) -> SynthResult:
    """Synthesize a temporary copy of the tree, with `files` written over their copies (a worker without
    staging: one copy per synthesis)."""
    with tempfile.TemporaryDirectory(prefix="repair-verify-") as tmp:
        try:
            project = copy_tree(tree, Path(tmp), files)
        except (OSError, RecursionError) as exc:  # shutil.Error included
            return _copy_error(tree, exc)
        # The sandbox stages the whole copy of the tree (links still links) and runs the app where the project is.
        return worker.synth(project, in_place=True, root=Path(tmp) / tree.base.name)


def _synth_twice(worker: SynthWorker, tree: Tree, files: dict[Path, str]) -> tuple[SynthResult, SynthResult | None]:
    """The tree as it is, then (with `files`) repaired: staged once by the parent (its one copy of the tree); the
    worker keeps its copy for the second synthesis and copies again only what the repair, or the project's run,
    changed; the staged tree is removed in the background."""
    if not hasattr(worker, "stage"):
        before = _synth_tree(worker, tree, {})
        return before, _synth_tree(worker, tree, files) if files else None
    try:
        staged = worker.stage(tree)
    except (OSError, RecursionError) as exc:
        failed = _copy_error(tree, exc)
        return failed, failed if files else None
    try:
        before = worker.synth_staged(staged, keep=bool(files))
        if not files:
            return before, None
        try:
            worker.restage(staged, tree, files)
        except (OSError, RecursionError) as exc:
            return before, _copy_error(tree, exc)
        return before, worker.synth_staged(staged)
    finally:
        worker.unstage(staged)


def synth_before_after(worker: SynthWorker, project: Path, repaired_files: dict[Path, str],
                       terraform_version: tuple[int, int] | None, keep: Path | None = None,
                       stack: str | None = None, tree: Tree | None = None) -> tuple[SynthRecord, SynthRecord]:
    """Synthesize `project` as it is, then with `repaired_files` (absolute path -> text) in place of its files,
    each in a temporary copy of its tree (repair/proof/tree.py: the repository or the folder holding every path
    it reads; `tree_of(project)` unless given). With `stack`, only that stack of the app is proven (UnknownStack
    when the app synthesizes none of that name); with `keep`, the synthesized JSON of both goes there."""
    tree = tree or tree_of(project)
    before_result, after_result = _synth_twice(worker, tree, repaired_files)
    if stack is not None and before_result.ok and stack not in before_result.stacks:
        raise UnknownStack(project, stack, sorted(before_result.stacks))
    if not repaired_files:
        after_result = before_result
    else:
        if stack is not None and after_result.ok and not before_result.ok and stack not in after_result.stacks:
            raise UnknownStack(project, stack, sorted(after_result.stacks))
    before_result, after_result = _only(before_result, stack), _only(after_result, stack)
    before = record_from(before_result, terraform_version)
    after = record_from(after_result, terraform_version) if repaired_files else before
    if keep is not None:
        folder = _kept_folder(keep, project)
        for label, result in (("before", before_result), ("after", after_result)):
            for name, data in result.stacks.items():
                target = folder / label / name / "cdk.tf.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return before, after


def _kept_folder(keep: Path, project: Path) -> Path:
    """Where `--synth-out` keeps a project's JSON: KEEP/<the project's folder name>, or <name>-2, -3, ... where
    another project of that name is kept already (four `infra` folders of one repository overwrote each other);
    `project.txt` there names the project."""
    source = os.path.abspath(project)
    folder, number = keep / project.name, 1
    while (folder / "project.txt").is_file():
        if (folder / "project.txt").read_text(encoding="utf-8").strip() == source:
            return folder
        number += 1
        folder = keep / f"{project.name}-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.txt").write_text(source + "\n", encoding="utf-8")
    return folder


# -- where a finding of the Terraform JSON is written in the project's Python ----------------------------------------

# CDKTF names a resource by its construct id; one inside a nested construct gets the parents' ids in front and an
# eight-digit hash behind (`compute_data_processor_log_group_CFDF446A`).
_HASH_SUFFIX = re.compile(r"_[0-9A-F]{8}$")
_STRING_LITERAL = re.compile(
    r"""(?P<prefix>[fFrRbBuU]{0,2})(?P<quote>["'])(?P<text>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""")
_SKIPPED_FOLDERS = {"cdktf.out", "node_modules", "__pycache__", ".venv", "venv", ".git"}


@dataclass(frozen=True)
class Location:
    file: str  # as the project's path was given, joined with the file's path inside it
    line: int  # 1-based
    column: int  # 1-based, the literal's opening quote (or its f prefix)


@dataclass(frozen=True)
class LocatedFinding:
    rule_id: str
    address: str
    message: str
    before: bool  # in the project's JSON as it is
    after: bool  # still in it once repaired
    location: Location | None


def _id_candidates(address: str) -> list[str]:
    """Construct ids a resource address may come from, most specific first."""
    name = address.rsplit(".", 1)[-1]
    candidates = [name]
    unhashed = _HASH_SUFFIX.sub("", name)
    if unhashed != name:
        parts = unhashed.split("_")
        candidates += ["_".join(parts[start:]) for start in range(len(parts))]
    return list(dict.fromkeys(c for c in candidates if c))


def _python_files(project: Path) -> list[Path]:
    if project.is_file():
        return [project]
    return sorted(p for p in project.rglob("*.py")
                  if not _SKIPPED_FOLDERS.intersection(p.relative_to(project).parts[:-1]))


def _literal_matches(text: str, prefix: str, candidate: str) -> int:
    """2 when the literal is the id itself, 1 when an f-string could render it, else 0."""
    if "f" not in prefix.lower():
        return 2 if text == candidate else 0
    pattern, index = "", 0
    for match in re.finditer(r"\{\{|\}\}|\{[^{}]*\}", text):
        pattern += re.escape(text[index:match.start()])
        pattern += {"{{": re.escape("{"), "}}": re.escape("}")}.get(match.group(0), ".+?")
        index = match.end()
    pattern += re.escape(text[index:])
    return 1 if pattern != re.escape(text) and re.fullmatch(pattern, candidate) else 0


def locate(project: Path, address: str, files: list[tuple[Path, list[str]]] | None = None) -> Location | None:
    """The line of the construct id literal a resource address comes from: the literal equal to the id (or an
    f-string that renders it), preferring one written as the second argument of a call; None when not found."""
    if files is None:
        files = [(path, path.read_text(encoding="utf-8", errors="replace").split("\n"))
                 for path in _python_files(project)]
    for candidate in _id_candidates(address):
        best: tuple[int, Location] | None = None
        for path, lines in files:
            for number, line in enumerate(lines, 1):
                if candidate not in line and "{" not in line:
                    continue
                for match in _STRING_LITERAL.finditer(line):
                    score = _literal_matches(match.group("text"), match.group("prefix"), candidate)
                    if not score:
                        continue
                    score = score * 2 + line[:match.start()].rstrip().endswith(",")
                    if best is None or score > best[0]:
                        best = (score, Location(str(path), number, match.start() + 1))
        if best is not None:
            return best[1]
    return None


def located_findings(project: Path, before: SynthRecord, after: SynthRecord) -> list[LocatedFinding]:
    """The JSON findings of a project before and after its repair, each once, with its source location."""
    keys = []
    for record in (before, after):
        for finding in record.json_findings:
            key = (finding["rule_id"], finding["address"], finding["message"])
            if key not in keys:
                keys.append(key)
    if not keys:
        return []
    files = [(path, path.read_text(encoding="utf-8", errors="replace").split("\n"))
             for path in _python_files(project)]
    in_before = {(f["rule_id"], f["address"], f["message"]) for f in before.json_findings}
    in_after = {(f["rule_id"], f["address"], f["message"]) for f in after.json_findings}
    return [LocatedFinding(rule_id, address, message, key in in_before, key in in_after,
                           locate(project, address, files))
            for key in keys for rule_id, address, message in [key]]


@dataclass
class VerifiedProject:
    path: str
    before: SynthRecord
    after: SynthRecord
    findings: list[LocatedFinding]
