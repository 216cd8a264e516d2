"""Change arithmetic in one sentence: which figure a change word moved to, from which, by how much.

"Revenue rose 18% to $6.3 billion from $5.6 billion": the parse hangs "to $6.3 billion"
and "from $5.6 billion" from "rose", and "18%" too; the figure reached ("$6.3 billion")
keeps the change and the starting figure (models.Change), and FC201
(compare/fc201_change.py) checks the arithmetic. A relation is kept only when the parse
links all three to one change word of rules/arithmetic.yaml: figures that merely share a
sentence are never related. The forms read:

    <word> [by] N% to X from Y       "rose 18% to $6.3 billion from $5.6 billion"
    <word> to X from Y, ... N%       only where N% hangs from the same word ("an increase of 18%" does not)
    <multiple> to X from Y           "doubled to $2 billion from $1 billion", "nearly tripled ..."
    X, up N% from Y                  "Sales were $6.3 billion, up 12% from $5.6 billion"

"from" stands for any from-marker ("compared with $800 million"), "to" for any to-marker.
A sentence that gives the change or the from figure but not both ("rose 18% to $6.3
billion", "climbed to $6.3 billion from $5.6 billion") keeps what it gives (the other
null, the change figure's value in Change.figure): FC201 checks it against another
article that gives the rest for the same figure (compare/fc201_change.py, `across`).
The parse lives inside a memory zone (extract/parse.py): only strings leave this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.extract.syntax import tokens_starting_in
from factcheck.models import Change, Figure
from factcheck.rules import ArithmeticFile

# How a change figure hangs from its change word: "rose 18%" (npadvmod), "up 12%"
# (npadvmod of the adverb), "gained 5%" (dobj).
_CHANGE_DEPS = ("npadvmod", "dobj", "advmod", "nummod", "attr")
# How the figure an "up 12% from ..." describes holds the adverb: "Sales were $6.3 billion, up ..."
_LEVEL_DEPS = ("attr", "dobj", "acomp")


def link_changes(doc, text: str, mentions: Sequence, words: ArithmeticFile) -> None:
    """Set `change` on each mention of this sentence that a change word moved to."""
    heads = figure_heads(doc, mentions)
    if not heads:  # one figure may be reached by a word: "doubled to $6.3 billion"
        return
    up, down = set(words.change_words.up), set(words.change_words.down)
    for word in doc:
        lower = word.lower_
        factor = words.multiple_words.get(lower)
        direction = "up" if lower in up else "down" if lower in down else None
        if factor is None and direction is None:
            continue
        start = under(word, words.from_markers, heads)
        if start is not None and _expected(start, doc, words):
            continue
        to = under(word, words.to_markers, heads)
        if to is None and lower in ("up", "down") and word.dep_ == "advmod":
            to = _level(word, heads)
        if to is None or to is start or to.kind not in ("money", "count", "percent", "physical"):
            continue
        if start is not None and to.unit != start.unit:
            continue
        moved, by = None, None
        if factor is not None:
            by = f"{_hedge(text, word.idx, words)}{word.text}".strip()
            direction = "up" if factor > 1 else "down"
        else:
            moved = _change_figure(word, words, heads, to)
            by = moved.text if moved is not None else None
        if by is None and start is None:
            continue  # "rose to $6.3 billion": a level, no change stated
        change = Change(by=by, start=start.text if start is not None else None, direction=direction, figure=_figure(moved))
        for m in mentions:
            if m.quantity is to:
                m.change = change


def _figure(q) -> Figure | None:
    """The change figure's value apart from its sentence, as normalize.py states a move:
    a magnitude, the direction kept by the change word."""
    if q is None:
        return None
    value, high = abs(q.value), abs(q.high) if q.high is not None else None
    if high is not None:
        value, high = min(value, high), max(value, high)
    return Figure(value=value, high=high, resolution=q.resolution, unit=q.unit, kind=q.kind, qualifier=q.qualifier)


def figure_heads(doc, mentions: Sequence, loose: bool = False) -> dict[int, object]:
    """The sentence's figures by the index of the token each hangs from the parse by;
    `loose`: also a figure whose words hang from one token by two ("$4 million monthly")."""
    quantities: list = []
    for m in mentions:
        if all(m.quantity is not q for q in quantities):
            quantities.append(m.quantity)
    heads: dict[int, object] = {}
    for q in quantities:
        head = figure_head(doc, q, loose)
        if head is not None:
            heads.setdefault(head.i, q)
    return heads


def figure_head(doc, q, loose: bool = False):
    """The token of a figure's span that hangs outside it: "billion" of "$6.3 billion";
    `loose`: the first of several that hang from one token ("million" of "$4 million monthly")."""
    tokens = tokens_starting_in(doc, q.start, q.end)
    inside = {t.i for t in tokens}
    outer = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    if loose and len(outer) > 1 and len({t.head.i for t in outer}) == 1 and all(t.head.i != t.i for t in outer):
        return outer[0]
    return outer[0] if len(outer) == 1 else None


def under(word, markers: list[str], heads: dict):
    """The one figure that a marker phrase ("to", "compared with") hanging from `word`
    governs, or None when none does or more than one does."""
    unique = {id(q): q for q in all_under(word, markers, heads)}
    return next(iter(unique.values())) if len(unique) == 1 else None


def all_under(word, markers: list[str], heads: dict) -> list:
    """Every figure that a marker phrase hanging from `word` governs."""
    found: list = []
    for marker in markers:
        parts = marker.lower().split()
        for prep in word.subtree:
            if prep.lower_ != parts[-1]:
                continue
            # Walk back up the marker's words: "with" <- "compared" <- the change word.
            node, ok = prep, True
            for part in reversed(parts[:-1]):
                node = node.head
                if node.lower_ != part:
                    ok = False
                    break
            if not ok or node.head.i != word.i or node.i == word.i:
                continue
            found.extend(q for c in prep.children if c.dep_ == "pobj" for q in figure_of(c, heads))
    return found


def _expected(q, doc, words: ArithmeticFile) -> bool:
    """"the expected $2.06", "estimates of $2.06": a forecast the figure is set against."""
    head = figure_head(doc, q)
    near = [*head.children, head.head] if head is not None else []
    return any(t.lower_ in words.expectation_words for t in near)


def figure_of(noun, heads: dict) -> list:
    """The figure a phrase's noun is: the figure itself, or the one counting it ("1.46
    million units", whose figure ends before the noun)."""
    if noun.i in heads:
        return [heads[noun.i]]
    return [heads[c.i] for c in noun.children if c.dep_ == "nummod" and c.i in heads]


def _level(adverb, heads: dict):
    """The figure an "up 12% from $5.6 billion" describes: the figure the adverb hangs
    from ("$6.3 billion, up 12% ..."), or the complement of the verb it hangs from
    ("Sales were $6.3 billion, up ...")."""
    governor = adverb.head
    if governor.i in heads:
        return heads[governor.i]
    found = [heads[c.i] for c in governor.children if c.dep_ in _LEVEL_DEPS and c.i in heads and c.i < adverb.i]
    return found[0] if len(found) == 1 else None


def _change_figure(word, words: ArithmeticFile, heads: dict, to):
    """The one percent, point or multiple figure that hangs from the change word, directly
    ("rose 18%") or by a by-marker ("rose by 18%")."""
    found = []
    for child in word.children:
        if child.dep_ in _CHANGE_DEPS and child.i in heads:
            found.append(heads[child.i])
        elif child.lower_ in words.by_markers and child.dep_ == "prep":
            found.extend(heads[c.i] for c in child.children if c.dep_ == "pobj" and c.i in heads)
    found = [q for q in found if q is not to and _is_change(q, to, words)]
    unique = {id(q): q for q in found}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _is_change(q, to, words: ArithmeticFile) -> bool:
    if q.kind == "percent" and q.unit == "percent":
        return True
    if q.kind == "multiple":
        return True
    # "fell 3 points to 41% from 44%": points only between percentages
    return q.unit in words.point_units and to.unit == "percent"


def _hedge(text: str, at: int, words: ArithmeticFile) -> str:
    """"nearly " before "doubled", as written, or ""."""
    before = text[:at]
    for hedge in sorted(words.hedges, key=len, reverse=True):
        found = re.search(rf"\b{re.escape(hedge)}\s+$", before, re.IGNORECASE)
        if found:
            return before[found.start() :]
    return ""
