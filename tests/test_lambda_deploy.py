"""Lambda failures that only `terraform apply` shows (issue 13, classes 1 and 2): the repaired samples synthesize
with the answer's values in place, and the JSON checks name what the broken samples still carry."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from repair.engine import repair_source

from repair.transforms.deploy.lambda_code_asset import LambdaCodeAsset
from repair.transforms.deploy.lambda_reserved_env import LambdaReservedEnv

from conftest import BROKEN, FIXED


def _only_stack(worker, path):
    result = worker.synth(path)
    assert result.ok, result.error
    (stack,) = result.stacks.values()
    return stack


def test_reserved_environment_keys_are_dropped_and_the_others_kept(synth_worker):
    broken = _only_stack(synth_worker, BROKEN / "lambda_reserved_env" / "orders_api.py")
    (finding,) = LambdaReservedEnv.check_terraform_json(broken, None)
    assert finding.address.startswith("aws_lambda_function.") and "AWS_REGION" in finding.message

    repaired = _only_stack(synth_worker, FIXED / "lambda_reserved_env" / "orders_api.py")
    (function,) = repaired["resource"]["aws_lambda_function"].values()
    variables = function["environment"]["variables"]
    assert variables == {"TABLE_NAME": "${aws_dynamodb_table.orders.name}", "LOG_LEVEL": "INFO"}
    assert LambdaReservedEnv.check_terraform_json(repaired, None) == []


def test_lambda_code_is_packaged_from_its_source_folder(synth_worker):
    project = "lambda_code_asset/orders_service"
    broken = _only_stack(synth_worker, BROKEN / project)
    addresses = sorted(f.address for f in LambdaCodeAsset.check_terraform_json(broken, None))
    assert addresses == ["aws_lambda_function.orders-handler", "aws_lambda_layer_version.shared-layer"]

    repaired = _only_stack(synth_worker, FIXED / project)
    (function,) = repaired["resource"]["aws_lambda_function"].values()
    (layer,) = repaired["resource"]["aws_lambda_layer_version"].values()
    for resource, asset in ((function, "orders-handler-asset"), (layer, "shared-layer-asset")):
        assert resource["filename"].startswith("assets/" + asset + "/") and resource["filename"].endswith(".zip")
        assert resource["source_code_hash"] and resource["source_code_hash"] != "placeholder"
    # Everything else the answer set is still there.
    assert function["handler"] == "index.handler" and function["timeout"] == 10
    assert function["layers"] == ["${aws_lambda_layer_version.shared-layer.arn}"]
    assert LambdaCodeAsset.check_terraform_json(repaired, None) == []


def test_a_missing_zip_is_replaced_by_the_folder_of_the_handler(synth_worker):
    project = "lambda_code_asset/telemetry_ingest"
    broken = synth_worker.synth(BROKEN / project)
    assert not broken.ok and "telemetry.zip" in broken.error
    repaired = _only_stack(synth_worker, FIXED / project)
    (function,) = repaired["resource"]["aws_lambda_function"].values()
    assert function["filename"].startswith("assets/ingest-code/") and function["filename"].endswith(".zip")
    assert function["handler"] == "ingest.handler" and function["memory_size"] == 256
    assert function["function_name"] == "telemetry-ingest"
    assert LambdaCodeAsset.check_terraform_json(repaired, None) == []


# -- where the code's source is found, on small projects written here ---------------------------------------------
STACK_HEAD = (
    "from cdktf import TerraformStack\n"
    "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
    "\n"
    "\n"
    "class Stack(TerraformStack):\n"
    "    def __init__(self, scope, id):\n"
    "        super().__init__(scope, id)\n"
)


def _project(tmp_path, files: dict[str, str]) -> Path:
    (tmp_path / "cdktf.json").write_text('{"app": "python main.py"}')
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    return tmp_path / "lib" / "stack.py"


def _repair(stack: Path):
    return repair_source(stack.read_text(), rules=[LambdaCodeAsset], path=str(stack))


def test_a_python_handler_module_names_its_folder(tmp_path):
    function = ("        LambdaFunction(self, 'ingest', function_name='ingest', role='r', runtime='python3.12',\n"
                "                       handler='handlers.ingest.main', filename='ingest.zip')\n")
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, "lib/lambda/handlers/ingest.py": "",
                                "lib/lambda/handlers/__init__.py": "", "lib/other/app.py": ""})
    result = _repair(stack)
    (finding,) = result.findings
    assert finding.fixed and "lib/lambda" in finding.message
    assert 'path=os.path.join(os.path.dirname(__file__), "lambda")' in result.fixed_source
    assert "filename=ingest_asset.path, source_code_hash=ingest_asset.asset_hash" in result.fixed_source
    assert result.fixed_source.startswith("import os\nfrom cdktf import TerraformStack, TerraformAsset, AssetType\n")


def test_the_folder_at_the_zips_own_path_is_its_source(tmp_path):
    # Two folders hold the handler and bear the zip's name; `lambda/orders.zip` names the one at that path (from the
    # stack's module), not lambda/orders/ elsewhere.
    function = ("        LambdaFunction(self, 'orders', function_name='orders', role='r', runtime='python3.12',\n"
                "                       handler='index.handler', filename='lambda/orders.zip')\n")
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, "lib/lambda/orders/index.py": "",
                                "app/lambda/orders/index.py": ""})
    result = _repair(stack)
    (finding,) = result.findings
    assert finding.fixed and "packaged from lib/lambda/orders " in finding.message


def test_functions_sharing_a_zip_and_a_handler_module_are_told_apart_by_their_words(tmp_path):
    # Both name lambda_function.zip and handler.py, which lambda/validation/ and lambda/rollback/ both hold: each
    # function's id or name says which is its own; the third, whose words name neither, is left to a hand.
    functions = "".join(
        f"        LambdaFunction(self, {id_}, function_name={name}, role='r', runtime='python3.12',\n"
        f"                       handler='handler.main', filename='lambda_function.zip')\n"
        for id_, name in (("f'validation-lambda-{id}'", "'payments-check'"),
                          ("'undo'", "f'payments-rollback-{id}'"),
                          ("'audit'", "'payments-audit'")))
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + functions, "lib/lambda/validation/handler.py": "",
                                "lib/lambda/rollback/handler.py": ""})
    result = _repair(stack)
    validation, rollback, audit = result.findings
    assert validation.fixed and "packaged from lib/lambda/validation " in validation.message
    assert rollback.fixed and "packaged from lib/lambda/rollback " in rollback.message
    assert not audit.fixed and "several folders could be its source: lib/lambda/rollback, lib/lambda/validation" \
        in audit.message
    assert _repair_text(result.fixed_source, stack).fixed_source == result.fixed_source  # idempotent


@pytest.mark.parametrize(("files", "reason"), [
    ({}, "no folder of the project holds its source"),
    ({"lib/a/index.py": "", "lib/b/index.py": ""}, "several folders could be its source: lib/a, lib/b"),
    # Beside the stack module: packaging that folder would ship the whole app.
    ({"lib/index.py": ""}, "no folder of the project holds its source"),
])
def test_no_single_source_folder_is_reported_and_left_alone(tmp_path, files, reason):
    function = ("        LambdaFunction(self, 'fn', function_name='fn', role='r', runtime='python3.12',\n"
                "                       handler='index.handler', filename='lambda_function.zip')\n")
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, **files})
    result = _repair(stack)
    (finding,) = result.findings
    assert not finding.fixed and reason in finding.message
    assert result.fixed_source == stack.read_text()


def test_a_lone_file_is_only_reported(tmp_path):
    source = STACK_HEAD + "        LambdaFunction(self, 'fn', handler='index.handler', filename='fn.zip')\n"
    for path in (str(tmp_path / "stack.py"), "<stdin>"):
        if not path.startswith("<"):
            Path(path).write_text(source)
            (tmp_path / "lambda").mkdir(exist_ok=True)
            (tmp_path / "lambda" / "index.py").write_text("")
        result = repair_source(source, rules=[LambdaCodeAsset], path=path)
        (finding,) = result.findings
        assert not finding.fixed and result.fixed_source == source


def test_a_missing_zip_beside_the_module_becomes_its_folder(tmp_path):
    asset = ("        TerraformAsset(self, 'code', type=AssetType.ARCHIVE,\n"
             "                       path=os.path.join(os.path.dirname(__file__), 'lambda', 'processor.zip'))\n")
    head = "import os\nfrom cdktf import AssetType, TerraformAsset\n" + STACK_HEAD
    stack = _project(tmp_path, {"lib/stack.py": head + asset, "lib/lambda/processor/index.py": ""})
    result = _repair(stack)
    assert [f.fixed for f in result.findings] == [True]
    assert 'path=os.path.join(os.path.dirname(__file__), "lambda", "processor"))' in result.fixed_source
    # Without the folder there is nothing to package: reported.
    (tmp_path / "lib/lambda/processor/index.py").unlink()
    (tmp_path / "lib/lambda/processor").rmdir()
    result = _repair(stack)
    assert [f.fixed for f in result.findings] == [False] and result.fixed_source == stack.read_text()


def test_a_zip_the_project_holds_is_uploaded_as_it_is(tmp_path):
    function = "        LambdaFunction(self, 'fn', handler='index.handler', filename='dist/fn.zip')\n"
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, "dist/fn.zip": "PK", "lib/fn/index.py": ""})
    result = _repair(stack)
    assert [f.fixed for f in result.findings] == [True]
    assert 'path=os.path.join(os.path.dirname(__file__), "..", "dist", "fn.zip"),' in result.fixed_source
    assert "type=AssetType.FILE," in result.fixed_source


def test_the_asset_is_named_after_a_computed_function_id(tmp_path):
    function = ("        for region in ('eu-west-1', 'us-east-1'):\n"
                "            LambdaFunction(self, f'etl-{region}', handler='index.handler', runtime='python3.12',\n"
                "                           filename='lambda_function.zip')\n")
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, "lib/etl/index.py": ""})
    result = _repair(stack)
    assert [f.fixed for f in result.findings] == [True]
    assert "etl_asset = TerraformAsset(\n" in result.fixed_source
    assert "                f'etl-{region}-asset',\n" in result.fixed_source


def test_a_markdown_answer_block_finds_the_handler_in_the_answer_project(tmp_path):
    from repair.markdown import repair_markdown

    task = tmp_path / "task"
    (task / "lib" / "lambda" / "processor").mkdir(parents=True)
    (task / "lib" / "lambda" / "processor" / "index.py").write_text("def handler(event, context):\n    return 1\n")
    (task / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (task / "cdktf.json").write_text('{"app": "python3 tap.py"}\n')
    answer = task / "lib" / "MODEL_RESPONSE.md"
    answer.write_text("## File: lib/tap_stack.py\n```python\n"
                      "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                      "LambdaFunction(self, 'processor', function_name='p', role=role.arn, handler='index.handler',\n"
                      "               runtime='python3.12', filename='processor.zip')\n```\n")
    result = repair_markdown(answer.read_text(), path=str(answer))
    (finding,) = [f for f in result.findings if f.rule_id == "CDK019"]
    assert finding.fixed, finding.message
    assert "processor_asset = TerraformAsset(" in result.fixed_source
    assert re.search(r"filename=\w+\.path", result.fixed_source) and "source_code_hash=" in result.fixed_source
    assert '"lambda", "processor"' in result.fixed_source or "'lambda', 'processor'" in result.fixed_source


def test_a_handler_module_that_does_not_exist_becomes_the_one_that_defines_the_function(synth_worker):
    project = "lambda_code_asset/audit_service"
    broken = _only_stack(synth_worker, BROKEN / project)
    assert len(LambdaCodeAsset.check_terraform_json(broken, None)) == 2

    repaired = _only_stack(synth_worker, FIXED / project)
    functions = {f["function_name"]: f for f in repaired["resource"]["aws_lambda_function"].values()}
    assert sorted(functions) == ["audit-export-qa", "audit-purge-qa"]
    export, purge = functions["audit-export-qa"], functions["audit-purge-qa"]
    # Each function names the module that defines its handler; the answer's values are all still there.
    assert export["handler"] == "audit_export.lambda_handler" and purge["handler"] == "audit_purge.lambda_handler"
    assert export["environment"]["variables"] == {"ARCHIVE_BUCKET": "audit-archive-qa"}
    assert purge["environment"]["variables"] == {"RETENTION_DAYS": "90"}
    assert export["runtime"] == "python3.12" and export["role"] == "${aws_iam_role.audit-role.arn}"
    for function in functions.values():
        assert function["filename"].startswith("assets/") and function["source_code_hash"]
    assert LambdaCodeAsset.check_terraform_json(repaired, None) == []


PY_FUNCTION = ("        LambdaFunction(self, 'billing-sync', function_name='billing-sync', role='r', runtime='python3.12',\n"
               "                       handler='index.handler', filename='lambda_function.zip')\n")


@pytest.mark.parametrize(("files", "handler"), [
    # The one module of the project that defines the handler's function.
    ({"lib/lambda/sync.py": "import os\n\n\ndef handler(event, context):\n    return 1\n",
      "lib/lambda/helpers.py": "def other():\n    pass\n"}, "sync.handler"),
    # Several define it: the function's own id and name tell them apart.
    ({"lib/lambda/sync_billing.py": "def handler(event, context):\n    pass\n",
      "lib/lambda/export_reports.py": "async def handler(event, context):\n    pass\n"}, "sync_billing.handler"),
])
def test_the_module_that_defines_the_handler_is_named(tmp_path, files, handler):
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + PY_FUNCTION, **files})
    result = _repair(stack)
    (finding,) = result.findings
    assert finding.fixed and "index.handler" in finding.message and handler in finding.message
    assert f"handler='{handler}'" in result.fixed_source
    assert "filename=billing_sync_asset.path, source_code_hash=billing_sync_asset.asset_hash" in result.fixed_source
    assert _repair_text(result.fixed_source, stack).fixed_source == result.fixed_source  # idempotent


def test_the_literal_words_of_an_f_string_name_tell_the_modules_apart(tmp_path):
    """The id says only `validation`; the name, an f-string, says `payment-validation`: its literal words pick
    payment_validation.py of the three modules that define lambda_handler."""
    function = ("        LambdaFunction(self, f'validation-lambda-{region}', role='r', runtime='python3.11',\n"
                "                       function_name=f'v2-payment-validation-{env}-{region}',\n"
                "                       handler='index.lambda_handler', filename='../../../lib/lambda_validation.zip')\n")
    files = {f"lib/lambda/{name}.py": "def lambda_handler(event, context):\n    return event\n"
             for name in ("payment_validation", "payment_processing", "failover_orchestration")}
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + function, **files})
    result = _repair(stack)
    (finding,) = result.findings
    assert finding.fixed and "handler='payment_validation.lambda_handler'" in result.fixed_source


def _repair_text(source: str, stack: Path):
    return repair_source(source, rules=[LambdaCodeAsset], path=str(stack))


def test_modules_that_all_could_define_the_handler_are_reported(tmp_path):
    files = {"lib/lambda/alpha.py": "def handler(event, context):\n    pass\n",
             "lib/jobs/beta.py": "def handler(event, context):\n    pass\n",
             # Defined inside a class or only mentioned: not the module's function.
             "lib/lambda/gamma.py": "class Worker:\n    def handler(self):\n        pass\n# def handler(\n"}
    stack = _project(tmp_path, {"lib/stack.py": STACK_HEAD + PY_FUNCTION, **files})
    result = _repair(stack)
    (finding,) = result.findings
    assert not finding.fixed and result.fixed_source == stack.read_text()
    assert "lib/jobs (beta.handler), lib/lambda (alpha.handler)" in finding.message


def test_a_markdown_answer_own_handler_file_is_its_code(tmp_path):
    from repair.markdown import repair_markdown

    task = tmp_path / "task"
    task.mkdir()
    (task / "tap.py").write_text("from lib.tap_stack import TapStack\n")
    (task / "cdktf.json").write_text('{"app": "python3 tap.py"}\n')
    answer = task / "lib" / "MODEL_RESPONSE.md"
    answer.parent.mkdir()
    answer.write_text("## File: lib/tap_stack.py\n```python\n"
                      "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                      "LambdaFunction(self, 'ingest', function_name='ingest', role=role.arn, handler='index.main',\n"
                      "               runtime='python3.12', filename='lambda_function.zip')\n```\n\n"
                      "## File: lib/lambda/ingest_worker.py\n```python\ndef main(event, context):\n    return 0\n```\n")
    result = repair_markdown(answer.read_text(), path=str(answer))
    (finding,) = [f for f in result.findings if f.rule_id == "CDK019"]
    assert finding.fixed, finding.message
    assert "handler='ingest_worker.main'" in result.fixed_source
    assert 'path=os.path.join(os.path.dirname(__file__), "lambda")' in result.fixed_source
    assert not (task / "lib" / "lambda").exists()  # the answer's files are read, never written by a check


def test_a_handler_the_stack_holds_as_a_string_is_packaged_from_it(synth_worker):
    # `filename="ping.zip"` that nothing builds, beside the handler's code in a string: written at synth into a
    # temporary folder as the module the handler names, and packaged from there.
    broken = _only_stack(synth_worker, BROKEN / "lambda_code_asset" / "inline_handler.py")
    (finding,) = LambdaCodeAsset.check_terraform_json(broken, None)
    assert finding.address == "aws_lambda_function.ping"

    hashes = set()
    for _ in range(2):  # a new temporary folder each synth, the same content: the same asset
        repaired = _only_stack(synth_worker, FIXED / "lambda_code_asset" / "inline_handler.py")
        assert LambdaCodeAsset.check_terraform_json(repaired, None) == []
        function = repaired["resource"]["aws_lambda_function"]["ping"]
        assert re.fullmatch(r"assets/ping-asset/[0-9A-F]+/archive\.zip", function["filename"]), function["filename"]
        assert function["source_code_hash"] == function["filename"].split("/")[2]
        assert function["handler"] == "index.handler"
        hashes.add(function["source_code_hash"])
    assert len(hashes) == 1


def test_the_helper_writes_the_handlers_source_as_its_module(tmp_path, monkeypatch):
    import ast
    import atexit

    tree = ast.parse((FIXED / "lambda_code_asset" / "inline_handler.py").read_text())
    (helper,) = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    namespace: dict = {}
    exec(compile(ast.Module(body=[helper], type_ignores=[]), "helper", "exec"), namespace)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    removed = []
    monkeypatch.setattr(atexit, "register", lambda function, *args: removed.append((function, args)))
    folder = Path(namespace[helper.name]("def handler(event, context):\n    return 1\n", "index.py"))
    assert folder.parent == tmp_path and (folder / "index.py").read_text() == "def handler(event, context):\n    return 1\n"
    ((function, args),) = removed  # removed when the program ends
    function(*args)
    assert not folder.exists()


@pytest.mark.parametrize(("code", "module"), [
    ("exports.handler = async (event) => ({ statusCode: 200 });\n", "index.js"),
    ("export const handler = async (event) => ({ statusCode: 200 });\n", "index.mjs"),
])
def test_a_node_handler_held_as_a_string_is_written_as_its_module(code, module):
    source = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
              "class S(TerraformStack):\n"
              "    def __init__(self, scope, id):\n"
              "        super().__init__(scope, id)\n"
              f"        code = '''{code}'''\n"
              "        LambdaFunction(self, 'fn', function_name='fn', role='r', runtime='nodejs20.x',\n"
              "                       handler='index.handler', filename='fn.zip')\n")
    result = repair_source(source, rules=[LambdaCodeAsset])
    (finding,) = result.findings
    assert finding.fixed and f'path=_inline_source_folder(code, "{module}")' in result.fixed_source
    assert "filename=fn_asset.path" in result.fixed_source
    assert repair_source(result.fixed_source, rules=[LambdaCodeAsset]).findings == []  # idempotent


@pytest.mark.parametrize("change", [
    # the string is another method's local, which this call cannot read
    ("'''\n        LambdaFunction(", "'''\n    def more(self):\n        LambdaFunction("),
    # it defines another function than the handler
    ("def handler(", "def process("),
    # two strings define it: which one is meant is not in the code
    ("        LambdaFunction(", "        spare = '''\ndef handler(event, context):\n    return 2\n'''\n        LambdaFunction("),
])
def test_a_handler_string_the_call_cannot_read_or_tell_apart_is_left(change):
    source = ("from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
              "class S(TerraformStack):\n"
              "    def __init__(self, scope, id):\n"
              "        super().__init__(scope, id)\n"
              "        code = '''\ndef handler(event, context):\n    return 1\n'''\n"
              "        LambdaFunction(self, 'fn', function_name='fn', role='r', runtime='python3.12',\n"
              "                       handler='index.handler', filename='fn.zip')\n").replace(*change)
    result = repair_source(source, rules=[LambdaCodeAsset])
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed
