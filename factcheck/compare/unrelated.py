"""Figures too far apart for any slip to explain are about two different things.

Anti-pattern
    "buying the company for $68.50 cash" / "about $4.5 billion of new equity", or a
    store count of 1,130 against 10 new stores, reported as a scale mismatch.

Best practice
    A writer's slip changes a figure by a scale word (a thousand, a million, a billion),
    by a rate's multiple (per month against per year) or by a digit or two: up to
    `slip_ratio_max` (`count_slip_ratio_max` for counts and physical quantities, which
    have no currency to slip) anything may be a slip; beyond it, only a power of ten is (rates are
    already converted: "$47.55M a month" and "$570 billion a year" are 1,000x apart). Two
    figures 65 million times apart are a price and a total, or a part and a whole: the
    metric was read too broadly, and a report saying "check the scale" of them is noise
    an editor learns to skip.
"""

from __future__ import annotations

import math

from factcheck.compare.base import Consistent, PairFacts
from factcheck.link.values import days_apart


class Unrelated:
    code = None
    kind = "unrelated"
    name = "too far apart to be one figure"

    def check(self, facts: PairFacts):
        if facts.a.claim.kind == "date":
            # the last days of two periods: the quarter before, the year before
            return Consistent.YES if days_apart(facts.a.claim, facts.b.claim) > facts.rules.policy.thresholds.period_end_days else None
        if facts.a.claim.kind not in ("money", "count", "physical"):
            return None
        limits = facts.rules.policy.thresholds
        ratio = facts.ratio()
        # A sum of money can be slipped by a rate or a currency as well as a scale word; a
        # count ("143,000 jobs" against "12,000 jobs") only by a scale word or a digit,
        # measured from the nearest ends of a range ("thousands of" reaches 9,999).
        if facts.a.claim.kind == "money":
            most = limits.slip_ratio_max
        else:
            most, ratio = limits.count_slip_ratio_max, _nearest_ratio(facts, ratio)
        if math.isinf(ratio) or ratio <= most * (1 + limits.approx_tolerance):
            return None
        if _near_power_of_ten(ratio, limits.slip_tolerance):
            return None
        return Consistent.YES


def _nearest_ratio(facts: PairFacts, centres: float) -> float:
    lo_a, hi_a, lo_b, hi_b = facts.a.raw_lo, facts.a.raw_hi, facts.b.raw_lo, facts.b.raw_hi
    if not all(map(math.isfinite, (lo_a, hi_a, lo_b, hi_b))) or min(lo_a, lo_b) <= 0:
        return centres
    if lo_a <= hi_b and lo_b <= hi_a:
        return 1.0
    return lo_b / hi_a if lo_b > hi_a else lo_a / hi_b


def _near_power_of_ten(x: float, tolerance: float) -> bool:
    """Within `tolerance` of 10**k: rounded figures blur a clean factor ("$8.4 billion"
    against "$8.35 million" is 1,006x). Kept tight: each window takes its share of every
    decade, and a loose one would let most unrelated ratios through."""
    k = round(math.log10(x))
    return abs(x / 10**k - 1) <= tolerance
