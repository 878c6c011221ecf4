"""Real files: `repair batch` against libcst's codemod CLI and against LibCST's parse, on the same copies.

The inputs are the Python files of the real model answers in `../shared/corpus-dev` (issue 15): each task's
markdown answers (`lib/MODEL_RESPONSE*.md`) split into their Python blocks with `repair.markdown.code_blocks`,
plus the task's own `.py` modules (its test folders left out). They are copied into a temporary dataset (on
/dev/shm when it is writable), one file per block or module, and then timed, each command in its own process:

- repair: `python -m repair batch DATASET --out OUT --pattern '*.py' -q -j J` with every rule, J = 1 and 2;
- (a) the user's alternative: `python -m libcst.tool codemod -j 1 rename.RenameCommand` with one rename, on a
  copy (it writes in place): target, repair -j 1 at least 10x faster;
- (b) the parse floor: one process that parses every file with LibCST (`libcst.parse_module`): target, repair -j 1
  at or below it. The same process with `ast.parse` is printed for reference (what a file without findings
  should cost);
- scaling: repair -j 2 against -j 1: target >= 1.8x (the best runs' ratio; each repeat runs -j 1 and -j 2 back to
  back, and the ratio of each such pair is printed too).

Every command runs with its bytecode compiled once (PYTHONPYCACHEPREFIX in the temporary folder), as an installed
tool does. Each command runs --repeat times, alternating, and the best run is kept (this machine's speed varies from one
minute to the next; the best run is the least disturbed). Then one in-process profile (cProfile) of the worker's
own loop (`repair.batch.worker.process_item` over every file) says where repair's time goes: parse, metadata, rules,
diff, writes, and the process start measured on its own. Without the corpus the bench says so and exits 0.

    python bench/realfiles.py [--corpus ../shared/corpus-dev] [--repeat 3] [--rename-repeat 1] [--tmpdir DIR] [--no-profile]
                              [--against CHECKOUT] [--rename-seconds S --rename-cpu S]

`--against CHECKOUT` also times `repair batch` (-j 1 and -j 2) of another checkout of the project (the code before
a change: `git worktree add /tmp/before main`), interleaved with this one's runs, on the same copies.
`--rename-repeat 0 --rename-seconds S --rename-cpu S` reuses a figure of the codemod baseline (minutes a run)
measured earlier on the same machine instead of running it again.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch import default_tmpdir, timed  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-dev"

PARSE_ALL = """
import sys, time
from pathlib import Path
paths = [p for p in Path(sys.argv[2]).rglob("*.py")]
texts = [p.read_text(encoding="utf-8") for p in paths]
started = time.perf_counter()
if sys.argv[1] == "libcst":
    import libcst
    for text in texts:
        try:
            libcst.parse_module(text)
        except libcst.ParserSyntaxError:
            pass
else:
    import ast
    for text in texts:
        try:
            ast.parse(text)
        except SyntaxError:
            pass
print(time.perf_counter() - started)
"""


def build_dataset(corpus: Path, dataset: Path) -> tuple[int, int, int]:
    """The copies; returns (files, answer blocks, modules)."""
    from repair.markdown import code_blocks

    blocks = modules = 0
    for task in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for answer in sorted(task.glob("lib/MODEL_RESPONSE*.md")):
            text = answer.read_text(encoding="utf-8", errors="replace")
            python = [b for b in code_blocks(text) if b.is_python]
            for n, block in enumerate(python):
                target = dataset / task.name / answer.stem / f"block{n:02d}.py"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.code, encoding="utf-8")
                blocks += 1
        for module in sorted(task.rglob("*.py")):
            relative = module.relative_to(task)
            if {"test", "tests", "node_modules", "cdktf.out", ".gen"} & set(relative.parts):
                continue
            target = dataset / task.name / "project" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(module, target)
            modules += 1
    return blocks + modules, blocks, modules


def run_repair(dataset: Path, out: Path, jobs: int, root: Path = ROOT):
    """`repair batch` of the checkout at `root` (`python -m repair` run there imports that checkout)."""
    try:
        return timed([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out), "--pattern", "*.py",
                      "-q", "-j", str(jobs)], root)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_rename(dataset: Path, copy: Path):
    shutil.copytree(dataset, copy)
    try:
        return timed([sys.executable, "-m", "libcst.tool", "codemod", "rename.RenameCommand", str(copy),
                      "--old_name", "cdktf.TerraformStack", "--new_name", "cdktf.Stack", "--no-format", "-j", "1",
                      "--hide-progress", "--hide-generated-warnings", "--hide-blacklisted-warnings"], ROOT)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def run_parse(dataset: Path, parser: str):
    """(process wall, peak RSS, CPU, in-process parse seconds)."""
    os.sync()
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", sys.executable, "-c", PARSE_ALL, parser, str(dataset)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    rss, user, system = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(rss), float(user) + float(system), float(done.stdout.strip())


def process_start() -> float:
    """A `repair batch` process that has nothing to do: interpreter, imports, the pool's start."""
    with tempfile.TemporaryDirectory(dir=default_tmpdir()) as tmp:
        (Path(tmp) / "d").mkdir()
        return run_repair(Path(tmp) / "d", Path(tmp) / "out", 1)[0]


def profile(dataset: Path, out: Path, top: int = 25) -> None:
    """The worker's loop over every file in this process, under cProfile: where repair's time goes."""
    from repair.batch.dataset import iter_items
    from repair.batch.worker import init_worker, process_item

    init_worker(None, None, 3)
    items = list(iter_items(dataset, ("*.py",)))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for relative in items:
        process_item(dataset, out, relative)
    profiler.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    cumulative = {}
    for (filename, _, name), (_, _, _, ct, _) in stats.stats.items():
        cumulative[(filename, name)] = max(cumulative.get((filename, name), 0.0), ct)

    def spent(*keys: tuple[str, str]) -> float:
        return sum(t for (f, n), t in cumulative.items() for kf, kn in keys if f.endswith(kf) and n == kn)

    parts = [
        ("read + decode", spent(("repair/files.py", "read_regular"), ("repair/files.py", "decode_source"))),
        ("prefilter (triggers: Rule.may_apply)", spent(("repair/transforms/_base.py", "may_apply"))),
        ("ast parse (syntax checks, guard)", spent(("repair/engine.py", "_python_syntax_problem"),
                                                   ("repair/engine.py", "_check_depth"),
                                                   ("repair/engine.py", "_invalid_output"))),
        ("LibCST parse", spent(("libcst/_parser/entrypoints.py", "parse_module"))),
        ("metadata (wrappers, scopes)", spent(("repair/transforms/_base.py", "_metadata_for"))),
        ("rules (transform, incl. metadata, positions, splice)", spent(("repair/transforms/_base.py",
                                                                       "transform_module"))),
        ("  of which code generation (positions, splices)", spent(("repair/transforms/_splice.py",
                                                                   "positions_and_code"),
                                                                  ("repair/transforms/_positions.py",
                                                                   "start_positions"))),
        ("  of which tree walks (_cst.walk)", spent(("repair/transforms/_cst.py", "_walk"))),
        ("attribution + line maps", spent(("repair/engine.py", "record"), ("repair/diff.py", "line_map"))),
        ("diff (hunks)", spent(("repair/diff.py", "diff_hunks"))),
        ("reports (review, failures)", spent(("repair/output/review.py", "markdown_report"),
                                             ("repair/output/failures.py", "render_markdown"))),
        ("writes", spent(("repair/files.py", "atomic_write"))),
    ]
    print(f"\nprofile (cProfile, in-process worker loop over {len(items)} files: {total:.2f} s under the profiler; "
          "parts overlap where one calls another):")
    for name, seconds in parts:
        print(f"  {name:55s} {seconds:7.2f} s  {100 * seconds / total:5.1f}%")
    print(f"\ntop {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tmpdir", default=default_tmpdir())
    parser.add_argument("--rename-repeat", type=int, default=1, help="runs of the (slow) libcst codemod baseline")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--against", type=Path, help="another checkout of the project, timed in the same run")
    parser.add_argument("--rename-seconds", type=float, help="with --rename-repeat 0: the codemod's wall seconds")
    parser.add_argument("--rename-cpu", type=float, help="with --rename-repeat 0: the codemod's CPU seconds")
    args = parser.parse_args()
    if args.rename_repeat < 1 and args.rename_seconds is None:
        parser.error("--rename-repeat 0 needs --rename-seconds (and --rename-cpu) from an earlier run")
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure (the real-file bench needs ../shared/corpus-dev)")
        return 0
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        # Every command as an installed tool runs: its modules' bytecode compiled once, not at each start (pip
        # compiles an installed package's; an editable checkout under PYTHONDONTWRITEBYTECODE never would). The
        # codemod's libcst is compiled in site-packages already.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        dataset = Path(tmp) / "dataset"
        files, blocks, modules = build_dataset(args.corpus, dataset)
        size = sum(p.stat().st_size for p in dataset.rglob("*.py"))
        print(f"{files} files ({blocks} answer blocks, {modules} modules, {size / 1e6:.1f} MB) in {tmp}; "
              f"best of {args.repeat} run(s) each; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
              "(other work on the machine weighs on the wall figures, and most on -j 2)", flush=True)
        runs: dict[str, list] = {k: [] for k in ("repair1", "repair2", "rename", "libcst", "ast", "against1",
                                                 "against2")}
        for n in range(args.repeat):
            # One job and two back to back, so that each pair sees the same phase of the machine (its speed moves by
            # a quarter within minutes); the baselines after them.
            if args.against is not None:
                runs["against1"].append(run_repair(dataset, Path(tmp) / "out", 1, args.against.resolve()))
                runs["against2"].append(run_repair(dataset, Path(tmp) / "out", 2, args.against.resolve()))
            runs["repair1"].append(run_repair(dataset, Path(tmp) / "out", 1))
            runs["repair2"].append(run_repair(dataset, Path(tmp) / "out", 2))
            if n < args.rename_repeat:  # minutes a run: fewer runs of it by default
                runs["rename"].append(run_rename(dataset, Path(tmp) / "copy"))
            runs["libcst"].append(run_parse(dataset, "libcst"))
            runs["ast"].append(run_parse(dataset, "ast"))
        if not runs["rename"]:
            runs["rename"].append((args.rename_seconds, 0, args.rename_cpu or args.rename_seconds))
        runs = {k: v for k, v in runs.items() if v}
        best = {k: min(v, key=lambda r: r[0]) for k, v in runs.items()}
        cpu = {k: min(r[2] for r in v) for k, v in runs.items()}
        start = min(process_start() for _ in range(args.repeat))
        for key, label in (("repair1", "repair batch -j 1 (all rules)"), ("repair2", "repair batch -j 2"),
                           ("rename", "libcst codemod -j 1 rename.RenameCommand"),
                           ("libcst", "LibCST parse of every file, one process"),
                           ("ast", "ast parse of every file, one process"),
                           ("against1", f"repair batch -j 1 of {args.against}"),
                           ("against2", f"repair batch -j 2 of {args.against}")):
            if key not in best:
                continue
            seconds, rss = best[key][0], best[key][1]
            extra = f", of which parsing {best[key][3]:.2f} s" if key in ("libcst", "ast") else ""
            print(f"  {label:45s} {seconds:6.2f} s wall (runs: {', '.join(f'{r[0]:.2f}' for r in runs[key])}), "
                  f"{cpu[key]:.2f} CPU s, {rss / 1024:.0f} MiB{extra}")
        print(f"  {'repair batch process start (no files)':45s} {start:6.2f} s wall")
        print(f"  load average at the end: {os.getloadavg()[0]:.2f}")
        r1, r2 = best["repair1"][0], best["repair2"][0]
        a = best["rename"][0] / r1
        b = r1 / best["libcst"][0]
        b_work = (r1 - start) / best["libcst"][3]
        scaling = r1 / r2
        print(f"\n(a) libcst codemod rename / repair -j 1: {a:.1f}x wall, {cpu['rename'] / cpu['repair1']:.1f}x CPU "
              f"(target >= 10x): {verdict(a >= 10)}")
        print(f"(b) repair -j 1 / LibCST parse floor (whole processes): {b:.2f}x wall, "
              f"{cpu['repair1'] / cpu['libcst']:.2f}x CPU (target <= 1.0x): {verdict(b <= 1.0)}; "
              f"without process start, repair's work / the parse alone: {b_work:.2f}x")
        pairs = sorted(one[0] / two[0] for one, two in zip(runs["repair1"], runs["repair2"]))
        print(f"scaling: repair -j 2 / -j 1: {scaling:.2f}x (target >= 1.8x, {os.cpu_count()} cores): "
              f"{verdict(scaling >= 1.8)}; each back-to-back pair: {', '.join(f'{r:.2f}x' for r in pairs)} "
              f"(median {statistics.median(pairs):.2f}x)")
        if "against1" in best:
            before1, before2 = best["against1"][0], best["against2"][0]
            print(f"against {args.against}: -j 1 {before1 / r1:.2f}x as fast ({cpu['against1'] / cpu['repair1']:.2f}x "
                  f"CPU), -j 2 {before2 / r2:.2f}x; its (a) {best['rename'][0] / before1:.1f}x, "
                  f"(b) {before1 / best['libcst'][0]:.2f}x, scaling {before1 / before2:.2f}x")
        if not args.no_profile:
            profile(dataset, Path(tmp) / "profile-out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
