"""EntityIndex.find matches names through a trie-shaped pattern (issue 10): a flat
alternation of every name cost 1 to 2 s per megabyte of dots or "Mr. ". The flat
alternation lives on here as the reference whose mentions the trie must equal.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from factcheck.extract import entities
from factcheck.extract.entities import EntityIndex, learn_aliases
from factcheck.ingest import parse_document
from factcheck.rules import EntityRule

CORPUS = sorted(p for p in (Path(__file__).parents[2] / "corpus").iterdir() if p.suffix in (".md", ".txt", ".html"))

# The pathological runs of bench/hostile_bench.py at test size: every linear-time rewrite of
# issue 10 is checked on them against the pattern it replaced (the other test_*.py here).
RUNS = [
    "Acme rose 5%" + "." * 20_000,
    "Mr. " * 5_000 + "rose 5%.",
    "U.S. " * 4_000 + "rose 5%.",
    "A. " * 6_000 + "is up 5%.",
    "*[<`" * 5_000,
]

HOSTILE = [
    *RUNS,
    "MICRON TECHNOLOGY's KESTREL MOTORS and micron technologyx, &Micron, Micron&, _Micron, Micron_",
    "Deutsche Börse, DEUTSCHE BÖRSE, deutsche börsen, Deutsche Borse, MU, mu, Mu, (MU), MU's, MUs'",
    "Kestrel Motors' Kestrel Motor Kestrel Motorss Kestrel\nMotors Kestrel  Motors",
]

# Names whose folding re treats specially: dotless i, long s, sharp s, Kelvin sign, and
# names that are prefixes of each other or empty.
TRICKY = [
    EntityRule(name="ıx Holdings", aliases=["ix", "IX Hold", "ſtar", "star", "Straße", "STRASSE", "\u212aelvin", "kelvin"]),
    EntityRule(name="Ab", aliases=["A", "Abc", "Ab-c", "A.B.", "A&B", "a b"]),
    EntityRule(name="Blank", aliases=[""]),
    EntityRule(name="Tick", aliases=["Ti"], tickers=["T", "TI", "TIC"], case_sensitive=True),
]


def _flat(names, flags: int) -> re.Pattern:
    """The pattern before issue 10: every name, longest first, behind a lookbehind."""
    body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w&])(?:{body})(?![\w&])", flags)


def _reference_index(rules: list[EntityRule], monkeypatch) -> EntityIndex:
    with monkeypatch.context() as m:
        m.setattr(entities, "_names_regex", _flat)
        return EntityIndex(rules)


def _reference_find(index: EntityIndex, text: str, learned: dict[str, str], monkeypatch) -> list:
    with monkeypatch.context() as m:
        m.setattr(entities, "_learned_regex", lambda aliases: _flat(aliases, 0))
        return index.find(text, learned)


def _outcome(find, *args):
    # Text that folds onto a name but lowercases to no table key ("IX" against "ıx")
    # raised KeyError before the trie too; the two must fail alike.
    try:
        return find(*args)
    except KeyError as e:
        return KeyError(*e.args)


def _assert_same(rules: list[EntityRule], texts: list[str], monkeypatch, learn: bool = True) -> None:
    new, old = EntityIndex(rules), _reference_index(rules, monkeypatch)
    for text in texts:
        learned = learn_aliases(text.splitlines(), new) if learn else {}
        got = _outcome(new.find, text, learned)
        want = _outcome(_reference_find, old, text, learned, monkeypatch)
        assert repr(got) == repr(want), text[:200]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_mentions_equal_the_flat_alternation(path, rules, monkeypatch):
    doc = parse_document(path.read_text(encoding="utf-8"), path.name, suffix=path.suffix)
    sentences = [s.text for s in doc.sentences]
    new = EntityIndex(rules.entities.entities)
    learned = learn_aliases(sentences, new)
    old = _reference_index(rules.entities.entities, monkeypatch)
    for text in sentences:
        assert new.find(text, learned) == _reference_find(old, text, learned, monkeypatch)


def test_hostile_mentions_equal_the_flat_alternation(rules, monkeypatch):
    _assert_same(rules.entities.entities, HOSTILE, monkeypatch)


@pytest.mark.parametrize("seed", range(30))
def test_random_name_soup_equals_the_flat_alternation(seed, rules, monkeypatch):
    """Fragments of real and tricky names, case flipped and glued with separators, so
    that prefixes, near misses and word-boundary failures are all exercised."""
    rng = random.Random(seed)
    pool = rules.entities.entities + TRICKY
    names = [n for e in pool for n in (e.name, *e.aliases, *e.tickers) if n]
    pieces = []
    for _ in range(200):
        name = rng.choice(names)
        name = name[: rng.randint(1, len(name))] if rng.random() < 0.3 else name
        name = rng.choice([name, name.upper(), name.lower(), name.swapcase()])
        pieces.append(name + rng.choice(["", " ", ". ", "'s ", "&", "_", "x", ", ", "\n", " (NYSE: KSTL) "]))
    _assert_same(pool, ["".join(pieces)], monkeypatch)


def test_trie_keeps_names_that_fold_together_on_one_branch(monkeypatch):
    text = "IX HOLD, ıx holdings, ſtar STAR Strasse STRAẞE \u212aELVIN kelvin A.B. a b ABC A&B TIC TI ti T Ab-c"
    _assert_same(TRICKY, [text], monkeypatch, learn=False)
