"""The comparisons of a candidate pair: each reads one kind of evidence on both claims and
answers with one of its ordered levels, strongest agreement first, as Splink's comparison
levels do. Nothing here looks at how far apart the two values are: the link answers "do
these figures state the same quantity?", and a wrong figure must not hide its own error.

The extractor's fields (subject, metric, period, session, forecast, attribution) are
evidence here, not gates: a slot read wrong costs its weight, it no longer loses the pair.
The words around each figure carry what the fields miss ("comparable sales" against
"revenue", "since its peak" against "on the day").

Each level's weight is learned from labelled pairs (bench/train_linkage.py) and kept in
rules/linkage.yaml; a level that the file does not list weighs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from factcheck.extract.entities import name_key, same_company
from factcheck.extract.periods import nearly_one_window, relate
from factcheck.link.story import Story
from factcheck.link.values import VALUE_LEVELS
from factcheck.models import Claim, Figure
from factcheck.stopwords import STOP_WORDS

# How a field was found (Claim.evidence): in the figure's own sentence, or inferred.
_OWN = frozenset({"parse", "cue", "anaphor", "explicit", "record", "timeless"})


@dataclass(frozen=True)
class Comparison:
    """One comparison: a name, its levels from strongest agreement down, and the reading."""

    name: str
    levels: tuple[str, ...]
    read: Callable[[Claim, Claim, PairText], str] | None  # None: the caller supplies the level
    doc: str
    # The level that says nothing either way (neither figure has the field): its weight is
    # 0 by construction, so the others read as evidence for or against against it, and a
    # level almost every pair has does not stand in for the intercept.
    neutral: str | None = None
    # Read by the assignment alone, as the value is: it tells which of a figure's
    # candidates is its partner, not whether a linked pair is one quantity (in the
    # confirmation too, it moved the error thresholds and cost findings: bench/README.md)
    assignment_only: bool = False


@dataclass(frozen=True)
class PairText:
    """The words of both sentences, read once per claim (see claim_words), and what the
    block as a whole says (link/story.py)."""

    a: ClaimWords
    b: ClaimWords
    story: Story


@dataclass(frozen=True)
class ClaimWords:
    sentence: frozenset[str]  # content words of the sentence, figures masked
    near: frozenset[str]  # content words within a few words of the figure
    before: str | None  # the nearest content word before the figure
    after: str | None  # the nearest content word after the figure
    change: bool  # a change ("rose 5%"), not a level ("to $10 billion")
    strength: dict[str, int]  # per field: 2 read in the figure's own sentence, 1 inferred, 0 none
    names_key: str  # the sentence in name_key form, padded: " shares of kestrel motors fell "


# ----------------------------------------------------------------------------- words

_WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*")
_NEAR = 4


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # spaCy's English list; words that say nothing of which quantity a figure is ("the",
    # "its", "said").
    return STOP_WORDS | {"said", "says", "percent", "cent", "per", "year", "billion", "million", "trillion"}


def _stem(word: str) -> str:
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _content(text: str) -> list[str]:
    stop = _stop_words()
    return [s for m in _WORD.finditer(text) if (s := _stem(m.group())) and s not in stop and len(s) > 1]


def claim_words(claim: Claim) -> ClaimWords:
    sentence = claim.sentence
    at = sentence.find(claim.text)
    if at < 0:
        at, end = 0, 0
    else:
        end = at + len(claim.text)
    left, right = _content(sentence[:at]), _content(sentence[end:])
    near = left[-_NEAR:] + right[:_NEAR]
    return ClaimWords(
        sentence=frozenset(left + right),
        near=frozenset(near),
        before=left[-1] if left else None,
        after=right[0] if right else None,
        change=_is_change(claim),
        strength={field: _strength(claim, field) for field in ("subject", "metric", "period")},
        names_key=f" {name_key(sentence)} ",
    )


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    union = len(x | y)
    return len(x & y) / union if union else 0.0


def _overlap_level(share: float) -> str:
    if share >= 0.5:
        return "most"
    if share >= 0.3:
        return "much"
    if share >= 0.15:
        return "some"
    if share > 0.05:
        return "little"
    return "none"


# ----------------------------------------------------------------------------- fields


def _own(claim: Claim, field: str) -> bool:
    return claim.evidence.get(field, "none") in _OWN


def subject(a: Claim, b: Claim, t: PairText) -> str:
    if a.subject is None or b.subject is None:
        return "both_unknown" if a.subject is None and b.subject is None else "one_unknown"
    names = t.story.names
    ca, cb = names.canon(a.subject), names.canon(b.subject)
    own = t.a.strength["subject"] == t.b.strength["subject"] == 2
    if ca == cb:
        return "same_in_sentence" if own else "same_inferred"
    if same_company(ca, cb) or fuzz.token_set_ratio(ca, cb) >= 90 or name_key(ca).replace(" ", "") == name_key(cb).replace(" ", ""):
        return "alias"
    if t.story.owns_a_figure_beside(a, cb) or t.story.owns_a_figure_beside(b, ca):
        # "A and B fell 9% and 14%, respectively": the other company has a figure of its
        # own right beside this one
        return OWN_FIGURE_BESIDE
    # Two parties of one deal, a product and its maker, a company and its market: each
    # figure's sentence names the other's subject too.
    a_names_b = _names(t.a, b.subject, cb)
    b_names_a = _names(t.b, a.subject, ca)
    if a_names_b and b_names_a:
        return "each_names_other"
    if a_names_b or b_names_a:
        return "one_names_other"
    if (names.kind(ca) == "country") != (names.kind(cb) == "country"):
        return "country_vs_other"  # an economy read where a company was meant, or the reverse
    return "different_in_sentence" if own else "different_inferred"


def _names(words: ClaimWords, *names: str) -> bool:
    return any((key := name_key(n)) and f" {key} " in words.names_key for n in names)


def _family(metric: str) -> str:
    # "revenue_growth" and "revenue", "share_move" and "share_price": one family; the
    # change_or_level comparison tells the two apart.
    return metric.removeprefix("open:").split("_")[0].split(" ")[-1]


def metric(a: Claim, b: Claim, t: PairText) -> str:
    if a.metric is None or b.metric is None:
        if a.metric is None and b.metric is None:
            return "both_unknown"
        # one figure's metric went unread, but its sentence uses a word of the other's label
        # ("capital expenditure" against "$38 billion into capital projects")
        known, other = (a, t.b) if a.metric is not None else (b, t.a)
        return "one_unknown_named" if _names_metric(other, known.metric, t.story) else "one_unknown"
    if a.metric == b.metric:
        scopes = t.story.scopes.get(a.metric, frozenset())
        if a.scope != b.scope and a.scope in scopes and b.scope in scopes:
            return "basis_differs"  # the metric's own scopes: a monthly rate against an annual one
        qa, qb = _qualifiers(a), _qualifiers(b)
        if qa == qb:
            return "same" if t.a.strength["metric"] == t.b.strength["metric"] == 2 else "same_inferred"
        if qa & t.story.bases != qb & t.story.bases:
            return "basis_differs"  # adjusted against GAAP, comparable sales against total
        if qa and qb:
            return "segment_differs"  # "data-center revenue" against "gaming revenue"
        return "one_qualified"  # a segment or a word extraction kept, on one side only
    if _family(a.metric) == _family(b.metric):
        return "same_family"
    return "different"


@lru_cache(maxsize=4096)
def _label_words(label: str) -> frozenset[str]:
    return frozenset(_content(label))


def _names_metric(words: ClaimWords, metric: str, story: Story) -> bool:
    """A sentence uses a content word of the metric's label (rules/metrics.yaml), or of
    the noun of a metric read from the text ("open:order backlog")."""
    label = metric.removeprefix("open:") if metric.startswith("open:") else story.labels.get(metric, "")
    return bool(_label_words(label) & words.sentence)


def _qualifiers(claim: Claim) -> frozenset[str]:
    # a figure or a date kept among the words in front of a noun says nothing of what it is
    return frozenset(q.lower() for q in claim.qualifiers if not any(ch.isdigit() for ch in q))


_CHANGE = ("growth", "move", "change", "cut", "rise", "decline")


def _is_change(claim: Claim) -> bool:
    if claim.metric and any(w in claim.metric for w in _CHANGE):
        return True
    return claim.direction is not None and claim.kind in ("percent", "percentage_points")


def change_or_level(a: Claim, b: Claim, t: PairText) -> str:
    ca, cb = t.a.change, t.b.change
    if ca and cb:
        return "both_change"
    if not ca and not cb:
        return "both_level"
    return "change_vs_level"


# How long before its article's latest period a figure's own ends for it to be of an
# earlier time: more than a month, so that a quarter's month and the quarter are one time.
_EARLIER_DAYS = 45


def base_period(a: Claim, b: Claim, t: PairText) -> str:
    """"earlier" where one figure has no time and the other's ended well before the latest
    time its own article reports that metric for (Story.latest): a year-ago column, the
    quarter before. A figure given with no time is most often the news, and of two
    candidates alike in all else (a table's two columns) it is the current one's partner.
    Of the labelled candidate pairs, 2 of about 550 such pairs are one quantity, against
    about 1 in 65 of the others where one figure has no time."""
    if (a.period is None) == (b.period is None):
        return "none"
    known = a if b.period is None else b
    end, latest = known.period.end, t.story.latest.get((known.path, known.metric or ""))
    return "earlier" if end is not None and latest is not None and (latest - end).days > _EARLIER_DAYS else "none"


def period(a: Claim, b: Claim, t: PairText) -> str:
    if a.period is None and b.period is None:
        return "both_unknown"
    if a.period is None or b.period is None:
        return "one_unknown"
    relation = relate(a.period, b.period).value
    if relation == "overlap" and nearly_one_window(a.period, b.period):
        # one quarter or year on two calendars (a 52-week year's quarter ends days from the
        # calendar quarter's): the comparison stage compares them as one window (FC104)
        relation = "compatible"
    if relation in ("same", "compatible") and not t.a.strength["period"] == t.b.strength["period"] == 2:
        return relation + "_inferred"
    return relation


def _slots(x: str | None, y: str | None, same: bool, missing: str) -> str:
    """Levels of a field either claim may leave empty: both/one `missing`, same, different."""
    if x is None and y is None:
        return f"both_{missing}"
    if x is None or y is None:
        return f"one_{missing}"
    return "same" if same else "different"


def session(a: Claim, b: Claim, t: PairText) -> str:
    return _slots(a.session, b.session, a.session == b.session, "unknown")


def forecast(a: Claim, b: Claim, t: PairText) -> str:
    if a.forecast and b.forecast:
        return "both_forecast"
    if not a.forecast and not b.forecast:
        return "both_actual"
    return "forecast_vs_actual"


def attribution(a: Claim, b: Claim, t: PairText) -> str:
    x, y = a.attribution, b.attribution
    return _slots(x, y, x == y or bool(x and y and same_company(x, y)), "none")


def poll(a: Claim, b: Claim, t: PairText) -> str:
    """Two consensus figures: of one poll, of two, or with the poll of one or both unnamed
    (extract/claims.py, `evidence["poll"]`). Two polls' figures differ and are both right;
    an unnamed one may be any poll."""
    if a.attribution != "consensus" or b.attribution != "consensus":
        return "not_polls"
    x, y = a.evidence.get("poll"), b.evidence.get("poll")
    if x is None and y is None:
        return "both_unnamed"
    if x is None or y is None:
        return "one_unnamed"
    return "same" if x == y else "different"


def scope(a: Claim, b: Claim, t: PairText) -> str:
    return _slots(a.scope, b.scope, a.scope == b.scope, "none")


def _bidder(claim: Claim) -> bool:
    return claim.evidence.get("attribution") == "bidder"


def offer(a: Claim, b: Claim, t: PairText) -> str:
    """Whether two figures of a takeover are of one bidder's offer: extract/claims.py puts
    the bidder in `attribution`; a figure without one carries whom its article names as
    bidding (`bidders`) and the companies its deal sentences name (`parties`)."""
    named = [c for c in (a, b) if _bidder(c)]
    if not named:
        return "no_bidder"
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


def unit(a: Claim, b: Claim, t: PairText) -> str:
    if a.unit == b.unit:
        return "same"
    if "/" in a.unit or "/" in b.unit:
        return "rate_differs"  # "a month" against a total
    return "converted"


def shape(a: Claim, b: Claim, t: PairText) -> str:
    ra, rb = a.high is not None, b.high is not None
    if ra and rb:
        return "both_ranges"
    if ra or rb:
        return "range_vs_point"
    bounded = (a.qualifier not in ("exact", "approx")) + (b.qualifier not in ("exact", "approx"))
    return ("both_points", "one_bound", "both_bounds")[bounded]


def articles(a: Claim, b: Claim, t: PairText) -> str:
    if a.path == b.path:
        return "same_article"
    if a.published is None or b.published is None:
        return "date_unknown"
    days = abs((a.published - b.published).days)
    if days == 0:
        return "same_day"
    if days <= 2:
        return "within_2_days"
    if days <= 14:
        return "within_2_weeks"
    return "further_apart"


def sentence_words(a: Claim, b: Claim, t: PairText) -> str:
    if a.sentence == b.sentence:
        return "identical"
    return _overlap_level(_jaccard(t.a.sentence, t.b.sentence))


def words_near(a: Claim, b: Claim, t: PairText) -> str:
    return _overlap_level(_jaccard(t.a.near, t.b.near))


@lru_cache(maxsize=8)
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_stem(w) for w in words)


def neighbour_word(a: Claim, b: Claim, t: PairText) -> str:
    # "revenue of $X" / "$X in revenue": the word that names what the figure is, next to
    # it. A word of direction ("rose 5%") says how a figure moved, not what it is: two
    # moves of two quantities share it as often as two of one (bench/README.md).
    moves = _stems(t.story.moves)
    ab, aa, bb, ba = (None if w in moves else w for w in (t.a.before, t.a.after, t.b.before, t.b.after))
    if aa is not None and aa == ba:
        return "same_after"
    if ab is not None and ab == bb:
        return "same_before"
    if {ab, aa} & {bb, ba} - {None}:
        return "crossed"
    return "none"


def _strength(claim: Claim, field: str) -> int:
    return 2 if _own(claim, field) else (1 if claim.evidence.get(field, "none") != "none" else 0)


def subject_evidence(a: Claim, b: Claim, t: PairText) -> str:
    return _pair_strength(t, "subject")


def _pair_strength(t: PairText, field: str) -> str:
    sa, sb = t.a.strength[field], t.b.strength[field]
    if sa == sb == 2:
        return "both_own"
    if 2 in (sa, sb) and 0 not in (sa, sb):
        return "own_and_inferred"
    if 0 in (sa, sb):
        return "one_missing"
    return "both_inferred"


def metric_evidence(a: Claim, b: Claim, t: PairText) -> str:
    return _pair_strength(t, "metric")


def figures_agree(x: Figure | Claim, y: Figure | Claim) -> bool:
    """Whether two figures of one unit agree within the coarser written precision of the
    two, as a restatement does."""
    if x.unit != y.unit:
        return False
    slack = max(x.resolution or 0.0, y.resolution or 0.0)
    return x.value - slack <= (y.high if y.high is not None else y.value) and y.value - slack <= (x.high if x.high is not None else x.value)


def neighbours(a: Claim, b: Claim, t: PairText) -> str:
    # "EPS rose 42% to $2.14" against "EPS jumped 46.5% to $2.14": the sentences agree on
    # another figure, so they tell one fact and the two growth figures state one quantity;
    # where every figure they could share differs, they more often tell two.
    if not a.neighbours or not b.neighbours:
        return "none"
    comparable = [(x, y) for x in a.neighbours for y in b.neighbours if x.unit == y.unit]
    if not comparable:
        return "unlike"
    return "one_agrees" if any(figures_agree(x, y) for x, y in comparable) else "all_differ"


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("subject", ("same_in_sentence", "same_inferred", "alias", "each_names_other", "one_names_other", "one_unknown", "both_unknown",
                           "country_vs_other", "different_inferred", "different_in_sentence", "other_has_own_figure"), subject,
               "whose figure: the same company (one name per company across the story's articles), read in each figure's own sentence or carried "
               "from elsewhere; two companies each sentence names both of; an economy against a company; a company with a figure of its own "
               "beside the other", "both_unknown"),
    Comparison("metric", ("same", "same_inferred", "one_qualified", "segment_differs", "basis_differs", "same_family", "one_unknown_named", "one_unknown", "both_unknown",
                          "different"),
               metric, "what is measured: the metric of rules/metrics.yaml, and the segment or basis words that narrow it; where one figure's "
               "metric went unread, whether its sentence uses a word of the other metric's label", "both_unknown"),
    Comparison("change_or_level", ("both_change", "both_level", "change_vs_level"), change_or_level,
               "a change (rose 5%) against a level (to $10 billion)"),
    Comparison("period", ("same", "same_inferred", "compatible", "compatible_inferred", "overlap", "one_unknown", "both_unknown", "unknown", "disjoint"), period,
               "the time each figure is bound to", "both_unknown"),
    Comparison("base_period", ("none", "earlier"), base_period,
               "one figure has no time, the other's is earlier than its article's latest of that metric", "none", assignment_only=True),
    Comparison("session", ("same", "one_unknown", "both_unknown", "different"), session, "the part of a trading day", "both_unknown"),
    Comparison("forecast", ("both_actual", "both_forecast", "forecast_vs_actual"), forecast, "expected or guided against reported"),
    Comparison("attribution", ("same", "both_none", "one_none", "different"), attribution, "who says so: a forecaster, a poll, a bidder", "both_none"),
    Comparison("poll", ("same", "one_unnamed", "both_unnamed", "different", "not_polls"), poll,
               "which poll two consensus figures are from: one, two, or unnamed", "not_polls"),
    Comparison("scope", ("both_none", "same", "one_none", "different"), scope, "how many companies a total covers", "both_none"),
    Comparison("offer", ("same", "no_bidder", "unknown", "different"), offer, "one bidder's offer or two bidders' (a takeover contested)", "no_bidder"),
    Comparison("unit", ("same", "converted", "rate_differs"), unit, "the unit: one currency and rate, or converted"),
    Comparison("shape", ("both_points", "one_bound", "both_bounds", "range_vs_point", "both_ranges"), shape, "points, bounds and ranges"),
    Comparison("articles", ("same_day", "within_2_days", "within_2_weeks", "date_unknown", "further_apart", "same_article"), articles,
               "how far apart the two articles were published, or one article's two figures"),
    Comparison("sentence_words", ("identical", "most", "much", "some", "little", "none"), sentence_words,
               "the words both sentences share, figures masked"),
    Comparison("words_near", ("most", "much", "some", "little", "none"), words_near, "the words within four of each figure"),
    Comparison("neighbour_word", ("same_after", "same_before", "crossed", "none"), neighbour_word,
               "the word right next to each figure, which usually names it"),
    Comparison("subject_evidence", ("both_own", "own_and_inferred", "both_inferred", "one_missing"), subject_evidence,
               "how each subject was found"),
    Comparison("metric_evidence", ("both_own", "own_and_inferred", "both_inferred", "one_missing"), metric_evidence,
               "how each metric was found"),
    Comparison("neighbours", ("one_agrees", "none", "unlike", "all_differ"), neighbours,
               "the other figures of the two sentences: one of them given alike, none to compare, none of a kind, all different", "none"),
)

BY_NAME = {c.name: c for c in COMPARISONS}

# The subject levels that read two figures as one company's, and the one that reads them as
# two companies each named in its figure's sentence: compare's reporting rules read these
# (rules/severity.yaml, within_article_same_subject and two_named_companies).
ONE_COMPANY = frozenset({"same_in_sentence", "same_inferred", "alias"})
TWO_NAMED_COMPANIES = "different_in_sentence"
# The poll levels that read two consensus figures as two polls' (compare.reported_polls)
OTHER_POLLS = frozenset({"different", "one_unnamed"})
OWN_FIGURE_BESIDE = "other_has_own_figure"


def two_named_companies(vector: dict[str, str]) -> bool:
    """Each figure's sentence names its own company, read there: two companies' figures.
    Where one sentence gives the other's company a figure of its own ("Brellin fell 5.5%,
    Kestrel fell 9%"), it says so more plainly still, when both subjects were read in
    their own sentences (an inferred one may be the company misread)."""
    level = vector.get("subject")
    return level == TWO_NAMED_COMPANIES or (level == OWN_FIGURE_BESIDE and vector.get("subject_evidence") == "both_own")

# How the two values relate (link/values.py). Weighed by the assignment only, which asks
# who pairs with whom; the comparison stage judges it for every candidate and passes it in.
# The confirmation never sees it: a wrong figure must not hide its own error.
VALUE = Comparison("value", VALUE_LEVELS, None, "how the two values relate: the same as written, a rounding, a hedge that covers the other, near, apart, far, a power of ten")


def comparison_vector(a: Claim, b: Claim, words: PairText | None = None) -> dict[str, str]:
    """The level of every comparison for one pair (a pair alone is its own story)."""
    t = words if words is not None else PairText(claim_words(a), claim_words(b), Story.of((a, b)))
    return {c.name: c.read(a, b, t) for c in COMPARISONS if c.read is not None}
