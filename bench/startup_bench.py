"""Start-up CPU of `factcheck check` on one small file (issue 33): a table, never a timed test.

    .venv/bin/python bench/startup_bench.py                      # this checkout, 5 runs
    .venv/bin/python bench/startup_bench.py --code /tmp/fc-old   # another checkout's code
    .venv/bin/python bench/startup_bench.py --code /tmp/fc-old --code .   # both, interleaved

Each run is a fresh `python -m factcheck check ARTICLE --nli off --no-cache` in the
checkout (its folder first on the path), on a three-line article written to a temporary
folder; its CPU is the process's user + system time (`os.wait4`). The phases come from
another fresh process per run that does the same work step by step, each step's CPU
measured as it ends: the interpreter, factcheck's imports, the extraction modules (pint
with them), spaCy's import, the rules (YAML and the unit system), the spaCy model, the
check itself (the lexicons the rules derive, ingest, parse, comparison, report), and what
is left of the process's CPU when it has ended: the interpreter's shutdown.
Medians over the runs; with several checkouts the runs alternate, so that a busy machine
weighs on each alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, run_measured, table  # noqa: E402

ARTICLE = """# Kestrel results

Kestrel Motors reported revenue of $11.2 billion in the first quarter of 2026, up 4% from a year earlier.
"""

# One process, the check's work in steps, ended as the command ends (cli.run where the
# checkout has it); prints {step: CPU seconds} as JSON from an exit handler, which runs
# before the interpreter's shutdown.
PHASES = r"""
import atexit, contextlib, io, json, sys, time
cpu = time.process_time
steps, last = {"interpreter": cpu()}, cpu()

def step(name):
    global last
    now = cpu()
    steps[name] = now - last
    last = now

import factcheck.cli
step("import factcheck.cli")
import factcheck.extract.claims
step("import extraction (pint)")
from factcheck.extract import parse
with parse._without_torch(True):
    import spacy
step("import spacy")
from factcheck.rules import load_rules
load_rules()
step("rules: YAML, unit system")
parse.load_pipeline(None)
step("spaCy model")

@atexit.register
def _report():
    step("check: lexicons, parse, report")
    sys.__stderr__.write("STEPS " + json.dumps(steps) + "\n")

sys.argv = ["factcheck", "check", sys.argv[1], "--nli", "off", "--no-cache"]
sys.stdout = io.StringIO()
if hasattr(factcheck.cli, "run"):
    factcheck.cli.run()
sys.exit(factcheck.cli.main())
"""


def _run(cmd: list[str], code: Path) -> tuple[float, str]:
    """User + system CPU of one fresh process, and its stderr."""
    run = run_measured(cmd, cwd=code, env={**os.environ, "PYTHONPATH": str(code)}, stdout=subprocess.DEVNULL)
    err = run.err.decode()
    if run.returncode not in (0, 1):
        raise SystemExit(f"{code}: exit {run.returncode}\n{err}")
    return run.cpu, err


def whole(code: Path, article: Path) -> float:
    return _run([sys.executable, "-m", "factcheck", "check", str(article), "--nli", "off", "--no-cache"], code)[0]


def phases(code: Path, article: Path) -> dict[str, float]:
    total, err = _run([sys.executable, "-c", PHASES, str(article)], code)
    steps = json.loads(next(line for line in err.splitlines() if line.startswith("STEPS "))[6:])
    steps["interpreter exit (the rest)"] = total - sum(steps.values())
    return steps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, action="append", help="a checkout to run (repeatable; default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    codes = [c.resolve() for c in (args.code or [REPO])]
    totals: dict[Path, list[float]] = {c: [] for c in codes}
    steps: dict[Path, list[dict[str, float]]] = {c: [] for c in codes}
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "small.md"
        article.write_text(ARTICLE, encoding="utf-8")
        for _ in range(args.repeat):
            for code in codes:
                totals[code].append(whole(code, article))
                steps[code].append(phases(code, article))
    names = list(steps[codes[0]][0])
    rows = [[name, *(statistics.median(s[name] for s in steps[c]) for c in codes)] for name in names]
    rows.append(["the steps' process, user + sys", *(statistics.median(sum(s.values()) for s in steps[c]) for c in codes)])
    rows.append(["**`factcheck check` process, user + sys**", *(statistics.median(totals[c]) for c in codes)])
    print(f"CPU seconds, median of {args.repeat} fresh processes each")
    print(table(["step", *(str(c) for c in codes)], rows))
    for code in codes:
        print(f"{code}: check runs " + " ".join(f"{t:.2f}" for t in totals[code]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
