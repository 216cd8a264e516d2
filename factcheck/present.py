"""How claims, values and periods read in messages and reports: "$1.25 billion", "Q1 2026".

Comparison policies word their messages with these, and report/ shows claims with them,
so both sides of a finding read alike; report/ imports this module, not compare/.
"""

from __future__ import annotations

from factcheck.models import Claim, Period
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


def human_value(value: float, unit: str) -> str:
    """1.25e9 USD -> "$1.25 billion"; 9.84 percent -> "9.84%"."""
    base, _, per = unit.partition(" / ")
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
            text = f"{number}{word} {base}"
    return f"{text} a {per}" if per else text


def describe_claim(claim: Claim) -> str:
    q = {"exact": "", "approx": "about ", "over": "over ", "at_least": "at least ", "under": "under ", "up_to": "up to "}
    if claim.high is not None:
        value = f"{human_value(claim.value, claim.unit)} to {human_value(claim.high, claim.unit)}"
    else:
        value = q.get(claim.qualifier, "") + human_value(claim.value, claim.unit)
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
