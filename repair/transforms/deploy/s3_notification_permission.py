"""CDK004 s3-notification-permission: an S3 bucket notification configured before S3 may invoke the function.

When S3 saves a notification configuration it test-invokes each Lambda destination, so the `aws_lambda_permission`
that lets `s3.amazonaws.com` call the function must exist first. Nothing in the notification refers to the
permission, so Terraform may create them in either order. The notification must depend on that permission; when
the stack has none, one is created (function, principal, source ARN of the bucket) right before the notification.
"""

from __future__ import annotations

import libcst as cst

from repair.provider_index import PACKAGE
from repair.transforms._terraform_json import reference
from repair.transforms._base import Example, JsonFinding, Rule, Severity
from repair.transforms._constructs import (
    apply_dependency_edits,
    Construct,
    DependencyEdits,
    collect,
    existing_dependencies,
)
from repair.transforms._cst import (
    add_import,
    code_of,
    construct_scope,
    keyword_arg,
    reference_root,
    snake_identifier,
    string_value,
    unique_identifier,
)
from repair.transforms._triggers import All, Text


NOTIFICATION = "S3BucketNotification"
PERMISSION = "LambdaPermission"
S3_PRINCIPAL = "s3.amazonaws.com"


def notified_functions(call: cst.Call) -> list[str]:
    """The functions a notification invokes, as the expressions they are reached by (`fn` for `fn.arn`)."""
    arg = keyword_arg(call, "lambda_function")
    if arg is None or not isinstance(arg.value, (cst.List, cst.Tuple)):
        return []
    roots: list[str] = []
    for element in arg.value.elements:
        value = element.value
        arn = None
        if isinstance(value, cst.Call):
            arn_arg = keyword_arg(value, "lambda_function_arn")
            arn = arn_arg.value if arn_arg else None
        elif isinstance(value, cst.Dict):
            for item in value.elements:
                if isinstance(item, cst.DictElement) and string_value(item.key) == "lambda_function_arn":
                    arn = item.value
        root = reference_root(arn) if arn is not None else None
        if root and root not in roots:
            roots.append(root)
    return roots


def _permission_function(permission: Construct) -> str | None:
    principal = keyword_arg(permission.call, "principal")
    if principal is None or string_value(principal.value) != S3_PRINCIPAL:
        return None
    function = keyword_arg(permission.call, "function_name")
    return reference_root(function.value) if function else None


def _same_object(a: Construct, a_root: str, b: Construct, b_root: str) -> bool:
    """Whether two references spelled in two places name the same object (`self.x` across methods, locals within
    one function)."""
    if a_root != b_root:
        return False
    if a_root.startswith("self."):
        return a.klass is b.klass
    return a.function is b.function


class S3NotificationPermission(Rule):
    id = "CDK004"
    slug = "s3-notification-permission"
    severity = Severity.HIGH
    summary = "Make each S3 bucket notification depend on the Lambda permission that lets S3 invoke the function."
    prevents = (
        "terraform apply: Error putting S3 notification configuration: InvalidArgument: Unable to validate the "
        "following destination configurations"
    )
    doc_url = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_notification#add-notification-configuration-to-lambda-function"
    analysis_keywords = ("notification permission", "notification * permission", "notification configuration error",
                         "invoke permission")
    # A notification invokes a function only through its `lambda_function` blocks.
    triggers = All(Text(NOTIFICATION), Text("lambda_function"))

    examples = (
        Example(
            before=(
                "permission = LambdaPermission(self, 'allow-s3', action='lambda:InvokeFunction',\n"
                "                              function_name=fn.function_name, principal='s3.amazonaws.com',\n"
                "                              source_arn=bucket.arn)\n"
                "S3BucketNotification(self, 'notify', bucket=bucket.id, lambda_function=[\n"
                "    S3BucketNotificationLambdaFunction(lambda_function_arn=fn.arn, events=['s3:ObjectCreated:*'])])\n"
            ),
            after=(
                "permission = LambdaPermission(self, 'allow-s3', action='lambda:InvokeFunction',\n"
                "                              function_name=fn.function_name, principal='s3.amazonaws.com',\n"
                "                              source_arn=bucket.arn)\n"
                "S3BucketNotification(self, 'notify', bucket=bucket.id, lambda_function=[\n"
                "    S3BucketNotificationLambdaFunction(lambda_function_arn=fn.arn, events=['s3:ObjectCreated:*'])], depends_on=[permission])\n"
            ),
        ),
        Example(
            before=(
                "from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification\n"
                "\n"
                "# Trigger the processor on uploads\n"
                "S3BucketNotification(\n"
                "    self,\n"
                "    'uploads',\n"
                "    bucket=bucket.id,\n"
                "    lambda_function=[{'lambda_function_arn': processor.arn, 'events': ['s3:ObjectCreated:*']}],\n"
                ")\n"
            ),
            after=(
                "from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification\n"
                "from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission\n"
                "\n"
                "# Trigger the processor on uploads\n"
                "processor_s3_permission = LambdaPermission(\n"
                "    self,\n"
                "    'uploads-processor-s3-permission',\n"
                "    action='lambda:InvokeFunction',\n"
                "    function_name=processor.function_name,\n"
                "    principal='s3.amazonaws.com',\n"
                "    source_arn=bucket.arn,\n"
                ")\n"
                "S3BucketNotification(\n"
                "    self,\n"
                "    'uploads',\n"
                "    bucket=bucket.id,\n"
                "    lambda_function=[{'lambda_function_arn': processor.arn, 'events': ['s3:ObjectCreated:*']}],\n"
                "    depends_on=[processor_s3_permission],\n"
                ")\n"
            ),
        ),
        Example(
            before=(
                "LambdaPermission(self, 'AllowS3Invoke', action='lambda:InvokeFunction', function_name=fn.arn,\n"
                "                 principal='s3.amazonaws.com')\n"
                "S3BucketNotification(self, 'notify', bucket=bucket.id,\n"
                "                     lambda_function=[{'lambda_function_arn': fn.arn, 'events': ['s3:*']}])\n"
            ),
            after=(
                "allow_s3_invoke = LambdaPermission(self, 'AllowS3Invoke', action='lambda:InvokeFunction', function_name=fn.arn,\n"
                "                 principal='s3.amazonaws.com')\n"
                "S3BucketNotification(self, 'notify', bucket=bucket.id,\n"
                "                     lambda_function=[{'lambda_function_arn': fn.arn, 'events': ['s3:*']}],\n"
                "                     depends_on=[allow_s3_invoke])\n"
            ),
        ),
        Example(
            before=(
                "permission = LambdaPermission(self, 'p', action='lambda:InvokeFunction', function_name=fn.function_name,\n"
                "                              principal='s3.amazonaws.com', source_arn=bucket.arn)\n"
                "S3BucketNotification(self, 'notify', bucket=bucket.id, depends_on=[permission],\n"
                "                     lambda_function=[{'lambda_function_arn': fn.arn, 'events': ['s3:*']}])\n"
            ),
        ),
    )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        constructs, scopes = collect(tree, {NOTIFICATION, PERMISSION})
        permissions = [c for c in constructs if c.class_name == PERMISSION]
        edits = DependencyEdits(scopes)
        self._needs_import = False
        taken_ids = {c.construct_id for c in constructs if c.construct_id}
        for notification in (c for c in constructs if c.class_name == NOTIFICATION):
            self._plan(notification, permissions, edits, taken_ids)
        if edits.empty():
            return tree
        tree = apply_dependency_edits(tree, edits)
        if self._needs_import:
            tree = add_import(self.context, tree, f"{PACKAGE}.lambda_permission", PERMISSION)
        return tree

    def _plan(self, notification: Construct, permissions: list[Construct], edits: DependencyEdits,
              taken_ids: set[str]) -> None:
        present, extendable = existing_dependencies(notification.call)
        if self.suppressed(notification.call):
            lacking = [f for f in notified_functions(notification.call)
                       if not any(p.binding in (present or ()) for p in permissions
                                  if (root := _permission_function(p)) and _same_object(p, root, notification, f))]
            if lacking:
                self.report(notification.call, "notification must depend on the permission that lets S3 invoke "
                            f"{', '.join(lacking)}")
            return
        missing: list[str] = []
        for function in notified_functions(notification.call):
            matching = [p for p in permissions
                        if (root := _permission_function(p)) and _same_object(p, root, notification, function)]
            if present is not None and any(p.binding in present for p in matching):
                continue
            if not matching and any(_permission_function(p) == function for p in permissions):
                # A permission for a function of that spelling exists, but in another scope: creating a second one
                # would be wrong, referencing it needs a hand.
                self.report(notification.call, f"the permission for {function} is created in another scope; "
                            "add it to depends_on by hand", fixed=False)
                continue
            if not matching and present and any("permission" in entry.lower() for entry in present):
                continue  # a permission made elsewhere (another module) is already depended on
            if not matching:
                reference = self._create_permission(notification, function, edits, taken_ids)
                if reference is None:
                    self.report(notification.call, f"no Lambda permission lets {S3_PRINCIPAL} invoke {function}, "
                                "and one cannot be added before this notification", fixed=False)
                    continue
            else:
                reference, why = edits.reference(notification, matching[0])
                if reference is None:
                    self.report(notification.call, f"the permission for {function} cannot be referenced ({why})",
                                fixed=False)
                    continue
            if present is None or reference not in present:
                missing.append(reference)
        if missing and not extendable:
            self.report(notification.call, f"depends_on is not a list literal; add {', '.join(missing)} to it",
                        fixed=False)
        elif missing:
            for reference in missing:
                edits.depend(notification, reference)
            self.report(notification.call, "notification must depend on the permission that lets S3 invoke the "
                        f"function; added {', '.join(missing)} to depends_on")

    def _create_permission(self, notification: Construct, function: str, edits: DependencyEdits,
                           taken_ids: set[str]) -> str | None:
        statement = notification.statement
        scope = construct_scope(notification.call)
        if statement is None or notification.in_loop or scope is None:
            return None
        short = snake_identifier(function.removeprefix("self."))
        taken = (edits.scopes.function_names.get(notification.function, set()) if notification.function
                 else edits.scopes.module_names)
        variable = unique_identifier(f"{short}_s3_permission", taken | edits.scopes.module_names)
        taken.add(variable)
        base_id = f"{notification.construct_id or 'bucket-notification'}-{short.replace('_', '-')}-s3-permission"
        construct_id, n = base_id, 2
        while construct_id in taken_ids:
            construct_id, n = f"{base_id}-{n}", n + 1
        taken_ids.add(construct_id)
        quote = _quote_style(notification.call)
        lines = [
            f"{code_of(scope)},",
            f"{quote}{construct_id}{quote},",
            f"action={quote}lambda:InvokeFunction{quote},",
            f"function_name={function}.function_name,",
            f"principal={quote}{S3_PRINCIPAL}{quote},",
        ]
        bucket = keyword_arg(notification.call, "bucket")
        bucket_root = reference_root(bucket.value) if bucket else None
        if bucket_root:
            lines.append(f"source_arn={bucket_root}.arn,")
        body = "".join(f"    {line}\n" for line in lines)
        new_statement = cst.parse_statement(f"{variable} = {PERMISSION}(\n{body})\n")
        edits.insert_before.setdefault(statement, []).append(new_statement)
        self._needs_import = True
        return variable

    @classmethod
    def check_terraform_json(cls, stack: dict, terraform_version: tuple[int, int] | None) -> list[JsonFinding]:
        resources = stack.get("resource", {})
        permissions: dict[str, list[str]] = {}  # function resource name -> S3 permissions for it
        for name, body in resources.get("aws_lambda_permission", {}).items():
            target = reference(body.get("function_name"))
            if body.get("principal") == S3_PRINCIPAL and target and target[0] == "aws_lambda_function":
                permissions.setdefault(target[1], []).append(f"aws_lambda_permission.{name}")
        findings = []
        for name, body in resources.get("aws_s3_bucket_notification", {}).items():
            depends = set(body.get("depends_on", []))
            for entry in body.get("lambda_function", []) or []:
                target = reference(entry.get("lambda_function_arn")) if isinstance(entry, dict) else None
                if target is None or target[0] != "aws_lambda_function":
                    continue
                granted = permissions.get(target[1], [])
                if not granted:
                    findings.append(JsonFinding(cls.id, f"aws_s3_bucket_notification.{name}",
                                                f"no aws_lambda_permission lets {S3_PRINCIPAL} invoke "
                                                f"aws_lambda_function.{target[1]}"))
                elif not depends & set(granted):
                    findings.append(JsonFinding(cls.id, f"aws_s3_bucket_notification.{name}",
                                                f"does not depend on {' or '.join(granted)}"))
        return findings

def _quote_style(call: cst.Call) -> str:
    """The quote character the notification's own string arguments use, so the new code matches."""
    for arg in call.args:
        if isinstance(arg.value, cst.SimpleString):
            return arg.value.quote[-1]
    return '"'

