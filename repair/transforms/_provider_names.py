"""Where a provider name really lives: the export a model meant by a name the installed provider module does not
export (jsii's `A` suffix, a data source without `DataAws`, words split apart, a former service name, a resource
named without its last word or as a part of the resource that refers to it, a one-letter slip), or why no unique
answer exists. Shared by the rules that place provider names (CDK001, CDK012, CDK014,
CDK015), so that they never disagree; the installed provider's `__all__` is the truth, no table of names is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repair.provider_index import PACKAGE, ProviderIndex

# jsii's disambiguating suffix: an `A` closing a word (followed by a capital or the end), after a lower-case letter
# or digit. Setting these aside finds the intended export when the model put the `A` at the wrong word.
_SUFFIX_MARKER = re.compile(r"(?<=[a-z0-9])A(?=[A-Z]|$)")


# Class-name prefixes of AWS services the provider files under another (former) service name.
_FORMER_SERVICE_NAMES = {"Eventbridge": ("CloudwatchEvent", "Scheduler"), "EventBridge": ("CloudwatchEvent", "Scheduler")}


def _without_markers(name: str) -> str:
    return _SUFFIX_MARKER.sub("", name)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def closest_names(name: str, candidates: list[str] | frozenset[str], limit: int = 3) -> list[str]:
    # Compare only names sharing a prefix: the provider has ~100k exports and names differ mostly at the end.
    pool = [c for c in candidates if c[:4] == name[:4]] or list(candidates)
    return sorted(pool, key=lambda c: (_edit_distance(name, c), c))[:limit]


@dataclass(frozen=True)
class Resolution:
    """What to do with `name` imported from provider module `module`."""

    module: str  # the module that really exports it
    name: str | None  # the export's real name; None when it cannot be resolved without guessing
    reason: str


def _as(name: str, export: str) -> str:
    return f" as {export}" if export != name else ""


def resolve(index: ProviderIndex, module: str, name: str) -> Resolution | None:
    """None when `module` exports `name`; otherwise the fix, or why there is none. Computed once per index: the
    search through near names costs far more than a file's repair."""
    key = ("resolve", module, name)
    if key not in index.memo:
        index.memo[key] = _resolve(index, module, name)
    return index.memo[key]


def _resolve(index: ProviderIndex, module: str, name: str) -> Resolution | None:
    exports = index.exports(module)
    if name in exports:
        return None
    if exports:
        if name + "A" in exports:
            return Resolution(module, name + "A", f"the provider names it {name}A")
        key = _without_markers(name)
        matches = sorted(e for e in exports if _without_markers(e) == key)
        if len(matches) == 1:
            return Resolution(module, matches[0], f"the provider names it {matches[0]}")
        if len(matches) > 1:
            return Resolution(module, None, f"ambiguous: could be {', '.join(matches)}")
    # A resource class lives in the module named after it (S3BucketVersioning -> s3_bucket_versioning): that module
    # wins over a same-named struct elsewhere (aws_s3_bucket's inline `versioning` block is also S3BucketVersioning).
    home = _module_name_for(_without_markers(name))
    if home != module:
        home_exports = index.exports(home)
        for candidate in (name, name + "A"):
            if candidate in home_exports:
                return Resolution(home, candidate, f"it is exported by {PACKAGE}.{home}{_as(name, candidate)}")
    for candidate in (name, name + "A"):
        owners = [m for m in index.owners(candidate) if m != module]
        if len(owners) == 1:
            return Resolution(owners[0], candidate, f"it is exported by {PACKAGE}.{owners[0]}{_as(name, candidate)}")
        if len(owners) > 1:
            places = ", ".join(f"{PACKAGE}.{m}" for m in owners)
            return Resolution(module, None, f"exported by several modules ({places}); pick one")
    # Spellings that name one export unambiguously though no module exports them as written: a data source without
    # jsii's `DataAws` prefix (IamPolicyDocument is Terraform's data "aws_iam_policy_document"), or the words of
    # the Terraform type split where jsii does not split them (TimestreamWriteDatabase: aws_timestreamwrite_database).
    for candidates, why in ((["DataAws" + name], "it is the data source"),
                            ([e for e in index.same_letters(name) if e != name], "the provider spells it")):
        places = sorted({(owner, export) for export in candidates for owner in index.owners(export)})
        if len(places) == 1:
            owner, export = places[0]
            return Resolution(owner, export, f"{why} {export}, exported by {PACKAGE}.{owner}")
    # A service the provider files under its former name: the Terraform AWS provider documents EventBridge
    # resources as aws_cloudwatch_event_* ("EventBridge was formerly known as CloudWatch Events") and EventBridge
    # Scheduler as aws_scheduler_*, so an EventbridgeRule is a CloudwatchEventRule when exactly one reading exists.
    for prefix, former in _FORMER_SERVICE_NAMES.items():
        if _without_markers(name).startswith(prefix):
            rest = _without_markers(name)[len(prefix):]
            places = sorted({(owner, export) for spelled in former for export in (spelled + rest, spelled + rest + "A")
                             for owner in index.owners(export)})
            if len(places) == 1:
                owner, export = places[0]
                return Resolution(owner, export, f"the provider files it under its former service name: {export}, "
                                                 f"exported by {PACKAGE}.{owner}")
    for found in (_one_word_short(index, name), _referenced_resource(index, name), _attached_resource(index, name)):
        if found is not None:
            return found
    # One letter off a name the module itself exports (LambdEventSourceMapping in lambda_event_source_mapping):
    # a slip, when no other export of the module is as close.
    slips = [e for e in exports if abs(len(e) - len(name)) <= 1 and _edit_distance(name, e) == 1]
    if len(slips) == 1 and len(name) >= 8:
        return Resolution(module, slips[0], f"the provider names it {slips[0]}")
    found = _words_left_out(index, name) or (_module_resource(index, module, name) if exports else None)
    if found is not None:
        return found
    where = f"{PACKAGE}.{module}" if exports else f"the provider (no module {PACKAGE}.{module})"
    suggestions = closest_names(name, exports) if exports else []
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    return Resolution(module, None, f"not exported by {where}{hint}")


def _main_class(index: ProviderIndex, module: str) -> str | None:
    """The resource or data source class a provider module is named after (`db_subnet_group`: DbSubnetGroup)."""
    for export in index.exports(module):
        if _module_name_for(_without_markers(export)) == module and "scope" in (index.params(module, export) or {}):
            return export
    return None


def _one_word_short(index: ProviderIndex, name: str) -> Resolution | None:
    """A resource named without its last word (ElasticacheServerless for aws_elasticache_serverless_cache): the
    provider modules named like it plus one word; a reading only when exactly one such module exists."""
    stem = _module_name_for(_without_markers(name))
    if "_" not in stem:
        return None  # one word (`Alb`, `Vpc`) says too little to be completed
    places = [(module, export) for module in index.modules_starting(stem + "_") if "_" not in module[len(stem) + 1:]
              if (export := _main_class(index, module)) is not None]
    if len(places) != 1:
        return None
    module, export = places[0]
    return Resolution(module, export, f"the provider's resource is {export}, exported by {PACKAGE}.{module}")


# A parameter that refers to another resource by its name, id or ARN (RdsCluster's `db_subnet_group_name`).
_REFERENCE_SUFFIXES = ("_name", "_id", "_arn")


def _referenced_resource(index: ProviderIndex, name: str) -> Resolution | None:
    """A part of a resource written as a class of its own (RdsClusterSubnetGroup) where the provider has that part
    as a resource of its own, which the resource refers to by a parameter: RdsCluster takes
    `db_subnet_group_name`, the name of a DbSubnetGroup. The resource is the longest leading words of the name that
    are a provider module; the part is the rest; the reading holds when exactly one of the resource's reference
    parameters names a module (ending in the part's words) whose resource class exists."""
    words = _module_name_for(_without_markers(name)).split("_")
    for cut in range(len(words) - 1, 0, -1):
        owner = "_".join(words[:cut])
        owner_class = _main_class(index, owner) if index.has_module(owner) else None
        if owner_class is None:
            continue
        part = "_".join(words[cut:])
        places = set()
        for param in index.params(owner, owner_class) or {}:
            for suffix in _REFERENCE_SUFFIXES:
                stem = param[: -len(suffix)] if param.endswith(suffix) else None
                if stem and (stem == part or stem.endswith("_" + part)) and index.has_module(stem):
                    export = _main_class(index, stem)
                    if export is not None:
                        places.add((stem, export, param))
        if len({(m, e) for m, e, _ in places}) == 1:
            module, export, param = sorted(places)[0]
            return Resolution(module, export, f"{owner_class} refers to it by `{param}`: the provider's resource is "
                                              f"{export}, exported by {PACKAGE}.{module}")
        return None
    return None


def _words_left_out(index: ProviderIndex, name: str) -> Resolution | None:
    """A resource of another resource named with some of its words left out (S3BucketEncryption for
    aws_s3_bucket_server_side_encryption_configuration): the longest leading words that are a resource (s3_bucket),
    and the one module named by those words and more whose further words hold the rest of the name in order."""
    words = _module_name_for(_without_markers(name)).split("_")
    for cut in range(len(words) - 1, 0, -1):
        owner, rest = "_".join(words[:cut]), words[cut:]
        if not index.has_module(owner) or _main_class(index, owner) is None:
            continue
        places = [(module, export) for module in index.modules_starting(owner + "_")
                  if _in_order(rest, module[len(owner) + 1:].split("_"))
                  and (export := _main_class(index, module)) is not None]
        if len(places) != 1:
            return None
        module, export = places[0]
        return Resolution(module, export, f"the provider's resource of {_main_class(index, owner)} with those words "
                                          f"is {export}, exported by {PACKAGE}.{module}")
    return None


def _module_resource(index: ProviderIndex, module: str, name: str) -> Resolution | None:
    """The module's own resource, imported from the right module under another service's words
    (StepFunctionsStateMachine from sfn_state_machine, Elbv2TargetGroup from lb_target_group,
    CloudwatchLogsLogGroup from cloudwatch_log_group): the name ends with the resource's words after the service's
    (State Machine, Target Group, Log Group), and no other export of the module ends so."""
    words = _module_name_for(_without_markers(name)).split("_")

    def ends_with_own_words(export: str) -> bool:
        own = _module_name_for(_without_markers(export)).split("_")[1:]
        return bool(own) and len(words) > len(own) and words[-len(own):] == own

    main = _main_class(index, module)
    if main is None or [e for e in index.exports(module) if ends_with_own_words(e)] != [main]:
        return None
    return Resolution(module, main, f"{PACKAGE}.{module} is the module of one resource, {main}")


def _in_order(wanted: list[str], words: list[str]) -> bool:
    remaining = iter(words)
    return all(word in remaining for word in wanted)


def _attached_resource(index: ProviderIndex, name: str) -> Resolution | None:
    """A resource named after what it attaches to (VpcFlowLog for aws_flow_log): the name's leading words are a
    provider resource (vpc), the rest a resource of its own (flow_log) that refers to the first by a parameter
    (`vpc_id`). A reading only when exactly one split of the name gives one."""
    words = _module_name_for(_without_markers(name)).split("_")
    places = set()
    for cut in range(1, len(words)):
        owner, part = "_".join(words[:cut]), "_".join(words[cut:])
        if not (index.has_module(owner) and index.has_module(part)) or _main_class(index, owner) is None:
            continue
        export = _main_class(index, part)
        params = (index.params(part, export) or {}) if export is not None else {}
        for suffix in _REFERENCE_SUFFIXES:
            if owner + suffix in params:
                places.add((part, export, owner + suffix))
    if len({(m, e) for m, e, _ in places}) != 1:
        return None
    module, export, param = sorted(places)[0]
    return Resolution(module, export, f"the provider's resource is {export}, exported by {PACKAGE}.{module}; it "
                                      f"attaches by `{param}`")


_FROM_IMPORT = re.compile(rf"^[ \t]*from[ \t]+{PACKAGE}\.(\w+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
# Anything other than `from cdktf_cdktf_provider_aws.<module> import <names>`: `import ...`, `from <package> import`.
_OTHER_PROVIDER_IMPORT = re.compile(rf"^[ \t]*(?:import[ \t][^\n]*\b{PACKAGE}\b|from[ \t]+{PACKAGE}[ \t]+import\b)",
                                    re.MULTILINE)


def _module_name_for(class_name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", class_name).lower()


def _provider_submodule(dotted: str) -> str | None:
    prefix = PACKAGE + "."
    if dotted.startswith(prefix) and "." not in dotted[len(prefix):]:
        return dotted[len(prefix):]
    return None
