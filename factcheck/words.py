"""The words figures and dates are written with (rules/words.yaml), read once at import.

Months, weekdays, number words, scale, rate and qualifier words and the units prices are
quoted in build the patterns that extract/periods.py, extract/quantities.py,
extract/entities.py and extract/cues.py compile when they are imported, so they are read
from the rules folder shipped with factcheck (rules.DEFAULT_RULES_DIR), not from a --rules
folder chosen per run: they are the language's words, not a newsroom's setting.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, ValidationInfo, field_validator

from factcheck.rules import DEFAULT_RULES_DIR, _Strict, load_yaml_model

Rate = Literal["hour", "day", "week", "month", "quarter", "year"]
Qualifier = Literal["approx", "over", "at_least", "under", "up_to", "between", "from"]


def _scale(size: float) -> float:
    if not (math.isfinite(size) and size > 1):
        raise ValueError(f"{size} is not a finite number above 1")
    return size


# "million: 1.0e+6": a size a number is multiplied by; checked per entry, so that an error
# names the entry's own line.
Scale = Annotated[float, AfterValidator(_scale)]


class RateWords(_Strict):
    nouns: list[str]
    adverbs: list[str]
    adjectives: list[str]


class PerUnits(_Strict):
    words: dict[str, str]
    symbols: dict[str, str]


class RatedUnit(_Strict):
    unit: str
    rate: Rate


class PhysicalUnits(_Strict):
    symbols: dict[str, str]
    words: dict[str, str]
    rated: dict[str, RatedUnit]


class CloseBounds(_Strict):
    beyond: list[str]  # words that start a close "over"/"under" phrase
    below: list[str]  # approximations that stop short of their number
    utmost: list[str]  # the most a figure is said to be


class WordsFile(_Strict):
    months: list[str]
    month_abbreviations: list[str]
    weekdays: list[str]
    number_words: dict[str, int]
    scale_words: dict[str, Scale]
    scale_words_before: list[str]
    scale_words_after_hundred: list[str]
    scale_words_plural: list[str]
    scale_letters: dict[str, Scale]
    subunits: dict[str, str]
    rates: dict[Rate, RateWords]
    qualifiers: dict[Qualifier, list[str]]
    qualifiers_after: dict[str, Qualifier]
    close_bounds: CloseBounds
    per_units: PerUnits
    physical_units: PhysicalUnits
    legal_suffixes: list[str]
    listing_codes: list[str]
    spellings: dict[str, str] = {}

    @field_validator("months", "weekdays")
    @classmethod
    def _complete(cls, value: list[str], info: ValidationInfo) -> list[str]:
        want = {"months": 12, "weekdays": 7}[info.field_name]
        if len(value) != want:
            raise ValueError(f"{want} {info.field_name} expected in calendar order, got {len(value)}")
        return value

    @field_validator("scale_letters")
    @classmethod
    def _letters(cls, value: dict[str, float]) -> dict[str, float]:
        if any(len(letter) != 1 or not letter.islower() for letter in value):
            raise ValueError("scale letters are single lower-case letters")
        return value

    @field_validator("close_bounds")
    @classmethod
    def _close_phrases_are_qualifiers(cls, value: CloseBounds, info: ValidationInfo) -> CloseBounds:
        qualifiers = info.data.get("qualifiers", {})
        for name, kinds in (("below", ("approx", "under")), ("utmost", ("up_to",))):
            known = {p for kind in kinds for p in qualifiers.get(kind, [])}
            unknown = [p for p in getattr(value, name) if p not in known]
            if unknown:
                raise ValueError(f"{name}: {unknown} are not {' or '.join(kinds)} qualifier phrases")
        return value

    @field_validator("scale_words_before", "scale_words_after_hundred", "scale_words_plural")
    @classmethod
    def _name_scale_words(cls, value: list[str], info: ValidationInfo) -> list[str]:
        unknown = [w for w in value if w not in info.data.get("scale_words", {})]
        if unknown:
            raise ValueError(f"{unknown} not in scale_words")
        return value


WORDS: WordsFile = load_yaml_model(DEFAULT_RULES_DIR / "words.yaml", WordsFile)  # type: ignore[assignment]

MONTH_NAMES: list[str] = list(WORDS.months)
MONTH_ABBREVIATIONS: list[str] = list(WORDS.month_abbreviations)
WEEKDAY_NAMES: list[str] = list(WORDS.weekdays)
NUMBER_WORDS: dict[str, int] = dict(WORDS.number_words)
