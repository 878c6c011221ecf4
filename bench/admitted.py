"""How many of the real files each rule's trigger admits: `python bench/admitted.py [--root CHECKOUT]`.

The files are the ones `bench/realfiles.py` times (the Python blocks of `../shared/corpus-dev`'s answers and the
tasks' own modules). Each file's triggers are tested once on its code as given (`Rule.may_apply`, what the engine's
first pass asks); `--root` reads another checkout's rules and triggers (the code before a change), in this process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-dev"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose rules are counted")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to count")
        return 0
    sys.path.insert(0, str(args.root.resolve()))
    from repair.options import RepairOptions
    from repair.transforms._base import all_rules, run_order
    from repair.transforms._triggers import SourceFacts

    sys.path.insert(1, str(ROOT))
    from bench.realfiles import build_dataset

    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp) / "dataset"
        build_dataset(args.corpus, dataset)
        codes = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(dataset.rglob("*.py"))]
    options = RepairOptions()
    rules = sorted(all_rules(), key=run_order)
    counts = {rule.id: 0 for rule in rules}
    seconds = {rule.id: 0.0 for rule in rules}
    none = 0
    for code in codes:
        facts = SourceFacts(code, options.provider_index)
        admitted = False
        for rule in rules:
            started = time.perf_counter()
            if rule.may_apply(facts, options):
                counts[rule.id] += 1
                admitted = True
            seconds[rule.id] += time.perf_counter() - started
        none += not admitted
    print(f"{len(codes)} files; admitted by no rule (not parsed): {none}; checkout {args.root.resolve()}")
    for rule in rules:
        print(f"  {rule.id} {rule.slug:32s} {counts[rule.id]:4d}   trigger {seconds[rule.id]:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
