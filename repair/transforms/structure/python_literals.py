"""CDK017 python-literals: JSON's `true`, `false` and `null` written as Python names.

Generated stacks embed JSON documents (Step Functions definitions, IAM policies, dashboards) as Python dicts, and
models copy JSON's literals into them: `"End": true`. Python reads `true` as a variable, so the module stops at a
NameError when the stack is built. Only a name that the module binds nowhere (no assignment, parameter, import,
definition, anywhere) is a literal; one the code binds is the model's own variable and is left alone.
"""

from __future__ import annotations

import re

import libcst as cst

from repair.transforms._base import Example, Phase, Rule, Severity
from repair.transforms._cst import apply_leaves
from repair.transforms._names import name_uses
from repair.transforms._triggers import Regex, standalone

PYTHON_LITERALS = {"true": "True", "false": "False", "null": "None"}
# `(?<![\w.\"'])(?:true|false|null)(?![\w\"'])`, each word first (standalone): the regex engine looks for the words.
_BARE_LITERAL = re.compile("(?:" + "|".join(standalone(word, r"[\w.\"']") for word in ("true", "false", "null"))
                           + r")(?![\w\"'])")


class PythonLiterals(Rule):
    id = "CDK017"
    slug = "python-literals"
    severity = Severity.CRITICAL
    summary = "Write JSON's `true`, `false` and `null` as Python's `True`, `False` and `None` where no code binds them."
    prevents = "NameError: name 'true' is not defined (cdktf synth fails)"
    doc_url = "https://docs.python.org/3/library/json.html#json-to-py-table"
    analysis_keywords = ("json literal", "python literal", "null", "lowercase true", "true false")
    synth_errors = (r"^NameError: name '(true|false|null)' is not defined",)
    phase = Phase.STRUCTURE
    # "true" is common inside strings ("XRAY_ENABLED": "true"): only a bare word may be a JSON literal.
    triggers = Regex(_BARE_LITERAL)

    examples = (
        Example(
            before=(
                "definition = {\n"
                '    "States": {"Done": {"Type": "Succeed", "End": true}},\n'
                '    "Retry": null,\n'
                '    "Catch": [false],\n'
                "}\n"
            ),
            after=(
                "definition = {\n"
                '    "States": {"Done": {"Type": "Succeed", "End": True}},\n'
                '    "Retry": None,\n'
                '    "Catch": [False],\n'
                "}\n"
            ),
        ),
        # Bound by the code itself (here in another function): the model's own variable, not a literal.
        Example(
            before=(
                "def flags():\n"
                "    true = compute()\n"
                "    return true\n"
                "def other():\n"
                "    return {'End': true}\n"
            ),
        ),
        # Strings, attributes and keyword names that spell the words are no literals.
        Example(before="x = {'enabled': 'true', 'v': obj.null, 'w': f(false_=1)}\n"),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        uses = name_uses(tree)
        edits = {}
        for word, literal in PYTHON_LITERALS.items():
            if not uses.is_free(word):
                continue
            for read, _ in uses.reads.get(word, ()):
                if self.report(read, f"`{word}` is JSON, not Python (NameError): write `{literal}`"):
                    edits[read] = lambda updated, literal=literal: updated.with_changes(value=literal)
        return apply_leaves(tree, edits) if edits else tree
