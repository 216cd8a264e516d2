"""The words figures and dates are written with (rules/words.yaml), read once at import.

Months, weekdays and number words build the patterns that periods.py, quantities.py and
extract/cues.py compile when they are imported, so they are read from the rules folder
shipped with factcheck (rules.DEFAULT_RULES_DIR), not from a --rules folder chosen per run.
"""

from __future__ import annotations

from pydantic import field_validator

from factcheck.rules import DEFAULT_RULES_DIR, _Strict, load_yaml_model


class WordsFile(_Strict):
    months: list[str]
    month_abbreviations: list[str]
    weekdays: list[str]
    number_words: dict[str, int]

    @field_validator("months")
    @classmethod
    def _twelve(cls, value: list[str]) -> list[str]:
        if len(value) != 12:
            raise ValueError(f"12 months expected, got {len(value)}")
        return value

    @field_validator("weekdays")
    @classmethod
    def _seven(cls, value: list[str]) -> list[str]:
        if len(value) != 7:
            raise ValueError(f"7 weekdays expected, got {len(value)}, Monday first")
        return value


WORDS: WordsFile = load_yaml_model(DEFAULT_RULES_DIR / "words.yaml", WordsFile)  # type: ignore[assignment]

MONTH_NAMES: list[str] = list(WORDS.months)
MONTH_ABBREVIATIONS: list[str] = list(WORDS.month_abbreviations)
WEEKDAY_NAMES: list[str] = list(WORDS.weekdays)
NUMBER_WORDS: dict[str, int] = dict(WORDS.number_words)
