"""Benchmark the synth worker and its sandbox: the one-time provider load, then the cost of each synthesis, in the
bwrap sandbox and at level none, in the same run.

Baseline: level none (the scrubbed environment and limits, no bubblewrap), measured interleaved with bwrap (one
project in one worker, then the same project in the other) so that the machine's drift weighs on both alike. Both
levels fork one process per project; the ratio is what bubblewrap itself costs. Measured: the worker's start
(Node.js through jsii and the provider assembly, plus one warm-up synthesis), the seconds per stack of the repaired
review system (--repeat times) and, when ../shared/corpus-dev is present, of every model answer laid out as a
project (repair/proof/answers.py), with where a project's time goes in the worker: the copy and fork, the
project's own run, reading its output, and the clean-up after it (done once the answer is sent, so it overlaps
with the parent's own work; a request sent at once waits for it). A fresh worker per project would cost the start each time: that is the figure to compare with.
Resident memory is the watch's figure (each process's pages counted in full, plus the sandbox's tmpfs).

With --before DIR (a copy of the code before the sandbox: `git archive aaf9a35 | tar -x -C DIR`), the unsandboxed
worker of that code (one process, projects run in it one after another) is measured too, interleaved the same way.

    python bench/verify.py [--repeat N] [--corpus DIR] [--before DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.proof.answers import build_project, lay_out  # noqa: E402
from repair.proof.synth import SynthWorker  # noqa: E402

LEVELS = ("bwrap", "none")


def timed(worker, project: Path) -> tuple[float, bool, dict]:
    started = time.perf_counter()
    ok = worker.synth(project).ok
    return time.perf_counter() - started, ok, dict(getattr(worker, "last_timings", None) or {})


class BeforeWorker:
    """The worker of the code before the sandbox, from a copy of it: its module loaded under another name, its
    worker process started with that copy on PYTHONPATH."""

    def __init__(self, folder: Path) -> None:
        spec = importlib.util.spec_from_file_location("before_synth", folder / "repair" / "proof" / "synth.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["before_synth"] = module
        spec.loader.exec_module(module)
        self.folder = folder
        self.worker = module.SynthWorker()

    def start(self) -> None:
        saved, cwd = os.environ.get("PYTHONPATH"), os.getcwd()
        os.environ["PYTHONPATH"] = str(self.folder)
        os.chdir(self.folder)  # `python -m` looks in the working folder first
        try:
            self.worker._process = self.worker._start()
        finally:
            os.chdir(cwd)
            os.environ.pop("PYTHONPATH") if saved is None else os.environ.__setitem__("PYTHONPATH", saved)

    def synth(self, project: Path):
        return self.worker.synth(project)

    def usage(self):
        from repair.proof.sandbox import usage

        return usage(self.worker._process.pid, False)

    def close(self) -> None:
        self.worker.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--before", type=Path, help="a copy of the code before the sandbox, measured too")
    args = parser.parse_args()
    review = ROOT / "fixed_samples" / "review_system"
    workers = {level: SynthWorker(sandbox=level) for level in LEVELS}
    if args.before:
        workers["before"] = BeforeWorker(args.before)
    columns = list(workers)
    try:
        start, first = {}, {}
        for level, worker in workers.items():
            began = time.perf_counter()
            worker.start()
            start[level] = time.perf_counter() - began
            first[level] = timed(worker, review)[0]
        warm = {level: [] for level in columns}
        parts = {level: [] for level in columns}
        for _ in range(args.repeat):
            for level, worker in workers.items():
                seconds, ok, timings = timed(worker, review)
                assert ok, level
                warm[level].append(seconds)
                parts[level].append(timings)
        corpus = {level: [] for level in columns}
        ok_count = {level: 0 for level in columns}
        answers = sorted(args.corpus.glob("*/lib/MODEL_RESPONSE*.md")) if args.corpus.is_dir() else []
        for answer in answers:
            with tempfile.TemporaryDirectory() as tmp:
                task = answer.parent.parent
                built = build_project(task, lay_out(answer.read_text(), task).files, Path(tmp) / "p")
                for level, worker in workers.items():
                    seconds, ok, _ = timed(worker, built)
                    corpus[level].append(seconds)
                    ok_count[level] += ok
        memory = {level: worker.usage().memory / (1 << 20) for level, worker in workers.items()}
        starts = {level: worker.starts for level, worker in workers.items() if level in LEVELS}
    finally:
        for worker in workers.values():
            worker.close()

    before = "before" in columns
    print(f"{'':44}{'bwrap':>10}{'none':>10}{'bwrap/none':>12}" + (f"{'before':>10}{'bwrap/before':>14}" if before
                                                                   else ""))

    def row(label: str, values: dict, unit: str = "s", digits: int = 3) -> None:
        ratio = values["bwrap"] / values["none"] if values["none"] else float("nan")
        line = f"{label:44}{values['bwrap']:>9.{digits}f}{unit}{values['none']:>9.{digits}f}{unit}{ratio:>11.2f}x"
        if before and "before" in values:
            versus = values["bwrap"] / values["before"] if values["before"] else float("nan")
            line += f"{values['before']:>9.{digits}f}{unit}{versus:>13.2f}x"
        print(line)

    row("worker start (provider load + warm-up)", start, digits=2)
    row("first review-system synth", first)
    row(f"review system, warm, median of {args.repeat}", {k: statistics.median(v) for k, v in warm.items()})
    for part in ("fork", "run", "collect", "previous_clean_up"):
        row(f"  in the worker: {part.replace('_', ' ')} (median)",
            {k: statistics.median(t.get(part, 0.0) for t in v) for k, v in parts.items() if k in LEVELS}, digits=4)
    if answers:
        row(f"corpus answers ({len(answers)}), mean", {k: statistics.mean(v) for k, v in corpus.items()})
        row(f"corpus answers ({len(answers)}), median", {k: statistics.median(v) for k, v in corpus.items()})
        print("corpus answers synthesized ok: " + ", ".join(f"{k} {v}" for k, v in ok_count.items()))
    row("worker memory at the end (MiB)", memory, unit="M", digits=0)
    per_fresh = {k: start[k] + statistics.median(warm[k]) for k in columns}
    row("a fresh worker per project (start + synth)", per_fresh, digits=2)
    print(f"worker starts: {starts} (1 each: no project needed a fresh worker)")
    for level in LEVELS:
        print(f"{level}: {workers[level].sandbox.describe()}")


if __name__ == "__main__":
    main()
