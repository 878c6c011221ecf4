"""The engine's guarantees: untouched code comes back identical, failures leave the input as it was."""

from __future__ import annotations

import libcst as cst

from repair.engine import MAX_PASSES, repair_source, select_rules
from repair.options import RepairOptions
from repair.transforms._base import Example, Rule, Severity, all_rules

from conftest import FIXED

BROKEN = 'self.add_override("terraform.backend.s3.use_lockfile", True)\nx = 1\n'


class _Flipper(Rule):
    """A deliberately broken rule: toggles a name forever, so the fixed point is never reached."""

    slug = "test-flipper"
    severity = Severity.LOW
    summary = prevents = doc_url = "test"

    def leave_Name(self, original_node, updated_node):
        if original_node.value in ("ping", "pong"):
            self.report(original_node, "flip")
            return updated_node.with_changes(value="pong" if original_node.value == "ping" else "ping")
        return updated_node


class _Breaker(Rule):
    """A deliberately broken rule: produces code that does not compile."""

    slug = "test-breaker"
    severity = Severity.LOW
    summary = prevents = doc_url = "test"

    def leave_Name(self, original_node, updated_node):
        if original_node.value == "x":
            self.report(original_node, "break")
            return updated_node.with_changes(value="class")  # a keyword where a name must be
        return updated_node


class _Crasher(Rule):
    slug = "test-crasher"
    severity = Severity.LOW
    summary = prevents = doc_url = "test"

    def visit_Module(self, node):
        raise KeyError("boom")


def test_clean_code_comes_back_identical():
    source = "# a comment\r\nx = {'a':1}\t# tab\r\n"
    result = repair_source(source)
    assert result.fixed_source is source or result.fixed_source == source
    assert not result.changed and result.findings == [] and result.error is None


def test_syntax_error_reports_line_and_column_and_changes_nothing():
    source = 'self.add_override("terraform.backend.s3.use_lockfile", True)\ndef broken(:\n'
    result = repair_source(source, path="stack.py")
    assert result.error is not None and result.error.kind == "syntax"
    assert (result.error.line, result.error.column) == (2, 12)
    assert result.fixed_source == source
    assert result.error.describe("stack.py").startswith("stack.py:2:12: error: syntax error")


def test_rule_that_never_converges_leaves_file_unchanged():
    _Flipper.id = "CDK901"
    result = repair_source("ping = 1\n", rules=[_Flipper])
    assert result.error is not None and result.error.kind == "no-convergence"
    assert str(MAX_PASSES) in result.error.message
    assert result.fixed_source == "ping = 1\n"


def test_rule_that_breaks_the_code_leaves_file_unchanged():
    _Breaker.id = "CDK902"
    result = repair_source("x = 1\n", rules=[_Breaker])
    assert result.error is not None and result.error.kind == "invalid-output"
    assert result.fixed_source == "x = 1\n"


def test_rule_crash_is_a_result_naming_the_rule():
    _Crasher.id = "CDK903"
    result = repair_source("x = 1\n", rules=[_Crasher])
    assert result.error.kind == "rule-crash" and "CDK903" in result.error.message
    assert result.fixed_source == "x = 1\n"


def test_findings_positions_are_in_the_original_file():
    # CDK002 removes lines 2-3 before CDK005 runs; CDK005's finding must still name its original line.
    source = (
        "S3Backend(self, bucket='b')\n"
        "# locking\n"
        "self.add_override('terraform.backend.s3.use_lockfile', True)\n"
        "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[\n"
        "    S3BucketLifecycleConfigurationRule(id='r', status='Enabled')])\n"
    )
    result = repair_source(source, rules=select_rules(["CDK002", "CDK005"]))
    lines = {f.rule_id: f.line for f in result.findings}
    assert lines == {"CDK002": 3, "CDK005": 5}


def test_prefilter_skips_parsing_when_no_rule_can_apply(monkeypatch):
    # No rule's trigger appears: libcst never builds a tree; still, a file that is not Python is said so (issue 14:
    # it used to pass as clean), from CPython's own parser.
    import libcst

    def no_tree(*args, **kwargs):
        raise AssertionError("libcst parsed a file no rule can apply to")

    monkeypatch.setattr(libcst, "parse_module", no_tree)
    result = repair_source("def (:\n")
    assert result.error is not None and result.error.kind == "syntax" and result.error.line == 1
    assert not result.changed and not result.findings
    assert repair_source("x = 1\n").error is None


def test_a_stack_whose_words_every_rule_knows_is_not_parsed_by_libcst(monkeypatch):
    # A clean stack full of the words the rules look for (provider classes, block keywords, literal arguments,
    # names): the rules' declared triggers read what the provider types those arguments as, and none holds, so
    # libcst's parse, the dearest step of a clean file, is never paid for.
    from repair import engine

    stack = (FIXED / "renamed_keyword" / "eip_and_eks_addon.py").read_text(encoding="utf-8")
    assert "Eip(" in stack and "domain=" in stack and "resolve_conflicts_on_create=" in stack
    options = RepairOptions()
    triggered = {rule.id for rule in all_rules() if not rule.needs_project and rule.may_apply(stack, options)}
    assert not triggered, triggered
    rules = list(all_rules())

    def no_parse(source):
        raise AssertionError("parsed with libcst")

    monkeypatch.setattr(engine.cst, "parse_module", no_parse)
    result = repair_source(stack, rules=rules)
    assert result.error is None and not result.changed and result.findings == []
    # The same stack with an old keyword is parsed, and repaired.
    monkeypatch.undo()
    broken = stack.replace("domain=\"vpc\"", "vpc=True", 1)
    assert broken != stack and repair_source(broken).changed


def test_plain_string_literals_are_read_without_compiling_them():
    from repair.transforms._cst import string_value

    cases = {'"a"': "a", "'b'": "b", 'r"\\d"': "\\d", '"\\n"': "\n", 'u"x"': "x", '"""x\ny"""': "x\ny",
             '"a" "b"': "ab", 'b"x"': None, 'Rb"x"': None, 'f"x"': None}
    for code, value in cases.items():
        assert string_value(cst.parse_expression(code)) == value, code


def test_terraform_version_keeps_use_lockfile_from_1_10():
    kept = repair_source(BROKEN, options=RepairOptions(terraform_version=(1, 10)))
    assert not kept.changed and kept.findings == []
    dropped = repair_source(BROKEN, options=RepairOptions(terraform_version=(1, 9)))
    assert dropped.fixed_source == "x = 1\n"
    assert "Terraform 1.9" in dropped.findings[0].message


def test_select_and_ignore_rules():
    assert [r.id for r in select_rules(["CDK002", "lifecycle-rule-filter"])] == ["CDK002", "CDK005"]
    assert "CDK002" not in [r.id for r in select_rules(None, ["backend-use-lockfile"])]
    try:
        select_rules(["CDK999"])
    except ValueError as exc:
        assert "CDK999" in str(exc)
    else:
        raise AssertionError("an unknown rule must be refused")


def test_rules_are_discovered_in_run_order():
    # By phase (structure first), then by id.
    rules = all_rules()
    assert [r.id for r in rules] == [r.id for r in sorted(rules, key=lambda r: (int(r.phase), r.id))]
    assert {f"CDK00{n}" for n in range(1, 8)} <= {r.id for r in rules}


def test_examples_default_options_are_plain():
    assert Example("x").options == RepairOptions()
    assert cst.parse_module("x = 1\n").code == "x = 1\n"


def test_provider_name_prefilter_parses_only_files_that_may_need_it():
    from repair.transforms.imports.provider_class_name import ProviderClassName

    options = RepairOptions()
    good = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import (\n    S3BucketVersioningA,\n)\n"
    assert not ProviderClassName.may_apply(good, options)
    assert ProviderClassName.may_apply(good.replace("VersioningA", "Versioning"), options)
    # Forms the text check cannot judge go to the parser.
    assert ProviderClassName.may_apply("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket, \\\n    X\n", options)
    assert ProviderClassName.may_apply("import importlib\nimportlib.import_module('cdktf_cdktf_provider_aws')\n",
                                       options)
    # Names reached through a module or package alias are checked like imported ones.
    for alias_import, use in (("import cdktf_cdktf_provider_aws.s3_bucket as b", "b"),
                              ("from cdktf_cdktf_provider_aws import s3_bucket", "s3_bucket"),
                              ("import cdktf_cdktf_provider_aws as aws", "aws.s3_bucket")):
        assert not ProviderClassName.may_apply(f"{alias_import}\n{use}.S3Bucket(self, 'b')\n", options)
        assert ProviderClassName.may_apply(f"{alias_import}\n{use}.S3BucketPolicy(self, 'p')\n", options)


def test_python_312_syntax_in_input_is_not_blamed_on_the_repair():
    # A multi-line f-string replacement field is valid from Python 3.12; libcst parses it on any version.
    source = ('self.add_override("terraform.backend.s3.use_lockfile", True)\n'
              'uri = f"arn:{\n    region}:x"\n')
    result = repair_source(source)
    assert result.error is None
    assert result.fixed_source == 'uri = f"arn:{\n    region}:x"\n'


def test_synth_errors_map_to_their_rules():
    from repair.proof.verify import rule_for_synth_error

    assert rule_for_synth_error("ImportError", "ImportError: cannot import name 'X' from "
                                "'cdktf_cdktf_provider_aws.s3_bucket_versioning'") == "CDK001"
    assert rule_for_synth_error("TypeError", "TypeError: type of argument x must be one of (A, Dict[str, Any]); "
                                "got list instead") == "CDK006"
    assert rule_for_synth_error("RuntimeError", "... (Missing required properties for X: 'vpcId')") == "CDK007"
    assert rule_for_synth_error("AttributeError", "AttributeError: 'EksCluster' object has no attribute "
                                "'identity_get'") == "CDK016"
    assert rule_for_synth_error("AttributeError", "AttributeError: type object 'Fn' has no attribute 'sub'") == "CDK016"
    assert rule_for_synth_error("RuntimeError", "RuntimeError: There is already a Construct with name 'logs' in "
                                "TerraformStack [S]") == "CDK018"
    assert rule_for_synth_error("TypeError", "TypeError: AwsProvider.__init__() missing 1 required positional "
                                "argument: 'id'") == "CDK018"
    assert rule_for_synth_error("ImportError", "ImportError: cannot import name 'S3Bucket' from "
                                "'cdktf_cdktf_provider_aws' (/site-packages/cdktf_cdktf_provider_aws/__init__.py)") == "CDK014"
    assert rule_for_synth_error("AttributeError", "AttributeError: module 'cdktf_cdktf_provider_aws' has no "
                                "attribute 'S3Bucket'") == "CDK014"
    assert rule_for_synth_error("ModuleNotFoundError", "ModuleNotFoundError: No module named "
                                "'cdktf_cdktf_provider_aws.iam_policy_document'") == "CDK001"
    assert rule_for_synth_error("NameError", "NameError: name 'json' is not defined") == "CDK015"
    assert rule_for_synth_error("NameError", "NameError: name 'true' is not defined") == "CDK017"
    assert rule_for_synth_error("ValueError", "ValueError: something else") is None


def test_missing_nodejs_is_a_clear_error(monkeypatch, tmp_path):
    import pytest

    from repair.proof import synth

    monkeypatch.setattr(synth.shutil, "which", lambda name: None)
    with pytest.raises(synth.SynthError, match="Node.js is not installed"):
        synth.SynthWorker().synth(tmp_path)


def test_provider_imports_are_resolved_once_per_tree_for_every_rule(monkeypatch):
    import repair.transforms._provider_imports as imports

    calls = []
    real = imports.provider_bindings
    monkeypatch.setattr(imports, "provider_bindings", lambda tree: calls.append(tree) or real(tree))
    source = ("from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (\n"
              "    S3BucketLifecycleConfigurationRule, S3BucketLifecycleConfigurationRuleExpiration)\n"
              "from cdktf_cdktf_provider_aws.route53_zone import Route53Zone\n"
              "rule = S3BucketLifecycleConfigurationRule(id='expire', status='Enabled', filter={},\n"
              "    expiration=S3BucketLifecycleConfigurationRuleExpiration(days=30))\n"
              "Route53Zone(self, 'zone', name='internal', vpc=[{'vpc_id': vpc.id}])\n")
    from repair.engine import select_rules

    rules = select_rules(["CDK006", "CDK007"])
    result = repair_source(source, rules=rules)
    assert result.error is None, result.error
    assert {f.rule_id for f in result.findings} == {"CDK006", "CDK007"}
    # CDK006 changed the tree, so the next rule reads a new one: one resolution per tree, not per rule.
    assert len(calls) == len({id(tree) for tree in calls})


def test_a_finding_left_to_a_hand_that_a_later_rule_settled_is_not_reported():
    # CDK011 sees `stream_specification`, which DynamodbTable does not take, and can only report it; CDK012 then
    # flattens the invented block into the table's own arguments. The final code has nothing left to fix.
    source = ("from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableStreamSpecification\n"
              "DynamodbTable(self, 't', name='orders', hash_key='id', attribute=[{'name': 'id', 'type': 'S'}],\n"
              "    stream_specification=DynamodbTableStreamSpecification(stream_enabled=True,\n"
              "                                                          stream_view_type='NEW_IMAGE'))\n")
    result = repair_source(source)
    assert result.error is None, result.error
    assert "stream_enabled=True" in result.fixed_source and "stream_specification" not in result.fixed_source
    assert not result.unfixed, result.unfixed
    assert repair_source(result.fixed_source).findings == []


def test_a_batch_worker_and_a_run_over_many_files_tune_the_collector(tmp_path):
    # In a child: the collector's settings are the process's, and the test session keeps its own.
    import subprocess
    import sys
    import textwrap

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    script = textwrap.dedent(f"""
        import gc, sys
        from pathlib import Path
        assert gc.get_threshold()[0] == 700
        if sys.argv[1] == "worker":
            from repair.batch.worker import init_worker
            init_worker(None, None, 3)
        else:
            from repair import runner
            from repair.engine import select_rules
            from repair.options import RepairOptions
            list(runner.files([Path({str(tmp_path)!r})], select_rules(), RepairOptions(), write=False))
        print(gc.get_threshold()[0], gc.get_freeze_count() > 0)
    """)
    for mode in ("worker", "run"):
        done = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["5000", "True"], mode


def test_the_plotter_loads_in_the_background_and_a_broken_one_costs_nothing(monkeypatch):
    import builtins
    import threading

    from repair.output import summary_page

    real_import = builtins.__import__

    def failing(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise RuntimeError("broken install")
        return real_import(name, *args, **kwargs)

    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self) or self.run())
    monkeypatch.setattr(builtins, "__import__", failing)
    summary_page.load_plotter_in_background()  # must not raise
    assert [t.name for t in started] == ["load-matplotlib"] and started[0].daemon


def test_a_finding_on_a_line_an_earlier_rule_rewrote_is_placed_in_the_users_line():
    # CDK014 reads `cdktf get`'s bindings from the prebuilt package, which moves every name 13 columns to the right;
    # CDK001 then reports the classes that live in other modules, in the code it saw: line and column must be the
    # user's (a public project's check put RouteTable at 5:47, on the line above, instead of 6:34).
    source = ("from constructs import Construct\n"
              "from imports.aws.vpc import Vpc, RouteTable, Subnet\n"
              "Vpc(self, 'v', cidr_block='10.0.0.0/16')\n"
              "RouteTable(self, 'r', vpc_id='v')\n"
              "Subnet(self, 's', vpc_id='v', cidr_block='10.0.1.0/24')\n")
    result = repair_source(source)
    assert result.error is None
    placed = {f.message.split()[0]: (f.line, f.column) for f in result.findings if f.rule_id == "CDK001"}
    line = source.splitlines()[1]
    assert placed == {"RouteTable": (2, line.index("RouteTable") + 1), "Subnet": (2, line.index("Subnet") + 1)}
