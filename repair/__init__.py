"""cdktf-repair: a libcst codemod for the recurring deploy failures of model-generated CDKTF-Python stacks.

Public API: `repair_source(code, rules=None, options=None) -> RepairResult`, `RepairOptions`, `all_rules()`,
`unified_diff(old, new, path)`. Loaded on first use, so that `repair --help` does not pay for libcst.
"""

__version__ = "0.1.0"

_EXPORTS = {
    "unified_diff": "repair.diff",
    "RepairError": "repair.engine",
    "RepairResult": "repair.engine",
    "repair_source": "repair.engine",
    "select_rules": "repair.engine",
    "RepairOptions": "repair.options",
    "Finding": "repair.transforms._base",
    "all_rules": "repair.transforms._base",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'repair' has no attribute {name!r}")
