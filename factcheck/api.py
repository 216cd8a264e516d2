"""The Python API: `factcheck.check(...)` runs the whole pipeline and returns a Report.

    import factcheck
    report = factcheck.check(["draft.md"], against=["corpus"])
    report = factcheck.check([factcheck.Article(text=draft, name="draft.md")], against=["corpus"],
                             settings=factcheck.Settings(nli="off"))

The command line, the benchmarks and a distributed runner all come in here, so a run
means the same whichever way it is started. Order: read (files and in-memory articles),
extract (through the cache), link and compare (through the cache), then what the run
reports: severity overrides, selected codes, inline suppressions, draft or changed-file
scope, baseline; then NLI over what is left, then the order every report uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from factcheck import engines
from factcheck.codes import finding_codes
from factcheck.errors import FactcheckError
from factcheck.gate.baseline import load_baseline
from factcheck.gate.baseline import write_baseline as record_baseline
from factcheck.gate.cache import LazyRules, StageCache, open_cache
from factcheck.gate.changes import changed_files, in_scope
from factcheck.gate.config import Settings, load_settings
from factcheck.gate.suppress import unknown_code_warnings
from factcheck.ingest import Article, discover
from factcheck.models import Claim, ClaimsReport, Finding, Report, RunInputs, ToolInfo
from factcheck.pipeline import Progress, RunResult, build_report, collect_claims, filter_findings, find_conflicts, sort_findings
from factcheck.rules import Rules
from factcheck.suggest import for_editors
from factcheck.version import __version__

__all__ = ["Article", "Progress", "Settings", "check", "claims", "claims_report"]

Inputs = Iterable[str | Path | Article]


def check(
    paths_or_documents: Inputs,
    *,
    settings: Settings | None = None,
    against: Inputs = (),
    rules: Rules | str | Path | None = None,
    progress: Progress | None = None,
    changed_since: str | None = None,
    write_baseline: str | Path | None = None,
) -> Report:
    """Findings among the articles given, or between them and `against`.

    settings: None reads the config file found from the current folder, as the CLI does.
    against: published articles; only findings that involve one of `paths_or_documents`
        (the drafts) are reported.
    rules: a loaded Rules, or a rules folder; None: settings.rules, else the project's.
    changed_since: a git revision; only findings that involve a file changed since it.
    write_baseline: record the current findings in this file, then report as if it were
        settings.baseline.
    Warnings (undecodable files, cache trouble, NLI) are in `report.warnings`, not printed.
    The articles read and the settings stay with the report (`report.run`, never in its
    JSON) for `factcheck.report.html.render_run(report)`.
    """
    settings = settings if settings is not None else load_settings()
    drafts, against = list(paths_or_documents), list(against)
    rules = _rules(rules, settings)
    codes = settings.codes  # an unknown code fails before the work
    changed = changed_files(changed_since) if changed_since else None  # so does a bad revision
    warnings: list[str] = list(settings.warnings)
    result = _collect([*drafts, *against], settings, rules, warnings, progress, compare=True)
    warnings += unknown_code_warnings(result.documents, finding_codes())

    # Drafts come first in the combined list, so they keep these display paths.
    draft_paths = _displays(drafts, settings) if against else frozenset()
    scope = draft_paths if against else None
    if changed is not None:
        touched = in_scope([d.path for d in result.documents], changed)
        scope = touched if scope is None else scope & touched
    options = {"codes": codes, "severity": settings.severity, "scope": scope}

    baseline_path = settings.baseline
    notes: list[str] = []
    if write_baseline is not None:
        baseline_path = Path(write_baseline)
        current, _ = filter_findings(result.findings, result.documents, **options)
        notes.append(f"wrote {record_baseline(baseline_path, current)} finding(s) to {baseline_path}")
    baseline = load_baseline(baseline_path) if baseline_path else None
    every = result.findings
    result.findings, stats = filter_findings(result.findings, result.documents, baseline=baseline, **options)
    result.findings = for_editors(result.findings, every, rules)
    result.findings = sort_findings(_nli(result.findings, settings, rules, stats, warnings))
    report = build_report(result, stats, warnings)
    report.notes = notes
    # A large run keeps no sentences: render_run() then leaves out the articles view.
    return report.attach_run(RunInputs(result.documents if result.documents_complete else None, draft_paths, settings))  # type: ignore[arg-type]


def claims_report(
    paths_or_documents: Inputs,
    *,
    settings: Settings | None = None,
    rules: Rules | str | Path | None = None,
    progress: Progress | None = None,
) -> ClaimsReport:
    """Every claim extracted from the articles, with the inputs that could not be read."""
    settings = settings if settings is not None else load_settings()
    warnings: list[str] = list(settings.warnings)
    result = _collect(list(paths_or_documents), settings, _rules(rules, settings), warnings, progress, compare=False)
    return ClaimsReport(
        tool=ToolInfo(version=__version__), claims=result.claims, errors=result.errors, warnings=list(dict.fromkeys(warnings))
    )


def claims(
    paths_or_documents: Inputs,
    *,
    settings: Settings | None = None,
    rules: Rules | str | Path | None = None,
    progress: Progress | None = None,
) -> list[Claim]:
    """Every claim extracted from the articles, normalised (subject, metric, value, period)."""
    return claims_report(paths_or_documents, settings=settings, rules=rules, progress=progress).claims


# --------------------------------------------------------------------------- stages


def _rules(rules: Rules | str | Path | None, settings: Settings) -> Rules | LazyRules:
    if isinstance(rules, (Rules, LazyRules)):
        return rules
    # Lazy: a warm run answered from the cache never parses the rules files.
    return LazyRules(rules if rules is not None else settings.rules)


def _collect(items, settings: Settings, rules, warnings: list[str], progress: Progress | None, *, compare: bool) -> RunResult:
    with _cache(settings, warnings) as cache:
        # `--jobs 1` is the single process that keeps everything in memory; otherwise the
        # local engine streams, and starts a pool only for runs with enough articles to
        # extract (engines.local.AUTO_PARALLEL_MIN). Every engine extracts each article
        # with pipeline.article_claims, so the reports are the same.
        if compare and (settings.engine == "dask" or settings.jobs != 1):
            result = engines.run_check(items, settings, rules, cache, progress, _excluded(settings))
        else:
            result = collect_claims(
                items,
                rules,
                settings.date,
                cache,
                progress,
                _excluded(settings),
                max_file_bytes=settings.max_file_bytes,
                max_sentence_chars=settings.max_sentence_chars,
            )
            if compare:
                result.findings, result.pairs_compared = find_conflicts(result.claims, rules, cache, progress)
    warnings.extend(result.warnings)
    return result


@contextmanager
def _cache(settings: Settings, warnings: list[str]) -> Iterator[StageCache | None]:
    cache = open_cache(settings.cache_path)
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()
            warnings.extend(cache.warnings)


def _excluded(settings: Settings):
    return settings.excluded if settings.exclude else None


def _displays(drafts: list[str | Path | Article], settings: Settings) -> frozenset[str]:
    paths = [str(d) for d in drafts if not isinstance(d, Article)]
    found, _ = discover(paths, _excluded(settings))
    return frozenset([display for _, display in found] + [d.name for d in drafts if isinstance(d, Article)])


def _nli(findings: list[Finding], settings: Settings, rules, stats: dict, warnings: list[str]) -> list[Finding]:
    if settings.nli == "off":
        stats.update(nli=None, nli_reason="disabled (--nli off)")
        return findings
    try:  # optional heavy dependency: the NLI stage (torch, transformers or onnxruntime) may be absent
        from factcheck.nli import NLIUnavailable, apply_nli
    except ImportError as exc:  # the NLI stage is optional; its absence must not stop a check
        if settings.nli == "required":
            raise FactcheckError("--nli required", f"the NLI stage cannot be loaded: {exc}") from None
        stats.update(nli=None, nli_reason=f"unavailable: {exc}")
        return findings
    cache = settings.cache_path
    try:
        findings, nli_stats, nli_warnings = apply_nli(
            findings,
            mode=settings.nli,
            model=settings.nli_model,
            rules_dir=rules.directory,
            cache_path=cache / "nli.sqlite" if cache else None,
        )
    except NLIUnavailable as exc:
        raise FactcheckError("--nli required", str(exc)) from None
    stats.update(nli_stats)
    warnings.extend(nli_warnings)
    return findings
