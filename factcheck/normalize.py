"""Stage 3: mentions -> claims, in canonical form.

Values are already canonical magnitudes from quantities.py (pint units defined in
rules/units.txt); here the unit string is checked against the pint registry, the sign of a
move becomes its direction, and names are resolved to one canonical entity so that
claims from different outlets share a block key.
"""

from __future__ import annotations

from factcheck.extract import Mention, extract_mentions, lexicon
from factcheck.extract.cues import _LARGEST_SHARE_PRICE as LARGEST_SHARE_PRICE
from factcheck.models import Claim, Document, Figure
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


# The other figures of a sentence a claim keeps, nearest first: the two or three around a
# figure are the ones its sentence ties to it ("rose 3.2%, or $2.41, to $77.60"), and a
# sentence of a thousand figures must not make every claim carry the rest.
NEIGHBOURS_KEPT = 6


def extract_claims(document: Document, rules: Rules) -> list[Claim]:
    """One document in, its claims out: the function to map over an archive."""
    mentions = extract_mentions(document, rules)
    claims = [normalize_mention(m, document, rules) for m in mentions]
    return with_neighbours(claims, [m.quantity.start for m in mentions])


def with_neighbours(claims: list[Claim], starts: list[int]) -> list[Claim]:
    """Each claim with the other figures of its sentence (Claim.neighbours), nearest to it
    first, a figure written as the claim's own left out (a repetition, not a second fact).
    Each claim looks only at the few figures on either side of it in the sentence, so a
    sentence of thousands of figures costs time in proportion to them."""
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(claims):
        if c.kind != "date":  # a period's last day dates the sentence's figures; it is none of them
            by_sentence.setdefault((c.line, c.column), []).append(i)
    out = list(claims)
    reach = 2 * NEIGHBOURS_KEPT  # on each side: room for repetitions of the claim's own figure
    for members in by_sentence.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda j: starts[j])
        figure = {j: _figure(claims[j]) for j in members}
        for place, i in enumerate(members):
            around = members[max(0, place - reach) : place] + members[place + 1 : place + 1 + reach]
            others = sorted((j for j in around if claims[j].text != claims[i].text), key=lambda j: (abs(starts[j] - starts[i]), starts[j]))
            if others:
                out[i] = claims[i].model_copy(update={"neighbours": tuple(figure[j] for j in others[:NEIGHBOURS_KEPT])})
    return out


def _figure(claim: Claim) -> Figure:
    return Figure(value=claim.value, high=claim.high, resolution=claim.resolution, unit=claim.unit, kind=claim.kind, qualifier=claim.qualifier)
