"""The parse's vocabulary over a run: claims extracted from every article of a folder in
one process, with the spaCy pipeline's string store, its lexemes, the process's RSS and
CPU printed at five checkpoints.

    .venv/bin/python bench/vocab_growth.py bench/out/scale/N1000-seed7
    .venv/bin/python bench/vocab_growth.py /path/to/articles --no-zone   # parses kept, as before

`--no-zone` parses outside spaCy's memory zone (extract/parse.py, parse_zone), so the two
can be compared at one commit. `len(nlp.vocab)` is not used: spaCy counts the lexemes a
zone freed too; the lexemes are counted by iterating the vocabulary.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's factcheck

from factcheck.extract import parse  # noqa: E402
from factcheck.ingest import parse_document  # noqa: E402
from factcheck.normalize import extract_claims  # noqa: E402
from factcheck.rules import load_rules  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=None, help="the first N articles only")
    ap.add_argument("--no-zone", action="store_true", help="parse outside any memory zone")
    args = ap.parse_args()
    if args.no_zone:
        parse._enter_zone = lambda nlp: None
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".md", ".txt", ".html") and p.name != "README.md")[: args.n]
    rules = load_rules(None)
    nlp = parse.load_pipeline(None)  # the instance parse_sentences uses
    extract_claims(parse_document(files[0].read_text(encoding="utf-8"), files[0].name, suffix=files[0].suffix), rules)
    gc.collect()

    def row(n: int) -> tuple:
        return n, len(nlp.vocab.strings), sum(1 for _ in nlp.vocab), rss_mb(), time.process_time() - c0

    c0 = time.process_time()
    first = row(0)
    print(f"{'articles':>8} {'strings':>8} {'lexemes':>8} {'RSS MB':>8} {'CPU s':>7}")
    print("{:>8} {:>8} {:>8} {:>8.1f} {:>7.1f}".format(*first))
    claims = 0
    for i, path in enumerate(files, 1):
        doc = parse_document(path.read_text(encoding="utf-8"), path.name, suffix=path.suffix)
        claims += len(extract_claims(doc, rules))
        if i % (len(files) // 5 or 1) == 0 or i == len(files):
            gc.collect()
            last = row(i)
            print("{:>8} {:>8} {:>8} {:>8.1f} {:>7.1f}".format(*last))
    k = len(files)
    print(
        f"{'no zone' if args.no_zone else 'zone'}: {k} articles, {claims} claims; per article: strings "
        f"{(last[1] - first[1]) / k:+.2f}, lexemes {(last[2] - first[2]) / k:+.2f}, RSS {1024 * (last[3] - first[3]) / k:+.2f} KB; "
        f"CPU {last[4]:.1f} s; max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
