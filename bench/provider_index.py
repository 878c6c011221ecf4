"""Benchmark: the provider index against importing the provider, measured in the same run.

Baseline: a fresh interpreter importing cdktf_cdktf_provider_aws and the submodules the review system uses (what a
tool that imports the provider to learn its names would pay). Measured: the index reading the same submodules from
the package's files, cold (empty cache folder) and warm (a new index over the cache the cold run wrote).

    python bench/provider_index.py [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.provider_index import PACKAGE, ProviderIndex, locate_provider  # noqa: E402

STACK = ROOT / "broken_samples" / "review_system" / "lib" / "tap_stack.py"


def review_system_modules() -> list[str]:
    return sorted(set(re.findall(rf"from {PACKAGE}\.(\w+) import", STACK.read_text())))


def time_import(modules: list[str]) -> float:
    code = "; ".join(["import cdktf_cdktf_provider_aws"] + [f"import {PACKAGE}.{m}" for m in modules])
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - started


def time_interpreter() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def time_index(modules: list[str], cache_dir: Path) -> float:
    root, version = locate_provider()
    started = time.perf_counter()
    index = ProviderIndex(root=root, version=version, cache_dir=cache_dir)
    for module in modules:
        assert index.exports(module), module
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    modules = review_system_modules()
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(time_index(modules, Path(cache)))
            warm.append(time_index(modules, Path(cache)))
    interpreter = statistics.median(time_interpreter() for _ in range(args.repeat))
    imported = statistics.median(time_import(modules) for _ in range(args.repeat))
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    print(f"modules: {len(modules)} (those the review system imports); median of {args.repeat} runs")
    print(f"{'what':<44}{'seconds':>10}{'x faster than import':>24}")
    rows = [
        ("baseline: import the provider (fresh python)", imported, None),
        ("  of which python start-up (python -c pass)", interpreter, None),
        ("index, cold (reads the package's files)", cold_s, imported / cold_s),
        ("index, warm (reads the cache file)", warm_s, imported / warm_s),
    ]
    for name, seconds, ratio in rows:
        print(f"{name:<44}{seconds:>10.3f}{'' if ratio is None else f'{ratio:>23.0f}x'}")
    print(f"cold index under 1 s: {'yes' if cold_s < 1 else 'NO'}")


if __name__ == "__main__":
    main()
