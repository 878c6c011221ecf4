"""What `repair` does to code that already works: the human-fixed versions of the tasks, which deployed.

Every task of ../shared/corpus-dev (or of each --corpus DIR) holds, beside the model's answer, the project a human
fixed until it deployed (`lib/*.py`, `tap.py`, `cdktf.json`). A repair of such code is either a real fix the human
missed (a block whose keys jsii dropped without a word) or a change that was not needed; a repair that stops it
from synthesizing is a defect of the tool. For each task, the human project is copied (without the markdown and the
tests) and proven as `repair verify` proves a project: synthesized before and after `repair`, in the sandbox. Then:
- regressions: the projects that synthesize before repair and not after (must be none);
- the projects the repair makes synthesize;
- for the others that synthesize both times, what the repair changed in the Terraform JSON, path by path, and the
  rules whose findings were fixed in that project. A value that differs between two synths of the same code (a
  timestamp, a generated password, a temporary path) is not a change: each differing project is synthesized a
  second time before repair, and what differs there too is set apart.
Prints a Markdown report (and writes it with --report).

    python bench/human.py [--corpus DIR ...] [--report FILE] [--only TASK ...]
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.engine import select_rules  # noqa: E402
from repair.files import iter_targets, repair_file  # noqa: E402
from repair.options import RepairOptions  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-dev"
_LEFT_OUT = {"tests", "test", "cdktf.out", "node_modules", "__pycache__", ".git"}


def human_project(task: Path, target: Path) -> Path | None:
    """The human-fixed project of a task copied to `target` (markdown, tests and archives left out); None when the
    task has no Python of its own beside the answers."""
    if not (task / "cdktf.json").is_file() or not any((task / "lib").glob("*.py")):
        return None

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in _LEFT_OUT or n.endswith((".md", ".zip"))}

    shutil.copytree(task, target, ignore=ignore, symlinks=True)
    return target


def changes(before, after, path: str = "") -> list[tuple[str, str, str]]:
    """(JSON path, before, after) of each value that differs; cdktf's `//` metadata is not compared."""
    found: list[tuple[str, str, str]] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key == "//":
                continue
            if key not in before:
                found.append((f"{path}/{key}", "(absent)", _short(after[key])))
            elif key not in after:
                found.append((f"{path}/{key}", _short(before[key]), "(absent)"))
            else:
                found += changes(before[key], after[key], f"{path}/{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after)):
            found += changes(b, a, f"{path}[{i}]")
    elif before != after:
        found.append((path, _short(before), _short(after)))
    return found


def _unstable(path: str, unstable: set[str]) -> bool:
    """A change at `path` is one two synths of the same code show too: that path differs between them, or a sibling
    of it does (a resource named with a generated suffix is a new key each time: `ecs-cluster-dev-692e9be0`)."""
    return path in unstable or path.rsplit("/", 1)[0] in {u.rsplit("/", 1)[0] for u in unstable}


def _short(value) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 90 else text[:87] + "..."


def _stacks(folder: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(folder.glob("*/cdk.tf.json"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--only", action="append", default=[], metavar="TASK")
    args = parser.parse_args()
    corpora = [c for c in (args.corpus or [DEFAULT_CORPUS]) if c.is_dir()]
    if not corpora:
        print("no corpus found; nothing to measure")
        return 0
    from repair.proof.synth import SynthWorker
    from repair.proof.verify import _synth_twice, synth_before_after
    from repair.proof.tree import tree_of

    rules = select_rules()
    options = RepairOptions()
    regressions, made_to_work, failing_both, changed, unchanged = [], [], [], {}, []
    rule_changes = collections.Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, SynthWorker(timeout=120) as worker:
        tasks = [t for corpus in corpora for t in sorted(corpus.iterdir()) if t.is_dir()
                 and (not args.only or t.name in args.only)]
        for task in tasks:
            project = human_project(task, Path(tmp) / "projects" / task.name)
            if project is None:
                continue
            repaired, fixed_rules = {}, collections.Counter()
            for target in iter_targets([project]):
                result = repair_file(target.path, rules, options)
                if result.changed and result.error is None:
                    repaired[target.path.resolve()] = result.fixed_source
                    fixed_rules.update(f.rule_id for f in result.findings if f.fixed)
            keep = Path(tmp) / "json"
            before, after = synth_before_after(worker, project, repaired, None, keep=keep)
            label = f"{task.name} ({', '.join(sorted(fixed_rules))})" if fixed_rules else task.name
            if before.ok and not after.ok:
                regressions.append((label, after.error or after.error_type))
            elif not before.ok and after.ok:
                made_to_work.append((label, before.error or before.error_type))
            elif not before.ok:
                failing_both.append((label, before.error or before.error_type))
            elif repaired:
                b, a = _stacks(keep / project.name / "before"), _stacks(keep / project.name / "after")
                found = [(f"stack {name}", "synthesized" if name in b else "(none)",
                          "synthesized" if name in a else "(none)") for name in sorted(set(b) ^ set(a))]
                found += [(f"{name}{path}", x, y) for name in sorted(set(b) & set(a))
                          for path, x, y in changes(b[name], a[name])]
                if found:
                    again, _ = _synth_twice(worker, tree_of(project), {})
                    unstable = {f"{name}{path}" for name in b for path, _, _ in
                                changes(b[name], again.stacks.get(name, {}))} if again.ok else set()
                    found = [c for c in found if not _unstable(c[0], unstable)]
                if found:
                    changed[label] = found
                    rule_changes.update(fixed_rules.keys())
                else:
                    unchanged.append(label)
            else:
                unchanged.append(label)
            shutil.rmtree(keep / project.name, ignore_errors=True)
    elapsed = time.perf_counter() - started
    report = _render(corpora, regressions, made_to_work, failing_both, changed, unchanged, rule_changes, elapsed)
    if args.report is not None:
        args.report.write_text(report, encoding="utf-8")
    print(report)
    return 1 if regressions else 0


def _render(corpora, regressions, made_to_work, failing_both, changed, unchanged, rule_changes, elapsed) -> str:
    proven = len(regressions) + len(made_to_work) + len(failing_both) + len(changed) + len(unchanged)
    lines = [f"# `repair` on human-fixed projects ({', '.join(str(c) for c in corpora)})", "",
             f"{proven} projects in {elapsed:.0f} s: {len(regressions)} synthesize before repair and not after; "
             f"{len(made_to_work)} synthesize only after; {len(changed)} synthesize both times with a changed "
             f"Terraform JSON, {len(unchanged)} unchanged; {len(failing_both)} synthesize neither time.", ""]
    sections = [("Regressions (synthesize before repair, not after)", regressions),
                ("Made to synthesize by the repair (the error before)", made_to_work),
                ("Synthesize neither time (the error)", failing_both)]
    for title, rows in sections:
        lines += [f"## {title}", ""] + ([f"- {label}: {error[:160]}" for label, error in rows] or ["none"]) + [""]
    lines += ["## What the repair changed in the Terraform JSON of projects that synthesize both times", "",
              "Projects changed, by rule with a fixed finding there: " + (", ".join(
                  f"{rule} {count}" for rule, count in rule_changes.most_common()) or "none"), ""]
    for label, found in changed.items():
        lines.append(f"- {label}")
        lines += [f"  - `{path}`: {before} -> {after}" for path, before, after in found[:6]]
        if len(found) > 6:
            lines.append(f"  - and {len(found) - 6} more")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
