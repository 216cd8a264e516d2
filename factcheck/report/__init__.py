"""Stage 7: reports for people (text), review queues (json, jsonl) and CI (sarif, github).

Every renderer takes the Report and keyword options it may ignore: `colour` (text) and
`levels`, each code's severity this run (sarif rules' default levels). A format is one
entry in FORMATS; MACHINE_FORMATS are those whose stdout a program parses, so nothing else
(progress bars, input errors) may be interleaved with them.
"""

from __future__ import annotations

from collections.abc import Callable

from factcheck.report.claims import render_claims_json, render_claims_text
from factcheck.report.github import render_github
from factcheck.report.json_report import render_json
from factcheck.report.jsonl import render_jsonl
from factcheck.report.sarif import render_sarif
from factcheck.report.text import render_text

FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "jsonl": render_jsonl,
    "sarif": render_sarif,
    "github": render_github,
}

MACHINE_FORMATS = frozenset({"json", "jsonl", "sarif", "github"})

# `factcheck claims --format ...`
CLAIMS_FORMATS: dict[str, Callable[..., str]] = {
    "text": render_claims_text,
    "json": render_claims_json,
}
