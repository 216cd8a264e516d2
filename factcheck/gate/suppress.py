"""Which findings a run shows and how loud: selected codes, severity overrides and the
inline `<!-- factcheck: ... -->` comments that ingest collects into Document.suppressions.

Suppression is by line, like ruff's `noqa`: a finding is silenced when the line where one
of its claims' sentences starts carries the comment (or the comment stands alone on the
line above it, or inside an off/on region), or the file says `ignore-file`. One claim is
enough: the writer of either article may decide the difference is intended.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.models import Document, Finding

FILE = 0  # the line key ingest uses for `ignore-file`
ANY = "*"


def override_severity(findings: Iterable[Finding], overrides: dict[str, str]) -> list[Finding]:
    """Findings with the team's per-code severity in place of rules/severity.yaml's."""
    return [
        f.model_copy(update={"severity": overrides[f.code]}) if f.code in overrides and overrides[f.code] != f.severity else f
        for f in findings
    ]


def select_codes(findings: list[Finding], codes: frozenset[str]) -> tuple[list[Finding], int]:
    """Findings whose code is selected, and how many were not."""
    kept = [f for f in findings if f.code in codes]
    return kept, len(findings) - len(kept)


def is_suppressed(finding: Finding, suppressions: dict[str, dict[int, list[str]]]) -> bool:
    for claim in finding.claims:
        marks = suppressions.get(claim.path)
        if not marks:
            continue
        for line in (FILE, claim.line):
            codes = marks.get(line, ())
            if ANY in codes or finding.code in codes:
                return True
    return False


def apply_suppressions(findings: list[Finding], documents: Iterable[Document]) -> tuple[list[Finding], int]:
    """Findings no inline comment silences, and how many were silenced."""
    by_path = {d.path: d.suppressions for d in documents if d.suppressions}
    if not by_path:
        return list(findings), 0
    kept = [f for f in findings if not is_suppressed(f, by_path)]
    return kept, len(findings) - len(kept)


def unknown_code_warnings(documents: Iterable[Document], known: Iterable[str]) -> list[str]:
    """A comment naming a code that does not exist silences nothing; say so once per file and code."""
    known = set(known) | {ANY}
    warnings = []
    for doc in documents:
        seen: set[str] = set()
        for line, codes in sorted(doc.suppressions.items()):
            for code in codes:
                if code not in known and code not in seen:
                    seen.add(code)
                    warnings.append(f"{doc.path}:{line}: factcheck comment names unknown code {code!r}")
    return warnings
