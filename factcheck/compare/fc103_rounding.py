"""FC103 rounding difference: one figure is a rounding or truncation of the other.

Anti-pattern
    "Meta soared 8.81%." / "Meta shares rose 9%."

Best practice
    Quote the same precision, or say "about 9%". A rounded restatement is at most a
    warning: the figures agree to the coarser one's last digit.
"""

from __future__ import annotations

from factcheck.compare.base import PairFacts, describe_claim


class RoundingDifference:
    code = "FC103"
    kind = "rounding_difference"
    name = "rounding difference"

    def check(self, facts: PairFacts):
        if facts.opposite_bounds() or facts.utmost_and_point() or facts.ranges_differ():
            return None
        if any(s.claim.qualifier == "approx" and s.claim.high is not None for s in facts.sides):
            # "millions of users", "about 8 to 10 percent": a hedged span is rounded to
            # nothing, and its coarse step would take "1" for a rounding of "millions"
            return None
        ulps = facts.rules.policy.thresholds.rounding_ulps
        coarse = max(facts.a.resolution, facts.b.resolution)
        if coarse <= 0:
            return None
        a, b = facts.a, facts.b
        if a.exact and b.exact and a.resolution == b.resolution and facts.gap() >= coarse * (1 - 1e-9):
            # "31%" and "32%": written to one precision, neither rounds the other; they
            # could only both round a value exactly halfway between
            return None
        if facts.gap() <= ulps * coarse * (1 + 1e-9):
            a, b = facts.a.claim, facts.b.claim
            return f"{describe_claim(a)} vs {describe_claim(b)}: differ by no more than rounding; quote one precision"
        return None
