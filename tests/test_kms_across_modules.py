"""CDK024 across modules: a KMS key one construct keeps, encrypting a log group another module creates with the
key it is given. The key's module is repaired when the project proves the flow; otherwise nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.engine import repair_source
from repair.markdown import repair_markdown
from repair.transforms.deploy.kms_logs_key_policy import KmsLogsKeyPolicy

from conftest import BROKEN, FIXED

PROJECT = "kms_logs_key_policy/payments_platform"


@pytest.mark.synth
def test_the_key_of_another_module_lets_cloudwatch_logs_use_it(synth_worker):
    broken = synth_worker.synth(BROKEN / PROJECT)
    assert broken.ok, broken.error
    (stack,) = broken.stacks.values()
    (finding,) = KmsLogsKeyPolicy.check_terraform_json(stack, None)
    assert finding.address.startswith("aws_kms_key.security_logs-key")

    repaired = synth_worker.synth(FIXED / PROJECT)
    assert repaired.ok, repaired.error
    (stack,) = repaired.stacks.values()
    assert KmsLogsKeyPolicy.check_terraform_json(stack, None) == []
    keys = stack["resource"]["aws_kms_key"]
    (logs_key,) = [k for name, k in keys.items() if name.startswith("security_logs-key")]
    (data_key,) = [k for name, k in keys.items() if name.startswith("security_data-key")]
    owner, logs = json.loads(logs_key["policy"])["Statement"]
    assert owner["Sid"] == "AccountAdministrators" and owner["Action"] == "kms:*"
    (account,) = stack["data"]["aws_caller_identity"]
    assert owner["Principal"] == {"AWS": f"arn:aws:iam::${{data.aws_caller_identity.{account}.account_id}}:root"}
    (region,) = stack["data"]["aws_region"]
    assert logs["Sid"] == "AllowCloudWatchLogs"
    assert logs["Principal"] == {"Service": f"logs.${{data.aws_region.{region}.region}}.amazonaws.com"}
    assert logs_key["enable_key_rotation"] is True
    # The data key encrypts a queue, no log group: its default policy stays.
    assert "policy" not in data_key and data_key["description"] == "Payments data"
    (group,) = stack["resource"]["aws_cloudwatch_log_group"].values()
    assert group["name"] == "/payments/staging/application" and group["retention_in_days"] == 90
    assert stack["provider"]["aws"][0]["region"] == "eu-west-2"


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "cdktf.json").write_text('{"language": "python", "app": "python main.py"}')
    (tmp_path / "main.py").write_text("from lib.stack import Stack\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _sample(name: str) -> str:
    return (BROKEN / PROJECT / "lib" / name).read_text(encoding="utf-8")


def _repair_security(root: Path):
    path = root / "lib" / "security.py"
    return repair_source(path.read_text(), rules=[KmsLogsKeyPolicy], path=str(path))


def _layout(tmp_path: Path, stack: str, monitoring: str) -> Path:
    return _project(tmp_path, {"lib/__init__.py": "", "lib/payments_stack.py": stack, "lib/monitoring.py": monitoring,
                               "lib/security.py": _sample("security.py")})


@pytest.mark.parametrize("stack_change, monitoring_change", [
    # the instance is bound twice: which one the log group reads is not provable
    (("        self.monitoring =", '        self.security = SecurityConstruct(self, "other", environment_suffix="x")\n'
                                   "        self.monitoring ="), None),
    # the parameter is reassigned before it reaches the log group
    (None, ("        self.kms_key_arn = kms_key_arn\n",
            "        kms_key_arn = None\n        self.kms_key_arn = kms_key_arn\n")),
    # the log group's construct is imported from a module the project does not have
    (("from lib.monitoring import", "from vendor.monitoring import"), None),
], ids=["instance-bound-twice", "parameter-reassigned", "class-from-elsewhere"])
def test_an_unprovable_flow_changes_nothing(tmp_path, stack_change, monitoring_change):
    stack, monitoring = _sample("payments_stack.py"), _sample("monitoring.py")
    stack = stack.replace(*stack_change) if stack_change else stack
    monitoring = monitoring.replace(*monitoring_change) if monitoring_change else monitoring
    result = _repair_security(_layout(tmp_path, stack, monitoring))
    assert result.findings == [] and result.fixed_source == _sample("security.py")


def test_the_key_that_flows_is_the_one_repaired(tmp_path):
    """The data key (no policy) given to the log group instead: AWS's default policy is written for it, with the
    statement; the logs key is left as it is."""
    stack = _sample("payments_stack.py").replace("kms_key_arn=self.security.logs_key.arn",
                                                 "kms_key_arn=self.security.data_key.arn")
    result = _repair_security(_layout(tmp_path, stack, _sample("monitoring.py")))
    (finding,) = result.findings
    assert finding.fixed and "had no policy" in finding.message and finding.line == 35
    logs_key = result.fixed_source.split("self.logs_key = ")[1].split("KmsAlias")[0]
    assert "AllowCloudWatchLogs" not in logs_key


def test_a_direct_read_and_a_positional_parameter_are_followed(tmp_path):
    stack = ("from constructs import Construct\nfrom cdktf import TerraformStack\n"
             "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n"
             "from lib.security import SecurityConstruct\nfrom lib.monitoring import MonitoringConstruct\n\n\n"
             "class Stack(TerraformStack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n"
             '        security = SecurityConstruct(self, "security", environment_suffix="x")\n'
             '        CloudwatchLogGroup(self, "direct", kms_key_id=security.logs_key.arn)\n'
             '        MonitoringConstruct(self, "monitoring", "x", security.logs_key.arn)\n')
    files = {"lib/__init__.py": "", "lib/stack.py": stack, "lib/monitoring.py": _sample("monitoring.py"),
             "lib/security.py": _sample("security.py")}
    (finding,) = _repair_security(_project(tmp_path, files)).findings
    assert finding.fixed and "`direct` (lib/stack.py), `application-logs` (lib/monitoring.py)" in finding.message


HELPERS = (
    "from constructs import Construct\n"
    "from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup\n\n\n"
    "class MonitoringConstruct(Construct):\n"
    "    def __init__(self, scope, id, environment_suffix, kms_key_arn):\n"
    "        super().__init__(scope, id)\n"
    "        self._function_logs('api', environment_suffix, kms_key_arn)\n"
    "        self._audit(key=kms_key_arn)\n\n"
    "    def _function_logs(self, name, environment_suffix, kms_key_id):\n"
    "        return CloudwatchLogGroup(self, f'{name}-logs', name=f'/aws/lambda/{name}-{environment_suffix}',\n"
    "                                  kms_key_id=kms_key_id)\n\n"
    "    def _audit(self, key):\n"
    "        self._function_logs('audit', 'x', key)\n"
)


def test_a_parameter_passed_on_to_the_constructs_own_methods_is_followed(tmp_path):
    """Generated constructs create each function's log group in a helper method the constructor passes the key to
    (`self._create_lambda_function(name, ..., kms_key_id, ...)`), by position or by keyword, through another."""
    stack = _sample("payments_stack.py")
    result = _repair_security(_layout(tmp_path, stack, HELPERS))
    (finding,) = result.findings
    assert finding.fixed and "f'{name}-logs'` (lib/monitoring.py)" in finding.message
    assert "AllowCloudWatchLogs" in result.fixed_source.split("self.logs_key = ")[1].split("KmsAlias")[0]


@pytest.mark.parametrize("change", [
    # the method binds the key to another value before the log group reads it
    ("    def _function_logs(self, name, environment_suffix, kms_key_id):\n",
     "    def _function_logs(self, name, environment_suffix, kms_key_id):\n        kms_key_id = None\n"),
    # a static method takes no `self`: the key passed second is its `name`, not its `kms_key_id`
    ("    def _function_logs(self, name, environment_suffix, kms_key_id):\n"
     "        return CloudwatchLogGroup(self,",
     "    @staticmethod\n    def _function_logs(scope, name, kms_key_id):\n"
     "        environment_suffix = 'x'\n        return CloudwatchLogGroup(scope,"),
], ids=["reassigned-in-the-method", "static-method"])
def test_a_method_that_does_not_read_the_parameter_as_passed_is_not_followed(tmp_path, change):
    monitoring = HELPERS.replace(*change)
    if "staticmethod" in change[1]:
        monitoring = monitoring.replace("self._function_logs('api', environment_suffix, kms_key_arn)",
                                        "self._function_logs(self, kms_key_arn, 'api')")
        monitoring = monitoring.replace("        self._audit(key=kms_key_arn)\n", "")
    assert monitoring != HELPERS
    result = _repair_security(_layout(tmp_path, _sample("payments_stack.py"), monitoring))
    assert result.findings == [] and result.fixed_source == _sample("security.py")


def test_a_lone_key_module_is_left_alone():
    source = _sample("security.py")
    result = repair_source(source, rules=[KmsLogsKeyPolicy], path="<stdin>")
    assert result.fixed_source == source and result.findings == []


def test_a_markdown_answer_reads_its_own_blocks(tmp_path):
    """The answer's modules are its blocks (bench/corpus.py lays them out over the task folder)."""
    task = tmp_path / "task"
    (task / "lib").mkdir(parents=True)
    (task / "tap.py").write_text("from lib.payments_stack import PaymentsStack\n")
    blocks = [(f"lib/{name}", _sample(name)) for name in ("payments_stack.py", "security.py", "monitoring.py")]
    answer = "".join(f"## File: {path}\n\n```python\n{code}```\n\n" for path, code in blocks)
    path = task / "lib" / "MODEL_RESPONSE.md"
    result = repair_markdown(answer, rules=[KmsLogsKeyPolicy], path=str(path))
    expected = (FIXED / PROJECT / "lib" / "security.py").read_text(encoding="utf-8")
    assert expected in result.fixed_source
    assert [f.rule_id for f in result.findings] == ["CDK024"]
