"""What every comparison policy sees: a pair of claims put in one unit, as intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from factcheck.models import Claim, Period
from factcheck.periods import Relation, describe
from factcheck.rules import Rules

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


class Consistent(Enum):
    """Returned by a policy that has decided the pair agrees: stop, report nothing."""

    YES = "consistent"


@dataclass(frozen=True)
class Side:
    """One claim as an interval in the pair's common unit."""

    claim: Claim
    lo: float
    hi: float
    centre: float
    resolution: float
    raw_lo: float  # the figure as written, before any rounding or approximation slack
    raw_hi: float

    @property
    def exact(self) -> bool:
        return self.claim.qualifier == "exact"


@dataclass(frozen=True)
class PairFacts:
    a: Side
    b: Side
    relation: Relation
    unit: str
    via_fx: bool
    rules: Rules

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.a, self.b

    def intervals_meet(self, slack: float = 0.0) -> bool:
        eps = 1e-9 * max(abs(self.a.centre), abs(self.b.centre), 1.0)
        return self.a.lo - slack <= self.b.hi + eps and self.b.lo - slack <= self.a.hi + eps

    def gap(self) -> float:
        """Distance between the figures as written (0 when they overlap)."""
        return max(0.0, self.b.raw_lo - self.a.raw_hi, self.a.raw_lo - self.b.raw_hi)

    def ratio(self) -> float:
        x, y = abs(self.a.centre), abs(self.b.centre)
        if min(x, y) == 0:
            return math.inf
        return max(x, y) / min(x, y)


def window_days(period: Period | None) -> int | None:
    if period is None:
        return None
    if period.start and period.end:
        return (period.end - period.start).days + 1
    if period.length_days:
        return period.length_days
    if period.weekdays:
        return len(period.weekdays)
    return {"day": 1, "week": 7}.get(period.granularity)


_LONG = {"month", "quarter", "half", "year", "ytd", "range"}


def window_class(period: Period | None, short_days: int) -> str | None:
    """"short" (a day, a few sessions, a week) or "long" (a month and up); None if unknown."""
    if period is None:
        return None
    days = window_days(period)
    if days is not None:
        return "short" if days <= short_days else "long"
    return "long" if period.granularity in _LONG else "short"


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


def period_text(claim: Claim) -> str:
    return describe(claim.period)
