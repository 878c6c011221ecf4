"""cdktf-repair: a libcst codemod for the recurring deploy failures of model-generated CDKTF-Python stacks.

Public API: `repair_source(code, rules=None, options=None) -> RepairResult`, `RepairOptions`, `all_rules()`,
`unified_diff(old, new, path)`.
"""

__version__ = "0.1.0"

from repair.diff import unified_diff  # noqa: E402
from repair.engine import RepairError, RepairResult, repair_source, select_rules  # noqa: E402
from repair.options import RepairOptions  # noqa: E402
from repair.transforms._base import Finding, all_rules  # noqa: E402

__all__ = ["Finding", "RepairError", "RepairOptions", "RepairResult", "all_rules", "repair_source",
           "select_rules", "unified_diff", "__version__"]
