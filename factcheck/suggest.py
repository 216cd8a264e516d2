"""Which figure is wrong, and what to write instead: a step over a run's findings.

A finding holds every mention of one quantity that its linked pairs give (compare's
one_per_quantity: the figures in conflict as `claims`, their copies as `restated`);
findings that still share a figure are joined here too. The figures so connected
(through findings of a scale slip, a value conflict, a rounding or a direction) are one
quantity as far as the link stage could tell. When every article but one states it
alike (the figures' written intervals overlap, as "8.8%" and "8.81%" do) and that one
article's figure disagrees with each of the others, it is the odd one out: its findings
carry a Suggestion naming the figure, what the others say, and its corrected text in its
own style ("$104.2 million a month" where it wrote "$47.55 million a month"; "€518m" where it wrote
"€581m"). Two articles that disagree get no guess: either may be the wrong one.

Only findings say which figures state one quantity, so an article that agrees with the
others is counted only when the link stage paired it with the odd figure.

The replacement is certain (`Suggestion.fix`, a SARIF fix) only when no conversion or
rounding made it: the same unit, every other article the same figure as written, and the
figure found where its claim says in the file.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from factcheck.extract.periods import Relation
from factcheck.link.values import JUST_BELOW, UTMOST, agreeing, bare_unit, pair_facts, rate_omitted, value_level
from factcheck.models import Claim, FigureRef, Finding, FixRegion, Suggestion
from factcheck.present import describe_claim, human_value
from factcheck.rules import MetricsFile, load_yaml_model

# Findings whose two figures are one quantity told two ways. A window difference is two
# windows, not one figure misquoted.
CONNECTING = frozenset({"FC101", "FC102", "FC103", "FC105"})
# Value levels (link/values.py) of two figures that agree within what they say.
AGREE = frozenset({"same", "rounded", "hedged"})

ClaimKey = tuple[str, int, int, str]


def key(claim: Claim) -> ClaimKey:
    return (claim.path, claim.line, claim.column, claim.text)


def suggestions(findings: Iterable[Finding], rules) -> dict[ClaimKey, Suggestion]:
    """The odd figure of each quantity that has one, keyed by that figure's claim."""
    claims: dict[ClaimKey, Claim] = {}
    parent: dict[ClaimKey, ClaimKey] = {}

    def root(k: ClaimKey) -> ClaimKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for finding in findings:
        if finding.code not in CONNECTING:
            continue
        mentions = [*finding.claims, *finding.restated]
        keys = [key(c) for c in mentions]
        for c, k in zip(mentions, keys):
            claims.setdefault(k, c)
            parent.setdefault(k, k)
        for k in keys[1:]:
            a, b = root(keys[0]), root(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[ClaimKey, list[Claim]] = defaultdict(list)
    for k, c in claims.items():
        groups[root(k)].append(c)
    out: dict[ClaimKey, Suggestion] = {}
    for group in groups.values():
        for odd, suggestion in _odd_one_out(group, rules):
            out[key(odd)] = suggestion
    return out


def attach(findings: list[Finding], found: dict[ClaimKey, Suggestion]) -> list[Finding]:
    """Each finding that involves an odd figure, with its suggestion."""
    out = []
    for finding in findings:
        hit = next((found[key(c)] for c in finding.claims if key(c) in found), None)
        out.append(finding.model_copy(update={"suggestion": hit}) if hit is not None else finding)
    return out


# --------------------------------------------------------------------------- the odd one


def _point(claim: Claim) -> bool:
    return claim.high is None and claim.qualifier in ("exact", "approx")


def _agree(a: Claim, b: Claim, rules) -> bool | None:
    """Whether two figures agree within their written precision; None: not comparable."""
    facts = pair_facts(a, b, Relation.UNKNOWN, rules)
    if facts is None:
        return None
    if a.direction and b.direction and a.direction != b.direction:
        return False
    return agreeing(value_level(facts)) in AGREE


def _odd_one_out(group: list[Claim], rules) -> list[tuple[Claim, Suggestion]]:
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(group, key=lambda c: (c.path, c.line, c.column)):
        by_article[claim.path].append(claim)
    if len(by_article) < 3 or not all(_point(c) for c in group):
        return []  # two articles: either may be the wrong one
    odd_paths = []
    for path, own in by_article.items():
        others = [c for p, cs in by_article.items() if p != path for c in cs]
        verdicts = [_agree(a, b, rules) for a in own for b in others]
        if None in verdicts:
            return []
        if not any(verdicts):
            odd_paths.append(path)
    if len(odd_paths) != 1:
        return []
    odd_path = odd_paths[0]
    rest = [c for p, cs in by_article.items() if p != odd_path for c in cs]
    if not all(_agree(a, b, rules) for i, a in enumerate(rest) for b in rest[i + 1 :]):
        return []  # the others disagree among themselves: no majority to go by
    best = min(rest, key=lambda c: (c.resolution or math.inf, c.path, c.line))
    out = []
    for odd in by_article[odd_path]:
        out.append((odd, _suggestion(odd, best, rest, len(by_article), rules)))
    return out


def _suggestion(odd: Claim, best: Claim, rest: list[Claim], articles: int, rules) -> Suggestion:
    agreeing = articles - 1
    replacement, exact = _replacement(odd, best, rest, rules)
    own = describe_claim(odd)
    converted = _in_unit(odd, best, rules)
    if converted is not None:
        own += f" (= {converted})"
    text = f"{odd.path}:{odd.line}: {own}; {agreeing} of {articles} sources say {describe_claim(best)}"
    if replacement is not None:
        text += f": write “{replacement}”"
    fix = _region(odd) if exact and replacement is not None else None
    return Suggestion(
        text=text,
        figure=_ref(odd),
        replacement=replacement,
        sources=[_ref(c) for c in rest],
        agreeing=agreeing,
        articles=articles,
        fix=fix,
    )


def _ref(claim: Claim) -> FigureRef:
    return FigureRef(path=claim.path, line=claim.line, column=claim.column, text=claim.text)


def _factor(source: Claim, target: Claim, rules) -> float | None:
    """What one of `source`'s unit is in `target`'s; None across currencies or kinds."""
    if source.unit == target.unit or rate_omitted(source, target):
        return 1.0  # "$95 a share" and "$95": compared as written, as the link stage does
    if bare_unit(source.unit) != bare_unit(target.unit):
        return None  # a currency conversion is the FX table's guess, not the article's figure
    common = rules.units.factors(source.unit, target.unit)
    if common is None:
        return None
    fs, ft, _ = common
    return fs / ft


def _in_unit(claim: Claim, other: Claim, rules) -> str | None:
    """The claim's value in the other's rate: "$570.6 million a year"."""
    factor = _factor(claim, other, rules)
    if factor is None or factor == 1.0:
        return None
    return human_value(claim.value * factor, other.unit)


def _replacement(odd: Claim, best: Claim, rest: list[Claim], rules) -> tuple[str | None, bool]:
    """The corrected figure in the odd article's style, and whether it is exact (no
    conversion, no rounding, every other article the same figure as written)."""
    if odd.direction and best.direction and odd.direction != best.direction:
        return None, False  # "rose" must become "fell": more than the figure changes
    if JUST_BELOW.match(odd.text) or UTMOST.match(odd.text):
        return None, False  # "nearly 60%" rounded to "nearly 48%" may say the wrong thing
    factor = _factor(best, odd, rules)
    if factor is None:
        return None, False
    value = best.value * factor
    step = max(odd.resolution or 0.0, (best.resolution or 0.0) * factor)
    written = restyle(odd, value, step)
    if written is None or written == odd.text:
        return None, False
    same = all((c.value, c.resolution, bare_unit(c.unit)) == (best.value, best.resolution, bare_unit(best.unit)) for c in rest)
    exact = factor == 1.0 and same and (odd.resolution or 0.0) <= (best.resolution or 0.0) and odd.qualifier == best.qualifier == "exact"
    return written, exact


# --------------------------------------------------------------------------- the article's style

# Scale words by the power of a thousand they stand for, in the families writers keep to:
# "$1.2 billion" and "$400 million", "$1.2bn" and "$400m", "$1.2B" and "$400M".
_FAMILIES = (
    ("thousand", "million", "billion", "trillion"),
    ("k", "m", "bn", "tn"),
    ("k", "mn", "bn", "tn"),
    ("k", "mln", "bln", "trln"),
    ("K", "M", "B", "T"),
    ("K", "MM", "B", "T"),
)
_SCALE = {word: 1000.0 ** (i + 1) for family in _FAMILIES for i, word in enumerate(family)}
_NUMBER = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?|\.\d+)(?P<gap>\s*)(?P<word>[A-Za-z]+)?")
_BASIS_POINTS = re.compile(r"^(?:basis|bps?$)", re.IGNORECASE)


def restyle(claim: Claim, value: float, step: float) -> str | None:
    """`value` written as `claim.text` writes its figure: the same currency sign, scale
    word family, separators and words around it, to the decimals `step` allows. None when
    the text does not read back as the claim's value (a figure in words, say)."""
    match = _NUMBER.search(claim.text)
    if match is None:
        return None
    number = float(match["number"].replace(",", ""))
    word = match["word"] or ""
    scale = _SCALE.get(word, 1.0)
    if claim.unit == "percentage_point" and _BASIS_POINTS.match(word):
        scale = 0.01
    elif word not in _SCALE:
        word = ""
    if not math.isclose(number * scale, abs(claim.value), rel_tol=1e-6):
        return None
    value = abs(value)
    new_word, new_scale = _scale_word(word, scale, value)
    shown = value / new_scale
    decimals = max(0, -math.floor(math.log10(step / new_scale) + 1e-9)) if step > 0 else _decimals(match["number"])
    grouped = "," in match["number"] or len(match["number"].split(".")[0]) < 4
    text = f"{shown:,.{decimals}f}" if grouped else f"{shown:.{decimals}f}"
    if new_word != word:
        return claim.text[: match.start("number")] + text + match["gap"] + new_word + claim.text[match.end("word") :]
    return claim.text[: match.start("number")] + text + claim.text[match.end("number") :]


def _decimals(number: str) -> int:
    return len(number.partition(".")[2])


def _scale_word(word: str, scale: float, value: float) -> tuple[str, float]:
    """The scale word that writes `value` between 1 and 1,000 in `word`'s family; the word
    as it is when it has no family or the figure had none."""
    if not word or word not in _SCALE or scale == 0.01:
        return word, scale
    family = next(f for f in _FAMILIES if word in f)
    if 1 <= value / scale < 1000:
        return word, scale
    power = min(max(int(math.floor(math.log10(value) / 3)), 1), len(family)) if value > 0 else 1
    return family[power - 1], 1000.0**power


# --------------------------------------------------------------------------- where in the file


def _region(claim: Claim) -> FixRegion | None:
    """The figure's place in its file, when the file's own line reads as the sentence up to
    the figure: markup, a line break or an in-memory article leave no certain place."""
    at = claim.sentence.find(claim.text)
    if at < 0:
        return None
    try:
        lines = Path(claim.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not 0 < claim.line <= len(lines):
        return None
    line = lines[claim.line - 1]
    start = claim.column - 1 + at
    if line[claim.column - 1 : start + len(claim.text)] != claim.sentence[: at + len(claim.text)]:
        return None
    return FixRegion(line=claim.line, column=start + 1, end_column=start + len(claim.text) + 1)


# --------------------------------------------------------------------------- a run's findings


def metric_labels(rules) -> dict[str, str]:
    """Each metric id's label; a run answered from the cache reads metrics.yaml alone."""
    metrics = rules.metrics if getattr(rules, "loaded", True) else load_yaml_model(Path(rules.directory) / "metrics.yaml", MetricsFile)
    return {m.id: m.label for m in metrics.metrics}


def for_editors(findings: list[Finding], every: list[Finding], rules) -> list[Finding]:
    """`findings` with their metric's label and, where `every` finding of the run (those
    the report hides included: they still say which figures agree) singles out an odd
    figure, its suggestion."""
    if not findings:
        return findings
    labels = metric_labels(rules)
    found = suggestions(every, rules)
    out = []
    for finding in attach(findings, found):
        label = labels.get(finding.metric or "")
        out.append(finding.model_copy(update={"metric_label": label}) if label else finding)
    return out
