"""An article that also states the other article's figure does not contradict it.

Anti-pattern
    One article: "The economy added 372,000 jobs in June." Another: "The 372,000 jobs
    added in June beat the 250,000 economists had expected." Reported as an error
    between 372,000 and 250,000, because the second article's expectation was read as
    June's payrolls.

Best practice
    When the second article gives, in the same block (subject, metric, a period that can
    be the same), a figure that agrees with the first article's and not with its own
    other figure, the two articles agree on that fact: the second article's other figure is another fact (an expectation, a
    segment, an earlier reading) that extraction could not tell apart. Such a pair is
    held to a warning, naming the agreeing figure, so an editor can still look. A real
    contradiction is two articles that each state only their own figure.

Value conflicts only: a scale slip or a sign error in one sentence stays an error even
where the same article writes the figure right elsewhere, as that is a slip within it.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.align import ClaimPair
from factcheck.compare.base import Consistent
from factcheck.compare.consistent import Agreement
from factcheck.compare.fc103_rounding import RoundingDifference
from factcheck.extract.periods import Relation, relate
from factcheck.models import Claim
from factcheck.rules import Rules

CODES = frozenset({"FC102"})
_AGREEMENT = Agreement()
_ROUNDING = RoundingDifference()


def agrees(x: Claim, y: Claim, rules: Rules, timeless: bool) -> bool:
    """The two figures can be one fact: periods that may be the same, and values equal,
    overlapping or a rounding of one another."""
    from factcheck.compare import pair_facts  # the package imports this module

    relation = Relation.COMPATIBLE if timeless else relate(x.period, y.period)
    if relation is Relation.DISJOINT or x.forecast != y.forecast:
        return False
    facts = pair_facts(ClaimPair(x, y, relation), rules)
    if facts is None:
        return False
    return _AGREEMENT.check(facts) is Consistent.YES or bool(_ROUNDING.check(facts))


def corroboration(a: Claim, b: Claim, run: Iterable[Claim], rules: Rules, timeless: bool) -> str | None:
    """Why a's article and b's do not contradict each other, or None: the reason names the
    figure in one article that agrees with the other article's."""
    if a.path == b.path:
        return None
    for mine, other in ((a, b), (b, a)):
        for c in run:
            # (a figure that fits both sides, "more than $90 billion" or a sum in another
            # currency, tells nothing about which of them the article means)
            if c.path == other.path and c is not other and agrees(mine, c, rules, timeless) and not agrees(other, c, rules, timeless):
                return (
                    f"{other.path}:{c.line} also gives {c.text!r}, as {mine.path}:{mine.line} does, "
                    f"so its {other.text!r} is likely another figure"
                )
    return None
