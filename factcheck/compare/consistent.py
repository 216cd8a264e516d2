"""The gate every pair passes before conflicts are looked for: do the figures agree?

Bounds and ranges agree when they overlap ("over 14%" and "more than 10%"; "$145
billion" and "between $125 billion and $145 billion"); an exact figure agrees with
nothing else: two exact figures that differ only in precision are a rounding (FC103),
and so is a hedged figure against an exact one that does not round to it ("around 13%"
and "14%").
"""

from __future__ import annotations

from factcheck.compare.base import Consistent, PairFacts


class Agreement:
    code = None
    kind = "consistent"
    name = "consistent"

    def check(self, facts: PairFacts):
        if facts.intervals_meet():
            if facts.opposite_bounds():
                return None  # they touch only at the number one says it is below, the other above
            if facts.utmost_and_point():
                return None  # the end of a range against a point inside it: a warning at most
            if facts.ranges_differ():
                return None  # two different ranges for one figure
            a, b = facts.a, facts.b
            if a.exact and b.exact and not facts.via_fx and (a.raw_lo, a.raw_hi) != (b.raw_lo, b.raw_hi):
                # Two exact figures written to different precision ("$48.6 billion" and
                # "$48.61 billion") are one figure rounded: worth a rounding warning, so
                # that an editor quotes one precision. Hedged figures that overlap agree,
                # but for an exact one the hedge's own digits do not round ("around 13%"
                # and "14%": a rounding at most, a hedge excuses no digit).
                return None
            if facts.hedge_misses_precision():
                return None
            return Consistent.YES
        return None
