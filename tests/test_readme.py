"""README.md must stay true: its rule catalog is the one the code generates, and .ci/run runs its test command."""

from __future__ import annotations

from repair.transforms._base import catalog_markdown

from conftest import ROOT


def test_readme_catalog_is_generated_from_the_rules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- catalog:")
    start = readme.index("\n", start) + 1
    end = readme.index("<!-- end catalog -->")
    assert readme[start:end] == catalog_markdown()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pytest" in readme and ci.rstrip().endswith("python3 -m pytest")
    assert "python3 -m pip install -e '.[test]'" in readme
