"""Which part of a trading day a figure is about: premarket, open, intraday, close or
after hours (rules/sessions.yaml).

"Shares rose 6% before the opening bell" and "shares closed up 7%" are two windows of one
day: both may be right. The phrase nearest the figure inside its clause decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.extract.entities import _trie_pattern
from factcheck.tries import prefix_tree
from factcheck.extract.quantities import QuantityMention
from factcheck.rules import Rules, per_rules

# "as of 11:14 a.m." / "by 0900 GMT": a clock time is a snapshot during the day.
_CLOCK = re.compile(r"\b(?:as of|at|by|around)\s+(?:\d{1,2}(?::\d{2})?|[012]\d[0-5]\d)\s*(?:a\.?m\.?|p\.?m\.?|GMT|ET|EST|EDT|BST|CET|JST)", re.IGNORECASE)


@per_rules
def _patterns(rules: Rules) -> list[tuple[str, re.Pattern]]:
    """Each session's phrases as whole words, the longest at a position, as a trie behind a
    first-character lookahead (the shape of entities._names_regex). A flat alternation of
    the phrases, longest first, tried every phrase at every position not preceded by a
    word character: 0.5 s per megabyte of "U.S. " for the five sessions."""
    found = []
    for label, phrases in rules.sessions.sessions.items():
        root = prefix_tree(phrases, re.IGNORECASE)
        # An empty phrase (a blank entry in a rules copy) or none at all matches before any
        # character, as the empty alternation did.
        first = "" if not root or "" in root else "(?=[" + "".join(re.escape(ch) for ch in root) + "])"
        found.append((label, re.compile(rf"{first}(?<![\w-]){_trie_pattern(root)}(?![\w-])", re.IGNORECASE)))
    return found


_NEAR_AFTER = re.compile(r"\s+to\b")


def session_marks(text: str, rules: Rules) -> list[tuple[int, int, str]]:
    """Every session phrase and clock time of a sentence, found once for all its figures."""
    marks = [
        (m.start(), m.end(), label) for label, regex in _patterns(rules) for m in regex.finditer(text)
        # ("slipped back to close to the offer price": near it, no session)
        if not (label == "close" and m.group().lower().endswith("close") and _NEAR_AFTER.match(text, m.end()))
    ]
    return marks + [(m.start(), m.end(), "intraday") for m in _CLOCK.finditer(text)]


# "... at $40 and closed at $52": a session named after the figure, past a conjunction,
# is the next verb's.
_NEXT_VERB = re.compile(r"\b(?:and|but|then|before|while)\b|,")


def session_for(
    q: QuantityMention, clause: tuple[int, int], marks: list[tuple[int, int, str]], text: str = "", others: Sequence[QuantityMention] = ()
) -> str | None:
    """The session named closest to the figure in its clause, or None. A phrase with another
    figure of the same kind between it and this one is that figure's ("was set to open
    0.6% higher, after a 2.5% fall"), and one after it past a conjunction the next verb's."""
    c_start, c_end = clause
    best: tuple[tuple[int, bool], str] | None = None
    for start, end, label in marks:
        if start < c_start or end > c_end:
            continue
        if q.start <= start and end <= q.end:
            dist = 0  # a phrase written into the figure: "as high as $31.50"
        else:
            dist = q.start - end if end <= q.start else start - q.end
            lo, hi = (end, q.start) if end <= q.start else (q.end, start)
            if any(o is not q and o.kind == q.kind and lo <= o.start and o.end <= hi for o in others):
                continue
            if start >= q.end and _NEXT_VERB.search(text, q.end, start):
                continue
        # on a tie the phrase in front wins: "as low as $12 during the session"
        rank = (dist, start > q.start)
        if dist >= 0 and (best is None or rank < best[0]):
            best = (rank, label)
    return best[1] if best else None
