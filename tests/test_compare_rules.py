"""Table-driven tests for the comparison policies: one YAML file per finding code, in the
style of sqlfluff's rule fixtures (tests/cases/compare/FC1xx.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import yaml_cases

from factcheck.compare import RELATIONS, judge
from factcheck.models import Claim, Period

CASES = Path(__file__).parent / "cases" / "compare"


def _cases():
    return yaml_cases(CASES)


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
        metric=spec.get("metric", "revenue"),
        evidence=spec.get("evidence", {}),
        forecast=spec.get("forecast", False),
        published=spec.get("published"),
    )


@pytest.mark.parametrize("rule, case", list(_cases()))
def test_rule_case(rule, case, rules):
    a, b = _claim(case["a"], 1), _claim(case["b"], 2)
    verdict = judge(a, b, rules)
    assert (verdict.code if verdict else None) == case["expect"], verdict
    if "relation" in case:  # the value relation its severity thresholds are keyed by
        assert verdict is not None and verdict.relation == case["relation"] and verdict.relation in RELATIONS
    # Order must not matter.
    verdict_ba = judge(b, a, rules)
    assert (verdict_ba.code if verdict_ba else None) == case["expect"]


def _check(*bodies: str):
    import factcheck
    from factcheck.gate.config import Settings

    articles = [factcheck.Article(text=f"---\ndate: 2026-07-02\n---\n\n{body}\n", name=f"{n}.md") for n, body in enumerate(bodies)]
    return factcheck.check(articles, settings=Settings(nli="off", cache=False, jobs=1)).findings


def test_one_finding_per_quantity_lists_each_copy():
    """An article published twice: each copy conflicts with the third article's figure.
    The three figures state one quantity, so one finding lists them all, headed by a copy
    against the odd figure; it counts how many articles give each figure."""
    copy = "Lumora Chips shares rose 8.8% on Wednesday after the chipmaker raised its outlook."
    findings = _check(copy, copy, "Lumora Chips shares rose 9% on Wednesday after it raised its outlook.")
    assert [f.code for f in findings] == ["FC103"]
    (finding,) = findings
    assert finding.severity == "warning"
    assert sorted((c.path, c.text) for c in finding.claims) == [("0.md", "8.8%"), ("1.md", "8.8%"), ("2.md", "9%")]
    assert "9%" in {c.text for c in finding.claims[:2]}
    assert finding.message.endswith("as given in 3 articles: up 8.8% (2), up 9% (1)")


def test_a_hedge_its_digits_do_not_round_to_is_a_rounding_warning():
    """"around 13%" against "14%": the hedge says the figure is rounded, and 14% does not
    round to 13%. One that does ("about 14%" against 14.3%) agrees."""
    exact = "Shares of Halvern Media surged 14% on Wednesday after the broadcaster agreed to be bought by Norvian."
    findings = _check(exact, "Halvern Media shares surged by around 13% on Wednesday after it agreed to be bought by Norvian.")
    assert [(f.code, f.severity) for f in findings] == [("FC103", "warning")]
    assert {c.text for c in findings[0].claims} == {"14%", "around 13%"}
    assert _check("Shares of Halvern Media surged 14.3% on Wednesday after the broadcaster agreed to be bought by Norvian.",
                  "Halvern Media shares surged by about 14% on Wednesday after it agreed to be bought by Norvian.") == []


def test_finding_id_ignores_line_numbers(rules):
    from factcheck.compare import finding_id

    spec_a = {"text": "$1.25 billion", "value": 1.25e9, "res": 1e7, "unit": "USD / month"}
    spec_b = {"text": "$47.55M", "value": 47.55e6, "res": 1e4, "unit": "USD / month"}
    first = finding_id("FC101", [_claim(spec_a, 1), _claim(spec_b, 2)])
    moved = [c.model_copy(update={"line": c.line + 10}) for c in (_claim(spec_a, 1), _claim(spec_b, 2))]
    assert finding_id("FC101", moved) == first
    edited = _claim(spec_b, 2).model_copy(update={"sentence": "Kestrel said $47.55M, it emerged."})
    assert finding_id("FC101", [_claim(spec_a, 1), edited]) != first


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
