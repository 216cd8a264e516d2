"""Sentence splitting: ``sentence_spans`` finds where each sentence of a block starts and ends.

A small rule-based splitter (pysbd is about 0.25 MB/s here, too slow for corpora of ten
thousand articles) that knows abbreviations, initials and decimals.
"""

from __future__ import annotations

import re

from factcheck.ingest.blocks import WORD

# A sentence longer than this is not prose (a table dumped on one line, a minified page,
# a hostile file): extraction's cost grows faster than linearly within one sentence.
MAX_SENTENCE_CHARS = 20_000

# A line that ends a sentence: terminal punctuation, perhaps inside closing quotes.  A
# headline ending in a quoted phrase ("... of "Self-Sustaining Cash Flow"") does not.
TERMINAL_END = re.compile(r"""[.!?:;…。！？]["”’')\]]*$""")

# A candidate end: terminal punctuation plus closing quotes/brackets/markdown emphasis,
# followed by whitespace or the end.  CJK full stops need no space after them.
# Possessive, and never starting inside a run of punctuation: a line of a million dots
# would otherwise be rescanned from every dot (quadratic); a run that fails from its
# first mark fails from every later one too, so no sentence end is lost.
_CANDIDATE = re.compile(r"""(?<![.!?…])[.!?…]++["”’')\]*_`]*+(?=\s|$)|[。！？]+["”’」』)]*""")
_OPENERS = "\"'“‘([*_`"
# Never the end of a sentence: a title before a name, or a Latin abbreviation.
_NEVER_END = frozenset(
    "mr mrs ms mx dr prof sen rep gov gen col lt capt sgt st mt fr rev hon pres supt "
    "e.g i.e cf vs v al approx ca".split()
)
# Ends a sentence unless a number follows ("No. 1", "Jan. 5", "p. 12").
_BEFORE_NUMBER = frozenset(
    "no nos vol vols fig figs p pp art sec ch op "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Company suffixes and dotted acronyms often sit mid-sentence ("Apple Inc. shares",
# "U.S. Steel") but also end one; only a typical sentence opener after them ends it.
_MAYBE_END = frozenset(
    "inc corp co ltd llc plc lp ag sa nv bv jr sr bros dept univ assn govt etc".split()
)
_STARTERS = frozenset(
    """
    a an the this that these those it its he she they we i you his her their our my your
    in on at as but and or so yet for with from by to of after before while when whereas
    although though if since still also then there here what why how who which where
    however meanwhile moreover furthermore nonetheless nevertheless instead thus hence
    some many most other others both each such all any no not none one two three last
    next shares analysts investors according despite during over under
    """.split()
)


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


def _next_word(text: str, pos: int) -> str:
    match = WORD.match(text, pos)
    return match.group().lstrip(_OPENERS) if match else ""


def _ends_sentence(text: str, match: re.Match[str], sentence_start: int) -> bool:
    punct = match.group()
    if punct[0] in "。！？":
        return True
    pos = match.end()
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        return True
    following = _next_word(text, pos)
    first = following[:1]
    if not first or first.islower():
        return False
    if punct[0] in "!?":
        return True
    token = _token_before(text, match.start())
    word = token.lower()
    if not token:
        return True
    # "1. Revenue grew" opening a sentence is a list marker, not a sentence of its own.
    if (
        token.isdigit()
        and len(token) <= 2
        and not text[sentence_start : match.start() - len(token)].strip()
    ):
        return False
    if first.isdigit():
        return word not in _BEFORE_NUMBER
    if word in _NEVER_END:
        return False
    is_initial = len(token) == 1 and token.isalpha() and token.isupper()
    is_acronym = (
        "." in token
        and token.replace(".", "").isalpha()
        and all(len(part) <= 2 for part in token.split("."))
    )
    if is_initial or is_acronym or word in _MAYBE_END:
        return following.lower().rstrip(",") in _STARTERS
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in ``text``, surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text, match, start):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result
