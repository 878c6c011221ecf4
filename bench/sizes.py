"""Linear in size: repair's time and peak memory on generated stacks that grow in size and in findings.

Generated stacks (issue 15, item 3) of `LambdaFunction` calls, four lines each:
- size: 1x, 4x and 16x a base of --base functions, 60 of them with a deprecated runtime (60 findings, CDK023);
- findings: 60, 600 and 6,000 functions, every one with a deprecated runtime (60, 600, 6,000 findings).
Each file is repaired in a fresh process (`repair_source` and the unified diff's hunks, what `repair fix --diff`
and `repair batch` pay), which reports its time and its peak RSS (resource.getrusage), and the RSS it had before
the work (interpreter and imports) so that the work's own memory is seen. The largest file is also parsed by
LibCST alone in a fresh process, the same way.

Targets: each 4x or 10x step costs at most 1.3x its share (time and the work's memory, step ratio / input ratio
<= 1.3), and the largest file costs at most 3x LibCST's parse of it, in time and in memory.

    python bench/sizes.py [--base 250] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.batch import default_tmpdir  # noqa: E402

HEAD = '''from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider

ROLE_ARN = "arn:aws:iam::123456789012:role/pipeline"


class PipelineStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-central-1")
'''
FUNCTION = '''
        LambdaFunction(self, "fn{n}", function_name="fn-{n}", role=ROLE_ARN,
                       handler="fn{n}.handler", runtime="{runtime}", s3_bucket="artifacts",
                       s3_key="fn/{n}.zip")
'''

MEASURE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
text = Path(sys.argv[2]).read_text(encoding="utf-8")
if sys.argv[1] == "repair":
    from repair.engine import repair_source
    import libcst, repair.diff
else:
    import libcst
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if sys.argv[1] == "repair":
    result = repair_source(text, path="stack.py")
    assert result.error is None, result.error
    hunks = result.hunks(3)
    findings = len(result.findings)
else:
    libcst.parse_module(text)
    findings = 0
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "before_kib": before, "findings": findings}))
"""


def stack(functions: int, stale: int) -> str:
    """`functions` Lambda functions, the first `stale` of them on a deprecated runtime, spread evenly."""
    step = functions / stale if stale else 0
    marked = {int(i * step) for i in range(stale)}
    return HEAD + "".join(FUNCTION.format(n=n, runtime="python3.8" if n in marked else "python3.12")
                          for n in range(functions))


def measure(tool: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", MEASURE, tool, str(path), str(ROOT)], capture_output=True,
                              text=True, check=True)
        runs.append(json.loads(done.stdout))
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_kib"] = max(r["peak_kib"] for r in runs)
    best["work_kib"] = max(r["peak_kib"] - r["before_kib"] for r in runs)
    return best


def series(title: str, cases: list[tuple[str, int, int, float]], folder: Path, repeat: int) -> tuple[list, bool]:
    print(f"\n{title}")
    print("| case | lines | findings | seconds | peak RSS | work's RSS | time step / input step | "
          "memory step / input step |")
    print("|---|---|---|---|---|---|---|---|")
    rows, ok, previous = [], True, None
    for label, functions, stale, scale in cases:
        path = folder / f"{label}.py"
        text = stack(functions, stale)
        path.write_text(text, encoding="utf-8")
        row = measure("repair", path, repeat)
        row.update(label=label, lines=text.count("\n"), scale=scale, path=path)
        time_step = memory_step = ""
        if previous is not None:
            share = scale / previous["scale"]
            t = row["seconds"] / previous["seconds"] / share
            m = max(row["work_kib"], 1) / max(previous["work_kib"], 1) / share
            ok = ok and t <= 1.3 and m <= 1.3
            time_step, memory_step = f"{t:.2f} ({'MET' if t <= 1.3 else 'MISSED'})", \
                f"{m:.2f} ({'MET' if m <= 1.3 else 'MISSED'})"
        print(f"| {label} | {row['lines']} | {row['findings']} | {row['seconds']:.2f} | "
              f"{row['peak_kib'] / 1024:.0f} MiB | {row['work_kib'] / 1024:.0f} MiB | {time_step} | {memory_step} |",
              flush=True)
        rows.append(row)
        previous = row
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=250, help="functions in the 1x stack")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tmpdir", default=default_tmpdir())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        folder = Path(tmp)
        sizes, sizes_ok = series("size (60 findings each); target: each 4x step <= 1.3x its share",
                                 [(f"size-{k}x", args.base * k, 60, k) for k in (1, 4, 16)], folder, args.repeat)
        counts, counts_ok = series("findings; target: each 10x step <= 1.3x its share",
                                   [(f"findings-{n}", n, n, n) for n in (60, 600, 6000)], folder, args.repeat)
        print()
        for name, ok in (("size steps", sizes_ok), ("findings steps", counts_ok)):
            print(f"{name}: {'MET' if ok else 'MISSED'}")
        for row in (sizes[-1], counts[-1]):
            parse = measure("libcst", row["path"], args.repeat)
            t = row["seconds"] / parse["seconds"]
            m = row["work_kib"] / max(parse["work_kib"], 1)
            print(f"{row['label']} ({row['path'].stat().st_size / 1e6:.1f} MB): repair {row['seconds']:.2f} s, "
                  f"work's RSS {row['work_kib'] / 1024:.0f} MiB; LibCST parse {parse['seconds']:.2f} s, "
                  f"{parse['work_kib'] / 1024:.0f} MiB: time {t:.2f}x ({'MET' if t <= 3 else 'MISSED'}), "
                  f"memory {m:.2f}x ({'MET' if m <= 3 else 'MISSED'}) (target <= 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
