"""The editor's report (`--format html`): one self-contained page, no network, works from file://.

From Python, `render_run(report)` renders a Report that `factcheck.check` returned: the run
left its Documents, which hold the article text the articles view shows (a Report's JSON
carries only the claims' own sentences), its settings and its drafts on `report.run`.
`render_html(report, documents, settings=..., drafts=...)` takes them explicitly. Without
documents the page still shows every finding; only the articles view is left out.

Everything derived from the articles reaches the page through jinja2's autoescaping: the
templates never mark input as safe, and the script reads only data-* attributes and toggles
visibility, so no article text is ever parsed as markup.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Protocol

import jinja2
from markupsafe import Markup

from factcheck.codes import finding_codes
from factcheck.groups import sharing
from factcheck.models import SEVERITIES, SEVERITY_RANK, Claim, Document, Finding, Report, Sentence
from factcheck.report import NLI_HOW
from factcheck.present import describe_claim, describe_metric, describe_period, link_words


class Settings(Protocol):
    """What the page shows of a run's factcheck.Settings (gate/config.py, a layer above
    report/, which it does not import)."""

    rules: object
    select: Collection[str] | None
    ignore: Collection[str]
    severity: Mapping[str, str]
    fail_on: str
    baseline: object
    nli: str

# Severity is told by word and shape as well as by colour (the badges and marks use them).
ICONS = {"error": "✖", "warning": "▲", "info": "●"}

ClaimKey = tuple[str, int, int, str]


def _key(claim: Claim) -> ClaimKey:
    return (claim.path, claim.line, claim.column, claim.text)


@dataclass
class Segment:
    text: str
    mark: int | None = None  # index into Page.marks


@dataclass
class Mark:
    """A highlighted claim in the articles view and the findings it takes part in."""

    id: int
    claim: Claim
    anchor: str  # id of the sentence holding it
    severity: str = "info"
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Block:
    heading: bool
    sentences: list[tuple[str, list[Segment]]]  # (anchor, segments)
    marks: list[Mark] = field(default_factory=list)


@dataclass
class ArticleView:
    index: int
    document: Document
    draft: bool
    blocks: list[Block]
    marked: int


def figure_span(claim: Claim, sentence: str | None = None, start: int = 0) -> tuple[int, int] | None:
    """Where the claim's figure sits in its sentence, from `start` on.

    Claims carry the sentence and the mention as written but no offset, so the mention is
    looked up; whitespace is matched loosely because sentences fold line breaks to spaces.
    """
    text = claim.sentence if sentence is None else sentence
    at = text.find(claim.text, start)
    if at >= 0:
        return at, at + len(claim.text)
    words = claim.text.split()
    if not words:
        return None
    match = re.compile(r"\s+".join(map(re.escape, words)), re.I).search(text, start)
    return match.span() if match else None


def split_sentence(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Segment]:
    """Cut a sentence into plain and marked pieces; overlapping spans keep the first."""
    out: list[Segment] = []
    at = 0
    for start, end, mark in sorted(spans):
        if start < at:
            continue
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], mark))
        at = end
    if at < len(text) or not out:
        out.append(Segment(text[at:]))
    return out


def group_findings(findings: list[Finding]) -> list[list[Finding]]:
    """Findings linked by a shared claim, in report order."""
    return [[findings[i] for i in group] for group in sharing([_key(c) for c in f.claims] for f in findings)]


def _shared_claim(group: list[Finding]) -> Claim | None:
    if len(group) < 2:
        return None
    counts = Counter(_key(c) for f in group for c in f.claims)
    key, n = counts.most_common(1)[0]
    if n < 2:
        return None
    return next(c for f in group for c in f.claims if _key(c) == key)


def _articles(
    documents: list[Document], findings: list[Finding], drafts: Collection[str]
) -> tuple[list[ArticleView], dict[ClaimKey, str]]:
    """The articles view, and each claim's sentence anchor for links from the cards."""
    involved: dict[ClaimKey, list[Finding]] = defaultdict(list)
    for finding in findings:
        for claim in finding.claims:
            if finding not in involved[_key(claim)]:
                involved[_key(claim)].append(finding)
    by_sentence: dict[tuple[str, int, int], list[Claim]] = defaultdict(list)
    for key, found in involved.items():
        claim = next(c for c in found[0].claims if _key(c) == key)
        by_sentence[(claim.path, claim.line, claim.column)].append(claim)

    ordered = sorted(enumerate(documents), key=lambda item: (item[1].path not in drafts, item[0]))
    anchors: dict[ClaimKey, str] = {}
    views: list[ArticleView] = []
    mark_id = 0
    for index, document in ordered:
        blocks: list[Block] = []
        marked = 0
        for number, sentence in enumerate(document.sentences):
            anchor = f"s-{index}-{number}"
            spans: list[tuple[int, int, int]] = []
            marks: list[Mark] = []
            cursor: dict[str, int] = {}
            for claim in sorted(by_sentence.get((document.path, sentence.line, sentence.column), ()), key=lambda c: c.text):
                found = involved[_key(claim)]
                # Two claims written alike in one sentence take its occurrences in turn.
                span = figure_span(claim, sentence.text, cursor.get(claim.text, 0)) or (0, len(sentence.text))
                cursor[claim.text] = span[1]
                severity = max((f.severity for f in found), key=SEVERITY_RANK.__getitem__)
                marks.append(Mark(mark_id, claim, anchor, severity, found))
                spans.append((*span, len(marks) - 1))
                anchors[_key(claim)] = anchor
                mark_id += 1
            marked += len(marks)
            segments = _segments(sentence, spans, marks)
            if not blocks or blocks[-1].heading or sentence.heading or _paragraph(document, number) != _paragraph(document, number - 1):
                blocks.append(Block(sentence.heading, []))
            blocks[-1].sentences.append((anchor, segments))
            blocks[-1].marks.extend(marks)
        views.append(ArticleView(index, document, document.path in drafts, blocks, marked))
    return views, anchors


def _segments(sentence: Sentence, spans: list[tuple[int, int, int]], marks: list[Mark]) -> list[Segment]:
    pieces = split_sentence(sentence.text, spans)
    for piece in pieces:  # local mark positions -> the Mark objects' page-wide ids
        if piece.mark is not None:
            piece.mark = marks[piece.mark].id
    return pieces


def _paragraph(document: Document, number: int) -> int | None:
    return document.sentences[number].paragraph if number >= 0 else None


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factcheck.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(describe_claim=describe_claim, describe_period=describe_period, icons=ICONS, about=_about, link_words=link_words)
    env.filters["figure_span"] = figure_span
    return env


def _about(finding: Finding) -> str:
    periods = " / ".join(dict.fromkeys(describe_period(c.period) for c in finding.claims if c.kind != "date"))
    return " · ".join(x for x in (finding.subject or "?", describe_metric(finding.metric, finding.metric_label) or "?", periods) if x)


@lru_cache(maxsize=1)
def _assets() -> tuple[Markup, Markup, str]:
    """The stylesheet, the script and the script's CSP hash.

    Both are the package's own static files, never input. Pinning the one script by hash
    means that even markup which slipped past escaping could not run any other script or
    inline handler.
    """
    folder = resources.files("factcheck.report") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    js = (folder / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(("\n" + js + "\n").encode()).digest()).decode()
    return Markup(css), Markup(js), f"sha256-{digest}"


def _settings_rows(report: Report, settings: Settings | None) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if settings is not None:
        given = {
            "rules": settings.rules or "built-in rules/",
            "codes": ", ".join(settings.select) if settings.select is not None else "all",
            "ignored": ", ".join(settings.ignore) or None,
            "severity overrides": ", ".join(f"{c}={lvl}" for c, lvl in sorted(settings.severity.items())) or None,
            "fail on": settings.fail_on,
            "baseline": settings.baseline,
            "NLI mode": f"off ({NLI_HOW})" if settings.nli == "off" else settings.nli,
        }
        rows = [(label, "—" if value is None else str(value)) for label, value in given.items()]
    stats = report.stats
    if stats.nli is not None:
        nli = stats.nli
        rows.append(("NLI model", f"{nli.get('model')} ({nli.get('backend', '?')}, weights {nli.get('weights_sha256', '?')})"))
    elif stats.nli_reason:
        rows.append(("NLI", f"none: {stats.nli_reason}"))
    rows += [("articles", str(stats.documents)), ("claims", str(stats.claims)), ("pairs compared", str(stats.pairs_compared))]
    hidden = [(stats.suppressed, "suppressed inline"), (stats.deselected, "of unselected codes"), (stats.out_of_scope, "outside the drafts or changed files")]
    if stats.baseline is not None:
        hidden.append((stats.baseline.hidden, f"in the baseline {stats.baseline.path}"))
    shown = [f"{n} {why}" for n, why in hidden if n]
    if shown:
        rows.append(("not shown", ", ".join(shown)))
    return rows


def render_html(
    report: Report,
    documents: list[Document] | None = None,
    *,
    settings: Settings | None = None,
    drafts: Collection[str] | None = None,
    title: str = "factcheck report",
) -> str:
    """The report as one HTML page.

    `documents`: the run's ingested articles, for the articles view (left out when None).
    `settings`: the run's factcheck.Settings, shown under "Run settings" (rules, codes,
    thresholds); the NLI model, or why there is none, comes from `report.stats`.
    `drafts`: display paths of the checked drafts (`--against`), shown first and tagged.
    """
    findings = report.findings
    drafts = frozenset(drafts or ())
    articles, anchors = _articles(documents, findings, drafts) if documents is not None else ([], {})
    severity_counts = Counter(f.severity for f in findings)
    code_counts = Counter(f.code for f in findings)
    registry = finding_codes()
    codes = []
    for code in sorted(code_counts):
        known = registry.get(code)
        codes.append((code, (known.kind, known.summary) if known else (code, "")))
    paths = list(dict.fromkeys([*(a.document.path for a in articles), *sorted({c.path for f in findings for c in f.claims})]))
    stylesheet, script, script_hash = _assets()
    return _environment().get_template("report.html.j2").render(
        stylesheet=stylesheet,
        script=script,
        script_hash=script_hash,
        title=title,
        report=report,
        groups=[(group, _shared_claim(group)) for group in group_findings(findings)],
        severities=SEVERITIES,
        severity_counts=severity_counts,
        codes=codes,
        code_counts=code_counts,
        paths=paths,
        articles=articles,
        has_documents=documents is not None,
        anchors=anchors,
        claim_key=_key,
        settings=_settings_rows(report, settings),
        drafts=drafts,
    )


def render_run(report: Report, documents: list[Document] | None = None, *, title: str = "factcheck report") -> str:
    """render_html with what the run that made `report` left on it (`--format html`, and from Python)."""
    run = report.run
    if run is None:
        return render_html(report, documents, title=title)
    return render_html(report, run.documents if documents is None else documents, settings=run.settings, drafts=run.drafts, title=title)
