"""CDK035 literal-placeholder: `{name}` placeholders left literal in strings that reach Terraform (issue 13). The
repaired samples synthesize with the values filled in; what another formatter or service reads stays as written;
a placeholder whose value the code does not name is reported with the names bound there."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.markdown import repair_markdown
from repair.transforms.deploy.literal_placeholder import LiteralPlaceholder

from conftest import BROKEN, FIXED

WORKSPACE = "${terraform.workspace}"


def _repair(source: str):
    result = repair_source(source, rules=[LiteralPlaceholder])
    assert result.error is None
    return result


def _only_stack(worker, path):
    result = worker.synth(path)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


# -- synthesized -------------------------------------------------------------------------------------------------

@pytest.mark.synth
def test_the_missing_f_fills_the_names_and_leaves_the_service_placeholders(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "literal_placeholder" / "missing_f_names.py")
    findings = LiteralPlaceholder.check_terraform_json(broken, None)
    assert findings == []  # the braces in names are CDK021's to name (charsets), not a backend's
    assert broken["resource"]["aws_s3_bucket"]["archive"]["bucket"] == "order-archive-{environment_suffix}"

    repaired = _only_stack(synth_worker, FIXED / "literal_placeholder" / "missing_f_names.py")
    resources = repaired["resource"]
    assert resources["aws_s3_bucket"]["archive"]["bucket"] == "order-archive-qa"
    assert resources["aws_s3_bucket"]["archive"]["force_destroy"] is True
    queues = resources["aws_sqs_queue"]
    assert queues["incoming"]["name"] == "order-intake-qa-eu-central-1"
    assert queues["incoming"]["visibility_timeout_seconds"] == 60
    assert queues["dead-letters"]["name"] == "order-intake-dlq-qa"
    # API Gateway's path parameter and the template the stack formats itself are as the answer wrote them.
    assert resources["aws_apigatewayv2_route"]["get-order"]["route_key"] == "GET /orders/{order_id}"
    assert repaired["output"]["summary"]["value"] == "Order intake for QA"


@pytest.mark.synth
def test_the_workspace_placeholder_becomes_terraforms_workspace(synth_worker):
    repaired = _only_stack(synth_worker, FIXED / "literal_placeholder" / "workspace_colours.py")
    tables = {t["name"]: t for t in repaired["resource"]["aws_dynamodb_table"].values()}
    assert set(tables) == {f"orders-{WORKSPACE}-blue", f"orders-{WORKSPACE}-green"}
    assert all(t["tags"] == {"Workspace": WORKSPACE} and t["hash_key"] == "order_id" for t in tables.values())
    roles = {r["name"] for r in repaired["resource"]["aws_iam_role"].values()}
    assert roles == {f"orders-worker-{WORKSPACE}-blue", f"orders-worker-{WORKSPACE}-green"}


@pytest.mark.synth
def test_an_attribute_read_by_helpers_gets_its_f_and_default_tags_the_workspace(synth_worker):
    repaired = _only_stack(synth_worker, FIXED / "literal_placeholder" / "prefix_attribute.py")
    (provider,) = repaired["provider"]["aws"]
    assert provider["default_tags"] == [{"tags": {"Team": "analytics", "Workspace": WORKSPACE}}]
    (stream,) = repaired["resource"]["aws_kinesis_stream"].values()
    assert stream["name"] == "metrics-analytics-events" and stream["retention_period"] == 48
    (topic,) = repaired["resource"]["aws_sns_topic"].values()
    assert topic["name"] == "metrics-analytics-alerts"


# -- what the rule leaves alone ----------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    # a builtin is no binding of the file's own
    'from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\nS3Bucket(app, "b", bucket="data-{id}")\n',
    # a name another call gives by keyword: that call fills the template
    'def f(name):\n    render("hello-{name}", name=name)\n',
    # the template a formatter reads, through its name
    'def f(stage):\n    t = "x-{stage}"\n    return t.format(stage=stage.upper())\n',
    'def f(stage):\n    t = "x-{stage}"\n    return t % ()\n',
    # a call whose result is formatted (gettext's `_`), and a call handed the fields' values in a dict
    'def f(name):\n    raise TypeError(_("Name {name} defined twice").format(name=name))\n',
    'def f(unit):\n    raise CustomError("unit", "bad unit: {unit}", {"unit": unit})\n',
    # templates that reach their formatter through a list, a loop or a join, in the same function
    'def f(version):\n    keys = [r"Software\\{version}\\Path", "Python-{version}"]\n'
    '    for key in keys:\n        open_key(key.format(version=version))\n',
    'def f(url, run):\n    getter = "wget {url} -O -"\n    cmd = " | ".join((getter, "tar x"))\n'
    '    run(cmd.format(**vars()))\n',
    # a name bound nowhere, in a message for Python's own exception (not a construct's)
    'def f(entry):\n    raise ValueError("The only syntax is `Rscript -e {expr}`")\n',
    # a field after a backslash: LaTeX's `\end{code}`, an escape, a path
    'def f(code, line):\n    return line.startswith("\\\\end{code}")\n',
    # JSON, other systems' placeholders, Terraform's own, a multi-line string (inline code), unicode names
    'def f(a):\n    g(\'{"a": "{a}"}\')\n',
    'def f(a):\n    g("prefix/!{a}/x", "${a}-y", "%{a}", "arn/{a}")\n',
    'def f(a):\n    g("""\nprint("{a}")\n""")\n',
    'def f(a):\n    g("\\N{BULLET} {a}")\n',
    # doubled braces in a plain string: a format template already
    'def f(a):\n    g("{{a}}-{a}")\n',
    # bound only after the string: an f-string would fail
    'def f():\n    g("x-{later}")\n    later = 1\n',
    # a docstring
    'def f(a):\n    "Uses {a}."\n',
    # a byte string and a u-string
    'def f(a):\n    g(b"x-{a}", u"y-{a}")\n',
])
def test_left_alone(source):
    source = "from cdktf import App\n" + source  # CDKTF code: the rule reads only that
    result = _repair(source)
    assert result.fixed_source == source
    assert [f for f in result.findings if f.fixed] == []


def test_a_workspace_the_module_binds_is_its_own_value():
    source = ('from cdktf import App\nfrom lib.stack import AppStack\nworkspace = "blue"\n'
              'AppStack(app, "a", suffix=f"{{workspace}}-x")\n')
    result = _repair(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "`workspace` is bound here" in finding.message


def test_an_unbound_placeholder_is_reported_with_the_names_it_may_mean():
    source = ("from cdktf_cdktf_provider_aws.sns_topic import SnsTopic\n"
              "def build(self, environment_name, stage):\n"
              '    SnsTopic(self, "alerts", name="alerts-{environment}-{stage}")\n')
    result = _repair(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "`{environment}`" in finding.message and "`environment_name`" in finding.message


def test_the_workspace_outside_a_construct_is_only_reported():
    source = 'import os\nfrom cdktf import App\nos.environ["SUFFIX"] = f"{{workspace}}-x"\n'
    result = _repair(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "does not reach a construct" in finding.message


def test_code_that_is_not_cdktf_is_left_alone():
    # A Lambda handler or a library: what fills its templates is out of the rule's sight, and nothing reaches Terraform.
    source = 'def handler(event, context):\n    name = event["name"]\n    log("hello {name}")\n'
    assert _repair(source).findings == []
    assert _repair("import constructs\n" + source).findings  # the same code in a module of the app


def test_idempotent_on_its_own_output():
    for name in ("missing_f_names.py", "workspace_colours.py", "prefix_attribute.py"):
        fixed = (FIXED / "literal_placeholder" / name).read_text(encoding="utf-8")
        assert _repair(fixed).fixed_source == fixed


# -- an answer's own entry -----------------------------------------------------------------------------------------

def test_the_entry_of_a_markdown_answer_is_repaired(tmp_path):
    """An answer that brings its own tap.py: its blocks are repaired like the modules (bench/corpus.py lays the
    repaired answer out as the project)."""
    task = tmp_path / "task"
    (task / "lib").mkdir(parents=True)
    (task / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    answer = ("## File: tap.py\n\n```python\nfrom cdktf import App\nfrom lib.tap_stack import TapStack\n\n"
              "app = App()\nfor region in [\"eu-west-1\", \"us-east-1\"]:\n"
              "    TapStack(app, f\"tap-{region}\", region=region, environment_suffix=f\"{{workspace}}-{region}\")\n"
              "app.synth()\n```\n")
    path = task / "lib" / "MODEL_RESPONSE.md"
    path.write_text(answer)
    result = repair_markdown(answer, rules=[LiteralPlaceholder], path=str(path))
    assert 'environment_suffix=f"${{terraform.workspace}}-{region}"' in result.fixed_source
    assert [f.rule_id for f in result.findings if f.fixed] == ["CDK035"]


# -- the Terraform-JSON check ------------------------------------------------------------------------------------

def test_a_backend_setting_with_an_interpolation_is_named_and_only_reportable():
    stack = {"terraform": {"backend": {"s3": {"bucket": f"state-{WORKSPACE}-eu-west-1", "key": "a/{b}",
                                              "dynamodb_table": "locks-{workspace}", "region": "eu-west-1"}}}}
    interpolated, literal = LiteralPlaceholder.check_terraform_json(stack, None)
    assert interpolated.address == "terraform.backend.s3" and "Variables not allowed" in interpolated.message
    assert "bucket" in interpolated.message
    assert "dynamodb_table 'locks-{workspace}'" in literal.message
    assert "workspace" in LiteralPlaceholder.only_reportable(vars(interpolated))
    assert LiteralPlaceholder.only_reportable(vars(literal)) is None
    escaped = {"terraform": {"backend": {"s3": {"bucket": "state-$${x}"}}}}
    assert LiteralPlaceholder.check_terraform_json(escaped, None) == []
