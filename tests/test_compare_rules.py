"""Table-driven tests for the comparison policies: one YAML file per finding code, in the
style of sqlfluff's rule fixtures (tests/cases/compare/FC1xx.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factcheck.align import ClaimPair
from factcheck.compare import compare_block, judge_pair
from factcheck.models import Claim, Period
from factcheck.extract.periods import relate

CASES = Path(__file__).parent / "cases" / "compare"


def _cases():
    for path in sorted(CASES.glob("FC*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rule = data.pop("rule")
        for name, case in data.items():
            yield pytest.param(rule, case, id=f"{rule}-{name}")


def _claim(spec: dict, line: int) -> Claim:
    period = spec.get("period")
    if period is not None:
        period = Period(text="test", **{k: tuple(v) if k == "weekdays" else v for k, v in period.items()})
    return Claim(
        path=f"test-{line}.md",
        line=line,
        column=1,
        sentence=f"Kestrel said {spec['text']}.",
        text=spec["text"],
        value=spec["value"],
        high=spec.get("high"),
        resolution=spec.get("res"),
        unit=spec.get("unit", "USD"),
        kind=spec.get("kind", "money"),
        qualifier=spec.get("qualifier", "exact"),
        direction=spec.get("direction"),
        period=period,
        subject="Kestrel Motors",
        metric="revenue",
    )


@pytest.mark.parametrize("rule, case", list(_cases()))
def test_rule_case(rule, case, rules):
    a, b = _claim(case["a"], 1), _claim(case["b"], 2)
    verdict = judge_pair(ClaimPair(a, b, relate(a.period, b.period)), rules)
    code = verdict[0] if verdict else None
    assert code == case["expect"], verdict
    # Order must not matter.
    verdict_ba = judge_pair(ClaimPair(b, a, relate(b.period, a.period)), rules)
    assert (verdict_ba[0] if verdict_ba else None) == case["expect"]


def test_compare_block_one_finding_per_conflicting_pair(rules):
    """An article published twice in one page: each copy conflicts with the third claim;
    the two copies agree and are never put in one finding."""
    spec_a = {"text": "8.8%", "value": 8.8, "res": 0.1, "unit": "percent", "kind": "percent", "direction": "up"}
    spec_b = {"text": "9%", "value": 9, "res": 1, "unit": "percent", "kind": "percent", "direction": "up"}
    block = [_claim(spec_a, 1), _claim(spec_a, 5), _claim(spec_b, 9)]
    findings = compare_block(block, rules)
    assert [f.code for f in findings] == ["FC103", "FC103"]
    assert all(len(f.claims) == 2 and f.severity == "warning" for f in findings)
    assert {c.line for f in findings for c in f.claims if c.text == "9%"} == {9}


def test_finding_id_ignores_line_numbers(rules):
    spec_a = {"text": "$1.25 billion", "value": 1.25e9, "res": 1e7, "unit": "USD / month"}
    spec_b = {"text": "$47.55M", "value": 47.55e6, "res": 1e4, "unit": "USD / month"}
    first = compare_block([_claim(spec_a, 1), _claim(spec_b, 2)], rules)[0]
    moved = [c.model_copy(update={"line": c.line + 10}) for c in (_claim(spec_a, 1), _claim(spec_b, 2))]
    assert compare_block(moved, rules)[0].id == first.id
    edited = _claim(spec_b, 2).model_copy(update={"sentence": "Kestrel said $47.55M, it emerged."})
    assert compare_block([_claim(spec_a, 1), edited], rules)[0].id != first.id


def test_sweep_pairs_only_overlapping_dated_claims():
    """A year of daily moves: only same-day claims are paired, never all pairs."""
    import datetime as dt

    from factcheck.align import candidate_pairs

    def move(day: int, value: float, path: str) -> Claim:
        d = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        return Claim(
            path=path, line=day + 1, column=1, sentence=f"Kestrel fell {value}% on day {day}.", text=f"{value}%",
            value=value, unit="percent", kind="percent", direction="down", subject="Kestrel Motors",
            metric="share_move", period=Period(text="d", granularity="day", start=d, end=d),
        )

    block = [move(day, 1 + day % 7, "a.md") for day in range(365)] + [move(100, 9.9, "b.md")]
    pairs = list(candidate_pairs(block))
    assert [(p.a.period.start, p.b.period.start) for p in pairs] == [(dt.date(2026, 4, 11), dt.date(2026, 4, 11))]


def test_a_conversion_in_brackets_adds_no_finding_of_its_own():
    import factcheck
    from factcheck.gate.config import Settings

    deal = "---\ndate: 2025-03-04\n---\n\nVelmar Energi agreed to buy Norrfjord Wind in a deal that values Norrfjord at NOK 36bn (€3.1bn).\n"
    retold = "---\ndate: 2025-03-04\n---\n\nVelmar Energi's purchase of Norrfjord Wind, valued at NOK 3.6bn, is its largest.\n"
    report = factcheck.check(
        [factcheck.Article(text=deal, name="deal.md"), factcheck.Article(text=retold, name="retold.md")],
        settings=Settings(nli="off", cache=False, jobs=1),
    )
    texts = [sorted(c.text for c in f.claims) for f in report.findings]
    assert ["NOK 3.6bn", "NOK 36bn"] in texts, "the scale slip itself is reported"
    assert not any("€3.1bn" in t for t in texts), "the conversion restates NOK 36bn: no second finding"
