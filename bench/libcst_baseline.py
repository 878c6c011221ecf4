"""The baseline for bench/batch.py: the same transforms run by libcst's own codemod CLI.

    python -m libcst.tool codemod -x bench.libcst_baseline.AllRules PATH --no-format -j N

libcst's CLI finds the files, parses each, runs `AllRules` through its CodemodCommand machinery (a metadata
wrapper over a deep copy of the tree, the import visitors), generates the code and writes the changed files.
`AllRules` runs each of repair's rules once per file, in id order. What repair adds on top (text and AST
prefilters, one parse for all rules, spliced code instead of whole-module code generation, a fixed point, the output
guard, the per-item outputs) is what the benchmark measures.
"""

from __future__ import annotations

import os

import libcst as cst
from libcst.codemod import CodemodCommand

from repair.transforms._base import all_rules


class AllRules(CodemodCommand):
    DESCRIPTION = "Every repair rule, once each, in id order."

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        keep = {rule for rule in os.environ.get("REPAIR_BENCH_SELECT", "").split(",") if rule}
        for rule in all_rules():
            if keep and rule.id not in keep:
                continue
            tree = rule(self.context).transform_module(tree)
        return tree
