"""Two figures written with the same digits, two neighbours swapped, are one figure
mistyped, whatever the period: reported as a value conflict even where the period of one
side is unknown.

Anti-pattern
    "Net profit rose to €518 million." / "It earned €581 million." (no quarter named in
    one of them), reported only as "the periods may differ".

Best practice
    A swap of two neighbouring digits is the commonest slip in copying a figure; two
    figures of three significant digits or more that differ by one is rarely chance.
    Check both against the primary source.
"""

from __future__ import annotations

from factcheck.compare.base import PairFacts, describe_claim
from factcheck.compare.fc102_value import ValueConflict
from factcheck.link.values import digits_of
from factcheck.models import Claim

# Fewer written digits and a swap is too often chance ("1.2%" against "2.1%").
MIN_DIGITS = 3


class TransposedDigits:
    """Runs before the value conflict, to name the slip."""

    code = ValueConflict.code
    kind = ValueConflict.kind
    name = "transposed digits"

    def check(self, facts: PairFacts):
        a, b = facts.a.claim, facts.b.claim
        if facts.via_fx or a.unit != b.unit:
            return None
        if not (a.qualifier == b.qualifier == "exact") or a.high is not None or b.high is not None:
            return None
        if not adjacent_swap(written_digits(a), written_digits(b)):
            return None
        return (
            f"{describe_claim(a)} vs {describe_claim(b)}: the same digits with two neighbours swapped, "
            "a copying slip whatever the period"
        )


def written_digits(claim: Claim) -> str | None:
    """The digits as written, from the value and the step of its last written digit."""
    return digits_of(claim.value, claim.resolution)


def adjacent_swap(x: str | None, y: str | None) -> bool:
    if x is None or y is None or len(x) != len(y) or len(x.rstrip("0")) < MIN_DIGITS or x == y:
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
