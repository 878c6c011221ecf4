"""The triggers' text readings are written for speed (a literal first, the keyword pattern run over the reversed
code); each must find exactly what its plain forward pattern finds, on every sample, every rule example and random
texts made of the pieces those patterns turn on."""

from __future__ import annotations

import random
import re

import pytest

from conftest import BROKEN, sample_files
from repair.provider_index import PACKAGE
from repair.transforms._base import all_rules
from repair.transforms._triggers import _DOTTED_USE, _PACKAGE_WORD, SourceFacts

# The plain patterns, as they were first written.
PLAIN_ARGUMENT = re.compile(
    r"""(?:(?<![\w.])([A-Za-z_]\w*)\s*=(?!=)|(?<![\w'"])[rRuU]?('''|\"\"\"|'|")([A-Za-z_]\w*)\2[ \t]*:)""")
PLAIN_DOTTED_USE = re.compile(rf"\b{PACKAGE}\s*\.\s*(\w+)(?:\s*\.\s*(\w+))?")
PLAIN_PACKAGE_WORD = re.compile(rf"\b{PACKAGE}\b")


def plain_arguments(code: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for match in PLAIN_ARGUMENT.finditer(code):
        found.setdefault(match.group(1) or match.group(3), []).append(match.end())
    return found


def plain_calls(code: str, facts: SourceFacts) -> list[tuple[str, str, int]] | None:
    imports = facts.imports
    if imports.modules is None:
        return None
    found = []
    if imports.classes:
        names = "|".join(sorted(map(re.escape, imports.classes), key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w.])({names})\s*\(", code):
            found.append((*imports.classes[match.group(1)], match.end() - 1))
    for alias, module in imports.module_aliases.items():
        for match in re.finditer(rf"(?<![\w.]){re.escape(alias)}\s*\.\s*(\w+)\s*\(", code):
            found.append((module, match.group(1), match.end() - 1))
    for alias in imports.package_aliases | {PACKAGE}:
        for match in re.finditer(rf"(?<![\w.]){re.escape(alias)}\s*\.\s*(\w+)\s*\.\s*(\w+)\s*\(", code):
            found.append((match.group(1), match.group(2), match.end() - 1))
    return found


def _spans(pattern: re.Pattern, code: str):
    return [(m.span(), m.groups()) for m in pattern.finditer(code)]


def assert_same_readings(code: str) -> None:
    facts = SourceFacts(code, lambda: None)
    assert facts.arguments == plain_arguments(code), code
    assert facts.provider_calls == plain_calls(code, facts), code
    assert _spans(_DOTTED_USE, code) == _spans(PLAIN_DOTTED_USE, code), code
    assert _spans(_PACKAGE_WORD, code) == _spans(PLAIN_PACKAGE_WORD, code), code


def _codes():
    for relative in sample_files():
        yield pytest.param((BROKEN / relative).read_text(encoding="utf-8"), id=str(relative))
    for rule in all_rules():
        for n, example in enumerate(rule.examples):
            yield pytest.param(example.before, id=f"{rule.id}-example-{n}")


@pytest.mark.parametrize("code", _codes())
def test_the_fast_readings_find_what_the_plain_patterns_find(code):
    assert_same_readings(code)


PIECES = [PACKAGE, f"{PACKAGE}.", "from ", "import ", " as ", "aws", "aws.", "s3", "S3Bucket", "S3Bucket(", "(", ")",
          ",", "\n", " ", "\t", ".", "x", "_", "1", "é", "=", "==", "<=", ":", "'", '"', "'''", "r", "b", "#", "\\"]


def test_the_fast_readings_on_random_texts():
    rng = random.Random(15)
    for _ in range(20_000):
        assert_same_readings("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 16))))


def test_a_keyword_after_a_rejected_word_is_still_read():
    # The reversed reading starts at each `=`: a name glued to a longer word or a dot is no keyword, the next is.
    code = "f(a.b=1, x1=2, 'k': 3, r'q':4, br'n':5, c == d, e<=f, g := 1, h=\n 2)"
    assert plain_arguments(code) == SourceFacts(code, lambda: None).arguments
    assert set(plain_arguments(code)) == {"x1", "k", "q", "h"}
