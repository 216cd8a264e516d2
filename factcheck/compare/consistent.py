"""The gate every pair passes before conflicts are looked for: do the figures agree?

Bounds and ranges agree when they overlap ("over 14%" and "more than 10%"; "$145
billion" and "between $125 billion and $145 billion"); an exact figure agrees with
another written to fewer digits when it rounds to it ("8.81%" and "8.8%").
"""

from __future__ import annotations

from factcheck.compare.base import Consistent, PairFacts


class Agreement:
    code = None
    kind = "consistent"
    name = "consistent"

    def check(self, facts: PairFacts):
        if facts.intervals_meet():
            a, b = facts.a, facts.b
            if a.exact and b.exact and not facts.via_fx:
                # Written to different precision, the coarse figure must be the rounding
                # of the fine one AND close in relative terms: 8.8% vs 8.81% agree, but
                # 9% vs 8.81% is worth a rounding warning.
                coarse, fine = (a, b) if a.resolution >= b.resolution else (b, a)
                rel = abs(coarse.centre - fine.centre) / max(abs(fine.centre), 1e-12)
                if rel > 0.01 and coarse.resolution > fine.resolution:
                    return None
            return Consistent.YES
        return None
