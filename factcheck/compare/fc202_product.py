"""FC202 price x count: a total that the price and count it is stated to come from do not give.

Anti-pattern
    "It sold 8 million shares at $21 each, raising $1.7 billion." (8 million x $21 is $168 million)
    "A $47.55 million monthly rent, or $1.25 billion a year." ($47.55 million x 12 is $570.6 million)

Best practice
    Multiply before it goes out: the count by the price a unit for proceeds or a deal's
    value, the dividend a share by the shares for the payout, a monthly figure by 12 for
    the year. Where the total is net of fees or includes an over-allotment, say so.

Checked within one sentence, and only where the parse links the three (rules/arithmetic.yaml):
the count is what a transaction verb ("sold", "bought", "issued") sold or bought, the price
hangs from the same verb or its object ("at $21 each"), and the total is what a total verb
of the same transaction raised, valued or was worth ("raising", "valuing the stake at",
"for"), or restates it ("..., or $100 million"); or a rate a month (quarter, week) restated
as a rate a year ("$4 million a month, or $48 million a year"). Every figure is a range of
what its written precision allows ("about", "nearly", "more than" widen it), so a rounded
statement is never a finding. It is an error when the total is `product_error_factor`
(rules/severity.yaml) or more from every product the figures allow, a warning when just
outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from factcheck.compare.precision import Outcome, named, point, ratio_outcome, sentence_findings, span
from factcheck.models import Claim, Finding
from factcheck.present import human_value
from factcheck.rules import Rules


class PriceTimesCount:
    code = "FC202"
    kind = "price_times_count"
    name = "price times count"


def product_findings(claims: Iterable[Claim], rules: Rules) -> list[Finding]:
    """FC202 for one document's claims (precision.sentence_findings)."""
    return sentence_findings(claims, rules, PriceTimesCount(), "product", _judged)


def _judged(sentence: list[Claim], total: Claim, rules: Rules):
    product = total.product
    assert product is not None
    price = named(sentence, product.price, total)
    count = named(sentence, product.count, total, price)
    if price is None or (count is None) != (product.count is None):
        return None
    return judge_product(total, price, count, product.times, rules), [total, price] + ([count] if count is not None else [])


def judge_product(total: Claim, price: Claim, count: Claim | None, times: float, rules: Rules) -> Outcome | None:
    """The finding a total makes, or None: it is a product its figures allow."""
    limits = rules.policy.thresholds
    p = span(price, limits.approx_tolerance)
    n = span(count, limits.approx_tolerance) if count is not None else (times, times)
    t = span(total, limits.approx_tolerance)
    if p[0] < 0 or n[0] < 0 or p[1] <= 0 or n[1] <= 0:
        return None
    implied = (p[0] * n[0], p[1] * n[1])
    central = price.value * (count.value if count is not None else times)
    said = f"{count.text} × {price.text}" if count is not None else f"{_bare(price, rules)} × {times:g}"
    unit = total.unit.partition(" / ")[0]
    message = f"{total.text} vs {human_value(central, unit)} implied by {said}"
    return ratio_outcome(t, point(total), implied, message, limits.product_error_factor)


def _bare(price: Claim, rules: Rules) -> str:
    """"$47.55 million" of "$47.55 million monthly": the rate without its period."""
    periods = "|".join(re.escape(p) for p in rules.arithmetic.rate_words)
    if not periods:
        return price.text
    return re.sub(rf"\s+(?:{periods})$", "", price.text, flags=re.IGNORECASE) or price.text
