"""A sentence's metric cues are found through one trie-shaped scan (issue 10): each
metric's flat alternation of cue words, run across the whole sentence, cost about 1.5 s
per megabyte of dots or "Mr. ". The flat alternations live on here as the reference whose
hits (metric by metric, in order, never overlapping within a metric) the scan must equal.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from factcheck.extract.cues import _Lexicon, _SentenceContext
from factcheck.ingest import parse_document
from factcheck.rules import MetricRule

from test_entity_find import RUNS  # pytest puts this folder on sys.path

CORPUS = sorted(p for p in (Path(__file__).parents[2] / "corpus").iterdir() if p.suffix in (".md", ".txt", ".html"))

HOSTILE = [
    *RUNS,
    "revenue" * 3_000 + " revenue revenues-revenue_revenue REVENUE, Revenue's",
    "market cap market capitalization market value of market valuation of shares shares at closed at",
    "price price target target price price-target price_target prices futures",
    "from its recent high from its record high off its high off its recent highs",
]

# Cues whose folding re treats specially (dotless i, long s, sharp s, Kelvin sign), cues
# that are prefixes of each other, cues with spaces and hyphens, and an empty cue.
TRICKY = [
    MetricRule(id="tricky_a", label="a", kinds=["money"], cues=["ıx", "ix", "IX rate", "ſtar", "star", "Straße", "STRASSE"]),
    MetricRule(id="tricky_b", label="b", kinds=["percent"], cues=["\u212aelvin", "kelvin", "k", "K-ratio", "run-rate", "run rate"]),
    MetricRule(id="tricky_c", label="c", kinds=["money"], cues=["rate", "ratE", "rates", "rate-", "-rate"]),
    MetricRule(id="tricky_d", label="d", kinds=["money"], cues=["star", "sales", "a", "A b", "ab"]),
]


def _flat_hits(lex: _Lexicon, text: str) -> list:
    """The cue hits as found before issue 10: every metric's cues, longest first, behind a
    lookbehind, each metric's pattern run across the whole sentence."""
    found = []
    for metric, _ in lex.cue_res:
        body = "|".join(re.escape(c) for c in sorted(metric.cues, key=len, reverse=True))
        hits = list(re.finditer(rf"(?<![\w-])(?:{body})(?![\w-])", text, re.IGNORECASE))
        if hits:
            found.append((metric, hits))
    return found


def _hits(lex: _Lexicon, text: str) -> list:
    return _SentenceContext.cue_hits.func(SimpleNamespace(text=text, lex=lex))


def _shown(found: list) -> list:
    return [(metric.id, [(m.start(), m.end(), m.group()) for m in hits]) for metric, hits in found]


def _assert_same(lex: _Lexicon, texts: list[str]) -> None:
    for text in texts:
        assert _shown(_hits(lex, text)) == _shown(_flat_hits(lex, text)), text[:200]


def _lexicon(rules, extra: list[MetricRule]) -> _Lexicon:
    changed = copy.copy(rules)
    changed.metrics = rules.metrics.model_copy(update={"metrics": [*rules.metrics.metrics, *extra]})
    return _Lexicon(changed)


@pytest.fixture(scope="module")
def lex(rules):
    return _Lexicon(rules)


@pytest.fixture(scope="module")
def tricky(rules):
    return _lexicon(rules, TRICKY)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_cue_hits_equal_the_flat_alternations(path, lex):
    doc = parse_document(path.read_text(encoding="utf-8"), path.name, suffix=path.suffix)
    _assert_same(lex, [s.text for s in doc.sentences])


def test_hostile_cue_hits_equal_the_flat_alternations(lex, tricky):
    _assert_same(lex, HOSTILE)
    _assert_same(tricky, HOSTILE)


@pytest.mark.parametrize("seed", range(30))
def test_random_cue_soup_equals_the_flat_alternations(seed, tricky):
    """Fragments of real and tricky cues, case flipped and glued with separators, so that
    prefixes, overlaps, near misses and word-boundary failures are all exercised."""
    rng = random.Random(seed)
    cues = [c for metric, _ in tricky.cue_res for c in metric.cues]
    pieces = []
    for _ in range(300):
        cue = rng.choice(cues)
        cue = cue[: rng.randint(1, len(cue))] if rng.random() < 0.3 else cue
        cue = rng.choice([cue, cue.upper(), cue.lower(), cue.swapcase()])
        pieces.append(cue + rng.choice(["", " ", "-", "_", "x", ", ", ". ", "'s ", "\n", " 5% ", "$"]))
    _assert_same(tricky, ["".join(pieces)])


def test_an_empty_cue_matches_where_the_flat_alternation_did(rules):
    blank = _lexicon(rules, [MetricRule(id="blank", label="blank", kinds=["money"], cues=["", "rate"])])
    _assert_same(blank, ["", "rate", "a rate-rate, rates. rate", "  rate  ", "-rate-"])


def test_no_cues_at_all_finds_nothing(rules):
    bare = copy.copy(rules)
    bare.metrics = rules.metrics.model_copy(update={"metrics": [m.model_copy(update={"cues": []}) for m in rules.metrics.metrics]})
    assert _hits(_Lexicon(bare), "revenue rose 5% and shares fell") == []
