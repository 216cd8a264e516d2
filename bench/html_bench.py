"""How long `--format html` takes to render, up to 1,000 findings.

    .venv/bin/python bench/html_bench.py [--sizes 22 100 1000] [--repeat 3]

The findings are the corpus's own: the corpus is run once, then its documents and
findings are copied under new paths (copy-K/...) and fresh ids until a report holds N
findings, so every card and highlight is a real one. Only `render_html` is timed (the
pipeline is not); the page is rendered with and without the articles view. Prints a table;
no thresholds, nothing asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, table  # noqa: E402

from factcheck import Settings, check  # noqa: E402
from factcheck.models import Document, Finding, Report  # noqa: E402
from factcheck.report.html import render_html  # noqa: E402


def scaled(report: Report, documents: list[Document], n: int) -> tuple[Report, list[Document]]:
    findings: list[Finding] = []
    docs: list[Document] = []
    copy = 0
    while len(findings) < n:
        rename = {d.path: f"copy-{copy}/{d.path}" for d in documents}
        docs += [d.model_copy(update={"path": rename[d.path]}) for d in documents]
        for f in report.findings:
            claims = [c.model_copy(update={"path": rename[c.path]}) for c in f.claims]
            findings.append(f.model_copy(update={"id": f"{f.id}-{copy}", "claims": claims}))
        copy += 1
    findings = findings[:n]
    used = {c.path for f in findings for c in f.claims}
    return report.model_copy(update={"findings": findings}), [d for d in docs if d.path in used]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[22, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    base = check([str(REPO / "corpus")], settings=Settings(nli="off", cache=False))
    read = base.run.documents
    render_html(base, read)  # templates compiled once, outside the timings
    rows = []
    for n in args.sizes:
        report, documents = scaled(base, read, n)
        for label, docs in (("with articles", documents), ("findings only", None)):
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                page = render_html(report, docs)
                times.append(time.perf_counter() - start)
            rows.append((n, len(docs or ()), label, statistics.median(times), min(times), len(page.encode()) / 1e6))
    print(table(["findings", "articles", "page", "median s", "min s", "size MB"], rows))


if __name__ == "__main__":
    main()
