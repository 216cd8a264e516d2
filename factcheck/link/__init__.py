"""Stage: claim linkage, between extract and compare. Which figures of different
articles state the same quantity?

Record linkage in the Fellegi-Sunter way, as Splink does it:

1. **Blocking** (`stories`, `link_key`): a coarse group-by that an engine can shuffle by:
   the story an article belongs to (articles that name a company in common, published
   within a week; a small run is one story) and the kind of quantity. Recall first: an
   unknown subject, metric or period never keeps a pair apart.
2. **Candidates** (`candidate_pairs`): inside a block, every pair of figures whose
   units compare. Scoring (`scored_pairs`) vetoes one kind only, a logical
   impossibility: two figures of one sentence, which its writer set against each other.
3. **Comparison vector** (link/comparisons.py) per pair, scored by the learned weights of
   rules/linkage.yaml (link/model.py).
4. **Assignment** (`links`): a figure of one article states at most one quantity that a
   figure of another article also states, so only mutual best partners are linked. The
   assignment also weighs how the two values relate (link/values.py), so that a pair
   whose values agree competes with the pairs that disagree.

Compare (factcheck/compare) judges every candidate's values, and decides what the linked
ones say; the confirmation's link probability, which never sees the values, how sure the
finding is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factcheck.extract.entities import name_key
from factcheck.groups import DisjointSets
from factcheck.link.comparisons import ClaimWords, PairText, claim_words, comparison_vector, figures_agree
from factcheck.link.model import LinkModel, Scored, SeverityThresholds, told_link
from factcheck.link.story import Story
from factcheck.link.values import is_record_span, rate_omitted
from factcheck.models import Claim
from factcheck.rules import Rules, per_rules

__all__ = [
    "ArticleNames",
    "Link",
    "LinkModel",
    "SeverityThresholds",
    "Story",
    "candidate_pairs",
    "contrasted",
    "group_by_key",
    "link_key",
    "link_model",
    "links",
    "mutual_best",
    "one_body",
    "pair_vectors",
    "scored_pairs",
    "stories",
    "told_twice",
]

# Kinds of figure that can state the same quantity; anything else never meets.
_FAMILY = {"money": "money", "percent": "percent", "percentage_points": "points", "multiple": "multiple", "count": "count", "physical": "physical",
           "date": "date"}


def quantity_family(claim: Claim) -> str | None:
    """The kind of quantity a claim states, or None for one that no other figure can
    restate: a duration that is no record's span, and "one" of a group ("one of the
    largest lenders", which extract marks partitive: a member, not a count), and an
    amount in brackets that converts the one before it ("$4.1bn (£3.2bn)": extract marks
    it `converts`, the same figure at the writer's rate). A record's span ("a 12-year
    high") is a family of its own: another outlet may count the same record as 11 years.
    Any other duration (a deal's 20 months, a chief's four years) carries no metric or
    period the comparisons read: compared as a family, durations were linked below every
    threshold and cost the ranking (bench/README.md, stop 66)."""
    if claim.evidence.get("count") == "partitive" or "converts" in claim.evidence:
        return None
    if claim.kind == "duration":
        return "span" if is_record_span(claim) else None
    return _FAMILY.get(claim.kind)


def link_key(claim: Claim, story: str = "") -> tuple[str, str] | None:
    """The block a claim is compared in: (its article's story, quantity family). None
    keeps a claim out of every comparison (durations)."""
    family = quantity_family(claim)
    return None if family is None else (story, family)


# --------------------------------------------------------------------------- stories


def article_names(claims: Iterable[Claim]) -> frozenset[str]:
    """The names one article's figures are about or attributed to, in comparable form."""
    names = set()
    for claim in claims:
        for name in (claim.subject, claim.attribution):
            if name and (key := name_key(name)):
                names.add(key)
    return frozenset(names)


@dataclass(frozen=True)
class ArticleNames:
    """What blocking needs of an article: its path, date and the names of its figures."""

    path: str
    published: dt.date | None
    names: frozenset[str]


def stories(articles: Sequence[ArticleNames], rules: Rules) -> list[str]:
    """The story of each article: the smallest path among the articles it is joined to.

    A run of at most `story_articles` articles is one story: every figure meets every
    other. Beyond that, two articles are joined when they name a company in common and
    were published at most `story_days` apart (or either date is unknown); a name that
    more than `story_common_share` of the articles give (and more than `story_articles`
    of them) joins nothing on its own, or one wire name would make an archive one story.
    Joins are transitive (union-find), so a story is the articles reachable this way.
    """
    limits = rules.policy.thresholds
    if len(articles) <= limits.story_articles:
        first = min((a.path for a in articles), default="")
        return [first] * len(articles)
    sets = DisjointSets(len(articles))

    by_name: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        for name in article.names:
            by_name[name].append(i)
    common = max(limits.story_articles, int(limits.story_common_share * len(articles)))
    window = dt.timedelta(days=limits.story_days)
    for members in by_name.values():
        if len(members) > common:
            continue
        undated = [i for i in members if articles[i].published is None]
        dated = sorted((i for i in members if articles[i].published is not None), key=lambda i: articles[i].published)  # type: ignore[arg-type, return-value]
        for i, j in zip(dated, dated[1:]):
            if articles[j].published - articles[i].published <= window:  # type: ignore[operator]
                sets.join(i, j)
        for i in undated:
            for j in members:
                sets.join(i, j)
    story = [""] * len(articles)
    for group in sets.groups():
        first = min(articles[i].path for i in group)
        for i in group:
            story[i] = first
    return story


def group_by_key(claims: Iterable[Claim], rules: Rules) -> dict[tuple[str, str], list[Claim]]:
    """The blocks of a run: claims grouped by their article's story and quantity family."""
    claims = list(claims)
    by_path: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_path[claim.path].append(claim)
    articles = [ArticleNames(path, found[0].published, article_names(found)) for path, found in by_path.items()]
    story_of = dict(zip(by_path, stories(articles, rules)))
    blocks: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        key = link_key(claim, story_of[claim.path])
        if key is not None:
            blocks[key].append(claim)
    return dict(blocks)


# --------------------------------------------------------------------------- candidates


def contrasted(a: Claim, b: Claim) -> bool:
    """The one hard veto of scoring: two figures in one sentence are the writer's own
    contrast ("from $2.8 trillion to $3.3 trillion", "above consensus of $925 billion"),
    never one quantity twice. Such a pair is a candidate (blocking keeps it), and the
    assignment never links it."""
    return a.path == b.path and a.line == b.line and a.column == b.column


def comparable(a: Claim, b: Claim, rules: Rules) -> bool:
    if quantity_family(a) != quantity_family(b) or quantity_family(a) is None:
        return False
    if a.unit == b.unit or rate_omitted(a, b):
        return True
    return rules.units.factors(a.unit, b.unit) is not None


def candidate_pairs(block: list[Claim], rules: Rules) -> Iterable[tuple[Claim, Claim]]:
    """Every pair of a block whose units compare. Claims are ordered by place so that the
    pairs come in reading order."""
    ordered = sorted(block, key=lambda c: (c.path, c.line, c.column, c.text))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if comparable(a, b, rules):
                yield a, b


def scored_pairs(block: list[Claim], rules: Rules) -> list[tuple[Claim, Claim]]:
    """The candidates the comparisons score: all but those `contrasted` vetoes."""
    return [(a, b) for a, b in candidate_pairs(block, rules) if not contrasted(a, b)]


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Link:
    a: Claim
    b: Claim
    vector: dict[str, str]
    confirmed: Scored  # the link probability reported: one quantity or two

    @property
    def probability(self) -> float:
        return self.confirmed.probability


link_model = per_rules(lambda rules: LinkModel.load(rules.directory))


def pair_vectors(pairs: Sequence[tuple[Claim, Claim]], story: Story | None = None) -> list[dict[str, str]]:
    """The comparison vector of each pair; each claim's words are read once. `story` is
    what the block says as a whole (link/story.py); without one, the pairs' own claims."""
    if story is None:
        story = Story.of(c for pair in pairs for c in pair)
    words: dict[int, ClaimWords] = {}

    def read(claim: Claim) -> ClaimWords:
        if id(claim) not in words:
            words[id(claim)] = claim_words(claim)
        return words[id(claim)]

    return [comparison_vector(story.placed(a), story.placed(b), PairText(read(a), read(b), story)) for a, b in pairs]


def mutual_best(pairs: Sequence[tuple[Claim, Claim]], scores: Sequence[float]) -> list[int]:
    """The indexes of the pairs that are each other's best partner per pair of articles
    (one article with itself included).

    A figure is linked to the figure of the other article it most likely restates, and
    only when that figure's best partner in this article is it in turn. An article's
    headings count apart from its body: a title that rounds the body's figure ("$8B",
    "$7.96 billion") states it a second time, and a figure elsewhere may restate either.
    Ties go to the earlier pair, so the result does not depend on the order of articles.
    `scores` are log-odds. A figure linked to a rounding may also be linked to the figure
    it rounds (_precise_statements)."""
    best: dict[tuple[int, str, bool], tuple[float, int]] = {}
    for index, ((a, b), score) in enumerate(zip(pairs, scores)):
        for own, other in ((a, b), (b, a)):
            key = (id(own), *_part(other))
            held = best.get(key)
            if held is None or score > held[0]:
                best[key] = (score, index)
    chosen = [i for i, (a, b) in enumerate(pairs) if best[(id(a), *_part(b))][1] == i and best[(id(b), *_part(a))][1] == i]
    return sorted(chosen + _precise_statements(pairs, chosen, best))


def _precise_statements(pairs: Sequence[tuple[Claim, Claim]], chosen: list[int], best: dict[tuple[int, str, bool], tuple[float, int]]) -> list[int]:
    """Where a figure's partner rounds it ("$8.3 billion" against "$8 billion") and the
    partner's article gives the quantity more precisely as well ("$8.4 billion", which the
    rounding agrees with), the figure is linked to the precise one too, when the precise
    one's best partner in the figure's article is that figure and more likely than not
    (the scores are log-odds). An article states a quantity at its most precise, and
    against its rounding a difference cannot show; left to mutual best, the rounding wins,
    as agreeing values weigh most."""
    roundings = [
        (figure, partner) for i in chosen for figure, partner in (pairs[i], pairs[i][::-1])
        if (partner.resolution or 0.0) > (figure.resolution or 0.0) and figures_agree(figure, partner)
    ]
    if not roundings:
        return []  # most blocks: no claim index needed
    in_part: dict[tuple[str, bool], list[Claim]] = defaultdict(list)
    for claim in {id(c): c for pair in pairs for c in pair}.values():
        in_part[_part(claim)].append(claim)
    taken = set(chosen)
    extra: list[int] = []
    for figure, partner in roundings:
        for precise in in_part[_part(partner)]:
            held = best.get((id(precise), *_part(figure)))
            if (
                held is None or held[1] in taken or held[0] < 0.0 or not any(c is figure for c in pairs[held[1]])
                or not (precise.resolution or 0.0) < (partner.resolution or 0.0) or not figures_agree(precise, partner)
            ):
                continue
            taken.add(held[1])
            extra.append(held[1])
    return extra


def in_heading(claim: Claim) -> bool:
    """The figure is in a title or heading (extract marks it in its evidence)."""
    return claim.evidence.get("sentence") == "heading"


def title_and_body(a: Claim, b: Claim) -> bool:
    """One article's heading and its own body: the title states again what the text says."""
    return a.path == b.path and in_heading(a) != in_heading(b)


def one_body(a: Claim, b: Claim) -> bool:
    """Two figures of one article's body: the writer set them down together, so where they
    differ they are most often two quantities (two quarters, a segment and the whole)."""
    return a.path == b.path and not in_heading(a) and not in_heading(b)


def _part(claim: Claim) -> tuple[str, bool]:
    """The part of an article a figure is in, for the assignment: its body or its headings."""
    return claim.path, in_heading(claim)


def links(pairs: Sequence[tuple[Claim, Claim]], model: LinkModel, values: Sequence[str | None], story: Story | None = None) -> list[tuple[int, Link]]:
    """The pairs the assignment links (mutual_best of its scores, which weigh `values`,
    each pair's value level of link/values.py), with their confirmation: (index, link)."""
    vectors = pair_vectors(pairs, story)
    scores = [model.match(vector, value) for vector, value in zip(vectors, values)]
    told = {i for i, (a, b) in enumerate(pairs) if told_twice(a, b)}
    for i in told:
        scores[i] = math.inf  # each figure's partner in its own article, whatever else scores
    chosen = mutual_best(pairs, scores)
    return [(i, Link(pairs[i][0], pairs[i][1], vectors[i], told_link(model.confirm(vectors[i])) if i in told else model.confirm(vectors[i]))) for i in chosen]


def told_twice(a: Claim, b: Claim) -> bool:
    """One article tells its story twice and these are one figure's two tellings
    (extract/retold.py marks the second with the first): the same quantity by
    construction, whatever the learned link makes of two figures of one body."""
    if a.path != b.path:
        return False
    return any(
        later.evidence.get("retells") == f"{first.line}:{first.column}" and later.evidence.get("retold_figure") == first.text
        for first, later in ((a, b), (b, a))
    )
