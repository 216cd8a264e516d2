"""Claim understanding: one document in, its numeric mentions out.

- extract/claims.py     the orchestrator, and the evidence each field was chosen by
- extract/parse.py      the spaCy pipeline (loading, batching)
- extract/syntax.py     what a figure hangs from in the parse
- extract/metrics.py    metric = head noun + qualifiers (rules/metrics.yaml, qualifiers.yaml)
- extract/sessions.py   premarket / open / intraday / close / after hours (rules/sessions.yaml)
- extract/cues.py       the cue-word reading used where the parse says nothing
- extract/quantities.py numbers, scale words, currencies, units and rates in the text
- extract/periods.py    dates, weekdays, quarters, windows; how two periods relate
- extract/entities.py   company, index and country names, tickers, aliases an article learns
"""

from importlib import import_module

__all__ = ["Mention", "extract_mentions", "lexicon", "parse_ahead"]

# Imported on first use: periods, quantities and entities are also read by link, compare
# and the reports, which must not load spaCy (and the libraries it pulls in) with them.
_LAZY = {"Mention": "factcheck.extract.claims", "extract_mentions": "factcheck.extract.claims", "lexicon": "factcheck.extract.cues",
         "parse_ahead": "factcheck.extract.claims"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
