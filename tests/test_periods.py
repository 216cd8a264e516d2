"""Table-driven tests for factcheck.extract.periods; the cases live in tests/cases/periods.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck.models import Period
from factcheck.extract.periods import Relation, a_period_back, find_periods, relate
from factcheck.present import describe_period as describe

CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "periods.yaml").read_text(encoding="utf-8")
)
PERIOD_FIELDS = [name for name in Period.model_fields if name != "text"]


def _period(spec: dict[str, Any] | None) -> Period | None:
    if spec is None:
        return None
    return Period(**{"text": "x", **spec})


def _ids(section: str) -> list[str]:
    return [case["id"] for case in CASES[section]]


def test_case_counts() -> None:
    assert len(CASES["find"]) >= 30
    assert len(CASES["relate"]) >= 15
    assert len(set(_ids("find"))) == len(CASES["find"])
    assert len(set(_ids("relate"))) == len(CASES["relate"])


@pytest.mark.parametrize("case", CASES["find"], ids=_ids("find"))
def test_find_periods(case: dict[str, Any]) -> None:
    sentence = case["sentence"]
    got = find_periods(sentence, case["published"])
    assert [m.text for m in got] == [e["text"] for e in case["expect"]]
    previous_end = 0
    for mention, want in zip(got, case["expect"]):
        assert sentence[mention.start : mention.end] == mention.text == mention.period.text
        assert mention.start >= previous_end, "mentions must be ordered and non-overlapping"
        previous_end = mention.end
        if "span" in want:
            assert [mention.start, mention.end] == want["span"]
        # every field not listed must stay unknown: the parser never invents a date
        expected = {name: None for name in PERIOD_FIELDS}
        for name, value in want.get("period", {}).items():
            expected[name] = tuple(value) if name == "weekdays" else value
        assert {name: getattr(mention.period, name) for name in PERIOD_FIELDS} == expected
        if "describe" in want:
            assert describe(mention.period) == want["describe"]


@pytest.mark.parametrize("case", CASES["relate"], ids=_ids("relate"))
def test_relate(case: dict[str, Any]) -> None:
    a, b = _period(case["a"]), _period(case["b"])
    want = Relation(case["expect"])
    assert relate(a, b) is want
    assert relate(b, a) is want, "relate must be symmetric"


@pytest.mark.parametrize("case", CASES["describe"], ids=_ids("describe"))
def test_describe(case: dict[str, Any]) -> None:
    assert describe(_period(case["period"])) == case["expect"]


@pytest.mark.parametrize(
    "granularity, start, end, step, back",
    [
        ("quarter", "2026-07-01", "2026-09-30", "year", ("2025-07-01", "2025-09-30")),
        # a fiscal quarter keeps its own months
        ("quarter", "2021-08-01", "2021-10-31", "year", ("2020-08-01", "2020-10-31")),
        ("month", "2024-02-01", "2024-02-29", "year", ("2023-02-01", "2023-02-28")),
        ("quarter", "2026-04-01", "2026-06-30", "quarter", ("2026-01-01", "2026-03-31")),
        # a year has no previous quarter
        ("year", "2026-01-01", "2026-12-31", "quarter", None),
    ],
)
def test_a_period_back(granularity, start, end, step, back) -> None:
    window = Period(text="the third quarter", granularity=granularity, start=start, end=end)
    found = a_period_back(window, step, "a year earlier")
    if back is None:
        assert found is None
    else:
        assert (found.granularity, found.start.isoformat(), found.end.isoformat(), found.text) == (granularity, *back, "a year earlier")
