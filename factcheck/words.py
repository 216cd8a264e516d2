"""The words figures and dates are written with (rules/words.yaml), read once at import.

Months, weekdays and number words build the patterns that extract/periods.py,
extract/quantities.py and extract/cues.py compile when they are imported, so they are read
from the rules folder shipped with factcheck (rules.DEFAULT_RULES_DIR), not from a --rules
folder chosen per run.
"""

from __future__ import annotations

from pydantic import ValidationInfo, field_validator

from factcheck.rules import DEFAULT_RULES_DIR, _Strict, load_yaml_model


class WordsFile(_Strict):
    months: list[str]
    month_abbreviations: list[str]
    weekdays: list[str]
    number_words: dict[str, int]

    @field_validator("months", "weekdays")
    @classmethod
    def _complete(cls, value: list[str], info: ValidationInfo) -> list[str]:
        want = {"months": 12, "weekdays": 7}[info.field_name]
        if len(value) != want:
            raise ValueError(f"{want} {info.field_name} expected in calendar order, got {len(value)}")
        return value

WORDS: WordsFile = load_yaml_model(DEFAULT_RULES_DIR / "words.yaml", WordsFile)  # type: ignore[assignment]

MONTH_NAMES: list[str] = list(WORDS.months)
MONTH_ABBREVIATIONS: list[str] = list(WORDS.month_abbreviations)
WEEKDAY_NAMES: list[str] = list(WORDS.weekdays)
NUMBER_WORDS: dict[str, int] = dict(WORDS.number_words)
