"""Whether a pair's claims are established well enough for an error.

A wrong error costs an editor's trust; a missed one costs a warning's worth of attention.
So an error needs, on both sides (rules/severity.yaml `error_evidence`):

- subject and metric read from the figure's own sentence (the parse or a cue word there),
  not carried from an earlier sentence or defaulted to the article's topic;
- a period that is explicit, or a contract term with no period, or, for two articles of
  one news cycle (published within `same_story_days`), the cycle's own event;
- two articles (one article's two figures are more often two things than a contradiction)
  with known publication dates within `publication_window_days`, unless both periods are
  explicit;
- for a day's trading figure, both taken at the close: two snapshots taken during the
  session (premarket, at the open, intraday) may both have been right when written;
- a figure on both sides: an order of magnitude ("thousands of jobs") is never an error;
- not two analysts' consensus figures: unnamed polls of forecasters may differ;
- not one bidder's offer against a figure that says nothing of whose offer it is;
- not a conversion into another currency ("600 billion won ($459 million)") within
  `conversion_tolerance` of the other figure: outlets convert at different rates.

Anything weaker is reported at most as a warning.
"""

from __future__ import annotations

import re

from factcheck.align import offer_relation
from factcheck.compare.base import JUST_BELOW, UTMOST
from factcheck.compare.transposed import adjacent_swap, written_digits
from factcheck.models import Claim
from factcheck.extract.periods import Relation
from factcheck.rules import MetricRule, Rules

_SHORT = {"day", "days", "week"}


def _period_evidence(claim: Claim, other: Claim, same_story: bool) -> str:
    ev = claim.evidence.get("period", "none")
    if ev in ("none", "carried") and same_story:
        return "same_story"
    return ev


def _bounds_either_side(a: Claim, b: Claim) -> bool:
    """"almost $40 billion" and "more than $40 billion" (see PairFacts.opposite_bounds)."""
    for below, above in ((a, b), (b, a)):
        under = below.qualifier == "under" or (below.qualifier == "approx" and JUST_BELOW.match(below.text))
        if under and above.qualifier in ("over", "at_least") and below.unit == above.unit and below.value == above.value:
            return True
    return False


_DECIMALS = re.compile(r"\d\.(\d+)")
_ADJUSTMENT = re.compile(r"\b(?:seasonally|unadjusted|not adjusted)\b", re.IGNORECASE)


def _one_digit_apart(a: Claim, b: Claim) -> bool:
    """"fell 4.3%" and "fell 4.4%": the same precision, one unit of the last digit apart."""
    da, db = _DECIMALS.search(a.text), _DECIMALS.search(b.text)
    if da is None or db is None or len(da.group(1)) != len(db.group(1)):
        return False
    return abs(abs(a.value) - abs(b.value)) <= 10 ** -len(da.group(1)) * (1 + 1e-6)


def _digits_tie(a: Claim, b: Claim, code: str) -> bool:
    """The two figures are written with the same digits ("€1.884 million" and "€1.884
    billion", "down 2.6%" and "up 2.6%") or with two neighbours swapped: their digits tie
    them to one fact more firmly than a sentence naming its company would, so a subject
    taken from the article's topic is enough."""
    if code not in ("FC101", "FC102", "FC105"):
        return False
    da, db = written_digits(a), written_digits(b)
    if da is None or db is None:
        return False
    if da.rstrip("0") == db.rstrip("0"):
        return len(da.rstrip("0")) >= 2
    return adjacent_swap(da, db)


def _relative_gap(a: Claim, b: Claim) -> float:
    top = max(abs(a.value), abs(b.value))
    return abs(a.value - b.value) / top if top else 0.0


def _days_apart(a: Claim, b: Claim) -> int | None:
    if a.published is None or b.published is None:
        return None
    return abs((a.published - b.published).days)


def why_not_error(
    a: Claim, b: Claim, metric: MetricRule | None, rules: Rules, code: str = "", relation: Relation | None = None
) -> str | None:
    """None when the pair may be an error; else the reason it is held to a warning."""
    for claim in (a, b):
        if claim.qualifier == "approx" and claim.high is not None:
            # "thousands of jobs", "tens of millions of dollars" (quantities.py): a range
            # only as wide as the words, which writers stretch at both ends
            return f"{claim.path}:{claim.line} gives only an order of magnitude ({claim.text!r})"
    if not a.evidence and not b.evidence:
        return None  # claims built by hand (tests, --against JSON) carry no evidence to judge
    need = rules.policy.error_evidence
    if _bounds_either_side(a, b):
        return "the figures are bounds either side of one number, and a bound is often written loosely"
    for bound, point in ((a, b), (b, a)):
        if bound.qualifier == "up_to" and UTMOST.match(bound.text) and bound.unit == point.unit and abs(point.value) <= abs(bound.value):
            return "one figure is only the most it may be, and the other is within it"
    for claim in (a, b):
        subject_ev = claim.evidence.get("subject")
        if subject_ev in ("topic", "carried") and metric is not None and metric.statistic:
            subject_ev = "parse"  # payrolls and GDP are the article's economy's unless said otherwise
        if subject_ev not in need.subject and not _digits_tie(a, b, code):
            return f"the subject of {claim.path}:{claim.line} is {claim.evidence.get('subject', 'unknown')}, not stated in its sentence"
        if claim.evidence.get("metric") not in need.metric:
            return f"the metric of {claim.path}:{claim.line} is not stated in its sentence"
    for claim in (a, b):
        if claim.evidence.get("scope") == "default":
            # "a 27% premium" is most often over the last close, but the sentence does not say
            return f"{claim.path}:{claim.line} does not say what its {claim.text!r} is measured against"
    if offer_relation(a, b) == "unknown":
        # "a $5.6 billion offer by Calder": a company fought over may have had several
        # bids, and nothing ties the other figure to this bidder's
        named, other = (a, b) if a.evidence.get("attribution") == "bidder" else (b, a)
        return f"{named.path}:{named.line} gives {named.attribution}'s offer, and nothing says {other.path}:{other.line} is of the same offer"
    if a.forecast and b.forecast and a.attribution == b.attribution == "consensus" and code != "FC101":
        # "analysts expected $1.32" and "the consensus was $1.35": two polls of forecasters
        # (LSEG's, FactSet's) rarely agree to the cent, and neither article says whose
        return "both figures are analysts' consensus, and two polls of forecasters may differ"
    if (
        code != "FC101" and a.evidence.get("metric") == b.evidence.get("metric") == "record"
        and _relative_gap(a, b) <= rules.policy.thresholds.record_span_tolerance
    ):
        # "a 41-year high" and "a 40-year high" of one level: counted from different months
        return "two spans of one record this close are often counted from different months"
    converted = next((c for c in (a, b) if c.evidence.get("value") == "converted"), None)
    if converted is not None and code != "FC101" and a.unit == b.unit and _relative_gap(a, b) <= rules.policy.thresholds.conversion_tolerance:
        return f"{converted.path}:{converted.line} converts a figure into another currency ({converted.text!r}), and outlets convert at different rates"
    if a.path == b.path and code != "FC101":
        # One article giving two figures for one thing is far more often describing two
        # things (a segment, an earlier estimate) than contradicting itself; a factor of
        # ten between them is not a contrast anyone writes on purpose.
        return "both figures come from one article, which may be contrasting two things"
    if metric is not None and metric.statistic and _one_digit_apart(a, b) and not all(_ADJUSTMENT.search(c.sentence) for c in (a, b)):
        # Agencies publish a statistic both seasonally adjusted and not; where the articles
        # do not say which, one unit of the last digit is often the two series.
        return "one unit of the last digit apart, and neither says whether it is seasonally adjusted"
    apart = 0 if a.path == b.path else _days_apart(a, b)
    explicit = a.evidence.get("period") == b.evidence.get("period") == "explicit"
    # A contract term read through the parse on both sides (a rent, a deal's value) is the
    # same term whenever it was reported.
    term = bool(metric and metric.timeless) and a.evidence.get("metric") == b.evidence.get("metric") == "parse"
    if metric is not None and metric.statistic and apart is not None and apart > need.publication_window_days:
        return f"the articles were published {apart} days apart: a statistic may have been revised between releases"
    if not explicit and not term:
        if apart is not None and apart > need.publication_window_days:
            return f"the articles were published {apart} days apart and the periods are not both explicit"
        if apart is None:
            return "one article's publication date is unknown and the periods are not both explicit"
    same_story = apart is not None and apart <= need.same_story_days
    if relation is Relation.OVERLAP:
        return "the periods overlap but are not the same window"
    # Two neighbouring digits swapped are one figure mistyped, dated or not (transposed.py)
    swapped = code == "FC102" and adjacent_swap(written_digits(a), written_digits(b))
    for claim, other in ((a, b), (b, a)):
        if not swapped and _period_evidence(claim, other, same_story) not in need.period:
            return f"the period of {claim.path}:{claim.line} is not stated"
    if metric is not None and metric.time_sensitive:
        short = all(c.period is None or c.period.granularity in _SHORT for c in (a, b))
        # An opening, closing, high or low figure is one number, and so is a day's move the
        # text dates ("fell 6 basis points on Thursday", or a day its paragraph named just
        # before); anything else is a snapshot.
        fixed = a.session == b.session and a.session in rules.sessions.fixed
        dated = all(c.evidence.get("period") in ("explicit", "carried") for c in (a, b))
        dated_days = dated and {a.session, b.session} <= {None, "close"}
        if short and not (fixed or dated_days):
            return "intraday snapshots of one day's trading may both be right"
    return None
