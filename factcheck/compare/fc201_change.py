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

Across articles (`across`, run inside compare_block on one block of the link stage): one
article's "rose 18% to $6.3 billion" against another's "climbed to $6.3 billion from $5.6
billion", judged the same way, where the link stage links the two "to" figures as one
quantity whose figures agree (a restatement), and the other article's own arithmetic is no
finding. The change figure is in another block (percentages), so the figure it moved
carries its value (models.Change.figure). An error only where the link probability also
reaches the error threshold of the "near" relation (rules/linkage.yaml); else a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from factcheck.compare.precision import INF, Outcome, named, number, overlap, point, ratio_outcome, sentence_findings, span
from factcheck.models import Claim, Finding
from factcheck.rules import Rules


class ChangeArithmetic:
    code = "FC201"
    kind = "change_arithmetic"
    name = "change arithmetic"


def change_findings(claims: Iterable[Claim], rules: Rules) -> list[Finding]:
    """FC201 for one document's claims (precision.sentence_findings)."""
    return sentence_findings(claims, rules, ChangeArithmetic(), "change", _judged)


def _judged(sentence: list[Claim], to: Claim, rules: Rules):
    change = to.change
    assert change is not None
    start = _start(sentence, to)
    if start is None or change.by is None:
        return None
    moved = named(sentence, change.by, to, start)
    return judge_change(to, start, moved, rules), [to, start] + ([moved] if moved is not None else [])


def _start(claims: Iterable[Claim], to: Claim) -> Claim | None:
    """The figure of `to`'s sentence it changed from; None where there is none, or where it
    is a forecast an outcome is set against ("compared with the expected $1.98"): no change."""
    start_text = to.change.start if to.change is not None else None
    start = next(
        (c for c in claims if c.text == start_text and c.unit == to.unit and c is not to and (c.path, c.line, c.column) == (to.path, to.line, to.column)),
        None,
    )
    return None if start is None or start.forecast and not to.forecast else start


def _moved(to: Claim) -> Claim | None:
    """The change figure a sentence states, out of the value `to` carries of it
    (Change.figure): the figure itself is in another block of the link stage."""
    change = to.change
    if change is None or change.by is None or change.figure is None:
        return None
    return to.model_copy(update={"text": change.by, **change.figure.model_dump(), "change": None, "direction": change.direction})


def across(a: Claim, b: Claim, block: Sequence[Claim], rules: Rules) -> Iterator[tuple[Outcome, list[Claim]]]:
    """FC201 across two articles: `a` and `b`, linked as one quantity whose figures agree,
    where one article states the change the figure was reached by and not where it came
    from ("rose 18% to $6.3 billion") and the other where it came from ("climbed to $6.3
    billion from $5.6 billion"). The stated change is judged as within one sentence against
    the change the other's from/to figures allow. Not where the other's own arithmetic is
    already a finding, nor where one is a forecast and the other not. Gives the outcome
    and the figures it cites: the stated one, then the other's from and to."""
    if a.path == b.path:
        return
    for stated, other in ((a, b), (b, a)):
        said, went = stated.change, other.change
        if said is None or went is None or said.by is None or said.start is not None or stated.forecast != other.forecast:
            continue
        start = _start(block, other)
        if start is None or went.by is not None and _own(other, start, rules):
            continue
        moved = _moved(stated)
        outcome = judge_change(other.model_copy(update={"change": said}), start, moved, rules)
        if outcome is not None:
            said_as = f"{said.direction} {said.by}" if moved is not None and said.direction else said.by
            rest = outcome.message.split(" vs ", 1)[1]
            yield Outcome(outcome.far, f"{said_as} to {stated.text} vs {rest} (other article)"), [stated, start, other]


def _own(to: Claim, start: Claim, rules: Rules) -> bool:
    """Whether a sentence's own change is a finding (change_findings reports it)."""
    return to.change is not None and to.change.by is not None and judge_change(to, start, _moved(to), rules) is not None


def judge_change(to: Claim, start: Claim, moved: Claim | None, rules: Rules) -> Outcome | None:
    """The finding a change makes, or None: its figures agree within what they are written to."""
    change = to.change
    if change is None:
        return None
    limits = rules.policy.thresholds
    t, f = span(to, limits.approx_tolerance), span(start, limits.approx_tolerance)
    arrow = f"{start.text} → {to.text}"
    if moved is None:
        factor = _word_factor(change.by, rules)
        if factor is None or f[0] <= 0:
            return None
        hedge = _hedge_of(change.by, rules)
        stated = _hedged(factor, hedge, limits.change_hedge_tolerance)
        implied = (t[0] / f[1], t[1] / f[0])
        at = None if hedge else factor
        return ratio_outcome(stated, at, implied, f"{change.by} vs {_times(to.value / start.value)} implied by {arrow}", limits.change_error_factor)
    sign = -1.0 if change.direction == "down" else 1.0
    m = span(moved, limits.approx_tolerance)
    if moved.kind == "multiple":
        if f[0] <= 0:
            return None
        implied = (t[0] / f[1], t[1] / f[0])
        return ratio_outcome(m, point(moved), implied, f"{moved.text} vs {_times(to.value / start.value)} implied by {arrow}", limits.change_error_factor)
    stated = (m[0] * sign, m[1] * sign) if sign > 0 else (-m[1], -m[0])
    at = None if point(moved) is None else sign * moved.value
    if moved.unit != "percent":  # points between percentages
        implied = (t[0] - f[1], t[1] - f[0])
        central = to.value - start.value
        return _changes(stated, at, implied, f"{_said(sign, central, moved.text, _points)} implied by {arrow}", limits.change_error_factor)
    if f[0] <= 0:
        return None
    implied = (100 * (t[0] / f[1] - 1), 100 * (t[1] / f[0] - 1))
    central = 100 * (to.value / start.value - 1)
    outcome = _changes(stated, at, implied, f"{_said(sign, central, moved.text, _percent)} implied by {arrow}", limits.change_error_factor)
    if outcome is not None and to.unit == "percent":
        # "rose 0.3% to 4.4% from 4.1%": right in percentage points, which it should say
        points = (t[0] - f[1], t[1] - f[0])
        if overlap(stated, points):
            return Outcome(False, f"{outcome.message}; in percentage points it is {number(to.value - start.value)}: write points")
    return outcome


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


def _changes(stated, at: float | None, implied, message: str, factor: float) -> Outcome | None:
    """Signed changes: the other way is far; the same way, as a ratio of the stated change
    (or the nearest end of a hedged one) to the nearest change the figures allow."""
    if overlap(stated, implied):
        return None
    if stated[0] >= 0 and implied[1] <= 0 or stated[1] <= 0 and implied[0] >= 0:
        return Outcome(True, message)
    above = stated[0] > implied[1]
    near = at if at is not None else stated[0] if above else stated[1]
    other = implied[1] if above else implied[0]
    small, large = sorted((abs(near), abs(other)))
    return Outcome(small == 0 or large / small >= factor, message)


def _said(sign: float, central: float, text: str, unit) -> str:
    """"18% vs 12.5%", or with the directions where they differ: "up 18% vs down 5%"."""
    if (central >= 0) == (sign > 0):
        return f"{text} vs {unit(central).split(' ', 1)[1]}"
    return f"{'up' if sign > 0 else 'down'} {text} vs {unit(central)}"


def _percent(x: float) -> str:
    return f"{'up' if x >= 0 else 'down'} {number(x)}%"


def _points(x: float) -> str:
    return f"{'up' if x >= 0 else 'down'} {number(x)} points"


def _times(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + " times"
