"""Names and block shapes of the installed cdktf-cdktf-provider-aws, read from its files without importing it.

Importing the provider starts jsii's Node.js runtime (about 20 s and 1 GB), which a codemod must never pay. The
jsii-generated `__init__.py` of each submodule already says what we need: its `__all__` lists the exports, and
each class's `__init__` spells its keyword parameters with their types (`typing.Sequence[...]` for a block that
takes a list). Modules are read lazily, only those a file uses, and what was read is kept in a cache folder per
provider version, one small JSON file per module, so that a warm lookup reads only the modules it needs and a
process that reads a new module writes only that module (parallel batch workers never overwrite each other's).
"""

from __future__ import annotations

import bisect
import importlib.metadata
import importlib.util
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

PACKAGE = "cdktf_cdktf_provider_aws"
DISTRIBUTION = "cdktf-cdktf-provider-aws"
CACHE_ENV = "CDKTF_REPAIR_CACHE_DIR"
# 5: modules also list each class's attributes (property getters) and list item types; 7: and its members;
# 8: one file per module.
_CACHE_FORMAT = 8

_ALL_RE = re.compile(r"^__all__ = \[\n(.*?)^\]", re.MULTILINE | re.DOTALL)
_QUOTED_RE = re.compile(r'"(\w+)"')
_CLASS_RE = re.compile(r"^class (\w+)\b")
_PARAM_RE = re.compile(r"^        (\w+): (.+?)(?: = None)?,$")
# A property getter (after `@builtins.property`) or a complex list's `get`, with the return annotation as written.
_GETTER_RE = re.compile(r"^    def (\w+)\(self\) -> (.+):$")
_MEMBER_RE = re.compile(r"^    def (\w+)\(")
_ITEM_RE = re.compile(r"^    def get\(self, index: jsii\.Number\) -> (.+):$")
# The key under which a list class's item type is kept among its attributes (no property can be named so).
ITEM = "get()"

LIST, OBJECT, SCALAR = "list", "object", "scalar"
# A struct named in an annotation: a bare or quoted class name, not an attribute (`typing.Sequence`, `_cdktf.X`).
_STRUCT_RE = re.compile(r'(?<![\w.])"?([A-Z][A-Za-z0-9_]*)"?(?=[,\]])')


@lru_cache(maxsize=4096)  # a provider has a few hundred distinct annotations
def param_shape(annotation: str) -> str:
    """How a parameter's value is passed: a list of blocks, a single block, or a plain value."""
    if "typing.Sequence[" in annotation:
        return LIST
    if "typing.Dict[builtins.str, typing.Any]" in annotation:
        return OBJECT
    return SCALAR


@lru_cache(maxsize=4096)
def param_struct(annotation: str) -> str | None:
    """The struct class a block parameter takes, when it is defined in the same module."""
    if param_shape(annotation) == SCALAR:
        return None
    match = _STRUCT_RE.search(annotation)
    return match.group(1) if match else None


# Keywords every construct takes from cdktf itself, not from the provider's schema.
CONSTRUCT_KEYWORDS = frozenset({"scope", "id_", "connection", "count", "depends_on", "for_each", "lifecycle",
                                "provider", "provisioners"})


def positional_params(params: dict[str, str]) -> list[str]:
    """The parameters a class takes positionally: a construct's scope and id (`scope`/`scope_`, `id`/`id_`, the
    trailing `_` where the resource has an argument of that name); a struct takes none."""
    names = list(params)
    return names[:2] if names and params[names[0]].endswith(".Construct") else []


def settable_params(params: dict[str, str]) -> list[str]:
    """The parameters that set the provider's arguments: not the construct's scope and id (the id is `id_` where
    the resource has an `id` argument, `id` where it has none) nor cdktf's own."""
    names = list(params)
    construct_id = names[1] if names[:1] == ["scope"] and len(names) > 1 else None
    return [p for p in names if p not in CONSTRUCT_KEYWORDS and p != construct_id]


def required_params(params: dict[str, str]) -> list[str]:
    """The settable parameters a class cannot be called without (their annotation is not Optional)."""
    return [p for p in settable_params(params) if not params[p].startswith("typing.Optional[")]


def missing_params(params: dict[str, str], positional: int, keywords) -> list[str]:
    """The required parameters a call with `positional` positional arguments and these keywords does not give, in
    the signature's order."""
    given = set(keywords) | set(positional_params(params)[:positional])
    return [p for p in required_params(params) if p not in given and p not in positional_params(params)]


def _split_parameters(text: str) -> list[str]:
    """`self, *, a: typing.Union[x, y], b: str = None` -> its parameters (commas inside brackets kept)."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:position].strip())
            start = position + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def parse_module_source(text: str) -> dict:
    """The exports and, per class, each keyword parameter's shape, struct type and annotation, of one generated
    provider submodule: {"exports": [...], "params": {class: {param: [shape, struct-or-None, annotation]}},
    "attributes": {class: {attribute: return annotation}}, "members": {class: [every name it defines]}}.
    Annotations are the text as written
    (`typing.Optional[jsii.Number]`, `typing.List[builtins.str]`, `"EksClusterIdentityList"`), parameters in
    signature order. A complex list class's item type (what its `get(index)` returns) is under `ITEM`."""
    match = _ALL_RE.search(text)
    exports = sorted(_QUOTED_RE.findall(match.group(1))) if match else []
    params: dict[str, dict[str, str]] = {}
    attributes: dict[str, dict[str, str]] = {}
    members: dict[str, list[str]] = {}
    current: str | None = None
    in_init = False
    after_property = False
    for line in text.splitlines():
        if line.startswith("class "):
            m = _CLASS_RE.match(line)
            current = m.group(1) if m else None
            in_init = False
        elif current and line == "    @builtins.property":
            after_property = True
        elif current and line.startswith("    def "):
            member = _MEMBER_RE.match(line)
            if member and member.group(1) not in members.setdefault(current, []):
                members[current].append(member.group(1))
            getter = _GETTER_RE.match(line) if after_property else None
            item = _ITEM_RE.match(line)
            if getter:
                attributes.setdefault(current, {})[getter.group(1)] = getter.group(2)
            elif item:
                attributes.setdefault(current, {})[ITEM] = item.group(1)
            after_property = False
            if line == "    def __init__(":
                in_init = True
                params.setdefault(current, {})
            elif line.startswith("    def __init__(self") and line.endswith(") -> None:"):
                # A short signature is generated on one line: `def __init__(self, *, filter: builtins.str) -> None:`
                params.setdefault(current, {})
                for parameter in _split_parameters(line[len("    def __init__("):-len(") -> None:")]):
                    name, _, annotation = parameter.partition(": ")
                    annotation = annotation.removesuffix(" = None")
                    if annotation and name not in ("self", "*"):
                        params[current][name] = [param_shape(annotation), param_struct(annotation), annotation]
        elif in_init:
            if line.startswith("    )"):
                in_init = False
                continue
            m = _PARAM_RE.match(line)
            if m and m.group(1) != "self":
                params[current][m.group(1)] = [param_shape(m.group(2)), param_struct(m.group(2)), m.group(2)]
        elif line and not line[0].isspace() and not line.startswith(("@", ")", "class ")):
            current = None
    return {"exports": exports, "params": params, "attributes": attributes, "members": members}


def _valid_module_entry(entry: object) -> bool:
    """Whether a cached module has the shape parse_module_source gives."""
    if not isinstance(entry, dict):
        return False
    exports, params, attributes = entry.get("exports"), entry.get("params"), entry.get("attributes", {})
    if not (isinstance(exports, list) and all(isinstance(e, str) for e in exports)):
        return False
    if not (isinstance(params, dict) and isinstance(attributes, dict)):
        return False
    for by_param in params.values():
        if not isinstance(by_param, dict):
            return False
        for found in by_param.values():
            if not (isinstance(found, list) and len(found) >= 3 and all(f is None or isinstance(f, str) for f in found)):
                return False
    return all(isinstance(a, dict) for a in attributes.values())


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cdktf-repair"


@dataclass
class ProviderIndex:
    """Lookups into one provider package folder; `root=None` means the provider is not installed."""

    root: Path | None
    version: str
    cache_dir: Path | None = None
    _modules: dict[str, dict | None] = field(default_factory=dict, repr=False)
    _owners: dict[str, list[str]] | None = field(default=None, repr=False)
    _folded: dict[str, list[str]] | None = field(default=None, repr=False)
    _module_names: list[str] | None = field(default=None, repr=False)
    _by_name: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)
    _params: dict[tuple[str, str], Mapping[str, str] | None] = field(default_factory=dict, repr=False)
    # What the rules' shared machinery derives from this index (a name's resolution, ...), kept as long as the
    # index: the same question is asked by every file of a run.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    # -- cache -------------------------------------------------------------------------------------------------
    # Per provider version: a folder with one file per module read so far (each written once, when first read),
    # and the name -> modules table (about 2 MB, written once, read only when a name has to be looked for
    # everywhere).
    @property
    def cache_path(self) -> Path | None:
        """The folder of the modules' cache files."""
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{DISTRIBUTION}-{self.version}"

    def module_cache_path(self, name: str) -> Path | None:
        folder = self.cache_path
        return folder / f"{name}.json" if folder else None

    @property
    def owners_cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{DISTRIBUTION}-{self.version}.owners.json"

    def _read(self, path: Path | None) -> dict | None:
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a corrupt cache is only a lost speed-up: it is rebuilt from the package
        if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT or data.get("version") != self.version:
            return None
        return data

    def _write(self, path: Path | None, payload: dict) -> None:
        if path is None:
            return
        # json.dumps, not json.dump: the C encoder, where dump streams through the Python one.
        text = json.dumps({"format": _CACHE_FORMAT, "version": self.version, **payload}, separators=(",", ":"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full cache folder must not stop a repair

    # -- lookups -----------------------------------------------------------------------------------------------
    def module(self, name: str) -> dict | None:
        """The parsed submodule (`s3_bucket_versioning`), or None when the provider has no such module."""
        if name in self._modules:
            return self._modules[name]
        info = None
        if re.fullmatch(r"\w+", name):
            cached = self._read(self.module_cache_path(name))
            # An entry of the wrong shape (a hand-edited or foreign file) is read from the package again.
            if cached is not None and _valid_module_entry(cached.get("module")):
                info = cached["module"]
            elif self.root is not None:
                source = self.root / name / "__init__.py"
                if source.is_file():
                    info = parse_module_source(source.read_text(encoding="utf-8"))
                    self._write(self.module_cache_path(name), {"module": info})
        self._modules[name] = info
        return info

    def has_module(self, name: str) -> bool:
        return self.module(name) is not None

    def exports(self, name: str) -> frozenset[str]:
        info = self.module(name)
        return frozenset(info["exports"]) if info else frozenset()

    def param(self, module: str, class_name: str, param: str) -> tuple[str, str | None] | None:
        """(shape, struct class or None) of a keyword parameter, or None when the provider has no such thing."""
        info = self.module(module)
        if not info:
            return None
        found = info["params"].get(class_name, {}).get(param)
        return (found[0], found[1]) if found else None

    def params(self, module: str, class_name: str) -> Mapping[str, str] | None:
        """Keyword parameter -> annotation text of a class's `__init__`, in signature order; None when the module
        or the class is unknown (a class without parameters gives {}). Built once a class and shared, read-only:
        the rules and their triggers ask tens of thousands of times on a corpus."""
        key = (module, class_name)
        if key not in self._params:
            info = self.module(module)
            self._params[key] = (None if not info or class_name not in info["params"] else MappingProxyType(
                {name: found[2] for name, found in info["params"][class_name].items()}))
        return self._params[key]

    def params_by_name(self, module: str) -> dict[str, tuple[str, ...]]:
        """Parameter name -> the annotations the classes of a module give a parameter of that name ({} for an
        unknown module)."""
        table = self._by_name.get(module)
        if table is None:
            collected: dict[str, set[str]] = {}
            for class_params in (self.module(module) or {"params": {}})["params"].values():
                for name, found in class_params.items():
                    collected.setdefault(name, set()).add(found[2])
            table = self._by_name[module] = {name: tuple(sorted(found)) for name, found in collected.items()}
        return table

    def param_annotation(self, module: str, class_name: str, param: str) -> str | None:
        """The annotation text of one keyword parameter (`typing.Optional[jsii.Number]`), or None."""
        return (self.params(module, class_name) or {}).get(param)

    def attributes(self, module: str, class_name: str) -> dict[str, str]:
        """Attribute -> return annotation of a class's property getters (`names` ->
        `typing.List[builtins.str]`), plus `ITEM` for a complex list class; {} when unknown."""
        info = self.module(module)
        return dict((info or {}).get("attributes", {}).get(class_name, {}))

    def members(self, module: str, class_name: str) -> frozenset[str]:
        """Every name a class defines itself (methods, properties, class properties: `reset_tags`,
        `TF_RESOURCE_TYPE`, `tags_all_input`); empty when unknown. What it inherits from cdktf is not included."""
        info = self.module(module)
        return frozenset((info or {}).get("members", {}).get(class_name, ()))

    def attribute(self, module: str, class_name: str, name: str) -> str | None:
        """The return annotation of one attribute of a class, or None when it has no such property."""
        return self.attributes(module, class_name).get(name)

    def param_shape(self, module: str, class_name: str, param: str) -> str | None:
        found = self.param(module, class_name, param)
        return found[0] if found else None

    def owners(self, name: str) -> list[str]:
        """Every submodule that exports `name` (reads all submodules once, then cached)."""
        if self._owners is None:
            data = self._read(self.owners_cache_path)
            owners = data.get("owners") if data else None
            if isinstance(owners, dict) and all(isinstance(v, list) and all(isinstance(m, str) for m in v)
                                                for v in owners.values()):
                self._owners = owners
        if self._owners is None:
            owners: dict[str, list[str]] = {}
            if self.root is not None:
                for child in sorted(self.root.iterdir()):
                    init = child / "__init__.py"
                    if child.name.startswith("_") or not init.is_file():
                        continue
                    text = init.read_text(encoding="utf-8")
                    match = _ALL_RE.search(text)
                    for export in _QUOTED_RE.findall(match.group(1)) if match else ():
                        owners.setdefault(export, []).append(child.name)
            self._owners = owners
            self._write(self.owners_cache_path, {"owners": owners})
        return list(self._owners.get(name, ()))

    def module_names(self) -> list[str]:
        """Every submodule of the provider (`s3_bucket`, ...), sorted."""
        if self._module_names is None:
            self._module_names = sorted(child.name for child in self.root.iterdir() if not child.name.startswith("_")
                                        and (child / "__init__.py").is_file()) if self.root is not None else []
        return self._module_names

    def modules_starting(self, prefix: str) -> list[str]:
        """The submodules whose name starts with `prefix`."""
        names = self.module_names()
        start = bisect.bisect_left(names, prefix)
        found = []
        for name in names[start:]:
            if not name.startswith(prefix):
                break
            found.append(name)
        return found

    def all_names(self) -> list[str]:
        """Every name any submodule exports."""
        self.owners("")
        return list(self._owners or ())

    def same_letters(self, name: str) -> list[str]:
        """Exports spelled like `name` but for case and underscores: `TimestreamWriteDatabase` finds jsii's
        `TimestreamwriteDatabase` (Terraform's `aws_timestreamwrite_database`, one word where a model sees two)."""
        if self._folded is None:
            folded: dict[str, list[str]] = {}
            for export in self.all_names():
                folded.setdefault(_fold(export), []).append(export)
            self._folded = folded
        return list(self._folded.get(_fold(name), ()))


def _fold(name: str) -> str:
    return name.replace("_", "").lower()


def locate_provider() -> tuple[Path | None, str]:
    """The installed provider package folder and version, found without importing the package."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return None, "not-installed"
    try:
        version = importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return Path(next(iter(spec.submodule_search_locations))), version


@cache
def installed_index() -> ProviderIndex:
    root, version = locate_provider()
    return ProviderIndex(root=root, version=version, cache_dir=default_cache_dir())
