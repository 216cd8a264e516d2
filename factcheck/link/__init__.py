"""Stage: claim linkage, between extract and compare. Which figures of different
articles state the same quantity?

Record linkage in the Fellegi-Sunter way, as Splink does it:

1. **Blocking** (`link_key`): a coarse group-by that an engine can shuffle by: today the
   kind of quantity alone (recall first; see link_key for what blocking on more lost).
2. **Candidates** (`candidate_pairs`): inside a block, every pair of figures from
   different sentences whose units compare. An unknown subject, metric or period never
   removes a pair; the comparisons weigh it.
3. **Comparison vector** (link/comparisons.py) per pair, scored by the learned weights of
   rules/linkage.yaml (link/model.py) into a link probability.
4. **Assignment** (`assign`): a figure of one article states at most one quantity that a
   figure of another article also states, so only mutual best partners are linked; pairs
   whose values agree compete too.

Compare (factcheck/compare) then decides what the linked values say, and the link
probability how sure the finding is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factcheck.extract.periods import Relation, relate
from factcheck.link.comparisons import ClaimWords, PairText, claim_words, comparison_vector
from factcheck.link.model import LinkModel, Scored
from factcheck.models import Claim
from factcheck.rules import Rules, per_rules

__all__ = ["Link", "LinkModel", "assign", "candidate_pairs", "link_key", "link_model", "links", "mutual_best", "pair_vectors"]

# Kinds of figure that can state the same quantity; anything else never meets.
_FAMILY = {"money": "money", "percent": "percent", "percentage_points": "points", "multiple": "multiple", "count": "count", "physical": "physical"}


def quantity_family(claim: Claim) -> str | None:
    return _FAMILY.get(claim.kind)


def link_key(claim: Claim) -> tuple[str, str] | None:
    """The block a claim is compared in: ("", quantity family).

    Recall first: blocking on each article's story company (its most-named subject) kept
    only 72% of the labelled pairs from scoring, since one story's articles often lead
    with different companies (the buyer, the target). The first slot is kept for a
    coarser key an archive needs; today every figure of one family meets every other.
    None keeps a claim out of every comparison (durations)."""
    family = quantity_family(claim)
    if family is None:
        return None
    return ("", family)


@dataclass(frozen=True)
class Link:
    a: Claim
    b: Claim
    relation: Relation
    vector: dict[str, str]
    matched: Scored  # the assignment's score: who pairs with whom
    confirmed: Scored  # the link probability reported: one quantity or two

    @property
    def probability(self) -> float:
        return self.confirmed.probability


def _link(a: Claim, b: Claim, vector: dict[str, str], model: LinkModel) -> Link:
    return Link(a, b, relate(a.period, b.period), vector, model.match(vector), model.confirm(vector))


def _same_sentence(a: Claim, b: Claim) -> bool:
    # Two figures in one sentence are the writer's own contrast ("from $2.8 trillion to
    # $3.3 trillion", "above consensus of $925 billion"): never one quantity twice.
    return a.path == b.path and a.line == b.line and a.column == b.column


def bare_unit(unit: str) -> str:
    """"USD / share" -> "USD": the quantity's unit without the rate it is written per."""
    return unit.partition(" / ")[0]


def rate_omitted(a: Claim, b: Claim) -> bool:
    """One figure written per something ("$95 a share", "$12.8 billion a quarter") and the
    other in the same currency without it ("pay $95", "profit of $12.8 billion"): a writer
    often leaves out what the context makes plain. Whether the two are one quantity is the
    comparisons' question (unit: rate_differs); their values compare as written."""
    return a.unit != b.unit and bare_unit(a.unit) == bare_unit(b.unit) and (a.unit == bare_unit(a.unit) or b.unit == bare_unit(b.unit))


def comparable(a: Claim, b: Claim, rules: Rules) -> bool:
    if quantity_family(a) != quantity_family(b) or quantity_family(a) is None:
        return False
    if a.unit == b.unit or rate_omitted(a, b):
        return True
    units = rules.units
    return units.to_common(units.quantity(1.0, a.unit), units.quantity(1.0, b.unit)) is not None


def candidate_pairs(block: list[Claim], rules: Rules) -> Iterable[tuple[Claim, Claim]]:
    """Every pair of a block that could state one quantity: different sentences, units
    that compare. Claims are ordered by place so that the pairs come in reading order."""
    ordered = sorted(block, key=lambda c: (c.path, c.line, c.column, c.text))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if not _same_sentence(a, b) and comparable(a, b, rules):
                yield a, b


link_model = per_rules(lambda rules: LinkModel.load(rules.directory))


def pair_vectors(pairs: Iterable[tuple[Claim, Claim]]) -> list[dict[str, str]]:
    """The comparison vector of each pair; each claim's words are read once."""
    words: dict[int, ClaimWords] = {}

    def read(claim: Claim) -> ClaimWords:
        if id(claim) not in words:
            words[id(claim)] = claim_words(claim)
        return words[id(claim)]

    return [comparison_vector(a, b, PairText(read(a), read(b))) for a, b in pairs]


def score_pairs(pairs: list[tuple[Claim, Claim]], model: LinkModel) -> list[Link]:
    return [_link(a, b, vector, model) for (a, b), vector in zip(pairs, pair_vectors(pairs))]


def score_pair(a: Claim, b: Claim, model: LinkModel) -> Link:
    """One pair scored on its own, as the exact-key comparison asks of each finding."""
    return _link(a, b, comparison_vector(a, b), model)


def mutual_best(pairs: Sequence[tuple[Claim, Claim]], scores: Sequence[float]) -> list[int]:
    """The indexes of the pairs that are each other's best partner per pair of articles
    (one article with itself included).

    A figure is linked to the figure of the other article it most likely restates, and
    only when that figure's best partner in this article is it in turn. Ties go to the
    earlier pair, so the result does not depend on the order of articles."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for index, ((a, b), score) in enumerate(zip(pairs, scores)):
        for own, other in ((a, b), (b, a)):
            key = (id(own), other.path)
            held = best.get(key)
            if held is None or score > held[0]:
                best[key] = (score, index)
    return [i for i, (a, b) in enumerate(pairs) if best[(id(a), b.path)][1] == i and best[(id(b), a.path)][1] == i]


def assign(scored: list[Link]) -> list[Link]:
    """The links whose two figures are each other's best match (mutual_best)."""
    chosen = mutual_best([(link.a, link.b) for link in scored], [link.matched.probability for link in scored])
    return [scored[i] for i in chosen]


def links(block: list[Claim], rules: Rules) -> list[Link]:
    """The block's assigned links, in reading order of their first figure."""
    return assign(score_pairs(list(candidate_pairs(block, rules)), link_model(rules)))


def group_by_key(claims: Iterable[Claim]) -> dict[tuple[str, str], list[Claim]]:
    """The blocks of a run, as the engines key them."""
    blocks: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        key = link_key(claim)
        if key is not None:
            blocks[key].append(claim)
    return dict(blocks)
