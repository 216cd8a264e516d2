"""What extraction's own Python costs, counted rather than timed (issue 33): a table.

    .venv/bin/python bench/extract_calls.py                       # this checkout
    .venv/bin/python bench/extract_calls.py --code /tmp/fc-old --code .

For each checkout, a fresh process (the checkout's folder first on the path) extracts the
claims of every article of ../shared/eval/realnews and realnews2 under cProfile, NLI off,
no cache, after a warm-up that loads the rules and the model, and prints the claims, the
Python function calls, the spaCy `Token` objects made (each one a walk's step over a
parse) and the CPU seconds. Counts do not move with a busy machine, where CPU seconds on
a shared 2-core machine can move by a quarter between identical runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, table  # noqa: E402

SETS = [REPO.parent / "shared" / "eval" / name for name in ("realnews", "realnews2")]

_PROBE = """
import cProfile, json, pstats, sys, time
sys.path.insert(0, sys.argv[1])
from factcheck.api import claims
from factcheck.gate.config import Settings
files = sys.argv[2:]
settings = Settings(nli="off", cache=False, jobs=1)
claims(files[:3], settings=settings)
profile = cProfile.Profile()
t = time.process_time()
profile.enable()
found = claims(files, settings=settings)
profile.disable()
cpu = time.process_time() - t
stats = pstats.Stats(profile).stats
calls = sum(v[1] for v in stats.values())
tokens = sum(v[1] for k, v in stats.items() if k[0].endswith("token.pxd") and k[2] == "cinit")
print(json.dumps({"claims": len(found), "calls": calls, "tokens": tokens, "cpu": cpu}))
"""


def articles() -> list[str]:
    return sorted(str(p) for d in SETS for p in d.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", action="append", help="a checkout to measure (repeatable; default: this one)")
    args = parser.parse_args()
    files = articles()
    if not files:
        print(f"bench: no articles under {', '.join(map(str, SETS))}", file=sys.stderr)
        return 2
    rows = []
    for code in args.code or [str(REPO)]:
        done = subprocess.run([sys.executable, "-c", _PROBE, str(Path(code).resolve()), *files], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"bench: {code}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'}", file=sys.stderr)
            return 1
        r = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append([code, r["claims"], f"{r['calls']:,}", f"{r['tokens']:,}", f"{r['cpu']:.2f}"])
    print(f"extraction of {len(files)} articles (realnews, realnews2) under cProfile, NLI off, no cache\n")
    print(table(["checkout", "claims", "Python function calls", "spaCy Token objects made", "CPU s (profiled)"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
