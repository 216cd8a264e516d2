"""CPU seconds per pathological input pattern at 100 KB and 1 MB (issue 10).

    python bench/hostile_bench.py [--sizes 100000 1000000] [--stage full|ingest] [--repeat 3] [--default-limits]

`full` (the default) is `factcheck.check` on one article with NLI and the cache off:
ingest, extraction (with the spaCy parse of figure sentences), linkage and comparison;
`ingest` is parse_document alone. Each cell is the median CPU time of `--repeat` fresh processes, the spaCy model
loaded before the clock starts, under a CPU-time limit, so a runaway pattern reports
'>LIMIT' instead of hanging. The exponent is the growth of time from the first size to
the last (1.0 = linear). The 50 MB row reads a real file through max_file_bytes (5 MB).
By default the limits that refuse an article (max_file_bytes, max_sentence_chars, and
max_parsed_sentences in a copy of rules/) are lifted, so that the pattern's own cost is
measured; max_block_claims stays, since every pair of a block is a candidate and a block
past it is quadratic by design, so it refuses; `--default-limits` keeps them as shipped and times what a user's run does.
CPU time, not wall time: the machine this runs on is shared.
"""

from __future__ import annotations

import argparse
import math
import statistics
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SENTENCE = "Kestrel Motors shares fell 8.81% on Wednesday, the company said. "
PLAIN = "Kestrel Motors shares fell sharply on Wednesday, the company said. "
PATTERNS = {
    "ordinary prose": lambda n: (SENTENCE + "\n\n") * (n // (len(SENTENCE) + 2)),
    "prose without figures": lambda n: (PLAIN + "\n\n") * (n // (len(PLAIN) + 2)),
    "1 MB single line (prose)": lambda n: SENTENCE * (n // len(SENTENCE)),
    "unclosed <!-- (markdown)": lambda n: "<!-- Acme revenue rose 5% " * (n // 26),
    "run of dots, one line": lambda n: "Acme rose 5%" + "." * n,
    "'Mr. ' x N (capitalised run)": lambda n: "Mr. " * (n // 4) + "rose 5%.",
    "'U.S. ' x N": lambda n: "U.S. " * (n // 5) + "rose 5%.",
    "'A. ' x N, no verb after": lambda n: "A. " * (n // 3) + "is up 5%.",
    # a name joined by & and hyphens before a figure (the listing and listed-name patterns)
    "'A&' x N, then -listed shares fell 5%": lambda n: "A&" * (n // 2) + "-listed shares fell 5%.",
    "8,000 numbers per sentence": lambda n: "Revenue was " + " ".join(f"${i} million," for i in range(n // 14)) + ".",
    "one block of same-subject claims": lambda n: "".join(
        f"Kestrel Motors revenue was ${i} million in {2000 + i % 25}.\n\n" for i in range(n // 48)
    ),
    "unclosed <!-- (html)": lambda n: "<p>x</p>" + "<!-- a " * (n // 7),
    "nested [ (markdown)": lambda n: "[" * n,
    "inline markup soup *[<` (markdown)": lambda n: "Acme rose 5%. " + "*[<`" * (n // 4),
}

CHILD = r"""
import sys, time
sys.path.insert(0, {repo!r})
text = open({path!r}, encoding="utf-8").read()
suffix = {suffix!r}
if {full!r}:
    # The whole pipeline, through the API an editor's tool calls; the limits are lifted so
    # that the pattern, not max_sentence_chars, decides the time. One tiny run first loads
    # the rules and the spaCy model before the clock starts.
    import factcheck
    if {lifted!r}:
        settings = factcheck.Settings(nli="off", cache=False, max_sentence_chars=10**9, max_file_bytes=10**12, rules={rules!r})
    else:
        settings = factcheck.Settings(nli="off", cache=False)
    factcheck.check([factcheck.Article(text="Shares of Acme rose 3% on Monday.", name="warm.md")], settings=settings)
    article = factcheck.Article(text=text, name="x" + suffix, format=suffix[1:])
    start = time.process_time()
    report = factcheck.check([article], settings=settings)
    if report.errors and {lifted!r}:
        sys.exit(report.errors[0].message)
    if report.errors:
        print("refused", file=sys.stderr)
else:
    # parse_document alone, not the API: this stage's own cost is what the row measures.
    from factcheck.ingest import parse_document
    start = time.process_time()
    parse_document(text, "x" + suffix, suffix=suffix, max_sentence_chars=10**9)
print(time.process_time() - start)
"""


def lifted_rules(tmp: str) -> str:
    """A copy of rules/ whose per-article parse budget is lifted, as the settings lift the
    size limits: the pattern, not a limit, decides the time."""
    import shutil

    import yaml

    folder = Path(tmp) / "rules"
    shutil.copytree(REPO / "rules", folder)
    severity = folder / "severity.yaml"
    data = yaml.safe_load(severity.read_text(encoding="utf-8"))
    data["thresholds"]["max_parsed_sentences"] = 10_000_000
    severity.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(folder)


def measure(text: str, suffix: str, full: bool, limit: int, repeat: int, lifted: bool = True) -> tuple[float | None, bool]:
    """Median CPU seconds of `repeat` fresh processes (None when one ran past `limit`), and
    whether the article was refused by a limit (with `lifted` False: the default limits)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_text(text, encoding="utf-8")
        rules = lifted_rules(tmp) if lifted and full else None
        code = CHILD.format(repo=str(REPO), path=str(path), suffix=suffix, full=full, lifted=lifted, rules=rules)

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))

        times = []
        refused = False
        for _ in range(repeat):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=cap)
            if done.returncode != 0:
                if "Error" in done.stderr:
                    print(done.stderr.strip().splitlines()[-1], file=sys.stderr)
                return None, False
            refused = refused or "refused" in done.stderr
            times.append(float(done.stdout.strip().splitlines()[-1]))
        return statistics.median(times), refused


def refuse_50mb() -> float:
    from factcheck.errors import InputFileError
    from factcheck.ingest import read_text

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.md"
        path.write_text(SENTENCE * (50_000_000 // len(SENTENCE)), encoding="utf-8")
        start = time.process_time()
        try:
            read_text(path, "big.md")
        except InputFileError:
            return time.process_time() - start
        raise AssertionError("50 MB was not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--stage", choices=["ingest", "full"], default="full")
    parser.add_argument("--limit", type=int, default=60, help="CPU seconds per measurement")
    parser.add_argument("--only", help="run patterns whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument(
        "--default-limits", action="store_true",
        help="keep max_file_bytes, max_sentence_chars and max_parsed_sentences as shipped; a cell "
        "marked R is the time to refuse the article",
    )
    args = parser.parse_args()
    full = args.stage == "full"
    heads = [f"{s // 1000:,} KB" if s < 1_000_000 else f"{s / 1e6:g} MB" for s in args.sizes]
    limits = "default limits (R: refused)" if args.default_limits else "limits lifted"
    print(f"stage: {args.stage}; {limits}; CPU seconds; target <= 2 s at 1 MB\n")
    print("| pattern | " + " | ".join(heads) + " | exponent | <= 2 s at 1 MB |")
    print("|---|" + "---:|" * (len(heads) + 2))
    for name, make in PATTERNS.items():
        if args.only and args.only not in name:
            continue
        suffix = ".html" if "(html)" in name else ".txt" if "dots" in name else ".md"
        measured = [measure(make(size), suffix, full, args.limit, args.repeat, not args.default_limits) for size in args.sizes]
        times = [t for t, _ in measured]
        cells = [(f"{t:.2f}" + (" R" if refused else "")) if t is not None else f">{args.limit}" for t, refused in measured]
        first, last = times[0], times[-1]
        exponent = (
            f"{math.log(last / first) / math.log(args.sizes[-1] / args.sizes[0]):.2f}"
            if first and last and first > 0.01 and len(times) > 1
            else "-"
        )
        ok = "yes" if last is not None and last <= 2.0 else "no"
        print(f"| {name} | " + " | ".join(cells) + f" | {exponent} | {ok} |", flush=True)
    print(f"| 50 MB article, refused by max_file_bytes | {refuse_50mb():.3f} s | | | yes |")


if __name__ == "__main__":
    main()
