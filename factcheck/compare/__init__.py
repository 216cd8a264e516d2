"""Stage 5: one block of the link stage in, findings out.

A pair the link stage links is judged: its figures put in one unit and passed down a
chain of policies, one per file, in this order; the first that decides wins.

    FC105 direction  -> FC104 window (overlapping windows) -> agreement ->
    FC103 rounding   -> unrelated -> FC101 scale -> transposed digits -> FC102 value

Beside the chain, checks that need one article only, each a pure step that maps over
articles as extraction does (ARTICLE_POLICIES, ARTICLE_CHECKS): FC201 (fc201_change.py)
finds the changes that their own from/to figures contradict, FC202 (fc202_product.py) the
totals their own price and count do not give, FC203 (fc203_parts.py) the parts their own
whole cannot hold; precision.py holds what they share. FC201 across articles is judged
here, on the linked pairs whose figures agree (`change_across`).

`Agreement` ends the chain with no finding when the figures agree; `Unrelated` when no
slip explains how far apart they are. Before that, every candidate pair's value level
(link/values.py) is what the link stage's assignment weighs to choose each figure's
partner; the linked pairs whose figures disagree become findings, at the severity that
the link probability earns for their value relation (rules/linkage.yaml, `severity`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factcheck import link as linkage
from factcheck.compare.base import Consistent
from factcheck.compare.consistent import Agreement
from factcheck.compare.fc101_scale import ScaleMismatch
from factcheck.compare.fc102_value import ValueConflict
from factcheck.compare.fc103_rounding import RoundingDifference
from factcheck.compare.fc104_window import WindowDifference
from factcheck.compare.fc105_direction import DirectionConflict
from factcheck.compare.fc201_change import ChangeArithmetic, change_findings
from factcheck.compare.fc201_change import across as change_across_pair
from factcheck.compare.precision import sentence_finding
from factcheck.compare.fc202_product import PriceTimesCount, product_findings
from factcheck.compare.fc203_parts import PartsAndWhole, parts_findings
from factcheck.compare.transposed import TransposedDigits
from factcheck.compare.unrelated import Unrelated
from factcheck.errors import FactcheckError, RulesError
from factcheck.extract.periods import Relation, relate
from factcheck.groups import sharing
from factcheck.link import Link, LinkModel
from factcheck.link.comparisons import ONE_COMPANY, OTHER_POLLS, two_named_companies
from factcheck.link.values import agreeing, pair_facts, rate_omitted, value_level
from factcheck.models import SEVERITY_RANK, Claim, Finding, LinkContribution, LinkExplanation
from factcheck.present import day_in_year, describe_claim
from factcheck.rules import Rules

POLICY_CHAIN = (
    DirectionConflict(),
    WindowDifference(),
    Agreement(),
    RoundingDifference(),
    Unrelated(),
    ScaleMismatch(),
    TransposedDigits(),
    ValueConflict(),
)

_AGREEMENT = next(policy for policy in POLICY_CHAIN if isinstance(policy, Agreement))

# Policies that judge one article's figures on their own, outside the link stage.
ARTICLE_POLICIES = (ChangeArithmetic(), PriceTimesCount(), PartsAndWhole())
# Their checks, in the same order: one article's claims in, its findings out (the pipeline calls them).
ARTICLE_CHECKS = (change_findings, product_findings, parts_findings)

_KIND = {policy.code: policy.kind for policy in POLICY_CHAIN if policy.code is not None}

# The value relation of a finding, which its severity thresholds are keyed by: the value
# level of link/values.py ("rounded" is a rounding, "hedged" a bound or range that the
# other figure is reported against), or what a policy found that no distance says.
_BY_POLICY = {RoundingDifference: "rounding", DirectionConflict: "sign", WindowDifference: "window", TransposedDigits: "digits"}
_BY_LEVEL = {"same": "near", "rounded": "rounding", "hedged": "bounds", "near": "near", "apart": "apart", "far": "far", "scale": "scale"}
RELATIONS = ("rounding", "bounds", "near", "apart", "far", "scale", "digits", "sign", "window")


@dataclass(frozen=True)
class Verdict:
    """The finding a linked pair makes: its code, message and value relation."""

    code: str
    message: str
    relation: str  # RELATIONS: what the finding's severity is keyed by


def value_levels(pairs: Iterable[tuple[Claim, Claim]], rules: Rules) -> list[str | None]:
    """The value level of each candidate pair (link/values.py), which the assignment
    weighs; None where the units cannot be compared."""
    out: list[str | None] = []
    for a, b in pairs:
        facts = pair_facts(a, b, Relation.UNKNOWN, rules)
        out.append(None if facts is None else value_level(facts))
    return out


def judge(a: Claim, b: Claim, rules: Rules) -> Verdict | None:
    """The finding a pair in reading order makes (its message names them so), or None:
    the values agree, are too far apart for any slip, are of different days, of two
    listings of the company or two forecasts made weeks apart, or their units do not
    compare."""
    relation = relate(a.period, b.period)
    if relation is Relation.DISJOINT:
        return None  # different days, different figures
    listed_a, listed_b = _listings(a, rules), _listings(b, rules)
    if listed_a and listed_b and listed_a != listed_b:
        return None  # a company's Hong Kong shares and its ADRs trade apart: two securities
    if revised(a, b, rules):
        return None  # a forecast made again weeks later, a statistic's later release: a revision, not a second account
    facts = pair_facts(a, b, relation, rules)
    if facts is None:
        return None
    for policy in POLICY_CHAIN:
        outcome = policy.check(facts)
        if outcome is Consistent.YES:
            return None
        if outcome:
            return Verdict(policy.code, outcome, _relation(policy, facts, value_level(facts)))
    return None


def revised(a: Claim, b: Claim, rules: Rules) -> bool:
    """Two forecasts, or two readings of a national statistic, published more than
    `revision_days` apart (rules/severity.yaml). A forecast is of the day it is made, as a
    closing price is: guidance given in February and again in July is two figures, the
    second a revision. A statistic is revised from release to release (an advance estimate
    of a quarter's growth, then a second and a third): a month apart, two articles quote
    two vintages, both right when written. (In the labelled groups, none of the 73 pairs of
    forecasts published over two weeks apart whose values differ is one quantity, nor any
    labelled conflict between two statistics' figures.)"""
    if a.published is None or b.published is None or abs((a.published - b.published).days) <= rules.policy.thresholds.revision_days:
        return False
    if a.forecast and b.forecast:
        return True
    metrics = rules.metric_by_id
    return all(c.metric in metrics and metrics[c.metric].statistic for c in (a, b))


def _listings(claim: Claim, rules: Rules) -> frozenset[str]:
    """The listings a figure is of, as extraction names them: a depositary kind of
    `rules/qualifiers.yaml` ("ADR") or a place hyphened to a listing word ("hong kong
    listing")."""
    if not claim.qualifiers:
        return frozenset()  # (most figures: judged for every candidate pair, kept cheap)
    kinds = {k.lower() for k in rules.qualifiers.listing_phrases}
    return frozenset(q.lower() for q in claim.qualifiers if q.lower() in kinds or q.lower().endswith(" listing"))


def _relation(policy, facts, level: str) -> str:
    if type(policy) in _BY_POLICY:
        return _BY_POLICY[type(policy)]
    if facts.opposite_bounds() or facts.utmost_and_point() or facts.ranges_differ():
        return "bounds"  # figures that meet and still conflict: a bound, an end of a range
    return _BY_LEVEL[agreeing(level)]


def finding_id(code: str, claims: Iterable[Claim]) -> str:
    """Stable while the quoted sentences are unchanged; blind to line numbers, and so to a
    sentence an article repeats (the finding lists both mentions, the id counts one)."""
    digest = hashlib.sha256(code.encode())
    for path, sentence, text in sorted({(c.path, c.sentence, c.text) for c in claims}):
        digest.update(f"\x00{path}\x00{sentence}\x00{text}".encode())
    return f"{code}-{digest.hexdigest()[:12]}"


def _place(claim: Claim) -> tuple[str, int, int]:
    return (claim.path, claim.line, claim.column)


def without_restated_conversions(findings: list[Finding]) -> list[Finding]:
    """"values it at NOK 42bn (€3.6bn)": the converted figure restates the one before it,
    so where both disagree with the same figure elsewhere, the original's finding says it
    all and the conversion's is the same finding again, off by an outlet's rate."""
    originals = {
        (_place(c), id(o))
        for f in findings
        for c, o in (f.claims, f.claims[::-1])
        if c.evidence.get("value") != "converted"
    }
    kept = []
    for f in findings:
        converted = [(c, o) for c, o in (f.claims, f.claims[::-1]) if c.evidence.get("value") == "converted"]
        if any((_place(c), id(o)) in originals for c, o in converted):
            continue
        kept.append(f)
    return kept


def compare_block(block: list[Claim], rules: Rules, counters: dict[str, int] | None = None, model: LinkModel | None = None) -> list[Finding]:
    """Findings for one block of the link stage (factcheck.link.group_by_key).

    The link stage pairs each figure with at most one figure of each other article (the
    assignment weighs each candidate's value level) and says how likely the two state
    one quantity; each linked pair is judged. A linked pair whose values disagree is a
    finding when its link probability reaches the warning threshold of its value
    relation, and an error when its code's severity is error and the probability reaches
    that relation's error threshold. Two figures of one article's body are reported only
    at `within_article`'s severity or above, and only as one company's (rules/severity.yaml).

    A block of more than `max_block_claims` figures is refused (FactcheckError naming
    its first article): every pair is a candidate. Findings stop at
    `max_findings_per_block` plus one that says so, as a compiler stops at its error
    limit.
    """
    most = rules.policy.thresholds.max_block_claims
    if len(block) > most:
        first = min(block, key=lambda c: (c.path, c.line))
        raise FactcheckError(
            first.path,
            f"{len(block):,} {linkage.quantity_family(first)} figures in one story are more than max_block_claims "
            f"({most:,}) in severity.yaml lets the run compare pair by pair; check fewer articles at once or raise it",
            first.line,
        )
    model = model if model is not None else linkage.link_model(rules)
    thresholds = severity_thresholds(model)
    limit = rules.policy.thresholds.max_findings_per_block
    pairs = linkage.scored_pairs(block, rules)
    levels = value_levels(pairs, rules)
    if counters is not None:
        counters["pairs"] = counters.get("pairs", 0) + len(pairs)
    found: list[Finding] = []
    restatements: list[tuple[Claim, Claim]] = []
    agreeing: list[Link] = []
    story = linkage.Story.of(block, rules)
    for index, link in linkage.links(pairs, model, levels, story):
        # an undated article's "in July" is its story's July, as the link read it
        verdict = judge(story.placed(link.a), story.placed(link.b), rules)
        # A title that gives its own article's figure again, or rounds it ("$8B" over
        # "$7.96 billion"), is the article's one figure: a place the finding lists, not a
        # finding of its own.
        own_title = linkage.title_and_body(link.a, link.b)
        if not reported(link.vector, rules):
            continue  # two companies' or two polls' figures: neither a finding nor a restatement of one
        if verdict is None or (own_title and verdict.relation == "rounding"):
            sure = link.probability >= thresholds["near"].warning
            if (own_title or sure) and _copy_of(link.a, link.b, rules):
                restatements.append((link.a, link.b))
                if sure:
                    agreeing.append(link)
            continue
        severity = _severity(rules.severity(verdict.code), link.probability, thresholds[verdict.relation])
        if severity is None or (linkage.one_body(link.a, link.b) and not _within_article(severity, link, rules)):
            continue
        message = verdict.message
        a, b = link.a, link.b
        found.append(
            Finding(
                id=finding_id(verdict.code, (a, b)),
                code=verdict.code,
                kind=_KIND[verdict.code],
                severity=severity,
                subject=a.subject or b.subject,
                metric=a.metric or b.metric,
                message=message,
                claims=[a, b],
                link=explain(link, model),
            )
        )
        if len(found) > limit:
            break
    surer = without_weak_links(found, rules)
    quantities = one_per_quantity(without_restated_conversions(surer), rules, restatements, written_again(surer, block, rules))
    if len(found) > limit:
        quantities = _stopped_at(quantities, found[limit], limit, len(block))
    return quantities + change_across(agreeing, block, rules, model, thresholds["near"])


def written_again(found: Iterable[Finding], block: Iterable[Claim], rules: Rules) -> list[tuple[Claim, Claim]]:
    """Each figure of a finding that its article writes again word for word, for the same
    metric, segment and basis and a period that can be the same (a lead's figure repeated
    in a summary or a table): one figure, which the finding lists wherever it is given, as
    an editor corrects it everywhere. The assignment linked one mention; the others are
    copies."""
    found = list(found)
    if not found:
        return []  # most blocks: no finding, nothing to index
    mentions: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in block:
        if claim.metric is not None:
            mentions[_written_as(claim)].append(claim)
    copies = []
    for finding in found:
        for claim in finding.claims:
            if claim.metric is None:
                continue
            copies += [(claim, other) for other in mentions[_written_as(claim)] if other is not claim and _copy_of(claim, other, rules)]
    return copies


def _written_as(claim: Claim) -> tuple:
    """What makes two mentions of an article one figure written again: the words of the
    figure, its metric and the segment or basis words it was read with ("$1.2 billion" of
    one segment's revenue is not the same words for another's)."""
    return (claim.path, claim.text, claim.metric, tuple(sorted(q.lower() for q in claim.qualifiers)))


def change_across(agreeing: Sequence[Link], block: list[Claim], rules: Rules, model: LinkModel, near: linkage.SeverityThresholds) -> list[Finding]:
    """FC201 across articles (fc201_change.across): one article's stated change against
    the from/to figures of another, on linked figures that agree (one quantity). Its
    severity is FC201's, and an error only where the link probability also reaches the
    error threshold of the "near" relation."""
    policy = next(p for p in ARTICLE_POLICIES if isinstance(p, ChangeArithmetic))
    found: dict[str, Finding] = {}
    for link in agreeing:
        for outcome, cited in change_across_pair(link.a, link.b, block, rules):
            finding = sentence_finding(policy, outcome, cited, rules)
            severity = _severity(finding.severity, link.probability, near)
            if severity is None or finding.id in found:
                continue
            found[finding.id] = finding.model_copy(
                update={
                    "severity": severity,
                    "subject": finding.subject or cited[-1].subject,
                    "metric": finding.metric or cited[-1].metric,
                    "link": explain(link, model),
                }
            )
    return list(found.values())


def _stopped_at(findings: list[Finding], last: Finding, limit: int, claims: int) -> list[Finding]:
    """The quantity finding that holds the last pair compared says the comparison stopped there."""
    note = (
        f"; comparison stopped here: more than {limit} conflicting pairs in {claims} claims, "
        "the rest not compared (the limit of findings per story is set in the rules' severity file)"
    )
    last_mentions = {_mention(c) for c in last.claims}
    out = list(findings)
    for i, finding in enumerate(out):
        if last_mentions & {_mention(c) for c in (*finding.claims, *finding.restated)}:
            out[i] = finding.model_copy(update={"message": finding.message + note})
            break
    return out


def one_per_quantity(
    findings: list[Finding], rules: Rules, restatements: Sequence[tuple[Claim, Claim]] = (), written: Sequence[tuple[Claim, Claim]] = ()
) -> list[Finding]:
    """Findings that share a figure are about one quantity, and one finding lists its
    figures.

    The assignment gives a figure at most one partner per article, so a quantity five
    articles state makes up to ten pair findings ("$69 billion" against "$68.7 billion" in
    each of four other articles). An editor reads one: the quantity, the figures given for
    it and where, with the surest and most severe of its pairs as the headline (its code,
    message and link). Record linkage ends the same way, in clusters of the linked records.

    `restatements` are linked pairs whose figures agree (one figure given twice): a
    figure that restates one of a finding's figures is part of its quantity too, so the
    finding lists every place the figure is given, not only the one the assignment paired.
    `written` are a finding's figures and their word-for-word copies in their own article
    (`written_again`), listed with the finding that holds the figure. Where the copy is a
    figure of another finding, the two findings are one quantity: an article that gives
    "$4.2 billion" of one metric in its table and again in its text states one figure,
    which each finding set against another article's mention of the same quantity.
    """
    n = len(findings)
    items = [[_mention(c) for c in f.claims] for f in findings] + [[_mention(a), _mention(b)] for a, b in written]
    # each written pair holds a finding's figure, so every set holds a finding
    groups = [[i for i in joined if i < n] for joined in sharing(items)]
    # A chain of restatements (a third article restating the second's copy) joins the one
    # quantity it touches. It never joins two into one: an agreeing link between them says
    # less than their own links that they differ ("nearly 4%" of one year is not the "4%"
    # of another).
    group_of = {_mention(c): g for g, group in enumerate(groups) for i in group for c in findings[i].claims}
    copies: dict[int, list[Claim]] = defaultdict(list)
    for chain in sharing([_mention(a), _mention(b)] for a, b in restatements):
        claims = {_mention(c): c for i in chain for c in restatements[i]}
        touched = {group_of[m] for m in claims if m in group_of}
        if len(touched) == 1:
            g = touched.pop()
            copies[g] += [c for m, c in claims.items() if m not in group_of]
    for claim, copy in written:
        g = group_of.get(_mention(claim))
        if g is not None and _mention(copy) not in group_of:
            copies[g].append(copy)
    out = []
    for g, group in enumerate(groups):
        members = [findings[i] for i in group]
        out.append(_quantity_finding(members, rules, copies[g]) if len(members) > 1 or copies[g] else members[0])
    return out


def _mention(claim: Claim) -> tuple[str, int, int, str]:
    return (claim.path, claim.line, claim.column, claim.text)


def _quantity_finding(members: list[Finding], rules: Rules, copies: Sequence[Claim] = ()) -> Finding:
    """A warning asks for one precision wherever the figure is given, so it lists every
    mention; an error asks for one figure to be corrected, so it lists the figures in
    conflict, one per value, their copies as `restated`, and its message counts the
    articles behind each."""
    head = max(members, key=lambda f: (SEVERITY_RANK[f.severity], f.link.probability if f.link else 0.0))
    seen = {_mention(c) for c in head.claims}
    rest = sorted(
        {_mention(c): c for c in (*(c for f in members for c in f.claims), *copies) if _mention(c) not in seen}.values(),
        key=lambda c: (c.path, c.line, c.column, c.text),
    )
    everyone = [*head.claims, *rest]
    listed, restated = list(head.claims), []
    for claim in rest:
        # one per value: the links made these figures one quantity, so a figure of a listed
        # one's value is a copy of it even where the two were read for times that cannot
        # both be right ("$1.12 a share" for a fiscal quarter, "$1.12" for the month it ended in)
        if head.severity == "error" and any(_copy_of(claim, other, rules, any_period=True) for other in listed):
            restated.append(claim)
        else:
            listed.append(claim)
    return head.model_copy(
        update={
            "id": finding_id(head.code, listed),
            "claims": listed,
            "restated": restated,
            "message": f"{head.message}; {_tally(everyone)}",
        }
    )


def _copy_of(a: Claim, b: Claim, rules: Rules, any_period: bool = False) -> bool:
    """The two figures agree within their written precision, for one period: one figure
    given twice. (A rounding, "8.8%" beside "8.81%", is no copy: it asks for one
    precision.) With `any_period`, two exact figures of one value are copies whatever
    periods they were read for."""
    relation = relate(a.period, b.period)
    if relation is Relation.DISJOINT:
        return any_period and a.qualifier == b.qualifier == "exact" and (a.value, a.high) == (b.value, b.high) and (a.unit == b.unit or rate_omitted(a, b))
    facts = pair_facts(a, b, relation, rules)
    return facts is not None and _AGREEMENT.check(facts) is Consistent.YES


def _tally(claims: list[Claim]) -> str:
    """"as given in 4 articles: $68.7 billion (3), $69 billion (1)": each figure with how
    many articles give it."""
    articles: dict[str, set[str]] = {}
    # where some article gives a day without its year, every day is named by month and day,
    # so that one day given with and without its year is counted once
    yearless = any(c.kind == "date" and "year" in c.evidence for c in claims)
    for c in claims:
        said = day_in_year(c.value) if yearless and c.kind == "date" else describe_claim(c)
        articles.setdefault(said, set()).add(c.path)
    n = len({c.path for c in claims})
    parts = ", ".join(f"{value} ({len(paths)})" for value, paths in sorted(articles.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    return f"as given in {n} article{'s' if n != 1 else ''}: {parts}"


def reported(vector: dict[str, str], rules: Rules) -> bool:
    """Whether a linked pair may make a finding, or be listed as a restatement: its
    subjects (`reported_subjects`) and its polls (`reported_polls`) allow it."""
    return reported_subjects(vector, rules) and reported_polls(vector, rules)


def reported_polls(vector: dict[str, str], rules: Rules) -> bool:
    """Whether the polls of two consensus figures allow a finding: not when one is named
    and the other is another's or unnamed (`other_polls`). Two polls ask different
    analysts at different times and give different figures, both right; an estimate whose
    poll its article never names may be any poll's. In the labelled groups every such pair
    is labelled clean, and a conflict between two estimates is between two of one poll or
    two unnamed ones."""
    return rules.policy.thresholds.other_polls or vector.get("poll") not in OTHER_POLLS


def reported_subjects(vector: dict[str, str], rules: Rules) -> bool:
    """Whether the subjects of a linked pair allow a finding, or a finding's listing one
    figure as a restatement of the other (`one_per_quantity`): not when each sentence names
    its own company and neither names the other's (`two_named_companies`). Such a link is
    one the assignment made because nothing nearer was there ("Kestrel Motors fell 8.81%"
    against the one figure of an article on another company); in the labelled groups none
    of the 4,500 candidate pairs at this level is a conflict. Nor when a sentence gives
    the other's company a figure of its own, both companies read in their own sentences
    (two lists of one day's moves): 3 of the 320 such pairs that could make a finding are
    on a labelled conflict, and each of those conflicts is found through another pair."""
    return rules.policy.thresholds.two_named_companies or not two_named_companies(vector)


def _within_article(severity: str, link: Link, rules: Rules) -> bool:
    """Whether two figures of one article's body are reported: at `within_article`'s
    severity or above, and (`within_article_same_subject`) only as one company's. In the
    labelled groups every conflict inside one article is between two figures of one company;
    an article's figures of no known company, or of two, are its list's items."""
    t = rules.policy.thresholds
    if SEVERITY_RANK[severity] < SEVERITY_RANK[t.within_article]:
        return False
    return not t.within_article_same_subject or link.vector.get("subject") in ONE_COMPANY


def without_weak_links(found: list[Finding], rules: Rules) -> list[Finding]:
    """Drops each quantity whose findings are all scale slips or value conflicts
    (`weak_link_codes`) on links below `weak_link_floor`, whatever their relations' learned
    warning thresholds: those hold the precision of every finding above them together, and
    out of fold the weakest such links they let through were on a labelled conflict almost
    never. A weak finding that shares a figure with a surer one stays, as one more mention
    of that quantity's finding."""
    t = rules.policy.thresholds
    weak = [f.code in t.weak_link_codes and f.link is not None and f.link.probability < t.weak_link_floor for f in found]
    if not any(weak):
        return found
    kept = {i for group in sharing([_mention(c) for c in f.claims] for f in found) if not all(weak[i] for i in group) for i in group}
    return [f for i, f in enumerate(found) if i in kept]


def _severity(default: str, probability: float, at: linkage.SeverityThresholds) -> str | None:
    """A code whose severity is error is one only at or above its relation's error
    threshold, and a warning down to the warning threshold; below it, nothing."""
    if probability < at.warning:
        return None
    if default == "error" and probability < at.error:
        return "warning"
    return default


def severity_thresholds(model: LinkModel) -> dict[str, linkage.SeverityThresholds]:
    """Every relation's thresholds; a relation the file leaves out is never reported."""
    unknown = set(model.spec.severity) - set(RELATIONS)
    if unknown:
        raise RulesError(model.source, f"severity: {', '.join(sorted(unknown))} is no value relation (known: {', '.join(RELATIONS)})")
    never = linkage.SeverityThresholds(warning=1.0, error=1.0)
    return {relation: model.spec.severity.get(relation, never) for relation in RELATIONS}


def explain(link: Link, model: LinkModel, top: int = 4) -> LinkExplanation:
    """The link's waterfall: the prior, then each comparison's weight, largest first."""
    parts = sorted(link.confirmed.contributions, key=lambda c: -abs(c.weight))
    # the summary reads the probability the report gives: 0.8749 is 0.875 there, so "0.88"
    # and not "0.87" beside it
    probability = round(link.probability, 3)
    return LinkExplanation(
        probability=probability,
        prior=model.prior,
        contributions=[LinkContribution(comparison=c.comparison, level=c.level, weight=round(c.weight, 2)) for c in parts],
        summary=" · ".join(f"{c.comparison} {c.level.replace('_', ' ')} {c.weight:+.1f}" for c in parts[:top])
        + f" → {probability:.2f}",
    )
