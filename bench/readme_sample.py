"""Regenerate the README's sample output from the current code, so it cannot go stale.

    .venv/bin/python bench/readme_sample.py          # rewrite the blocks in README.md
    .venv/bin/python bench/readme_sample.py --check  # exit 1 if they differ from a fresh run

Each block sits between `<!-- sample:NAME -->` and `<!-- /sample:NAME -->` in README.md
and is made by the real command line on corpus/, as the README's command makes it:

* text: `factcheck check corpus/ --nli off`, cut to a few findings (those with a
  suggestion among them) and the summary line;
* concise: `factcheck check corpus/ --nli off --format concise`, the first lines;
* statistics: `factcheck check corpus/ --nli off --statistics`.

tests/test_readme.py runs `--check`, so a change to what the report says fails the suite
until this script is run again. bench/html_screenshot.py does the same for the picture.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FENCE = "```"
FIRST = 3  # findings shown from the top of the text report
CONCISE_LINES = 6


def _run(*flags: str) -> str:
    command = [sys.executable, "-m", "factcheck", "check", "corpus/", "--nli", "off", "--no-cache", *flags]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode not in (0, 1):  # 1: the corpus has planted conflicts
        sys.exit(f"readme_sample: {' '.join(command[2:])} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def _text_sample() -> str:
    report = _run()
    *findings, summary = report.rstrip("\n").split("\n\n")
    shown = findings[:FIRST]
    helped = [f for f in findings if "\n  help: " in f and f not in shown][:1]
    parts = [*shown, *helped]
    cut = "\n...\n" if len(parts) < len(findings) else "\n"
    return "\n\n".join(parts) + "\n" + cut + summary.strip("\n") + "\n"


def _concise_sample() -> str:
    lines = _run("--format", "concise").splitlines()
    body = lines[:CONCISE_LINES] + (["..."] if len(lines) > CONCISE_LINES + 1 else []) + lines[-1:]
    return "\n".join(body) + "\n"


def samples() -> dict[str, str]:
    return {"text": _text_sample(), "concise": _concise_sample(), "statistics": _run("--statistics")}


def render(readme: str, blocks: dict[str, str]) -> str:
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- sample:{name} -->\n{FENCE}text\n).*?(\n?{FENCE}\n<!-- /sample:{name} -->)", re.S)
        if not pattern.search(readme):
            sys.exit(f"readme_sample: README.md has no <!-- sample:{name} --> block")
        readme = pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + FENCE + f"\n<!-- /sample:{name} -->", readme, count=1)
    return readme


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md's samples are stale; change nothing")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    fresh = render(current, samples())
    if args.check:
        if fresh != current:
            sys.exit("readme_sample: README.md's sample output is stale; run python bench/readme_sample.py")
        print("README.md's samples are current")
        return
    README.write_text(fresh, encoding="utf-8")
    print("wrote README.md" if fresh != current else "README.md was current")


if __name__ == "__main__":
    main()
