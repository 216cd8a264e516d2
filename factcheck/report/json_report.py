"""The versioned JSON report (schema_version "1"); see docs/wire-schema.md."""

from __future__ import annotations

from factcheck.models import Report
from factcheck.report.escape import json_text


def render_json(report: Report, **_: object) -> str:
    return json_text(report.model_dump_json(indent=2)) + "\n"
