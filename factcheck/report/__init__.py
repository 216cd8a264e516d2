"""Stage 7: reports for people (text), review queues (json) and CI."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.models import Report
from factcheck.report.json_report import render_json
from factcheck.report.text import render_text

FORMATS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
}
