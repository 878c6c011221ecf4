"""Benchmark `repair batch` against libcst's codemod CLI running the same transforms, in the same run.

Builds a synthetic dataset of N task folders from the project's samples, laid out like a generated project
(`tap.py`, `lib/__init__.py`, a Lambda handler, and a `lib/tap_stack.py` taken in turn from broken_samples/ and
fixed_samples/, so half the stacks need repairs), then times:
- `repair batch DATASET --out OUT --pattern '*.py' -q -j J`
- `python -m libcst.tool codemod -x bench.libcst_baseline.AllRules COPY --no-format -j J` (on a copy: it writes
  in place)
for J in --jobs, and reports items/s, the ratio, the CPU time of the command's processes (user + system, GNU
time's %U and %S: what the work costs whatever else the machine runs) and the peak RSS of the largest process
(GNU time's %M).

Each command runs --repeat times, the two tools alternating, and the best run of each is reported (as timeit
does): this machine's speed varies by half from one minute to the next, and the best run is the one least
disturbed. On a machine shared with other work the wall-clock figures mostly measure the neighbours; the CPU
seconds per 1,000 items, and their ratio, do not. The dataset and the outputs live on tmpfs (/dev/shm) when there is one, so that both tools are measured
and not the disk: on this project's VMs, ext4 slows file creation down by up to 20x as its caches age (4,000
mkdirs took 0.2 s after a cache drop and 4.8 s before), which would weigh on `repair`, which writes an output per
item, far more than on the baseline, which rewrites only the files it changes. `--tmpdir` picks another place.
The baseline is slow; by default it runs only for sizes up to --baseline-max.

`--select CDK001 ...` keeps both tools to those rules. `--against DIR` times a second checkout of this project (a
`git worktree` of an older commit, say) on the same dataset, its runs interleaved with the others, so that two
versions of the engine are compared on the same rules in the same run:

    python bench/batch.py [--sizes 1000 10000] [--jobs 1 2] [--repeat 3] [--baseline-max 1000] [--tmpdir DIR]
                          [--select ID ...] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SELECT_VARIABLE = "REPAIR_BENCH_SELECT"  # the rules bench.libcst_baseline.AllRules keeps (comma-separated ids)
ENTRY = 'from cdktf import App\n\nfrom lib.tap_stack import TapStack\n\napp = App()\nTapStack(app, "stack")\napp.synth()\n'


def build_dataset(root: Path, tasks: int) -> int:
    """Task folders laid out like the generated projects of a real dataset (the review system's layout): an entry
    `tap.py`, `lib/__init__.py`, a Lambda handler, and `lib/tap_stack.py` taken in turn from the broken and the
    fixed samples. Returns the number of Python items."""
    samples = sorted(p for base in ("broken_samples", "fixed_samples") for p in (ROOT / base).rglob("*.py")
                     if "lambda" not in p.parts and p.name not in ("__init__.py", "tap.py"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    handler = (ROOT / "broken_samples" / "review_system" / "lib" / "lambda" / "review_processor" / "index.py").read_text()
    for n in range(tasks):
        task = root / f"task{n:05d}"
        (task / "lib" / "lambda" / "processor").mkdir(parents=True)
        (task / "tap.py").write_text(ENTRY, encoding="utf-8")
        (task / "lib" / "__init__.py").write_text("", encoding="utf-8")
        (task / "lib" / "tap_stack.py").write_text(texts[n % len(texts)], encoding="utf-8")
        (task / "lib" / "lambda" / "processor" / "index.py").write_text(handler, encoding="utf-8")
    return tasks * 4


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) of the largest process of the command tree, and the CPU seconds (user and
    system) of the command and every process it waited for."""
    os.sync()  # the files just written must not be flushed to disk on the measured command's time
    started = time.perf_counter()
    completed = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *command], cwd=cwd, capture_output=True,
                               text=True)
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"{command[:4]} failed ({completed.returncode}): {completed.stderr[-2000:]}")
    rss, user, system = completed.stderr.strip().splitlines()[-1].split()
    return seconds, int(rss), float(user) + float(system)


def default_tmpdir() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="task folders (items = 4x)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is reported")
    parser.add_argument("--baseline-max", type=int, default=1000, help="largest size the baseline runs at")
    parser.add_argument("--tmpdir", default=default_tmpdir(), help="where the dataset and outputs go "
                        "(default: /dev/shm when writable, else the system's temporary folder)")
    parser.add_argument("--select", nargs="+", default=[], metavar="ID",
                        help="only these rules, in repair and in the baseline")
    parser.add_argument("--against", type=Path, help="a second checkout of this project, timed on the same data")
    args = parser.parse_args()
    print(f"data in {args.tmpdir or tempfile.gettempdir()}; best of {args.repeat} run(s) each", flush=True)
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
            dataset = Path(tmp) / "dataset"
            items = build_dataset(dataset, size)
            for jobs in args.jobs:
                ours, base, other = [], [], []
                for _ in range(args.repeat):
                    ours.append(run_repair(dataset, Path(tmp) / "out", jobs, args.select))
                    if args.against:
                        other.append(run_repair(dataset, Path(tmp) / "out", jobs, args.select, args.against))
                    if size <= args.baseline_max:
                        base.append(run_baseline(dataset, Path(tmp) / "copy", jobs, args.select))
                if other:
                    print_against(args.against, size, items, jobs, ours, other)
                # The best time of each, the largest peak RSS of any of its runs, and the least CPU time.
                best_ours = (min(s for s, _, _ in ours), max(r for _, r, _ in ours), min(c for _, _, c in ours))
                best_base = ((min(s for s, _, _ in base), max(r for _, r, _ in base), min(c for _, _, c in base))
                             if base else (None, None, None))
                rows.append((size, items, jobs, *best_ours, *best_base))
                print_row(rows[-1], [s for s, _, _ in ours], [s for s, _, _ in base])
    print()
    print_table(rows)


def run_repair(dataset: Path, out: Path, jobs: int, select: list[str], checkout: Path = ROOT) -> tuple[float, int]:
    """`repair batch` of the given checkout: run from its folder, `python -m repair` imports that checkout's
    package before any installed one."""
    selected = [arg for rule in select for arg in ("--select", rule)]
    try:
        return timed([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out), "--pattern", "*.py",
                      "-q", "-j", str(jobs), *selected], checkout)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_baseline(dataset: Path, copy: Path, jobs: int, select: list[str]) -> tuple[float, int]:
    shutil.copytree(dataset, copy)
    if select:
        os.environ[SELECT_VARIABLE] = ",".join(select)
    try:
        return timed([sys.executable, "-m", "libcst.tool", "codemod", "-x", "bench.libcst_baseline.AllRules",
                      str(copy), "--no-format", "-j", str(jobs), "--hide-progress", "--hide-generated-warnings",
                      "--hide-blacklisted-warnings"], ROOT)
    finally:
        os.environ.pop(SELECT_VARIABLE, None)
        shutil.rmtree(copy, ignore_errors=True)


def print_against(checkout: Path, size: int, items: int, jobs: int, ours, other) -> None:
    """This checkout against the other one: best wall time and least CPU time of each, and their ratios (above
    1.0x: this checkout is faster)."""
    best, other_best = min(s for s, _, _ in ours), min(s for s, _, _ in other)
    cpu, other_cpu = min(c for _, _, c in ours), min(c for _, _, c in other)
    print(f"tasks={size} items={items} jobs={jobs}: this checkout {items / best:.1f} items/s, "
          f"{cpu * 1000 / items:.2f} CPU s per 1,000 items; {checkout}: {items / other_best:.1f} items/s "
          f"(runs: {', '.join(f'{items / s:.0f}' for s, _, _ in other)}), {other_cpu * 1000 / items:.2f} CPU s "
          f"per 1,000 items; this checkout is {other_best / best:.2f}x as fast, CPU {other_cpu / cpu:.2f}x",
          flush=True)


def print_row(row, ours: list[float], base: list[float]) -> None:
    size, items, jobs, seconds, rss, cpu, base_seconds, base_rss, base_cpu = row
    runs = ", ".join(f"{items / s:.0f}" for s in ours)
    line = (f"tasks={size} items={items} jobs={jobs}: repair {items / seconds:.1f} items/s (runs: {runs}), "
            f"{cpu * 1000 / items:.2f} CPU s per 1,000 items, {rss / 1024:.0f} MiB")
    if base_seconds:
        runs = ", ".join(f"{items / s:.1f}" for s in base)
        line += (f"; libcst codemod {items / base_seconds:.1f} items/s (runs: {runs}), "
                 f"{base_cpu * 1000 / items:.2f} CPU s per 1,000 items, {base_rss / 1024:.0f} MiB; "
                 f"ratio {base_seconds / seconds:.1f}x, CPU ratio {base_cpu / cpu:.1f}x")
    print(line, flush=True)


def print_table(rows) -> None:
    print("| tasks | items | jobs | repair items/s | libcst codemod items/s | ratio | repair CPU s / 1k items | "
          "libcst CPU s / 1k items | CPU ratio | repair peak RSS | libcst peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, items, jobs, ours, our_rss, cpu, base, base_rss, base_cpu in rows:
        if base:
            print(f"| {size} | {items} | {jobs} | {items / ours:.1f} | {items / base:.1f} | {base / ours:.1f}x | "
                  f"{cpu * 1000 / items:.2f} | {base_cpu * 1000 / items:.2f} | {base_cpu / cpu:.1f}x | "
                  f"{our_rss / 1024:.0f} MiB | {base_rss / 1024:.0f} MiB |")
        else:
            print(f"| {size} | {items} | {jobs} | {items / ours:.1f} | - | - | {cpu * 1000 / items:.2f} | - | - | "
                  f"{our_rss / 1024:.0f} MiB | - |")


if __name__ == "__main__":
    main()
