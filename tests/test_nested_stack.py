"""CDK041 across a project's modules: the parts a stack creates with the app as their scope become its constructs,
in the modules that define them and in the one that creates them; stacks by design are left alone."""

from __future__ import annotations

from repair.engine import repair_source, select_rules
from repair.options import RepairOptions

PART = ("from constructs import Construct\n"
        "from cdktf import TerraformStack\n"
        "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
        "class VpcStack(TerraformStack):\n"
        "    def __init__(self, scope: Construct, id: str):\n"
        "        super().__init__(scope, id)\n"
        "        self.vpc = Vpc(self, 'vpc', cidr_block='10.0.0.0/16')\n")
MAIN = ("from cdktf import TerraformStack\n"
        "from cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        "from stacks.vpc_stack import VpcStack\n"
        "class TapStack(TerraformStack):\n"
        "    def __init__(self, scope, construct_id, **kwargs):\n"
        "        super().__init__(scope, construct_id)\n"
        "        AwsProvider(self, 'aws', region='us-east-1')\n"
        "        self.network = VpcStack(scope, 'vpc')\n")
ENTRY = ("from cdktf import App\n"
         "from lib.tap_stack import TapStack\n"
         "app = App()\n"
         "TapStack(app, 'TapStackdev')\n"
         "app.synth()\n")


def _project(tmp_path, part=PART, entry=ENTRY):
    (tmp_path / "lib" / "stacks").mkdir(parents=True)
    for path, text in (("lib/__init__.py", ""), ("lib/stacks/__init__.py", ""), ("lib/stacks/vpc_stack.py", part),
                       ("lib/tap_stack.py", MAIN), ("tap.py", entry)):
        (tmp_path / path).write_text(text)
    return tmp_path


def _repaired(path):
    return repair_source(path.read_text(), rules=select_rules(["CDK041"]), path=str(path), options=RepairOptions())


def test_a_part_in_its_own_module_becomes_a_construct_of_the_stack_that_creates_it(tmp_path):
    project = _project(tmp_path)
    part, main = _repaired(project / "lib/stacks/vpc_stack.py"), _repaired(project / "lib/tap_stack.py")
    assert part.fixed_source == PART.replace("class VpcStack(TerraformStack)", "class VpcStack(Construct)")
    assert main.fixed_source == MAIN.replace("VpcStack(scope, 'vpc')", "VpcStack(self, 'vpc')")
    assert [f.fixed for f in part.findings + main.findings] == [True, True]


def test_a_part_the_entry_also_creates_as_a_stack_is_left_alone(tmp_path):
    entry = ENTRY.replace("app.synth()", "from lib.stacks.vpc_stack import VpcStack\nVpcStack(app, 'shared')\n"
                          "app.synth()")
    project = _project(tmp_path, entry=entry)
    for path in ("lib/stacks/vpc_stack.py", "lib/tap_stack.py"):
        assert _repaired(project / path).findings == []


def test_a_part_with_a_provider_or_a_stacks_own_api_is_a_stack_by_design(tmp_path):
    for extra in ("        AwsProvider(self, 'aws', region='eu-west-1')\n",
                  "        self.add_override('terraform.backend', {})\n",
                  # any of TerraformStack's own names, read from the installed cdktf
                  "        self.hcl = self.to_hcl_terraform()\n"):
        part = PART.replace("from cdktf_cdktf_provider_aws.vpc import Vpc\n",
                            "from cdktf_cdktf_provider_aws.vpc import Vpc\n"
                            "from cdktf_cdktf_provider_aws.provider import AwsProvider\n") + extra
        project = _project(tmp_path / str(len(extra)), part=part)
        for path in ("lib/stacks/vpc_stack.py", "lib/tap_stack.py"):
            assert _repaired(project / path).findings == []
