"""CDK006 provider-block-shape: a nested block passed as one object where the provider takes a list, or the reverse.

Provider 21.x turned many nested blocks into lists (lifecycle rule `expiration`, `transition`, `filter`,
`noncurrent_version_expiration`, ...) while others stay single objects (`versioning_configuration`,
`apply_server_side_encryption_by_default`). Generated code follows older examples, and jsii refuses the value at
synth ("Unable to deserialize value ... Value is not an array"). Which shape a parameter takes is read from the
installed provider's signatures; struct calls and dict literals are checked alike, at any depth, and so are the
entries of a dict spread into the call (`**settings`) when the function writes it out.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import LIST, OBJECT, param_shape
from repair.transforms._base import Example, Rule, Severity
from repair.transforms._cst import apply_leaves, string_value
from repair.transforms._provider_imports import provider_keywords
from repair.transforms._triggers import Any, DICT, ProviderArgument, ProviderCall, Written


WRAP, UNWRAP = "wrap", "unwrap"


def misshaped(annotation: str, value: Written) -> bool:
    """A block parameter written in the other shape: one block (a dict, a struct's call) where the provider takes a
    list of them, a list where it takes one block."""
    shape = param_shape(annotation)
    if shape == LIST:
        return value.maybe(DICT) or value.maybe_provider_class
    return shape == OBJECT and value.maybe(LIST)


class ProviderBlockShape(Rule):
    id = "CDK006"
    slug = "provider-block-shape"
    severity = Severity.CRITICAL
    summary = "Pass each nested block in the shape the installed provider takes: a list, or a single object."
    prevents = (
        "jsii.errors.JSIIError: Unable to deserialize value as ... Value is not an array (cdktf synth fails)"
    )
    doc_url = "https://github.com/cdktf/cdktf-provider-aws/blob/main/docs/s3BucketLifecycleConfiguration.python.md"
    analysis_keywords = ("block shape", "list vs object", "list or object", "not an array", "configuration type",
                         "rule format", "parameter structure")
    # jsii's deserialization of a block given in the wrong shape (but not a struct missing its keys: CDK007).
    synth_errors = (r"Value is not an array", r"got (list|dict) instead",
                    r"^(?!.*Missing required properties).*Unable to deserialize value")
    # A dict spread into a call (`**settings`) is written out elsewhere in its function.
    triggers = Any(ProviderArgument(misshaped), ProviderCall(spread=True))

    examples = (
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (\n"
                "    S3BucketLifecycleConfigurationRule, S3BucketLifecycleConfigurationRuleExpiration)\n"
                "rule = S3BucketLifecycleConfigurationRule(\n"
                "    id='expire', status='Enabled', filter={},\n"
                "    expiration=S3BucketLifecycleConfigurationRuleExpiration(days=30))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (\n"
                "    S3BucketLifecycleConfigurationRule, S3BucketLifecycleConfigurationRuleExpiration)\n"
                "rule = S3BucketLifecycleConfigurationRule(\n"
                "    id='expire', status='Enabled', filter=[{}],\n"
                "    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=30)])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[{\n"
                "    'id': 'old', 'status': 'Enabled', 'filter': {'prefix': 'tmp/'},\n"
                "    'noncurrent_version_expiration': {'noncurrent_days': 7},\n"
                "}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=[{\n"
                "    'id': 'old', 'status': 'Enabled', 'filter': [{'prefix': 'tmp/'}],\n"
                "    'noncurrent_version_expiration': [{'noncurrent_days': 7}],\n"
                "}])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "S3BucketVersioningA(self, 'v', bucket=b.id, versioning_configuration=[{'status': 'Enabled'}])\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "S3BucketVersioningA(self, 'v', bucket=b.id, versioning_configuration={'status': 'Enabled'})\n"
            ),
        ),
        # A one-element tuple is a list to jsii.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'f', function_name='f', role=role.arn, environment=({'variables': env},))\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction\n"
                "LambdaFunction(self, 'f', function_name='f', role=role.arn, environment={'variables': env})\n"
            ),
        ),
        # The keywords of a dict written out in its function and spread into the call are checked alike.
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "def versioning(self, b):\n"
                "    settings = {'bucket': b.id, 'versioning_configuration': [{'status': 'Enabled'}]}\n"
                "    S3BucketVersioningA(self, 'v', **settings)\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
                "def versioning(self, b):\n"
                "    settings = {'bucket': b.id, 'versioning_configuration': {'status': 'Enabled'}}\n"
                "    S3BucketVersioningA(self, 'v', **settings)\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration\n"
                "S3BucketLifecycleConfiguration(self, 'l', bucket=b.id, rule=rules)\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._index = self.options.provider_index()
        self._bindings = self.provider_imports
        self._fixes: dict[cst.CSTNode, str] = {}
        # Every keyword of a provider call, the entries of a dict spread into it (`**settings`) included.
        for module, class_name, keyword, value in provider_keywords(tree, self._bindings):
            self._check_value(value, module, class_name, keyword)
        if not self._fixes:
            return tree
        return apply_leaves(tree, {node: _wrap if fix == WRAP else _unwrap for node, fix in self._fixes.items()})

    # -- analysis (on the original nodes, so that findings have positions) ---------------------------------------
    def _check_value(self, value: cst.BaseExpression, module: str, class_name: str, param: str) -> None:
        info = self._index.param(module, class_name, param)
        if info is None:
            return
        shape, struct = info
        where = f"{class_name}.{param}"
        if shape == LIST and self._is_block(value, module):
            if self.report(value, f"{where} takes a list of blocks in provider {self._index.version}; wrapped in [...]"):
                self._fixes[value] = WRAP
        elif shape == OBJECT and isinstance(value, (cst.List, cst.Tuple)):
            # A one-element tuple (`({...},)`) is a list to jsii, and just as wrong for a single block.
            elements = [e for e in value.elements if isinstance(e, cst.Element)]
            if len(value.elements) == 1 and len(elements) == 1:
                if self.report(value, f"{where} takes a single block in provider {self._index.version}; unwrapped"):
                    self._fixes[value] = UNWRAP
                value = elements[0].value
            else:
                kind = "list" if isinstance(value, cst.List) else "tuple"
                self.report(value, f"{where} takes a single block; this {kind} has {len(value.elements)}", fixed=False)
                return
        if struct is None:
            return
        for block in _blocks(value):
            if isinstance(block, cst.Dict):
                self._check_dict(block, module, struct)

    def _check_dict(self, block: cst.Dict, module: str, struct: str) -> None:
        for element in block.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None:
                    self._check_value(element.value, module, struct, key)

    def _is_block(self, value: cst.BaseExpression, module: str) -> bool:
        """A single block: a dict literal, or a call of a provider struct class."""
        if isinstance(value, cst.Dict):
            return True
        if isinstance(value, cst.Call):
            target = self._bindings.resolve(value.func)
            return target is not None and target[1] in self._index.exports(target[0])
        return False


def _blocks(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(value, (cst.List, cst.Tuple)):
        return [e.value for e in value.elements if isinstance(e, cst.Element)]
    return [value]


def _wrap(node: cst.BaseExpression) -> cst.BaseExpression:
    return cst.List(elements=[cst.Element(value=node)])


def _unwrap(node: cst.List | cst.Tuple) -> cst.BaseExpression:
    return node.elements[0].value
