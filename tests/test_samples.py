"""broken_samples/ repaired must equal fixed_samples/ byte for byte, and repairing again must change nothing."""

from __future__ import annotations

import pytest

from repair.engine import repair_source
from repair.project import ASSET_FOLDERS
from repair.proof.synth import find_entry
from repair.transforms._base import all_rules

from conftest import BROKEN, FIXED, sample_files

RULE_BY_FOLDER = {rule.slug.replace("-", "_"): rule.id for rule in all_rules()}
# Rules that only report: their samples come back unchanged, with the findings left to the user.
REPORT_ONLY = {rule.id for rule in all_rules() if rule.reports_only}


# Samples written the way generated code is, which trips a second rule besides the one their folder is about.
ALSO_EXPECTED = {
    # the encryption configuration written in the shape of the bucket's old inline block (CDK011 unwraps it, its
    # dicts then take the resource's block shapes, CDK006/CDK007), and a KmsAlias's `alias` for its name (CDK011)
    "provider_class_name/words_left_out.py": {"CDK006", "CDK007", "CDK011"},
    "s3_notification_permission/several_buckets_and_functions.py": {"CDK007"},  # lambda_function=[{...}] dicts
    "provider_block_shape/dict_blocks.py": {"CDK007"},  # the rule dict becomes a list entry, keys then get lost
    "lifecycle_rule_filter/dict_rules.py": {"CDK007"},  # 'storage_class' in a transition dict
    # a plain script wrapped in Fn.base64encode (CDK026); a quoted one passed through Fn.raw_string (CDK016)
    "escape_literal_interpolation/encoded_node_server.py": {"CDK016", "CDK026"},
    # aws.S3BucketVersioning moves to aws.s3_bucket_versioning, where the class is S3BucketVersioningA
    "provider_import_location/package_alias_classes.py": {"CDK001"},
    # `vpn.id` on a data source whose id is `vpn_connection_id`: an attribute its class lacks
    "token_misuse/secret_and_arn_parts.py": {"CDK027"},
    # the subnet group's name is given by the keyword CDK011 renames, and read back by it
    "unknown_attribute/cache_subnet_group_name.py": {"CDK011"},
    # once the resource is called, its blocks take the resource's own structs
    "block_struct_as_resource/encryption_through_module.py": {"CDK012"},
    # dicts inside the lists of blocks the maps become (and beside them) are written as their structs
    "named_block_map/pipeline_stages_by_name.py": {"CDK007"},
    "named_block_map/build_environment_variables.py": {"CDK007"},
    # the entry itself, run from bin/, is the module CDK038 repairs
    "project_import_path/bin_entry/bin/main.py": set(),
}


# Modules of a sample project that a rule reads to repair another of its modules, and leaves as they are: the
# constructs that wire a key created in one module to the log group of another (CDK024), the classes a call passes
# an object into and takes it from (CDK036).
READ_ONLY = {
    "kms_logs_key_policy/payments_platform/lib/payments_stack.py",
    "kms_logs_key_policy/payments_platform/lib/monitoring.py",
    "owner_argument/split_stacks/lib/parts/compute.py",
    "owner_argument/split_stacks/lib/parts/network.py",
    # the modules a stack imports by a path that does not reach them (CDK038): the importer's import is changed
    "project_import_path/split_stack/lib/stacks/network.py",
    "project_import_path/split_stack/lib/stacks/storage.py",
    "project_import_path/app_folder_entry/app/core/parts/queues.py",
    "project_import_path/bin_entry/lib/tap_stack.py",
}


def expected_rules(relative) -> set[str]:
    """The rules a sample exists to exercise: its folder names the rule; review_system has the five failures of
    the seed analysis."""
    folder = relative.parts[0]
    if relative.as_posix() in ALSO_EXPECTED:
        return {RULE_BY_FOLDER[folder]} | ALSO_EXPECTED[relative.as_posix()]
    if folder == "review_system":
        return {"CDK001", "CDK002", "CDK003", "CDK004", "CDK005"} if relative.name == "tap_stack.py" else set()
    if folder == "no_repair_needed" or relative.as_posix() in READ_ONLY:
        return set()
    if set(relative.parts[1:-1]) & ASSET_FOLDERS:
        return set()  # a Lambda function's own source, run by the runtime, not by the app
    if relative.name == "__init__.py" or find_entry((BROKEN / relative).parent) == BROKEN / relative:
        return set()  # a project's entry and package markers: the project's own, which no rule changes
    return {RULE_BY_FOLDER[folder]}


def read(path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("relative", sample_files(), ids=str)
def test_sample_repairs_to_golden(relative):
    broken, golden = read(BROKEN / relative), read(FIXED / relative)
    # The file's real path: a sample project's modules are checked against its entry (repair.project).
    path = str(BROKEN / relative)
    result = repair_source(broken, path=path)

    assert result.error is None
    assert result.fixed_source == golden
    assert {f.rule_id for f in result.findings} == expected_rules(relative)
    assert all(f.fixed != (f.rule_id in REPORT_ONLY) for f in result.findings)
    assert (broken != golden) == bool(expected_rules(relative) - REPORT_ONLY)
    compile(result.fixed_source, str(relative), "exec")

    again = repair_source(result.fixed_source, path=path)
    assert again.fixed_source == result.fixed_source, "repairing repaired code must change nothing"
    assert [f for f in again.findings if f.rule_id not in REPORT_ONLY] == []


def test_every_rule_has_at_least_three_samples():
    counts = {rule_id: 0 for rule_id in RULE_BY_FOLDER.values()}
    for relative in sample_files():
        folder = relative.parts[0]
        if folder in RULE_BY_FOLDER:
            counts[RULE_BY_FOLDER[folder]] += 1
    assert all(n >= 3 for n in counts.values()), counts


def test_fixed_samples_mirror_broken_samples():
    broken = {p.relative_to(BROKEN) for p in BROKEN.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    fixed = {p.relative_to(FIXED) for p in FIXED.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert broken == fixed
