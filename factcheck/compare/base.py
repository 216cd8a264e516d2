"""What every comparison policy sees: a pair of claims put in one unit, as intervals."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum

from factcheck.models import Claim, Period
from factcheck.extract.periods import Relation
from factcheck.present import describe_claim, describe_period, human_value  # noqa: F401  (policies import them from here)
from factcheck.rules import Rules


class Consistent(Enum):
    """Returned by a policy that has decided the pair agrees: stop, report nothing."""

    YES = "consistent"


# "almost $40 billion", "nearly 10%": close to the number and below it.
JUST_BELOW = re.compile(r"\s*(?:almost|nearly|just\s+(?:under|below|shy\s+of))\b", re.IGNORECASE)


# "as much as 12%", "up to $4 billion": the most a figure is said to be, often the end
# of a range the writer had in front of them.
UTMOST = re.compile(r"\s*(?:up\s+to|as\s+(?:much|many|large|high|low|little)\s+as)\b", re.IGNORECASE)


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

    def opposite_bounds(self) -> bool:
        """"almost $40 billion" and "more than $40 billion", "under 5%" and "over 5%": one
        puts the figure below a number, the other above the same number. Their intervals
        touch at that number, yet both cannot be right."""
        for below, above in ((self.a, self.b), (self.b, self.a)):
            under = below.claim.qualifier == "under" or (below.claim.qualifier == "approx" and JUST_BELOW.match(below.claim.text))
            if under and above.claim.qualifier in ("over", "at_least"):
                eps = 1e-9 * max(abs(below.raw_lo), abs(above.raw_lo), 1.0)
                if abs(below.raw_hi - above.raw_lo) <= eps:
                    return True
        return False

    def utmost_and_point(self) -> bool:
        """"as much as 12%" against "10%": a point inside the other's bound but not at it.
        Both can be true, yet the two articles describe one figure two ways (the end of a
        range and its middle), which an editor wants to see."""
        metric = self.rules.metric_by_id.get(self.a.claim.metric or "")
        if metric is not None and metric.time_sensitive:
            return False  # a market's "as much as 13%" is the day's extreme, another window than the close
        for bound, point in ((self.a, self.b), (self.b, self.a)):
            if bound.claim.qualifier == "up_to" and UTMOST.match(bound.claim.text) and point.exact:
                eps = 1e-9 * max(abs(bound.raw_hi), 1.0)
                if abs(bound.raw_hi - point.raw_hi) > eps and abs(bound.raw_hi - point.raw_lo) > eps:
                    return True
        return False

    def ranges_differ(self) -> bool:
        """"$1.80 to $2.10" against "$1.60 to $1.90": two ranges given for one figure (a
        company's guidance, a forecast band) whose ends differ beyond rounding. They
        overlap, yet both cannot be what the company said."""
        a, b = self.a, self.b
        if a.claim.high is None or b.claim.high is None:
            return False
        metric = self.rules.metric_by_id.get(a.claim.metric or "")
        if metric is not None and metric.time_sensitive:
            return False  # a day's trading range is not a figure anyone gave
        slack = max(a.resolution, b.resolution) / 2 + 1e-9 * max(abs(a.raw_hi), abs(b.raw_hi), 1.0)
        return abs(a.raw_lo - b.raw_lo) > slack or abs(a.raw_hi - b.raw_hi) > slack

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


def period_text(claim: Claim) -> str:
    return describe_period(claim.period)
