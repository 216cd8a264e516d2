"""FC201 change arithmetic on real sentences, through the real spaCy parse: one YAML table
of cases (tests/cases/arithmetic/FC201.yml), consistent and not."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import yaml_cases

from factcheck import api
from factcheck.codes import finding_codes
from factcheck.pipeline import article_findings
from factcheck.rules import load_rules

CASES = Path(__file__).parent / "cases" / "arithmetic"


def _cases():
    return yaml_cases(CASES)


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_change_arithmetic_case(rule: str, case: dict, tmp_path: Path):
    article = tmp_path / "article.md"
    article.write_text(case["text"] + "\n", encoding="utf-8")
    findings = [f for f in article_findings(api.claims([str(article)]), load_rules()) if f.code == rule]
    if case["expect"] is None:
        assert findings == [], [f.message for f in findings]
        return
    assert [f.severity for f in findings] == [case["expect"]], [f.message for f in findings]
    finding = findings[0]
    assert finding.link is None and len(finding.claims) >= 2
    assert all(c.sentence == case["text"] for c in finding.claims)
    if "message" in case:
        assert case["message"] in finding.message


def test_cases_half_consistent():
    cases = [case for _, case in (p.values for p in _cases())]
    consistent = sum(case["expect"] is None for case in cases)
    assert len(cases) >= 30 and consistent * 2 >= len(cases) - 2 and consistent * 2 <= len(cases) + 2


def test_fc201_is_registered():
    code = finding_codes()["FC201"]
    assert code.kind == "change_arithmetic" and code.default_severity == "error"
    assert "Anti-pattern" in code.explanation and "Best practice" in code.explanation


def test_check_reports_fc201_in_every_local_engine(tmp_path: Path):
    (tmp_path / "a.md").write_text("Harbor Lines said revenue rose 18% to $6.3 billion from $5.6 billion.\n", encoding="utf-8")
    for jobs in (1, 2):
        report = api.check([str(tmp_path)], settings=api.Settings(jobs=jobs, nli="off", cache=False))
        assert [(f.code, f.severity) for f in report.findings] == [("FC201", "error")], jobs
