"""`--format concise`: one line per finding, `path:line:col: CODE message`, as ruff's
concise output, for an editor's quickfix or problem list; then the summary line.

`--statistics` (statistics_lines, statistics_json) counts the findings per code instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from factcheck.codes import finding_codes
from factcheck.models import Report
from factcheck.report.escape import json_text, log_line
from factcheck.report.text import summary_lines


def iter_concise(report: Report, **_: object) -> Iterator[str]:
    for f in report.findings:
        first = f.claims[0]
        line = f"{first.path}:{first.line}:{first.column}: {f.code} {f.message}"
        if f.suggestion is not None:
            line += f"; help: {f.suggestion.text}"
        yield log_line(line) + "\n"
    for line in summary_lines(report):
        yield log_line(line) + "\n"


def render_concise(report: Report, **_: object) -> str:
    return "".join(iter_concise(report))


def statistics(report: Report) -> list[dict]:
    """Findings per code, most first: code, kind, count and how many carry a suggestion."""
    counts = Counter(f.code for f in report.findings)
    helped = Counter(f.code for f in report.findings if f.suggestion is not None)
    known = finding_codes()
    return [
        {"code": code, "kind": known[code].kind if code in known else code, "count": n, "suggestions": helped[code]}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics_lines(report: Report) -> list[str]:
    rows = statistics(report)
    out = [
        f"{row['count']:>5}  {row['code']}  {row['kind'].replace('_', ' ')}"
        + (f"  ({row['suggestions']} with a suggestion)" if row["suggestions"] else "")
        for row in rows
    ]
    return out or ["no findings"]


def statistics_json(report: Report) -> str:
    return json_text(json.dumps(statistics(report), indent=2)) + "\n"
