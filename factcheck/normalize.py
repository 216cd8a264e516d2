"""Stage 3: mentions -> claims, in canonical form.

Values are already canonical magnitudes from quantities.py (pint units defined in
rules/units.txt); here the unit string is checked against the pint registry, the sign of a
move becomes its direction, and names are resolved to one canonical entity so that
claims from different outlets share a block key.
"""

from __future__ import annotations

from factcheck.extract import Mention, extract_mentions, lexicon
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
    index = lexicon(rules).entity_index
    subject = mention.subject
    if subject is not None:
        subject = index.resolve(subject) or subject
    return Claim(
        path=document.path,
        line=mention.sentence.line,
        column=mention.sentence.column,
        sentence=mention.sentence.text,
        text=q.text,
        value=value,
        high=high,
        resolution=q.resolution,
        unit=q.unit,
        kind=q.kind,
        qualifier=q.qualifier,
        period=mention.period,
        published=document.published,
        subject=subject,
        metric=mention.metric,
        direction=direction,
        forecast=mention.forecast,
        attribution=mention.attribution,
        scope=mention.scope,
        qualifiers=mention.qualifiers,
        session=mention.session,
        evidence=mention.evidence,
    )


def extract_claims(document: Document, rules: Rules) -> list[Claim]:
    """One document in, its claims out: the function to map over an archive."""
    return [normalize_mention(m, document, rules) for m in extract_mentions(document, rules)]
