"""A sentence's entity mentions, its sources and its session phrases cost a small constant
each (issue 10): 1 MB of "U.S. " is 200,000 mentions of a rules entity in one sentence, and
`EntityIndex.find` built and sorted a mention for every match, `_is_attribution` sliced off
the rest of the sentence for each mention, and each session's flat alternation tried every
phrase at every position. The code before lives on here as the reference the new code
must equal.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from factcheck.extract.entities import EntityIndex, EntityMention, learn_aliases
from factcheck.extract import entities
from factcheck.extract import sessions
from factcheck.extract.cues import _is_attribution, lexicon
from factcheck.ingest import parse_document

from test_entity_find import HOSTILE as NAME_HOSTILE  # pytest puts this folder on sys.path
from test_entity_find import RUNS, TRICKY

CORPUS = sorted(p for p in (Path(__file__).parents[2] / "corpus").iterdir() if p.suffix in (".md", ".txt", ".html"))

HOSTILE = [
    *NAME_HOSTILE,
    "U.S. " * 2_000 + "said. U.S.'s U.S.' U.S. (Reuters) expects, U.S. also says according to U.S.",
    "according to\nU.S. per  U.S. compiled by MU in the view of Kestrel Motors' MU's Meta’s Micron’ s",
    "xaccording to U.S. uper U.S. sper MU proper MU " * 50,
    "Super" + " " * 22 + "U.S. rose 5%.",  # the 25-character window starts inside "Super": "per" + spaces
    "Shares closed up 3% after hours, then traded at the open; pre-market, premarket-ish, day's high, "
    "DAY'S HIGH, intraday-high, closing, closed_, as of 11:14 a.m. at 9 GMT " * 20,
]


def _old_find(index: EntityIndex, text: str, learned: dict[str, str]) -> list[EntityMention]:
    """EntityIndex.find before issue 10's per-mention work: a mention for every match of
    every pattern, then sorted and pruned."""
    found = []

    def mention(start: int, end: int, name: str) -> EntityMention:
        tail = text[end : end + 3]
        possessive = tail.startswith(("'s", "’s")) or (text[end - 1 : end] == "s" and tail.startswith(("'", "’")))
        return EntityMention(start, end, name, index.kind.get(name, "company"), possessive)

    if learned:
        for m in entities._learned_regex(tuple(learned)).finditer(text):
            found.append(mention(m.start(), m.end(), learned[m.group(0)]))
    for regex, table, fold in ((index._re_i, index._insensitive, True), (index._re_s, index._sensitive, False)):
        if regex is None:
            continue
        for m in regex.finditer(text):
            found.append(mention(m.start(), m.end(), table[m.group(0).lower() if fold else m.group(0)]))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[EntityMention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _old_is_attribution(text: str, ent: EntityMention, lex) -> bool:
    if lex.attribution_verb_re.match(text[ent.end :]):
        return True
    # the phrase searched forwards in the 25 characters before the name, as it was read
    phrases = "|".join(re.escape(p) for p in lex.rules.metrics.attribution_phrases)
    return bool(re.search(rf"\b(?:{phrases})\s+$", text[max(0, ent.start - 25) : ent.start], re.IGNORECASE))


def _old_session_patterns(phrases_by_label: dict[str, list[str]]) -> list[tuple[str, re.Pattern]]:
    found = []
    for label, phrases in phrases_by_label.items():
        body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        found.append((label, re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)))
    return found


def _outcome(find, *args):
    try:
        return find(*args)
    except KeyError as e:
        return KeyError(*e.args)


def _assert_same(index: EntityIndex, lex, texts: list[str], learn: bool = True) -> None:
    for text in texts:
        learned = learn_aliases(text.splitlines(), index) if learn else {}
        got = _outcome(index.find, text, learned)
        assert repr(got) == repr(_outcome(_old_find, index, text, learned)), text[:200]
        if isinstance(got, list):
            # Every mention of the text, and every position just around one, as a source.
            probes = got + [EntityMention(e.start + d, e.end + d, e.name, e.kind, False) for e in got for d in (-1, 1)]
            probes = [e for e in probes if 0 <= e.start <= e.end <= len(text)]
            assert [_is_attribution(text, e, lex, text[::-1]) for e in probes] == [
                _old_is_attribution(text, e, lex) for e in probes
            ], text[:200]


def _corpus_sentences() -> list[list[str]]:
    docs = [parse_document(p.read_text(encoding="utf-8"), p.name, suffix=p.suffix) for p in CORPUS]
    return [[s.text for s in doc.sentences] for doc in docs]


def test_corpus_mentions_and_sources_equal_the_old_code(rules):
    index, lex = EntityIndex(rules.entities.entities), lexicon(rules)
    for sentences in _corpus_sentences():
        learned = learn_aliases(sentences, index)
        for text in sentences:
            got = index.find(text, learned)
            assert got == _old_find(index, text, learned), text
            assert [_is_attribution(text, e, lex, text[::-1]) for e in got] == [_old_is_attribution(text, e, lex) for e in got], text


def test_hostile_mentions_and_sources_equal_the_old_code(rules):
    _assert_same(EntityIndex(rules.entities.entities), lexicon(rules), HOSTILE)


def test_tricky_names_equal_the_old_code(rules):
    """Names that fold together, prefixes of each other, an empty alias and case-sensitive
    tickers: several patterns match, and the general merge decides."""
    index = EntityIndex(rules.entities.entities + TRICKY)
    text = "IX HOLD, ıx holdings, ſtar STAR Strasse STRAẞE \u212aELVIN kelvin A.B. a b ABC A&B TIC TI ti T Ab-c's Tick'"
    _assert_same(index, lexicon(rules), [text, *RUNS], learn=False)


@pytest.mark.parametrize("seed", range(20))
def test_random_name_soup_equals_the_old_code(seed, rules):
    rng = random.Random(seed)
    pool = rules.entities.entities + TRICKY[1:]  # TRICKY[0] makes KeyErrors, tested above
    index = EntityIndex(pool)
    names = [n for e in pool for n in (e.name, *e.aliases, *e.tickers) if n]
    pieces = []
    for _ in range(300):
        name = rng.choice(names)
        name = name[: rng.randint(1, len(name))] if rng.random() < 0.3 else name
        name = rng.choice([name, name.upper(), name.lower()])
        pieces.append(name + rng.choice(["", " ", ". ", "'s ", "' ", "’s ", "&", ", ", " said ", " (NYSE: KSTL) ",
                                         " according to ", " per ", " expects ", "\n"]))
    _assert_same(index, lexicon(rules), ["".join(pieces)])


def test_session_marks_equal_the_flat_alternations(rules):
    texts = [t for sentences in _corpus_sentences() for t in sentences] + HOSTILE
    new = sessions._patterns(rules)
    old = _old_session_patterns(rules.sessions.sessions)
    assert [label for label, _ in new] == [label for label, _ in old]
    for text in texts:
        for (_, a), (_, b) in zip(new, old):
            assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], text[:200]


class _SessionsOnly:
    """What _patterns reads of a rules set."""

    def __init__(self, phrases: dict[str, list[str]]):
        self.sessions = SimpleNamespace(sessions=phrases)


@pytest.mark.parametrize(
    "phrases",
    [
        {"a": ["day's high", "DAY'S HIGH", "high", "high of", "ſtar", "star", "Straße", "STRASSE"]},
        {"b": ["\u212aelvin", "kelvin", "k", "pre-market", "pre", "-market"]},
        {"c": [""], "d": []},
    ],
)
def test_session_phrases_that_fold_or_are_empty_equal_the_flat_alternation(phrases):
    new = sessions._patterns(_SessionsOnly(phrases))  # a rules set of its own: built per rules set
    text = "day's high DAY'S HIGH high of ſtar STAR strasse STRAẞE \u212aELVIN kelvin k pre-market pre -market x-k k_ "
    old = _old_session_patterns(phrases)
    assert [label for label, _ in new] == [label for label, _ in old]
    for (_, a), (_, b) in zip(new, old):
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]


def test_deal_words_equal_the_flat_alternation(rules):
    """Every sentence asks whether it is about a deal: the deal, bid and bidder words of
    rules/entities.yaml are one trie, matched as the flat alternation of them was."""
    from factcheck.extract.cues import _alternation_of

    e = rules.entities
    words = list(e.deal_words) + list(e.bid_nouns) + list(e.bidder_verbs)
    old = re.compile(rf"\b(?:{_alternation_of(words)})\b", re.IGNORECASE)
    new = lexicon(rules).deal_word_re
    spaced = [w.upper().replace(" ", " \n  ") for w in words]
    glued = ["x" + w for w in words] + [w + "s" for w in words] + [w + "-" for w in words]
    texts = [t for sentences in _corpus_sentences() for t in sentences] + HOSTILE + [" ".join(spaced), " ".join(glued)]
    for text in texts:
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text[:200]
