"""Stage 3: mentions -> claims, in canonical form.

Values are already canonical magnitudes from quantities.py (pint units defined in
rules/units.txt); here the unit string is checked against the pint registry, the sign of a
move becomes its direction, and names are resolved to one canonical entity so that
claims from different outlets share a block key.
"""

from __future__ import annotations

from factcheck.extract import Mention, extract_mentions, lexicon
from factcheck.extract.cues import _LARGEST_SHARE_PRICE as LARGEST_SHARE_PRICE
from factcheck.models import Claim, Document
from factcheck.rules import Rules


def normalize_mention(mention: Mention, document: Document, rules: Rules) -> Claim:
    q = mention.quantity
    value, high, direction = q.value, q.high, mention.direction
    if q.kind in ("percent", "percentage_points") and value < 0:
        # "-3.2%" and "down 3.2%" state the same move; keep magnitude and direction apart.
        value, direction = -value, direction or "down"
        if high is not None:
            high = -high
            value, high = min(value, high), max(value, high)
    metric, unit, qualifiers = mention.metric, q.unit, mention.qualifiers
    rule = rules.metric_by_id.get(metric) if metric is not None else None
    if rule is not None and rule.per_share is not None and q.kind == "money" and abs(q.value) < LARGEST_SHARE_PRICE:
        # "earned $1.48 a share", "profit of $1.48 per share" and "EPS was $1.48" are one
        # figure: earnings per share, in a currency per share ("$15 billion ($1.17 per
        # share)": the billions are no share's)
        if unit.endswith("/ share") or "per share" in qualifiers:
            metric, qualifiers = rule.per_share, tuple(x for x in qualifiers if x != "per share")
        if metric == rule.per_share and "/" not in unit:
            unit = f"{unit} / share"
    index = lexicon(rules).entity_index
    subject = mention.subject
    if subject is not None:
        subject = index.resolve(subject) or subject
    return Claim(
        path=document.path,
        line=mention.sentence.line,
        column=mention.sentence.column,
        sentence=mention.sentence.quote or mention.sentence.text,
        text=q.text,
        value=value,
        high=high,
        resolution=q.resolution,
        unit=unit,
        kind=q.kind,
        qualifier=q.qualifier,
        period=mention.period,
        published=document.published,
        subject=subject,
        metric=metric,
        direction=direction,
        forecast=mention.forecast,
        attribution=mention.attribution,
        scope=mention.scope,
        qualifiers=qualifiers,
        session=mention.session,
        evidence=mention.evidence,
        change=mention.change,
        product=mention.product,
        parts=mention.parts,
    )


def extract_claims(document: Document, rules: Rules) -> list[Claim]:
    """One document in, its claims out: the function to map over an archive."""
    return [normalize_mention(m, document, rules) for m in extract_mentions(document, rules)]
