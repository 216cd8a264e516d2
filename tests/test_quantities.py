"""find_quantities on the sentences of tests/cases/quantities.yaml, plus its invariants."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from factcheck.models import Document, Sentence
from factcheck.normalize import extract_claims
from factcheck.extract.quantities import (
    _PER_UNITS,
    _FRACTION_UNITS,
    _TIME_UNITS,
    PHYSICAL_UNITS,
    PHYSICAL_WORDS,
    QuantityMention,
    find_quantities,
)
from factcheck.rules import load_rules
from factcheck.units import RATE_UNITS, UnitSystem, load_units

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = Path(__file__).parent / "cases" / "quantities.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
REL_TOL = 1e-9


@pytest.fixture(scope="module")
def units() -> UnitSystem:
    return load_units(ROOT / "rules")


def _close(got: float | None, want: object) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return math.isclose(got, float(want), rel_tol=REL_TOL, abs_tol=1e-12)  # type: ignore[arg-type]


def _describe(mentions: list[QuantityMention]) -> str:
    return "\n".join(
        f"  {m.text!r} value={m.value!r} high={m.high!r} unit={m.unit!r} kind={m.kind} "
        f"qualifier={m.qualifier} rate={m.rate}"
        for m in mentions
    )


def test_enough_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c["sentence"][:60] for c in CASES])
def test_case(case: dict, units: UnitSystem) -> None:
    sentence = case["sentence"]
    got = find_quantities(sentence, units)
    want = case["expected"]
    assert len(got) == len(want), f"expected {len(want)} figures, got:\n{_describe(got)}"
    for g, w in zip(got, want):
        where = f"{g.text!r} in {sentence!r}"
        assert g.text == w["text"], f"text: got:\n{_describe(got)}"
        assert sentence[g.start : g.end] == g.text, where
        assert _close(g.value, w["value"]), f"value {g.value} != {w['value']}: {where}"
        assert _close(g.high, w.get("high")), f"high {g.high} != {w.get('high')}: {where}"
        assert g.unit == w["unit"], where
        assert g.kind == w["kind"], where
        assert g.qualifier == w.get("qualifier", "exact"), where
        assert g.rate == w.get("rate"), where
        if "decimals" in w:
            assert g.decimals == w["decimals"], where
        if "scale_word" in w:
            assert g.scale_word == w["scale_word"], where
        if "alternatives" in w:
            assert list(g.alternatives) == w["alternatives"], where


def test_units_parse_in_pint(units: UnitSystem) -> None:
    """Every unit string the scanner can emit is one pint (with rules/units.txt) knows."""
    emitted = {"count", "percent", "percentage_point", "multiple", "index_point", "gram", "liter"}
    emitted |= {"foot * force_pound"}
    emitted |= set(PHYSICAL_UNITS.values()) | set(PHYSICAL_WORDS.values()) | set(units.currencies)
    emitted |= set(_TIME_UNITS.values()) | set(_FRACTION_UNITS.values())
    emitted |= {f"USD / {per}" for per in _PER_UNITS.values()}
    for unit in emitted:
        units.quantity(1.0, unit)
    for rate in RATE_UNITS.values():
        units.quantity(1.0, f"USD / {rate}")
        units.quantity(1.0, f"hour / {rate}")
        units.quantity(1.0, f"USD / share / {rate}")
    units.quantity(1.0, "oil_barrel / day")


def test_resolution_is_in_canonical_units(units: UnitSystem) -> None:
    (bp,) = find_quantities("Spreads widened 150 bps.", units)
    assert bp.decimals == 0 and math.isclose(bp.resolution, 0.01)
    (money,) = find_quantities("It cost $47.55M.", units)
    assert math.isclose(money.resolution, 1e4)


def test_a_large_whole_number_ending_in_000_may_be_rounded_to_the_thousand(units: UnitSystem) -> None:
    rounded, counted = find_quantities("The carmaker shipped 312,000 trucks, or 311,642 by the registry's count.", units)
    assert math.isclose(rounded.resolution, 1000) and math.isclose(counted.resolution, 1)
    # below ten thousand, or with a scale word or decimals, the last digit written is the step
    small, scaled, decimal = find_quantities("It hired 4,000 staff for $2,000 million, or 12,000.5 hours.", units)
    assert math.isclose(small.resolution, 1) and math.isclose(scaled.resolution, 1e6) and math.isclose(decimal.resolution, 0.1)


def test_no_figures_without_digits_or_number_words(units: UnitSystem) -> None:
    assert find_quantities("", units) == []
    assert find_quantities("Meta shares rose on the announcement.", units) == []


def test_mentions_ordered_and_disjoint(units: UnitSystem) -> None:
    for case in CASES:
        got = find_quantities(case["sentence"], units)
        for a, b in zip(got, got[1:]):
            assert a.end <= b.start, case["sentence"]


def test_prices_per_unit_are_not_amounts(units: UnitSystem) -> None:
    (price,) = find_quantities("Brent crude rose to $87.40 a barrel.", units)
    (amount,) = find_quantities("Brent crude revenue rose to $87.40.", units)
    assert units.to_common(units.quantity(price.value, price.unit), units.quantity(amount.value, amount.unit)) is None
    (eps,) = find_quantities("The REIT lost 63 cents per share.", units)
    assert eps.unit == "USD / share" and math.isclose(eps.value, 0.63)


def test_prefix_only_forms_are_never_read_after_a_number(units: UnitSystem) -> None:
    assert all(m.kind != "money" for m in find_quantities("The coupe has a 300 PS engine.", units))
    assert find_quantities("Sony sold more PS5 consoles.", units) == []
    (pounds,) = find_quantities("Its stake was worth PS21,700.", units)
    assert pounds.unit == "GBP"


@pytest.fixture(scope="module")
def rules():
    return load_rules(None)


def test_only_a_records_span_takes_durations_and_no_word_names_it(rules) -> None:
    """Durations are listed as claims and compared only as the span of a record ("a 41-year
    high of 11.1%", extract/claims.py `_record_spans`): no cue, verb or head noun may give a
    duration a metric, or "in 15 years" would be compared as one."""
    takers = [metric for metric in rules.metrics.metrics if "duration" in metric.kinds]
    assert [metric.id for metric in takers] == [rules.metrics.record_span_metric]
    span = takers[0]
    assert span.kinds == ["duration"]
    assert not (span.cues or span.verbs or span.object_verbs or span.heads or span.movement_verbs or span.country_cues or span.components)


def test_durations_become_claims_without_a_metric(rules) -> None:
    text = (
        "Kestrel Motors cut 2,000 jobs over 18 months, and its power capacity will reach 5 GW "
        "in 15 years under a 10-year plan led by its 58-year-old chief executive."
    )
    doc = Document(path="a.md", sentences=[Sentence(text=text, line=1, column=1, paragraph=0)])
    claims = extract_claims(doc, rules)
    durations = [c for c in claims if c.kind == "duration"]
    # "over 18 months" is a window: periods.py's, and extract.py drops the figure inside it
    assert {"15 years", "10-year", "58-year-old"} <= {c.text for c in durations}
    assert all(c.metric is None for c in durations)
    assert any(c.metric == "power_capacity" and c.unit == "GW" for c in claims)
