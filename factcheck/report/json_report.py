"""The versioned JSON report (schema_version "1"); see docs/wire-schema.md."""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.models import Report
from factcheck.report.escape import json_text

# The envelope is rendered with no findings and the findings spliced in one at a time, so
# a 100,000-article report (~180 MB of JSON) is never one string. A raw newline occurs in
# serialised JSON only between tokens, so this text, newline first, is the key itself and
# never part of a string value.
_EMPTY_FINDINGS = '\n  "findings": []'
_ITEM = "\n    "  # a finding's lines sit two levels deep: in the report, in its list


def iter_json(report: Report, **_: object) -> Iterator[str]:
    """render_json in pieces; "".join of them is exactly render_json's text."""
    if not report.findings:
        yield render_json(report)
        return
    envelope = report.model_copy(update={"findings": []}).model_dump_json(indent=2)
    at = envelope.index(_EMPTY_FINDINGS) + len(_EMPTY_FINDINGS) - 1  # at the "]"
    yield json_text(envelope[: at - 1]) + "["
    sep = _ITEM
    for finding in report.findings:
        yield sep + json_text(finding.model_dump_json(indent=2).replace("\n", _ITEM))
        sep = "," + _ITEM
    yield "\n  " + json_text(envelope[at:]) + "\n"


def render_json(report: Report, **_: object) -> str:
    return json_text(report.model_dump_json(indent=2)) + "\n"
