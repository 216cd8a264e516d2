"""What a figure as written allows, and how the arithmetic a sentence states is judged
against it: shared by the checks that read one sentence's own arithmetic (FC201 change,
FC202 price x count, FC203 parts and whole).

Every figure is a range of what its written precision allows ("$5.6 billion" is $5.55-5.65
billion; "about", "nearly", "more than" widen it), so a rounded statement is never a
finding: only a stated figure outside everything the others allow is, an error when it is
the code's factor (rules/severity.yaml) or more from the nearest of them, else a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from factcheck.models import SEVERITY_RANK, Claim, Finding
from factcheck.rules import Rules

INF = math.inf


@dataclass(frozen=True)
class Outcome:
    far: bool  # past the error factor, or the other way
    message: str


def span(claim: Claim, approx: float) -> tuple[float, float]:
    """Every value the figure as written allows."""
    half = (claim.resolution or 0.0) / 2
    low, high = claim.value, claim.high if claim.high is not None else claim.value
    lo, hi = low - half, high + half
    if claim.qualifier == "approx":
        lo, hi = min(lo, low * (1 - approx)), max(hi, high * (1 + approx))
    elif claim.qualifier in ("over", "at_least"):
        hi = INF
    elif claim.qualifier in ("under", "up_to"):
        lo = min(lo, 0.0)
    return lo, hi


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def point(claim: Claim) -> float | None:
    """The value a figure states, where it states one: a hedged or ranged figure's distance
    is measured from its nearest end instead."""
    return claim.value if claim.qualifier == "exact" and claim.high is None else None


def ratio_outcome(stated, at: float | None, implied, message: str, factor: float) -> Outcome | None:
    """Positive quantities (multiples, totals): how far apart, as a ratio of the stated one
    (or the nearest end of a hedged one) to the nearest one the other figures allow."""
    if overlap(stated, implied):
        return None
    above = stated[0] > implied[1]
    near = at if at is not None else stated[0] if above else stated[1]
    gap = near / implied[1] if above else implied[0] / near
    return Outcome(gap >= factor, message)


def number(x: float) -> str:
    text = f"{abs(x):.1f}" if abs(x) < 100 else f"{abs(x):.0f}"
    return re.sub(r"\.0$", "", text)


def sentences(claims: Iterable[Claim]) -> Iterator[list[Claim]]:
    """One document's claims, sentence by sentence."""
    by_sentence: dict[tuple, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault((c.path, c.line, c.column, c.sentence), []).append(c)
    yield from by_sentence.values()


def related(claims: Iterable[Claim], relation: str) -> Iterator[tuple[list[Claim], Claim]]:
    """Each figure of one document whose sentence relates it to others (`relation`: the
    claim's change, product or parts), once per text as written, with its sentence."""
    for sentence in sentences(claims):
        done: set[str] = set()
        for claim in sentence:
            if getattr(claim, relation) is not None and claim.text not in done:
                done.add(claim.text)
                yield sentence, claim


def sentence_findings(claims: Iterable[Claim], rules: Rules, policy, relation: str, judge) -> list[Finding]:
    """One code's findings on one document's claims: a pure step (claims in, findings out)
    that needs no other article, no parse and no link stage. `judge(sentence, claim, rules)`
    gives (outcome, the claims it cites) for each figure that carries `relation`, or None."""
    found: list[Finding] = []
    for sentence, claim in related(claims, relation):
        judged = judge(sentence, claim, rules)
        if judged is not None and judged[0] is not None:
            found.append(sentence_finding(policy, judged[0], judged[1], rules))
    return found


def named(sentence: list[Claim], text: str | None, *others: Claim | None) -> Claim | None:
    """The figure of the sentence written `text`, other than `others`."""
    return next((c for c in sentence if c.text == text and all(c is not o for o in others)), None)


def outcome_severity(code: str, outcome: Outcome, rules: Rules) -> str:
    """The code's severity where the figures are far apart, at most a warning where they
    are just outside what their precision allows."""
    default = rules.severity(code)
    return default if outcome.far or SEVERITY_RANK[default] < SEVERITY_RANK["warning"] else "warning"


def sentence_finding(policy, outcome: Outcome, cited: list[Claim], rules: Rules) -> Finding:
    """A finding of one sentence's arithmetic: the code's severity where the figures are far
    apart, a warning where they are just outside what their precision allows."""
    from factcheck.compare import finding_id  # the package imports the modules that import this one

    severity = outcome_severity(policy.code, outcome, rules)
    first = cited[0]
    return Finding(
        id=finding_id(policy.code, cited),
        code=policy.code,
        kind=policy.kind,
        severity=severity,
        subject=first.subject,
        metric=first.metric,
        message=outcome.message,
        claims=cited,
    )
