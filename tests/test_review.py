"""Reviewer-facing diff formats: every hunk names the rules that made it."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from repair.cli import app
from repair.engine import repair_source
from repair.output.review import annotated_diff, json_report, markdown_report

from conftest import BROKEN, ROOT

runner = CliRunner()
REVIEW_SYSTEM = "broken_samples/review_system"


def review_output(*extra):
    result = runner.invoke(app, ["fix", "--diff", "--format", *extra, REVIEW_SYSTEM])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_review_of_the_review_system_matches_the_golden_file(monkeypatch):
    monkeypatch.chdir(ROOT)
    golden = (ROOT / "tests" / "golden" / "review_system.review.txt").read_bytes().decode("utf-8")
    assert review_output("review", "--no-color") == golden
    # Five hunks, each preceded by exactly one rule, the five rules of the seed analysis.
    blocks = re.findall(r"((?:^# .*\n)+)@@", golden, flags=re.MULTILINE)
    rules = [re.findall(r"^# (CDK\d{3}) ", block, flags=re.MULTILINE) for block in blocks]
    assert len(rules) == golden.count("\n@@ ") == 5
    assert sorted(r for (r,) in rules) == ["CDK001", "CDK002", "CDK003", "CDK004", "CDK005"]


def test_hunk_attribution_follows_the_lines_each_rule_touched():
    from repair.diff import diff_hunks

    result = repair_source((BROKEN / "review_system" / "lib" / "tap_stack.py").read_text())
    by_line = {line: result.hunk_rules(hunk) for hunk in diff_hunks(result.source, result.fixed_source, context=0)
               for line in hunk.lines}
    assert by_line["+            depends_on=[s3_invoke_permission],\n"] == ["CDK004"]
    assert by_line['-        self.add_override("terraform.backend.s3.use_lockfile", True)\n'] == ["CDK002"]
    # One line edited by two rules names both: CDK006 wraps the block, CDK007 writes it as a struct.
    both = repair_source("from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
                         "Route53Zone(self, 'z', name='n', vpc={'vpc_id': v.id})\n")
    (hunk,) = diff_hunks(both.source, both.fixed_source, context=0)
    assert both.hunk_rules(hunk) == ["CDK006", "CDK007"]


def test_patch_format_stays_a_pure_diff(monkeypatch):
    monkeypatch.chdir(ROOT)
    patch = review_output("patch")
    assert not any(line.startswith("#") for line in patch.splitlines())
    # ... and is the diff: the review system's five hunks, under a/ and b/ paths.
    assert patch.startswith("--- a/") and "\n+++ b/" in patch and patch.count("\n@@ ") == 5


def test_markdown_report_has_a_table_and_fenced_diffs(monkeypatch):
    monkeypatch.chdir(ROOT)
    report = review_output("markdown")
    assert report.startswith("# Repairs by cdktf-repair")
    assert "| CDK003 `apigw-deployment-depends-on` | high | 1 | 1 |" in report
    assert "```diff\n--- a/broken_samples/review_system/lib/tap_stack.py" in report


def test_json_format_lists_hunks_with_rules(monkeypatch):
    monkeypatch.chdir(ROOT)
    data = json.loads(review_output("json"))
    (file,) = data["files"]
    assert [h["rules"] for h in file["hunks"]] == [["CDK001"], ["CDK002"], ["CDK005"], ["CDK004"], ["CDK003"]]


def test_color_only_when_asked_for_and_on_a_terminal():
    result = repair_source((BROKEN / "backend_use_lockfile" / "dict_override.py").read_text())
    assert "\033[" not in annotated_diff(result, "x.py")
    colored = annotated_diff(result, "x.py", color=True)
    assert "\033[31m-" in colored and "\033[33m# CDK002" in colored


def test_reports_of_nothing():
    clean = repair_source("x = 1\n")
    assert markdown_report([("x.py", clean)]).endswith("Nothing to repair.\n")
    assert json.loads(json_report([("x.py", clean)])) == {"files": []}


def test_a_result_is_diffed_once_for_its_patch_and_its_review(monkeypatch):
    import repair.engine as engine
    from repair.diff import patch_text, unified_diff
    from repair.output.review import markdown_report

    source = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text(encoding="utf-8")
    result = repair_source(source)
    calls = []
    original = engine.diff_hunks
    monkeypatch.setattr(engine, "diff_hunks", lambda *args: calls.append(args) or original(*args))
    patch = patch_text("lib/tap_stack.py", result.hunks(3))
    markdown_report([("lib/tap_stack.py", result)], 3)
    assert len(calls) == 1
    assert patch == unified_diff(result.source, result.fixed_source, "lib/tap_stack.py", 3)


def test_the_prevents_line_quotes_the_finding_own_names(tmp_path):
    # Not the catalog's example (S3BucketServerSideEncryptionConfiguration): the name this file imports.
    stack = tmp_path / "stack.py"
    stack.write_text("from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\n"
                     "S3BucketVersioning(self, 'v', bucket='b', versioning_configuration=config)\n")
    result = runner.invoke(app, ["fix", "--diff", "--format", "review", "--no-color", str(stack)])
    assert result.exit_code == 0, result.output
    (prevents,) = [line for line in result.stdout.splitlines() if line.startswith("#   prevents:")]
    assert prevents == ("#   prevents: ImportError: cannot import name 'S3BucketVersioning' from "
                        "'cdktf_cdktf_provider_aws.s3_bucket_versioning' (cdktf synth fails)")


def test_a_template_fact_the_finding_lacks_is_shown_as_a_placeholder():
    from repair.transforms._base import rule_by_key

    rule = rule_by_key("CDK001")
    assert rule.prevents_for({"name": "X"}) == "ImportError: cannot import name 'X' from '<module>' (cdktf synth fails)"
