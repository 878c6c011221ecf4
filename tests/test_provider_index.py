"""The provider index reads the installed package's files: no import, lazy, cached per version."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from repair.provider_index import LIST, OBJECT, SCALAR, ProviderIndex, installed_index, parse_module_source

GENERATED = '''
class Thing(
    _cdktf_9a9027ec.TerraformResource,
    metaclass=jsii.JSIIMeta,
):
    def __init__(
        self,
        scope: _constructs_77d1e7e8.Construct,
        id_: builtins.str,
        *,
        rule: typing.Union[_cdktf_9a9027ec.IResolvable, typing.Sequence[typing.Union["ThingRule", typing.Dict[builtins.str, typing.Any]]]],
        timeouts: typing.Optional[typing.Union["ThingTimeouts", typing.Dict[builtins.str, typing.Any]]] = None,
        name: typing.Optional[builtins.str] = None,
    ) -> None:
        pass

__all__ = [
    "Thing",
    "ThingRule",
]
'''


def fake_provider(tmp_path, version="1.0.0"):
    """An index over a two-module package laid out like the generated provider (files written once)."""
    root = tmp_path / "pkg"
    if not root.exists():
        (root / "thing").mkdir(parents=True)
        (root / "thing" / "__init__.py").write_text(GENERATED)
        (root / "other").mkdir()
        (root / "other" / "__init__.py").write_text('__all__ = [\n    "Other",\n]\n')
    return ProviderIndex(root=root, version=version, cache_dir=tmp_path / "cache")


def test_parse_exports_and_shapes():
    info = parse_module_source(GENERATED)
    assert info["exports"] == ["Thing", "ThingRule"]
    shapes = {name: found[:2] for name, found in info["params"]["Thing"].items()}
    assert shapes == {"scope": [SCALAR, None], "id_": [SCALAR, None], "rule": [LIST, "ThingRule"],
                      "timeouts": [OBJECT, "ThingTimeouts"], "name": [SCALAR, None]}
    assert info["params"]["Thing"]["name"][2] == "typing.Optional[builtins.str]"


def test_params_keep_the_signature_annotations(tmp_path):
    index = fake_provider(tmp_path)
    params = index.params("thing", "Thing")
    assert list(params) == ["scope", "id_", "rule", "timeouts", "name"]
    assert index.param_annotation("thing", "Thing", "timeouts") == (
        'typing.Optional[typing.Union["ThingTimeouts", typing.Dict[builtins.str, typing.Any]]]')
    assert index.params("thing", "Missing") is None and index.params("nothing", "Thing") is None
    # Built once a class and shared by every caller: read-only, so no caller can change another's signature.
    assert index.params("thing", "Thing") is params
    with pytest.raises(TypeError):
        params["name"] = "str"  # type: ignore[index]


def test_lookups_and_owners(tmp_path):
    index = fake_provider(tmp_path)
    assert index.exports("thing") == {"Thing", "ThingRule"}
    assert index.param_shape("thing", "Thing", "rule") == LIST
    assert index.exports("missing") == frozenset() and not index.has_module("missing")
    assert index.owners("Other") == ["other"]
    assert not index.has_module("../etc")


def test_cache_is_written_reused_and_keyed_by_version(tmp_path):
    index = fake_provider(tmp_path)
    index.exports("thing")
    folder = tmp_path / "cache" / "cdktf-cdktf-provider-aws-1.0.0"
    assert index.cache_path == folder
    # One file per module read, and only for the modules read.
    assert [p.name for p in folder.iterdir()] == ["thing.json"]
    assert json.loads((folder / "thing.json").read_text())["module"]["exports"] == ["Thing", "ThingRule"]
    # A warm index answers from the cache even once the source is gone.
    (tmp_path / "pkg" / "thing" / "__init__.py").unlink()
    assert fake_provider(tmp_path).exports("thing") == {"Thing", "ThingRule"}
    # Another provider version does not read that cache.
    assert fake_provider(tmp_path, version="2.0.0").exports("thing") == frozenset()


def test_processes_reading_different_modules_keep_each_others_cache(tmp_path):
    # Two workers of a batch, each with its own index over the same cache: neither overwrites the other's module.
    first, second = fake_provider(tmp_path), fake_provider(tmp_path)
    assert not first.has_module("missing") and not second.has_module("missing")  # both started, cache read
    first.exports("thing")
    second.exports("other")
    (tmp_path / "pkg" / "thing" / "__init__.py").unlink()
    (tmp_path / "pkg" / "other" / "__init__.py").unlink()
    warm = fake_provider(tmp_path)
    assert warm.exports("thing") == {"Thing", "ThingRule"} and warm.exports("other") == {"Other"}


def test_corrupt_cache_is_ignored_and_rebuilt(tmp_path):
    folder = tmp_path / "cache" / "cdktf-cdktf-provider-aws-1.0.0"
    folder.mkdir(parents=True)
    (folder / "thing.json").write_text("{not json")
    assert fake_provider(tmp_path).exports("thing") == {"Thing", "ThingRule"}
    assert json.loads((folder / "thing.json").read_text())["version"] == "1.0.0"


def test_installed_provider_is_found_without_importing_it():
    code = ("import sys; from repair.provider_index import installed_index; ix = installed_index(); "
            "assert 'S3BucketVersioningA' in ix.exports('s3_bucket_versioning'); "
            "assert 'cdktf_cdktf_provider_aws' not in sys.modules and 'jsii' not in sys.modules, 'imported'")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_installed_lifecycle_filter_is_a_list():
    # Provider 21.x, pinned in pyproject: the rule's filter is a list of blocks (the seed's `filter={}` fails).
    assert installed_index().param_shape("s3_bucket_lifecycle_configuration", "S3BucketLifecycleConfigurationRule",
                                         "filter") == LIST


def test_owners_table_has_its_own_cache_file(tmp_path):
    index = fake_provider(tmp_path)
    index.exports("thing")
    assert not index.owners_cache_path.exists()  # module lookups never build or read the big table
    assert index.owners("Other") == ["other"]
    assert json.loads(index.owners_cache_path.read_text())["owners"]["Thing"] == ["thing"]
    assert index.owners_cache_path.parent == index.cache_path.parent
    (tmp_path / "pkg" / "other" / "__init__.py").unlink()
    assert fake_provider(tmp_path).owners("Other") == ["other"]  # warm: read from the cache file


ATTRIBUTES = '''
class Cluster(
    _cdktf_9a9027ec.TerraformResource,
    metaclass=jsii.JSIIMeta,
):
    def __init__(
        self,
        scope: _constructs_77d1e7e8.Construct,
        id: builtins.str,
        *,
        name: builtins.str,
    ) -> None:
        pass

    def reset_name(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetName", []))

    @builtins.property
    @jsii.member(jsii_name="identity")
    def identity(self) -> "ClusterIdentityList":
        return typing.cast("ClusterIdentityList", jsii.get(self, "identity"))

    @builtins.property
    @jsii.member(jsii_name="zones")
    def zones(self) -> typing.List[builtins.str]:
        return typing.cast(typing.List[builtins.str], jsii.get(self, "zones"))

    @name.setter
    def name(self, value: builtins.str) -> None:
        jsii.set(self, "name", value)


class ClusterIdentityList(
    _cdktf_9a9027ec.ComplexList,
    metaclass=jsii.JSIIMeta,
):
    @jsii.member(jsii_name="get")
    def get(self, index: jsii.Number) -> "ClusterIdentityOutputReference":
        pass
'''


def test_attributes_are_the_property_getters_and_list_items():
    from repair.provider_index import ITEM

    info = parse_module_source(ATTRIBUTES)
    assert info["attributes"] == {
        "Cluster": {"identity": '"ClusterIdentityList"', "zones": "typing.List[builtins.str]"},
        "ClusterIdentityList": {ITEM: '"ClusterIdentityOutputReference"'},
    }
    assert list(info["params"]["Cluster"]) == ["scope", "id", "name"]
    assert info["members"]["Cluster"] == ["__init__", "reset_name", "identity", "zones", "name"]


def test_installed_attribute_types():
    index = installed_index()
    assert index.attribute("data_aws_availability_zones", "DataAwsAvailabilityZones", "names") == (
        "typing.List[builtins.str]")
    assert index.attribute("eks_cluster", "EksCluster", "identity") == '"EksClusterIdentityList"'
    assert index.attribute("eks_cluster", "EksCluster", "identity_get") is None
    assert index.attributes("eks_cluster", "Missing") == {}


def test_fn_functions_come_from_the_installed_cdktf():
    from repair.cdktf_index import fn_functions, parse_fn_functions

    functions = fn_functions()
    assert {"element", "length_of", "base64encode", "join", "lookup"} <= functions
    assert not {"sub", "terraform_workspace", "base64_encode"} & functions
    text = ("class FnGenerated(x):\n    @builtins.classmethod\n    def upper(cls, s): pass\n"
            "class Other:\n    @builtins.classmethod\n    def not_fn(cls): pass\n")
    assert parse_fn_functions(text) == {"upper"}


def test_terraform_functions_map_to_their_fn_methods():
    from repair.cdktf_index import parse_terraform_functions, terraform_functions

    functions = terraform_functions()
    assert functions["length"].name == "length_of"  # Terraform's name, from the method's documentation link
    assert functions["element"].params == ("list", "index") and functions["element"].returns == "typing.Any"
    assert functions["join"].annotations == ("builtins.str", "typing.Sequence[builtins.str]")  # an older link form
    assert functions["lookup"].required == 2 and len(functions["lookup"].params) == 3
    doc = "        '''(experimental) {@link https://developer.hashicorp.com/terraform/language/functions/%s %s} x.\n"
    text = ("class FnGenerated(x):\n"
            "    @builtins.classmethod\n    def upper(cls, str: builtins.str) -> builtins.str:\n" + doc % ("upper", "upper")
            + "    @builtins.classmethod\n    def one(cls, v: typing.Any) -> typing.Any:\n" + doc % ("two", "two")
            + "    @builtins.classmethod\n    def other(cls, v: typing.Any) -> typing.Any:\n" + doc % ("two", "two")
            + "class Other:\n    @builtins.classmethod\n    def lower(cls, s: str) -> str:\n" + doc % ("lower", "lower"))
    parsed = parse_terraform_functions(text)
    assert list(parsed) == ["upper"]  # `two` has two methods (no unique call), `lower` is no Fn's
    assert parsed["upper"].params == ("str",) and parsed["upper"].required == 1


def test_list_values_of_cdktf_value_constructs_come_from_the_installed_cdktf():
    from repair.cdktf_index import parse_list_properties, value_list_properties

    found = value_list_properties()
    assert "list_value" in found["TerraformVariable"] and "string_value" not in found["TerraformVariable"]
    assert "as_list" in found["TerraformLocal"]
    prop = '    @builtins.property\n    @jsii.member(jsii_name="{0}")\n    def {1}(self) -> {2}:\n        pass\n'
    text = ("class TerraformVariable(x):\n" + prop.format("listValue", "list_value", "typing.List[builtins.str]")
            + prop.format("stringValue", "string_value", "builtins.str")
            + "class TerraformOutput(x):\n" + prop.format("listValue", "list_value", "typing.List[builtins.str]"))
    assert parse_list_properties(text) == {"TerraformVariable": frozenset({"list_value"})}


def test_a_short_signature_on_one_line_is_read():
    # jsii writes a struct's __init__ on one line when it is short enough.
    info = parse_module_source(
        "class ThingFilter:\n"
        "    def __init__(self, *, filter: builtins.str, rules: typing.Optional[typing.Sequence[typing.Union[\"R\", "
        "typing.Dict[builtins.str, typing.Any]]]] = None) -> None:\n"
        "        pass\n"
        '__all__ = [\n    "ThingFilter",\n]\n')
    params = info["params"]["ThingFilter"]
    assert list(params) == ["filter", "rules"]
    assert params["filter"] == [SCALAR, None, "builtins.str"]
    assert params["rules"][:2] == [LIST, "R"]
