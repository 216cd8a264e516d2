"""The stages wired together for one run over local files.

Each stage is a plain function over plain models, so the same functions can be mapped
over an archive on a distributed engine:

    documents = ingest.load_documents(paths)              # map over files
    claims    = normalize.extract_claims(doc, rules)       # map over documents
    blocks    = align.align_claims(claims)                 # group by Claim.block_key
    findings  = compare.compare_block(block, rules)        # map over blocks
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from factcheck import __version__
from factcheck.align import align_claims
from factcheck.compare import compare_block
from factcheck.ingest import load_documents
from factcheck.models import SEVERITY_RANK, Claim, Document, Finding, InputError, Report, ToolInfo
from factcheck.normalize import extract_claims
from factcheck.rules import Rules


@dataclass
class RunResult:
    documents: list[Document]
    claims: list[Claim]
    findings: list[Finding]
    errors: list[InputError]
    warnings: list[str] = field(default_factory=list)
    pairs_compared: int = 0


def collect_claims(paths: list[str], rules: Rules, default_date: dt.date | None = None) -> RunResult:
    documents, errors = load_documents(paths, default_date=default_date)
    claims: list[Claim] = []
    warnings: list[str] = []
    for doc in documents:
        warnings.extend(doc.warnings)
        claims.extend(extract_claims(doc, rules))
    return RunResult(documents, claims, [], errors, warnings)


def find_conflicts(claims: list[Claim], rules: Rules) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    counters: dict[str, int] = {}
    for _, block in sorted(align_claims(claims).items()):
        findings.extend(compare_block(block, rules, counters))
    pairs = counters.get("pairs", 0)
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.claims[0].path, f.claims[0].line, f.code))
    return findings, pairs


def run_check(paths: list[str], rules: Rules, default_date: dt.date | None = None) -> RunResult:
    result = collect_claims(paths, rules, default_date)
    result.findings, result.pairs_compared = find_conflicts(result.claims, rules)
    return result


def build_report(result: RunResult, extra_stats: dict | None = None) -> Report:
    by_severity = {s: sum(1 for f in result.findings if f.severity == s) for s in ("error", "warning", "info")}
    stats: dict[str, object] = {
        "documents": len(result.documents),
        "claims": len(result.claims),
        "aligned_claims": sum(1 for c in result.claims if c.block_key is not None),
        "pairs_compared": result.pairs_compared,
        "findings": len(result.findings),
        **by_severity,
    }
    stats.update(extra_stats or {})
    return Report(tool=ToolInfo(version=__version__), findings=result.findings, errors=result.errors, stats=stats)
