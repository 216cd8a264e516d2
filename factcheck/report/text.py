"""The terminal report: every finding with its reason, both quotes at path:line:column and,
where one article is the odd one out, a `help:` line with what to write instead."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from factcheck.models import Claim, Report
from factcheck.present import describe_claim, describe_link, describe_metric, describe_period
from factcheck.report.escape import guard_lines, visible as v

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "bold": "\033[1m"}
_RESET = "\033[0m"


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{_COLOURS[style]}{text}{_RESET}" if colour else text


def quote(claim: Claim, width: int = 220) -> str:
    """The sentence, shortened around the mention when it is long."""
    s = claim.sentence
    if len(s) <= width:
        return s
    at = max(0, s.find(claim.text))
    start = max(0, at - width // 2)
    end = min(len(s), start + width)
    start = max(0, end - width)
    return ("…" if start else "") + s[start:end].strip() + ("…" if end < len(s) else "")


def iter_text(report: Report, colour: bool = False, **_: object) -> Iterator[str]:
    """One finding's lines at a time; "".join of them is render_text's text."""
    # Every value from an article, a file name or the baseline goes through v(); the
    # composed lines through guard_lines, as a CI log shows this output too.
    for f in report.findings:
        out: list[str] = []
        first = f.claims[0]
        about = " · ".join(v(x) for x in (f.subject, describe_metric(f.metric, f.metric_label)) if x)
        head = f"{v(first.path)}:{first.line}:{first.column}: {_paint(f.severity, f.severity, colour)} {f.code} {f.kind.replace('_', ' ')}"
        out.append(_paint(head, "bold", colour) + (f" [{about}]" if about else ""))
        out.append(f"  {v(f.message)}")
        if f.link is not None:
            out.append(f"  link: {v(describe_link(f.link))}")
        if f.nli is not None:
            out.append(f"  NLI contradiction {f.nli.contradiction:.2f} ({v(f.nli.model)})")
        for c in f.claims:
            where = f"{v(c.path)}:{c.line}:{c.column}"
            # a period's last day is a time itself (extract/dates.py): no period of its own to name
            norm = describe_claim(c) if c.kind == "date" else f"{describe_claim(c)}; {describe_period(c.period)}"
            if c.attribution:
                norm += f"; per {c.attribution}"
            out.append(f"  - {where}  {_paint(v(norm), 'dim', colour)}")
            out.append(f"      \"{v(quote(c))}\"")
        if f.suggestion is not None:
            out.append(_paint(f"  help: {v(f.suggestion.text)}", "bold", colour))
        out.append("")
        yield _lines(out)
    # Input errors are not part of the report: the CLI writes them to stderr in every format.
    yield _lines([v(line) for line in summary_lines(report)])


def _lines(out: list[str]) -> str:
    # guard_lines works line by line, so guarding each piece is guarding the whole text.
    return "".join(guard_lines(line) + "\n" for line in out)


def render_text(report: Report, colour: bool = False, **_: object) -> str:
    return "".join(iter_text(report, colour=colour))


def summary_lines(report: Report) -> list[str]:
    """Stale baseline entries, then one line of counts, including what was hidden and why."""
    stats = report.stats
    out: list[str] = []
    baseline = stats.baseline
    stale = baseline.stale if baseline is not None else []
    if stale:
        entries = "entry" if len(stale) == 1 else "entries"
        out.append(f"{len(stale)} stale baseline {entries} in {baseline.path} (no longer found; refresh it with --write-baseline):")
        out.extend(f"  {e.id}  {', '.join(e.paths)}" for e in stale)
    n = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    summary = (
        f"{n['error']} error(s), {n['warning']} warning(s), {n['info']} info in {stats.documents} document(s) "
        f"({stats.claims} claims, {stats.pairs_compared} pairs compared)"
    )
    hidden = [
        (stats.suppressed, "suppressed inline"),
        (baseline.hidden if baseline is not None else None, "in the baseline"),
        (stats.deselected, "of unselected codes"),
        (stats.out_of_scope, "not touching the drafts or changed files"),
    ]
    shown = [f"{count} {why}" for count, why in hidden if count]
    if shown:
        summary += "; not shown: " + ", ".join(shown)
    if report.errors:
        summary += f"; {len(report.errors)} input(s) could not be read"
    out.append(summary)
    return out
