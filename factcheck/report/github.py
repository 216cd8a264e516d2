"""GitHub Actions workflow commands (`--format github`): an annotation on every line a
finding quotes, so a pull request shows the conflict beside each article involved.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.models import Claim, Finding, Report
from factcheck.report.escape import github_data, github_property, log_line
from factcheck.report.text import summary_lines

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


_data = github_data
_property = github_property


def _command(level: str, message: str, **props: object) -> str:
    given = ",".join(f"{k}={_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {given}::{_data(message)}" if given else f"::{level}::{_data(message)}"


def _annotation(finding: Finding, claim: Claim) -> str:
    others = "; ".join(f"{c.path}:{c.line}: “{c.text}”" for c in finding.claims if c is not claim)
    message = f"{finding.message}\nHere: “{claim.text}”. Also: {others}. ({finding.id})"
    if finding.suggestion is not None:
        message += f"\nHelp: {finding.suggestion.text}"
    title = f"{finding.code} {finding.kind.replace('_', ' ')}"
    return _command(LEVELS[finding.severity], message, file=claim.path, line=claim.line, col=claim.column, title=title)


def iter_github(report: Report, **_: object) -> Iterator[str]:
    """One line at a time; there is always at least the summary line."""
    for f in report.findings:
        for c in f.claims:
            yield _annotation(f, c) + "\n"
    for e in report.errors:
        yield _command("error", e.message, file=e.path, line=e.line, title="factcheck: input error") + "\n"
    for line in summary_lines(report):
        yield log_line(line) + "\n"


def render_github(report: Report, **_: object) -> str:
    return "".join(iter_github(report))
