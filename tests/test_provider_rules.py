"""Rules driven by the provider index, against the real installed provider and against a small fake one."""

from __future__ import annotations

from repair.engine import repair_source, select_rules
from repair.options import RepairOptions
from repair.provider_index import ProviderIndex

CDK001 = select_rules(["CDK001"])
CDK005 = select_rules(["CDK005"])


def fix(source, rules, **options):
    result = repair_source(source, rules=rules, options=RepairOptions(**options))
    assert result.error is None
    return result


def test_config_class_and_output_reference_get_the_suffix():
    result = fix("from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (\n"
                 "    S3BucketServerSideEncryptionConfigurationConfig,\n"
                 "    S3BucketServerSideEncryptionConfigurationRuleOutputReference,\n)\n", CDK001)
    assert "S3BucketServerSideEncryptionConfigurationAConfig," in result.fixed_source
    assert "S3BucketServerSideEncryptionConfigurationRuleAOutputReference," in result.fixed_source


def test_unknown_name_is_reported_with_suggestions_and_not_changed():
    source = "from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingConfig2\n"
    result = fix(source, CDK001)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert not finding.fixed and "closest: S3BucketLoggingAConfig" in finding.message


def test_unknown_module_with_a_resource_name_is_repointed_home():
    result = fix("from cdktf_cdktf_provider_aws.s3 import S3BucketVersioning\nS3BucketVersioning()\n", CDK001)
    assert result.fixed_source == ("from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                                   "S3BucketVersioningA()\n")


def test_alias_is_kept_and_only_the_imported_name_changes():
    result = fix("from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning as Versioning\n"
                 "Versioning()\n", CDK001)
    assert result.fixed_source == ("from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA "
                                   "as Versioning\nVersioning()\n")


def test_dotted_package_access_is_repaired():
    result = fix("import cdktf_cdktf_provider_aws as aws\naws.s3_bucket_logging.S3BucketLogging(s, 'l')\n", CDK001)
    assert "aws.s3_bucket_logging.S3BucketLoggingA(s, 'l')" in result.fixed_source


FAKE_RULE_MODULE = '''
class S3BucketLifecycleConfigurationRule:
    def __init__(
        self,
        *,
        id: builtins.str,
        filter: typing.Optional[typing.Union["S3BucketLifecycleConfigurationRuleFilter", typing.Dict[builtins.str, typing.Any]]] = None,
        prefix: typing.Optional[builtins.str] = None,
    ) -> None:
        pass

__all__ = [
    "S3BucketLifecycleConfiguration",
    "S3BucketLifecycleConfigurationRule",
    "S3BucketLifecycleConfigurationRuleFilter",
]
'''


def older_provider(tmp_path) -> ProviderIndex:
    """An index over a provider whose lifecycle rule takes `filter` as a single block (the pre-21 shape)."""
    module = tmp_path / "pkg" / "s3_bucket_lifecycle_configuration"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text(FAKE_RULE_MODULE)
    return ProviderIndex(root=tmp_path / "pkg", version="0.0-test", cache_dir=None)


RULE_CALL = ("S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[\n"
             "    S3BucketLifecycleConfigurationRule(id='r', status='Enabled')])\n")


def test_lifecycle_filter_is_a_list_for_the_installed_provider():
    assert "S3BucketLifecycleConfigurationRule(id='r', status='Enabled', filter=[{}])" in \
        fix(RULE_CALL, CDK005).fixed_source


def test_lifecycle_filter_is_a_single_block_for_the_older_shape(tmp_path):
    index = older_provider(tmp_path)
    assert "status='Enabled', filter={})" in fix(RULE_CALL, CDK005, provider=index).fixed_source
    imported = ("from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import "
                "S3BucketLifecycleConfigurationRuleFilter\n" + RULE_CALL)
    assert "filter=S3BucketLifecycleConfigurationRuleFilter())" in fix(imported, CDK005, provider=index).fixed_source


def test_block_shape_follows_the_index(tmp_path):
    source = ("from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfigurationRule\n"
              "S3BucketLifecycleConfigurationRule(id='r', filter=[{'prefix': 'a/'}])\n")
    cdk006 = select_rules(["CDK006"])
    # The installed provider takes a list: nothing to do.
    assert not fix(source, cdk006).changed
    # The older shape takes one block: the list is unwrapped.
    older = fix(source, cdk006, provider=older_provider(tmp_path))
    assert "filter={'prefix': 'a/'})" in older.fixed_source
