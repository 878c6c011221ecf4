"""Benchmark `repair batch` against libcst's codemod CLI running the same transforms, in the same run.

Builds a synthetic dataset of N task folders from the project's samples, laid out like a generated project
(`tap.py`, `lib/__init__.py`, a Lambda handler, and a `lib/tap_stack.py` taken in turn from broken_samples/ and
fixed_samples/, so half the stacks need repairs), then times:
- `repair batch DATASET --out OUT --pattern '*.py' -q -j J`
- `python -m libcst.tool codemod -x bench.libcst_baseline.AllRules COPY --no-format -j J` (on a copy: it writes
  in place)
for J in --jobs, and reports items/s, the ratio, and the peak RSS of the largest process (GNU time's %M).
The baseline is slow; by default it runs only for sizes up to --baseline-max.

    python bench/batch.py [--sizes 1000 10000] [--jobs 1 2] [--baseline-max 1000]
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


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the largest process of the command tree."""
    os.sync()  # the files just written must not be flushed to disk on the measured command's time
    started = time.perf_counter()
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"{command[:4]} failed ({completed.returncode}): {completed.stderr[-2000:]}")
    rss = int(completed.stderr.strip().splitlines()[-1])
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="task folders (items = 4x)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline-max", type=int, default=1000, help="largest size the baseline runs at")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            dataset = Path(tmp) / "dataset"
            items = build_dataset(dataset, size)
            for jobs in args.jobs:
                out = Path(tmp) / f"out-{jobs}"
                ours, our_rss = timed([sys.executable, "-m", "repair", "batch", str(dataset), "--out", str(out),
                                       "--pattern", "*.py", "-q", "-j", str(jobs)], ROOT)
                shutil.rmtree(out)
                base = base_rss = None
                if size <= args.baseline_max:
                    copy = Path(tmp) / "copy"
                    shutil.copytree(dataset, copy)
                    base, base_rss = timed([sys.executable, "-m", "libcst.tool", "codemod", "-x",
                                            "bench.libcst_baseline.AllRules", str(copy), "--no-format", "-j",
                                            str(jobs), "--hide-progress", "--hide-generated-warnings",
                                            "--hide-blacklisted-warnings"], ROOT)
                    shutil.rmtree(copy)
                rows.append((size, items, jobs, ours, our_rss, base, base_rss))
                print_row(rows[-1])
    print()
    print_table(rows)


def print_row(row) -> None:
    size, items, jobs, ours, our_rss, base, base_rss = row
    print(f"tasks={size} items={items} jobs={jobs}: repair {items / ours:.1f} items/s, {our_rss / 1024:.0f} MiB"
          + (f"; libcst codemod {items / base:.1f} items/s, {base_rss / 1024:.0f} MiB" if base else ""), flush=True)


def print_table(rows) -> None:
    print("| tasks | items | jobs | repair items/s | libcst codemod items/s | ratio | repair peak RSS | libcst peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    for size, items, jobs, ours, our_rss, base, base_rss in rows:
        ratio = f"{base / ours:.1f}x" if base else "-"
        print(f"| {size} | {items} | {jobs} | {items / ours:.1f} | {items / base:.1f} | {ratio} | {our_rss / 1024:.0f} MiB | "
              f"{base_rss / 1024:.0f} MiB |" if base else
              f"| {size} | {items} | {jobs} | {items / ours:.1f} | - | - | {our_rss / 1024:.0f} MiB | - |")


if __name__ == "__main__":
    main()
