"""FC203 parts and whole: parts that their own whole cannot hold, or shares of one whole over 100%.

Anti-pattern
    "A, B and C contributed $2.1 billion, $3.4 billion and $4.2 billion of the $8.5 billion total." ($9.7 billion of $8.5 billion)
    "The $8.5 billion budget is split into $6 billion for rail and $4.5 billion for roads." ($10.5 billion)
    "Apple, Samsung and Xiaomi hold 45%, 38% and 30% of the market." (113%)

Best practice
    Add the parts up before it goes out. Parts "of the total" may leave some of it to
    others, but never exceed it; parts the whole is "split into" or "made up of" are all of
    it. Shares of one whole add up to 100% at most; say "respectively" and name each whole
    where they are shares of different ones.

Checked within one sentence, and only where the parse links them (rules/arithmetic.yaml):
the parts are figures of one unit coordinated by "and" (never "or"), and the whole hangs
from them by "of the ... total" or "out of" (some of it), or is what a split word divides
into them ("split into", "made up of": all of it); shares are percentages coordinated by
"and" that a share verb ("hold", "accounted for") holds "of" one whole, with no word giving
each its own ("respective", "each"). Every figure is a range of what its written precision
allows ("$2 billion" is $1.5-2.5 billion; "about", "more than" widen it), so a rounded
statement is never a finding. It is an error when the parts are `parts_error_factor`
(rules/severity.yaml) or more past every whole the figures allow, a warning when just outside.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.compare.precision import Outcome, named, point, ratio_outcome, sentence_findings, span
from factcheck.models import Claim, Finding
from factcheck.present import human_value
from factcheck.rules import Rules


class PartsAndWhole:
    code = "FC203"
    kind = "parts_and_whole"
    name = "parts and whole"


def parts_findings(claims: Iterable[Claim], rules: Rules) -> list[Finding]:
    """FC203 for one document's claims (precision.sentence_findings)."""
    return sentence_findings(claims, rules, PartsAndWhole(), "parts", _judged)


def _judged(sentence: list[Claim], whole: Claim, rules: Rules):
    relation = whole.parts
    assert relation is not None
    shares = relation.whole == "percent"  # the whole is then the first of the shares
    parts: list[Claim] = [whole] if shares else []
    for text in relation.figures[len(parts) :]:
        part = named(sentence, text, whole, *parts)
        if part is None:
            return None
        parts.append(part)
    return judge_parts(whole, parts, rules), parts if shares else [whole, *parts]


def judge_parts(whole: Claim, parts: list[Claim], rules: Rules) -> Outcome | None:
    """The finding the parts make, or None: their sum is one their whole allows."""
    relation = whole.parts.whole if whole.parts is not None else None
    limits = rules.policy.thresholds
    spans = [span(p, limits.approx_tolerance) for p in parts]
    total = (sum(s[0] for s in spans), sum(s[1] for s in spans))
    central = sum(p.value for p in parts)
    added = " + ".join(p.text for p in parts)
    if relation == "percent":
        if total[0] <= 100:
            return None
        return ratio_outcome(total, None, (0.0, 100.0), f"{added} = {central:g}% of one whole, over 100%", limits.parts_error_factor)
    w = span(whole, limits.approx_tolerance)
    summed = human_value(central, whole.unit)
    if relation == "some":
        # the rest of the whole may be elsewhere: only parts past it are wrong
        if total[0] <= w[1]:
            return None
        return ratio_outcome(total, None, (0.0, w[1]), f"{added} = {summed}, more than the {whole.text} they are of", limits.parts_error_factor)
    if relation == "all":
        return ratio_outcome(w, point(whole), total, f"{whole.text} vs {summed} implied by {added}", limits.parts_error_factor)
    return None
