"""Benchmark the synth worker: the one-time provider load, then the amortized cost of each synthesis.

Baseline: the first request (starts Node.js through jsii and loads the provider assembly). Measured: the seconds
per stack of later requests, on the repaired review system (--repeat times) and, when ../shared/corpus-dev is
present, on every model answer laid out as a project (repair/proof/answers.py). Peak RSS is the worker's (parent +
jsii's Node.js child) as seen at the end.

    python bench/verify.py [--repeat N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.proof.answers import build_project, lay_out  # noqa: E402
from repair.proof.synth import SynthWorker  # noqa: E402


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, from /proc (Linux)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(c) for c in children)
        except OSError:
            continue
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    args = parser.parse_args()
    project = ROOT / "fixed_samples" / "review_system"
    with SynthWorker() as worker:
        started = time.perf_counter()
        assert worker.synth(project).ok
        first = time.perf_counter() - started
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert worker.synth(project).ok
            times.append(time.perf_counter() - started)
        corpus_times, corpus_ok = [], 0
        for answer in sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md")) if args.corpus.is_dir() else []:
            with tempfile.TemporaryDirectory() as tmp:
                task = answer.parent.parent
                built = build_project(task, lay_out(answer.read_text(), task).files, Path(tmp) / "p")
                started = time.perf_counter()
                corpus_ok += worker.synth(built).ok
                corpus_times.append(time.perf_counter() - started)
        peak = rss_mib(worker._process.pid)
    warm = statistics.median(times)
    print(f"first request (provider load + synth): {first:.2f} s")
    print(f"review system, warm: median {warm:.3f} s per stack over {args.repeat} ({first / warm:.0f}x less "
          "than the first)")
    if corpus_times:
        print(f"corpus answers: {len(corpus_times)} synthesized ({corpus_ok} ok), mean "
              f"{statistics.mean(corpus_times):.3f} s, median {statistics.median(corpus_times):.3f} s per answer")
    print(f"worker RSS (python + node) at the end: {peak:.0f} MiB")
    print(f"amortized synth at most 1 s per stack on the review system: {'yes' if warm <= 1 else 'NO'}")


if __name__ == "__main__":
    main()
