"""The engine's filters (each rule's text triggers and AST filter) may only save work: with every filter off, every
rule runs on every file, and each result (output, findings, error) must be the same. Run on the samples and every
rule example here, and on the real answers of ../shared/corpus-dev when it is beside the project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from repair.transforms._base import all_rules

from conftest import BROKEN, FIXED, ROOT

CORPUS = ROOT.parent / "shared" / "corpus-dev"

# Runs in a child process: the switch is read from the environment, as a user would set it.
_REPAIR_ALL = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from repair.files import repair_file
    from repair.options import RepairOptions
    from repair.transforms._base import all_rules
    out = []
    for path in sys.stdin.read().split("\\n"):
        if not path:
            continue
        result = repair_file(Path(path), list(all_rules()), RepairOptions())
        out.append([path, result.fixed_source,
                    [[f.rule_id, f.line, f.column, f.message, f.fixed, f.suppressed] for f in result.findings],
                    result.error.message if result.error else None])
    print(json.dumps(out))
""")


def _start(paths: list[Path], filters_off: bool) -> subprocess.Popen:
    env = dict(os.environ, CDKTF_REPAIR_NO_FILTERS="1" if filters_off else "0")
    process = subprocess.Popen([sys.executable, "-c", _REPAIR_ALL], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               env=env, text=True, cwd=ROOT)
    process.stdin.write("\n".join(map(str, paths)))
    process.stdin.close()
    return process


def _collect(process: subprocess.Popen) -> list:
    output = process.stdout.read()
    assert process.wait() == 0
    return json.loads(output)


def _results(paths: list[Path], filters_off: bool) -> list:
    return _collect(_start(paths, filters_off))


def _assert_same_with_and_without_filters(paths: list[Path]) -> None:
    # Both runs at once: they are independent processes, and the machine has more than one core.
    running = [_start(paths, False), _start(paths, True)]
    with_filters, without = (_collect(process) for process in running)
    assert len(with_filters) == len(paths)
    for filtered, unfiltered in zip(with_filters, without):
        assert filtered == unfiltered, f"the filters change the result of {filtered[0]}"


def test_filters_are_sound_on_the_samples_and_rule_examples(tmp_path):
    paths = sorted(p for folder in (BROKEN, FIXED) for p in folder.rglob("*.py") if "__pycache__" not in p.parts)
    for rule in all_rules():
        for number, example in enumerate(rule.examples):
            if example.options.terraform_version is None and example.options.provider is None:
                path = tmp_path / f"{rule.id}_{number}.py"
                path.write_text(example.before)
                paths.append(path)
    _assert_same_with_and_without_filters(paths)


def test_the_check_can_see_a_filter_that_skips_a_repair(tmp_path, monkeypatch):
    # A filter that wrongly says "nothing to do" must show up as a difference.
    path = tmp_path / "s.py"
    path.write_text('self.add_override("terraform.backend.s3.use_lockfile", True)\n')
    (with_filters,), (without,) = _results([path], False), _results([path], True)
    assert with_filters == without and with_filters[2]  # the rule fired either way
    broken = tmp_path / "broken_filter.py"
    broken.write_text("import repair.transforms.deploy.backend_use_lockfile as m\n"
                      "m.BackendUseLockfile.triggers = ('never present',)\n" + _REPAIR_ALL)
    env_runs = []
    for off in ("0", "1"):
        env = dict(os.environ, CDKTF_REPAIR_NO_FILTERS=off)
        env_runs.append(subprocess.run([sys.executable, str(broken)], input=str(path), env=env, capture_output=True,
                                       text=True, check=True, cwd=ROOT).stdout)
    assert env_runs[0] != env_runs[1]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-dev is not beside the project")
def test_filters_are_sound_on_the_real_answers():
    paths = sorted(CORPUS.glob("*/lib/MODEL_RESPONSE*.md"))
    _assert_same_with_and_without_filters(paths)
