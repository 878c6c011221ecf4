"""Reading synthesized Terraform JSON, for the rules' `check_terraform_json` proofs."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$")


def reference(value: object) -> tuple[str, str] | None:
    """("aws_lambda_function", "processor") for "${aws_lambda_function.processor.arn}"."""
    match = _REFERENCE.match(value) if isinstance(value, str) else None
    return (match.group(1), match.group(2)) if match else None
