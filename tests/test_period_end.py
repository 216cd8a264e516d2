"""The last day of a reporting period, read as a figure and compared across articles
(extract/dates.py): through the whole pipeline, on articles of our own."""

from __future__ import annotations

import factcheck
from factcheck import Article, Settings

SETTINGS = Settings(nli="off", cache=False)


def _article(name: str, body: str, published: str | None = "2025-11-14") -> Article:
    front = f"---\ndate: {published}\n---\n\n" if published else ""
    return Article(text=front + body + "\n", name=name)


FIRST = """# Pellworth Retail lifts sales

Pellworth Retail said net sales rose 4% to $6.8 billion in its third quarter, which ended Oct. 4.

Its shares gained 3% in early trading."""

SECOND_BODY = """# Pellworth Retail results

In the three months ended {day}, Pellworth Retail's net sales reached $6.8 billion, up 4% from a year earlier.

The retailer kept its outlook for the year."""


def _date_findings(*articles: Article):
    report = factcheck.check(list(articles), settings=SETTINGS)
    return [f for f in report.findings if any(c.kind == "date" for c in f.claims)]


def test_one_quarter_ended_on_two_days_is_a_value_conflict():
    found = _date_findings(_article("a.md", FIRST), _article("b.md", SECOND_BODY.format(day="Oct. 2")))
    assert len(found) == 1
    finding = found[0]
    assert finding.code == "FC102"
    assert finding.metric == "period_end"
    assert sorted(c.text for c in finding.claims) == ["Oct. 2", "Oct. 4"]
    assert "2 days apart" in finding.message
    assert finding.link is not None and finding.link.contributions


def test_the_same_day_twice_is_no_finding():
    assert _date_findings(_article("a.md", FIRST), _article("b.md", SECOND_BODY.format(day="Oct. 4"))) == []


def test_the_quarter_before_ends_another_period():
    # three months earlier: the other article's quarter is the one before, not this one misdated
    assert _date_findings(_article("a.md", FIRST), _article("b.md", SECOND_BODY.format(day="July 5"))) == []


def test_a_day_of_no_known_year_meets_a_dated_one_by_its_place_in_the_year():
    found = _date_findings(_article("a.md", FIRST, published=None), _article("b.md", SECOND_BODY.format(day="Oct. 2")))
    assert len(found) == 1
    assert "October 4 vs" in found[0].message or "vs October 4:" in found[0].message


def test_a_day_of_no_known_year_agrees_with_the_same_day_dated():
    # the undated article's "Oct. 4" is the dated article's October 4, 2025
    assert _date_findings(_article("a.md", FIRST, published=None), _article("b.md", SECOND_BODY.format(day="Oct. 4"))) == []


def test_one_day_given_with_and_without_its_year_is_counted_once():
    found = _date_findings(
        _article("a.md", FIRST),
        _article("b.md", SECOND_BODY.format(day="Oct. 2")),
        _article("c.md", SECOND_BODY.format(day="Oct. 2"), published=None),
    )
    assert len(found) == 1
    assert "as given in 3 articles: October 2 (2), October 4 (1)" in found[0].message



def test_two_four_week_windows_a_week_apart_are_two_periods():
    # a rolling average of weekly figures: the window a week earlier ends seven days earlier
    first = _article("a.md", "In Norvian, jobless claims averaged 221,000 over the four weeks ended Nov. 15, the labour ministry said.", "2025-11-20")
    second = _article("b.md", "In Norvian, jobless claims averaged 226,000 over the four weeks ended Nov. 8, the labour ministry said.", "2025-11-20")
    assert _date_findings(first, second) == []
