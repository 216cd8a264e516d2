"""Sentence splitting: ``sentence_spans`` finds where each sentence of a block starts and ends.

A small rule-based splitter (pysbd is about 0.25 MB/s here, too slow for corpora of ten
thousand articles) that knows abbreviations, initials and decimals.
"""

from __future__ import annotations

import re

from factcheck.ingest.blocks import WORD
from factcheck.tries import prefix_tree

# A sentence longer than this is not prose (a table dumped on one line, a minified page,
# a hostile file): extraction's cost grows faster than linearly within one sentence.
MAX_SENTENCE_CHARS = 20_000
# An article of more sentences than this is not an article (a megabyte of news prose is
# about 15,000): every sentence costs some 25 microseconds through ingest and extraction
# whatever it holds, so a megabyte of "Hi. " would take six seconds to read.
MAX_SENTENCES = 20_000

# A line that ends a sentence: terminal punctuation, perhaps inside closing quotes.  A
# headline ending in a quoted phrase ("... of "Self-Sustaining Cash Flow"") does not.
TERMINAL_END = re.compile(r"""[.!?:;…。！？]["”’')\]]*$""")

# A candidate end: terminal punctuation plus closing quotes/brackets/markdown emphasis,
# followed by whitespace or the end.  CJK full stops need no space after them.
# Possessive, and never starting inside a run of punctuation: a line of a million dots
# would otherwise be rescanned from every dot (quadratic); a run that fails from its
# first mark fails from every later one too, so no sentence end is lost.
# A full stop glued between a lower-case word and a capitalised one ("the quarter.The
# company") is a scrape that lost its space; "Amazon.com" and "U.S." are neither.
_CANDIDATE = re.compile(
    r"""(?<![.!?…])[.!?…]++["”’')\]*_`]*+(?=\s|$)|[。！？]+["”’」』)]*|(?<=[a-z]{3})\.(?=[A-Z][a-z]+[\s,])"""
)
_OPENERS = "\"'“‘([*_`"
# Never the end of a sentence: a title before a name, or a Latin abbreviation.
_NEVER_END = frozenset(
    "mr mrs ms mx dr prof sen rep gov gen col lt capt sgt st mt fr rev hon pres supt "
    "e.g i.e cf vs v al approx ca".split()
)
# Ends a sentence unless a number follows ("No. 1", "Jan. 5", "p. 12").
_BEFORE_NUMBER = frozenset(
    "no nos vol vols fig figs p pp art sec ch op rs re "
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


def _ascii_caseless(words: frozenset[str]) -> str:
    """A pattern matching exactly the strings whose str.lower() is one of `words` (ASCII
    words), as a trie so that one character picks the branch: each letter a class of its
    cases. The Kelvin sign is the one non-ASCII character that lowercases to an ASCII
    letter (tests/hostile check this)."""
    def letter(ch: str) -> str:
        if not ch.isalpha():
            return re.escape(ch)
        return "[" + ch + ch.upper() + ("\u212a" if ch == "k" else "") + "]"

    def pattern(node: dict) -> str:
        # Children before the end of a word: the longer word first, the shorter one on
        # backtracking, as in a longest-first alternation.
        branches = [letter(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(prefix_tree(words))


_OPEN = "[" + re.escape(_OPENERS) + "]*"
# Runs of "Mr. ", "A. ", "U.S. ", "Inc. " that cannot end a sentence, consumed in one
# match instead of one _ends_sentence call per abbreviation (a megabyte of them cost
# about 0.4 s). Each step is a token of plain letters (the words of _NEVER_END; an
# initial, a dotted acronym or a word of _MAYBE_END), one full stop, whitespace, and a
# next word for which _ends_sentence says no: any letter after a title; after the others
# a lower-case letter, or a capital that does not start a word of _STARTERS. Anything
# else (quotes after the stop, a digit, another script) is left to _ends_sentence.
_NOT_AN_END = (
    # Most words are no abbreviation: a possessive look at the word rejects them at once.
    rf"(?:(?<!\S)(?={_OPEN}(?:[A-Za-z]++\.)++\s){_OPEN}"
    rf"(?:(?:{_ascii_caseless(_NEVER_END)})\.(?=\s+{_OPEN}[A-Za-z])"
    rf"|(?:[A-Z]|[A-Za-z]{{1,2}}(?:\.[A-Za-z]{{1,2}})+|{_ascii_caseless(_MAYBE_END)})\."
    rf"(?=\s+{_OPEN}(?:[a-z]|(?!(?:{_ascii_caseless(_STARTERS)}),*(?:\s|$))[A-Z])))"
    rf"\s+)+"
)
_SPLIT = re.compile(rf"(?P<skip>{_NOT_AN_END})|{_CANDIDATE.pattern}")


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
    if word in _NEVER_END:
        return False  # "vs. 88 cents", "approx. 5%" as much as "Mr. Smith"
    if first.isdigit():
        return word not in _BEFORE_NUMBER
    is_initial = len(token) == 1 and token.isalpha() and token.isupper()
    is_acronym = (
        "." in token
        and token.replace(".", "").isalpha()
        and all(len(part) <= 2 for part in token.split("."))
    )
    if is_initial or is_acronym or word in _MAYBE_END:
        return following.lower().rstrip(",") in _STARTERS
    return True


def sentence_spans(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in ``text``, surrounding spaces excluded.
    With `limit`, the search stops at the first sentence past it, which the caller
    refuses: counting costs no more than the limit's worth of text. (Every span but the
    last holds its closing punctuation, so none is trimmed away.)"""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SPLIT.finditer(text):
        if match.start("skip") < 0 and _ends_sentence(text, match, start):
            spans.append((start, match.end()))
            start = match.end()
            if limit is not None and len(spans) > limit:
                return _trimmed(text, spans)
    spans.append((start, len(text)))
    return _trimmed(text, spans)


def _trimmed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result
