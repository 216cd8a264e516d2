"""FC105 direction conflict: one article says the figure rose, another that it fell.

Anti-pattern
    "Kestrel shares rose 3.1% on Wednesday." / "Kestrel shares fell 3.1% on Wednesday."

Best practice
    The same move on the same day has one direction. Check which way the stock closed.

Only pairs whose periods are the same (or compatible) are judged: different days may
well move in opposite directions.
"""

from __future__ import annotations

from factcheck.compare.base import Consistent, PairFacts, describe_claim
from factcheck.extract.periods import Relation


class DirectionConflict:
    code = "FC105"
    kind = "direction_conflict"
    name = "direction conflict"

    def check(self, facts: PairFacts):
        a, b = facts.a.claim, facts.b.claim
        opposite = bool(a.direction and b.direction and a.direction != b.direction)
        if facts.relation not in (Relation.SAME, Relation.COMPATIBLE):
            # A rise and a fall on days we cannot match are two moves, not one misquoted.
            return Consistent.YES if opposite else None
        if opposite:
            return (
                f"{describe_claim(a)} vs {describe_claim(b)}: one says it went up, the other down, "
                "for the same period"
            )
        return None
