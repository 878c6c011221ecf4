"""Real projects as their authors keep them (issue 18): `repair verify` synthesizes a project with everything it
references (its repository, or the folder holding every path its stacks read), with cdktf.json's context, one
stack of several on request (`repair batch --verify`, one proof per project: tests/test_batch_projects.py).

The projects are ours, under tests/projects/; each test works on a copy in tmp_path, so that nothing around the
test suite (this repository's own .git) decides what is copied.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repair.cli import app

from conftest import ROOT

PROJECTS = ROOT / "tests" / "projects"
runner = CliRunner()


def copy_project(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cdktf_hash(folder: Path) -> str:
    """cdktf's asset hash (private/fs.js hashPath): md5 over the folder's file contents, upper-case."""
    digest = hashlib.md5()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32].upper()


def nested_logical_id(*components: str) -> str:
    """cdktf's logical id of a construct below the stack (private/unique.js makeUniqueId): the ids joined by `_`
    (characters other than letters, digits, `_` and `-` dropped), then the md5 of the path, 8 upper-case hex."""
    human = "_".join("".join(c for c in part if c.isalnum() or c in "_-") for part in components)
    return f"{human}_{hashlib.md5('/'.join(components).encode()).hexdigest()[:8].upper()}"


# -- what is copied (no synth) -----------------------------------------------------------------------------------
PATH_FORMS = '''import os
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
JOINED = os.path.join(HERE, "..", "..", "assets")
PARENTS = Path(__file__).resolve().parents[2] / "docs"
FSTRING = f"{HERE}/../../templates"
LITERAL = "../config"
NOT_PATHS = [",".join(["a", "b"]), "...", os.environ.get("X", "y"), HERE + "x"]
'''


def test_the_paths_a_stack_reads_are_read_from_its_code(tmp_path):
    from repair.proof.tree import reached_paths

    module = tmp_path / "repo" / "infra" / "stacks" / "paths.py"
    module.parent.mkdir(parents=True)
    module.write_text(PATH_FORMS)
    found = {p.relative_to(tmp_path).as_posix() for p in reached_paths([module], tmp_path / "repo" / "infra")}
    assert found == {"repo/infra/stacks", "repo/assets", "repo/docs", "repo/templates", "repo/config"}


def test_the_copy_is_the_repository_or_the_folder_holding_what_the_stack_reads(tmp_path, monkeypatch):
    import repair.proof.tree as tree_module
    from repair.proof.tree import tree_of

    repo = copy_project("sibling_lambda", tmp_path)
    infra = repo / "infra"
    # Reads ../../lambda from infra/stacks/: the folder holding both is the repository's folder.
    assert (tree_of(infra).base, tree_of(infra).why) == (repo, "reach")
    # A batch proof never copies above the dataset.
    assert tree_of(infra, limit=infra).base == infra
    (repo / ".git").mkdir()
    (tmp_path / ".git").mkdir()  # an outer repository: the nearest one counts
    assert (tree_of(infra).base, tree_of(infra).why) == (repo, "repository")
    # A repository too big to copy: only the folder holding what the stack reads.
    (repo / ".git").rmdir()
    monkeypatch.setattr(tree_module, "MAX_FILES", 3)
    assert (tree_of(infra).base, tree_of(infra).why) == (repo, "reach")
    # A project that reads nothing outside itself, in no repository: the project alone.
    clean = copy_project("two_stacks", tmp_path / "elsewhere")
    assert (tree_of(clean).base, tree_of(clean).why) == (clean, "project")


def test_a_path_leading_to_the_top_of_the_disk_copies_the_project_alone(tmp_path, monkeypatch):
    """`filename="../../../lambda.zip"` (Terraform's path, from the synth output's folder) in a project three folders
    below `/`: the folder holding every path read would be `/` itself, which was copied into its own staging folder
    ("cannot copy /: File exists"). The root, the home folder and a folder too big to copy are never the copy."""
    import repair.proof.tree as tree_module
    from repair.proof.tree import tree_of

    project = tmp_path / "tasks" / "Pr1"
    (project / "lib").mkdir(parents=True)
    (project / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (project / "lib" / "tap_stack.py").write_text('ZIP = "../../../../../../../../../../../../lambda.zip"\n')
    monkeypatch.setattr(tree_module, "REACH_LEVELS", 64)  # as three levels are from /tmp/x/Pr1
    assert (tree_of(project).base, tree_of(project).why) == (project, "project")
    monkeypatch.setattr(tree_module, "REACH_LEVELS", 2)  # reaches tmp_path
    assert tree_of(project).base == tmp_path
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert tree_of(project).base == project
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "elsewhere"))  # held by tmp_path
    assert tree_of(project).base == project
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("/nonexistent/home")))
    # From a project in /tmp/tasks/Pr1 the path leads to /tmp, which holds verify's staging folders ("cannot copy
    # /tmp": copied into themselves) and other programs' files.
    assert tree_of(project).base == tmp_path
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert tree_of(project).base == project
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tasks" / "tmp"))  # the temporary folder, held by it
    assert tree_of(project).base == project
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tree_module, "MAX_REACH_FILES", 1)
    assert tree_of(project).base == project


def test_the_staging_folder_is_never_copied_into_itself(tmp_path):
    """TMPDIR inside the project (`./tmp`): the staging folder the copy goes to is in the tree copied."""
    from repair.proof.tree import copy_tree, tree_of

    project = tmp_path / "project"
    (project / "lib").mkdir(parents=True)
    (project / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (project / "lib" / "tap_stack.py").write_text("X = 1\n")
    (project / "tmp" / "other").mkdir(parents=True)
    destination = project / "tmp" / "repair-stage-1"
    destination.mkdir()
    copy = copy_tree(tree_of(project), destination)
    assert copy == destination / "project"
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == [
        "lib", "lib/tap_stack.py", "tap.py", "tmp", "tmp/other"]


def test_the_copy_skips_tools_and_environments_but_keeps_what_assets_hold(tmp_path):
    from repair.proof.tree import copy_tree, tree_of

    repo = copy_project("sibling_lambda", tmp_path)
    for junk in (".git/objects/pack", "infra/cdktf.out/stacks", "node_modules/cdktf-cli", "infra/node_modules/x",
                 ".venv/lib", "env/lib", "infra/.terraform/providers"):
        (repo / junk).mkdir(parents=True)
        (repo / junk / "file").write_text("x")
    (repo / "env" / "pyvenv.cfg").write_text("home = /usr\n")  # a virtual environment, whatever its name
    for kept in ("lambda/node_modules/left-pad", "lambda/__pycache__"):
        (repo / kept).mkdir(parents=True)
        (repo / kept / "index.js").write_text("module.exports = 1\n")
    before = snapshot(repo)
    destination = tmp_path / "copy"
    destination.mkdir()
    stack = repo / "infra" / "stacks" / "api_stack.py"
    project = copy_tree(tree_of(repo / "infra"), destination, {stack: "# repaired\r\n"})
    assert project == destination / "sibling_lambda" / "infra"
    copied = snapshot(destination / "sibling_lambda")
    assert sorted(copied) == sorted(p for p in before if not p.startswith(
        (".git/", "infra/cdktf.out/", "node_modules/", "infra/node_modules/", ".venv/", "env/", "infra/.terraform/")))
    assert (project / "stacks" / "api_stack.py").read_bytes() == b"# repaired\r\n"
    assert snapshot(repo) == before  # the project itself is only read


def test_links_are_copied_as_links_and_a_repaired_file_never_written_through_one(tmp_path):
    from repair.proof.tree import copy_tree, tree_of

    outside = tmp_path / "outside"
    (outside / "shared").mkdir(parents=True)
    (outside / "stack.py").write_text("original\n")
    (outside / "shared" / "module.py").write_text("original\n")
    (outside / "credentials").write_text("secret\n")
    project = copy_project("two_stacks", tmp_path)
    (project / "linked.py").symlink_to(outside / "stack.py")
    (project / "shared").symlink_to(outside / "shared")
    (project / "credentials").symlink_to(outside / "credentials")
    destination = tmp_path / "copy"
    destination.mkdir()
    copy = copy_tree(tree_of(project), destination, {project / "linked.py": "repaired\n",
                                                     project / "shared" / "module.py": "repaired\n"})
    # Nothing outside the copy is written: the link to the repaired file, and the linked folder holding one,
    # are replaced in the copy by what the repair wrote.
    assert (outside / "stack.py").read_text() == "original\n"
    assert (outside / "shared" / "module.py").read_text() == "original\n"
    assert not (copy / "linked.py").is_symlink() and (copy / "linked.py").read_text() == "repaired\n"
    assert not (copy / "shared").is_symlink() and (copy / "shared" / "module.py").read_text() == "repaired\n"
    # A link no repair goes through stays a link: the parent never copies what it points to.
    assert (copy / "credentials").is_symlink() and os.readlink(copy / "credentials") == str(outside / "credentials")


def test_the_context_is_the_one_cdktf_synth_gives_the_app(tmp_path):
    from repair.proof.tree import cdktf_context

    inherited = '{"environment": "from-the-shell"}'
    assert cdktf_context(PROJECTS / "context_ids", inherited)["environment"] == "staging"
    (tmp_path / "cdktf.json").write_text('{"app": "python main.py", "context": {}}')
    assert cdktf_context(tmp_path, inherited) == {}  # the CLI sets CDKTF_CONTEXT_JSON to "{}": it replaces
    (tmp_path / "cdktf.json").write_text('{"app": "python main.py"}')
    assert cdktf_context(tmp_path, inherited) == {"environment": "from-the-shell"}
    assert cdktf_context(None, "not json") == {} and cdktf_context(None, None) == {}


# -- verify: synthesized where the project lives -----------------------------------------------------------------
@pytest.mark.synth
def test_a_stack_in_infra_packages_its_sibling_lambda_folder(shared_synth, tmp_path):
    repo = copy_project("sibling_lambda", tmp_path / "work")
    infra = repo / "infra"
    untouched = snapshot(repo)
    kept = tmp_path / "kept"
    result = runner.invoke(app, ["verify", "--format", "json", "--synth-out", str(kept), str(infra)])
    assert result.exit_code == 0, result.output
    (project,) = json.loads(result.stdout)["projects"]
    assert project["before"]["ok"] and project["after"]["ok"]
    (finding,) = project["findings"]
    assert (finding["rule"], finding["before"], finding["after"]) == ("CDK020", True, False)
    expected = cdktf_hash(repo / "lambda")  # the handler's own bytes, read from ../lambda
    for label in ("before", "after"):
        stack = json.loads((kept / "infra" / label / "quotes-api" / "cdk.tf.json").read_text())
        function = stack["resource"]["aws_lambda_function"]["quotes-handler"]
        assert function["filename"] == f"assets/handler-code/{expected}/archive.zip"
        assert function["source_code_hash"] == expected
    assert snapshot(repo) == untouched  # nothing written into the project
    # The folder with cdktf.json alone is not the project: its asset is outside it.
    alone = shared_synth.synth(infra)
    assert not alone.ok and "lambda" in alone.error and "no such file" in alone.error.lower()


@pytest.mark.synth
def test_a_path_built_from_configuration_is_found_in_the_repository(shared_synth, tmp_path):
    from repair.proof.tree import tree_of
    from repair.proof.verify import synth_before_after

    repo = copy_project("sibling_lambda", tmp_path)
    infra = repo / "infra"
    (infra / "paths.json").write_text('{"handler_source": "../lambda"}\n')
    stack = infra / "stacks" / "api_stack.py"
    stack.write_text(stack.read_text().replace(
        'HANDLER_SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "lambda")',
        'with open("paths.json") as settings:\n    HANDLER_SOURCE = json.load(settings)["handler_source"]',
    ).replace("import os\n", "import json\nimport os\n"))
    # No reading of the code sees ../lambda: without a repository only infra/ is copied, and the asset is missing.
    before, _ = synth_before_after(shared_synth, infra, {}, None)
    assert not before.ok and "lambda" in before.error
    (repo / ".git").mkdir()
    assert tree_of(infra).why == "repository"
    before, _ = synth_before_after(shared_synth, infra, {}, None)
    assert before.ok, before.error


@pytest.mark.synth
def test_cdktf_json_context_sets_the_logical_ids(shared_synth, tmp_path):
    project = copy_project("context_ids", tmp_path / "work")
    kept = tmp_path / "kept"
    result = runner.invoke(app, ["verify", "--format", "json", "--synth-out", str(kept), str(project)])
    assert result.exit_code == 0, result.output
    (verified,) = json.loads(result.stdout)["projects"]
    assert verified["before"]["rule"] == "CDK017" and verified["after"]["ok"]
    stack = json.loads((kept / "context_ids" / "after" / "artifacts" / "cdk.tf.json").read_text())
    # The context of cdktf.json ("staging") over the app's own default ("dev"), as `cdktf synth` applies it.
    assert list(stack["resource"]["aws_s3_bucket"]) == ["artifacts-staging"]
    assert stack["resource"]["aws_s3_bucket"]["artifacts-staging"]["bucket"] == "acme-artifacts-staging"
    assert list(stack["resource"]["aws_cloudwatch_log_group"]) == [nested_logical_id("logging", "builds-staging")]


CONTEXT_APP = """from cdktf import App, TerraformOutput, TerraformStack

app = App(context={"environment": "dev"})
stack = TerraformStack(app, "context")
TerraformOutput(stack, "environment", value=stack.node.try_get_context("environment"))
app.synth()
"""


@pytest.mark.synth
def test_the_context_reaches_the_app_in_the_sandbox(synth_worker, tmp_path, monkeypatch):
    """cdktf.json's context, else the caller's CDKTF_CONTEXT_JSON (which the sandbox's environment does not carry:
    the worker is given it with each project), over the app's own."""
    project = tmp_path / "context"
    project.mkdir()
    (project / "main.py").write_text(CONTEXT_APP)
    (project / "cdktf.json").write_text('{"app": "python main.py"}')

    def environment() -> str:
        result = synth_worker.synth(project)
        assert result.ok, result.error
        return result.stacks["context"]["output"]["environment"]["value"]

    monkeypatch.delenv("CDKTF_CONTEXT_JSON", raising=False)
    assert environment() == "dev"
    monkeypatch.setenv("CDKTF_CONTEXT_JSON", '{"environment": "from-the-shell"}')
    assert environment() == "from-the-shell"
    (project / "cdktf.json").write_text('{"app": "python main.py", "context": {"environment": "staging"}}')
    assert environment() == "staging"


@pytest.mark.synth
def test_the_entry_runs_with_its_own_folder_on_the_path(synth_worker, tmp_path):
    """`"app": "python3 lib/main.py"`: Python puts lib/ first on the path, so `from stacks.x import` reaches
    lib/stacks/x.py, and `from lib.stacks.x import` does not (the project's root is not on the path)."""
    project = tmp_path / "nested"
    (project / "lib" / "stacks").mkdir(parents=True)
    (project / "lib" / "stacks" / "__init__.py").write_text("")
    (project / "lib" / "stacks" / "outputs.py").write_text(
        "from cdktf import TerraformOutput, TerraformStack\n\n\nclass Outputs(TerraformStack):\n"
        "    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
        "        TerraformOutput(self, 'where', value='lib')\n")
    (project / "lib" / "main.py").write_text(
        "from cdktf import App\nfrom stacks.outputs import Outputs\n\napp = App()\nOutputs(app, 'nested')\napp.synth()\n")
    (project / "cdktf.json").write_text('{"app": "python3 lib/main.py"}')
    result = synth_worker.synth(project)
    assert result.ok, result.error
    assert result.stacks["nested"]["output"]["where"]["value"] == "lib"
    (project / "lib" / "main.py").write_text(
        "from cdktf import App\nfrom lib.stacks.outputs import Outputs\n\napp = App()\nOutputs(app, 'nested')\n"
        "app.synth()\n")
    result = synth_worker.synth(project)
    assert not result.ok and result.error_type == "ModuleNotFoundError", result.error


@pytest.mark.synth
def test_stack_picks_one_stack_of_the_app(shared_synth, tmp_path):
    project = copy_project("two_stacks", tmp_path)
    # The network stack keeps a reserved domain only its owner can change; the storage stack is repaired clean.
    result = runner.invoke(app, ["verify", "--format", "json", "--stack", "storage", str(project)])
    assert result.exit_code == 0, result.output
    (verified,) = json.loads(result.stdout)["projects"]
    assert [(f["rule"], f["address"], f["after"]) for f in verified["findings"]] == [
        ("CDK005", "aws_s3_bucket_lifecycle_configuration.reports-retention", False)]
    unknown = runner.invoke(app, ["verify", "--stack", "dns", str(project)])
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr.splitlines() == [
        f"repair: error: {project}: the app synthesizes no stack named 'dns'; its stacks: network, storage"]


def test_a_tree_that_cannot_be_copied_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    import shutil as shutil_module

    from repair.proof.verify import synth_before_after

    project = copy_project("two_stacks", tmp_path)
    (project / "loop").symlink_to("..")  # a link to a folder holding it: skipped, not copied without end
    copied = []

    class Worker:
        def synth(self, copy, in_place=False, root=None):
            copied.append(sorted(p.name for p in copy.iterdir()))
            from repair.proof.synth import SynthResult

            return SynthResult(False, "Stub", "stub")

    synth_before_after(Worker(), project, {}, None)
    assert copied == [["cdktf.json", "main.py", "stacks"]]

    def unreadable(source, target, **kwargs):
        raise shutil_module.Error([(f"{source}/stacks/network.py", f"{target}/stacks/network.py",
                                    "[Errno 13] Permission denied: 'network.py'")])

    monkeypatch.setattr(shutil_module, "copytree", unreadable)
    before, after = synth_before_after(Worker(), project, {}, None)
    assert (before.ok, before.error_type) == (False, "CopyError") and len(copied) == 1
    assert before.error == (f"cannot copy {project}: 1 file(s) not copied, the first {project}/stacks/network.py "
                            "([Errno 13] Permission denied)")


LONE_MODULE = '''from constructs import Construct
from cdktf import App, TerraformStack, TerraformAsset, AssetType
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket


class Store(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
        S3Bucket(self, "b", bucket_prefix="s3_bucket_x")
        TerraformAsset(self, "code", path="./lambda", type=AssetType.ARCHIVE)


app = App()
Store(app, "store")
app.synth()
'''


@pytest.mark.synth
def test_a_lone_module_is_proven_with_the_folder_it_reads_and_its_own_app_once(shared_synth, tmp_path):
    # Public projects: `TerraformAsset(path="./lambda")` beside a lone module ("ENOENT ... ./lambda": the module was
    # copied alone), and a module that synthesizes its own app when run (its stack was proven twice, each JSON
    # finding printed twice, the class instantiated again beside the app's).
    folder = tmp_path / "terraform"
    (folder / "lambda").mkdir(parents=True)
    (folder / "lambda" / "handler.py").write_text("def handler(event, context):\n    return event\n")
    (folder / "serverless.py").write_text(LONE_MODULE)
    kept = tmp_path / "kept"
    result = runner.invoke(app, ["verify", "--format", "json", "--synth-out", str(kept), str(folder / "serverless.py")])
    assert result.exit_code == 0, result.output
    (project,) = json.loads(result.stdout)["projects"]
    assert project["before"]["ok"] and project["after"]["ok"], project
    assert [f["rule"] for f in project["findings"]] == ["CDK021"]
    assert sorted(p.name for p in (kept / "serverless.py" / "before").iterdir()) == ["store"]


@pytest.mark.synth
def test_projects_of_the_same_name_keep_their_json_apart(shared_synth, tmp_path):
    # A repository's four `infra` folders overwrote each other in --synth-out.
    projects = []
    for team, bucket in (("a", "first"), ("b", "second")):
        project = tmp_path / team / "infra"
        project.mkdir(parents=True)
        (project / "main.py").write_text(LONE_MODULE.replace("bucket_prefix=\"s3_bucket_x\"", f"bucket=\"{bucket}\"")
                                         .replace("        TerraformAsset(self, \"code\", path=\"./lambda\", "
                                                  "type=AssetType.ARCHIVE)\n", ""))
        projects.append(project)
    kept = tmp_path / "kept"
    result = runner.invoke(app, ["verify", "--synth-out", str(kept), *map(str, projects)])
    assert result.exit_code == 0, result.output
    buckets = {}
    for folder in sorted(kept.iterdir()):
        stack = json.loads((folder / "after" / "store" / "cdk.tf.json").read_text())
        buckets[folder.name] = (stack["resource"]["aws_s3_bucket"]["b"]["bucket"],
                                (folder / "project.txt").read_text().strip())
    assert buckets == {"infra": ("first", str(projects[0])), "infra-2": ("second", str(projects[1]))}
