"""Two figures put in one unit, as intervals, and how far apart their values are.

The link stage's assignment weighs the value level (a figure that agrees with one figure
of the other article rarely conflicts with another of it), and the comparison policies of
factcheck/compare read the same intervals to decide a finding's code. The link
probability itself never sees values: a wrong figure must not hide its own error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace

from factcheck.extract.periods import Relation
from factcheck.models import Claim
from factcheck.rules import Rules
from factcheck.words import WORDS


def _opening(phrases) -> re.Pattern[str]:
    """A figure's text that starts with one of the phrases (none: never)."""
    words = sorted((p.split() for p in phrases), key=len, reverse=True)
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"\s*(?:" + "|".join(r"\s+".join(map(re.escape, w)) for w in words) + r")\b", re.IGNORECASE)


# The close bounds of rules/words.yaml (`close_bounds`). "almost $40 billion", "nearly 10%":
# close to the number and below it.
JUST_BELOW = _opening(WORDS.close_bounds.below)

# "just over $8 billion", "slightly more than 5%": a bound that stays close to its number.
# Read as an open bound it would agree with any larger figure ("$9.5 billion"); it
# reaches as far above the number as "about" reaches either side of it.
JUST_BEYOND = _opening(
    p for kind in ("over", "under") for p in WORDS.qualifiers[kind] if any(p.startswith(w + " ") for w in WORDS.close_bounds.beyond)
)

# "as much as 12%", "up to $4 billion": the most a figure is said to be, often the end
# of a range the writer had in front of them.
UTMOST = _opening(WORDS.close_bounds.utmost)

# How the values of two figures relate, closest first (value_level). The bands are the
# ones a reader tells apart: a rounding or restatement, a few percent, a quarter, more.
# Agreement is split by how many significant digits the coarser figure is written with:
# two different figures of a story rarely agree on "$68.7 billion", often on "5%", as
# Splink weighs agreement on a rare value above agreement on a common one.
VALUE_LEVELS = ("same_precise", "same_2", "same_1", "rounded_precise", "rounded_2", "rounded_1", "hedged", "near", "apart", "far", "scale")
NEAR = 0.06
APART = 0.25
REACH = 10  # an open bound ("over", "up to") covers figures within this factor of its number


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
        if "approx" in (a.claim.qualifier, b.claim.qualifier):
            return False  # "billions of dollars" is an order of magnitude, not a range anyone gave
        metric = self.rules.metric_by_id.get(a.claim.metric or "")
        if metric is not None and metric.time_sensitive:
            return False  # a day's trading range is not a figure anyone gave
        step = max(a.resolution, b.resolution)
        eps = 1e-9 * max(abs(a.raw_hi), abs(b.raw_hi), 1.0)
        if abs(a.raw_lo - b.raw_lo) > step / 2 + eps or abs(a.raw_hi - b.raw_hi) > step / 2 + eps:
            return True
        # "6 to 7%" for "6.5% to 7.5%": each end half a step short of the other's. Rounding
        # half up gives "7 to 8%" and rounding half to even "6 to 8%"; no convention in use
        # moves both ends towards zero.
        coarse, fine = (a, b) if a.resolution >= b.resolution else (b, a)
        ends = [abs(c) - abs(f) for c, f in ((coarse.raw_lo, fine.raw_lo), (coarse.raw_hi, fine.raw_hi))]
        return step > 0 and all(abs(d + step / 2) <= eps for d in ends)

    def within_reach(self) -> bool:
        """An open bound covers the other figure within an order of magnitude of its
        number: "up to $9 billion" is no agreement with "$562", nor "more than $40" a share with
        a valuation in billions, though the bound, read as logic, allows them."""
        for bound, other in ((self.a, self.b), (self.b, self.a)):
            if math.isinf(bound.raw_hi) and abs(other.lo) > REACH * abs(bound.raw_lo) > 0:
                return False
            if math.isinf(bound.raw_lo) and REACH * abs(other.hi) < abs(bound.raw_hi):
                return False
        return True

    def hedge_misses_precision(self) -> bool:
        """A hedged figure ("around 13%") against an exact one ("14%") that its own digits
        do not round to: the hedge says the figure is rounded, not that any nearby figure
        will do. Both are read at the coarser figure's step ("nearly 300 points" is
        rounded to the hundred, and 284.7 rounds to it)."""
        hedged = [s for s in self.sides if s.claim.qualifier == "approx" and s.claim.high is None]
        exact = [s for s in self.sides if s.exact and s.claim.high is None]
        if len(hedged) != 1 or len(exact) != 1 or self.via_fx:
            return False
        step = max(_rounding_step(s.raw_lo, s.resolution) for s in self.sides)
        if step <= 0:
            return False
        return abs(self.a.raw_lo - self.b.raw_lo) > step / 2 * (1 + 1e-9)

    def gap(self) -> float:
        """Distance between the figures as written (0 when they overlap)."""
        return max(0.0, self.b.raw_lo - self.a.raw_hi, self.a.raw_lo - self.b.raw_hi)

    def ratio(self) -> float:
        x, y = abs(self.a.centre), abs(self.b.centre)
        if min(x, y) == 0:
            return math.inf
        return max(x, y) / min(x, y)

    def intervals_overlap(self) -> bool:
        """The intervals share more than a point: "3.4%" and "3.3%" only touch at 3.35%,
        which neither figure rounds to (the pair is near, not a rounding)."""
        eps = 1e-9 * max(abs(self.a.centre), abs(self.b.centre), 1.0)
        return self.a.lo < self.b.hi - eps and self.b.lo < self.a.hi - eps

    def same_as_written(self) -> bool:
        eps = 1e-9 * max(abs(self.a.centre), abs(self.b.centre), 1.0)
        return abs(self.a.raw_lo - self.b.raw_lo) <= eps and abs(self.a.raw_hi - self.b.raw_hi) <= eps


def bare_unit(unit: str) -> str:
    """"USD / share" -> "USD": the quantity's unit without the rate it is written per."""
    return unit.partition(" / ")[0]


def rate_omitted(a: Claim, b: Claim) -> bool:
    """One figure written per something ("$95 a share", "$12.8 billion a quarter") and the
    other in the same currency without it ("pay $95", "profit of $12.8 billion"), or with
    only part of it ("20 cents a share each quarter" and "$0.20 a share"): a writer often
    leaves out what the context makes plain. Whether the two are one quantity is the
    comparisons' question (unit: rate_differs); their values compare as written. Two
    different rates ("a share" and "a month") are no rate left out."""
    shorter, longer = sorted((a.unit, b.unit), key=len)
    return longer.startswith(shorter + " / ")


def is_record_span(claim: Claim) -> bool:
    """A duration that counts back to a record ("a 12-year high"), as extract marks it."""
    return claim.kind == "duration" and claim.evidence.get("metric") == "record"


def as_of(span: Claim, other: Claim, rules: Rules) -> Claim:
    """A record's span counted to the day the other figure's article was published: "the
    highest level in 27 years" written in March 2025 is "in 28 years" by May 2026, so
    the two agree, and two counts of one day do not. Rounded to the span's own step, as a
    writer counts whole years. Any other claim as it is."""
    if (
        not is_record_span(span) or not is_record_span(other)
        or span.published is None or other.published is None or span.published == other.published
    ):
        return span
    days = rules.units.factors("day", span.unit)  # pint's calendar: a year of 365.25 days
    if days is None:
        return span
    step = span.resolution or 1.0
    moved = (other.published - span.published).days * days[0] / days[1]
    return span.model_copy(update={
        "value": round((span.value + moved) / step) * step,
        "high": None if span.high is None else round((span.high + moved) / step) * step,
    })


def days_after(a: Claim, b: Claim) -> int:
    """Days from one date to another (extract/dates.py). A day of no known year ("Oct. 4"
    in an undated article) is placed by its day of the year, the nearer way round."""
    x, y = dt.date.fromordinal(int(a.value)), dt.date.fromordinal(int(b.value))
    if "year" not in a.evidence and "year" not in b.evidence:
        return (y - x).days
    return (y.timetuple().tm_yday - x.timetuple().tm_yday + 182) % 365 - 182


def days_apart(a: Claim, b: Claim) -> int:
    return abs(days_after(a, b))


_TIMES = frozenset({"second", "minute", "hour", "day", "week", "month", "calendar_quarter", "year"})


def _flows_of_two_windows(a: Claim, b: Claim, rules: Rules) -> bool:
    """A result or a statistic given per two different times ("about $4.1 million an hour
    in profit last year", "a quarterly profit of $9.6 billion"): each is its own window's
    total or average, and a quarter's profit is no fourth of its year's. A rent or a fee
    is a rate set in advance, and converts."""
    per_a, per_b = a.unit.partition(" / ")[2], b.unit.partition(" / ")[2]
    if per_a == per_b or per_a not in _TIMES or per_b not in _TIMES:
        return False
    flows = [m for c in (a, b) if (m := rules.metric_by_id.get(c.metric or "")) is not None]
    return any((m.results or m.statistic) and not m.timeless for m in flows)


def pair_facts(a: Claim, b: Claim, relation: Relation, rules: Rules) -> PairFacts | None:
    """Both claims in one unit; None when their units cannot be compared. A rate one of
    them leaves out (rate_omitted) is compared as the unit both share; a record's span is
    counted to the first one's day (as_of), and a day of no known year placed in the
    other's (days_after)."""
    moved = as_of(b, a, rules)
    if a.kind == "date" and b.kind == "date":
        moved = b.model_copy(update={"value": a.value + days_after(a, b)})
    ua, ub = a.unit, b.unit
    if rate_omitted(a, b):
        ua, ub = bare_unit(ua), bare_unit(ub)
    elif _flows_of_two_windows(a, b, rules):
        return None
    if ua == ub:
        fa = fb = 1.0
        unit, via_fx = ua, False
    else:
        common = rules.units.factors(ua, ub)
        if common is None:
            return None
        fa, fb, unit = common
        via_fx = bare_unit(ua) != bare_unit(ub)
    sa, sb = _side(a, fa, rules), _side(moved, fb, rules)
    if moved is not b:
        sb = replace(sb, claim=b)  # its interval as of a's day; the figure as written for the message
    if via_fx:
        tol = rules.units.fx_tolerance
        sa = Side(a, sa.lo - abs(sa.centre) * tol, sa.hi + abs(sa.centre) * tol, sa.centre, sa.resolution, sa.raw_lo, sa.raw_hi)
    return PairFacts(sa, sb, relation, unit, via_fx, rules)


def value_level(facts: PairFacts) -> str:
    """How the two values relate (VALUE_LEVELS): the same as written; one a rounding of
    the other (both exact, their intervals overlap); a hedge, bound or range that covers the
    other (an open bound within REACH times its number); within NEAR or APART of each
    other; a power of ten apart (a scale slip or a rate); or further. Two days
    (extract/dates.py) are the same, near (a few days apart: one period's end written two
    ways) or far (two periods' ends), whatever their ordinals' ratio."""
    if facts.a.claim.kind == "date":
        days = days_apart(facts.a.claim, facts.b.claim)
        return "same_precise" if days == 0 else "near" if days <= facts.rules.policy.thresholds.period_end_days else "far"
    if facts.same_as_written() or facts.intervals_overlap():
        if facts.same_as_written():
            return "same_" + _specificity(facts)
        if facts.a.exact and facts.b.exact:
            return "rounded_" + _specificity(facts)
        if facts.within_reach():
            return "hedged"
    ratio = facts.ratio()
    if math.isinf(ratio):
        return "far"
    if ratio - 1 <= NEAR:
        return "near"
    if ratio - 1 <= APART:
        return "apart"
    tolerance = facts.rules.policy.thresholds.slip_tolerance
    k = round(math.log10(ratio))
    if k >= 1 and abs(ratio / 10**k - 1) <= tolerance and _same_digits(facts, k):
        return "scale"
    return "far"


def _same_digits(facts: PairFacts, k: int) -> bool:
    """"$30 million" against "$30 billion", "NOK 42bn" against "NOK 4.2bn": the figures
    write the same digits a power of ten apart, which is how a scale word slips. Two
    unrelated figures near a power of ten apart ("5%" against "49%", "$2.7 billion"
    against "$27.6 billion") do not, and a figure of one significant digit matches too
    much to tell; a conversion between currencies never keeps the digits. A slip moves
    the point by a scale word (a thousand, a million) or a place or two, not further."""
    if facts.via_fx or k > 6:
        return False  # a price a share against a company's value is no slip of a scale word
    written = [digits_of(s.claim.value, s.claim.resolution) for s in facts.sides]
    if any(d is None or len(d.strip("0")) == 0 for d in written) or min(len(d.lstrip("0")) for d in written) < 2:  # type: ignore[union-attr]
        return False
    small, big = sorted(facts.sides, key=lambda s: abs(s.centre))
    scale = 10.0**k
    lo, hi = (abs(small.raw_lo) - small.resolution / 2) * scale, (abs(small.raw_hi) + small.resolution / 2) * scale
    big_lo, big_hi = abs(big.raw_lo) - big.resolution / 2, abs(big.raw_hi) + big.resolution / 2
    eps = 1e-9 * max(hi, big_hi, 1.0)
    return lo < big_hi - eps and big_lo < hi - eps


def agreeing(level: str) -> str:
    """The level without its specificity: "same", "rounded" or the level itself."""
    return level.rpartition("_")[0] if level.startswith(("same_", "rounded_")) else level


def _specificity(facts: PairFacts) -> str:
    """"precise" (three significant digits or more), "2" or "1": of the coarser figure."""
    digits = [len(d.lstrip("0")) for d in (digits_of(s.claim.value, s.claim.resolution) for s in facts.sides) if d]
    least = min(digits, default=1)
    return "precise" if least >= 3 else str(max(least, 1))


def _side(claim: Claim, factor: float, rules: Rules) -> Side:
    value = claim.value * factor
    high = claim.high * factor if claim.high is not None else None
    res = (claim.resolution or 0.0) * abs(factor)
    half = res / 2
    q = claim.qualifier
    if high is not None:
        lo, hi = min(value, high) - half, max(value, high) + half
    elif q in ("over", "under") and JUST_BEYOND.match(claim.text):
        slack = max(half, abs(value) * rules.policy.thresholds.approx_tolerance)
        lo, hi = (value, value + slack) if q == "over" else (value - slack, value)
    elif q in ("over", "at_least"):
        lo, hi = value - (half if q == "at_least" else 0.0), math.inf
    elif q in ("under", "up_to"):
        lo, hi = -math.inf if value < 0 else 0.0, value + (half if q == "up_to" else 0.0)
    elif q == "approx":
        share = abs(value) * rules.policy.thresholds.approx_tolerance
        # "nearly 30,000" is rounded to the ten thousand: it covers 28,000, though that is
        # more than the share away; never more than twice the share ("about 2,000" is no 1,600)
        slack = max(half, share, min(_rounding_step(value, res) / 2, 2 * share))
        lo, hi = value - slack, value + slack
        if JUST_BELOW.match(claim.text):
            # "almost $60 billion" is short of it: the slack lies below the figure only
            lo, hi = (value - slack, value + half) if value >= 0 else (value - half, value + slack)
    else:
        lo, hi = value - half, value + half
    centre = (value + high) / 2 if high is not None else value
    if high is not None:
        raw = (min(value, high), max(value, high))
    elif q in ("over", "under") and JUST_BEYOND.match(claim.text):
        raw = (value, value)
    elif q in ("over", "at_least"):
        raw = (value, math.inf)
    elif q in ("under", "up_to"):
        raw = (-math.inf, value)
    else:
        raw = (value, value)
    return Side(claim, lo, hi, centre, res, *raw)


def _rounding_step(value: float, res: float) -> float:
    """The step a whole number is rounded to, trailing zeros included: 30,000 to the ten
    thousand, 725 to the unit."""
    digits = digits_of(value, res)
    if digits is None or digits.strip("0") == "":
        return res
    return res * 10 ** (len(digits) - len(digits.rstrip("0")))


def digits_of(value: float, step: float | None) -> str | None:
    """The digits of a figure as written, from its value and the step of its last digit."""
    if not step or step <= 0 or not math.isfinite(value) or abs(value) / step > 1e15:
        return None
    n = round(abs(value) / step)
    if abs(n * step - abs(value)) > step * 1e-6:
        return None
    return str(n)
