"""Stage 7: reports for people (text), review queues (json, jsonl) and CI (sarif, github).

Every renderer takes the Report and keyword options it may ignore: `colour` (text) and
`levels`, each code's severity this run (sarif rules' default levels); html also takes
`documents`, `config` and `drafts` (factcheck.report.html).
"""

from __future__ import annotations

from collections.abc import Callable

from factcheck.report.github import render_github
from factcheck.report.json_report import render_json
from factcheck.report.jsonl import render_jsonl
from factcheck.report.sarif import render_sarif
from factcheck.report.text import render_text


def _render_html(report, **options: object) -> str:
    # Imported on use: jinja2 and the templates are loaded only by runs that ask for html.
    from factcheck.report.html import render_html_format

    return render_html_format(report, **options)


FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "jsonl": render_jsonl,
    "sarif": render_sarif,
    "github": render_github,
    "html": _render_html,
}
