"""CDK014 and CDK015 hand a class to its module and CDK001 spells it as the module does: the rules converge in
one run; what none of them can place is reported, not guessed."""

from __future__ import annotations

from repair.engine import repair_source


def rule_ids(result) -> list[str]:
    return sorted({f.rule_id for f in result.findings})


def test_root_import_of_a_renamed_class_converges_with_cdk001():
    source = ("from cdktf_cdktf_provider_aws import S3BucketVersioning\n"
              "S3BucketVersioning(self, 'v', bucket='b', versioning_configuration={'status': 'Enabled'})\n")
    result = repair_source(source)
    assert result.error is None
    assert result.fixed_source == (
        "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA\n"
        "S3BucketVersioningA(self, 'v', bucket='b', versioning_configuration={'status': 'Enabled'})\n")
    assert rule_ids(result) == ["CDK001", "CDK014"] and all(f.fixed for f in result.findings)
    assert repair_source(result.fixed_source).findings == []


def test_missing_import_of_a_renamed_class_converges_with_cdk001():
    source = ("from cdktf import TerraformStack\n"
              "S3BucketServerSideEncryptionConfiguration(self, 'sse', bucket='b', rule=[])\n")
    result = repair_source(source)
    assert result.fixed_source == (
        "from cdktf import TerraformStack\n"
        "from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import "
        "S3BucketServerSideEncryptionConfigurationA\n"
        "S3BucketServerSideEncryptionConfigurationA(self, 'sse', bucket='b', rule=[])\n")
    assert rule_ids(result) == ["CDK001", "CDK015"]


def test_a_namespace_the_provider_cannot_place_is_reported_and_left():
    source = ("from cdktf_cdktf_provider_aws import provider, eventbridge\n"
              "eventbridge.EventbridgeWidget(self, 'r', schedule_expression='rate(1 hour)')\n")
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = [f for f in result.findings if f.rule_id == "CDK014"]
    assert not finding.fixed and "eventbridge.EventbridgeWidget: not exported by the provider" in finding.message


def test_namespace_classes_the_file_binds_already_are_read_through_their_modules():
    """CDK014 cannot make the classes bare (the file binds EcsService); CDK001 reads each through its own module,
    imported from the package, and the namespace nothing reads any more goes."""
    source = ("from cdktf_cdktf_provider_aws import ecs\n"
              "EcsService = 'svc'\n"
              "ecs.EcsCluster(self, 'c', name='c')\n"
              "ecs.EcsService(self, 's', name='s')\n")
    result = repair_source(source)
    assert result.fixed_source == ("from cdktf_cdktf_provider_aws import ecs_cluster, ecs_service\n"
                                   "EcsService = 'svc'\n"
                                   "ecs_cluster.EcsCluster(self, 'c', name='c')\n"
                                   "ecs_service.EcsService(self, 's', name='s')\n")
    assert rule_ids(result) == ["CDK001", "CDK014"] and all(f.fixed for f in result.findings)
    assert repair_source(result.fixed_source).findings == []


def test_an_import_sharing_its_line_is_reported_not_split():
    source = "import os; from cdktf_cdktf_provider_aws import S3Bucket\nS3Bucket(self, 'b', bucket=os.sep)\n"
    result = repair_source(source)
    assert result.fixed_source == source
    (finding,) = result.findings
    assert finding.rule_id == "CDK014" and not finding.fixed


def test_json_literal_names_bound_by_an_import_are_left():
    source = "from flags import true\nconfig = {'enabled': true}\n"
    assert repair_source(source).findings == []


def test_cdktf_get_bindings_the_project_has_are_its_own(tmp_path):
    source = "from imports.aws.s3_bucket import S3Bucket\nS3Bucket(self, 'b', bucket='b')\n"
    (tmp_path / "cdktf.json").write_text("{}")
    (tmp_path / "imports" / "aws").mkdir(parents=True)
    stack = tmp_path / "lib" / "stack.py"
    stack.parent.mkdir()
    stack.write_text(source)
    result = repair_source(source, path=str(stack))
    assert result.fixed_source == source and result.findings == []
    # Without the generated folder, the prebuilt package's module of the same name is read.
    result = repair_source(source, path=str(tmp_path / "elsewhere.py"))
    assert result.fixed_source == source.replace("imports.aws.", "cdktf_cdktf_provider_aws.")


def test_another_providers_cdktf_get_bindings_are_reported_and_left():
    source = ("from imports.aws import S3Bucket\n"
              "from imports.random.password import Password\n"
              "S3Bucket(self, 'b', bucket='b')\nPassword(self, 'p', length=16)\n")
    result = repair_source(source)
    assert result.fixed_source == ("from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\n"
                                   "from imports.random.password import Password\n"
                                   "S3Bucket(self, 'b', bucket='b')\nPassword(self, 'p', length=16)\n")
    (left,) = [f for f in result.findings if not f.fixed]
    assert left.rule_id == "CDK014" and "random provider" in left.message


def test_cdktf_get_bindings_are_named_by_what_the_projects_cdktf_json_declares(tmp_path):
    # A Terraform module's bindings are no provider package to install; an import nothing declares is neither.
    (tmp_path / "cdktf.json").write_text('{"app": "python3 main.py", "terraformProviders": ["hashicorp/random"], '
                                         '"terraformModules": [{"name": "network", "source": '
                                         '"terraform-aws-modules/vpc/aws", "version": "5.0.0"}, '
                                         '"terraform-aws-modules/eks/aws@19.0.0"]}')
    source = ("from imports.network import Network\nfrom imports.eks import Eks\n"
              "from imports.random.password import Password\nfrom imports.cdktf import Thing\n")
    main = tmp_path / "main.py"
    main.write_text(source)
    result = repair_source(source, path=str(main))
    assert result.fixed_source == source
    messages = [f.message for f in result.findings]
    assert [f.rule_id for f in result.findings] == ["CDK014"] * 4 and not any(f.fixed for f in result.findings)
    assert "Terraform module terraform-aws-modules/vpc/aws (cdktf.json's terraformModules)" in messages[0]
    assert "Terraform module terraform-aws-modules/eks/aws (cdktf.json's terraformModules)" in messages[1]
    assert "hashicorp/random provider (cdktf.json's terraformProviders)" in messages[2]
    assert "imports.cdktf is no binding the project has or declares" in messages[3]
    assert not any("cdktf-cdktf-provider-" in m for m in messages)


def test_names_resolved_by_the_provider_modules_around_them():
    from repair.provider_index import installed_index
    from repair.transforms._provider_names import resolve

    index = installed_index()
    found = resolve(index, "elasticache_serverless", "ElasticacheServerless")
    assert (found.module, found.name) == ("elasticache_serverless_cache", "ElasticacheServerlessCache")
    found = resolve(index, "rds_cluster", "RdsClusterSubnetGroup")
    assert (found.module, found.name) == ("db_subnet_group", "DbSubnetGroup")
    assert "db_subnet_group_name" in found.reason
    # Several modules are the name and one more word (log group, stream, destination...): no reading.
    assert resolve(index, "cloudwatch_log", "CloudwatchLog").name is None
    # A resource named after what it attaches to: the rest of the name refers to the first words by a parameter.
    found = resolve(index, "vpc_flow_log", "VpcFlowLog")
    assert (found.module, found.name) == ("flow_log", "FlowLog") and "vpc_id" in found.reason
    # Words left out of another resource's resource: one module of the bucket's holds the rest in order.
    found = resolve(index, "s3_bucket_encryption", "S3BucketEncryption")
    assert (found.module, found.name) == ("s3_bucket_server_side_encryption_configuration",
                                          "S3BucketServerSideEncryptionConfigurationA")
    # A part the resource has no reference parameter for stays unresolved.
    assert resolve(index, "rds_cluster", "RdsClusterBackupVault").name is None
    # The right module under another service's words: the module's one resource that ends with the name's words.
    for module, name, meant in (("sfn_state_machine", "StepFunctionsStateMachine", "SfnStateMachine"),
                                ("lb_target_group", "Elbv2TargetGroup", "LbTargetGroup"),
                                ("cloudwatch_log_group", "CloudwatchLogsLogGroup", "CloudwatchLogGroup"),
                                ("kinesis_firehose_delivery_stream", "KinesisDataFirehoseDeliveryStream",
                                 "KinesisFirehoseDeliveryStream")):
        found = resolve(index, module, name)
        assert (found.module, found.name) == (module, meant) and "module of one resource" in found.reason
    # ... not a struct invented in a resource's module, nor a name with no word of the resource's own.
    for module, name in (("dynamodb_table", "DynamodbTableStreamSpecification"), ("lb", "ApplicationLoadBalancer"),
                         ("ecs_task_definition", "EcsTaskDefinitionContainerDefinitions")):
        assert resolve(index, module, name).name is None


def test_an_import_the_code_guards_is_reported_not_repaired():
    """A human who deployed this wrote `except ImportError: VpcFlowLog = None` and `if VpcFlowLog:`: the stack runs
    without the flow log. Importing FlowLog would create it, reading a role the code only builds in another branch;
    that is a change of what is deployed, for the author to make."""
    code = ("try:\n"
            "    from cdktf_cdktf_provider_aws.vpc_flow_log import VpcFlowLog\n"
            "except ImportError:\n"
            "    VpcFlowLog = None\n"
            "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\n")
    result = repair_source(code)
    assert result.fixed_source == code.replace("import S3BucketVersioning", "import S3BucketVersioningA")
    guarded, plain = sorted((f for f in result.findings if f.rule_id == "CDK001"), key=lambda f: f.line)
    assert not guarded.fixed and "guarded by `except ImportError`" in guarded.message and "FlowLog" in guarded.message
    assert plain.fixed
