"""Sections that one bench script writes into a report another script regenerates.

docs/corpus.md is written whole by bench/corpus.py, and bench/agreement.py adds its table to it. Each section lies
between `<!-- name -->` and `<!-- end name -->`: the script that owns it replaces only that span, and the script that
rewrites the file carries every such span over unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

_SECTION = re.compile(r"<!-- (?P<name>[\w-]+) -->\n.*?<!-- end (?P=name) -->\n", re.S)


def demoted(markdown: str) -> str:
    """The text with each heading one level lower, to sit inside another page."""
    return re.sub(r"^(#+) ", r"#\1 ", markdown, flags=re.M)


def write_section(path: Path, name: str, text: str) -> None:
    """Puts `text` in `path` as section `name`: in place of the section's earlier text, else at the end."""
    block = f"<!-- {name} -->\n{text.rstrip()}\n<!-- end {name} -->\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    spans = [m for m in _SECTION.finditer(old) if m.group("name") == name]
    if spans:
        new = old[:spans[0].start()] + block + old[spans[0].end():]
    else:
        new = old + ("\n" if old and not old.endswith("\n\n") else "") + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def carried_sections(path: Path) -> str:
    """Every section in the file as it is now, to be appended to its regenerated text."""
    if not path.exists():
        return ""
    return "".join("\n" + m.group(0) for m in _SECTION.finditer(path.read_text(encoding="utf-8")))
