"""Cold vs warm runs of `factcheck check` with the claims cache, on a generated archive.

    python bench/incremental_bench.py [--n 1000] [--seed 1] [--repeat 3] [--out bench/out/incremental.json]

Runs the real command line in a fresh process each time and reports the median wall time
and the peak resident memory (the child's own ru_maxrss, from os.wait4) of the runs below.
The command line (which calls factcheck.check) rather than the API in this process: a warm
run in CI is a new process, whose imports and cache opening are part of its cost, and a
run's peak memory can only be told apart in a process of its own.

* no cache   --no-cache, for reference
* cold       an empty cache folder (every file parsed, extracted and written)
* warm       the same corpus again (every file read from the cache)
* edited     after one article's figure is changed (one file re-extracted, all compared)

It also checks that every cached report is byte-identical to an uncached one of the same
files. The corpus comes from bench/generate.py (printed as `corpus:` in the output).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, run_measured  # noqa: E402

TARGET_SPEEDUP = 5.0


def generate(out: Path, n: int, seed: int) -> str:
    command = [sys.executable, str(REPO / "bench" / "generate.py"), str(out), "--n", str(n), "--seed", str(seed)]
    subprocess.run(command, check=True, capture_output=True)
    return f"bench/generate.py --n {n} --seed {seed}"


def edit_one(corpus: Path, index: int) -> Path:
    """Change the first percentage in the index-th article, as an editor would."""
    articles = sorted(p for p in corpus.iterdir() if p.suffix in (".md", ".txt", ".html"))
    path = articles[(index * 97) % len(articles)]
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(r"(\d+(?:\.\d+)?)%", lambda m: f"{float(m.group(1)) + 1.5:g}%", text, count=1)
    if not count:
        edited = text + "\nShares rose 3.5% in early trading on Friday.\n"
    path.write_text(edited, encoding="utf-8")
    return path


def measure(command: list[str], cwd: Path) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS in MiB and stdout of one run in its own process."""
    run = run_measured(command, cwd=cwd)
    if run.returncode not in (0, 1):
        raise SystemExit(f"factcheck failed ({run.returncode}): {run.err.decode(errors='replace')[-2000:]}")
    return run.wall, run.rss_mb, run.out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and caches here (default: a temp folder, removed)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "incremental.json")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    source = generate(corpus, args.n, args.seed)
    base = [sys.executable, "-m", "factcheck", "check", "corpus", "--nli", "off", "--format", "json", "--fail-on", "never"]

    def cached(folder: str) -> list[str]:
        return [*base, "--cache-dir", str(work / folder)]

    runs: dict[str, list[tuple[float, float]]] = {"no cache": [], "cold": [], "warm": [], "edited": []}
    identical = True
    for i in range(args.repeat):
        wall, rss, reference = measure([*base, "--no-cache"], work)
        runs["no cache"].append((wall, rss))
        shutil.rmtree(work / f"cache{i}", ignore_errors=True)
        wall, rss, cold = measure(cached(f"cache{i}"), work)
        runs["cold"].append((wall, rss))
        wall, rss, warm = measure(cached(f"cache{i}"), work)
        runs["warm"].append((wall, rss))
        identical &= cold == reference == warm
    for i in range(args.repeat):
        edit_one(corpus, i)
        wall, rss, edited = measure(cached(f"cache{args.repeat - 1}"), work)
        runs["edited"].append((wall, rss))
        identical &= edited == measure([*base, "--no-cache"], work)[2]

    table = {
        name: {"wall_s": statistics.median(w for w, _ in values), "peak_rss_mib": max(r for _, r in values), "runs": len(values)}
        for name, values in runs.items()
    }
    cold = table["cold"]["wall_s"]
    speedup = cold / table["warm"]["wall_s"]
    documents = json.loads(measure([*base, "--no-cache"], work)[2])["stats"]["documents"]

    print(f"corpus: {source} ({documents} documents)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; median of {args.repeat} runs\n")
    print("| run | wall time (s) | peak RSS (MiB) | vs cold |")
    print("|---|---:|---:|---:|")
    for name, row in table.items():
        print(f"| {name} | {row['wall_s']:.2f} | {row['peak_rss_mib']:.0f} | {cold / row['wall_s']:.1f}x |")
    print(f"\nwarm is {speedup:.1f}x faster than cold (target {TARGET_SPEEDUP:.0f}x): {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}")
    print(f"cached reports byte-identical to uncached: {'yes' if identical else 'NO'}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"corpus": source, "documents": documents, "repeat": args.repeat, "runs": table, "warm_speedup": speedup, "identical": identical}
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
