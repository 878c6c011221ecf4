"""Model answers as markdown: which file each block is, and repairs that touch nothing but Python blocks."""

from __future__ import annotations

import pytest

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
    ((block, error),) = repaired.block_errors
    assert error.kind == "syntax" and error.line >= 2
