"""Model answers as markdown: fenced code blocks, the file path each one is attributed to, and their repair.

Models name the file of a block in many ways: a heading before it (`## File: lib/tap_stack.py`, `### lib/x.py`,
`## Main Stack - lib/tap_stack.py`, `### Complete CDKTF Stack (tap_stack.py)`, a bold `**lib/x.py**` line), a
first-line comment (`# lib/tap_stack.py`), or the info string (```` ```python title="lib/x.py" ````). Repairing an
answer rewrites only the Python blocks that need it; every other byte of the document stays as it was.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Sequence

from repair.diff import split_lines
from repair.engine import RepairError, RepairResult, repair_source
from repair.options import RepairOptions
from repair.transforms._base import Finding, Rule

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^\n`]*)$")
# A path in a heading: a run of path characters (found in one linear scan) up to its last `name.ext`. One regex
# for both ("[path chars]*\w\.py") backtracks over every start of a long run that holds no path, quadratic in the
# line's length: a heading of 50,000 dashes took minutes.
_PATH_RUN = re.compile(r"(?:[A-Za-z]:)?[\w.\-/\\]+")
_PATH_END = re.compile(r"\w\.(?:py|json|txt|toml|cfg|ini|yaml|yml|sh|md)\b")
_INFO_PATH = re.compile(r"""(?:title|file|filename|path)\s*=\s*["']?([^"'\s]+)""")
_COMMENT_PATH = re.compile(r"^#\s*(?:File:\s*)?([\w.\-/\\:]+\.\w+)\s*$")
_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+.*|\*\*[^*\n]+\*\*:?\s*|File:\s*\S+.*)$")
PYTHON_LANGUAGES = {"python", "py", "python3", "py3"}


@dataclass(frozen=True)
class CodeBlock:
    info: str
    language: str
    path: str | None  # the attributed path, when it is a safe relative path
    path_error: str | None  # why an attributed path was refused
    start: int  # offset of the first character of the code in the document
    end: int  # offset just past the code
    first_line: int  # 1-based document line of the first line of code
    code: str
    fenced: bool = True  # False for a document that is one module without fences

    @property
    def is_python(self) -> bool:
        if self.language in PYTHON_LANGUAGES:
            return True
        return not self.language and bool(self.path and self.path.endswith(".py"))


def check_relative_path(path: str) -> str | None:
    """Why `path` may not be written under an output folder, or None when it is a plain relative path."""
    if re.match(r"^[A-Za-z]:", path) or path.startswith(("/", "\\")):
        return f"absolute path {path!r} refused"
    if ".." in PurePosixPath(path.replace("\\", "/")).parts:
        return f"path {path!r} leaves its folder ('..') and is refused"
    if path.replace("\\", "/").endswith("/") or PurePosixPath(path.replace("\\", "/")).name in ("", "."):
        return f"path {path!r} names a folder, not a file, and is refused"
    return None


def normal_path(path: str) -> str:
    """An attributed path as a relative POSIX path: Windows separators and `./` dropped (`.\\lib\\x.py` ->
    `lib/x.py`)."""
    parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    return "/".join(parts)


def _path_in(text: str) -> str | None:
    """The last path-like token of a line (`lib/tap_stack.py`), each run of path characters taken up to the end
    of its last `name.ext`."""
    found = None
    for run in _PATH_RUN.finditer(text):
        end = None
        for ending in _PATH_END.finditer(run.group()):
            end = ending.end()
        if end is not None:
            found = run.group()[:end]
    return found.strip("`'\"") if found else None


def _attribute(info: str, code: str, preceding: str) -> str | None:
    match = _INFO_PATH.search(info)
    if match:
        return match.group(1)
    words = info.split()
    if words and ":" in words[0] and words[0].split(":", 1)[1]:
        return words[0].split(":", 1)[1]  # ```python:lib/x.py
    match = _COMMENT_PATH.match(code.split("\n", 1)[0].strip())
    if match:
        return match.group(1)
    # The closest heading-like line between the previous block and this one.
    for line in reversed(preceding.splitlines()):
        if _HEADING.match(line):
            return _path_in(line)
    return None


def code_blocks(text: str) -> list[CodeBlock]:
    blocks: list[CodeBlock] = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 0
    previous_end = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i].rstrip("\r"))
        if not match:
            i += 1
            continue
        fence, info = match.group(2), match.group(3).strip()
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\r?$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        start = offsets[i + 1] if i + 1 < len(offsets) else len(text)
        end = offsets[j] if j < len(lines) else len(text)
        end = min(end, len(text))
        code = text[start:end]
        language = info.split()[0].split(":")[0].lower() if info else ""
        path, path_error = _checked(_attribute(info, code, text[previous_end:offsets[i]]))
        blocks.append(CodeBlock(info, language, path, path_error, start, end, i + 2, code))
        previous_end = offsets[j + 1] if j + 1 < len(offsets) else len(text)
        i = j + 1
    start = 1 if text.startswith("\ufeff") else 0  # a byte order mark is the document's, not the code's
    if not blocks and reads_as_module(text[start:]):
        # Models also answer with the file itself, no fence around it (often a first line `# main.py`): the
        # whole document is then its one Python block.
        path_line = _COMMENT_PATH.match(text[start:].split("\n", 1)[0].strip())
        path, path_error = _checked(path_line.group(1) if path_line else None)
        blocks.append(CodeBlock("", "python", path, path_error, start, len(text), 1, text[start:], fenced=False))
    return blocks


def _checked(raw_path: str | None) -> tuple[str | None, str | None]:
    """(the attributed path as a relative POSIX path, or why it is refused)."""
    path_error = check_relative_path(raw_path) if raw_path else None
    return (None if path_error or not raw_path else normal_path(raw_path)), path_error


def reads_as_module(text: str) -> bool:
    """Whether a document without fences is a Python module: it parses, and it imports or defines something
    (prose that happens to parse, a lone heading read as a comment, is not); or it does not parse but starts as
    only a module does (a python shebang, or an import after at most a path comment and a docstring), which makes
    it a module cut short or mistyped: its block then carries the syntax error and its line, like a fenced one."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # prose, a NUL, nesting past the parser's limits
        return _starts_as_module(text)
    return any(isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef)) for node in tree.body)


_SHEBANG = re.compile(r"^#!.*\bpython")
_IMPORT_LINE = re.compile(r"^(?:from\s+\.*[A-Za-z_][\w.]*\s+import\s+[\w(*]"
                          r"|import\s+[A-Za-z_][\w.]*\s*(?:as\s+\w+\s*)?(?:,|$))")


def _starts_as_module(text: str) -> bool:
    lines = iter(line.rstrip("\r") for line in text.split("\n")[:200])
    line = next((line for line in lines if line.strip()), "")
    if _SHEBANG.match(line):
        return True
    if _COMMENT_PATH.match(line.strip()) and line.strip().endswith(".py"):
        line = next((line for line in lines if line.strip()), "")
    if line.startswith(('"""', "'''")):
        quote = line[:3]
        if line.count(quote) < 2:  # a docstring of several lines: its closing line
            next((line for line in lines if quote in line), "")
        line = next((line for line in lines if line.strip()), "")
    return bool(_IMPORT_LINE.match(line))


def repair_markdown(text: str, rules: Sequence[type[Rule]] | None = None, options: RepairOptions | None = None,
                    path: str = "<markdown>") -> RepairResult:
    """Repair every Python block of a markdown document into one `RepairResult` of the whole document, the same
    kind of result as a file's: findings (suppressed ones included) and the attribution of every line are mapped
    from each block to the document once, here, so formats, reviews and exit codes treat an answer like a file.

    A block that does not parse (answers often hold fragments) is left as it is and becomes a warning with its
    document position; the other blocks are still repaired."""
    pieces: list[str] = []
    cursor = 0
    blocks = code_blocks(text)
    # Blocks are named by their path in the answer's project; the answer's own path says where that project is,
    # and the answer's own cdktf.json or entry, when it brings one, is the one that runs.
    options = options or RepairOptions()
    if options.project_origin is None and options.project is None:
        files = tuple((b.path.replace("\\", "/").removeprefix("./"), b.code) for b in blocks if b.path)
        options = replace(options, project_origin=path, project_files=files)
    findings: list[Finding] = []
    warnings: list[RepairError] = []
    line_rules: list[frozenset[str]] = []
    removal_rules: dict[int, frozenset[str]] = {}
    document_lines = 0  # lines of the repaired document written so far
    seconds = 0.0
    for block in blocks:
        if not block.is_python:
            continue
        result = repair_source(block.code, rules=rules, options=options, path=block.path or path)
        seconds += result.seconds
        offset = block.first_line - 1  # document lines before the block's first line of code
        findings += [replace(f, line=f.line + offset) for f in result.findings]
        if result.error is not None:
            e = result.error
            warnings.append(RepairError(e.kind, f"python block left as it is: {e.message}",
                                        e.line + offset if e.line else block.first_line, e.column))
        if not result.changed:
            continue
        before = text[cursor:block.start]
        pieces += [before, result.fixed_source]
        cursor = block.end
        # Lines outside the repaired blocks were written by no rule; a block's lines carry its own attribution.
        shift = document_lines + len(split_lines(before))
        line_rules += [frozenset()] * (shift - len(line_rules))
        line_rules += result.line_rules
        removal_rules.update({position + shift: rules_ for position, rules_ in result.removal_rules.items()})
        document_lines = shift + len(split_lines(result.fixed_source))
    pieces.append(text[cursor:])
    fixed = "".join(pieces)
    line_rules += [frozenset()] * (len(split_lines(fixed)) - len(line_rules))
    findings.sort(key=lambda f: (f.line, f.column, f.rule_id))
    return RepairResult(path, text, fixed, findings, warnings=warnings, seconds=seconds,
                        line_rules=line_rules if fixed != text else [], removal_rules=removal_rules)
