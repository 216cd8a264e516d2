"""Stage 4: put claims about the same thing side by side.

Claims are blocked by (subject, metric) — a plain group-by, so an archive can be
shuffled by key on a distributed engine — and only claims inside one block are paired.
Within a block a pair is kept only when nothing says the two figures are about different
things: a different day, a different forecaster, a different scope, the same sentence.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from factcheck.extract.entities import canonical_subjects, same_company
from factcheck.models import Claim
from factcheck.extract.periods import Relation, relate


def block_key(claim: Claim) -> tuple[str, str] | None:
    """The key to group by; None keeps a claim out of every comparison."""
    return claim.block_key


def align_claims(claims: Iterable[Claim]) -> dict[tuple[str, str], list[Claim]]:
    claims = list(claims)
    names = canonical_subjects(c.subject for c in claims if c.subject)
    blocks: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.subject and names.get(claim.subject, claim.subject) != claim.subject:
            claim = claim.model_copy(update={"subject": names[claim.subject]})
        key = block_key(claim)
        if key is not None:
            blocks[key].append(claim)
    return dict(blocks)


@dataclass(frozen=True)
class ClaimPair:
    a: Claim
    b: Claim
    relation: Relation


def _same_sentence(a: Claim, b: Claim) -> bool:
    # Two figures in one sentence are the writer's own contrast ("from $2.8 trillion to
    # $3.3 trillion", "JPMorgan's $1.15 trillion, above consensus of $925 billion").
    return a.path == b.path and a.line == b.line and a.column == b.column


def _about_different_things(a: Claim, b: Claim, timeless: bool) -> bool:
    if offer_relation(a, b) == "different":
        return True  # two bidders' offers for one company are two deals
    if not timeless:
        if a.forecast != b.forecast:
            return True  # a forecast may miss the outcome: news, not an error
        if a.forecast and a.attribution != b.attribution:
            return True  # two forecasters may disagree
    elif a.attribution and b.attribution and a.attribution != b.attribution:
        return True
    if a.scope != b.scope:
        return True  # "five cloud giants" vs "four tech giants", or a count vs none
    return a.kind != b.kind


def _published_apart(a: Claim, b: Claim, days: int) -> bool:
    return a.published is not None and b.published is not None and abs((a.published - b.published).days) > days


def _bidder(claim: Claim) -> bool:
    return claim.evidence.get("attribution") == "bidder"


def offer_relation(a: Claim, b: Claim) -> str | None:
    """Whether two figures of a takeover are of one bidder's offer: "same", "different",
    "unknown", or None where neither sentence names a bidder (extract/claims.py puts the
    bidder in `attribution`; a figure without one carries whom its article names as
    bidding, `bidders`, and the companies its deal sentences name, `parties`)."""
    named = [c for c in (a, b) if _bidder(c)]
    if not named:
        return None
    if len(named) == 2:
        return "same" if same_company(a.attribution or "", b.attribution or "") else "different"
    own = named[0]
    other = b if own is a else a
    if other.attribution is not None:
        return "unknown"  # the other figure is someone's estimate or report, of some offer
    for key in ("bidders", "parties"):
        names = [n for n in other.evidence.get(key, "").split("|") if n and not same_company(n, other.subject or "")]
        if not names:
            continue
        if not any(same_company(own.attribution or "", n) for n in names):
            # the other article names its bidder, and it is another; the companies of its
            # deal sentences alone may leave a bidder out
            return "different" if key == "bidders" else "unknown"
        return "same" if key == "parties" or len(names) == 1 else "unknown"
    return "unknown"


def _sort_key(claim: Claim) -> tuple:
    p = claim.period
    return (p.start.isoformat() if p and p.start else "", claim.path, claim.line, claim.column, claim.text)


def _dated(claim: Claim) -> bool:
    return claim.period is not None and claim.period.start is not None and claim.period.end is not None


def _figure(claim: Claim) -> tuple:
    return (claim.value, claim.high, claim.unit, claim.qualifier, claim.direction)


def _partners(ordered: list[Claim], figures: list[tuple], skip: list[int], a: tuple, start: int, stop: int) -> Iterator[Claim]:
    """ordered[start:stop] without the claims stating figure `a`, jumping over each run
    of them at once: a block that repeats one figure thousands of times (a wire story
    syndicated, a table of one value) costs its length, not its length squared."""
    i = start
    while i < stop:
        if figures[i] == a:
            i = skip[i]
            continue
        yield ordered[i]
        i += 1


def _run_ends(figures: list[tuple]) -> list[int]:
    """For each position, the first later position holding another figure."""
    ends = [len(figures)] * len(figures)
    for i in range(len(figures) - 2, -1, -1):
        ends[i] = ends[i + 1] if figures[i + 1] == figures[i] else i + 1
    return ends


def _pairs_to_consider(block: list[Claim], timeless: bool) -> Iterator[tuple[Claim, Claim]]:
    """Every pair that could be about one period and states two different figures,
    without visiting the rest.

    Claims with calendar dates are swept in order of start date, each paired only with
    the dated claims whose window it reaches; in an archive where one company's share
    moves span years this keeps a block near linear instead of quadratic. Claims with no
    or partial dates may be about any day and meet everything. A figure restated says
    nothing new, whatever the periods, and is skipped run by run.
    """
    ordered = sorted(block, key=_sort_key)
    if timeless:
        dated, undated = [], ordered
    else:
        dated = [c for c in ordered if _dated(c)]
        undated = [c for c in ordered if not _dated(c)]
    dated_figures, undated_figures = [_figure(c) for c in dated], [_figure(c) for c in undated]
    dated_skip, undated_skip = _run_ends(dated_figures), _run_ends(undated_figures)
    starts = [c.period.start for c in dated]  # type: ignore[union-attr]
    for i, a in enumerate(dated):
        # Sorted by start: no claim after the last that starts within a's window reaches it.
        stop = bisect_right(starts, a.period.end, lo=i + 1)  # type: ignore[union-attr]
        for b in _partners(dated, dated_figures, dated_skip, dated_figures[i], i + 1, stop):
            yield a, b
    for i, a in enumerate(undated):
        for b in _partners(undated, undated_figures, undated_skip, undated_figures[i], i + 1, len(undated)):
            yield a, b
        for b in _partners(dated, dated_figures, dated_skip, undated_figures[i], 0, len(dated)):
            yield a, b


def _undated_too_far(a: Claim, b: Claim, reach_days: int) -> bool:
    """A share move with no date ("the stock was 2% higher before the bell") is about a day
    near its article's publication, not any day at all: it cannot be the move of an
    article published weeks away, unless that article dates its figure near this one."""
    def far(day, lo, hi) -> bool:
        return (lo - day).days > reach_days or (day - hi).days > reach_days

    for undated, other in ((a, b), (b, a)):
        if _dated(undated) or undated.published is None or other.published is None:
            continue
        day = undated.published
        if not far(day, other.published, other.published):
            continue  # one news cycle
        if not _dated(other) or far(day, other.period.start, other.period.end):  # type: ignore[union-attr]
            return True
    return False


def candidate_pairs(
    block: list[Claim], timeless: bool = False, undated_reach_days: int | None = None, revision_days: int | None = None
) -> Iterator[ClaimPair]:
    """Pairs within one block that may be about the same figure.

    `timeless` blocks (a contract's rent, a deal's value) ignore periods: the day an
    article reports a deal on does not change the deal. In blocks of a day's figures
    (`undated_reach_days` given), an undated figure meets only figures within that many
    days of its article's publication. Two forecasts published more than `revision_days`
    apart are a forecast and its revision.
    """
    for a, b in _pairs_to_consider(block, timeless):
        if _same_sentence(a, b) or _about_different_things(a, b, timeless):
            continue
        if revision_days is not None and a.forecast and b.forecast and _published_apart(a, b, revision_days):
            continue
        if undated_reach_days is not None and not timeless and _undated_too_far(a, b, undated_reach_days):
            continue
        relation = Relation.COMPATIBLE if timeless else relate(a.period, b.period)
        if relation is Relation.DISJOINT:
            continue
        if relation is Relation.UNKNOWN and a.path == b.path:
            # One article giving two values for a subject's metric without saying when
            # is listing different things (loans, segments), not contradicting itself.
            continue
        yield ClaimPair(a, b, relation)


# --------------------------------------------------------------------------- for engines


def with_subject(claim: Claim, subject: str) -> Claim:
    """The claim under its block's canonical subject, as align_claims puts it in the block."""
    return claim if claim.subject == subject else claim.model_copy(update={"subject": subject})


def period_span(claim: Claim) -> tuple[dt.date, dt.date] | None:
    """The calendar window the pair sweep uses; None: the claim meets every claim."""
    return (claim.period.start, claim.period.end) if _dated(claim) else None  # type: ignore[union-attr,return-value]


def split_by_period(block: list[Claim]) -> list[list[Claim]]:
    """A non-timeless block cut into runs of overlapping windows.

    `_pairs_to_consider` pairs dated claims only when one's start falls within the
    other's window, so no pair crosses from one run to the next, and the runs, compared
    in order, give exactly the block's pairs in the block's order. A claim without a
    calendar window meets every claim: a block holding one is not cut. This lets a block
    that holds most of an archive (one common subject and metric) be compared in parts.
    """
    ordered = sorted(block, key=_sort_key)
    if any(not _dated(c) for c in ordered):
        return [block]
    runs: list[list[Claim]] = []
    end = None
    for claim in ordered:
        if end is None or claim.period.start > end:  # type: ignore[union-attr]
            runs.append([])
            end = claim.period.end  # type: ignore[union-attr]
        else:
            end = max(end, claim.period.end)  # type: ignore[union-attr,type-var]
        runs[-1].append(claim)
    return runs
