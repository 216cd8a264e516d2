"""Parsing in a spaCy memory zone (extract/parse.py, parse_zone): the words an article
brings into the pipeline's vocabulary are freed once its extraction is done, so a
long-running worker does not grow with the archive, and the claims are the same as
without the zone. The real pipeline throughout; nothing here is timed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading

import pydantic
import pytest

from factcheck.extract import extract_mentions
from factcheck.extract import parse as parse_mod
from factcheck.extract.parse import load_pipeline, parse_sentences, parse_zone
from factcheck.ingest import parse_document
from factcheck.normalize import extract_claims

_SYLLABLES = ["qor", "vex", "plim", "tor", "zand", "rif", "kel", "mox", "brin", "thal", "umb", "yss", "drav", "olk"]


def _word(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def _articles(seed: int, n: int = 8) -> tuple[list[str], set[str]]:
    """Articles full of figures about companies, products and places no model has seen."""
    rng = random.Random(seed)
    texts, words = [], set()
    for k in range(n):
        company, rival, product, town = (_word(rng).title() for _ in range(4))
        verb = _word(rng, 2) + "ed"
        words |= {company, rival, product, town, verb}
        texts.append(
            f"---\ntitle: {company} results\ndate: 2025-0{1 + k % 9}-14\n---\n\n"
            f"{company} Holdings said revenue rose {3 + k}% to ${1 + k}.{k} billion in the second quarter.\n\n"
            f"Sales of its {product} line {verb} to $840 million, while {rival} shares fell 2.{k}% in {town}.\n\n"
            f"{company} shares gained 4.{k}% on Tuesday after the {product} launch.\n"
        )
    return texts, words


def _claims(texts: list[str], rules) -> list[list[str]]:
    out = []
    for i, text in enumerate(texts):
        doc = parse_document(text, f"a{i}.md", suffix=".md", published=dt.date(2025, 7, 1))
        out.append([c.model_dump_json() for c in extract_claims(doc, rules)])
    return out


def _store(nlp) -> tuple[int, int]:
    """Strings interned, and lexemes the vocabulary holds (len(vocab) counts freed ones too)."""
    return len(nlp.vocab.strings), sum(1 for _ in nlp.vocab)


@pytest.fixture(scope="module")
def nlp(rules):
    nlp = load_pipeline(None)  # the instance parse_sentences uses
    _claims(_articles(seed=0, n=2)[0], rules)  # every tag and label seen once
    return nlp


def test_an_articles_words_are_freed_after_extraction_and_the_claims_do_not_change(nlp, rules, monkeypatch):
    texts, words = _articles(seed=1)
    before = _store(nlp)
    zoned = _claims(texts, rules)
    assert _store(nlp) == before
    assert not any(w in nlp.vocab.strings for w in words)
    assert sum(map(len, zoned)) >= 3 * len(texts)  # the articles were read, not skipped

    # The same articles without the zone: their words stay, and the claims are identical.
    monkeypatch.setattr(parse_mod, "_enter_zone", lambda nlp: None)
    plain = _claims(texts, rules)
    assert _store(nlp)[0] - before[0] >= len(words) and all(w in nlp.vocab.strings for w in words)
    assert plain == zoned


def test_extraction_again_after_the_zone_reads_the_same(nlp, rules):
    # Nothing cached inside a zone (a tokenization, a lexeme) is read after it was freed.
    texts, _ = _articles(seed=2)
    first = _claims(texts, rules)
    assert _claims(texts, rules) == first


def test_mentions_hold_no_spacy_object(nlp, rules):
    """What leaves the zone is plain data: a Token or Span kept in a mention would point
    into freed memory once the zone ends."""
    import spacy.tokens

    spacy_types = (spacy.tokens.Doc, spacy.tokens.Span, spacy.tokens.Token, spacy.lexeme.Lexeme, spacy.vocab.Vocab)
    seen: set[int] = set()

    def walk(value) -> None:
        if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None), dt.date)):
            return
        seen.add(id(value))
        assert not isinstance(value, spacy_types), f"a {type(value).__name__} outlives the parse"
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, pydantic.BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        else:
            assert type(value).__module__.split(".")[0] != "spacy", type(value)

    texts, _ = _articles(seed=3, n=4)
    for i, text in enumerate(texts):
        mentions = extract_mentions(parse_document(text, f"a{i}.md", suffix=".md"), rules)
        assert mentions
        walk(mentions)


def test_scopes_nest_and_overlap_across_threads(nlp):
    """One zone serves every thread inside a scope: it ends when the last one leaves, never
    under a thread that still holds its Docs."""
    before = _store(nlp)
    holding, released = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def worker() -> None:
        with parse_zone():
            doc = parse_sentences(["Grendavox shares rose 3% on Monday."])[0]
            holding.set()
            released.wait()
            seen["text"] = [t.text for t in doc]  # still valid: this scope is open
            seen["inside"] = "Grendavox" in nlp.vocab.strings
            del doc

    t = threading.Thread(target=worker)
    t.start()
    assert holding.wait(60)
    with parse_zone():  # another thread's scope, nested one deeper, comes and goes
        with parse_zone():
            parse_sentences(["Trelloquin fell 2%."])
    assert "Grendavox" in nlp.vocab.strings  # the worker still holds its Doc
    released.set()
    t.join(60)
    assert seen == {"text": ["Grendavox", "shares", "rose", "3", "%", "on", "Monday", "."], "inside": True}
    assert "Grendavox" not in nlp.vocab.strings and "Trelloquin" not in nlp.vocab.strings
    assert _store(nlp) == before


def test_a_failed_extraction_still_frees_its_words(nlp):
    before = _store(nlp)
    with pytest.raises(ZeroDivisionError):
        with parse_zone():
            parse_sentences(["Vostrandel Mining lost 40% this year."])
            1 / 0
    assert _store(nlp) == before and "Vostrandel" not in nlp.vocab.strings
    doc = parse_sentences(["Vostrandel Mining lost 40% this year."])[0]  # outside a scope: kept
    assert doc[0].text == "Vostrandel" and doc[0].pos_ == "PROPN"


def test_a_zone_the_caller_opened_is_left_to_the_caller(nlp, rules):
    texts, words = _articles(seed=4, n=2)
    before = _store(nlp)
    with nlp.memory_zone():
        _claims(texts, rules)
        assert any(w in nlp.vocab.strings for w in words)  # ours did not close theirs
    assert _store(nlp) == before
