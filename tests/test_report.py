"""`repair report`: the failure analysis in the reviewers' form, and batch's per-item analyses and summary page."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from repair.batch.dataset import BatchConfig
from repair.batch.run import run_batch
from repair.cli import app
from repair.engine import repair_source, select_rules
from repair.output import failures
from repair.output.summary_page import CHART, PAGE, write_summary_page
from repair.transforms._base import all_rules, rule_by_key

from conftest import BROKEN, FIXED, ROOT

runner = CliRunner()
REVIEW_SYSTEM = "broken_samples/review_system"
GOLDEN = ROOT / "tests" / "golden" / "review_system.failures.md"


def report(*args):
    return runner.invoke(app, ["report", *args])


# -- the analysis --------------------------------------------------------------------------------------------------
def test_review_system_analysis_matches_the_golden_file(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = report(REVIEW_SYSTEM)
    assert result.exit_code == 1, result.output  # like check: there is something to repair
    assert result.stdout == GOLDEN.read_bytes().decode("utf-8")
    # The seed analysis's five failures, in the reviewers' form: numbered, grouped by level, counted in the summary.
    golden = GOLDEN.read_bytes().decode("utf-8")
    assert re.findall(r"^### (\d+)\. .*\((CDK\d{3}) ", golden, flags=re.MULTILINE) == [
        ("1", "CDK001"), ("2", "CDK002"), ("3", "CDK004"), ("4", "CDK003"), ("5", "CDK005")]
    assert re.findall(r"^\*\*Impact Level\*\*: (\w+)$", golden, flags=re.MULTILINE) == [
        "Critical", "Critical", "High", "High", "Medium"]
    assert re.findall(r"^## (\w+) Failures$", golden, flags=re.MULTILINE) == ["Critical", "High", "Medium"]
    assert "- Total failures: 2 Critical, 2 High, 1 Medium\n" in golden
    assert golden.count("**MODEL_RESPONSE Issue**") == golden.count("**IDEAL_RESPONSE Fix**") == 5
    assert "/work/" not in golden and str(ROOT) not in golden  # machine-independent
    assert "5 failure(s): 2 Critical, 2 High, 1 Medium." in result.stderr


def test_levels_are_the_rules_severities():
    # The golden's totals rest on these severities; a change to one must be a decision, seen here.
    assert {rule_id: rule_by_key(rule_id).severity.value for rule_id in ("CDK001", "CDK002", "CDK003", "CDK004",
                                                                         "CDK005")} == {
        "CDK001": "critical", "CDK002": "critical", "CDK003": "high", "CDK004": "high", "CDK005": "medium"}


def analysis_json(*paths):
    result = report("--format", "json", *paths)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_marked_lines_are_the_finding_line_and_the_lines_the_repair_wrote(monkeypatch):
    monkeypatch.chdir(ROOT)
    source = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text().splitlines()
    fixed = (FIXED / "review_system" / "lib" / "tap_stack.py").read_text().splitlines()
    document = analysis_json(REVIEW_SYSTEM)
    assert [f["rule"] for f in document["failures"]] == ["CDK001", "CDK002", "CDK004", "CDK003", "CDK005"]
    assert document["summary"]["by_level"] == {"Critical": 2, "High": 2, "Medium": 1}
    for failure in document["failures"]:
        (marked,) = [line for line in failure["model_response"] if line["marked"]]
        assert marked["line"] == failure["line"]
        assert source[marked["line"] - 1].endswith(marked["text"]) and marked["text"].strip()
        # Every shown line is the answer's own line at its number (dedented), and the repaired ones are the
        # repaired file's.
        for line in failure["model_response"]:
            assert source[line["line"] - 1].endswith(line["text"])
        for line in failure["ideal_response"]:
            assert fixed[line["line"] - 1].endswith(line["text"])
        written = [line["text"].strip() for line in failure["ideal_response"] if line["marked"]]
        assert all(text not in {s.strip() for s in source} for text in written)
    by_rule = {f["rule"]: f for f in document["failures"]}
    assert [line["text"].strip() for line in by_rule["CDK004"]["ideal_response"] if line["marked"]] == [
        "depends_on=[s3_invoke_permission],"]
    assert not any(line["marked"] for line in by_rule["CDK002"]["ideal_response"])  # it only removes
    assert by_rule["CDK002"]["stages"] == ["init"] and by_rule["CDK003"]["stages"] == ["apply"]
    assert by_rule["CDK001"]["stages"] == ["synth"]


TWO_NAMES = """from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfiguration,
)


def build(self, bucket):
    first = 1
    second = 2
    third = 3
    fourth = 4
    fifth = 5
    sixth = 6
    S3BucketVersioning(self, "versioning", bucket=bucket.id)
    seventh = 7
    eighth = 8
    ninth = 9
    tenth = 10
    eleventh = 11
    twelfth = 12
    S3BucketServerSideEncryptionConfiguration(self, "encryption", bucket=bucket.id)
"""


def test_each_failure_shows_the_repair_of_its_own_names():
    # Both uses come after both imports: only the findings' own names tell whose use each renamed line is.
    result = repair_source(TWO_NAMES, select_rules(["CDK001"]))  # the calls give no other argument: CDK037's
    found = failures.failures_of("two.py", result)
    assert [f.rule.id for f in found] == ["CDK001", "CDK001"]
    ideal = {f.finding.line: "\n".join(line.text for line in f.ideal if line) for f in found}
    assert "S3BucketVersioningA(self" in ideal[1] and "S3BucketServerSideEncryptionConfigurationA(self" not in ideal[1]
    assert "S3BucketServerSideEncryptionConfigurationA(self" in ideal[3] and "S3BucketVersioningA(self" not in ideal[3]


ANSWER = """# The stack

## File: lib/tap_stack.py

```python
{stack}```
"""


def test_a_markdown_answer_is_analysed_in_its_own_lines(tmp_path):
    stack = (BROKEN / "backend_use_lockfile" / "dict_override.py").read_text()
    answer = tmp_path / "MODEL_RESPONSE.md"
    answer.write_text(ANSWER.format(stack=stack))
    document = analysis_json(str(answer))
    lines = answer.read_text().splitlines()
    assert document["failures"]
    for failure in document["failures"]:
        assert failure["block"] == "lib/tap_stack.py"
        (marked,) = [line for line in failure["model_response"] if line["marked"]]
        assert lines[marked["line"] - 1].endswith(marked["text"])
        # The lines shown stay inside the answer's code block: no fence, no prose.
        assert not any(line["text"].startswith(("```", "#" + " The stack")) for line in failure["model_response"])


def test_findings_left_to_fix_by_hand_are_included_and_marked(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = report("broken_samples/reserved_domain/public_zone.py")
    assert result.exit_code == 1
    text = result.stdout
    assert re.search(r"^### 1\. .*\(CDK022 reserved-domain, left to fix by hand\)$", text, flags=re.MULTILINE)
    assert "**IDEAL_RESPONSE Fix**: left to fix by hand" in text
    assert text.count("```python") == 1  # the answer's lines only: there are no repaired ones
    assert "- Repaired by `repair fix`: 0; left to fix by hand: 1" in text
    assert "InvalidDomainName: example.com is reserved by AWS!" in text  # the finding's own error, its domain


def test_clean_code_errors_and_options_exit_like_check(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    clean = report("fixed_samples/no_repair_needed/correct_stack.py")
    assert clean.exit_code == 0 and "- Total failures: 0\n" in clean.stdout
    broken = tmp_path / "broken.py"
    broken.write_text("import cdktf_cdktf_provider_aws\ndef (:\n")
    errored = report(str(broken), "fixed_samples/no_repair_needed/correct_stack.py")
    assert errored.exit_code == 2
    assert "## Not analysed" in errored.stdout and "syntax error" in errored.stdout
    assert "Traceback" not in errored.output
    assert report("--format", "html", REVIEW_SYSTEM).exit_code == 2
    assert report(str(tmp_path / "missing.py")).exit_code == 2
    out = tmp_path / "FAILURES.md"
    written = report(REVIEW_SYSTEM, "--out", str(out))
    assert written.exit_code == 1 and written.stdout == ""
    assert out.read_bytes() == GOLDEN.read_bytes()  # bytes: read_text would hide a CRLF the file was given
    folder = report(REVIEW_SYSTEM, "--out", str(tmp_path))
    assert folder.exit_code == 2 and "is a folder" in folder.stderr


def test_json_and_markdown_tell_the_same_analysis(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = analysis_json(REVIEW_SYSTEM)
    markdown = GOLDEN.read_bytes().decode("utf-8")
    assert len(document["failures"]) == len(re.findall(r"^### \d+\. ", markdown, flags=re.MULTILINE))
    for failure in document["failures"]:
        assert failure["root_cause"] in markdown and failure["error"] in markdown and failure["doc_url"] in markdown
    gaps = document["summary"]["knowledge_gaps"]
    assert [(g["category"], g["failures"]) for g in gaps] == [("deploy", 4), ("imports", 1)]


@pytest.mark.parametrize("rule_id, expected", [
    ("CDK001", ("synth",)), ("CDK002", ("init",)), ("CDK003", ("apply",)), ("CDK005", ("plan/apply",)),
    ("CDK007", ("synth", "silent")), ("CDK021", ("plan/apply",)), ("CDK025", ("plan",)), ("CDK008", ("synth",)),
])
def test_where_a_failure_stops_comes_from_its_error(rule_id, expected):
    rule = rule_by_key(rule_id)
    assert failures.stages(rule, rule.prevents_for()) == expected


def test_every_rule_has_a_headline_and_an_explanation():
    for rule in all_rules():
        assert failures.headline(rule) and not failures.headline(rule).startswith(rule.id)
        assert failures.explanation(rule).endswith((".", ")", '"'))


# -- batch ---------------------------------------------------------------------------------------------------------
def make_dataset(root):
    (root / "task1" / "lib").mkdir(parents=True)
    stack = (BROKEN / "review_system" / "lib" / "tap_stack.py").read_text()
    (root / "task1" / "lib" / "MODEL_RESPONSE.md").write_text(ANSWER.format(stack=stack))
    (root / "task2").mkdir()
    shutil.copy(BROKEN / "reserved_domain" / "public_zone.py", root / "task2" / "zone.py")
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", root / "task2" / "backend.py")
    shutil.copy(FIXED / "no_repair_needed" / "correct_stack.py", root / "task2" / "clean.py")
    return root


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-batch")
    dataset = make_dataset(root / "dataset")
    out = root / "out"
    tally = run_batch(BatchConfig(dataset=dataset, out=out, jobs=1))
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    return dataset, out, tally, records


def test_batch_writes_each_items_analysis_beside_it(batch_out):
    dataset, out, _, records = batch_out
    for record in records:
        analysis = out / (record["path"] + ".failures.md")
        counted = [f for f in record["rules"] if not f["suppressed"]]
        assert analysis.is_file() == bool(counted), record["path"]
        if counted:
            levels = Counter(rule_by_key(f["rule"]).severity.value.capitalize() for f in counted)
            text = analysis.read_text(encoding="utf-8")
            expected = ", ".join(f"{levels[level]} {level}" for level in failures.LEVELS if levels[level])
            assert f"- Total failures: {expected}\n" in text
            assert f"`{record['path']}`" in text and str(dataset) not in text  # paths relative to the dataset
    assert (out / "task1/lib/MODEL_RESPONSE.md.failures.md").read_text().count("### ") == 5
    assert "left to fix by hand" in (out / "task2/zone.py.failures.md").read_text()


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.cells = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.cells.append(data.strip())


def expected_counts(records) -> dict[str, int]:
    return dict(Counter(f["rule"] for r in records for f in r["rules"] if not f["suppressed"]))


def test_summary_page_charts_every_rule_and_count(batch_out):
    _, out, _, records = batch_out
    page = _Page()
    page.feed((out / PAGE).read_text(encoding="utf-8"))
    (source,) = page.images
    chart = out / source  # the page's own reference, followed
    assert chart.is_file() and chart.name == CHART
    counts = expected_counts(records)
    assert set(counts) == {"CDK001", "CDK002", "CDK003", "CDK004", "CDK005", "CDK022"}
    # Text kept as text: each rule's label, and its count on its bar (the bar label nearest the label's height).
    texts = [(element.text or "", float(element.get("y", "nan")))
             for element in ElementTree.parse(chart).iter("{http://www.w3.org/2000/svg}text")]
    numbers = [(int(text), y) for text, y in texts if text.isdigit()]
    assert sorted(n for n, _ in numbers) == sorted(counts.values())
    for rule_id, count in counts.items():
        (y,) = [y for text, y in texts if text.startswith(rule_id + " ")]
        assert min(numbers, key=lambda item: abs(item[1] - y))[0] == count, rule_id
    # The table beside it has the same figures.
    for rule_id, count in counts.items():
        index = page.cells.index(rule_id)
        assert str(count) in page.cells[index:index + 10]
    assert "Critical" in page.cells and "Total failures" in " ".join(page.cells)


def test_without_the_plotting_library_the_page_says_so_and_keeps_the_table(batch_out, tmp_path, monkeypatch):
    _, out, tally, records = batch_out
    (tmp_path / CHART).write_text("<svg>an earlier chart</svg>")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    write_summary_page(tally, tmp_path)
    text = (tmp_path / PAGE).read_text(encoding="utf-8")
    assert "<img" not in text and "matplotlib" in text and "not installed" in text
    assert not (tmp_path / CHART).exists()  # no stale chart beside a page that has none
    for rule_id in expected_counts(records):
        assert f"<td>{rule_id}</td>" in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's")
def test_the_plotter_loads_at_the_lowest_priority_of_its_own_thread():
    # The chart's library loads beside the workers; it must take only the CPU they leave idle, and only its own
    # thread may be lowered (the workers fork from the main thread, which keeps its priority).
    import os
    import threading

    from repair.output.summary_page import lower_this_threads_priority

    seen = {}

    def lowered() -> None:
        lower_this_threads_priority()
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, 0)
    thread = threading.Thread(target=lowered)
    thread.start()
    thread.join()
    assert seen["thread"] == 19
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


def test_an_item_gone_from_the_dataset_takes_its_analysis_with_it(tmp_path):
    dataset = tmp_path / "dataset"
    (dataset / "task").mkdir(parents=True)
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", dataset / "task" / "backend.py")
    out = tmp_path / "out"
    run_batch(BatchConfig(dataset=dataset, out=out, jobs=1))
    assert (out / "task" / "backend.py.failures.md").is_file()
    (dataset / "task" / "backend.py").unlink()
    (dataset / "task" / "other.py").write_text("x = 1\n")
    run_batch(BatchConfig(dataset=dataset, out=out, jobs=1))
    assert not (out / "task" / "backend.py.failures.md").exists()
