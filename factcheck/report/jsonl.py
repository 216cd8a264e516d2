"""One finding per line, for review queues that consume a stream (`--format jsonl`).

Each line is a Finding exactly as in the `json` report's `findings` list; input errors
and the summary go to stderr so that every stdout line is one finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.models import Report
from factcheck.report.escape import json_text


def iter_jsonl(report: Report, **_: object) -> Iterator[str]:
    for f in report.findings:
        yield json_text(f.model_dump_json()) + "\n"


def render_jsonl(report: Report, **_: object) -> str:
    return "".join(iter_jsonl(report))
