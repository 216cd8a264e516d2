"""The stages as functions over plain models; factcheck.api runs them in order.

Each stage is a plain function over plain models, so the same functions can be mapped
over an archive on a distributed engine (factcheck.engines does):

    texts     = ingest.read_articles(paths)                # discover and read files
    outcome   = article_claims(text, ..., rules)           # map over articles
    blocks    = link.group_by_key(claims, rules)           # group by story and quantity family
    findings  = compare.compare_block(block, rules)        # map over blocks: link, then judge
    findings += [f for check in compare.ARTICLE_CHECKS for f in check(claims_of_one_article, rules)]  # FC201-FC203, map over articles

`article_claims` is the one per-article step of every engine: it carries the guards (an
article that fails is an error naming it, figures too large to compare are dropped), so
that one process, a process pool and a Dask cluster treat a hostile article alike.

After comparison, `filter_findings` decides what a run reports (selected codes, inline
suppressions, baseline, draft or changed-file scope); it never changes what is found.
A StageCache, when given, stands in for ingest and extraction of unchanged files and for
comparison of unchanged blocks; a run answered from it gives byte-identical reports.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.version import __version__
from factcheck.gate.baseline import Baseline
from factcheck.gate.baseline import match as match_baseline
from factcheck.gate.cache import BoilerplateProbe, StageCache, block_key, file_key
from factcheck.compare import ARTICLE_CHECKS, compare_block
from factcheck.link import group_by_key, quantity_family
from factcheck.errors import FactcheckError, InputFileError, debugging, internal_error_message
from factcheck.extract.parse import parse_zone
from factcheck.ingest import MAX_FILE_BYTES, MAX_SENTENCE_CHARS, Article, parse_document, read_articles, repeated_lines
from factcheck.models import (
    SEVERITIES,
    SEVERITY_RANK,
    BaselineStats,
    Claim,
    Document,
    Finding,
    InputError,
    Report,
    ReportStats,
    StaleEntry,
    ToolInfo,
)
from factcheck.rules import Rules
from factcheck.gate.suppress import apply_suppressions, override_severity, select_codes


@dataclass(slots=True)
class ArticleSummary:
    """What a run that shows no articles keeps of one: the path and the inline
    suppressions are all that filters, baselines and scopes read. A pydantic Document
    without its sentences still costs about 0.9 KB; this, about 0.2 KB (a large archive
    keeps one per article until the report)."""

    path: str
    suppressions: dict[int, list[str]]

    @classmethod
    def of(cls, document: Document) -> ArticleSummary:
        return cls(document.path, document.suppressions or _NO_SUPPRESSIONS)


_NO_SUPPRESSIONS: dict[int, list[str]] = {}  # shared: read, never written


@dataclass
class RunResult:
    documents: list[Document]  # ArticleSummary each where documents_complete is False
    claims: list[Claim]
    findings: list[Finding]
    errors: list[InputError]
    warnings: list[str] = field(default_factory=list)
    pairs_compared: int = 0
    # Set by an engine that streams claims instead of keeping them (factcheck.engines).
    claim_count: int | None = None
    aligned_count: int | None = None
    documents_complete: bool = True  # False: documents kept without their sentences


# Called as progress(stage, done, total) while a run works: "read" counts articles
# parsed (or found in the cache), "compare" counts claims in blocks compared.
Progress = Callable[[str, int, int], None]


# Articles whose figure sentences are parsed together (parse_ahead) where one process
# extracts many in a row: `--jobs 1` here, a Dask partition (engines.dask) in runs of this many.
PARSE_AHEAD_ARTICLES = 32


def collect_claims(
    items: Iterable[str | Path | Article],
    rules: Rules | None,
    default_date: dt.date | None = None,
    cache: StageCache | None = None,
    progress: Progress | None = None,
    excluded: Callable[[str], bool] | None = None,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
) -> RunResult:
    """Ingest and extraction over files, folders and in-memory articles, plus the cache.

    Every file is read on every run: the boilerplate set needs them all, and reading is
    cheap next to parsing and extraction, which a cache hit skips. Without `rules`,
    articles are parsed and not extracted (ingest.load_documents).
    """
    warnings: list[str] = []
    texts, errors = read_articles(items, excluded, max_file_bytes=max_file_bytes, warnings=warnings)
    boilerplate = repeated_lines(t.text for t in texts)

    documents: list[Document] = []
    claims: list[Claim] = []
    done = 0
    for start in range(0, len(texts), PARSE_AHEAD_ARTICLES):
        window = texts[start : start + PARSE_AHEAD_ARTICLES]
        found: list[tuple[str | None, ArticleClaims | None]] = []  # (cache key, outcome from the cache)
        for article in window:
            key = outcome = None
            if cache is not None and rules is not None:
                key = article_key(article.text, article.display, article.suffix, article.published or default_date, rules, max_sentence_chars)
                hit = cache.lookup_file(key, boilerplate)
                outcome = None if hit is None else ArticleClaims(*hit)
            found.append((key, outcome))
        # One parse memory zone for the window, its articles' figure sentences parsed together.
        with parse_zone():
            parse_ahead(
                [(a.text, a.display, a.suffix, a.published or default_date, max_sentence_chars) for a, (_, o) in zip(window, found) if o is None],
                boilerplate, rules,
            )  # fmt: skip
            for article, (key, outcome) in zip(window, found):
                if outcome is None:
                    outcome = article_claims(
                        article.text, article.display, article.suffix, article.published or default_date, boilerplate, rules,
                        max_sentence_chars, probe=key is not None,
                    )  # fmt: skip
                    if key is not None and outcome.answers is not None:
                        cache.store_file(key, outcome.document, outcome.claims, outcome.answers)  # type: ignore[union-attr,arg-type]
                done += 1
                if progress is not None:
                    progress("read", done, len(texts))
                if outcome.document is None:
                    errors.append(outcome.error)  # type: ignore[arg-type]
                    continue
                document = with_read_warnings(outcome.document, article.warnings)
                documents.append(document)
                warnings.extend(document.warnings)
                claims.extend(outcome.claims)
    return RunResult(documents, claims, [], errors, warnings)


# --------------------------------------------------------------------------- one article


class Answers:
    """What parse_document asked the boilerplate set, as the cache stores it: the asked
    lines and the hits, without the set itself (which a worker would otherwise send back
    with every article)."""

    def __init__(self, asked: set[str], hits: list[str]):
        self.asked, self.hits = asked, hits


@dataclass
class ArticleClaims:
    document: Document | None  # as parsed, before read warnings; None: it failed (see error)
    claims: list[Claim]  # finite ones only
    error: InputError | None = None
    answers: Answers | None = None  # with probe: what the cache needs to store it


def article_claims(
    text: str,
    display: str,
    suffix: str,
    published: dt.date | None,
    boilerplate: frozenset[str],
    rules: Rules | None,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    *,
    probe: bool = False,
) -> ArticleClaims:
    """Parse and extraction of one article: the work every engine does per document, in
    this process, a pool worker or a Dask worker, so that a hostile article is handled the
    same way whichever runs it.

    An article that fails is an InputError naming it (a bug in one article must not take
    an archive's run down); rules and cache problems (FactcheckError) concern the whole run
    and propagate. Figures too large to compare are dropped with a warning kept in the
    document, so a run answered from the cache warns the same.
    """
    lines = BoilerplateProbe(boilerplate) if probe else boilerplate
    try:
        document = parse_document(
            text, display, suffix=suffix, published=published, boilerplate=lines, max_sentence_chars=max_sentence_chars  # type: ignore[arg-type]
        )
        found = _extract(document, rules) if rules is not None else []
    except InputFileError as exc:
        return ArticleClaims(None, [], InputError(path=exc.path, line=exc.line, message=exc.message))
    except FactcheckError:
        raise
    except Exception as exc:  # noqa: BLE001
        if debugging():
            raise
        return ArticleClaims(None, [], InputError(path=display, message=internal_error_message(exc)))
    finite = [c for c in found if _finite(c)]
    if len(finite) < len(found):
        # A 400-digit figure overflows to inf; JSON has no inf, and no comparison means anything.
        document.warnings.extend(
            f"{c.path}:{c.line}: figure {c.text[:40]!r} is too large to compare; ignored" for c in found if not _finite(c)
        )
    answers = Answers(lines.asked, lines.hits) if isinstance(lines, BoilerplateProbe) else None
    return ArticleClaims(document, finite, None, answers)


def parse_ahead(
    articles: list[tuple[str, str, str, dt.date | None, int]], boilerplate: frozenset[str], rules: Rules | None
) -> None:
    """Inside `extract.parse.parse_zone()`, before `article_claims` runs on each of these
    articles (text, display, suffix, published, max_sentence_chars): parse the sentences
    their extraction will parse, all in a few large batches (extract.claims.parse_ahead).
    Each article's claims are still made by its own `article_claims`, the same as without;
    an article that fails here is left to fail there."""
    if rules is None or len(articles) < 2:
        return  # one article is parsed in one batch anyway
    documents = []
    for text, display, suffix, published, max_sentence_chars in articles:
        try:
            documents.append(
                parse_document(text, display, suffix=suffix, published=published, boilerplate=boilerplate, max_sentence_chars=max_sentence_chars)
            )
        except Exception:  # noqa: BLE001 - reported by its article_claims
            continue
    # Imported here, as in _extract: a warm run never loads extraction.
    from factcheck.extract import parse_ahead as parse_documents_ahead

    parse_documents_ahead(documents, rules)


def _extract(document: Document, rules: Rules) -> list[Claim]:
    # Imported here: a warm run that finds every file in the cache never loads extraction.
    from factcheck.normalize import extract_claims

    return extract_claims(document, rules)


def _finite(claim: Claim) -> bool:
    return all(v is None or math.isfinite(v) for v in (claim.value, claim.high, claim.resolution))


def article_key(text: str, display: str, suffix: str, published: dt.date | None, rules, max_sentence_chars: int) -> str:
    """The stage cache's key of one article's extraction, whichever engine asks."""
    return file_key(text, display, suffix, published, rules.fingerprint) + f":{max_sentence_chars}"


def with_read_warnings(document: Document, warnings: Iterable[str]) -> Document:
    # Read warnings (how the file was decoded) are not cached with the document: other
    # bytes may decode to the same text.
    warnings = list(warnings)
    return document.model_copy(update={"warnings": [*warnings, *document.warnings]}) if warnings else document


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by where the first claim is: the order every report uses."""
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.claims[0].path, f.claims[0].line, f.code))


def find_conflicts(
    claims: list[Claim], rules: Rules, cache: StageCache | None = None, progress: Progress | None = None
) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    pairs = 0
    blocks = sorted(group_by_key(claims, rules).items())
    total = sum(len(block) for _, block in blocks)
    done = 0
    for _, block in blocks:
        found, compared = _block_findings(block, rules, cache)
        findings.extend(found)
        pairs += compared
        done += len(block)
        if progress is not None:
            progress("compare", done, total)
    findings.extend(article_findings(claims, rules))
    return sort_findings(findings), pairs


def article_findings(claims: Iterable[Claim], rules: Rules) -> list[Finding]:
    """The findings one article makes on its own (FC201-FC203), article by article: claims
    are pure data, so this runs wherever an article's claims are, in any engine."""
    claims = list(claims)
    # Only an article with a figure its sentence relates to others (a change, a product,
    # parts) can make one.
    changed = {c.path for c in claims if c.change is not None or c.product is not None or c.parts is not None}
    by_article: dict[str, list[Claim]] = {path: [] for path in sorted(changed)}
    for c in claims:
        if c.path in changed:
            by_article[c.path].append(c)
    return [f for article in by_article.values() for check in ARTICLE_CHECKS for f in check(article, rules)]


def _block_findings(block: list[Claim], rules: Rules, cache: StageCache | None) -> tuple[list[Finding], int]:
    key = None
    if cache is not None:
        key = block_key(block, rules.fingerprint)
        hit = cache.lookup_block(key)
        if hit is not None:
            return hit
    counters: dict[str, int] = {}
    try:
        found = compare_block(block, rules, counters)
    except FactcheckError:
        raise  # a block too large to compare says so itself
    except Exception as exc:  # noqa: BLE001
        if debugging():
            raise
        first = block[0]
        raise FactcheckError(first.path, f"comparing its claims failed: {internal_error_message(exc)}", first.line) from exc
    if cache is not None and key is not None:
        cache.store_block(key, found, counters.get("pairs", 0))
    return found, counters.get("pairs", 0)


def filter_findings(
    findings: list[Finding],
    documents: list[Document],
    *,
    codes: frozenset[str],
    severity: dict[str, str] | None = None,
    baseline: Baseline | None = None,
    scope: frozenset[str] | None = None,
) -> tuple[list[Finding], dict[str, object]]:
    """What a run reports, and report stats saying what was hidden and why.

    In order: severity overrides, selected codes, inline suppressions, then `scope` (the
    display paths of drafts or changed files: a finding is kept when one of its claims is
    in scope) and the baseline. Staleness of baseline entries is judged before scoping,
    since the whole corpus was compared either way.
    """
    findings = override_severity(findings, severity or {})
    findings, deselected = select_codes(findings, codes)
    findings, suppressed = apply_suppressions(findings, documents)
    matched = match_baseline(baseline, findings, [d.path for d in documents], codes) if baseline else None
    kept: list[Finding] = []
    out_of_scope = hidden = 0
    for index, finding in enumerate(findings):
        if scope is not None and not any(c.path in scope for c in finding.claims):
            out_of_scope += 1
        elif matched is not None and index in matched.hidden:
            hidden += 1
        else:
            kept.append(finding)
    stats: dict[str, object] = {"suppressed": suppressed, "deselected": deselected, "out_of_scope": out_of_scope, "baseline": None}
    if baseline is not None and matched is not None:
        stats["baseline"] = BaselineStats(
            path=str(baseline.path),
            hidden=hidden,
            stale=[StaleEntry(id=e.id, code=e.code, paths=list(e.paths)) for e in matched.stale],
        )
    return kept, stats


def build_report(result: RunResult, extra_stats: dict | None = None, warnings: list[str] | None = None) -> Report:
    by_severity = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES}
    stats: dict[str, object] = {
        "documents": len(result.documents),
        "claims": len(result.claims) if result.claim_count is None else result.claim_count,
        "aligned_claims": (
            sum(1 for c in result.claims if quantity_family(c) is not None) if result.aligned_count is None else result.aligned_count
        ),
        "pairs_compared": result.pairs_compared,
        "findings": len(result.findings),
        **by_severity,
    }
    stats.update(extra_stats or {})
    return Report(
        tool=ToolInfo(version=__version__),
        findings=result.findings,
        errors=result.errors,
        stats=ReportStats(**stats),
        warnings=list(dict.fromkeys(warnings or [])),
    )
