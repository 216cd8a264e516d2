"""Dates that are claims of their own: the last day of a reporting period.

"In the quarter ended Oct. 4, Halvern's sales rose ..." and "Halvern's sales in the three
months ended Oct. 2" are two accounts of one quarter that cannot both be right: a
company's quarter ends on one day. Such a date is read as a figure (kind "date", metric
`period_end` of rules/metrics.yaml), its value the day's ordinal, so that the link stage
pairs it with another article's date as it pairs two revenue figures, and the comparison
stage reports two different days (compare/unrelated.py: days further apart than
`period_end_days` of rules/severity.yaml are the ends of two periods, the quarter before
or the year before).

Only a day is read ("the quarter ended Oct. 4", "the year ending Jan. 31, 2026", "its
second quarter, which ended on July 4"): a month ("the year ended March
2022") names a period, not the day it ends on, and another account's "March 31" restates it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from factcheck.extract.periods import TimeMention, add_months, safe_date

# A period noun, then (within the clause: "the second quarter of fiscal 2027, which") the
# verb that ends it, right before the date. "closed" is left out: "shares closed on Friday".
# "the half-year to June 30", "the nine months through Sept. 30": "to" and "through" end a
# period only right after its noun ("rose to", "from May to June 30" end none).
_PERIOD_NOUN = r"\b(?:quarter|period|year|half|half-year|months|weeks|fiscal\s+(?:19|20)\d\d)\b"
_ENDS_BEFORE = re.compile(
    rf"{_PERIOD_NOUN}(?:[^.;:!?()]{{0,40}}?\b(?:ended|ending|ends|concluded)|\s+(?:to|through))\s+(?:on\s+)?\Z",
    re.IGNORECASE,
)
# Cheap test for a sentence that may hold one (most sentences do not).
HINT = re.compile(rf"\b(?:ended|ending|ends|concluded)\b|{_PERIOD_NOUN}\s+(?:to|through)\b", re.IGNORECASE)
# A day of the month written in the date ("Oct. 4", "4 October 2025"), not a year alone.
_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_PAST = re.compile(r"\b(?:ended|concluded)\s+(?:on\s+)?\Z", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_VERB = re.compile(r"\b(?:ended|ending|ends|concluded|to|through)\s+(?:on\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class PeriodEnd:
    """One period's last day as written in a sentence."""

    text: str  # the date as written: "Oct. 4"
    start: int
    end: int
    day: dt.date  # in SAMPLE_YEAR where the text and its article give no year
    year_known: bool


def period_ends(text: str, times: list[TimeMention], published: dt.date | None) -> list[PeriodEnd]:
    """The reporting periods' last days that a sentence writes, from its time mentions
    (periods.find_periods): a day named right after a period noun and its ending verb, or
    the day that closes a period read as "the quarter ended ..."."""
    found = []
    for t in times:
        p = t.period
        last = p.end if p.end is not None else _yearless_end(p)
        if last is None:
            continue
        if p.granularity == "day":
            start = t.start
            if _ENDS_BEFORE.search(text, max(0, start - 80), start) is None:
                continue
        else:
            verb = None
            for verb in _VERB.finditer(t.text):
                pass
            if verb is None or _ENDS_BEFORE.search(text, max(0, t.start + verb.start() - 80), t.start + verb.end()) is None:
                continue
            start = t.start + verb.end()
        written = text[start : t.end]
        if not _DAY.search(written):
            continue
        day = last
        if p.end is not None and published is not None and day > published and _PAST.search(text, max(0, start - 20), start) and not _YEAR.search(written):
            # "the three months ended March 31" in November: the March before, not the
            # nearest one (periods.py places a year-less day nearest the article's date)
            day = add_months(day, -12)
        found.append(PeriodEnd(written, start, t.end, day, p.end is not None))
    return found


# The year a day of no known year is placed in (an undated article's "Oct. 4"): two such
# days, or one and a dated one, compare by their place in the year (link/values.days_after).
SAMPLE_YEAR = 2001


def _yearless_end(p) -> dt.date | None:
    """The last day of a period known without its year: a day ("Oct. 4"), or the window
    periods.py reads in "the quarter ended Oct. 4" (its first day and length)."""
    if p.month is None or p.day is None:
        return None
    first = safe_date(SAMPLE_YEAR, p.month, p.day)
    if first is None:
        return None  # February 29
    if p.granularity == "day":
        return first
    return first + dt.timedelta(days=p.length_days - 1) if p.length_days else None
