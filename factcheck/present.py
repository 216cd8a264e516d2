"""How claims, values and periods read in messages and reports: "$1.25 billion", "Q1 2026".

Comparison policies word their messages with these, and report/ shows claims with them,
so both sides of a finding read alike; report/ imports this module, not compare/.
"""

from __future__ import annotations

import datetime as dt
import re

from factcheck.models import Claim, LinkExplanation, Period
from factcheck.extract.periods import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    annual_window,
    half_window,
    month_end,
    quarter_window,
    window,
    year_window,
)

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


# Unit names of rules/units.txt as an editor writes them.
_UNIT_WORDS = {"calendar_quarter": "quarter", "oil_barrel": "barrel", "index_point": "points", "basis_point": "basis points"}


def _unit_words(unit: str) -> str:
    return _UNIT_WORDS.get(unit, unit.replace("_", " "))


def human_value(value: float, unit: str) -> str:
    """1.25e9 USD -> "$1.25 billion"; 9.84 percent -> "9.84%"."""
    if unit == "date":  # a day's ordinal (extract/dates.py)
        day = dt.date.fromordinal(int(value))
        return f"{day:%B} {day.day}, {day.year}"
    base, _, per = unit.partition(" / ")
    per = _unit_words(per)
    if base == "percent":
        text = f"{value:g}%"
    elif base == "percentage_point":
        text = f"{value:g} percentage points"
    elif base == "multiple":
        text = f"{value:g}x"
    else:
        magnitude, word = value, ""
        for size, name in _SCALES:
            if abs(value) >= size:
                magnitude, word = value / size, " " + name
                break
        number = f"{magnitude:,.4f}".rstrip("0").rstrip(".")
        if base in _SYMBOLS:
            text = f"{_SYMBOLS[base]}{number}{word}"
        elif base in ("count", "dimensionless", ""):
            text = f"{number}{word}"
        else:
            text = f"{number}{word} {_unit_words(base)}"
    if not per:
        return text
    return f"{text} {'an' if per[0] in 'aeiou' else 'a'} {per}"


# "25 basis points", "12bp", "40 bps": the text says basis points where the unit is the
# percentage point, and an editor reads the figure as it was written.
_BASIS_POINTS = re.compile(r"\d\s*(?:basis[\s-]+points?|bps?)\b", re.IGNORECASE)


def day_in_year(value: float) -> str:
    """A date's ordinal as its month and day, its year left out: "October 4"."""
    day = dt.date.fromordinal(int(value))
    return f"{day:%B} {day.day}"


def _written_value(claim: Claim, value: float) -> str:
    if claim.kind == "date" and "year" in claim.evidence:
        return day_in_year(value)  # of no known year (extract/dates.py)
    if claim.unit == "percentage_point" and _BASIS_POINTS.search(claim.text):
        basis = round(value * 100, 6)
        return f"{basis:g} basis point{'' if basis == 1 else 's'}"
    return human_value(value, claim.unit)


def describe_claim(claim: Claim) -> str:
    q = {"exact": "", "approx": "about ", "over": "over ", "at_least": "at least ", "under": "under ", "up_to": "up to "}
    if claim.high is not None:
        value = f"{_written_value(claim, claim.value)} to {_written_value(claim, claim.high)}"
    else:
        value = q.get(claim.qualifier, "") + _written_value(claim, claim.value)
    if claim.direction:
        value = ("up " if claim.direction == "up" else "down ") + value
    return value


def _weekday_text(days: tuple[int, ...]) -> str:
    if len(days) == 1:
        return WEEKDAY_NAMES[days[0]]
    return f"{WEEKDAY_NAMES[days[0]]}–{WEEKDAY_NAMES[days[-1]]}"


def describe_period(p: Period | None) -> str:
    """Short human text for messages: "2026-07-01", "Q1 2026", "July 1 (year unknown)"."""
    if p is None:
        return "unknown period"
    w = window(p)
    g = p.granularity
    if w is not None:
        s, e = w
        q = s.month // 3 + 1
        if g == "quarter" and s.month % 3 == 1 and (s, e) == quarter_window(s.year, q):
            return f"Q{q} {s.year}"
        if g == "half" and s.month in (1, 7) and (s, e) == half_window(s.year, s.month // 6 + 1):
            return f"H{s.month // 6 + 1} {s.year}"
        if g == "year" and (s, e) == year_window(s.year):
            return str(s.year)
        if g == "month" and s.day == 1 and e == month_end(s.year, s.month):
            return f"{MONTH_NAMES[s.month - 1]} {s.year}"
        if g == "ytd":
            return f"{s.isoformat()}..{e.isoformat()} (year to date)"
        if s == e:
            return s.isoformat()
        return f"{s.isoformat()}..{e.isoformat()}"
    if p.month is not None:
        month = MONTH_NAMES[p.month - 1]
        if g == "day" and p.day:
            prefix = f"{_weekday_text(p.weekdays)}, " if p.weekdays else ""
            return f"{prefix}{month} {p.day} (year unknown)"
        if g == "month":
            return f"{month} (year unknown)"
        if g == "quarter":
            return f"Q{(p.month - 1) // 3 + 1} (year unknown)"
        if g == "half":
            return f"H{(p.month - 1) // 6 + 1} (year unknown)"
        aw = annual_window(p, 2001)
        if aw is not None:
            s, e = aw
            first = f"{month} {p.day}" if p.day else month
            last = f"{MONTH_NAMES[e.month - 1]} {e.day}" if p.day else MONTH_NAMES[e.month - 1]
            return f"{first}–{last} (year unknown)"
    if p.weekdays:
        return f"{_weekday_text(p.weekdays)} (date unknown)"
    if p.length_days:
        return f"{p.length_days}-day window (dates unknown)"
    return f"{p.text} (date unknown)"


def describe_metric(metric: str | None, label: str | None = None) -> str | None:
    """What a figure measures, in words: the rules' label, else the id read as words
    ("open:recalled vehicles" -> "recalled vehicles", "share_move" -> "share move")."""
    if label:
        return label
    if metric is None:
        return None
    return metric.removeprefix("open:").replace("_", " ")


# How each level of each link comparison reads (factcheck/link/comparisons.py): the ids
# stay in the JSON report's link.contributions; people read these. A level missing here
# still reads as words (see link_words), and a test lists every level the link stage has.
LINK_WORDS: dict[tuple[str, str], str] = {
    # not a comparison: the article tells its story twice, and these are one figure's two tellings
    ("told_twice", "retold"): "the article tells this twice",
    ("subject", "same_in_sentence"): "same subject, named in both sentences",
    ("subject", "same_inferred"): "same subject",
    ("subject", "alias"): "same subject under another name",
    ("subject", "each_names_other"): "two companies each sentence names",
    ("subject", "one_names_other"): "two companies, one sentence names both",
    ("subject", "one_unknown"): "subject named for one figure only",
    ("subject", "both_unknown"): "no subject named",
    ("subject", "country_vs_other"): "an economy against a company",
    ("subject", "different_inferred"): "different subjects",
    ("subject", "different_in_sentence"): "different subjects, named in both sentences",
    ("subject", "other_has_own_figure"): "the other company has its own figure beside this one",
    ("metric", "same"): "same measure",
    ("metric", "same_inferred"): "same measure, read from the context",
    ("metric", "one_qualified"): "same measure, narrowed for one figure only",
    ("metric", "segment_differs"): "same measure, another segment",
    ("metric", "basis_differs"): "same measure, another basis",
    ("metric", "same_family"): "related measures",
    ("metric", "one_unknown_named"): "measure unclear for one figure, named in its sentence",
    ("metric", "one_unknown"): "measure unclear for one figure",
    ("metric", "both_unknown"): "measure unclear for both",
    ("metric", "different"): "different measures",
    ("change_or_level", "both_change"): "both are changes",
    ("change_or_level", "both_level"): "both are levels",
    ("change_or_level", "change_vs_level"): "a change against a level",
    ("period", "same"): "same period",
    ("period", "same_inferred"): "same period, read from the context",
    ("period", "compatible"): "periods that fit together",
    ("period", "compatible_inferred"): "periods that fit together, read from the context",
    ("period", "overlap"): "overlapping periods",
    ("period", "one_unknown"): "period unknown for one figure",
    ("period", "both_unknown"): "periods unknown",
    ("period", "unknown"): "periods that may differ",
    ("period", "disjoint"): "different periods",
    ("session", "same"): "same part of the trading day",
    ("session", "one_unknown"): "time of day unknown for one figure",
    ("session", "both_unknown"): "time of day unknown",
    ("session", "different"): "different parts of the trading day",
    ("forecast", "both_actual"): "both reported, not forecast",
    ("forecast", "both_forecast"): "both forecasts",
    ("forecast", "forecast_vs_actual"): "a forecast against a reported figure",
    ("attribution", "same"): "same source quoted",
    ("attribution", "both_none"): "no source quoted",
    ("attribution", "one_none"): "a source quoted for one figure only",
    ("attribution", "different"): "different sources quoted",
    ("poll", "same"): "one poll's estimates",
    ("poll", "one_unnamed"): "one estimate's poll unnamed",
    ("poll", "both_unnamed"): "estimates of unnamed polls",
    ("poll", "different"): "two polls' estimates",
    ("poll", "not_polls"): "not two estimates of the Street",
    ("scope", "both_none"): "no group named",
    ("scope", "same"): "same group of companies",
    ("scope", "one_none"): "a group named for one figure only",
    ("scope", "different"): "different groups of companies",
    ("offer", "same"): "same bidder",
    ("offer", "no_bidder"): "no bidder named",
    ("offer", "unknown"): "bidder unclear",
    ("offer", "different"): "different bidders",
    ("unit", "same"): "same unit",
    ("unit", "converted"): "converted to one currency or unit",
    ("unit", "rate_differs"): "a rate against a total",
    ("shape", "both_points"): "both single figures",
    ("shape", "one_bound"): "one figure a bound",
    ("shape", "both_bounds"): "both bounds",
    ("shape", "range_vs_point"): "a range against a single figure",
    ("shape", "both_ranges"): "both ranges",
    ("articles", "same_day"): "published the same day",
    ("articles", "within_2_days"): "published within 2 days",
    ("articles", "within_2_weeks"): "published within 2 weeks",
    ("articles", "date_unknown"): "publication date unknown",
    ("articles", "further_apart"): "published more than 2 weeks apart",
    ("articles", "same_article"): "both in one article",
    ("sentence_words", "identical"): "the same sentence",
    ("sentence_words", "most"): "sentences share most words",
    ("sentence_words", "much"): "sentences share many words",
    ("sentence_words", "some"): "sentences share some words",
    ("sentence_words", "little"): "sentences share few words",
    ("sentence_words", "none"): "sentences share no words",
    ("words_near", "most"): "most words beside the figures shared",
    ("words_near", "much"): "many words beside the figures shared",
    ("words_near", "some"): "some words beside the figures shared",
    ("words_near", "little"): "few words beside the figures shared",
    ("words_near", "none"): "no words beside the figures shared",
    ("base_period", "none"): "neither figure dated before its article's latest",
    ("base_period", "earlier"): "one figure undated, the other from before its article's latest",
    ("neighbour_word", "same_after"): "same word right after each figure",
    ("neighbour_word", "same_before"): "same word right before each figure",
    ("neighbour_word", "crossed"): "same word beside each figure",
    ("neighbour_word", "none"): "different words beside the figures",
    ("subject_evidence", "both_own"): "subject named in both sentences",
    ("subject_evidence", "own_and_inferred"): "subject named in one sentence, read from the context in the other",
    ("subject_evidence", "both_inferred"): "subject read from the context for both",
    ("subject_evidence", "one_missing"): "subject missing for one figure",
    ("metric_evidence", "both_own"): "measure named in both sentences",
    ("metric_evidence", "own_and_inferred"): "measure named in one sentence, read from the context in the other",
    ("metric_evidence", "both_inferred"): "measure read from the context for both",
    ("metric_evidence", "one_missing"): "measure missing for one figure",
    ("neighbours", "one_agrees"): "another figure of the two sentences given alike",
    ("neighbours", "none"): "no other figure in one sentence",
    ("neighbours", "unlike"): "the sentences' other figures of different kinds",
    ("neighbours", "all_differ"): "the sentences' other figures all different",
    ("value", "same_precise"): "the same value as written, to three digits or more",
    ("value", "same_2"): "the same value as written, to two digits",
    ("value", "same_1"): "the same value as written, to one digit",
    ("value", "rounded_precise"): "one a rounding of the other, to three digits or more",
    ("value", "rounded_2"): "one a rounding of the other, to two digits",
    ("value", "rounded_1"): "one a rounding of the other, to one digit",
    ("value", "hedged"): "a bound or range that covers the other",
    ("value", "near"): "values within 6%",
    ("value", "apart"): "values within 25%",
    ("value", "far"): "values far apart",
    ("value", "scale"): "values a power of ten apart",
}


def link_words(comparison: str, level: str) -> str:
    """One comparison's level in words; one the table lacks reads as its ids in words."""
    words = LINK_WORDS.get((comparison, level))
    if words is None:
        words = f"{comparison} {level}".replace("_", " ")
    return words


def describe_link(link: LinkExplanation, top: int = 4) -> str:
    """The link's largest contributions in words, then its probability: for the text and
    html reports (the JSON keeps the comparison and level ids)."""
    parts = " · ".join(f"{link_words(c.comparison, c.level)} {c.weight:+.1f}" for c in link.contributions[:top])
    return f"{parts} → {link.probability:.2f}" if parts else f"{link.probability:.2f}"
