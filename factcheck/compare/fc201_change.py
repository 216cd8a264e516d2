"""FC201 change arithmetic: a stated change that its own from and to figures do not give.

Anti-pattern
    "Revenue rose 18% to $6.3 billion from $5.6 billion." ($5.6 billion to $6.3 billion is 12.5%)
    "Its market share fell 5 points to 41% from 44%." / "Profit doubled to $3.1 billion from $2.2 billion."

Best practice
    Work the change out from the two figures before it goes out: (new - old) / old for a
    percentage, new - old for points, new / old for a multiple. A change in a percentage
    is ambiguous in percent; write it in percentage points.

Checked within one sentence, and only where the parse links the three: the change word
("rose", "up", "doubled"; rules/arithmetic.yaml) governs the "to" and "from" figures and
the change figure hangs from the same word. Every figure is a range of what its written
precision allows ("$5.6 billion" is $5.55-5.65 billion; "about", "nearly", "more than"
widen it, and "nearly doubled" allows a ratio a little under 2), so a rounded statement is
never a finding: only a change outside every change the from/to ranges allow is. It is an
error when it is `change_error_factor` (rules/severity.yaml) or more from the nearest of
them, or goes the other way; a warning when just outside, or when a percent change between
two percentages is right as percentage points.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.models import SEVERITY_RANK, Claim, Finding
from factcheck.rules import Rules

INF = math.inf


class ChangeArithmetic:
    code = "FC201"
    kind = "change_arithmetic"
    name = "change arithmetic"


@dataclass(frozen=True)
class Outcome:
    far: bool  # past the error factor, or the other way
    message: str


def change_findings(claims: Iterable[Claim], rules: Rules) -> list[Finding]:
    """FC201 for one document's claims: a pure step (claims in, findings out) that needs
    no other article, no parse and no link stage."""
    from factcheck.compare import finding_id  # the package imports this module

    by_sentence: dict[tuple, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault((c.path, c.line, c.column, c.sentence), []).append(c)
    found: list[Finding] = []
    policy = ChangeArithmetic()
    for sentence in by_sentence.values():
        done: set[str] = set()
        for to in sentence:
            if to.change is None or to.text in done:
                continue
            done.add(to.text)
            start = next((c for c in sentence if c.text == to.change.start and c.unit == to.unit and c is not to), None)
            if start is None or start.forecast and not to.forecast:
                # an outcome set against a forecast ("compared with the expected $1.51") is no change
                continue
            moved = next((c for c in sentence if c.text == to.change.by and c is not to and c is not start), None)
            outcome = judge_change(to, start, moved, rules)
            if outcome is None:
                continue
            default = rules.severity(policy.code)
            severity = default if outcome.far or SEVERITY_RANK[default] < SEVERITY_RANK["warning"] else "warning"
            cited = [to, start] + ([moved] if moved is not None else [])
            found.append(
                Finding(
                    id=finding_id(policy.code, cited),
                    code=policy.code,
                    kind=policy.kind,
                    severity=severity,
                    subject=to.subject,
                    metric=to.metric,
                    message=outcome.message,
                    claims=cited,
                )
            )
    return found


def judge_change(to: Claim, start: Claim, moved: Claim | None, rules: Rules) -> Outcome | None:
    """The finding a change makes, or None: its figures agree within what they are written to."""
    change = to.change
    if change is None:
        return None
    limits = rules.policy.thresholds
    t, f = _span(to, limits.approx_tolerance), _span(start, limits.approx_tolerance)
    arrow = f"{start.text} → {to.text}"
    if moved is None:
        factor = _word_factor(change.by, rules)
        if factor is None or f[0] <= 0:
            return None
        hedge = _hedge_of(change.by, rules)
        stated = _hedged(factor, hedge, limits.change_hedge_tolerance)
        implied = (t[0] / f[1], t[1] / f[0])
        point = None if hedge else factor
        return _ratios(stated, point, implied, f"{change.by} vs {_times(to.value / start.value)} implied by {arrow}", limits.change_error_factor)
    sign = -1.0 if change.direction == "down" else 1.0
    m = _span(moved, limits.approx_tolerance)
    if moved.kind == "multiple":
        if f[0] <= 0:
            return None
        implied = (t[0] / f[1], t[1] / f[0])
        return _ratios(m, _point(moved), implied, f"{moved.text} vs {_times(to.value / start.value)} implied by {arrow}", limits.change_error_factor)
    stated = (m[0] * sign, m[1] * sign) if sign > 0 else (-m[1], -m[0])
    point = None if _point(moved) is None else sign * moved.value
    if moved.unit != "percent":  # points between percentages
        implied = (t[0] - f[1], t[1] - f[0])
        central = to.value - start.value
        return _changes(stated, point, implied, f"{_said(sign, central, moved.text, _points)} implied by {arrow}", limits.change_error_factor)
    if f[0] <= 0:
        return None
    implied = (100 * (t[0] / f[1] - 1), 100 * (t[1] / f[0] - 1))
    central = 100 * (to.value / start.value - 1)
    outcome = _changes(stated, point, implied, f"{_said(sign, central, moved.text, _percent)} implied by {arrow}", limits.change_error_factor)
    if outcome is not None and to.unit == "percent":
        # "rose 0.3% to 4.4% from 4.1%": right in percentage points, which it should say
        points = (t[0] - f[1], t[1] - f[0])
        if _overlap(stated, points):
            return Outcome(False, f"{outcome.message}; in percentage points it is {_number(to.value - start.value)}: write points")
    return outcome


def _span(claim: Claim, approx: float) -> tuple[float, float]:
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


def _hedged(factor: float, hedge: str | None, tolerance: float) -> tuple[float, float]:
    if hedge == "under":
        return factor * (1 - tolerance), factor
    if hedge == "over":
        return factor, INF
    if hedge == "approx":
        return factor * (1 - tolerance), factor * (1 + tolerance)
    # "doubled" is rarely exactly twice: the slack of an approximate figure
    return factor * 0.95, factor * 1.05


def _word_factor(by: str, rules: Rules) -> float | None:
    words = by.lower().split()
    return rules.arithmetic.multiple_words.get(words[-1]) if words else None


def _hedge_of(by: str, rules: Rules) -> str | None:
    words = by.lower().split()
    return rules.arithmetic.hedges.get(" ".join(words[:-1])) if len(words) > 1 else None


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _point(claim: Claim) -> float | None:
    """The value a figure states, where it states one: a hedged or ranged figure's distance
    is measured from its nearest end instead."""
    return claim.value if claim.qualifier == "exact" and claim.high is None else None


def _ratios(stated, point: float | None, implied, message: str, factor: float) -> Outcome | None:
    """Multiples: how far apart, as a ratio of the stated multiple (or the nearest end of
    a hedged one) to the nearest multiple the figures allow."""
    if _overlap(stated, implied):
        return None
    above = stated[0] > implied[1]
    near = point if point is not None else stated[0] if above else stated[1]
    gap = near / implied[1] if above else implied[0] / near
    return Outcome(gap >= factor, message)


def _changes(stated, point: float | None, implied, message: str, factor: float) -> Outcome | None:
    """Signed changes: the other way is far; the same way, as a ratio of the stated change
    (or the nearest end of a hedged one) to the nearest change the figures allow."""
    if _overlap(stated, implied):
        return None
    if stated[0] >= 0 and implied[1] <= 0 or stated[1] <= 0 and implied[0] >= 0:
        return Outcome(True, message)
    above = stated[0] > implied[1]
    near = point if point is not None else stated[0] if above else stated[1]
    other = implied[1] if above else implied[0]
    small, large = sorted((abs(near), abs(other)))
    return Outcome(small == 0 or large / small >= factor, message)


def _said(sign: float, central: float, text: str, unit) -> str:
    """"18% vs 12.5%", or with the directions where they differ: "up 18% vs down 5%"."""
    if (central >= 0) == (sign > 0):
        return f"{text} vs {unit(central).split(' ', 1)[1]}"
    return f"{'up' if sign > 0 else 'down'} {text} vs {unit(central)}"


def _number(x: float) -> str:
    text = f"{abs(x):.1f}" if abs(x) < 100 else f"{abs(x):.0f}"
    return re.sub(r"\.0$", "", text)


def _percent(x: float) -> str:
    return f"{'up' if x >= 0 else 'down'} {_number(x)}%"


def _points(x: float) -> str:
    return f"{'up' if x >= 0 else 'down'} {_number(x)} points"


def _times(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + " times"
