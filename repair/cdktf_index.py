"""What the installed `cdktf` package offers, read from its files without importing it (importing cdktf starts
jsii's Node.js runtime, like the provider).

Today: the Terraform functions of the `Fn` class (its class methods and those of `FnGenerated`, its base), the
names a generated `Fn.x(...)` call must be among, and which Terraform function each stands for (its documentation
links to it) with its parameters and return type; and the members every provider construct inherits from cdktf's
resource, data source and provider classes and from `constructs.Construct` (`node`, `fqn`, `add_override`, ...);
and which properties of cdktf's value constructs (a variable, a local) hold a list, a token in Python.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "cdktf"

_CLASS_RE = re.compile(r"^class (\w+)\b", re.MULTILINE)
_CLASS_METHOD_RE = re.compile(r"^    @builtins\.classmethod\n    def (\w+)\(", re.MULTILINE)
# `Fn` and the generated base class that holds most of Terraform's functions.
_FN_CLASSES = ("Fn", "FnGenerated")


def cdktf_source() -> Path | None:
    """The package's `__init__.py` (jsii puts every class of the package in it), or None when not installed."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    init = Path(next(iter(spec.submodule_search_locations))) / "__init__.py"
    return init if init.is_file() else None


def parse_fn_functions(text: str) -> frozenset[str]:
    """The class methods of `Fn` and `FnGenerated` in the text of cdktf's `__init__.py`."""
    starts = [(m.start(), m.group(1)) for m in _CLASS_RE.finditer(text)]
    names: set[str] = set()
    for position, (start, name) in enumerate(starts):
        if name in _FN_CLASSES:
            end = starts[position + 1][0] if position + 1 < len(starts) else len(text)
            names.update(_CLASS_METHOD_RE.findall(text, start, end))
    return frozenset(names)


@dataclass(frozen=True)
class FnSignature:
    """A class method of `Fn` that stands for one Terraform function."""

    name: str  # the Python method: `length_of`
    terraform_name: str  # the Terraform function its documentation links to: `length`
    params: tuple[str, ...]
    annotations: tuple[str, ...]  # each parameter's, as written: `typing.Sequence[builtins.str]`
    required: int  # how many of `params` have no default
    returns: str  # the return annotation as written: `typing.Any`, `builtins.str`, `jsii.Number`, `"IResolvable"`


# `def element(cls, list: typing.Any, index: jsii.Number) -> typing.Any:` and its docstring's first link,
# `{@link https://developer.hashicorp.com/terraform/language/functions/element element}` (or, for the older ones,
# `{@link /terraform/docs/language/functions/join.html join}`).
_FN_METHOD_RE = re.compile(
    r"^    @builtins\.classmethod\n    def (\w+)\(\s*cls,?([^)]*)\)\s*->\s*([^:]+):\n\s*'''[^{']*"
    r"\{@link \S*/language/functions/(\w+)(?:\.html)?\s", re.MULTILINE)


def parse_terraform_functions(text: str) -> dict[str, FnSignature]:
    """Terraform function name -> the one `Fn` method that stands for it, in the text of cdktf's `__init__.py`
    (a Terraform function two methods link to, or a variadic one, is left out: no unique call follows)."""
    starts = [(m.start(), m.group(1)) for m in _CLASS_RE.finditer(text)]
    found: dict[str, list[FnSignature]] = {}
    for position, (start, name) in enumerate(starts):
        if name not in _FN_CLASSES:
            continue
        end = starts[position + 1][0] if position + 1 < len(starts) else len(text)
        for match in _FN_METHOD_RE.finditer(text, start, end):
            method, params, returns, terraform_name = match.groups()
            if "*" in params:
                continue
            written = [p for p in params.split(",") if p.strip()]
            found.setdefault(terraform_name, []).append(FnSignature(
                method, terraform_name, tuple(p.split(":")[0].strip() for p in written),
                tuple(p.partition(":")[2].split("=")[0].strip() for p in written),
                sum(1 for p in written if "=" not in p), " ".join(returns.split())))
    return {name: signatures[0] for name, signatures in found.items() if len(signatures) == 1}


@cache
def terraform_functions() -> dict[str, FnSignature]:
    """Terraform function name -> the `Fn` method the installed cdktf has for it (empty without cdktf)."""
    source = cdktf_source()
    if source is None:
        return {}
    return parse_terraform_functions(source.read_text(encoding="utf-8"))


@cache
def fn_functions() -> frozenset[str]:
    """Every `Fn.<name>` the installed cdktf defines (empty when cdktf is not installed: then nothing is checked)."""
    source = cdktf_source()
    if source is None:
        return frozenset()
    return parse_fn_functions(source.read_text(encoding="utf-8"))


# The cdktf classes provider constructs derive from (resources, data sources, the provider), and their bases.
_CONSTRUCT_BASES = ("TerraformElement", "TerraformResource", "TerraformDataSource", "TerraformProvider")
_MEMBER_RE = re.compile(r"^    def (\w+)\(", re.MULTILINE)


def class_members(text: str, names) -> frozenset[str]:
    """Every name the classes `names` of a jsii package's `__init__.py` text define (`    def x(`)."""
    starts = [(m.start(), m.group(1)) for m in _CLASS_RE.finditer(text)]
    found: set[str] = set()
    for position, (start, name) in enumerate(starts):
        if name in names:
            end = starts[position + 1][0] if position + 1 < len(starts) else len(text)
            found.update(_MEMBER_RE.findall(text, start, end))
    return frozenset(found)


@cache
def construct_members() -> frozenset[str]:
    """The names every provider construct has from cdktf and constructs (empty when cdktf is not installed: then a
    rule that needs them checks nothing)."""
    source = cdktf_source()
    if source is None:
        return frozenset()
    plain = plain_construct_members()
    if not plain:
        return frozenset()
    return class_members(source.read_text(encoding="utf-8"), _CONSTRUCT_BASES) | plain


@cache
def plain_construct_members() -> frozenset[str]:
    """The names of the `constructs` package's Construct (`node`, `with_`, ...; empty when it is not installed)."""
    try:
        spec = importlib.util.find_spec("constructs")
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return frozenset()
    return class_members(Path(spec.origin).read_text(encoding="utf-8"), ("Construct",))


_CONSTRUCTOR_RE = re.compile(r"^    def __init__\(\s*self,\s*scope: [\w.]+,\s*id: builtins\.str\b", re.MULTILINE)


def parse_constructs(text: str) -> frozenset[str]:
    """The classes of a jsii package's `__init__.py` text whose constructor takes (scope, id): constructs."""
    starts = [(m.start(), m.group(1)) for m in _CLASS_RE.finditer(text)]
    found = set()
    for position, (start, name) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(text)
        if _CONSTRUCTOR_RE.search(text, start, end):
            found.add(name)
    return frozenset(found)


@cache
def cdktf_constructs() -> frozenset[str]:
    """cdktf's own constructs (TerraformOutput, TerraformVariable, DataTerraformRemoteStateS3, ...; empty when cdktf
    is not installed: then a rule that needs them checks nothing)."""
    source = cdktf_source()
    if source is None:
        return frozenset()
    return parse_constructs(source.read_text(encoding="utf-8"))


@cache
def stack_members() -> frozenset[str]:
    """The public names a TerraformStack has and a plain Construct lacks (`add_override`, `synthesizer`,
    `to_terraform`, ...; empty when cdktf is not installed)."""
    source = cdktf_source()
    if source is None:
        return frozenset()
    members = class_members(source.read_text(encoding="utf-8"), ("TerraformStack",))
    return frozenset(name for name in members - plain_construct_members() if not name.startswith("_"))


# cdktf's constructs whose values Terraform resolves: a variable's value is known at plan, a local's when evaluated.
_VALUE_CONSTRUCTS = ("TerraformVariable", "TerraformLocal")
_LIST_PROPERTY_RE = re.compile(r"^    @builtins\.property\n    @jsii\.member\(jsii_name=\"\w+\"\)\n"
                               r"    def (\w+)\(self\) -> typing\.List\[", re.MULTILINE)


def parse_list_properties(text: str) -> dict[str, frozenset[str]]:
    """Class -> its properties typed as a list, for cdktf's value constructs in the text of its `__init__.py`."""
    starts = [(m.start(), m.group(1)) for m in _CLASS_RE.finditer(text)]
    found: dict[str, frozenset[str]] = {}
    for position, (start, name) in enumerate(starts):
        if name in _VALUE_CONSTRUCTS:
            end = starts[position + 1][0] if position + 1 < len(starts) else len(text)
            found[name] = frozenset(_LIST_PROPERTY_RE.findall(text, start, end))
    return found


@cache
def value_list_properties() -> dict[str, frozenset[str]]:
    """`TerraformVariable.list_value`, `TerraformLocal.as_list`: what the installed cdktf types as a list on its
    value constructs (empty when cdktf is not installed)."""
    source = cdktf_source()
    if source is None:
        return {}
    return parse_list_properties(source.read_text(encoding="utf-8"))
