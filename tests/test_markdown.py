"""Model answers as markdown: which file each block is, and repairs that touch nothing but Python blocks."""

from __future__ import annotations

import pytest

from repair.engine import select_rules
from repair.markdown import check_relative_path, code_blocks, repair_markdown

BROKEN_STACK = 'self.add_override("terraform.backend.s3.use_lockfile", True)\nx = 1\n'


@pytest.mark.parametrize(("before", "info", "expected"), [
    ("## File: lib/tap_stack.py\n\n", "python", "lib/tap_stack.py"),
    ("### File: lib/lambda/handler.py\n", "python", "lib/lambda/handler.py"),
    ("## lib/tap_stack.py\n", "python", "lib/tap_stack.py"),
    ("## Main Stack - lib/tap_stack.py\n\nThe stack:\n", "python", "lib/tap_stack.py"),
    ("### Complete CDKTF Stack (tap_stack.py)\n", "python", "tap_stack.py"),
    ("**lib/storage.py**\n", "python", "lib/storage.py"),
    ("Some prose.\n", 'python title="lib/x.py"', "lib/x.py"),
    ("Some prose.\n", "python:lib/y.py", "lib/y.py"),
    ("## Implementation\n", "python", None),
])
def test_heading_styles(before, info, expected):
    (block,) = code_blocks(f"{before}```{info}\nx = 1\n```\n")
    assert block.path == expected and block.is_python


def test_first_line_comment_names_the_file():
    (block,) = code_blocks("## Stack\n```python\n# lib/tap_stack.py\nx = 1\n```\n")
    assert block.path == "lib/tap_stack.py"


@pytest.mark.parametrize(("bom", "newline"), [("", "\n"), ("\ufeff", "\r\n")])
def test_an_answer_that_is_a_module_without_fences_is_one_block(bom, newline):
    document = bom + ("# main.py\nfrom cdktf import App\n\n" + BROKEN_STACK).replace("\n", newline)
    (block,) = code_blocks(document)
    assert (block.path, block.is_python, block.fenced, block.first_line) == ("main.py", True, False, 1)
    repaired = repair_markdown(document)
    # The mark and the line endings are the document's: kept, with only the broken line gone.
    assert repaired.fixed_source == document.replace(BROKEN_STACK.replace("\n", newline), "x = 1" + newline)
    (finding,) = repaired.findings
    assert finding.rule_id == "CDK002" and finding.line == 4


@pytest.mark.parametrize("document", [
    "# Answer\n\nThe stack creates a bucket.\n",  # prose
    "# Only a heading\n",  # parses (a comment), defines nothing
    "import this is not python\n",
])
def test_a_document_without_fences_that_is_not_a_module_has_no_block(document):
    assert code_blocks(document) == []


@pytest.mark.parametrize(("document", "line"), [
    # An answer cut off mid-call: the shebang says it is a module.
    ("#!/usr/bin/env python3\nfrom cdktf import App\n\nTerraformOutput(\n    self, 'id',\n", 4),
    # A docstring and an import, then a class whose body lost its indentation.
    ('"""The stack.\n\nAll of it.\n"""\n\nimport json\n\nclass Stack:\n"""Doc."""\n', 9),
    ("# main.py\nfrom cdktf import App\ndef f(:\n", 3),
])
def test_a_module_without_fences_that_does_not_parse_is_a_block_with_its_syntax_error(document, line):
    (block,) = code_blocks(document)
    assert (block.is_python, block.fenced) == (True, False)
    repaired = repair_markdown(document, path="answer.md")
    assert repaired.fixed_source == document and repaired.findings == []
    (warning,) = repaired.warnings
    assert warning.line == line and "syntax error" in warning.message


@pytest.mark.parametrize("document", [
    "Import the bucket first, then:\n\nrun `cdktf deploy` (\n",
    "# main.py\n\nThe entry imports the stack (\n",
    "#!/bin/bash\nset -e\nimport_data (\n",
])
def test_prose_that_does_not_parse_is_still_not_a_module(document):
    assert code_blocks(document) == []


@pytest.mark.parametrize("path", ["../evil.py", "/etc/passwd.py", "C:\\\\x.py", "lib/../../x.py"])
def test_traversal_is_refused(path):
    (block,) = code_blocks(f"## File: {path}\n```python\nx = 1\n```\n")
    assert block.path is None and "refused" in block.path_error
    assert check_relative_path("lib/ok.py") is None


def test_only_python_blocks_change_and_every_other_byte_stays():
    document = ("# Answer\r\n\r\n## File: lib/tap_stack.py\n```python\n" + BROKEN_STACK + "```\n\n"
                "```bash\nself.add_override(\"terraform.backend.s3.use_lockfile\", True)\n```\n"
                "~~~json\n{\"use_lockfile\": true}\n~~~\nend without newline")
    repaired = repair_markdown(document)
    assert repaired.fixed_source == document.replace(BROKEN_STACK, "x = 1\n", 1)
    (finding,) = repaired.findings
    assert finding.rule_id == "CDK002" and finding.line == 5  # the document's line, not the block's


def test_a_fragment_that_does_not_parse_is_left_and_the_rest_repaired():
    document = ("```python\nS3BucketNotification(\n```\n\n"
                "```python\n" + BROKEN_STACK + "```\n")
    repaired = repair_markdown(document)
    assert "use_lockfile" not in repaired.fixed_source
    assert "S3BucketNotification(\n" in repaired.fixed_source
    (error,) = repaired.warnings
    assert error.kind == "syntax" and error.line >= 2 and "python block left as it is" in error.message


# -- one result path: an answer's repair is the same RepairResult as a file's ---------------------------------------
ANSWER = ("# Answer\n\nThe stack:\n\n## File: lib/tap_stack.py\n```python\n"
          "x = 1\n" + BROKEN_STACK + "```\n\nAnd the handler.\n")


def test_a_suppression_inside_an_answer_is_kept_as_suppressed(tmp_path):
    from typer.testing import CliRunner

    from repair.cli import app

    suppressed = BROKEN_STACK.replace("True)\n", "True)  # repair: ignore[CDK002]\n")
    answer = tmp_path / "MODEL_RESPONSE.md"
    answer.write_text(ANSWER.replace(BROKEN_STACK, suppressed))
    module = tmp_path / "stack.py"
    module.write_text("x = 1\n" + suppressed)
    for path in (module, answer):  # the same code, as a file and inside an answer: the same outcome
        result = CliRunner().invoke(app, ["check", str(path)])
        assert result.exit_code == 0, result.output
        assert "CDK002" in result.stdout and "(suppressed)" in result.stdout
    (finding,) = repair_markdown(answer.read_text()).findings
    assert finding.suppressed and not finding.fixed and finding.line == 8


def test_every_hunk_of_an_answer_names_its_rule(tmp_path):
    from typer.testing import CliRunner

    from repair.cli import app

    answer = tmp_path / "MODEL_RESPONSE.md"
    answer.write_text(ANSWER + "\n```python\nbucket = 1\n" + BROKEN_STACK + "```\n")
    result = CliRunner().invoke(app, ["fix", "--diff", "--format", "review", "--no-color", str(answer)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n@@ ") + result.stdout.startswith("@@ ") == 2
    assert "no rule" not in result.stdout
    assert result.stdout.count("# CDK002 ") == 2


def test_an_answer_result_maps_lines_and_attribution_to_the_document():
    result = repair_markdown(ANSWER)
    assert result.fixed_source == ANSWER.replace(BROKEN_STACK, "x = 1\n")
    (hunk,) = result.hunks(0)
    assert result.hunk_rules(hunk) == ["CDK002"]
    (finding,) = result.findings
    assert finding.line == 8 and finding.fixed


def test_an_excerpt_shown_in_prose_gets_no_imports_and_a_module_block_does():
    # A failure analysis shows the corrected lines of a module under its heading: the block imports nothing and
    # names no file; its imports are in the module it comes from (257 findings over 135 human analyses before).
    fence = "`" * 3
    excerpt = "self._rds = DbInstance(\n    self,\n    'rds',\n    engine_version='15',\n)\n"
    module = "from cdktf import TerraformStack\nbucket = S3Bucket(self, 'b')\n"
    document = (f"## 1. The database version\n\n{fence}python\n{excerpt}{fence}\n\n"
                f"## The stack\n\n{fence}python\n{module}{fence}\n")
    result = repair_markdown(document, select_rules(["CDK015"]), path="IDEAL_RESPONSE.md")
    assert result.error is None
    assert [(f.rule_id, f.fixed) for f in result.findings] == [("CDK015", True)]
    assert excerpt in result.fixed_source
    assert "from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n" in result.fixed_source
