"""FC104 window difference: the figures may describe one event over different windows.

Anti-pattern
    "The SOX plunged over 6% on July 1." / "The SOX fell 11% over Wednesday and Thursday."

Best practice
    Say which window a move covers ("on Wednesday", "over two sessions") so readers can
    reconcile the figures. At most a warning: both figures may well be right.

Windows longer than a few trading days (a quarter inside its year) are simply different
periods and are not reported; how long is "a few" is set in the rules' severity file.
"""

from __future__ import annotations

from factcheck.compare.base import Consistent, PairFacts, describe_claim, period_text, window_class, window_days
from factcheck.extract.periods import Relation, nearly_one_window


class WindowDifference:
    code = "FC104"
    kind = "window_difference"
    name = "window difference"

    def check(self, facts: PairFacts):
        a, b = facts.a.claim, facts.b.claim
        short = facts.rules.policy.thresholds.short_window_days
        classes = {window_class(a.period, short), window_class(b.period, short)}
        if classes == {"short", "long"}:
            return Consistent.YES  # a day's move vs a year-to-date change: different figures
        if facts.relation is Relation.OVERLAP:
            if _one_event(a, b):
                # "in the mid-1980s" and "in 1985": a contract's terms are dated by the one
                # day it was struck, which both times hold; compare the figures
                return None
            if a.path == b.path:
                return Consistent.YES  # one article's own day-vs-week contrast is deliberate
            wa, wb = window_days(a.period), window_days(b.period)
            if wa is not None and wb is not None and wa > short and wb > short and nearly_one_window(a.period, b.period):
                # "in 2022" and "over the last 12 months", written on January 3: one period
                # named two ways; the value policies after this one compare the figures.
                return None
            if wa is None or wb is None or wa > short or wb > short:
                return Consistent.YES  # a quarter inside its year: different periods
            if facts.intervals_meet() and (a.qualifier == b.qualifier == "exact" or "exact" not in (a.qualifier, b.qualifier)):
                # The same figure, or two bounds that agree ("over 14%" over two days is also
                # "more than 10%" on one of them): nothing for an editor to reconcile.
                return Consistent.YES
            return (
                f"{describe_claim(a)} ({period_text(a)}) vs {describe_claim(b)} ({period_text(b)}): "
                "the figures cover different windows; say which one each article means"
            )
        return None


def _one_event(a, b) -> bool:
    """Two contract terms (evidence `timeless`: rent, a deal's value), one time inside the other."""
    if not a.evidence.get("period") == b.evidence.get("period") == "timeless":
        return False
    pa, pb = a.period, b.period
    if not (pa.start and pa.end and pb.start and pb.end):
        return False
    return (pa.start <= pb.start and pb.end <= pa.end) or (pb.start <= pa.start and pa.end <= pb.end)
