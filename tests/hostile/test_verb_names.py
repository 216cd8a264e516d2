"""Names before a movement verb (entities.unknown_subjects) are matched only within the
runs of text before each verb (issue 10): run across a capitalised run, the pattern
backtracked through up to ten name lengths at every word. The pattern's own finditer
lives on here as the reference the matches must equal.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from factcheck.extract import entities
from factcheck.extract.entities import _verb_name_matches, _verb_name_regex
from factcheck.extract.cues import lexicon
from factcheck.ingest import parse_document

from test_entity_find import RUNS  # pytest puts this folder on sys.path

CORPUS = sorted(p for p in (Path(__file__).parents[2] / "corpus").iterdir() if p.suffix in (".md", ".txt", ".html"))

HOSTILE = [
    *RUNS,
    "Mr. rose " * 3_000,
    "-A" * 2_000 + ", rose",
    "-A" * 2_000 + " rose",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z rose and A B C D E F G H I J K fell",
    "Shares of Acme Holdings & Co's ADRs also rose; Bank of America’s shares then fell; Tesla stock closed down",
    "Acme Risesfell rose Acme rosey Acme\u00a0rose Acme\nrose Acme  rose Acme's stock still dropped",
    "Acme Corp. Ltd. Inc. of of of & & Beta rose, Gamma-Delta closed up 5%, e-Commerce Co fell",
    # The longest name before a verb: ten words, "shares" and "also", twelve runs in all.
    "Aa " * 100 + "A B C D E F G H I J shares also rose",
    "Aa " * 100 + "A B C D E of & H I J’s ADRs still fell",
    "Aa " * 100 + "A-B C D E F G H I J's stock then dropped",
]

SOUP = [
    "Acme", "Beta", "Gamma's", "Delta’s", "A.", "Mr.", "U.S.", "of", "&", "and", "the", "Shares", "shares", "stock",
    "ADR", "ADRs", "also", "still", "then", "rose", "fell", "closed", "down", "closed down", "up", "up by", "Rose",
    "-A", "X-Y", "5%", ",", ";", "é", "Élan", "rosey", "drop", "dropped",
]


@pytest.fixture(scope="module")
def verbs(rules):
    return lexicon(rules).verbs


@pytest.fixture(autouse=True, params=["near", "counted"])
def window(request, monkeypatch):
    """Both ways of finding where the starts before a verb begin: all starts since the
    last one tried (a verb close by), and the runs counted back from the verb."""
    if request.param == "counted":
        monkeypatch.setattr(entities, "_NEAR", 0)


def _same(text: str, verbs: tuple[str, ...]) -> None:
    want = [(m.span(), m.span(1)) for m in _verb_name_regex(verbs).finditer(text)]
    got = [(m.span(), m.span(1)) for m in _verb_name_matches(text, verbs)]
    assert got == want, text[:200]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_matches_equal_the_pattern_run_across_the_text(path, verbs):
    doc = parse_document(path.read_text(encoding="utf-8"), path.name, suffix=path.suffix)
    for s in doc.sentences:
        _same(s.text, verbs)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_matches_equal_the_pattern_run_across_the_text(text, verbs):
    _same(text, verbs)


@pytest.mark.parametrize("seed", range(40))
def test_random_name_soup_equals_the_pattern_run_across_the_text(seed, verbs):
    rng = random.Random(seed)
    text = "".join(rng.choice(SOUP) + rng.choice([" ", " ", " ", "  ", "\n", "", "-", "."]) for _ in range(400))
    _same(text, verbs)


@pytest.mark.parametrize("odd", [(), ("",), ("Rose", "rose", "ro"), ("closed down", "down", "up by", "up")])
def test_odd_verb_lists_match_as_the_pattern_does(odd):
    rng = random.Random(len(odd))
    text = "".join(rng.choice(SOUP) + rng.choice([" ", " ", "\n", ""]) for _ in range(400))
    _same(text, odd)
