"""The baseline for bench/batch.py: the same transforms run by libcst's own codemod CLI.

    python -m libcst.tool codemod -x bench.libcst_baseline.AllRules PATH --no-format -j N

Each of repair's rules runs once per file, in id order, through libcst's CodemodCommand machinery (its metadata
wrapper, its import visitors). What repair adds on top (text and AST prefilters, one parse for all rules, a fixed
point, the output guard) is what the benchmark measures.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodCommand

from repair.transforms._base import all_rules


class AllRules(CodemodCommand):
    DESCRIPTION = "Every repair rule, once each, in id order."

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for rule in all_rules():
            tree = rule(self.context).transform_module(tree)
        return tree
