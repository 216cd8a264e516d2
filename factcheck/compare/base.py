"""What every comparison policy sees: a pair of claims put in one unit, as intervals
(factcheck/link/values.py, where the link stage's assignment reads them too)."""

from __future__ import annotations

from enum import Enum

from factcheck.link.values import JUST_BELOW, UTMOST, PairFacts, Side  # noqa: F401  (policies import them from here)
from factcheck.extract.periods import annual_window
from factcheck.models import Claim, Period
from factcheck.present import describe_claim, describe_period, human_value  # noqa: F401  (policies import them from here)


class Consistent(Enum):
    """Returned by a policy that has decided the pair agrees: stop, report nothing."""

    YES = "consistent"


def window_days(period: Period | None) -> int | None:
    if period is None:
        return None
    if period.start and period.end:
        return (period.end - period.start).days + 1
    if period.length_days:
        return period.length_days
    if period.weekdays:
        return len(period.weekdays)
    if period.month is not None and period.granularity in ("month", "quarter", "half"):
        # a month, quarter or half the text gives no year for lasts as long in any year
        placed = annual_window(period, 2001)
        if placed is not None:
            return (placed[1] - placed[0]).days + 1
    return {"day": 1, "week": 7}.get(period.granularity)


_LONG = {"month", "quarter", "half", "year", "ytd", "range"}


def window_class(period: Period | None, short_days: int) -> str | None:
    """"short" (a day, a few sessions, a week) or "long" (a month and up); None if unknown."""
    if period is None:
        return None
    days = window_days(period)
    if days is not None:
        return "short" if days <= short_days else "long"
    return "long" if period.granularity in _LONG else "short"


def period_text(claim: Claim) -> str:
    return describe_period(claim.period)
