"""Stage 5: one block of aligned claims in, findings out.

Each pair passes a chain of policies, one per file, in this order; the first that decides
wins. `Agreement` ends the chain with no finding when the figures agree.

    FC105 direction  -> FC104 window (overlapping windows) -> agreement ->
    FC103 rounding   -> unrelated -> FC101 scale -> FC104 window (unknown period) -> FC102 value

`Unrelated` ends the chain with no finding when no slip explains how far apart the
figures are (two things, not one figure written twice).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator

from factcheck.align import ClaimPair, candidate_pairs, split_by_period
from factcheck.compare.base import JUST_BELOW, Consistent, PairFacts, Side
from factcheck.compare.consistent import Agreement
from factcheck.compare.corroborated import CODES as CORROBORATED_CODES
from factcheck.compare.corroborated import corroboration
from factcheck.compare.evidence import why_not_error
from factcheck.compare.fc101_scale import ScaleMismatch
from factcheck.compare.fc102_value import ValueConflict
from factcheck.compare.fc103_rounding import RoundingDifference
from factcheck.compare.fc104_window import UnknownWindow, WindowDifference
from factcheck.compare.fc105_direction import DirectionConflict
from factcheck.compare.unrelated import Unrelated
from factcheck.compare.transposed import TransposedDigits, digits_of
from factcheck import link as linkage
from factcheck.link import Link, LinkModel
from factcheck.models import Claim, Finding, LinkContribution, LinkExplanation
from factcheck.extract.periods import Relation
from factcheck.rules import Rules

POLICY_CHAIN = (
    DirectionConflict(),
    WindowDifference(),
    Agreement(),
    RoundingDifference(),
    Unrelated(),
    ScaleMismatch(),
    TransposedDigits(),
    UnknownWindow(),
    ValueConflict(),
)

_KIND = {policy.code: policy.kind for policy in POLICY_CHAIN if policy.code is not None}


def _side(claim: Claim, factor: float, rules: Rules) -> Side:
    value = claim.value * factor
    high = claim.high * factor if claim.high is not None else None
    res = (claim.resolution or 0.0) * abs(factor)
    half = res / 2
    q = claim.qualifier
    if high is not None:
        lo, hi = min(value, high) - half, max(value, high) + half
    elif q in ("over", "at_least"):
        lo, hi = value - (half if q == "at_least" else 0.0), math.inf
    elif q in ("under", "up_to"):
        lo, hi = -math.inf if value < 0 else 0.0, value + (half if q == "up_to" else 0.0)
    elif q == "approx":
        share = abs(value) * rules.policy.thresholds.approx_tolerance
        # "nearly 30,000" is rounded to the ten thousand: it covers 28,000, though that is
        # more than the share away; never more than twice the share ("about 2,000" is no 1,600)
        slack = max(half, share, min(_rounding_step(value, res) / 2, 2 * share))
        lo, hi = value - slack, value + slack
        if JUST_BELOW.match(claim.text):
            # "almost $60 billion" is short of it: the slack lies below the figure only
            lo, hi = (value - slack, value + half) if value >= 0 else (value - half, value + slack)
    else:
        lo, hi = value - half, value + half
    centre = (value + high) / 2 if high is not None else value
    if high is not None:
        raw = (min(value, high), max(value, high))
    elif q in ("over", "at_least"):
        raw = (value, math.inf)
    elif q in ("under", "up_to"):
        raw = (-math.inf, value)
    else:
        raw = (value, value)
    return Side(claim, lo, hi, centre, res, *raw)


def _rounding_step(value: float, res: float) -> float:
    """The step a whole number is rounded to, trailing zeros included: 30,000 to the ten
    thousand, 725 to the unit."""
    digits = digits_of(value, res)
    if digits is None or digits.strip("0") == "":
        return res
    return res * 10 ** (len(digits) - len(digits.rstrip("0")))


def pair_facts(pair: ClaimPair, rules: Rules) -> PairFacts | None:
    """Both claims in one unit; None when their units cannot be compared."""
    a, b = pair.a, pair.b
    units = rules.units
    if a.unit == b.unit:
        fa = fb = 1.0
        unit, via_fx = a.unit, False
    else:
        common = units.to_common(units.quantity(1.0, a.unit), units.quantity(1.0, b.unit))
        if common is None:
            return None
        fa, fb, unit = common
        via_fx = _currency(a.unit) != _currency(b.unit)
    sa, sb = _side(a, fa, rules), _side(b, fb, rules)
    if via_fx:
        tol = units.fx_tolerance
        sa = Side(a, sa.lo - abs(sa.centre) * tol, sa.hi + abs(sa.centre) * tol, sa.centre, sa.resolution, sa.raw_lo, sa.raw_hi)
    return PairFacts(sa, sb, pair.relation, unit, via_fx, rules)


def _currency(unit: str) -> str:
    return unit.partition(" / ")[0]


def judge_pair(pair: ClaimPair, rules: Rules) -> tuple[str, str] | None:
    """(code, message) for a pair that conflicts; None when it does not."""
    if pair.relation is Relation.DISJOINT:
        return None  # different days, different figures
    facts = pair_facts(pair, rules)
    if facts is None:
        return None
    for policy in POLICY_CHAIN:
        verdict = policy.check(facts)
        if verdict is Consistent.YES:
            return None
        if verdict:
            return policy.code, verdict
    return None


def finding_id(code: str, claims: Iterable[Claim]) -> str:
    """Stable while the quoted sentences are unchanged; blind to line numbers."""
    digest = hashlib.sha256(code.encode())
    for c in sorted(claims, key=lambda c: (c.path, c.sentence, c.text)):
        digest.update(f"\x00{c.path}\x00{c.sentence}\x00{c.text}".encode())
    return f"{code}-{digest.hexdigest()[:12]}"


def compare_block(block: list[Claim], rules: Rules, counters: dict[str, int] | None = None) -> list[Finding]:
    """Findings for one (subject, metric) block: one finding per conflicting pair.

    Pairs are not merged into larger findings: a finding lists exactly the claims that
    disagree, so a consistent restatement elsewhere in the block is never implicated.

    A run of overlapping periods stops at `max_findings_per_block` findings plus one that
    says so. Every pair of a run of n different figures can conflict: 20,000 revenue
    figures of one company and year are 200 million pairs, hours of judging and a report
    nobody reads, so the comparison stops there as a compiler stops at its error limit.
    The limit is per run, not per block, so that an engine comparing a block's runs
    apart (align.split_by_period) reports the same findings.
    """
    metric = rules.metric_by_id.get(block[0].metric) if block else None
    timeless = bool(metric and metric.timeless)
    runs = [block] if timeless else split_by_period(block)
    return without_restated_conversions([f for run in runs for f in _compare_run(run, metric, timeless, rules, counters)])


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


def _compare_run(run: list[Claim], metric, timeless: bool, rules: Rules, counters: dict[str, int] | None) -> Iterator[Finding]:
    limit = rules.policy.thresholds.max_findings_per_block
    model = linkage.link_model(rules)
    found = 0
    reach = rules.policy.error_evidence.publication_window_days if metric is not None and metric.time_sensitive else None
    revision = rules.policy.thresholds.forecast_revision_days
    for pair in candidate_pairs(run, timeless=timeless, undated_reach_days=reach, revision_days=revision):
        if counters is not None:
            counters["pairs"] = counters.get("pairs", 0) + 1
        ordered = sorted((pair.a, pair.b), key=lambda c: (c.path, c.line, c.column))
        # Judged in reading order so that the message names the claims as listed.
        verdict = judge_pair(ClaimPair(ordered[0], ordered[1], pair.relation), rules)
        if verdict is None:
            continue
        code, message = verdict
        severity = rules.severity(code)
        if severity == "error":
            held = why_not_error(ordered[0], ordered[1], metric, rules, code, pair.relation)
            if held is None and code in CORROBORATED_CODES:
                held = corroboration(ordered[0], ordered[1], run, rules, timeless)
            if held is not None:
                severity, message = "warning", f"{message} (a warning: {held})"
        found += 1
        if found > limit:
            message = (
                f"{message}; comparison of {ordered[0].subject} {ordered[0].metric} stopped here: "
                f"more than {limit} conflicting pairs in {len(run)} claims, the rest not compared "
                "(max_findings_per_block in severity.yaml)"
            )
        yield Finding(
            id=finding_id(code, ordered),
            code=code,
            kind=_KIND[code],
            severity=severity,
            subject=ordered[0].subject,
            metric=ordered[0].metric,
            message=message,
            claims=ordered,
            # how sure the learned link stage is that the two figures state one quantity
            link=explain(linkage.score_pair(ordered[0], ordered[1], model), model),
        )
        if found > limit:
            return


def compare_linked(
    block: list[Claim], rules: Rules, counters: dict[str, int] | None = None, model: LinkModel | None = None
) -> list[Finding]:
    """Findings for one block of the link stage (factcheck.link.group_by_key): one finding
    per linked pair whose values disagree. Checked by bench/linkage_cv.py; not yet the
    default path of `factcheck check`, which still compares compare_block's exact-key
    blocks until cross-validation shows the learned links do better.

    The link stage pairs each figure with at most one figure of each other article, and
    says how likely the two state one quantity (factcheck/link). The value relation then
    chooses the code, and the link probability its severity: a code whose severity is an
    error is reported as one only at or above the error threshold of rules/linkage.yaml,
    as a warning down to the warning threshold, and not at all below it.

    Findings stop at `max_findings_per_block` plus one that says so, as a compiler stops
    at its error limit: every pair of 20,000 figures can conflict.
    """
    model = model if model is not None else linkage.link_model(rules)
    limit = rules.policy.thresholds.max_findings_per_block
    found: list[Finding] = []
    for link in linkage.assign(linkage.score_pairs(list(linkage.candidate_pairs(block, rules)), model)):
        if counters is not None:
            counters["pairs"] = counters.get("pairs", 0) + 1
        if link.probability < model.thresholds.warning:
            continue
        a, b = sorted((link.a, link.b), key=lambda c: (c.path, c.line, c.column))
        # Judged in reading order so that the message names the claims as listed.
        verdict = judge_link(a, b, link.relation, rules)
        if verdict is None:
            continue
        code, message = verdict
        severity = rules.severity(code)
        if severity == "error" and link.probability < model.thresholds.error:
            severity = "warning"
        if len(found) == limit:
            message = (
                f"{message}; comparison stopped here: more than {limit} conflicting pairs in {len(block)} claims, "
                "the rest not compared (max_findings_per_block in severity.yaml)"
            )
        found.append(
            Finding(
                id=finding_id(code, (a, b)),
                code=code,
                kind=_KIND[code],
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
    return found


def judge_link(a: Claim, b: Claim, relation: Relation, rules: Rules) -> tuple[str, str] | None:
    """judge_pair for a linked pair, whose figures may differ by a rate one of them leaves
    out (link.rate_omitted): then both are judged in the unit they share."""
    if linkage.rate_omitted(a, b):
        a = a.model_copy(update={"unit": linkage.bare_unit(a.unit)})
        b = b.model_copy(update={"unit": linkage.bare_unit(b.unit)})
    return judge_pair(ClaimPair(a, b, relation), rules)


def explain(link: Link, model: LinkModel, top: int = 4) -> LinkExplanation:
    """The link's waterfall: the prior, then each comparison's weight, largest first."""
    parts = sorted(link.confirmed.contributions, key=lambda c: -abs(c.weight))
    return LinkExplanation(
        probability=round(link.probability, 3),
        prior=model.prior,
        contributions=[LinkContribution(comparison=c.comparison, level=c.level, weight=round(c.weight, 2)) for c in parts],
        summary=" · ".join(f"{c.comparison} {c.level.replace('_', ' ')} {c.weight:+.1f}" for c in parts[:top])
        + f" → {link.probability:.2f}",
    )
