"""Nothing lost (issue 14): what `repair fix` writes in place keeps everything about the file but the repair, and a
file it cannot write safely is refused, reported, and never counted as repaired."""

from __future__ import annotations

import os
import re
import stat
import sys

import pytest
from typer.testing import CliRunner

import repair.runner
from repair.cli import app
from repair.engine import repair_source

from conftest import BROKEN, stop_when

SAMPLE = BROKEN / "provider_class_name" / "data_source_and_word_split.py"
runner = CliRunner()


def _fix(*paths) -> object:
    return runner.invoke(app, ["fix", *map(str, paths)])


def _expected() -> bytes:
    return repair_source(SAMPLE.read_text(encoding="utf-8")).fixed_source.encode("utf-8")


def test_a_byte_order_mark_is_kept(tmp_path):
    target = tmp_path / "stack.py"
    target.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert _fix(target).exit_code == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + _expected()


def test_carriage_return_line_endings_are_kept(tmp_path):
    target = tmp_path / "stack.py"
    target.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r"))
    result = _fix(target)
    assert result.exit_code == 0 and "1 file(s) repaired" in result.output, result.output
    assert target.read_bytes() == _expected().replace(b"\n", b"\r")


def test_a_module_alias_in_a_file_of_carriage_returns_is_read():
    # The triggers and rules read lines ending in \n: a CR-only file is read as such and given back with its CRs.
    source = ("from cdktf_cdktf_provider_aws import s3_bucket_server_side_encryption_configuration as enc\r\r"
              "enc.S3BucketServerSideEncryptionConfiguration(self, 'e', bucket='b', rule=[])\r")
    result = repair_source(source)
    assert result.fixed_source == source.replace("Configuration(", "ConfigurationA("), repr(result.fixed_source)
    assert [f.rule_id for f in result.findings] == ["CDK001"]


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "real" / "stack.py"
    target.parent.mkdir()
    target.write_bytes(SAMPLE.read_bytes())
    link = tmp_path / "stack.py"
    link.symlink_to(os.path.join("real", "stack.py"))
    assert _fix(link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "stack.py")
    assert target.read_bytes() == _expected()


def test_hard_links_mode_and_owner_survive(tmp_path):
    target = tmp_path / "stack.py"
    target.write_bytes(SAMPLE.read_bytes())
    other = tmp_path / "also.py"
    os.link(target, other)
    os.chmod(target, 0o751)
    owner = None
    if os.geteuid() == 0:
        owner = (4321, 4322)
        os.chown(target, *owner)
    assert _fix(target).exit_code == 0
    status = os.stat(target)
    assert status.st_nlink == 2 and other.read_bytes() == target.read_bytes() == _expected()
    assert stat.S_IMODE(status.st_mode) == 0o751
    if owner is not None:
        assert (status.st_uid, status.st_gid) == owner


def test_a_file_edited_between_read_and_write_is_refused(tmp_path, monkeypatch):
    target = tmp_path / "stack.py"
    target.write_bytes(SAMPLE.read_bytes())
    someone_else = b"# edited by someone else meanwhile\n"
    real_repair = repair.runner.repair_file

    def repair_then_edited(path, *args, **kwargs):
        result = real_repair(path, *args, **kwargs)
        path.write_bytes(someone_else)
        return result

    monkeypatch.setattr(repair.runner, "repair_file", repair_then_edited)
    result = _fix(target)
    assert target.read_bytes() == someone_else
    assert result.exit_code == 2, result.output
    assert "changed on disk since it was read" in result.output
    assert "0 file(s) repaired" in result.output


def test_a_write_that_fails_is_not_counted_as_repaired(tmp_path, monkeypatch):
    target = tmp_path / "stack.py"
    target.write_bytes(SAMPLE.read_bytes())

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(repair.runner, "atomic_write", disk_full)
    result = _fix(target)
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "0 file(s) repaired" in result.output
    assert target.read_bytes() == SAMPLE.read_bytes()
    assert "Traceback" not in result.output


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_repairing_the_repair_changes_nothing(tmp_path, prefix):
    target = tmp_path / "stack.py"
    target.write_bytes(prefix + SAMPLE.read_bytes().replace(b"\n", b"\r"))
    _fix(target)
    once = target.read_bytes()
    assert "0 file(s) repaired" in _fix(target).output and target.read_bytes() == once


# -- paths and outputs ----------------------------------------------------------------------------------------------
def _copy(folder, name="stack.py"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(SAMPLE.read_bytes())
    return folder / name


@pytest.mark.parametrize("command", ["fix", "check"])
def test_an_empty_path_is_refused_not_taken_for_the_current_folder(tmp_path, monkeypatch, command):
    stack = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [command, ""])
    assert result.exit_code == 2 and "an empty path names no file" in result.output
    assert stack.read_bytes() == SAMPLE.read_bytes()


@pytest.mark.parametrize("out", ["project", "project/repaired"])
def test_an_out_folder_that_is_an_input_or_inside_one_is_refused(tmp_path, out):
    stack = _copy(tmp_path / "project")
    result = _fix_out(tmp_path / out, tmp_path / "project")
    assert result.exit_code == 2 and "is inside the input" in result.output, result.output
    assert stack.read_bytes() == SAMPLE.read_bytes() and not (tmp_path / "project" / "repaired").exists()


def test_an_input_inside_the_out_folder_is_refused(tmp_path):
    stack = _copy(tmp_path / "out" / "project")
    result = _fix_out(tmp_path / "out", stack)
    assert result.exit_code == 2 and "is inside --out" in result.output
    assert stack.read_bytes() == SAMPLE.read_bytes()


def test_two_inputs_that_would_land_on_one_out_path_are_refused(tmp_path):
    first, second = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    result = _fix_out(tmp_path / "out", tmp_path / "a", tmp_path / "b")
    assert result.exit_code == 2 and "would both be written to" in result.output, result.output
    assert str(first.name) in result.output and not (tmp_path / "out").exists()
    assert second.read_bytes() == SAMPLE.read_bytes()


def test_an_out_that_is_a_file_is_refused(tmp_path):
    stack = _copy(tmp_path / "a")
    (tmp_path / "taken").write_text("mine\n")
    result = _fix_out(tmp_path / "taken", stack)
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert (tmp_path / "taken").read_text() == "mine\n"


def _fix_out(out, *paths):
    return runner.invoke(app, ["fix", "--out", str(out), *map(str, paths)])


# -- special files and big inputs -----------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_fifo_among_the_inputs_is_skipped_with_a_message(tmp_path, command):
    folder = tmp_path / "project"
    stack = _copy(folder)
    os.mkfifo(folder / "pipe.py")  # opening it for reading would wait for a writer forever
    result = runner.invoke(app, [command, str(folder)])
    assert "pipe.py: error: a FIFO, not a regular file: skipped" in result.output
    assert result.exit_code == 2
    assert ("5 finding(s)" in result.output) if command == "check" else (stack.read_bytes() == _expected())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_a_batch_is_one_error_item(tmp_path):
    import json

    dataset = tmp_path / "dataset"
    _copy(dataset)
    os.mkfifo(dataset / "pipe.py")
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out"), "--jobs", "1"])
    records = {r["path"]: r for r in map(json.loads, (tmp_path / "out" / "report.jsonl").read_text().splitlines())}
    assert records["pipe.py"]["status"] == "error" and records["pipe.py"]["error"]["kind"] == "special-file"
    assert records["stack.py"]["status"] == "repaired", result.output


def test_an_expression_nested_too_deeply_fails_that_file_alone(tmp_path):
    deep = tmp_path / "deep.py"
    deep.write_text("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\nx = " + "+".join(["1"] * 30000) + "\n")
    other = _copy(tmp_path, "other.py")
    result = runner.invoke(app, ["fix", str(deep), str(other)])
    assert "deep.py: error: nested too deeply to parse; left as it is" in result.output, result.output
    assert "Traceback" not in result.output and result.exit_code == 2
    assert other.read_bytes() == _expected()


def _adjacent_strings(count: int) -> str:
    # CPython reads adjacent strings as one constant; libcst as a chain `count` levels deep.
    return "x = (\n" + "".join(f"    'part {i} '\n" for i in range(count)) + ")\n"


def test_a_chain_of_two_thousand_adjacent_strings_is_repaired_and_the_recursion_limit_restored():
    limit = sys.getrecursionlimit()
    source = "from cdktf import TerraformStack\n" + _adjacent_strings(2000) + "y = true\n"
    result = repair_source(source, path="long.py")
    assert result.error is None, result.error
    assert result.fixed_source == source.replace("y = true", "y = True")
    assert sys.getrecursionlimit() == limit


def test_code_python_accepts_and_libcst_cannot_parse_is_not_called_a_syntax_error():
    result = repair_source("from cdktf import TerraformStack\n" + _adjacent_strings(6000) + "y = true\n", path="x.py")
    assert result.error.kind == "libcst-limit" and result.fixed_source == result.source
    assert result.error.message.startswith("libcst cannot parse this code, which Python accepts"), result.error


def test_a_file_that_is_not_python_is_reported_even_without_a_trigger_word(tmp_path):
    broken = tmp_path / "notes.py"
    broken.write_text("def f(:\n    pass\n")
    result = runner.invoke(app, ["check", str(broken)])
    assert result.exit_code == 2 and "notes.py:1:7: error: syntax error" in result.output, result.output


def test_a_heading_of_thousands_of_dashes_is_read_in_one_pass():
    from repair import markdown

    # Structural: the path of a heading is found by one scan for runs of path characters (a single character
    # class, which cannot backtrack), then a search inside each run; no pattern spans a run and its ending.
    assert re.fullmatch(r"\(\?:\[A-Za-z\]:\)\?\[[^\]]+\]\+", markdown._PATH_RUN.pattern)
    assert not hasattr(markdown, "_PATH_TOKEN")
    line = "## " + "-" * 200_000
    assert markdown._path_in(line) is None
    assert markdown._path_in(line + "lib/tap_stack.py") == "-" * 200_000 + "lib/tap_stack.py"
    (block,) = markdown.code_blocks(line + "\n## File: lib/x.py\n```python\nx = 1\n```\n")
    assert block.path == "lib/x.py"


# -- bad text -------------------------------------------------------------------------------------------------------
def test_a_file_declaring_another_encoding_is_told_why_it_is_not_repaired(tmp_path):
    declared = tmp_path / "cyrillic.py"
    declared.write_bytes(b'# -*- coding: iso-8859-5 -*-\nu = "\xb1\xb2"\n')
    result = runner.invoke(app, ["fix", str(declared)])
    assert result.exit_code == 2 and "cyrillic.py:2:6: error: not UTF-8 text (byte 0xb1); it declares " \
        "iso-8859-5 (PEP 263), and only UTF-8 files are repaired" in result.output, result.output
    assert declared.read_bytes() == b'# -*- coding: iso-8859-5 -*-\nu = "\xb1\xb2"\n'


def test_standard_input_that_is_not_utf8_is_an_error_and_passes_through_unchanged():
    data = b'x = "\xff"\n'
    checked = runner.invoke(app, ["check", "-"], input=data)
    assert checked.exit_code == 2 and "<stdin>:1:6: error: not UTF-8 text (byte 0xff)" in checked.output
    fixed = runner.invoke(app, ["fix", "-"], input=data)
    assert fixed.exit_code == 2 and fixed.stdout_bytes.startswith(data)


LOCKFILE = BROKEN / "backend_use_lockfile" / "dict_override.py"


def _config_project(tmp_path, **files) -> object:
    (tmp_path / "stack.py").write_bytes(LOCKFILE.read_bytes())
    for name, content in files.items():
        (tmp_path / name.replace("_", ".", 1) if name.startswith("_") else tmp_path / name).write_bytes(content)
    return runner.invoke(app, ["check", str(tmp_path)])


def test_a_terraform_version_file_that_is_not_utf8_names_the_file(tmp_path):
    result = _config_project(tmp_path, **{"_terraform-version": b"\xff\xfe1.9"})
    assert result.exit_code == 2 and ".terraform-version: not UTF-8 text (byte 0xff)" in result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize(("keyword", "kept"), [
    ("latest", True),  # the newest release is past 1.10: use_lockfile is an S3 backend argument
    ("latest:^1.5", False),  # the newest 1.5.x: before 1.10
    ("latest:^1\\.11", True),
    ("min-required", False),  # the code's required_version, not read: unknown, assumed older
])
def test_tfenv_keywords_are_understood(tmp_path, keyword, kept):
    result = _config_project(tmp_path, **{"_terraform-version": keyword.encode() + b"\n"})
    assert result.exit_code == (0 if kept else 1), result.output
    assert ("CDK002" in result.output) is not kept


def test_a_pyproject_whose_tool_is_not_a_table_has_no_settings_for_repair(tmp_path):
    result = _config_project(tmp_path, **{"pyproject.toml": b"tool = 3\n"})
    assert result.exit_code == 1 and "CDK002" in result.output and "internal error" not in result.output


@pytest.mark.parametrize(("toml", "message"), [
    (b'[tool.repair]\nterraform-version = 1.10\n', 'terraform-version: write it as a string (terraform-version = "1.10")'),
    (b'[tool.repair]\nselect = ["CDK999"]\n', "[tool.repair] select: unknown rule 'CDK999'"),
    (b'[tool.repair]\nignore = ["no-such-rule"]\n', "[tool.repair] ignore: unknown rule 'no-such-rule'"),
    (b'[tool.repair]\nselect = []\n', "select: an empty list selects no rule"),
])
def test_bad_settings_name_the_file_and_the_key(tmp_path, toml, message):
    result = _config_project(tmp_path, **{"pyproject.toml": toml})
    assert result.exit_code == 2 and f"{tmp_path / 'pyproject.toml'}: " in result.output, result.output
    assert message in result.output


# -- exit codes and outputs -----------------------------------------------------------------------------------------
def test_a_patch_of_a_path_with_spaces_applies_with_patch_and_git(tmp_path):
    import shutil
    import subprocess

    folder = tmp_path / "my stacks"
    _copy(folder, "the stack.py")
    patch = tmp_path / "fix.patch"
    completed = subprocess.run(["repair", "fix", "--diff", "my stacks"], cwd=tmp_path, capture_output=True)
    patch.write_bytes(completed.stdout)
    assert completed.stdout.startswith(b"--- a/my stacks/the stack.py\t\n+++ b/my stacks/the stack.py\t\n")
    for tool in (["patch", "-p1", "-i", str(patch)], ["git", "apply", str(patch)]):
        if shutil.which(tool[0]) is None:
            continue
        (folder / "the stack.py").write_bytes(SAMPLE.read_bytes())
        applied = subprocess.run(tool, cwd=tmp_path, capture_output=True, text=True)
        assert applied.returncode == 0, (tool, applied.stdout, applied.stderr)
        assert (folder / "the stack.py").read_bytes() == _expected()


@pytest.mark.parametrize("output_format", ["json", "sarif", "github"])
def test_a_missing_path_still_gives_the_whole_document_with_the_error_in_it(tmp_path, output_format):
    stack = _copy(tmp_path)
    result = runner.invoke(app, ["check", "--format", output_format, str(stack), str(tmp_path / "nope.py")])
    assert result.exit_code == 2
    document = result.stdout
    assert "nope.py" in document and "no such file or folder" in document
    assert "data_source_and_word_split" not in document and "CDK001" in document  # the other file's findings
    if output_format != "github":
        import json

        parsed = json.loads(document)
        from test_formats import SARIF_SCHEMA

        if output_format == "sarif":
            if not SARIF_SCHEMA.is_file():  # the schema comes with ../shared: said, not passed in silence
                pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not present: the document was not validated")
            import jsonschema

            jsonschema.validate(parsed, json.loads(SARIF_SCHEMA.read_text()))


def test_sarif_gives_each_replacement_once():
    import json

    stack = BROKEN / "review_system" / "lib" / "tap_stack.py"
    log = json.loads(runner.invoke(app, ["check", "--format", "sarif", str(stack)]).stdout)
    replacements = [json.dumps(r, sort_keys=True) for result in log["runs"][0]["results"]
                    for fix in result.get("fixes", []) for change in fix["artifactChanges"]
                    for r in change["replacements"]]
    assert replacements and len(replacements) == len(set(replacements))
    # Applied as a viewer applies them, every fix of every result, they rebuild the repaired file.
    source = stack.read_text()
    for replacement in sorted(map(json.loads, replacements), key=lambda r: -r["deletedRegion"]["charOffset"]):
        region = replacement["deletedRegion"]
        source = (source[:region["charOffset"]] + replacement["insertedContent"]["text"]
                  + source[region["charOffset"] + region["charLength"]:])
    assert source == repair_source(stack.read_text(), path=str(stack)).fixed_source


def test_verify_of_a_missing_path_is_one_line_and_starts_no_worker(tmp_path, monkeypatch):
    import repair.proof.synth

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker was started for nothing")

    monkeypatch.setattr(repair.proof.synth.SynthWorker, "__init__", no_worker)
    result = runner.invoke(app, ["verify", str(tmp_path / "nope")])
    assert result.exit_code == 2 and result.output.strip() == f"{tmp_path / 'nope'}: error: no such file or folder"


# -- answers and suppressions ---------------------------------------------------------------------------------------
ANSWER = """# Answer

## File: lib/tap_stack.py
```python
x = 1
```

## File: lib/tap_stack.py
```python
y = 2
```

## File: lib\\\\helpers.py
```python
z = 3
```

```python title="."
w = 4
```
"""


def test_answer_paths_are_normalized_refused_or_deduplicated_and_the_item_survives(tmp_path):
    import json

    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "MODEL_RESPONSE.md").write_text(ANSWER)
    runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out"), "--jobs", "1", "-q"])
    (record,) = map(json.loads, (tmp_path / "out" / "report.jsonl").read_text().splitlines())
    assert record["status"] == "clean", record
    assert record["files"] == ["lib/tap_stack.py", "lib/helpers.py"]
    files = tmp_path / "out" / "MODEL_RESPONSE.md.files"
    assert (files / "lib" / "helpers.py").read_text() == "z = 3\n"  # a Windows path, written as the file it names
    assert (files / "lib" / "tap_stack.py").read_text() == "y = 2\n"  # the answer's last word on that file
    assert "path '.' names a folder, not a file, and is refused" in record["refused"]
    assert any("lib/tap_stack.py is given by 2 blocks" in r for r in record["refused"])


def test_one_answer_path_that_cannot_be_written_costs_only_that_path(tmp_path):
    import json

    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "MODEL_RESPONSE.md").write_text("## File: lib/a.py\n```python\na = 1\n```\n\n"
                                               "## File: lib/b.py/c.py\n```python\nc = 1\n```\n\n"
                                               "## File: lib/b.py\n```python\nb = 1\n```\n")
    runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out"), "--jobs", "1", "-q"])
    (record,) = map(json.loads, (tmp_path / "out" / "report.jsonl").read_text().splitlines())
    # lib/b.py/c.py makes lib/b.py a folder: that one path fails, the others are written.
    assert record["status"] == "clean" and record["files"] == ["lib/a.py", "lib/b.py/c.py"], record
    assert any(r.startswith("lib/b.py: cannot write") for r in record["refused"])


def test_a_suppression_on_a_use_of_a_renamed_class_leaves_import_and_uses_alone():
    source = ("from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
              "    S3BucketServerSideEncryptionConfiguration,\n"
              ")\n\n"
              'S3BucketServerSideEncryptionConfiguration(self, "enc", bucket="b")  # repair: ignore[CDK001]\n')
    result = repair_source(source)
    assert result.fixed_source == source
    assert [(f.rule_id, f.suppressed) for f in result.findings] == [("CDK001", True)]
    in_import = ("from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                 "    S3BucketServerSideEncryptionConfiguration,  # repair: ignore[CDK001]\n"
                 ")\n\n"
                 'S3BucketServerSideEncryptionConfiguration(self, "enc", bucket="b")\n')
    result = repair_source(in_import)
    assert result.fixed_source == in_import and [f.suppressed for f in result.findings] == [True]


def test_an_override_on_the_line_of_its_if_is_dropped():
    source = ("from cdktf import S3Backend\n"
              "S3Backend(self, bucket='b', key='k', region='us-east-1')\n"
              'if lock: self.add_override("terraform.backend.s3.use_lockfile", True)\n'
              'if lock: print("locking"); self.add_override("terraform.backend.s3.use_lockfile", True)\n')
    result = repair_source(source)
    assert result.fixed_source.endswith("if lock: pass\nif lock: print(\"locking\")\n"), result.fixed_source
    assert [f.rule_id for f in result.findings] == ["CDK002", "CDK002"]


def test_a_wrong_name_taken_through_a_star_import_is_renamed_at_its_uses():
    # `import *` binds every name the module exports: the wrong one is in no import line, only where it is read.
    source = ("from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import *\n\n"
              "rule = S3BucketServerSideEncryptionConfigurationRuleA(\n"
              "    apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApply"
              "ServerSideEncryptionByDefaultA(sse_algorithm='AES256'))\n"
              "S3BucketServerSideEncryptionConfiguration(self, 'enc', bucket='b', rule=[rule])\n"
              "S3BucketServerSideEncryptionConfiguration(self, 'enc2', bucket='c', rule=[rule])\n")
    result = repair_source(source)
    assert result.fixed_source == source.replace("Configuration(self", "ConfigurationA(self"), result.fixed_source
    assert [(f.rule_id, f.line) for f in result.findings] == [("CDK001", 5)]
    assert repair_source(result.fixed_source).fixed_source == result.fixed_source
    # The fix from another module would rebind a name the file already uses for something else: only reported.
    taken = ("from cdktf_cdktf_provider_aws.s3_bucket import *\n"
             "S3BucketVersioning = make_versioning\n"
             "S3BucketVersioningA(self, 'v', bucket='b')\n")
    assert repair_source(taken).fixed_source == taken
    # A star import from a module whose names are not known (not the provider's) leaves every free name alone.
    other = "from helpers import *\n" + source
    assert repair_source(other).fixed_source == other


def test_a_one_element_tuple_where_the_provider_takes_one_block_is_unwrapped():
    source = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
              "LambdaFunction(self, 'f', function_name='f', role=role.arn, handler='app.handler',\n"
              "               runtime='python3.12', environment=({'variables': {'STAGE': 'dev'}},))\n")
    result = repair_source(source)
    assert "environment={'variables': {'STAGE': 'dev'}})" in result.fixed_source, result.fixed_source
    assert [f.rule_id for f in result.findings if not f.fixed] == []
    assert "CDK006" in {f.rule_id for f in result.findings}
    assert repair_source(result.fixed_source).fixed_source == result.fixed_source
    two = source.replace("},))", "}, {'variables': {}}))")
    result = repair_source(two)
    assert result.fixed_source == two
    assert any(f.rule_id == "CDK006" and "this tuple has 2" in f.message for f in result.findings)


# -- batch ----------------------------------------------------------------------------------------------------------
def _dataset(folder, count: int):
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"stack_{n:03}.py").write_bytes(SAMPLE.read_bytes())
    return folder


def _records(out) -> list[dict]:
    import json

    return [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]


def _batch(*args):
    return runner.invoke(app, ["batch", *map(str, args), "-q"])


def test_batch_and_merge_refuse_an_out_that_is_a_file(tmp_path):
    dataset = _dataset(tmp_path / "dataset", 1)
    (tmp_path / "taken").write_text("mine\n")
    for result in (_batch(dataset, "--out", tmp_path / "taken"),
                   runner.invoke(app, ["merge", str(dataset), "--out", str(tmp_path / "taken")])):
        assert result.exit_code == 2 and "Traceback" not in result.output and "internal error" not in result.output
    assert "--out " + str(tmp_path / "taken") + " is a file, not a folder" in _batch(dataset, "--out",
                                                                                      tmp_path / "taken").output
    assert (tmp_path / "taken").read_text() == "mine\n"


def test_batch_refuses_a_folder_of_other_files_as_out(tmp_path):
    dataset = _dataset(tmp_path / "dataset", 1)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep\n")
    result = _batch(dataset, "--out", tmp_path / "mine")
    assert result.exit_code == 2 and "is not empty and holds no earlier batch output" in result.output
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(("line", "message"), [
    ("garbage\n", "report.jsonl:2: not JSON"),
    ('{"path": 1}\n', "report.jsonl:2: not a batch record (it needs a path and a status)"),
])
def test_merge_names_the_line_of_a_malformed_report(tmp_path, line, message):
    dataset = _dataset(tmp_path / "dataset", 1)
    _batch(dataset, "--out", tmp_path / "out")
    with (tmp_path / "out" / "report.jsonl").open("a") as handle:
        handle.write(line)
    result = runner.invoke(app, ["merge", str(tmp_path / "out"), "--out", str(tmp_path / "merged")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_jobs_beyond_the_cpus_are_capped_with_a_note(tmp_path):
    dataset = _dataset(tmp_path / "dataset", 2)
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(tmp_path / "out"), "--jobs", "512"])
    assert f"--jobs 512 capped at {os.cpu_count()}, the CPU count" in result.output
    assert result.exit_code == 0 and len(_records(tmp_path / "out")) == 2


def test_resume_redoes_items_finished_under_other_settings(tmp_path):
    dataset = _dataset(tmp_path / "dataset", 3)
    out = tmp_path / "out"
    _batch(dataset, "--out", out, "--select", "CDK002")
    assert {r["status"] for r in _records(out)} == {"clean"}  # CDK001's failures are not looked at
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(out), "--resume"])
    assert "3 items, 0 resumed" in result.output, result.output
    assert {r["status"] for r in _records(out)} == {"repaired"}
    again = runner.invoke(app, ["batch", str(dataset), "--out", str(out), "--resume"])
    assert "3 resumed" in again.output


def test_resume_removes_and_lists_the_outputs_of_items_gone_from_the_dataset(tmp_path):
    dataset = _dataset(tmp_path / "dataset", 3)
    out = tmp_path / "out"
    _batch(dataset, "--out", out)
    assert (out / "stack_001.py.patch").is_file()
    (dataset / "stack_001.py").unlink()
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(out), "--resume"])
    assert "removed the outputs of 1 item(s) no longer in the dataset: stack_001.py" in result.output
    assert not any(p.name.startswith("stack_001") for p in out.iterdir())
    assert [r["path"] for r in _records(out)] == ["stack_000.py", "stack_002.py"]
    assert "- stack_001.py" in (out / "summary.md").read_text()


def test_a_report_that_cannot_be_written_stops_the_batch_cleanly(tmp_path, monkeypatch):
    import repair.batch.run

    dataset = _dataset(tmp_path / "dataset", 3)
    real = repair.batch.run._ordered_records

    def disk_full_after_one(*args, **kwargs):
        for number, record in enumerate(real(*args, **kwargs)):
            if number == 1:
                raise OSError(28, "No space left on device")
            yield record

    monkeypatch.setattr(repair.batch.run, "_ordered_records", disk_full_after_one)
    result = _batch(dataset, "--out", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 2 and "No space left on device" in result.output, result.output
    assert "Pool is still running" not in result.output and "Traceback" not in result.output
    assert [r["path"] for r in _records(tmp_path / "out")] == ["stack_000.py"]


def _start_batch(dataset, out, *extra):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out),
                             "--jobs", "1", "-q", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _wait_for_records(out, count: int, process) -> None:
    import time

    partial = out / "report.jsonl.partial"
    for _ in range(1200):  # a bound, not a timing: the batch has far more items than are awaited
        if partial.is_file() and partial.read_text().count("\n") >= count:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the batch wrote no records")


def test_sigterm_ends_a_batch_like_ctrl_c_and_resume_continues(tmp_path):
    import signal

    dataset = _dataset(tmp_path / "dataset", 120)
    out = tmp_path / "out"
    process = _start_batch(dataset, out)
    _wait_for_records(out, 3, process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "holds what finished; --resume continues" in stderr.decode()
    done = _records(out)
    assert 3 <= len(done) < 120 and not (out / "report.jsonl.partial").exists()
    result = runner.invoke(app, ["batch", str(dataset), "--out", str(out), "--resume"])
    assert f"{len(done)} resumed" in result.output and len(_records(out)) == 120


def test_an_interrupted_resume_never_shrinks_the_report(tmp_path):
    import signal

    dataset = _dataset(tmp_path / "dataset", 120)
    out = tmp_path / "out"
    _batch(dataset, "--out", out, "--select", "CDK002")
    assert len(_records(out)) == 120
    # Other settings: every item is redone, and the run is stopped early.
    process = _start_batch(dataset, out, "--resume")
    _wait_for_records(out, 3, process)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    records = _records(out)
    assert sorted(r["path"] for r in records) == sorted(p.name for p in dataset.iterdir())
    assert {r["status"] for r in records} == {"clean", "repaired"}  # redone ones and the earlier run's others


@pytest.mark.parametrize("bad_modules", [{"s3_bucket": {"exports": 3}}, {"s3_bucket": [1, 2]},
                                         {"s3_bucket": {"exports": ["S3Bucket"], "params": {"S3Bucket": {"x": 1}}}}])
def test_a_bad_provider_cache_entry_is_read_again_from_the_package(tmp_path, bad_modules):
    import json

    from repair.provider_index import _CACHE_FORMAT, ProviderIndex, locate_provider

    root, version = locate_provider()
    index = ProviderIndex(root=root, version=version, cache_dir=tmp_path)
    for name, entry in bad_modules.items():
        path = index.module_cache_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"format": _CACHE_FORMAT, "version": version, "module": entry}))
    index.owners_cache_path.write_text(json.dumps({"format": _CACHE_FORMAT, "version": version,
                                                   "owners": {"S3Bucket": 5}}))
    assert "S3Bucket" in index.exports("s3_bucket")
    assert index.params("s3_bucket", "S3Bucket")["bucket"].endswith("str]")
    assert index.owners("S3Bucket") == ["s3_bucket"]


def test_a_nul_byte_is_refused_even_where_libcst_would_read_it(tmp_path):
    # libcst reads a NUL inside a comment; CPython refuses the file. Repairing it once and calling its repair a
    # syntax error the next time would break idempotence: it is refused before any rule, with its line and column.
    source = (BROKEN / "backend_use_lockfile" / "dict_override.py").read_text() + "# trailing \0 byte\n"
    result = repair_source(source)
    assert result.fixed_source == source and result.findings == []
    assert result.error.kind == "syntax" and "null bytes" in result.error.message
    assert (result.error.line, result.error.column) == (source.count("\n"), len("# trailing ") + 1)
    stack = tmp_path / "stack.py"
    stack.write_bytes(source.encode())
    run = CliRunner().invoke(app, ["fix", str(stack)])
    assert run.exit_code == 2 and stack.read_bytes() == source.encode()
    assert f"{stack}:{result.error.line}:{result.error.column}: error: syntax error" in run.stderr


def test_sigterm_ends_verify_like_ctrl_c_and_leaves_no_temporary_folder(tmp_path):
    # `timeout`, a scheduler or a CI runner stops a proof with SIGTERM: the staged copies of the project and the
    # worker's folder go on the way out (exit 130), as on Ctrl-C; the default action would leave them in TMPDIR.
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    process = subprocess.Popen([sys.executable, "-m", "repair", "verify", str(BROKEN / "review_system")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    # Stopped once the proof's folders exist (its worker is starting).
    stderr = stop_when(process, lambda: any(p.name.startswith("repair-") for p in temporary.iterdir()))
    assert process.returncode == 130 and b"Traceback" not in stderr, stderr.decode()
    assert list(temporary.iterdir()) == []
