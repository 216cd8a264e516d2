"""Real multi-outlet news: the 11 WikiRef financial articles through `factcheck.check`.

    .venv/bin/python bench/wikiref_bench.py [--write-docs]

Reads ../shared/eval/wikiref/*.txt in place (readme.txt is the data set's own notes and
is left out). Several files are cp1252, not UTF-8; ingest decodes them with a warning.
Every finding is printed with the claims involved and the verdict recorded in VERDICTS
below (one line each, by finding id: a careful editor's call, right or wrong and why); a
finding without a recorded verdict is listed as "unreviewed" so that a change in the
extractor or the policies shows up here for review.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL, publish, table  # noqa: E402

import factcheck  # noqa: E402

DATA = EVAL / "wikiref"

# finding id -> (verdict, why). Fill in when a run reports a new finding.
VERDICTS: dict[str, tuple[str, str]] = {}


def articles() -> list[Path]:
    return sorted(p for p in DATA.glob("*.txt") if p.name != "readme.txt")


def run() -> tuple[dict, dict, list[str]]:
    """The report and the claims as `factcheck check/claims --format json` print them, and the
    run's warnings (what the command line prints on stderr)."""
    files = [str(p) for p in articles()]
    settings = factcheck.Settings(nli="off", cache=False)
    report = factcheck.check(files, settings=settings)
    claims = factcheck.claims_report(files, settings=settings)
    return report.model_dump(mode="json"), claims.model_dump(mode="json"), report.warnings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"wikiref not found at {DATA}; nothing to do")
        return 0
    report, claims, warnings = run()
    st = report["stats"]
    aligned = [c for c in claims["claims"] if c["subject"] and c["metric"]]
    blocks: dict[tuple, list] = {}
    for c in aligned:
        blocks.setdefault((c["subject"], c["metric"]), []).append(c)
    multi = {k: v for k, v in blocks.items() if len({c["path"] for c in v}) > 1}
    lines = [
        f"{len(articles())} articles, {sum('not UTF-8' in w for w in warnings)} decoded as cp1252 with a warning; "
        f"{st['claims']} claims, {st['aligned_claims']} with a subject and metric, {st['pairs_compared']} pairs compared, "
        f"{st['findings']} findings ({st.get('error', 0)} errors, {st.get('warning', 0)} warnings, {st.get('info', 0)} info); "
        f"input errors: {len(report['errors'])}.",
        "",
        f"(subject, metric) blocks with claims from more than one article: {len(multi)}"
        + ("" if not multi else " — " + "; ".join(f"{s} · {m} ({len(v)} claims)" for (s, m), v in sorted(multi.items()))),
        "",
    ]
    if report["findings"]:
        rows = []
        for f in report["findings"]:
            verdict, why = VERDICTS.get(f["id"], ("unreviewed", ""))
            # file and line, never the sentence: the docs must not quote an evaluation set
            quotes = " / ".join(f"{Path(c['path']).name}:{c['line']}: “{c['text']}”" for c in f["claims"])
            rows.append((f["severity"], f["code"], f["message"][:100], quotes, verdict, why))
        lines.append(table(["severity", "code", "message", "claims", "verdict", "why"], rows))
    else:
        lines.append("No findings of any severity: nothing for an editor to reject, and no warning to review.")
    text = "\n".join(lines)
    print(text)
    publish("wikiref", report, "wikiref-report.json", text if args.write_docs else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
