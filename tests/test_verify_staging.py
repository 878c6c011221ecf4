"""One staged copy per project (issue 15): `synth_before_after` stages a project's tree once; the worker keeps its
copy for the second synthesis and copies again only what the repair (in the staging) or the first run (in the
copy) changed. The second synthesis must see exactly what a fresh copy would: the repaired files, never stale ones,
nothing the first run left. The project itself is never written; staged trees are removed.

Synthesized with the real provider in the session's worker (tests/conftest.py), as a `cdktf synth` would.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from repair.proof.tree import tree_of
from repair.proof.verify import synth_before_after

from conftest import ROOT

pytestmark = pytest.mark.synth

# An app whose outputs say what it sees in its folder, and which then messes with its own copy: a file written, a
# module changed (in place, its modification time put back), a file removed, a folder replaced by a link.
MAIN = '''\
import os
import shutil

from cdktf import App, TerraformOutput, TerraformStack

from helper import VALUE

HERE = os.path.dirname(os.path.abspath(__file__))


def read(name):
    path = os.path.join(HERE, name)
    return open(path).read().strip() if os.path.exists(path) else "gone"


class Seen(TerraformStack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        TerraformOutput(self, "value", value=VALUE)
        TerraformOutput(self, "data", value=read("data.txt"))
        TerraformOutput(self, "extra", value=read("extra.txt"))
        TerraformOutput(self, "nested", value=read("conf/settings.txt"))
        TerraformOutput(self, "marker", value=read("marker.txt"))
        TerraformOutput(self, "files", value=sorted(n for n in os.listdir(HERE) if n != "__pycache__"))


app = App()
Seen(app, "seen")
app.synth()

# What a run may leave in its copy: none of it may reach the next synthesis.
open(os.path.join(HERE, "marker.txt"), "w").write("left by the first run")
helper = os.path.join(HERE, "helper.py")
times = os.stat(helper)
with open(helper) as handle:
    text = handle.read()
with open(helper, "w") as handle:
    handle.write(text.replace("VALUE = ", "VALUE = 'tampered' or "))
os.utime(helper, ns=(times.st_atime_ns, times.st_mtime_ns))
if os.path.exists(os.path.join(HERE, "data.txt")):
    os.remove(os.path.join(HERE, "data.txt"))
shutil.rmtree(os.path.join(HERE, "conf"))
os.symlink("/tmp", os.path.join(HERE, "conf"))
os.makedirs(os.path.join(HERE, "locked", "in"))
os.chmod(os.path.join(HERE, "locked"), 0o500)
os.chmod(HERE, 0o500)  # neither the copy nor a folder of it writable any more
'''


def make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "main.py").write_text(MAIN)
    (folder / "helper.py").write_text("VALUE = 'original'\n")
    (folder / "data.txt").write_text("data\n")
    (folder / "conf").mkdir()
    (folder / "conf" / "settings.txt").write_text("settings\n")
    (folder / "cdktf.json").write_text(json.dumps({"language": "python", "app": "python3 main.py"}))
    return folder


def outputs(result) -> dict:
    assert result.ok, result.error
    return {name: value["value"] for name, value in result.stacks["seen"]["output"].items()}


def state(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, os.lstat(p).st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def staged_twice(worker, project: Path, files: dict[Path, str], between=None):
    """The two syntheses `synth_before_after` makes, through the worker's staging API, with `between` run on the
    staged tree before the second."""
    tree = tree_of(project)
    staged = worker.stage(tree)
    try:
        before = worker.synth_staged(staged, keep=True)
        worker.restage(staged, tree, files)
        if between is not None:
            between(staged)
        after = worker.synth_staged(staged)
        return before, after, dict(worker.last_timings or {})
    finally:
        worker.unstage(staged)


def test_the_second_synthesis_sees_the_repaired_files_and_nothing_the_first_run_left(synth_worker, tmp_path):
    project = make_project(tmp_path / "app")
    untouched = state(project)
    before, after, timings = staged_twice(synth_worker, project, {project / "helper.py": "VALUE = 'repaired'\n"})
    assert outputs(before) == {"value": "original", "data": "data", "extra": "gone", "nested": "settings",
                               "marker": "gone", "files": ["cdktf.json", "conf", "data.txt", "helper.py", "main.py"]}
    # The repaired module, not the copy the first run changed; its file, folder and link put back; its marker gone.
    assert outputs(after) == {**outputs(before), "value": "repaired"}
    assert timings.get("reused") is not None  # the worker's copy was brought up to date, not copied again
    assert state(project) == untouched


def test_files_added_and_removed_in_the_staging_between_the_two(synth_worker, tmp_path):
    project = make_project(tmp_path / "app")
    untouched = state(project)

    def change(staged):
        (staged.base / "data.txt").unlink()  # removed: not named to the worker, found by its own comparison
        (staged.base / "conf" / "settings.txt").write_text("rewritten\n")  # the same size, rewritten in place
        (staged.base / "extra.txt").write_text("added\n")

    before, after, _ = staged_twice(synth_worker, project, {project / "helper.py": "VALUE = 'repaired'\n"}, change)
    assert outputs(before)["data"] == "data" and outputs(before)["extra"] == "gone"
    seen = outputs(after)
    assert (seen["value"], seen["data"], seen["extra"], seen["nested"], seen["marker"]) == (
        "repaired", "gone", "added", "rewritten", "gone")
    assert seen["files"] == ["cdktf.json", "conf", "extra.txt", "helper.py", "main.py"]
    assert state(project) == untouched


def test_a_repair_that_adds_a_module(synth_worker, tmp_path):
    project = make_project(tmp_path / "app")
    files = {project / "helper.py": "from extra_module import VALUE\n", project / "extra_module.py": "VALUE = 'new'\n"}
    before, after, _ = staged_twice(synth_worker, project, files)
    assert outputs(before)["value"] == "original"
    assert outputs(after)["value"] == "new" and "extra_module.py" in outputs(after)["files"]
    assert not (project / "extra_module.py").exists()


def test_synth_before_after_proves_in_one_staging_and_leaves_the_project_and_no_staged_tree(synth_worker, tmp_path):
    project = make_project(tmp_path / "app")
    untouched = state(project)
    keep = tmp_path / "json"
    before, after = synth_before_after(synth_worker, project, {project / "helper.py": "VALUE = 'repaired'\n"}, None,
                                       keep=keep)
    assert before.ok and after.ok
    seen = {label: json.loads((keep / "app" / label / "seen" / "cdk.tf.json").read_text())["output"]
            for label in ("before", "after")}
    assert seen["before"]["value"]["value"] == "original" and seen["after"]["value"]["value"] == "repaired"
    assert seen["after"]["marker"]["value"] == "gone" and seen["after"]["data"]["value"] == "data"
    assert state(project) == untouched
    synth_worker.wait_removals()
    assert os.listdir(synth_worker._staging) == []
    # Without a repair: one synthesis, the copy not kept.
    before, after = synth_before_after(synth_worker, project, {}, None)
    assert before.ok and after is before
    synth_worker.wait_removals()
    assert os.listdir(synth_worker._staging) == []


def test_a_fresh_copy_for_another_project_even_with_the_same_files(synth_worker, tmp_path):
    first, second = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    (second / "helper.py").write_text("VALUE = 'second'\n")
    tree = tree_of(first)
    staged = synth_worker.stage(tree)
    try:
        assert outputs(synth_worker.synth_staged(staged, keep=True))["value"] == "original"
    finally:
        synth_worker.unstage(staged)
    before, _ = synth_before_after(synth_worker, second, {}, None, keep=tmp_path / "json")
    seen = json.loads((tmp_path / "json" / "b" / "before" / "seen" / "cdk.tf.json").read_text())["output"]
    assert seen["value"]["value"] == "second" and seen["marker"]["value"] == "gone"
    assert synth_worker.last_timings.get("reused") is None


def test_an_archive_asset_is_a_zip_of_its_folder(tmp_path):
    """cdktf's archiveSync, done inside jsii's Node.js by repair/proof/node_preload.js: the same entries as
    cdktf's own (archiver's) zip, readable, and cdktf's error when the folder cannot be read."""
    import shutil
    import subprocess

    from repair.proof import sandbox
    from repair.proof.synth import NODE_PRELOAD

    cdktf = next(Path(source) for relative, source in sandbox.jsii_entries(
        sandbox.jsii_cache_root(), sandbox.needed_assemblies()) if relative.startswith("cdktf/"))
    source = tmp_path / "code"
    (source / "pkg").mkdir(parents=True)
    (source / "handler.py").write_text("def handler(event, context):\n    return 1\n" * 50)
    (source / "pkg" / "util.py").write_text("X = 1\n")
    (source / ".hidden").write_text("dot\n")
    script = (f"const fs = require('module').createRequire({json.dumps(str(cdktf / 'lib' / 'x.js'))})('./private/fs');"
              f"fs.archiveSync({json.dumps(str(source))}, {json.dumps(str(tmp_path / 'a.zip'))});"
              f"try {{ fs.archiveSync('/nonexistent', '/tmp/never.zip'); }} catch (e) {{ console.log(e.message); }}")
    done = subprocess.run([shutil.which("node"), "--require", str(NODE_PRELOAD), "-e", script], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "trying to zip archive '/nonexistent'" in done.stdout
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == [".hidden", "handler.py", "pkg/", "pkg/util.py"]
        assert archive.read("handler.py") == (source / "handler.py").read_bytes()


def test_a_worker_nobody_closes_leaves_no_folder_behind(tmp_path):
    # A script stopped by an exception (or an object dropped) never calls close(): its staging folder still goes,
    # when the object does or the interpreter exits, and only in the process that made it.
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = ("import os\n"
              "from repair.proof.synth import SynthWorker\n"
              "kept, dropped = SynthWorker(), SynthWorker()\n"
              "kept._staging_folder(), dropped._staging_folder()\n"
              "assert len(os.listdir(os.environ['TMPDIR'])) == 2\n"
              "pid = os.fork()\n"
              "if pid == 0:\n"
              "    del kept, dropped\n"
              "    os._exit(0 if len(os.listdir(os.environ['TMPDIR'])) == 2 else 3)  # a forked copy leaves them\n"
              "assert os.waitpid(pid, 0)[1] == 0\n"
              "del dropped\n"
              "assert len(os.listdir(os.environ['TMPDIR'])) == 1\n"
              "raise KeyboardInterrupt\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT)})
    assert "KeyboardInterrupt" in result.stderr and "AssertionError" not in result.stderr, result.stderr
    assert list(temporary.iterdir()) == []
