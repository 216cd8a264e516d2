"""Run every benchmark of the suite and refresh docs/benchmarks.md.

    .venv/bin/python bench/run_all.py            # about 15 minutes on 2 cores
    .venv/bin/python bench/run_all.py --quick    # NewsQuant, wikiref, FinDVer on 20 statements, N=100/1000

The NLI benchmarks (bench/nli*) and the incremental-cache benchmark are separate.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    docs = [] if args.quick else ["--write-docs"]
    steps = [
        ["newsquant_bench.py", *docs],
        ["wikiref_bench.py", *docs],
        ["findver_bench.py", *(["--limit", "20"] if args.quick else []), *docs],
        ["scale_bench.py", *(["--sizes", "100", "1000"] if args.quick else []), *docs],
    ]
    if not args.quick:
        steps.append(["scale_bench.py", "--profile", "10000", *docs])
    for step in steps:
        print(f"\n=== bench/{' '.join(step)}", flush=True)
        code = subprocess.run([sys.executable, str(HERE / step[0]), *step[1:]]).returncode
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
