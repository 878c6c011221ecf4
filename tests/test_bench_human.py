"""bench/human.py: what it counts as a change of the Terraform JSON, and which project it copies."""

from __future__ import annotations

from bench.human import _unstable, changes, human_project


def test_changes_are_paths_with_both_values_and_metadata_is_not_compared():
    before = {"//": {"metadata": 1}, "resource": {"aws_s3_bucket": {"b": {"bucket": "x", "tags": {"a": "1"}}}},
              "terraform": {"backend": {"s3": {"use_lockfile": True}}}}
    after = {"//": {"metadata": 2}, "resource": {"aws_s3_bucket": {"b": {"bucket": "y", "tags": {"a": "1"}}}},
             "terraform": {"backend": {"s3": {}}}}
    assert changes(before, after) == [("/resource/aws_s3_bucket/b/bucket", '"x"', '"y"'),
                                      ("/terraform/backend/s3/use_lockfile", "true", "(absent)")]
    assert changes(before, before) == []


def test_a_change_two_synths_of_the_same_code_show_is_set_apart():
    unstable = {"/resource/aws_ecs_cluster/ecs-cluster-dev-5da42250"}
    assert _unstable("/resource/aws_ecs_cluster/ecs-cluster-dev-692e9be0", unstable)
    assert not _unstable("/resource/aws_s3_bucket/b/bucket", unstable)


def test_the_human_project_is_copied_without_answers_tests_or_archives(tmp_path):
    task = tmp_path / "Pr1"
    (task / "lib" / "lambda").mkdir(parents=True)
    (task / "tests").mkdir()
    (task / "cdktf.json").write_text("{}")
    (task / "tap.py").write_text("")
    (task / "lib" / "tap_stack.py").write_text("")
    (task / "lib" / "MODEL_RESPONSE.md").write_text("")
    (task / "lib" / "lambda" / "handler.zip").write_bytes(b"")
    (task / "lib" / "lambda" / "handler.py").write_text("")
    (task / "tests" / "test_stack.py").write_text("")
    copied = human_project(task, tmp_path / "copy")
    assert sorted(p.relative_to(copied).as_posix() for p in copied.rglob("*") if p.is_file()) == [
        "cdktf.json", "lib/lambda/handler.py", "lib/tap_stack.py", "tap.py"]
    (task / "lib" / "tap_stack.py").unlink()
    assert human_project(task, tmp_path / "again") is None
