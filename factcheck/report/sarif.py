"""SARIF 2.1.0 (`--format sarif`), for GitHub code scanning and other SARIF viewers.

One rule per finding code, with its description and the level this run gives it (rules/
severity.yaml plus the config's overrides). Each result points at its first claim and
lists the other claims as relatedLocations, linked from the message so a viewer can jump
between the articles. Where one article is the odd one out, the message says what to write
instead, and a `fixes` entry replaces the figure when that replacement is certain. partialFingerprints carry the finding id, which survives text
moving to other lines, so code scanning keeps one alert per conflict across commits.

https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from factcheck.codes import finding_codes
from factcheck.models import Claim, Finding, InputError, Report, Suggestion
from factcheck.report.escape import json_text

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "factcheckFindingId/v1"
SRCROOT = "%SRCROOT%"


def _artifact(path: str) -> dict:
    """Relative paths stay relative to the folder factcheck ran in (a repository root in CI)."""
    given = Path(path)
    if given.is_absolute():
        return {"uri": given.as_uri()}
    return {"uri": quote(given.as_posix()), "uriBaseId": SRCROOT}


def _location(path: str, line: int | None, column: int | None = None, **extra: object) -> dict:
    physical: dict = {"artifactLocation": _artifact(path)}
    if line:
        physical["region"] = {"startLine": line, **({"startColumn": column} if column else {})}
    return {"physicalLocation": physical, **extra}


def _claim_location(claim: Claim, **extra: object) -> dict:
    return _location(claim.path, claim.line, claim.column, message={"text": f"“{claim.text}”: {claim.sentence}"}, **extra)


def _rule_name(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _rules(levels: dict[str, str]) -> list[dict]:
    return [
        {
            "id": code.code,
            "name": _rule_name(code.kind),
            "shortDescription": {"text": code.kind.replace("_", " ").capitalize()},
            "fullDescription": {"text": code.summary},
            "help": {"text": code.explanation},
            "defaultConfiguration": {"level": LEVELS[levels.get(code.code, "warning")]},
            "properties": {"tags": ["factcheck", "numbers"]},
        }
        for code in finding_codes().values()
    ]


def _result(finding: Finding, rule_index: dict[str, int]) -> dict:
    first, *others = finding.claims
    links = ", ".join(f"[{c.path}:{c.line}]({i})" for i, c in enumerate(others, start=1))
    result = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message + (f" See also {links}." if links else "")},
        "locations": [_claim_location(first)],
        "partialFingerprints": {FINGERPRINT: finding.id},
        "properties": {"id": finding.id, "subject": finding.subject, "metric": finding.metric},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if others:
        result["relatedLocations"] = [_claim_location(c, id=i) for i, c in enumerate(others, start=1)]
    if finding.nli is not None:
        result["properties"]["nli"] = finding.nli.model_dump(mode="json")
    if finding.suggestion is not None:
        result["message"]["text"] += f" Help: {finding.suggestion.text}."
        result["properties"]["suggestion"] = finding.suggestion.model_dump(mode="json")
        fix = _fix(finding.suggestion)
        if fix is not None:
            result["fixes"] = [fix]
    return result


def _fix(suggestion: Suggestion) -> dict | None:
    """A SARIF fix only where the replacement is certain: factcheck checked the figure's
    place against the file and no conversion or rounding made the new text."""
    region, new = suggestion.fix, suggestion.replacement
    if region is None or new is None:
        return None
    return {
        "description": {"text": f"Write “{new}”, as the other {suggestion.agreeing} articles do"},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(suggestion.figure.path),
                "replacements": [
                    {
                        "deletedRegion": {"startLine": region.line, "startColumn": region.column, "endLine": region.line, "endColumn": region.end_column},
                        "insertedContent": {"text": new},
                    }
                ],
            }
        ],
    }


def _notification(error: InputError) -> dict:
    return {"level": "error", "message": {"text": error.message}, "locations": [_location(error.path, error.line)]}


def build_sarif(report: Report, levels: dict[str, str] | None = None) -> dict:
    rules = _rules(levels or {})
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    return _envelope(report, rules, [_result(f, rule_index) for f in report.findings])


def _envelope(report: Report, rules: list[dict], results: list[dict]) -> dict:
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": report.tool.name,
                        "version": report.tool.version,
                        "semanticVersion": report.tool.version,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [_notification(e) for e in report.errors],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"stats": report.stats.model_dump(mode="json")},
            }
        ],
    }


def _dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


# As in the json report: the run is rendered with no results and each result spliced in,
# so the log is never one string; a raw newline never occurs inside a JSON string.
_EMPTY_RESULTS = '\n      "results": []'
_ITEM = "\n        "  # results sit four levels deep: the log, runs, the run, results


def iter_sarif(report: Report, levels: dict[str, str] | None = None, **_: object) -> Iterator[str]:
    """render_sarif in pieces; "".join of them is exactly render_sarif's text."""
    if not report.findings:
        yield render_sarif(report, levels)
        return
    rules = _rules(levels or {})
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    envelope = _dumps(_envelope(report, rules, []))
    at = envelope.index(_EMPTY_RESULTS) + len(_EMPTY_RESULTS) - 1  # at the "]"
    yield json_text(envelope[: at - 1]) + "["
    sep = _ITEM
    for finding in report.findings:
        yield sep + json_text(_dumps(_result(finding, rule_index)).replace("\n", _ITEM))
        sep = "," + _ITEM
    yield "\n      " + json_text(envelope[at:]) + "\n"


def render_sarif(report: Report, levels: dict[str, str] | None = None, **_: object) -> str:
    return json_text(_dumps(build_sarif(report, levels))) + "\n"
