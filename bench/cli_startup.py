"""Benchmark: `repair --help` against a bare interpreter start, measured in the same run.

Baseline: `python -c pass`. Measured: `python -m repair --help` and `repair rules` (which loads the rules).
Target: `repair --help` under 0.3 s wall; it imports neither libcst, the provider nor jsii.

    python bench/cli_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    baseline = wall([sys.executable, "-c", "pass"], args.repeat)
    rows = [("baseline: python -c pass", baseline),
            ("python -m repair --help", wall([sys.executable, "-m", "repair", "--help"], args.repeat)),
            ("python -m repair rules", wall([sys.executable, "-m", "repair", "rules"], args.repeat))]
    print(f"median of {args.repeat} runs")
    print(f"{'command':<28}{'seconds':>10}{'x baseline':>12}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds:>10.3f}{seconds / baseline:>11.1f}x")
    print(f"repair --help under 0.3 s: {'yes' if rows[1][1] < 0.3 else 'NO'}")


if __name__ == "__main__":
    main()
