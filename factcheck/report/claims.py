"""`factcheck claims`: every extracted claim with its normalised form, for debugging rules.

The json form is a ClaimsReport: the same schema_version and tool block as the findings
report (docs/claims.schema.json).
"""

from __future__ import annotations

from factcheck.models import ClaimsReport
from factcheck.present import describe_claim, describe_period
from factcheck.report.escape import json_text, log_line


def render_claims_text(report: ClaimsReport, **_: object) -> str:
    out = []
    for c in report.claims:
        about = " · ".join(x or "?" for x in (c.subject, c.metric))
        extra = f"; per {c.attribution}" if c.attribution else ""
        extra += f"; scope {c.scope}" if c.scope else ""
        when = "" if c.kind == "date" else f"; {describe_period(c.period)}"  # a period's last day is its own time
        line = f"{c.path}:{c.line}:{c.column}: {c.text!r} = {describe_claim(c)} [{about}{when}{extra}]"
        out.append(log_line(line) + "\n")
    return "".join(out)


def render_claims_json(report: ClaimsReport, **_: object) -> str:
    return json_text(report.model_dump_json(indent=2)) + "\n"
