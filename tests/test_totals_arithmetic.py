"""FC202 price x count and FC203 parts and whole: registered like FC201, reported by every
local engine, and their YAML tables (tests/cases/arithmetic/FC202.yml, FC203.yml, run by
test_change_arithmetic.py) half consistent each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import yaml_cases

from factcheck import api
from factcheck.codes import finding_codes

CASES = Path(__file__).parent / "cases" / "arithmetic"


@pytest.mark.parametrize(("code", "kind"), [("FC202", "price_times_count"), ("FC203", "parts_and_whole")])
def test_code_is_registered(code: str, kind: str):
    found = finding_codes()[code]
    assert found.kind == kind and found.default_severity == "error"
    assert "Anti-pattern" in found.explanation and "Best practice" in found.explanation


@pytest.mark.parametrize("code", ["FC202", "FC203"])
def test_cases_half_consistent(code: str):
    cases = [case for rule, case in (p.values for p in yaml_cases(CASES)) if rule == code]
    consistent = sum(case["expect"] is None for case in cases)
    assert len(cases) >= 30 and abs(consistent * 2 - len(cases)) <= 4


def test_check_reports_fc202_and_fc203_in_every_local_engine(tmp_path: Path):
    (tmp_path / "a.md").write_text(
        "Nordhaven sold 8 million shares at $21 each, raising $1.7 billion.\n\n"
        "Apple, Samsung and Xiaomi hold 45%, 38% and 30% of the market.\n",
        encoding="utf-8",
    )
    for jobs in (1, 2):
        report = api.check([str(tmp_path)], settings=api.Settings(jobs=jobs, nli="off", cache=False))
        assert sorted((f.code, f.severity) for f in report.findings) == [("FC202", "error"), ("FC203", "error")], jobs


def test_ignore_drops_them(tmp_path: Path):
    (tmp_path / "a.md").write_text("Nordhaven sold 8 million shares at $21 each, raising $1.7 billion.\n", encoding="utf-8")
    report = api.check([str(tmp_path)], settings=api.Settings(jobs=1, nli="off", cache=False, ignore=("FC202",)))
    assert report.findings == []
