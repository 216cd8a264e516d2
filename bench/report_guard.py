"""Byte-identical guard: the JSON reports of the labelled sets, saved once and compared after a change.

    .venv/bin/python bench/report_guard.py --save /tmp/before      # before the change
    .venv/bin/python bench/report_guard.py --compare /tmp/before   # after: exit 1 on any difference
    .venv/bin/python bench/report_guard.py --compare /tmp/before --code /tmp/fc-old   # another checkout's code

Each story group of `../shared/eval/realnews` and `realnews2` is checked alone (as
`shared/tools/score_groups.py` does: groups are separate stories), then the seed articles
and this project's `corpus/`, each as one `factcheck check FILES --format json --nli off
--no-cache` run of this checkout (or of `--code`), two at a time. The report of each run
is written as `NAME.json`, its exit status and stderr as `NAME.err`; `--compare` names
every run whose report or stderr differs and prints the first lines of a diff of the
report's findings and claims.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL, REPO, SHARED  # noqa: E402

ARTICLE_EXT = {".md", ".markdown", ".txt", ".html", ".htm"}


def runs() -> dict[str, list[str]]:
    """Run name -> the files it checks."""
    out: dict[str, list[str]] = {}
    for folder in (EVAL / "realnews", EVAL / "realnews2"):
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.suffix in ARTICLE_EXT and p.name.lower() != "readme.md" and "-" in p.name:
                out.setdefault(f"{folder.name}-{p.name.split('-')[0]}", []).append(str(p.resolve()))
    for name, folder in (("seeds", SHARED / "seeds"), ("corpus", REPO / "corpus")):
        files = sorted(str(p.resolve()) for p in folder.iterdir() if p.suffix in ARTICLE_EXT and p.name.lower() != "readme.md")
        if files:
            out[name] = files
    return out


def check(files: list[str], code: Path) -> tuple[bytes, str]:
    cmd = [sys.executable, "-m", "factcheck", "check", *files, "--format", "json", "--nli", "off", "--no-cache", "--fail-on", "never"]
    run = subprocess.run(cmd, capture_output=True, cwd=code)
    return run.stdout, f"exit {run.returncode}\n{run.stderr.decode('utf-8', 'replace')}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, metavar="DIR")
    mode.add_argument("--compare", type=Path, metavar="DIR")
    ap.add_argument("--code", type=Path, default=REPO, help="the checkout whose factcheck runs (default: this one)")
    ap.add_argument("--only", nargs="*", help="run names to check (default: all)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    todo = runs()
    if args.only:
        todo = {k: v for k, v in todo.items() if k in args.only}
    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(todo, pool.map(lambda files: check(files, args.code.resolve()), todo.values())))
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, (report, err) in results.items():
            (args.save / f"{name}.json").write_bytes(report)
            (args.save / f"{name}.err").write_text(err, encoding="utf-8")
        print(f"saved {len(results)} reports to {args.save}")
        return 0
    differ = 0
    for name, (report, err) in results.items():
        old = (args.compare / f"{name}.json").read_bytes()
        old_err = (args.compare / f"{name}.err").read_text(encoding="utf-8")
        if old == report and old_err == err:
            continue
        differ += 1
        print(f"DIFFERS: {name} (report {'same' if old == report else 'differs'}, stderr {'same' if old_err == err else 'differs'})")
        if old != report:
            a = json.dumps(json.loads(old or b"{}"), indent=1, sort_keys=True).splitlines()
            b = json.dumps(json.loads(report or b"{}"), indent=1, sort_keys=True).splitlines()
            for line in list(difflib.unified_diff(a, b, "before", "after", n=2, lineterm=""))[:60]:
                print("   ", line)
        if old_err != err:
            for line in list(difflib.unified_diff(old_err.splitlines(), err.splitlines(), "before", "after", lineterm=""))[:20]:
                print("   ", line)
    print(f"{len(results) - differ}/{len(results)} runs byte-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
