"""FC101 scale mismatch: the same figure a factor of ten or more apart.

Anti-pattern
    "a monthly rent of $1.25 billion" / "a monthly rent of $47.55M"

Best practice
    A million/billion slip, a monthly rate stated as an annual total, or a wrong currency
    is an error a reader will catch: check the source figure and its unit.

Applies to money, counts and physical quantities (a 1% move vs a 12% move is a value
conflict, not a unit slip). It fires even when the periods are unknown: no difference of
days makes a rent 26 times larger. NLI scores never lower it.
"""

from __future__ import annotations

from factcheck.compare.base import PairFacts, describe_claim


class ScaleMismatch:
    code = "FC101"
    kind = "scale_mismatch"
    name = "scale mismatch"

    def check(self, facts: PairFacts):
        a, b = facts.a.claim, facts.b.claim
        if a.kind not in ("money", "count", "physical"):
            return None
        ratio = facts.ratio()
        limits = facts.rules.policy.thresholds
        # Rounded figures blur a clean factor of ten: $47.55M a month is $570.6M a year,
        # 9.99x short of "$5.7 billion a year".
        if ratio < limits.scale_ratio * (1 - limits.approx_tolerance):
            return None
        fx = " after converting currencies with the FX table" if facts.via_fx else ""
        return f"{describe_claim(a)} vs {describe_claim(b)}: {ratio:.0f}x apart{fx}; check the scale (million/billion) and the rate (month/year)"
