"""What `terraform validate` says of real answers once repaired: ../shared/corpus-dev (or --corpus DIR).

Synth proves an answer runs; it does not prove Terraform accepts what it wrote. For every model answer that
synthesizes after repair (laid out and synthesized as bench/corpus.py does), each stack's Terraform JSON is given to
`terraform init` and `terraform validate` with the AWS provider from a local mirror (no network, no credentials, no
backend): the provider's own checks of every argument (allowed values, name rules, references, JSON strings).

The mirror may hold another provider version than the one the installed bindings target (here 5.100.0 for the
bindings' 6.25.0): the stacks are validated against the mirror's version, and a diagnostic about something only a
newer provider has (an argument, attribute or data source it does not know) is counted apart, "not judged", never
as a failure of the answer. So is a file function over a Lambda package the synthesis wrote beside the JSON (not
copied here). Needs `terraform` and a mirror (--mirror, default /opt/tf-plugins); says so and stops otherwise.

    python bench/validate.py [--corpus DIR] [--mirror DIR] [--only TASK ...]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.markdown import repair_markdown  # noqa: E402
from repair.proof.answers import build_project, lay_out  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-dev"
DEFAULT_MIRROR = Path("/opt/tf-plugins")
AWS = "registry.terraform.io/hashicorp/aws"
# Diagnostics about something the mirror's older provider does not know (an argument, a block, an attribute, a data
# source or resource type): the newer provider the bindings target may well know it.
_NEWER_ONLY = re.compile(r"^(Unsupported (argument|attribute|block type)|Extraneous JSON object property|Invalid "
                         r"(data source|resource type))$")
# A file function over a file the synthesis wrote beside the stack (a Lambda package, an asset): not copied here.
_STAGED_FILE = re.compile(r'Call to function "(filebase64sha256|filemd5|filesha256|file|filebase64)" failed')


def mirror_versions(mirror: Path) -> list[str]:
    folder = mirror / AWS
    return sorted((p.name for p in folder.iterdir() if p.is_dir()), key=_version_key) if folder.is_dir() else []


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r"[.-]", version))


def classify(diagnostic: dict, older_mirror: bool) -> str:
    """'failure', or why the diagnostic is not the answer's: 'newer provider only', 'staged file'."""
    summary, detail = diagnostic.get("summary", ""), diagnostic.get("detail", "") or ""
    if older_mirror and _NEWER_ONLY.match(summary):
        return "newer provider only"
    if _STAGED_FILE.search(detail):
        return "staged file"
    return "failure"


def prepared(stack: dict, version: str) -> dict | None:
    """The stack for an offline validate: no backend, the AWS provider at the mirror's version; None when it needs
    another provider (the mirror holds only AWS's)."""
    stack = json.loads(json.dumps(stack))
    terraform = stack.setdefault("terraform", {})
    terraform.pop("backend", None)
    terraform.pop("cloud", None)
    providers = terraform.setdefault("required_providers", {})
    if set(providers) - {"aws"} or set(stack.get("provider", {})) - {"aws"}:
        return None
    providers["aws"] = {"source": "hashicorp/aws", "version": version}
    return stack


def validate(stack: dict, folder: Path, env: dict, older: bool) -> list[dict]:
    """The error diagnostics of `terraform validate`. An argument only the newer provider has stops the older one's
    checks of that block's values: each such argument is taken out of every block and the stack validated again (at
    most three rounds), so a value the provider refuses is not hidden behind it; the diagnostics of every round are
    returned (the arguments taken out among them, to be counted apart)."""
    folder.mkdir(parents=True)
    found: list[dict] = []
    for _ in range(3):
        (folder / "cdk.tf.json").write_text(json.dumps(stack), encoding="utf-8")
        if not (folder / ".terraform").exists():
            init = subprocess.run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=folder,
                                  env=env, capture_output=True, text=True, timeout=600)
            if init.returncode != 0:
                return [{"severity": "error", "summary": "terraform init failed", "detail": init.stderr[-500:]}]
        run = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=folder, env=env,
                             capture_output=True, text=True, timeout=600)
        errors = [d for d in json.loads(run.stdout).get("diagnostics", []) if d.get("severity") == "error"]
        unknown = {m.group(1) for d in errors if classify(d, older) == "newer provider only"
                   for m in [_NAMED.search(d.get("detail") or "")] if m}
        found += [d for d in errors if not unknown or classify(d, older) == "newer provider only"]
        if not unknown:
            break
        stack = _without_arguments(stack, unknown)
    # A diagnostic no removal answers (an attribute only the newer provider has, read elsewhere) comes back each round.
    return list({(d.get("summary"), d.get("detail"), d.get("address")): d for d in found}.values())


_NAMED = re.compile(r'named "(\w+)"')  # 'An argument named "region" is not expected here.'; 'No argument ... is named "region".'


def _without_arguments(stack: dict, names: set[str]) -> dict:
    """The stack with the top-level arguments `names` taken out of every resource and data source."""
    stack = json.loads(json.dumps(stack))
    for section in ("resource", "data"):
        for blocks in (stack.get(section) or {}).values():
            for body in (blocks or {}).values() if isinstance(blocks, dict) else ():
                if isinstance(body, dict):
                    for name in names:
                        body.pop(name, None)
    return stack


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--only", action="append", metavar="TASK")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to validate")
        return 0
    versions = mirror_versions(args.mirror)
    if shutil.which("terraform") is None or not versions:
        print(f"needs `terraform` on PATH and the AWS provider in a mirror ({args.mirror}/{AWS}/<version>): skipped")
        return 0
    from repair.provider_index import installed_index
    from repair.proof.synth import SynthWorker

    bindings = installed_index().version  # the bindings' package version; the Terraform provider's is in its docs
    target = _bindings_provider_version()
    version = versions[-1]
    older = target is not None and _version_key(version)[0] < _version_key(target)[0]
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="repair-validate-"))
    config = work / "terraformrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{args.mirror}"\n  }}\n}}\n'
                      f'plugin_cache_dir = "{work / "plugins"}"\n', encoding="utf-8")
    (work / "plugins").mkdir()
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    answers = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md"))
    if args.only:
        answers = [a for a in answers if a.parent.parent.name in args.only]
    tally: collections.Counter = collections.Counter()
    failures: dict[str, list[str]] = {}
    apart: collections.Counter = collections.Counter()
    try:
        with SynthWorker(timeout=120) as worker:
            for number, answer in enumerate(answers):
                task = answer.parent.parent
                label = task.name if answer.name == "MODEL_RESPONSE.md" else f"{task.name} ({answer.name})"
                repaired = repair_markdown(answer.read_text(encoding="utf-8"), path=str(answer))
                layout = lay_out(repaired.fixed_source, task)
                if not layout.has_stack:
                    continue
                tally["define a stack"] += 1
                with tempfile.TemporaryDirectory() as tmp:
                    result = worker.synth(build_project(task, layout.files, Path(tmp) / "project"))
                if not result.ok:
                    continue
                tally["synthesize after repair"] += 1
                errors: list[str] = []
                other = False
                for index, (name, stack) in enumerate(result.stacks.items()):
                    ready = prepared(stack, version)
                    if ready is None:
                        other = True
                        continue
                    for diagnostic in validate(ready, work / f"{number}-{index}", env, older):
                        kind = classify(diagnostic, older)
                        if kind != "failure":
                            apart[kind] += 1
                            continue
                        where = diagnostic.get("address") or ""
                        errors.append(f"{name}: {where + ': ' if where else ''}{diagnostic.get('summary')}"
                                      f"{': ' + diagnostic['detail'].splitlines()[0] if diagnostic.get('detail') else ''}")
                if other:
                    tally["need another provider"] += 1
                elif errors:
                    failures[label] = errors
                else:
                    tally["validate clean"] += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"# terraform validate of the answers that synthesize after repair\n\nCorpus `{args.corpus.name}`, "
          f"{len(answers)} answers; bindings cdktf-cdktf-provider-aws {bindings} (Terraform AWS provider {target}), "
          f"validated with the mirror's {version}; {time.perf_counter() - started:.0f} s.\n")
    print(f"- define a stack: {tally['define a stack']}; synthesize after repair: {tally['synthesize after repair']}")
    print(f"- validate clean: {tally['validate clean']}; fail validate: {len(failures)}; need another provider "
          f"(not in the mirror): {tally['need another provider']}")
    print(f"- diagnostics not judged: {dict(apart) or 'none'}"
          + (f" (the mirror's {version} is older than {target}: what only the newer one has is not an error of the "
             "answer)" if older else ""))
    for label, errors in sorted(failures.items()):
        print(f"\n{label}:")
        for error in dict.fromkeys(errors):
            print(f"  {error[:300]}")
    return 0


def _bindings_provider_version() -> str | None:
    """The Terraform AWS provider version the installed bindings were generated for, from their docs links."""
    import importlib.util

    spec = importlib.util.find_spec("cdktf_cdktf_provider_aws")  # found, not imported (jsii loads on import)
    if spec is None or spec.origin is None:
        return None
    text = (Path(spec.origin).parent / "provider" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"registry\.terraform\.io/providers/hashicorp/aws/(\d+\.\d+\.\d+)/docs", text)
    return match.group(1) if match else None


if __name__ == "__main__":
    raise SystemExit(main())
