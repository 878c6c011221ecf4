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

With --projects, per-project verify instead (what `repair verify` costs a project once the provider is loaded: one
synthesis before the repair and one after): the review system sample and each corpus answer laid out as a project,
this checkout against --baseline REV (a temporary `git worktree add --detach` of it, measured by this script in a
child process of its own), interleaved, the provider load and the first verify reported apart, with the ratios
against the 0.6x target (docs/benchmarks.md):

    python bench/verify.py --projects [--baseline REV] [--repeat N] [--corpus DIR] [--gap S]
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

if "--child" not in sys.argv:  # a child of --projects imports the `repair` of the checkout it measures
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


# -- --projects: per-project verify (one synthesis before the repair, one after), this code against a revision --------
def prepare_projects(folder: Path, corpus: Path) -> list[dict]:
    """The projects to verify, with their repaired files (repaired once, here, by this checkout's rules: both
    checkouts prove the same repairs): the review system sample as the broken one, then each model answer of the
    corpus laid out as a project (repair/proof/answers.py)."""
    import shutil

    from repair.files import iter_targets, repair_file
    from repair.options import RepairOptions
    from repair.transforms._base import all_rules

    rules = list(all_rules())

    def repaired(project: Path) -> dict[str, str]:
        files = {}
        for target in iter_targets([project]):
            result = repair_file(target.path, rules, RepairOptions())
            if result.changed and result.error is None:
                files[str(target.path.resolve())] = result.fixed_source
        return files

    review = folder / "review_system"
    shutil.copytree(ROOT / "broken_samples" / "review_system", review)
    projects = [{"name": "review_system", "project": str(review), "files": repaired(review)}]
    for answer in sorted(corpus.glob("*/lib/MODEL_RESPONSE*.md")) if corpus.is_dir() else []:
        task = answer.parent.parent
        name = f"{task.name}-{answer.stem}"
        built = build_project(task, lay_out(answer.read_text(), task).files, folder / "corpus" / name / task.name)
        projects.append({"name": name, "project": str(built), "files": repaired(built)})
    return projects


def child(code: Path, projects_file: Path) -> None:
    """One checkout's side of --projects: start its worker (the provider load and the first verify reported
    apart), then verify the project each line of stdin names, answering with the seconds it took."""
    here = {str(ROOT), str(Path(__file__).resolve().parent)}
    sys.path[:] = [str(code)] + [p for p in sys.path if p and os.path.abspath(p) not in here]
    import json

    from repair.proof.synth import SynthWorker
    from repair.proof.verify import synth_before_after

    projects = json.loads(projects_file.read_text())

    def verify(index: int) -> float:
        entry = projects[index]
        files = {Path(path): text for path, text in entry["files"].items()}
        began = time.perf_counter()
        synth_before_after(worker, Path(entry["project"]), files, None)
        seconds = time.perf_counter() - began
        if os.environ.get("BENCH_DEBUG"):
            import repair

            print(repair.__file__, entry["name"], round(seconds, 3), worker.last_timings, file=sys.stderr)
        return seconds

    with SynthWorker() as worker:
        began = time.perf_counter()
        worker.start()
        started = time.perf_counter() - began
        first = verify(0)
        print(json.dumps({"start": started, "first": first, "starts": worker.starts}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                break
            print(json.dumps({"seconds": verify(int(line)), "starts": worker.starts}), flush=True)


class Checkout:
    """A child process verifying with one checkout's code."""

    def __init__(self, label: str, code: Path, projects_file: Path) -> None:
        import json
        import subprocess

        self.label, self.json = label, json
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(code),
                                         str(projects_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, cwd=str(code))
        self.ready = json.loads(self.process.stdout.readline())

    def verify(self, index: int) -> float:
        self.process.stdin.write(f"{index}\n")
        self.process.stdin.flush()
        return self.json.loads(self.process.stdout.readline())["seconds"]

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait(timeout=120)


def projects_main(args) -> None:
    import json
    import subprocess

    with tempfile.TemporaryDirectory(prefix="repair-bench-verify-") as tmp:
        folder = Path(tmp)
        projects = prepare_projects(folder / "projects", args.corpus)
        projects_file = folder / "projects.json"
        projects_file.write_text(json.dumps(projects))
        codes = {"this": ROOT}
        if args.baseline:
            baseline = folder / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline), args.baseline],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            codes["baseline"] = baseline
        checkouts = {}
        try:
            # Started one after the other (each provider load alone on the machine), the first verify with it.
            for label, code in codes.items():
                checkouts[label] = Checkout(label, code, projects_file)
            times = {label: {p["name"]: [] for p in projects} for label in codes}
            for round_ in range(args.repeat):
                for index, project in enumerate(projects):
                    order = list(checkouts.values())
                    if (round_ + index) % 2:
                        order.reverse()  # interleaved, each first half the time
                    for checkout in order:
                        times[checkout.label][project["name"]].append(checkout.verify(index))
                        # What a worker does after it answered (the clean-up, the kernel taking the project's
                        # process apart) must not land in the other checkout's measurement.
                        time.sleep(args.gap)
        finally:
            for checkout in checkouts.values():
                checkout.close()
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(codes["baseline"])],
                               check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    labels = list(codes)
    best = {label: {name: min(values) for name, values in per.items()} for label, per in times.items()}
    median = {label: {name: statistics.median(values) for name, values in per.items()}
              for label, per in times.items()}
    corpus = [p["name"] for p in projects[1:]]
    print(f"per-project verify (one synthesis before the repair, one after), {args.repeat} round(s), interleaved"
          + (f"; baseline {args.baseline}" if args.baseline else ""))
    print(f"{'':52}" + "".join(f"{label:>12}" for label in labels) + (f"{'ratio':>9}{'target':>8}" if
                                                                        len(labels) == 2 else ""))

    def row(label: str, values: dict, target: str = "0.6x", unit: str = "s") -> None:
        line = f"{label:52}" + "".join(f"{values[k]:>11.3f}{unit}" for k in labels)
        if len(labels) == 2:
            ratio = values["this"] / values["baseline"] if values["baseline"] else float("nan")
            line += f"{ratio:>8.2f}x{target:>8}"
        print(line)

    row("worker start (provider load + warm-up)", {k: checkouts[k].ready["start"] for k in labels}, "~1.0x")
    row("first verify (review system, right after the load)", {k: checkouts[k].ready["first"] for k in labels},
        "-")
    row("review system, median", {k: median[k]["review_system"] for k in labels})
    row("review system, best", {k: best[k]["review_system"] for k in labels})
    if corpus:
        row(f"corpus ({len(corpus)} answers as projects), sum of medians",
            {k: sum(median[k][n] for n in corpus) for k in labels})
        row(f"corpus ({len(corpus)}), median of the medians",
            {k: statistics.median(median[k][n] for n in corpus) for k in labels})
        if len(labels) == 2:
            ratios = sorted(median["this"][n] / median["baseline"][n] for n in corpus)
            print(f"corpus: per-project ratio quartiles {ratios[len(ratios) // 4]:.2f}x "
                  f"{statistics.median(ratios):.2f}x {ratios[3 * len(ratios) // 4]:.2f}x; worst "
                  + ", ".join(f"{n} {median['this'][n] / median['baseline'][n]:.2f}x" for n in sorted(
                      corpus, key=lambda n: -median["this"][n] / median["baseline"][n])[:3]))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--before", type=Path, help="a copy of the code before the sandbox, measured too")
    parser.add_argument("--projects", action="store_true", help="per-project verify (before and after synth) of "
                        "the review system and the corpus's answers, against --baseline")
    parser.add_argument("--gap", type=float, default=0.2, help="with --projects: seconds idle after each verify")
    parser.add_argument("--baseline", help="with --projects: a git revision measured the same way, interleaved")
    args = parser.parse_args()
    if args.projects:
        projects_main(args)
        return
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
    for part in ("copy", "fork", "run", "collect", "previous_clean_up"):
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
