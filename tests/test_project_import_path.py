"""CDK038: a module of the project imported by its path from the importing module's folder is imported by its path
from the entry's folder, and the project synthesizes."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.options import RepairOptions
from repair.project import load_project

from conftest import BROKEN, FIXED

FOLDER = "project_import_path"


# Each sample project: the module the broken one cannot import, and (resource type, attribute) -> the values the
# repaired one synthesizes.
PROJECTS = [
    # lib/tap_stack.py imports lib/stacks/ as `stacks`
    ("split_stack", "stacks", {("aws_vpc", "cidr_block"): ["10.60.0.0/16"],
                               ("aws_s3_bucket", "bucket_prefix"): ["orders-dev-"]}),
    # `python3 app/main.py`: app/core/stack.py imports app/core/parts/ as `parts`
    ("app_folder_entry", "parts", {("aws_sqs_queue", "name"): ["orders-dlq-staging", "orders-staging"]}),
    # `python3 bin/main.py` imports lib/ of the root
    ("bin_entry", "lib", {("aws_sns_topic", "name"): ["events-dev"]}),
]


@pytest.mark.synth
@pytest.mark.parametrize(("project", "missing", "expected"), PROJECTS, ids=[p for p, _, _ in PROJECTS])
def test_the_sample_project_synthesizes_once_its_imports_reach_their_modules(synth_worker, project, missing,
                                                                               expected):
    broken = synth_worker.synth(BROKEN / FOLDER / project)
    assert not broken.ok and broken.error == f"ModuleNotFoundError: No module named '{missing}'", broken.error
    fixed = synth_worker.synth(FIXED / FOLDER / project)
    assert fixed.ok, fixed.error
    (stack,) = fixed.stacks.values()
    for (resource, attribute), values in expected.items():
        assert sorted(r[attribute] for r in stack["resource"][resource].values()) == values


def _repair(root, relative: str, source: str):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    load_project.cache_clear()
    return repair_source(source, options=RepairOptions(), path=str(path))


def test_the_path_starts_at_the_entrys_folder(tmp_path):
    # `python3 app/main.py`: app/ is on the path, so app/core/stack.py imports app/core/parts/db.py as core.parts.db.
    (tmp_path / "cdktf.json").write_text('{"app": "python3 app/main.py"}')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("from core.stack import Stack\n")
    (tmp_path / "app" / "core" / "parts").mkdir(parents=True)
    (tmp_path / "app" / "core" / "parts" / "db.py").write_text("class Db: pass\n")
    result = _repair(tmp_path, "app/core/stack.py", "from parts.db import Db\n")
    assert result.fixed_source == "from core.parts.db import Db\n"
    (finding,) = result.findings
    assert finding.rule_id == "CDK038" and finding.fixed and "`core.parts.db`" in finding.message


def test_modules_the_path_reaches_or_the_project_lacks_are_left_alone(tmp_path):
    (tmp_path / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (tmp_path / "lib" / "stacks").mkdir(parents=True)
    (tmp_path / "lib" / "stacks" / "net.py").write_text("class Net: pass\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "net.py").write_text("class Net: pass\n")  # reached from the root: the import works
    source = "from stacks.net import Net\nfrom helpers import tags\nimport json\nfrom typing import Any\n"
    result = _repair(tmp_path, "lib/tap_stack.py", source)
    assert result.fixed_source == source and not result.findings


def test_the_entry_itself_and_a_module_beside_it_are_left_alone(tmp_path):
    (tmp_path / "tap.py").write_text("from stacks.net import Net\n")
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "net.py").write_text("class Net: pass\n")
    source = "from stacks.net import Net\n"
    assert _repair(tmp_path, "tap.py", source).fixed_source == source
    assert _repair(tmp_path, "helper.py", source).fixed_source == source


def test_the_filter_admits_only_code_that_imports_what_the_entrys_path_does_not_reach(tmp_path):
    """The rule is not even parsed for where every import reaches (the engine's filters: may_apply_in with the
    file's facts); tests/test_filters_sound.py checks that it never hides a repair."""
    from repair.transforms._triggers import SourceFacts
    from repair.transforms.imports.project_import_path import ProjectImportPath

    (tmp_path / "cdktf.json").write_text('{"app": "python tap.py"}')
    (tmp_path / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (tmp_path / "lib" / "stacks").mkdir(parents=True)
    (tmp_path / "lib" / "stacks" / "net.py").write_text("class Net: pass\n")
    load_project.cache_clear()
    project = load_project(tmp_path)
    stack = str(tmp_path / "lib" / "tap_stack.py")

    def admits(code: str, path: str = stack) -> bool:
        return ProjectImportPath.may_apply_in(project, path, SourceFacts(code, None))

    assert not admits("import json, os\nfrom cdktf import App\nfrom lib.stacks.net import Net\n")
    assert admits("from stacks.net import Net\n")
    assert admits("import json, stacks.net as net\n")
    assert not admits("from stacks.net import Net\n", str(tmp_path / "tap.py"))  # the entry's own folder
    assert ProjectImportPath.may_apply_in(project, stack)  # code not known: the project alone decides


def test_code_that_sets_its_own_path_is_left_to_it(tmp_path):
    # lib/helpers.py puts its own folder on the path before importing its sibling: that import works as written.
    (tmp_path / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tap_stack.py").write_text("class TapStack: pass\n")
    source = ("import os\nimport sys\nsys.path.append(os.path.dirname(os.path.abspath(__file__)))\n"
              "from tap_stack import TapStack\n")
    assert _repair(tmp_path, "lib/helpers.py", source).fixed_source == source
    # An entry that puts lib/ on the path makes `stacks` reachable from lib/tap_stack.py: left alone too.
    (tmp_path / "lib" / "stacks").mkdir()
    (tmp_path / "lib" / "stacks" / "net.py").write_text("class Net: pass\n")
    (tmp_path / "tap.py").write_text("import sys\nsys.path.insert(0, 'lib')\nfrom lib.tap_stack import TapStack\n")
    assert _repair(tmp_path, "lib/tap_stack.py", "from stacks.net import Net\n").fixed_source == \
        "from stacks.net import Net\n"
