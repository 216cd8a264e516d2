"""Stage 7: reports for people (text, html), review queues (json, jsonl) and CI (sarif, github).

`concise` is one line per finding for editors' quickfix lists. Every renderer takes the Report and keyword options it may ignore: `colour` (text) and
`levels`, each code's severity this run (sarif rules' default levels). html reads the
run's articles and settings from `report.run` (factcheck.report.html). A format is one
entry in FORMATS, and one in STREAMS that gives the same text in pieces (what the CLI
writes); MACHINE_FORMATS are those whose stdout a program parses, so nothing else
(progress bars, input errors) may be interleaved with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from factcheck.report.claims import render_claims_json, render_claims_text
from factcheck.report.concise import iter_concise, render_concise
from factcheck.report.github import iter_github, render_github
from factcheck.report.json_report import iter_json, render_json
from factcheck.report.jsonl import iter_jsonl, render_jsonl
from factcheck.report.sarif import iter_sarif, render_sarif
from factcheck.report.text import iter_text, render_text


def _render_html(report, **_: object) -> str:
    from factcheck.report.html import render_run  # heavy dependency: jinja2 and the templates, only for html runs

    return render_run(report)


FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "concise": render_concise,
    "json": render_json,
    "jsonl": render_jsonl,
    "sarif": render_sarif,
    "github": render_github,
    "html": _render_html,
}


def _stream_html(report, **options: object) -> Iterable[str]:
    # A page shows articles only for runs small enough to keep them (engines.local), so
    # it is rendered whole.
    return (_render_html(report, **options),)


# The same texts as FORMATS, in pieces, for writing a large report without holding it
# whole: "".join(STREAMS[f](report, ...)) == FORMATS[f](report, ...).
STREAMS: dict[str, Callable[..., Iterable[str]]] = {
    "text": iter_text,
    "concise": iter_concise,
    "json": iter_json,
    "jsonl": iter_jsonl,
    "sarif": iter_sarif,
    "github": iter_github,
    "html": _stream_html,
}

MACHINE_FORMATS = frozenset({"json", "jsonl", "sarif", "github"})

# NLI is off unless asked for; the html page and `factcheck config` say how to ask.
NLI_HOW = "--nli auto --nli-model PATH turns NLI on"

# `factcheck claims --format ...`
CLAIMS_FORMATS: dict[str, Callable[..., str]] = {
    "text": render_claims_text,
    "json": render_claims_json,
}
