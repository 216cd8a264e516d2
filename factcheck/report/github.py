"""GitHub Actions workflow commands (`--format github`): an annotation on every line a
finding quotes, so a pull request shows the conflict beside each article involved.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from factcheck.models import Claim, Finding, Report
from factcheck.report.text import summary_lines

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **props: object) -> str:
    given = ",".join(f"{k}={_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {given}::{_data(message)}" if given else f"::{level}::{_data(message)}"


def _annotation(finding: Finding, claim: Claim) -> str:
    others = "; ".join(f"{c.path}:{c.line}: “{c.text}”" for c in finding.claims if c is not claim)
    message = f"{finding.message}\nHere: “{claim.text}”. Also: {others}. ({finding.id})"
    title = f"{finding.code} {finding.kind.replace('_', ' ')}"
    return _command(LEVELS[finding.severity], message, file=claim.path, line=claim.line, col=claim.column, title=title)


def render_github(report: Report, **_: object) -> str:
    out = [_annotation(f, c) for f in report.findings for c in f.claims]
    out += [_command("error", e.message, file=e.path, line=e.line, title="factcheck: input error") for e in report.errors]
    out += summary_lines(report)
    return "\n".join(out) + "\n"
