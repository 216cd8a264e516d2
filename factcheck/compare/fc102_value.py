"""FC102 value conflict: same subject, metric and period; the values do not agree.

Anti-pattern
    "Kestrel's first-quarter revenue was $11.2 billion." /
    "Kestrel reported Q1 2026 revenue of $12.9 billion."

Best practice
    One of the two is wrong. Check both against the primary source (filing, exchange data).

The last day of a reporting period is a figure too: "the quarter ended Oct. 4" in one
article and "the three months ended Oct. 2" in another give one quarter two ends, a few days
apart, and one of them is wrong.

Two figures with neighbouring digits swapped ("€518 million" / "€581 million") are
reported under this code even where the period of one is unknown: a swap of two digits is
the commonest slip in copying a figure.
"""

from __future__ import annotations

from factcheck.compare.base import PairFacts, describe_claim, period_text
from factcheck.link.values import days_apart


class ValueConflict:
    code = "FC102"
    kind = "value_conflict"
    name = "value conflict"

    def check(self, facts: PairFacts):
        a, b = facts.a.claim, facts.b.claim
        fx = " (compared through the FX table)" if facts.via_fx else ""
        when = f" for {period_text(a)}" if a.period is not None else ""
        if a.kind == "date":
            days = days_apart(a, b)
            return f"{describe_claim(a)} vs {describe_claim(b)}: {days} day{'s' if days != 1 else ''} apart; a period ends on one day"
        if facts.utmost_and_point() and facts.intervals_meet():
            return (f"{describe_claim(a)} vs {describe_claim(b)}{when}: one gives the most it may be, the other a "
                    f"figure inside that; both may hold, but they describe it differently{fx}")
        if facts.ranges_differ() and facts.intervals_meet():
            return f"{describe_claim(a)} vs {describe_claim(b)}{when}: two different ranges for one figure{fx}"
        if facts.opposite_bounds():
            return f"{describe_claim(a)} vs {describe_claim(b)}{when}: one puts it below that figure, the other above it{fx}"
        return f"{describe_claim(a)} vs {describe_claim(b)}{when}: the values conflict{fx}"
