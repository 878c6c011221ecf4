"""The `repair` command line, driven as a user would (typer's runner for speed, one real subprocess)."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from repair.cli import app
from repair.transforms._base import all_rules

from conftest import BROKEN, FIXED

runner = CliRunner()
# The sample folders of the rules that only report (a domain, a value the user must choose): their findings stay.
REPORT_ONLY = {rule.id: rule.slug.replace("-", "_") for rule in all_rules() if rule.reports_only}


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def assert_same_tree(left, right):
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    stack = [comparison]
    while stack:
        c = stack.pop()
        assert not c.left_only and not c.right_only, (c.left, c.left_only, c.right_only)
        # A file on one side where the other has a folder (or a file that cannot be compared) is "funny".
        assert not c.common_funny and not c.funny_files, (c.left, c.common_funny, c.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        assert not mismatch and not errors, (c.left, mismatch, errors)
        stack.extend(c.subdirs.values())


def test_fix_out_reproduces_fixed_samples(tmp_path):
    result = invoke("fix", "--out", str(tmp_path / "out"), str(BROKEN))
    # Only the samples of the rules that only report keep findings (a domain or a value the user must choose):
    # exit code 1 for those alone.
    left = [line for line in result.output.splitlines() if "(not fixed)" in line]
    assert left and all(any(f" {rule_id} " in line for rule_id in REPORT_ONLY) for line in left), result.output
    assert {rule_id for rule_id in REPORT_ONLY if any(f" {rule_id} " in line for line in left)} >= {"CDK022", "CDK037"}
    assert result.exit_code == 1, result.output
    assert_same_tree(tmp_path / "out", FIXED)


def test_fix_diff_shows_the_five_review_system_repairs_and_writes_nothing(tmp_path):
    project = tmp_path / "review_system"
    shutil.copytree(BROKEN / "review_system", project)
    result = invoke("fix", "--diff", str(project))
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/")
    assert "CDK001, CDK002, CDK003, CDK004, CDK005" in result.stderr
    assert "(1 file(s) changed, +4 -4 lines)" in result.stderr  # read back through unidiff
    assert "+            depends_on=[s3_invoke_permission]," in result.stdout
    assert_same_tree(project, BROKEN / "review_system")


def test_fix_in_place_then_check_is_clean(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(BROKEN / "backend_use_lockfile", project)
    assert invoke("fix", str(project)).exit_code == 0
    assert_same_tree(project, FIXED / "backend_use_lockfile")
    assert invoke("check", str(project)).exit_code == 0


def test_check_exit_codes():
    # Reserved domains and missing required values stay in their fixed samples (the user must name their own):
    # check still points at them.
    fixed = [str(p) for p in sorted(FIXED.iterdir()) if p.is_dir() and p.name not in REPORT_ONLY.values()]
    clean = invoke("check", *fixed)
    assert clean.exit_code == 0, clean.output
    for rule_id, folder in REPORT_ONLY.items():
        if (FIXED / folder).is_dir():
            reported = invoke("check", str(FIXED / folder))
            assert reported.exit_code == 1 and f" {rule_id} " in reported.stdout, (rule_id, reported.output)
    dirty = invoke("check", str(BROKEN))
    assert dirty.exit_code == 1
    line = next(l for l in dirty.stdout.splitlines() if "review_system/lib/tap_stack.py" in l and "CDK002" in l)
    assert line.split(": ", 1)[0].endswith("tap_stack.py:66:9")


def test_syntax_error_exits_2_with_one_line_and_other_files_still_repaired(tmp_path):
    shutil.copy(BROKEN / "backend_use_lockfile" / "dict_override.py", tmp_path / "good.py")
    (tmp_path / "bad.py").write_text("import cdktf_cdktf_provider_aws\nif True\n    pass\n")
    result = invoke("fix", str(tmp_path))
    assert result.exit_code == 2
    errors = [l for l in result.stderr.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path}/bad.py:2:8: error: syntax error")
    assert (tmp_path / "good.py").read_text() == (FIXED / "backend_use_lockfile" / "dict_override.py").read_text()
    assert (tmp_path / "bad.py").read_text().startswith("import cdktf_cdktf_provider_aws\nif True")


def test_undecodable_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "latin1.py").write_bytes(b"x = 1\n# caf\xe9\n")
    result = invoke("check", str(tmp_path))
    assert result.exit_code == 2
    assert "latin1.py:2:6: error: not UTF-8 text" in result.stderr


def test_missing_path_is_a_usage_error_but_others_run(tmp_path):
    result = invoke("check", str(tmp_path / "nope.py"), str(BROKEN / "backend_use_lockfile"))
    assert result.exit_code == 2
    assert "nope.py: error: no such file or folder" in result.stderr
    assert "CDK002" in result.stdout


def test_stdin_to_stdout():
    source = (BROKEN / "backend_use_lockfile" / "stack_variable_single_quotes.py").read_text()
    result = invoke("fix", "-", input=source)
    assert result.exit_code == 0
    assert result.stdout == (FIXED / "backend_use_lockfile" / "stack_variable_single_quotes.py").read_text()


def test_unfixable_finding_exits_1(tmp_path):
    # Used, so that the misspelt name cannot just be dropped (CDK012 removes unknown names nothing uses).
    (tmp_path / "s.py").write_text(
        "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersionning\n"
        "S3BucketVersionning(self, 'v', bucket=b.id)\n")
    result = invoke("fix", str(tmp_path / "s.py"))
    assert result.exit_code == 1
    assert "closest: S3BucketVersioningA" in result.stderr


def test_rules_catalog_and_one_rule():
    listing = invoke("rules")
    assert listing.exit_code == 0
    from repair.transforms._base import all_rules

    assert [l.split()[0] for l in listing.stdout.splitlines()] == sorted(r.id for r in all_rules())
    one = invoke("rules", "CDK004")
    assert one.exit_code == 0 and "s3-notification-permission" in one.stdout and "before:" in one.stdout
    assert invoke("rules", "CDK999").exit_code == 2


def test_bad_option_value_is_usage_error():
    result = invoke("check", "--terraform-version", "latest", str(FIXED))
    assert result.exit_code == 2 and "not a Terraform version" in result.stderr


def test_console_script_runs_as_module():
    completed = subprocess.run([sys.executable, "-m", "repair", "check", str(FIXED / "review_system")],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "0 finding(s)." in completed.stderr


def test_cpythons_warnings_about_the_users_code_are_not_printed(tmp_path):
    # An invalid escape sequence and `is` with a literal in the code read: CPython warns while `repair` parses it
    # (shown here with -W default, as Python 3.12 shows its SyntaxWarning by default); the user sees the report only.
    stack = tmp_path / "stack.py"
    stack.write_text('PATTERN = "\\e[0m"\nif PATTERN is "x":\n    pass\n')
    completed = subprocess.run([sys.executable, "-W", "default", "-m", "repair", "check", str(stack)],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == "0 finding(s).\n"


def test_the_process_ends_with_its_objects_frozen_and_its_exit_work_done(tmp_path):
    # main() freezes the heap as the process ends (its last collections then skip it); the atexit handlers still run
    # after that, and what the command wrote is complete.
    out = tmp_path / "out"
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('in the collector\\'s reach at exit:', len(gc.get_objects()),\n"
            "                              file=sys.stderr))\n"
            "from repair.cli import main\n"
            f"sys.argv = ['repair', 'fix', {str(BROKEN / 'review_system')!r}, '--out', {str(out)!r}]\n"
            "main()\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    last = completed.stderr.rstrip().splitlines()[-1]
    assert last.startswith("in the collector's reach at exit:") and int(last.split()[-1]) < 1000, completed.stderr
    assert filecmp.cmp(out / "lib" / "tap_stack.py", FIXED / "review_system" / "lib" / "tap_stack.py", shallow=False)


def test_help_path_imports_no_libcst_provider_or_jsii():
    code = ("import sys\nfrom repair.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('libcst', 'cdktf_cdktf_provider_aws', 'jsii', 'rich') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_repair_path_imports_neither_libcst_codemod_nor_matchers():
    # 0.4 s of start-up for every `repair` run: the rules do not use libcst's codemod machinery.
    code = ("import sys\nfrom repair.engine import repair_source\n"
            "repair_source(open(sys.argv[1]).read())\n"
            "heavy = [m for m in ('libcst.codemod', 'libcst.matchers', 'cdktf_cdktf_provider_aws') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    source = BROKEN / "review_system" / "lib" / "tap_stack.py"
    completed = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_every_command_help_shows_an_example():
    for command in ("fix", "check", "batch", "merge", "rules", "provider"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example: repair " in result.stdout, command


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("repair (cdktf-repair) ")
