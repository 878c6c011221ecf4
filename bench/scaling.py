"""Benchmark `repair batch --engine ray` against the local engine on the same items, at 1 and 2 CPUs.

Two datasets, each run by the local engine (`--jobs C`) and by Ray (a local Ray started with `num_cpus=C`, its
start-up timed apart), C in --cpus:
- folders: N task folders laid out like generated projects (bench/batch.py's dataset: `tap.py`, `lib/__init__.py`,
  a Lambda handler and a `lib/tap_stack.py` from the samples), 4 items each;
- a JSONL table of model answers: the MODEL_RESPONSE*.md answers of ../shared/corpus-dev (or --corpus) when
  present, else the samples' stacks wrapped as markdown answers, repeated to --rows rows.

Every run's outputs are compared with the first local run's (the same bytes, or the bench stops): the engines are
measured doing the same work. Each configuration runs --repeat times and the best is reported, with the overhead
ratio (Ray's over the local engine's at the same CPUs) in wall time and in CPU time: the CPU seconds of the bench's
whole process tree (the driver, the local pool, a local Ray's GCS, raylet and workers), which a machine shared
with other work disturbs far less than the wall clock. With --synth it also measures a synth actor: the
first chunk (provider load and the review system synthesized before and after repair), the same chunk warm, and the
actor's memory (its process and its synth worker's, Python and Node.js).

    python bench/scaling.py [--tasks 250] [--rows 132] [--cpus 1 2] [--repeat 2] [--datasets folders table] [--synth] [--tmpdir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch import build_dataset, default_tmpdir  # noqa: E402


def answers(corpus: Path) -> tuple[list[str], str]:
    found = sorted(corpus.glob("*/lib/MODEL_RESPONSE*.md")) if corpus.is_dir() else []
    if found:
        return [p.read_text(encoding="utf-8") for p in found], f"{len(found)} answers of {corpus}"
    stacks = sorted((ROOT / "broken_samples").rglob("*.py"))
    texts = [f"Here is the stack.\n\n## File: lib/tap_stack.py\n\n```python\n{p.read_text()}```\n" for p in stacks]
    return texts, f"{len(texts)} sample stacks wrapped as answers"


def build_table(path: Path, texts: list[str], rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(rows):
            handle.write(json.dumps({"id": n, "response": texts[n % len(texts)]}) + "\n")


def digest(folder: Path) -> str:
    """The outputs, less the report's and summary's timings."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == "summary.md":
            continue
        h.update(path.relative_to(folder).as_posix().encode())
        if path.name == "report.jsonl":
            for line in path.read_text().splitlines():
                record = json.loads(line)
                record.pop("seconds", None)
                h.update(json.dumps(record, sort_keys=True).encode())
        else:
            h.update(path.read_bytes())
    return h.hexdigest()


def tree_cpu() -> float:
    """CPU seconds of this process and all of its descendants, the finished ones included (a process's reaped
    children are in its cutime/cstime): the local engine's pool, and a local Ray's GCS, raylet and workers."""
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)] = int(fields[1])
            times[int(entry)] = sum(int(f) for f in fields[11:15]) / tick
    total, todo = 0.0, [os.getpid()]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def run(source: Path, out: Path, cpus: int, engine: str) -> tuple[float, int, float, float]:
    """Wall seconds, items, the CPU seconds of this process alone (the driver: listing, sending, writing) and of
    its whole tree (driver and workers: what the work cost, whatever else the machine was running)."""
    from repair.batch.dataset import BatchConfig
    from repair.batch.run import run_batch

    for _ in range(5):
        shutil.rmtree(out, ignore_errors=True)
        before, tree_before = resource.getrusage(resource.RUSAGE_SELF), tree_cpu()
        started = time.perf_counter()
        try:
            tally = run_batch(BatchConfig(source, out, jobs=cpus, engine=engine))
        except Stopped:
            tally = None
        seconds = time.perf_counter() - started
        if tally is not None and not tally.interrupted:
            after, tree_after = resource.getrusage(resource.RUSAGE_SELF), tree_cpu()
            driver = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return seconds, tally.items, driver, tree_after - tree_before
        print(f"  (stopped by a SIGTERM from outside after {seconds:.0f} s: run again)", flush=True)
    raise SystemExit("stopped five times by SIGTERMs from outside")


class Stopped(Exception):
    """A SIGTERM from outside (a shared machine's other users): the run it stopped is measured again."""


def stopped(signum, frame):
    raise Stopped


def rss_tree(pid: int) -> int:
    """Resident memory (KiB) of a process and all of its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        todo += children.get(current, [])
    return total


def measure_actor(tmp: Path) -> dict:
    """One synth actor on a local Ray: the review system's chunk cold (provider load) and warm, and its memory."""
    import ray

    from repair.batch.dataset import iter_items
    from repair.engine import select_rules
    from repair.batch.ray_engine import ACTOR_MEMORY, SynthActor, bundle

    dataset = tmp / "synth"
    shutil.copytree(ROOT / "broken_samples" / "review_system", dataset / "review_system")
    items = list(iter_items(dataset, ("*.py",)))
    settings = (tuple(r.id for r in select_rules(None)), None, 3, True)
    ray.init(address="local", num_cpus=1, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        actor = ray.remote(num_cpus=1, memory=ACTOR_MEMORY)(SynthActor).remote()
        ref = ray.put(bundle(dataset, "review_system"))
        timings, answer = [], None
        for _ in range(3):
            started = time.perf_counter()
            answer = ray.get(actor.run.remote(settings, "synth", items, None, ref))
            timings.append(time.perf_counter() - started)
        proof = answer["records"][0]["verify"]
        memory = rss_tree(answer["worker"])
        ray.get(actor.close.remote())
    finally:
        ray.shutdown()
    return {"items": len(items), "cold": timings[0], "warm": min(timings[1:]), "memory_mib": memory / 1024,
            "before_ok": proof["before"]["ok"], "after_ok": proof["after"]["ok"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=250, help="task folders of the folder dataset (items = 4x)")
    parser.add_argument("--rows", type=int, default=132, help="rows of the table dataset")
    parser.add_argument("--cpus", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each configuration; the best is reported")
    parser.add_argument("--datasets", nargs="+", choices=("folders", "table"), default=["folders", "table"])
    parser.add_argument("--synth", action="store_true", help="also measure a synth actor (provider load, memory)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    parser.add_argument("--tmpdir", default=default_tmpdir(), help="where datasets and outputs go (default: /dev/shm "
                        "when writable)")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, stopped)  # inside run_batch, its own handler stops the run (tally.interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="repair-scaling-", dir=args.tmpdir))
    # A provider-index cache of the bench's own, built once (in another process: the workers the bench forks must
    # not inherit a loaded index Ray's workers would have to read) and read by every worker, the local pool's and
    # Ray's: a cache shared with other checkouts of other versions may be rewritten under a run.
    os.environ["CDKTF_REPAIR_CACHE_DIR"] = str(tmp / "provider-cache")
    subprocess.run([sys.executable, "-c", "from repair.engine import repair_source; "
                    "repair_source('from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket\\nS3Bucket\\n')"],
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})

    import ray

    try:
        folders = tmp / "folders"
        items = build_dataset(folders, args.tasks)
        texts, origin = answers(args.corpus)
        table = tmp / "answers.jsonl"
        build_table(table, texts, args.rows)
        datasets = [entry for entry in [("folders", folders, f"{items} items in {args.tasks} task folders"),
                                        ("table", table, f"{args.rows} rows from {origin}")]
                    if entry[0] in args.datasets]
        for name, _, what in datasets:
            print(f"{name}: {what}")
        best: dict[tuple[str, str, int], float] = {}
        drivers: dict[tuple[str, str, int], float] = {}
        cpu_best: dict[tuple[str, str, int], float] = {}
        expected: dict[str, str] = {}
        starts: dict[int, float] = {}
        for cpus in args.cpus:
            for engine in ("local", "ray"):
                if engine == "ray":
                    started = time.perf_counter()
                    ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False,
                             logging_level=logging.ERROR)
                    starts[cpus] = time.perf_counter() - started
                try:
                    for name, source, _ in datasets:
                        for attempt in range(args.repeat):
                            out = tmp / f"out-{name}-{engine}-{cpus}"
                            seconds, count, driver, cpu = run(source, out, cpus, engine)
                            print(f"  {name:8} {engine:5} cpus={cpus} run {attempt + 1}: {seconds:7.2f} s, "
                                  f"{count / seconds:7.1f} items/s, CPU {1000 * cpu / count:.1f} ms/item "
                                  f"(driver {1000 * driver / count:.1f})", flush=True)
                            key = (name, engine, cpus)
                            if seconds < best.get(key, float("inf")):
                                best[key] = seconds
                                drivers[key] = driver / count
                            cpu_best[key] = min(cpu_best.get(key, float("inf")), cpu / count)
                            found = digest(out)
                            if expected.setdefault(name, found) != found:
                                raise SystemExit(f"{name}: {engine} at {cpus} CPU(s) wrote other outputs than the "
                                                 "first local run")
                finally:
                    if engine == "ray":
                        ray.shutdown()
        print()
        print("| dataset | CPUs | local s | local items/s | Ray s | Ray items/s | wall overhead (Ray/local) "
              "| local CPU ms/item | Ray CPU ms/item | CPU overhead | Ray driver CPU ms/item |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, _, _ in datasets:
            count = items if name == "folders" else args.rows
            for cpus in args.cpus:
                local, remote = best[(name, "local", cpus)], best[(name, "ray", cpus)]
                local_cpu, remote_cpu = cpu_best[(name, "local", cpus)], cpu_best[(name, "ray", cpus)]
                print(f"| {name} | {cpus} | {local:.2f} | {count / local:.1f} | {remote:.2f} | {count / remote:.1f} "
                      f"| {remote / local:.2f}x | {1000 * local_cpu:.1f} | {1000 * remote_cpu:.1f} "
                      f"| {remote_cpu / local_cpu:.2f}x | {1000 * drivers[(name, 'ray', cpus)]:.1f} |")
        print()
        print("Ray start-up (not in the times above): " + ", ".join(f"{s:.1f} s at {c} CPU(s)"
                                                                    for c, s in starts.items()))
        if args.synth:
            actor = measure_actor(tmp)
            print()
            print(f"synth actor, review system ({actor['items']} items, synthesized before and after repair: "
                  f"before ok={actor['before_ok']}, after ok={actor['after_ok']}):")
            print(f"  first chunk (provider load + proof): {actor['cold']:.1f} s; warm: {actor['warm']:.2f} s")
            print(f"  actor memory (its process, the synth worker's Python and Node.js): {actor['memory_mib']:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
