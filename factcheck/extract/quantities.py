"""Find the figures in a sentence: where a currency, a number and a unit are written.

``find_quantities(sentence, units)`` returns one :class:`QuantityMention` per figure, with
its canonical magnitude ("$1.25 billion" -> 1.25e9 USD, "150 basis points" -> 1.5
percentage points), its qualifier ("over 10%", "about $315 billion"), a rate when the text
says one ("$47.55M a month" -> "USD / month"), and how precisely it was written (for the
compare stage's rounding tolerance).

Only figures are returned. Dates and years ("in 2026", "July 1", "2024-2028"), ordinals,
model and index names ("H100", "Llama 3", "S&P 500", "737 Max"), labels ("category 4",
"tier 1"), clock times, tickers, addresses and phone numbers are skipped.

Durations and ages ("in 15 years", "18 months", "a 15-year-old", "men aged 18 to 34") are
figures of kind ``duration`` in pint time units. They are listed as claims and compared
only as the span of a record ("a 41-year high of 11.1%", rules' ``record_span_metric``,
which no word names); a time window ("the past two years") is the period module's, and
extract.py drops the figure inside it.

The scanner runs on every sentence of large corpora, so it works with module-level
compiled regexes and plain floats and strings; pint objects are built only when two
figures are compared (:meth:`factcheck.units.UnitSystem.to_common`). The few regexes that
depend on the currencies in ``rules/`` are compiled once per :class:`UnitSystem`.

Choices worth knowing:

* "nearly"/"almost" are ``approx``, not ``under``: "nearly $1 trillion" means close to a
  trillion, and ``under`` would let any smaller figure agree with it.
* "from X to Y" after a word of change is two figures ("fell from $2,415 to $2,315", "an
  increase from 5% to 7%"); without one it is a range ("homes from $750,000 to $1 million",
  "prices range from ..."), like "X to Y", "X-Y" and "between X and Y"; a bare end borrows
  the other's scale and unit ("$11-12 billion", "10 to 12%").
* A price per physical or counted unit carries it: "$58.24 per barrel" is "USD /
  oil_barrel", "63 cents per share" "USD / share" (rules/units.txt), so a price never
  compares with an amount. "per pound" is left alone (as often an exchange rate).
* A bare integer from 1900 to 2100 is taken for a year and skipped ("2,000" with its comma
  is still a count), unless it starts a range that is no year ("between 2000 and 3000
  jobs"); so is one from 1500 to 1899 or 2101 to 2299 right after "in", "since", "founded"
  and the like ("founded in 1894", "by 2120"), while "1,894 staff" and "1894 staff" stay
  counts.
* A bare number right after a capitalised word that is not a common function word is taken
  for part of a name ("Llama 3", "S&P 500", "Section 427") and skipped.
* Number words "one".."twenty", "thirty".."ninety" are counts only before a content word
  ("five companies", "eight other employees", "seven European countries") or a group ("two
  of the firms", "one of Airbnb's earliest investments"); "one" not after a determiner or
  an adjective ("the one", "a canny one": pronouns); compound number words
  ("twenty-eight thousand") are not guessed. A number word that ends a name the article
  writes capitalised elsewhere ("Capital One") is dropped where it is lower-cased too, by
  extract/claims.py (`_names_ending_in_numbers`), which sees the whole article.
* "points" alone is ``index_point`` (the Dow fell 500 points); "a quarter point" and "half a
  point" are percentage points, as they only appear in rate talk.
* One-letter scales are read when glued to the number ("$47.55M", "2.7m sales"), "T" only
  after a currency; "164p", "25 cents" and "18 sen" are 1.64 GBP, 0.25 USD and 0.18 MYR;
  "pc" is percent. Scraped and wire forms are currencies only glued before a number
  ("PS2.7m" for £2.7m, Reuters' "Y=28,030"; rules/currencies.yaml `prefixes`), "PS5" is
  not £5. "minus-130 degrees" is signed, "sub-7 nanometer" is under 7.
* Runs of bare numbers with only spaces, brackets or dashes between them (phone numbers,
  "555-1234", scores) are dropped, and so is a bare number whose dash partner is not a
  figure ("5-10W" is a range, "10-K" nothing).
* A rate word shortly before a money figure sets its rate ("a monthly rent of $1.25
  billion", "annual depreciation around $111 billion"); so does one after it
  ("$135 billion a year", "$47.55M per month"). Percentages never get a rate.
* A slash fraction is read only before a measure ("1/2 pound", "1 1/2 cups", "1⁄4 of a
  pint"); "9/11", "2/3 of the board" and "$4/$6" are not fractions of anything.
* "dozens of", "thousands of", "tens of millions of" + a noun are an order of magnitude:
  the range from it to ten times it, qualified approx.
* A number word hyphenated to a noun is an adjective and no figure ("a six-speed gearbox",
  "a five-year plan", "its worst two-day drop"), except ages ("a five-year-old").
* Beyond the fields the compare stage needs, a mention carries ``resolution`` (the step of its
  last written digit in the canonical unit) and ``alternatives`` (other currencies an
  ambiguous form such as "crowns" or "¥" may mean, per rules/currencies.yaml).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from pydantic import BaseModel

from factcheck.models import Qualifier, QuantityKind
from factcheck.tries import prefix_tree
from factcheck.units import RATE_UNITS, CurrencySurface, UnitSystem
from factcheck.words import MONTH_ABBREVIATIONS, MONTH_NAMES, NUMBER_WORDS, WORDS, Rate


class QuantityMention(BaseModel):
    """One figure as written in a sentence, normalised."""

    text: str  # sentence[start:end], qualifier and rate words included ("over 10%")
    start: int
    end: int
    value: float  # canonical magnitude: "$1.25 billion" -> 1.25e9; "150 bp" -> 1.5 (pp)
    high: float | None = None  # top of a range; value is then the bottom
    unit: str  # pint unit string: "USD", "USD / month", "percent", "percentage_point", ...
    kind: QuantityKind
    qualifier: Qualifier = "exact"
    rate: Rate | None = None
    scale_word: str | None = None  # "billion", "bn", "M" as written
    decimals: int = 0  # digits after the decimal point as written ("8.81%" -> 2)
    # One step of the last written digit, in the canonical unit: "$47.55M" -> 1e4,
    # "150 bps" -> 0.01 (pp), "8.8%" -> 0.1. `decimals` alone cannot say that "150 bps" is
    # precise to 0.01 pp or "$1.25 billion" to $10 million.
    resolution: float = 1.0
    # Other currencies an ambiguous form may mean ("125 crowns": NOK by rules, or SEK...).
    alternatives: tuple[str, ...] = ()


# --- module-level patterns -------------------------------------------------------------

_NUMBER_WORDS: dict[str, int] = NUMBER_WORDS


def _trie(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix tree ("t(?:en|wo)" for "ten|two"): Python's
    re tries the branches of a flat alternation one by one at every position."""
    tree = prefix_tree(words)

    def emit(node: dict) -> str:
        parts = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not parts:
            return ""
        if len(parts) == 1:
            return f"(?:{parts[0]})?" if "" in node else parts[0]
        body = "(?:" + "|".join(parts) + ")"
        return body + "?" if "" in node else body

    return "(?:" + emit(tree) + ")"


_WORDS_ALT = _trie(list(_NUMBER_WORDS))
# "a million", "a billion dollars": the scale words a figure may start with
_A_SCALES = "|".join(w for w in WORDS.scale_words_after_hundred if WORDS.scale_words[w] >= 1e6)
# words that make a number word part of a longer number ("twenty-eight thousand")
_NUMBER_SCALES = "|".join(["hundred", *WORDS.scale_words_after_hundred])
_TENS = frozenset(w for w, n in _NUMBER_WORDS.items() if n >= 20)

# Cheap pre-check: most sentences of an article have no figure at all. _HAS_WORD runs on the
# lower-cased sentence (case-insensitive matching is much slower in re).
_HAS_DIGIT = re.compile(r"\d")
_HAS_WORD = re.compile(
    r"\b(?:" + _WORDS_ALT + r"(?:fold)?|half|quarter|an?\s+(?:" + _A_SCALES + r")"
    r"|dozens|hundreds|thousands|millions|billions)\b"
)

# Sentences with no number word take the cheaper digits-only scan.
# Western grouping ("1,234,567"), Indian grouping ("12,34,567": lakhs and crores), plain.
_GROUPED = r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_DIGITS = re.compile(r"(?P<num>" + _GROUPED + r"|\d+(?:\.\d+)?|(?<![\w.])\.\d+)")
_ATOM = re.compile(
    # "a quarter point", "half a percentage point", "three-quarters of a point"
    r"(?P<frac>\b(?:an?\s+)?(?P<fw>quarter|half|three[\s-]quarters?)(?:\s+of)?(?:\s+an?)?[\s-]+"
    r"(?:(?P<fk>percentage|basis)[\s-]+)?points?\b)"
    r"|(?P<num>" + _GROUPED + r"|\d+(?:\.\d+)?|(?<![\w.])\.\d+)"
    # "thousands of jobs", "tens of millions of dollars": an order of magnitude, no number
    r"|(?P<vague>\b(?:(?P<vt>tens|hundreds)\s+of\s+)?(?P<vw>dozens|hundreds|thousands|millions|billions)\s+of\b)"
    # "sixfold" is a multiple
    r"|(?P<word>\b(?:" + _WORDS_ALT + r")(?P<fold>fold)?\b)"
    # "a million dollar house", "a billion barrels": one of the scale, with a unit
    r"|(?P<ascale>\ban?\s+(?=(?:" + _A_SCALES + r")\b))",
    re.I,
)
# Before a number word: part of a longer number ("twenty-eight thousand six hundred")
_NUMBER_WORD_BEFORE = re.compile(r"(?:" + _NUMBER_SCALES + r")\s+$", re.I)

# Scale words and letters (rules/words.yaml): "2.7 billion", "€21 mn", "3 crore", "$47.55M".
_SCALES: dict[str, float] = {**WORDS.scale_words, **WORDS.scale_letters}
_SCALE_WORD = re.compile(
    r"[\s-]?((?:(?:" + "|".join(w + ("s?" if w in WORDS.scale_words_plural else "") for w in WORDS.scale_words_before)
    + r")[\s-]+)?(?:" + "|".join(
        re.escape(w) + ("s?" if w in WORDS.scale_words_plural else "")
        for w in sorted(WORDS.scale_words_after_hundred, key=len, reverse=True)
    ) + ")"
    + "".join(
        "|" + re.escape(w) + ("s?" if w in WORDS.scale_words_plural else "")
        for w in sorted(set(WORDS.scale_words) - set(WORDS.scale_words_after_hundred), key=len, reverse=True)
    )
    + r")\b",
    re.I,
)
# One-letter scales only glued to the number: "$47.55M", "€21m", "2.7m sales", "$1.2T".
# Business news writes "m" for million far more often than for metres; "T" alone is too
# rare outside money to trust, so upper case "T" is read only after a currency.
_LETTERS = sorted(WORDS.scale_letters)
_SCALE_LETTER = re.compile(
    "([" + "".join(c + c.upper() if c != "t" else "T" for c in _LETTERS) + r"])(?![\w&])"
)
_SCALE_LETTER_BARE = re.compile("([" + "".join(c + c.upper() for c in _LETTERS if c != "t") + r"])(?![\w&])")

# "pc" is British press shorthand ("a 24pc discount"); lower case only, as "PC" is a computer
_PERCENT = re.compile(r"\s?(?:%|(?i:per[\s-]?cent|pct)\b|pc\b)")
# Pence, cents and sen: a hundredth of the currency, which is the canonical unit
# ("rose 18 sen to RM23.50": Malaysian sen).
_SUBUNIT_CODES: dict[str, str] = dict(WORDS.subunits)
_SUBUNIT = re.compile(
    r"(?:(?P<p>p)\b|\s?(?P<w>"
    + "|".join(re.escape(w) for w in sorted(set(_SUBUNIT_CODES) - {"p"}, key=len, reverse=True))
    + r")\b)"
)
_PP = re.compile(
    r"[\s-]?(?:percentage[\s-]?points?|percentage[\s-]pts?|pp|ppts?|pct[\s-]?pts?)\b", re.I
)
_BP = re.compile(r"[\s-]?(?:basis[\s-]points?|bps|bp|bpts?)\b", re.I)
_POINTS = re.compile(r"[\s-]?(?:points?|pts?)\b", re.I)
# "times a day" is a frequency, not a multiple
_MULTIPLE = re.compile(
    r"(?:[x×](?!\w)"
    r"|\s?times\b(?!\s+(?:a|an|per|each|every|during|since|this|last|so|in\s+a|in\s+the)\b)"
    r"|[\s-]fold\b)",
    re.I,
)

# Physical units news compares: written form -> pint unit (rules/words.yaml; tests check
# each parses). Symbols as written ("256GB", "50 mph"), words in any case.
PHYSICAL_UNITS: dict[str, str] = dict(WORDS.physical_units.symbols)
PHYSICAL_WORDS: dict[str, str] = dict(WORDS.physical_units.words)


def _norm(written: str) -> str:
    """Lower case, hyphens and runs of spaces as one space: the key for written words."""
    return " ".join(written.lower().replace("-", " ").split())


_PHYSICAL_WORD_KEYS = {_norm(k): v for k, v in PHYSICAL_WORDS.items()}
# Written with their rate: barrels per day.
_PHYSICAL_RATED: dict[str, tuple[str, Rate]] = {
    form: (rated.unit, rated.rate) for form, rated in WORDS.physical_units.rated.items()
}


def _alternation(forms: list[str], *, spaces: bool = True) -> str:
    forms = sorted(forms, key=len, reverse=True)  # longest first: "GWh" before "GW"
    out = []
    for form in forms:
        pattern = re.escape(form)
        if spaces:
            pattern = re.sub(r"(?:\\ )+", r"[\\s-]+", pattern)
        out.append(pattern)
    return "|".join(out)


_PHYSICAL = re.compile(
    r"(?:\s|-(?=[A-Za-z]{2}))?(?:(?P<sym>" + _alternation([*PHYSICAL_UNITS, *_PHYSICAL_RATED]) + r")"
    r"|(?P<word>(?i:" + _alternation(list(PHYSICAL_WORDS)) + r")))(?![A-Za-z0-9/])"
)

# Units only read glued to the number: "45g" (not "5g", a network), "1.0l" / "2.0L" (an
# engine; a decimal is required, as "3l" is too often something else).
_GLUED_SMALL = re.compile(r"(g|l|L)(?![A-Za-z0-9/])")

# Durations and ages: "in 15 years", "18 months", "55 minutes", "a 15-year-old", "the 30 year
# rate". They are figures (kind "duration"), compared only as a record's span, and a time window
# ("the past two years") is periods.py's: extract.py drops a figure inside one.
_TIME_UNITS: dict[str, str] = {
    "year": "year", "yr": "year", "month": "month", "week": "week", "wk": "week", "day": "day",
    "hour": "hour", "hr": "hour", "minute": "minute", "min": "minute", "second": "second", "sec": "second",
    "quarter": "calendar_quarter",
}  # fmt: skip
_TIME_UNIT = re.compile(
    r"(?:[\s-]|(?<=\d))(?i:(?:consecutive|straight|successive|full|more|previous|past|trading|business|calendar)[\s-]+)?"
    # abbreviations in lower case only: "12 SEC filings" are no seconds
    r"(?:(?P<t>(?i:year|month|week|day|hour|minute|quarter|second)|yr|wk|hr|min|sec)s?\b)"
    r"(?P<old>[\s-]+old\b)?"
)
# After "second" or "quarter": "2 second-half goals", "three quarters of the company", "two
# quarter-point cuts" are no durations.
_NOT_TIME_AFTER = re.compile(
    r"[\s-]+(?:half|halves|round|place|leg|set|period|tier|largest|biggest|highest|lowest|best|worst|straight"
    r"|consecutive|point|points|percentage|basis|of\s+(?:the|its|their|his|her|our|all|a|an|this|that|those|these)\b)",
    re.I,
)

# Time words after a bare number that _TIME_UNIT does not make a duration: "three decades",
# "two sessions", "the 2020 fiscal year", "2 second-half goals". Such a number is no figure.
_DURATION = re.compile(
    r"[\s-]?(?:(?:consecutive|straight|successive|full|more|previous|past|trading|fiscal)\s+)?"
    r"(?:years?|yrs?|months?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?"
    r"|quarters?|decades?|century|centuries|sessions?|nights?"
    r"|(?:trading|business|calendar)[\s-](?:days?|sessions?))\b",
    re.I,
)
_CLOCK = re.compile(
    r"\s?(?:[ap]\.m\.|(?i:am|pm)\b|(?:GMT|UTC|ET|EST|EDT|BST|CET|HKT|KST|JST)\b)"
)
_MONTH = "(?:" + "|".join(sorted(set(MONTH_NAMES + MONTH_ABBREVIATIONS), key=len, reverse=True)) + r")\b"
_MONTH_AFTER = re.compile(r"\s+" + _MONTH)
# "July 1", and the second day of "March 12 and 13", "June 21-28"
_MONTH_BEFORE = re.compile(
    r"(?<![A-Za-z])" + _MONTH + r"\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:,|and|&|to|-|–)\s*)?$"
)
_ADDRESS_AFTER = re.compile(
    r"(?:(?:\s+[A-Z][a-z]+){1,3}|\s+[NSEW]\.?\s+\d+(?:st|nd|rd|th))\s+"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive|Place|Square|Way|Court|Terrace|Parkway)\b"
    r"|\s+(?:Ave|Avenue|Rue|Via|Calle)\s+[A-Z]"  # "22 Ave Foch"
)

# After a number: a decimal/date/time/version continuation, a ticker suffix, an ordinal.
_RIGHT_GLUE = re.compile(r"[.,/:⁄]\d|\.[A-Z]{1,2}\b|(?i:st|nd|rd|th)\b")
_GLUED_LETTER = re.compile(r"-?[A-Za-z]")
# Before a number: "minus-130 degrees", "minus 5 yards" (a sign), "sub-7 nanometer" (under 7).
# "her now-18 month-old daughter", "the then-65-year-old": no sign, no qualifier.
# "plus or minus 3 points" is a margin, not a sign.
_SIGN_WORD = re.compile(r"(?<![A-Za-z])(?<!plus or )(?<!\+/-)(minus[\s-]|negative[\s-]|sub-|now-|then-)$", re.I)
# "settled at $37.63 below zero": a level under nought, written after it
_BELOW_ZERO = re.compile(r"\s+(?:a\s+barrel\s+|per\s+barrel\s+)?(?:below|under)\s+zero\b", re.I)
# Words that put a four-digit number before 1900 in time: "founded in 1894", "since 1886".
_YEAR_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:in|since|from|until|till|by|circa|c\.|around|founded|established|built|"
    r"incorporated|opened|dating\s+(?:back\s+)?to|back\s+to|year"
    # "the panic of 1873", not "an average of 1500"
    r"|(?:summer|spring|autumn|fall|winter|panic|crisis|crash|war|end|beginning|start|middle|class)\s+of)\s+$",
    re.I,
)
# "between 1600 and 1900": an older year next to a modern one
_YEAR_PARTNER_AFTER = re.compile(r"\s*(?:-|–|to|and)\s*(?:19\d\d|20\d\d)(?![\d,.])")
_RANGE_PARTNER = re.compile(r"\s*(?:-|–|to|and)\s*(\d{1,3}(?:,\d{3})+|\d+)(?![\d.])")
# "men aged 18 to 34": ages, not counts
_AGED_BEFORE = re.compile(r"(?<![A-Za-z])(?:aged|ages)\s+$", re.I)
# "1.99×10−30", "6.02 x 10^23": scientific notation (the superscript lost in scraping)
_SCI = re.compile(r"\s?[×x]\s?10(?:(?:\^|\*\*)(?P<e1>[−-]?\d{1,3})|(?P<e2>[−-]\d{1,3}))(?![\d.,])")
# Torque, before "pound" is read as sterling: "275 pound-feet", "300 lb-ft"
_TORQUE = re.compile(r"[\s-]?(?:pound[\s-]f(?:ee|oo)t|lb\.?[\s-]?ft)\b\.?", re.I)

# Qualifier phrases before a figure, and the markers "between" and "from" (rules/words.yaml).
_QUALIFIERS: dict[str, str] = {p: q for q, phrases in WORDS.qualifiers.items() for p in phrases}
# The last word of each phrase: a number not preceded by one of these has no qualifier.
_QUAL_LAST = frozenset(phrase.split()[-1] for phrase in _QUALIFIERS)
_PRE_QUAL = re.compile(
    r"(?<![A-Za-z])(" + _alternation(list(_QUALIFIERS)).replace(r"[\s-]+", r"\s+") + r")\s*$", re.I
)
# Verbs that take "up" as their particle: after them "up to 4.1%" is the level reached
# ("the jobless rate ticked up to 4.1%", "growth was revised up to 1.2%"), not "at most";
# so is "be" ("earnings were up to $4.10": they rose to it).
_UP_PARTICLE_VERB = re.compile(
    r"(?<![A-Za-z])(?:revis(?:e|es|ed|ing)|tick(?:s|ed|ing)?|edg(?:e|es|ed|ing)|inch(?:es|ed|ing)?"
    r"|nudg(?:e|es|ed|ing)|bump(?:s|ed|ing)?|creep(?:s|ing)?|crept|mov(?:e|es|ed|ing)"
    r"|was|were|is|are|been)\s+$",
    re.I,
)
_MARKER_BEFORE = re.compile(r"(?<![A-Za-z])(from|between)\s+$", re.I)
_POST_QUAL_MAP: dict[str, str] = dict(WORDS.qualifiers_after)
_POST_QUAL = re.compile(
    r"(?:(?P<plus>\+)(?!\d)"
    r"|\s+or\s+(?P<or>" + "|".join(sorted(_POST_QUAL_MAP, key=len, reverse=True)) + r")\b"
    r"|\s+(?P<plusword>plus)\b(?!\s*[-+\d$€£¥]))",
    re.I,
)

# Rate words (rules/words.yaml): nouns after "a"/"per"/"/" ("$47.55M a month"), adverbs
# after the figure ("$135 billion annually"), adjectives before it ("a monthly rent of").
_RATE_WORDS: dict[str, Rate] = {
    w: rate for rate, words in WORDS.rates.items() for w in (*words.nouns, *words.adverbs, *words.adjectives)
}


def _words_of(kind: str) -> str:
    words = {w for rate_words in WORDS.rates.values() for w in getattr(rate_words, kind)}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_RATE_POST = re.compile(
    r"(?:\s*/\s*|\s+(?:a|an|per|each|every)\s+|\s+a-)(" + _words_of("nouns") + r")\b"
    # "a year ago", "a year-on-year rise" are about time, not a rate
    r"(?![-‑]|\s+(?:ago|earlier|before|later|after|prior|on\s+year|over\s+year|to\s+date)\b)"
    r"|\s+(" + _words_of("adverbs") + r")\b|\s+per\s+(annum)\b|\s*(p\.a\.)",
    re.I,
)
# A price per physical or counted unit: "$58.24 per barrel", "$1,271.2 an ounce", "63 cents
# per share", "$80 per sq m". The money figure carries the unit ("USD / oil_barrel"), so a
# price never compares with an amount. "per pound" is left out: "$1.30 per pound" is as
# often an exchange rate as a weight.
_PER_UNITS: dict[str, str] = {
    **{_norm(w): u for w, u in WORDS.per_units.words.items()},
    **{_norm(w).replace(" ", ""): u for w, u in WORDS.per_units.symbols.items()},
}


def _symbol(written: str) -> str:
    """A unit symbol as written; a space in it may also be a full stop or nothing ("sq. ft")."""
    return r"\.?\s?".join(re.escape(part) for part in written.split())


_PER_UNIT = re.compile(
    r"(?:\s+(?:US|U\.S\.))?(?:\s*/\s*|\s+(?:a|an|per|each)\s+)"
    # "per diluted share", "a basic share": the share count the figure is divided by
    r"(?:(?i:fully\s+diluted|diluted|basic)\s+(?=(?i:shares?)\b))?"
    r"(?P<u>(?i:"
    + "|".join(f"(?:{form})s?" for form in _alternation(list(WORDS.per_units.words)).split("|"))
    + ")|"
    + "|".join(_symbol(w) for w in sorted(WORDS.per_units.symbols, key=len, reverse=True))
    + r")(?![A-Za-z0-9])"
)
# After a number, characters no unit starts with (the empty string: the end of the text).
_NO_UNIT_NEXT = frozenset(["", ".", ",", ";", ":", "!", "?", ")", "]", "}", '"', "'", "”", "’"])
# "(US $4.46) per share": a rate or unit right after a figure in brackets
_PAREN_GAP = re.compile(r"\s*\(\s*")
_OF_THE_GAP = re.compile(r"\s+of\s+(?:the|its|their|his|her|an?)\s+")

# "a monthly rent of", "annual depreciation around": up to three words between
_RATE_PRE_STEMS = tuple({w for rate_words in WORDS.rates.values() for w in rate_words.adjectives})
_RATE_PRE = re.compile(
    r"(?<![A-Za-z-])(" + _words_of("adjectives") + ")"
    r"(?:\s+[A-Za-z'’-]+){0,3}\s+$",
    re.I,
)

_RANGE_GAP = re.compile(r"\s*[-–—]\s*|\s+(?:to|through|thru)\s+")
_AND_GAP = re.compile(r"\s+and\s+")
_DASH_GAP = re.compile(r"\s*[-–—]\s*")
_TO_GAP = re.compile(r"\s+to\s+")
# "rose 0.4% to 13,176", "increased by $43.6 billion to $419.2 billion": a move and the level
# it reached, not a range, when the first figure carries its own unit.
_MOVE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:rose|rise|rises|rising|risen|fell|fall|falls|falling|fallen|gained|gains?|gaining"
    r"|lost|loses|losing|climbed|climbs?|climbing|dropped|drops?|dropping|slid|slides?|sliding|declined"
    r"|declines?|declining|advanced|advances?|jumped|jumps?|surged|surges?|soared|soars?|plunged|plunges?"
    r"|plummeted|tumbled|tumbles?|sank|sinks?|slumped|slipped|slips?|dipped|dips?|edged(?:\s+(?:up|down|higher|lower))?"
    r"|increased|increases?|decreased|decreases?|grew|grows?|added|adds?|shed|sheds?|by)\s+"
    # "gained 3.1% or $2 to $66.40": the move restated in another unit first
    r"(?:[\d.,]+\s*(?:%|percent|per\s+cent|points?)\s*,?\s*or\s+)?$",
    re.I,
)
# "from X to Y" is a change (two figures) after a word of change ("fell from $2,415 to
# $2,315", "an increase from 5% to 7%"), and a range without one ("homes from $750,000 to
# $1 million", "fines from $250,000 to $1 million", "priced from RM120,000 to RM300,000").
_CHANGE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:ris(?:e|es|ing|en)|rose|f[ae]ll(?:s|ing|en)?|gain(?:s|ed|ing)?|los(?:e|es|ing|t)"
    r"|climb(?:s|ed|ing)?|drop(?:s|ped|ping)?|slid(?:e|es|ing)?|declin(?:e|es|ed|ing)|advanc(?:e|es|ed|ing)"
    r"|jump(?:s|ed|ing)?|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|plung(?:e|es|ed|ing)|plummet(?:s|ed|ing)?"
    r"|tumbl(?:e|es|ed|ing)|sank|sink(?:s|ing)?|slump(?:s|ed|ing)?|slip(?:s|ped|ping)?|dip(?:s|ped|ping)?"
    r"|edg(?:e|es|ed|ing)|increas(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|gr[eo]w(?:s|ing|n|th)?|add(?:s|ed|ing)?"
    r"|shed(?:s|ding)?|rais(?:e|es|ed|ing)|lift(?:s|ed|ing)?|hik(?:e|es|ed|ing)|cut(?:s|ting)?"
    r"|lower(?:s|ed|ing)?|reduc(?:e|es|ed|ing|tion)|revis(?:e|es|ed|ing|ion)|slow(?:s|ed|ing)?"
    r"|accelerat(?:e|es|ed|ing)|go(?:es|ing|ne)?|went|get(?:s|ting)?|got|mov(?:e|es|ed|ing)|shift(?:s|ed|ing)?"
    r"|chang(?:e|es|ed|ing)|boost(?:s|ed|ing)?|widen(?:s|ed|ing)?|narrow(?:s|ed|ing)?|eas(?:e|es|ed|ing)"
    r"|swung|swing(?:s|ing)?|improv(?:e|es|ed|ing)|upgrad(?:e|es|ed|ing)|downgrad(?:e|es|ed|ing)"
    r"|trim(?:s|med|ming)?|expand(?:s|ed|ing)?|shr[aiu]nk(?:s|ing)?|contract(?:s|ed|ing)|doubl(?:e|es|ed|ing)"
    r"|tripl(?:e|es|ed|ing)|halv(?:e|es|ed|ing)|creep(?:s|ing)?|crept|upwards?|downwards?|recover(?:s|ed|ing)?"
    r"|rebound(?:s|ed|ing)?|bounc(?:e|es|ed|ing)|spik(?:e|es|ed|ing)|slash(?:es|ed|ing)?|rall(?:y|ies|ied|ying)"
    r"|swell(?:s|ed|ing)?|balloon(?:s|ed|ing)?|extend(?:s|ed|ing)?|switch(?:es|ed|ing)?|convert(?:s|ed|ing)?)"
    r"(?![A-Za-z])",
    re.I,
)
_PHONE_GAP = re.compile(r"[\s().\-–]+")
_NEXT_WORD = re.compile(r"\s+([A-Za-z][A-Za-z'’]*)")
_NUMBER_AFTER_CONNECTOR = re.compile(
    r"(?:\s+(?:to|and|or)\s+|\s*[-–]\s*)(?:\d|(?i:" + _WORDS_ALT + r")\b)"
)

# Capitalised words that may stand before a count without naming it ("About 35", "The 12").
_NOT_NAMES = frozenset(
    """the a an about some only just nearly almost around roughly approximately over under
    more less fewer at up down with of in on by for from to and but or so all another its
    their his her our my your these those this that there here as if when while after before
    since until last next each every both total estimated exactly including like than
    between among still even it they we i he she which what who where why how also then now
    yet although though because whereas above below beyond within without per via vs
    versus plus minus another additionally overall nearly""".split()
)
# Words after a number word that show it is not counting things ("two of the", "one to").
_FUNCTION_WORDS = frozenset(
    """of to the a an and or but in on at by for with from into is are was were be been will
    would could can may might should must said says say who which that than as more less
    times out up down over under after before if when while so such other others each also
    have has had do does did it its their they them we you he she his her these those this
    there here not no all both per apiece during since until among across against behind
    through throughout without within despite toward towards via because where what how why
    then again ago later earlier""".split()
)
# Before "one", a pronoun rather than a count: "the one that", "each one", "the same one".
_ONE_PRONOUN_BEFORE = frozenset(
    """the this that each every any no which same only last first next another such a an
    what other little big no-one""".split()
)
_ONE_PRONOUN_AFTER = frozenset("another way thing things time side day".split())
# "One fourth of", "two thirds": a fraction, not a count
_FRACTION_AFTER: frozenset[str] = frozenset(
    """half halves third thirds fourth fourths quarter quarters fifth fifths sixth sixths seventh
    sevenths eighth eighths ninth ninths tenth tenths hundredth hundredths thousandth thousandths""".split()
)
# "two of the", "one of Airbnb's": a count of a group named next (not "one of four")
_OF_GROUP = re.compile(
    r"\s+of\s+(?:the|its|his|her|their|our|my|your|these|those|[A-Z][\w&.-]*['’]s?)\s+"
    r"(?![\d$€£¥]|(?:" + _WORDS_ALT + r"|dozen|" + _NUMBER_SCALES + r")\b)"
)
# "seven European countries", "five NBA teams", "four FA Cup finals": capitalised words
# before a plural noun
_CAPS_NOUN = re.compile(r"(?:\s+[A-Z][\w&.'’-]*){1,3}\s+[a-z]{3,}s\b")
# "eight other employees", "eight more picks"
_OTHER_NOUN = re.compile(r"\s+(?:other|more)\s+([a-z][a-z'’]*)")
# Words before a number that make it a label, not a count: "category 4 hurricane", "a tier 1
# capital ratio", "type 2 diabetes", lower-case index names in scraped text ("the sp 500").
_LABEL_BEFORE = frozenset(
    """category level phase stage tier type grade class version model number no no. article
    chapter section rule route gate platform channel episode season game round week form
    sp s&p ftse nikkei russell stoxx topix kospi asx nifty sensex cac dax ibex tsx""".split()
)
# A model name after a number: "iPhone 11 Pro", "two new 737 Max jets", "the 787 Dreamliner".
_MODEL_AFTER = re.compile(r"\s+(?:Pro|Max|MAX|Plus|Mini|Ultra|Lite|Dreamliner)(?![\w-])")
_ZIP_AFTER = re.compile(r"\s+(?i:zip|postcode|postal\s+code)\b")


# --- per-UnitSystem lexicon ------------------------------------------------------------


@dataclass(slots=True)
class _Lexicon:
    prefix: re.Pattern[str]  # a currency symbol or code right before a number
    prefix_ends: frozenset[str]  # the last characters of those symbols
    suffix: re.Pattern[str]  # a currency name, symbol or code right after a number/scale
    names: dict[str, CurrencySurface]
    symbols: dict[str, CurrencySurface]

    def lookup(self, written: str) -> CurrencySurface | None:
        written = written.strip()
        found = self.symbols.get(written)  # prefix-only forms ("PS", "Y=") are here too
        if found is None:
            found = self.names.get(_norm(written))
        return found


def _lexicon(units: UnitSystem) -> _Lexicon:
    lex = units.derived.get("quantities")
    if lex is None:
        names = {_norm(s): v for s, v in units.currency_surfaces.items() if v.form == "name"}
        symbols = {s: v for s, v in units.currency_surfaces.items() if v.form == "symbol"}
        prefixes = {s: v for s, v in units.currency_surfaces.items() if v.form == "prefix"}
        # scraped text splits "AU$89.99" into "AU $89.99": accept the space after a two- or
        # three-letter country prefix (never after one letter: "A $5 fee" is English; the
        # rules list "C $" and "S $" themselves)
        for sym, v in list(symbols.items()):
            if re.fullmatch(r"[A-Z]{2,3}\$", sym):
                symbols.setdefault(sym[:-1] + " $", v)
        sym_alt = _alternation(list(symbols), spaces=False)
        # "$", "US$", "HK$" lead a number in English; after one they mostly lead the next
        # figure ("5 $10 bills"), so they are not read as a suffix
        suffix_alt = _alternation([s for s in symbols if not s.endswith("$")], spaces=False)
        name_alt = _alternation(list(names))
        # group 1: a symbol, a space allowed after it; group 2: a prefix-only form, glued
        glued = r"|(" + (_alternation(list(prefixes), spaces=False) if prefixes else r"(?!)") + r")"
        lex = _Lexicon(
            prefix=re.compile(r"(?<![A-Za-z0-9])(?:(" + sym_alt + r")\s?" + glued + r")$"),
            prefix_ends=frozenset(sym[-1] for sym in [*symbols, *prefixes]),
            suffix=re.compile(
                r"\s?(?:(?i:" + name_alt + r")(?![A-Za-z])|(?:" + suffix_alt + r")(?![A-Za-z0-9]))"
            ),
            names=names,
            symbols={**symbols, **prefixes},
        )
        units.derived["quantities"] = lex
    return lex


# --- scanning --------------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    start: int  # where the mention text starts: qualifier, sign or currency symbol
    core: int  # sign or currency symbol or the number itself
    end: int
    number: float  # as written, signed
    decimals: int = 0
    mult: float = 1.0
    scale_word: str | None = None
    factor: float = 1.0  # unit factor to the canonical unit (basis points -> 0.01 pp)
    unit: str | None = None  # None: a bare number, a count until a neighbour says more
    kind: QuantityKind = "count"
    rate: Rate | None = None
    per: str | None = None  # pint unit of a price's denominator: "oil_barrel", "share"
    qualifier: str = "exact"
    marker: str | None = None  # "between" / "from" right before it
    marker_start: int = 0
    alternatives: tuple[str, ...] = ()
    bare: bool = False  # digits only: no currency, scale or unit
    dash_glued: bool = False  # "12" in "10-12": only meaningful as the end of a range
    dash_follows: bool = False  # "10" in "10-12": only meaningful as the start of one
    provisional: bool = False  # a number word kept only if it ends up in a range
    vague: bool = False  # "thousands of": from the value to ten times it, approximately

    @property
    def value(self) -> float:
        return self.number * self.mult * self.factor

    @property
    def resolution(self) -> float:
        step = 10.0**-self.decimals
        if self.decimals == 0 and self.mult == 1 and abs(self.number) >= ROUND_THOUSANDS_FROM and self.number % 1000 == 0:
            # "405,000 vehicles" beside "405,278": a large whole number ending in three
            # zeros is as often given to the thousand as counted exactly
            step = 1000.0
        return step * self.mult * self.factor

    def unit_string(self) -> str:
        unit = self.unit or "count"
        if self.per:
            unit = f"{unit} / {self.per}"
        return f"{unit} / {RATE_UNITS[self.rate]}" if self.rate else unit


# From here on, a whole number ending in 000 may be rounded to the thousand.
ROUND_THOUSANDS_FROM = 10_000


def may_hold_figures(texts: list[str]) -> set[int]:
    """The texts for which find_quantities' pre-check passes, and perhaps a few more: both
    patterns run once over all of them, not once a text (250,000 short sentences in an
    article). Joined by a line break, a non-word character as a text's edge is; a match
    across it marks every text it touches. Lower-casing that changes the length (a few
    letters lower-case to two characters) would shift the offsets: then each is checked."""
    joined = "\n".join(texts)
    lowered = joined.lower()
    if len(lowered) != len(joined):
        return {i for i, text in enumerate(texts) if _HAS_WORD.search(text.lower()) or _HAS_DIGIT.search(text)}
    ends, at = [], -1
    for text in texts:
        at += len(text) + 1
        ends.append(at)  # where its separator stands
    marked: set[int] = set()
    for pattern, within in ((_HAS_DIGIT, joined), (_HAS_WORD, lowered)):
        for m in pattern.finditer(within):
            i = bisect_right(ends, m.start())
            marked.add(i)
            while i + 1 < len(texts) and ends[i] < m.end():
                i += 1
                marked.add(i)
    return marked


def find_quantities(text: str, units: UnitSystem) -> list[QuantityMention]:
    """The figures written in ``text``, in order; see the module docstring for the rules."""
    if not text:
        return []
    if _HAS_WORD.search(text.lower()):
        scanner = _ATOM
    elif _HAS_DIGIT.search(text):
        scanner = _DIGITS
    else:
        return []
    lex = _lexicon(units)
    atoms: list[_Atom] = []
    for m in scanner.finditer(text):
        if atoms and m.start() < atoms[-1].end:
            continue  # inside the figure just read: "1.99×10−30", "$80 per m2"
        if m.lastgroup == "num":
            atom = _read_number(text, m, lex)
        elif m.lastgroup == "word":
            atom = _read_word(text, m, lex)
        elif m.lastgroup == "ascale":
            atom = _read_a_scale(text, m, lex)
        elif m.lastgroup == "vague":
            atom = _read_vague(text, m, lex)
        else:
            atom = _read_fraction(text, m)
        if atom is not None:
            atoms.append(atom)
    for a, b in zip(atoms, atoms[1:]):
        # "6 billion shekels ($1.624 billion) a year", "C $8 (US $5.91) per share": what
        # follows the bracket is said of both figures
        if (
            (b.rate or b.per)
            and a.kind == b.kind == "money"
            and a.rate is None
            and a.per is None
            and _PAREN_GAP.fullmatch(text, a.end, b.start)
        ):
            a.rate, a.per = b.rate, b.per
        elif a.unit is None and a.scale_word is not None and b.kind == "money" and _OF_THE_GAP.fullmatch(text, a.end, b.start):
            # "secured 350 million of the 2.2 billion shekels": the part is in the whole's currency
            a.unit, a.kind, a.factor, a.alternatives = b.unit, b.kind, b.factor, b.alternatives
    _per_share_restatements(text, atoms)
    return _below_zero(text, _with_margins(text, [_mention(text, a, b) for a, b in _combine(text, atoms)]))


# "$312 million, or 88 cents a share, from $401 million, or $1.12": the second restatement
# leaves "a share" to the first
_RESTATED_GAP = re.compile(r"\s*,\s*or\s+|\s*\(\s*")


def _per_share_restatements(text: str, atoms: list[_Atom]) -> None:
    """A sum restated after "or" (or in brackets) by a money figure a millionth its size or
    less, with no scale word, is the sum per share, where the sentence restates another sum
    per share: no sum of money is also a millionth of itself."""
    per_share = {a.per for a in atoms if a.kind == "money" and a.per is not None and a.per.endswith("share")}
    if len(per_share) != 1:
        return
    (per,) = per_share
    for a, b in zip(atoms, atoms[1:]):
        if (
            a.kind == b.kind == "money" and a.unit == b.unit and a.per is None and b.per is None and a.rate is None
            and b.rate is None and b.scale_word is None and a.scale_word is not None and 0 < abs(b.value) <= abs(a.value) * 1e-6
            and _RESTATED_GAP.fullmatch(text, a.end, b.start)
        ):
            b.per = per


def _below_zero(text: str, mentions: list[QuantityMention]) -> list[QuantityMention]:
    return [
        m.model_copy(update={"value": -abs(m.value)}) if m.value > 0 and m.high is None and _BELOW_ZERO.match(text, m.end) else m
        for m in mentions
    ]


# "$4.2 billion, plus or minus $150 million": the second figure is the first's margin
_MARGIN_GAP = re.compile(r",?\s*(?:plus\s+or\s+minus|give\s+or\s+take|\+/-|\+/−|±)\s*")


def _with_margins(text: str, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """A figure written with its margin is the range it spans; the margin is no figure of
    its own (a guidance of $4.2 billion give or take $150 million is $4.05-4.35 billion)."""
    out: list[QuantityMention] = []
    for m in mentions:
        last = out[-1] if out else None
        if (
            last is not None and last.high is None and m.high is None and last.unit == m.unit and last.kind == m.kind
            and last.rate == m.rate and 0 < abs(m.value) < abs(last.value) and _MARGIN_GAP.fullmatch(text, last.end, m.start)
        ):
            out[-1] = last.model_copy(update={
                "text": text[last.start : m.end], "end": m.end, "value": last.value - abs(m.value),
                "high": last.value + abs(m.value), "qualifier": "range",
                "resolution": min(last.resolution, m.resolution), "decimals": max(last.decimals, m.decimals),
            })
            continue
        out.append(m)
    return out


def _read_number(text: str, m: re.Match[str], lex: _Lexicon) -> _Atom | None:
    s, e = m.span()
    digits = m.group()
    core = s
    currency: CurrencySurface | None = None
    # every currency symbol ends in one of a few characters: test that before searching
    near = text[s - 1 : s] if s else ""
    if near == " " and s > 1:
        near = text[s - 2]
    sign = 1.0
    if near in "-−" and s > 1 and text[s - 2] in lex.prefix_ends:
        # "$-50.8bn": the sign written after the currency
        pm = lex.prefix.search(text, max(0, s - 9), s - 1)
        if pm is not None:
            sign = -1.0
    else:
        pm = lex.prefix.search(text, max(0, s - 8), s) if near and near in lex.prefix_ends else None
    if pm is not None and not (
        # a prefix-only form glued to a lone digit is a name: "PS5" (the console), not £5
        pm.group(2) and len(digits) == 1 and not _SCALE_LETTER.match(text, e) and not _SCALE_WORD.match(text, e)
    ):
        currency = lex.lookup(pm.group(1) or pm.group(2))
        core = pm.start()

    dash_glued = False
    qualifier = "exact"
    i = core - 1
    if i >= 0:
        c = text[i]
        before = text[i - 1] if i > 0 else " "
        if (
            i >= 3
            and (c == " " or c == "-")
            and text[i - 1] in "sSbBwWnNeE"  # the last letters of minus, negative, sub, now, then
            and (mm := _SIGN_WORD.search(text, max(0, i - 8), i + 1)) is not None
        ):
            # "minus-130 degrees", "negative $37.63": a sign; "sub-7 nanometer": under 7
            first = mm.group(1)[0].lower()
            if first in "mn" and mm.group(1)[:3].lower() != "now":
                sign = -1.0
            elif first == "s":
                qualifier = "under"
            core = mm.start()
        elif c in "-−+–—":
            if before.isdigit() or (before in "%" and c in "-–—"):
                dash_glued = c != "+"
            elif before.isalpha() or before == "_":
                return None  # "GPT-4", "mid-2026", "COVID-19"
            elif c in "-−+":
                # "+/-3 points" is a margin, not a fall
                sign = 1.0 if c == "+" or text[i - 2 : i] == "+/" else -1.0
                core = i
            elif before in " (\t" and not (i >= 2 and text[i - 2].isdigit()):
                # "touching –$40.32": a typeset minus glued to the figure, after a word
                # (a spaced range "$5 –$10" has a figure before the dash)
                sign = -1.0
                core = i
        elif c.isalnum() or c in "_#@&":
            return None  # "H100", "FY2026", "#1"
        elif c in ".,/:⁄" and before.isdigit():
            return None  # "1.2.3", "7/1", "10:30", "1⁄32"

    nxt = text[e : e + 1]
    if (
        (nxt in ("/", "⁄") or (nxt == " " and text[e + 1 : e + 2].isdigit()))
        and currency is None
        and (fm := _SLASH_FRACTION.match(text, s)) is not None
    ):
        return _read_slash_fraction(text, fm, core)  # "1/16 of a pint", "1 1/2 miles"
    if _RIGHT_GLUE.match(text, e):
        return None

    value = float(digits.replace(",", ""))
    decimals = len(digits) - digits.index(".") - 1 if "." in digits else 0
    atom = _Atom(
        start=core, core=core, end=e, number=sign * value, decimals=decimals, dash_glued=dash_glued,
        qualifier=qualifier,
    )

    p = e
    nxt = text[p : p + 1]
    if (nxt in ("×", "x") or (nxt == " " and text[p + 1 : p + 2] in ("×", "x"))) and (xm := _SCI.match(text, p)):
        atom.mult = 10.0 ** int((xm.group("e1") or xm.group("e2")).replace("−", "-"))
        p = e = xm.end()
    sm = _SCALE_WORD.match(text, p)
    if sm is None:
        sm = (_SCALE_LETTER if currency is not None else _SCALE_LETTER_BARE).match(text, p)
    if sm is not None:
        atom.scale_word = sm.group(1)
        atom.mult = _scale_of(atom.scale_word)
        p = sm.end()
    # "5-10W": when the far end is not a figure, neither is this one
    atom.dash_follows = text[p : p + 1] in ("-", "–") and text[p + 1 : p + 2].isdigit()

    p2 = _read_unit(text, p, atom, lex, currency)
    if (
        (p2 is None or atom.unit == "index_point")
        and sm is None
        and currency is None
        and decimals == 0
        and value <= 31
        and _MONTH_BEFORE.search(text, max(0, atom.core - 20), atom.core)
    ):
        return None  # "July 1 points out": a date, whatever follows
    if atom.kind == "duration" and sm is None:
        if len(digits) == 4 and 1900 <= value <= 2100 and text[p2 - 1 : p2] in "rR":
            return None  # "the 2020 fiscal year", "its 2026 year": a year, not 2,026 of them
        if _name_before(text, atom.core):
            return None  # "Windows 10 years ago"
    if (
        p2 is None
        and sm is None
        and currency is None
        and text[atom.core - 2 : atom.core - 1] in ("d", "s", "D", "S")  # "aged ", "ages "
        and _AGED_BEFORE.search(text, max(0, atom.core - 8), atom.core)
    ):
        atom.unit, atom.kind = "year", "duration"  # "men aged 18 to 34"
        return _finish(text, atom, p)
    if p2 is None:
        if atom.scale_word is None and currency is None:
            if not _bare_number_ok(text, atom, p, digits, value):
                return None
            atom.bare = True
        atom.unit = None
        atom.kind = "count"
    else:
        p = p2
    return _finish(text, atom, p)


# A slash fraction of a measure: "1/16 of a pint", "3⁄4 cup of sugar", "1 1/2 miles". Read
# only before one of these units, as "9/11", "3/4 of the board", "$7/$9" and "24/7" are
# dates, shares, price pairs and slogans. A number list of its own: the physical vocabulary
# above has no kitchen measures, and its "ounce" is gold's troy ounce.
_FRACTION_UNITS: dict[str, str] = {
    "cup": "cup", "pint": "pint", "quart": "quart", "gallon": "gallon", "fluid ounce": "fluid_ounce",
    "teaspoon": "teaspoon", "tablespoon": "tablespoon", "ounce": "ounce", "pound": "pound",
    "inch": "inch", "foot": "foot", "feet": "foot", "yard": "yard", "mile": "mile", "acre": "acre",
    "liter": "liter", "litre": "liter", "gram": "gram", "kilogram": "kilogram", "ton": "ton",
    "tonne": "tonne",
}  # fmt: skip
_SLASH_FRACTION = re.compile(
    r"(?:(?P<whole>\d{1,3})\s)?(?P<num>\d{1,3})\s?[/⁄]\s?(?P<den>\d{1,4})(?![\d/⁄]|[.,:]\d)"
    r"(?:\s+of)?(?:\s+an?)?(?:\s+(?:US|U\.S\.|UK|imperial|metric))?\s+"
    r"(?P<u>(?i:fluid\s+ounces?|cups?|pints?|quarts?|gallons?|teaspoons?|tablespoons?|ounces?|pounds?"
    r"|inch(?:es)?|foot|feet|yards?|miles?|acres?|lit(?:er|re)s?|grams?|kilograms?|tons?|tonnes?))(?![A-Za-z])"
)


def _read_slash_fraction(text: str, fm: re.Match[str], core: int) -> _Atom | None:
    """ "1/16 of a pint" -> 0.0625 pint, "1 1/2 miles" -> 1.5 mile: a proper fraction only."""
    num, den = int(fm.group("num")), int(fm.group("den"))
    if not 0 < num < den:
        return None  # "7/4", "3/0": no measure is written so
    unit = _norm(fm.group("u"))
    unit = _FRACTION_UNITS.get(unit) or _FRACTION_UNITS.get(unit[:-2] if unit.endswith("hes") else unit[:-1])
    if unit is None:
        return None
    whole = int(fm.group("whole") or 0)
    # precise to about a step as fine as the denominator: "1/2" to 0.1, "1/16" to 0.01
    atom = _Atom(start=core, core=core, end=fm.end(), number=whole + num / den, decimals=len(fm.group("den")))
    atom.unit, atom.kind = unit, "physical"
    return _finish(text, atom, fm.end())


def _scale_of(written: str) -> float:
    """ "billion" -> 1e9, "hundred million" -> 1e8, "crores" -> 1e7."""
    mult = 1.0
    for part in written.lower().replace("-", " ").split():
        mult *= _SCALES.get(part) or _SCALES[part.rstrip("s")]
    return mult


def _read_unit(
    text: str, p: int, atom: _Atom, lex: _Lexicon, currency: CurrencySurface | None
) -> int | None:
    """Set the atom's unit from what follows position ``p``; the end of it, or None."""
    if currency is None and text[p : p + 1] in _NO_UNIT_NEXT:
        return None  # "rose to 13,176.", "(4)", end of the sentence: nothing to read
    if currency is None:
        if (mm := _PERCENT.match(text, p)) is not None:
            atom.unit, atom.kind = "percent", "percent"
            return mm.end()
        if (mm := _PP.match(text, p)) is not None:
            atom.unit, atom.kind = "percentage_point", "percentage_points"
            return mm.end()
        if (mm := _BP.match(text, p)) is not None:
            atom.unit, atom.kind, atom.factor = "percentage_point", "percentage_points", 0.01
            return mm.end()
        if (mm := _POINTS.match(text, p)) is not None:
            atom.unit, atom.kind = "index_point", "physical"
            return mm.end()
        if (mm := _MULTIPLE.match(text, p)) is not None:
            atom.unit, atom.kind = "multiple", "multiple"
            return mm.end()
    if currency is None and text[p : p + 1] in (" ", "-", "l") and (mm := _TORQUE.match(text, p)) is not None:
        atom.unit, atom.kind = "foot * force_pound", "physical"
        return mm.end()
    if (mm := lex.suffix.match(text, p)) is not None:
        # a name after the number beats an ambiguous symbol before it: "¥500 billion yuan"
        found = lex.lookup(mm.group())
        if found is not None:
            currency = found
            p = mm.end()
    if currency is not None:
        atom.unit, atom.kind, atom.alternatives = currency.code, "money", currency.alternatives
        return p
    if atom.scale_word is None and (mm := _SUBUNIT.match(text, p)) is not None:
        atom.unit = _SUBUNIT_CODES[mm.group("w") or "p"]
        atom.kind, atom.factor = "money", 0.01
        return mm.end()
    if (mm := _PHYSICAL.match(text, p)) is not None:
        if mm.group("sym") is not None:
            sym = mm.group("sym")
            if sym in _PHYSICAL_RATED:
                atom.unit, atom.rate = _PHYSICAL_RATED[sym]
            else:
                atom.unit = PHYSICAL_UNITS[sym]
        else:
            atom.unit = _PHYSICAL_WORD_KEYS[_norm(mm.group("word"))]
        atom.kind = "physical"
        return mm.end()
    if text[p : p + 1] in ("g", "l", "L") and (mm := _GLUED_SMALL.match(text, p)) is not None:
        if mm.group(1) == "g" and not (atom.decimals == 0 and 2 <= atom.number <= 6 and atom.scale_word is None):
            atom.unit, atom.kind = "gram", "physical"  # "45g"; "5g" is a network
            return mm.end()
        if mm.group(1) in "lL" and atom.decimals > 0:
            atom.unit, atom.kind = "liter", "physical"  # "a 1.0l engine"
            return mm.end()
    if (mm := _TIME_UNIT.match(text, p)) is not None:
        t = mm.group("t").lower()
        if t in ("second", "quarter") and _NOT_TIME_AFTER.match(text, mm.end()):
            return None
        atom.unit, atom.kind = _TIME_UNITS[t], "duration"
        return mm.end()
    return None


def _last_token(text: str, pos: int) -> tuple[int, str]:
    """The whitespace-separated token that ends before ``pos`` (spaces skipped)."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    k, floor = j, max(0, j - 40)  # bounded: a run with no spaces must not cost O(n) per number
    while k > floor and not text[k - 1].isspace():
        k -= 1
    return k, text[k:j]


def _bare_number_ok(text: str, atom: _Atom, p: int, digits: str, value: float) -> bool:
    """Whether digits with no currency, scale or unit are a count and not a year, a date,
    a duration, a clock time or part of a name."""
    if _GLUED_LETTER.match(text, p) or _DURATION.match(text, p) or _CLOCK.match(text, p):
        return False  # "5G", "10-K", "12 years", "10 a.m."
    if _MONTH_AFTER.match(text, p) or _ADDRESS_AFTER.match(text, p):
        return False  # "1 July", "70 Broad Street"
    if _MODEL_AFTER.match(text, p) or _ZIP_AFTER.match(text, p):
        return False  # "737 Max", "iPhone 11 Pro", "the 90049 ZIP Code"
    if len(digits) == 4 and 1900 <= value <= 2100 and (
        not _count_range_start(text, p, value) or _YEAR_BEFORE.search(text, max(0, atom.core - 24), atom.core)
    ):
        return False  # a year ("founded in 2008 and 25,000 people work there")
    if (
        len(digits) == 4
        and (1500 <= value < 1900 or 2100 < value < 2300)
        and (
            _YEAR_BEFORE.search(text, max(0, atom.core - 24), atom.core)
            or (value < 1900 and _YEAR_PARTNER_AFTER.match(text, p))
        )
    ):
        return False  # "founded in 1894", "since 1886", "by 2120", "between 1600 and 1900"
    if len(digits) <= 2 and text[atom.core - 1 : atom.core] == "(" and text[p : p + 1] == ")":
        return False  # "Dak Prescott (4)": a shirt number or a list marker
    return not _name_before(text, atom.core)


def _count_range_start(text: str, p: int, value: float) -> bool:
    """Whether a year-like number starts a range whose other end is no year: "between 2000
    and 3000 jobs", "2000 - 2500 Calories" (but "2024-2028", "2019-20", "2000 and 2001")."""
    pm = _RANGE_PARTNER.match(text, p)
    if pm is None:
        return False
    partner = pm.group(1)
    other = float(partner.replace(",", ""))
    return other > value and not (len(partner) == 4 and other <= 2100)


def _name_before(text: str, core: int) -> bool:
    """Whether the token before ``core`` makes the number part of a name or a label: "Llama
    3", "S&P 500", "Section 427", "category 4 hurricane", "the sp 500"."""
    token = _last_token(text, core)[1]
    if not token:
        return False
    if (
        any(ch.isupper() for ch in token)  # "Llama", "S&P", "iPhone"
        and token[-1] not in ",;:)]"
        and not token.endswith(("'s", "’s"))
        and token.strip(".").lower() not in _NOT_NAMES
    ):
        return True
    return token.lower() in _LABEL_BEFORE


def _read_word(text: str, m: re.Match[str], lex: _Lexicon) -> _Atom | None:
    s, e = m.span()
    if s > 0 and text[s - 1] == "-":
        return None  # "twenty-two" and the like: not handled, so not guessed
    if m.group("fold"):
        e -= 4
    word = text[s:e].lower()
    if (word in _TENS and text[e : e + 1] == "-") or _NUMBER_WORD_BEFORE.search(text, max(0, s - 10), s):
        return None  # "twenty-eight", "thousand six hundred": parts of a longer number
    if m.group()[0].isupper():
        before = text[max(0, s - 40) : s].rstrip()
        if before and before[-1] not in ".!?\"“”'‘’:;(—–-":
            return None  # "the Kick Six", "Big Four": part of a name mid-sentence
    atom = _Atom(start=s, core=s, end=e, number=float(_NUMBER_WORDS[word]))
    if m.group("fold"):
        atom.unit, atom.kind = "multiple", "multiple"  # "grew more than sixfold"
        return _finish(text, atom, m.end())
    p = e
    if (sm := _SCALE_WORD.match(text, p)) is not None and not sm.group().startswith("-"):
        atom.scale_word = sm.group(1)
        atom.mult = _scale_of(atom.scale_word)
        p = sm.end()
    p2 = _read_unit(text, p, atom, lex, None)
    if p2 is not None and atom.unit == "index_point":
        return None  # "at one point", "two points of view": not index moves
    if p2 is not None and atom.kind == "duration" and text[e : e + 1] == "-" and text[p2 - 3 : p2].lower() != "old":
        # "a five-year plan", "its worst two-day drop": a compound adjective that describes
        # the thing, like "a six-speed gearbox"; a time window in it is periods.py's. Ages
        # ("a five-year-old") and digits ("a 10-year plan") stay durations.
        return None
    if p2 is not None and word == "one" and atom.unit == "day":
        return None  # "one day" is mostly "some day"
    if p2 is not None:
        return _finish(text, atom, p2)
    atom.unit, atom.kind = None, "count"
    if atom.scale_word is not None:
        return _finish(text, atom, p)
    if _NUMBER_AFTER_CONNECTOR.match(text, p):
        atom.provisional = True  # "two to three times": decided by what follows
        atom.bare = True
        return _finish(text, atom, p)
    if _GLUED_LETTER.match(text, p) or _DURATION.match(text, p):
        return None  # "one-off", "a four-cylinder engine": compound adjectives are no figures
    if not _word_counts(text, s, p, word):
        return None
    atom.bare = True
    return _finish(text, atom, p)


def _word_counts(text: str, s: int, p: int, word: str) -> bool:
    """Whether a number word with no unit counts something: "five companies", "two of
    Johnson's deputies", "seven European countries", "eight other employees", "one of the
    best speakers", "one solution"; not "the bottom three during", "category one", "each one"."""
    k, before = _last_token(text, s)
    before = before.lower()
    if before in _LABEL_BEFORE:
        return False
    if word == "one" and before in _ONE_PRONOUN_BEFORE:
        return False
    if _OF_GROUP.match(text, p):
        return True
    if (
        word == "one"
        and before[-1:].isalpha()
        and _last_token(text, k)[1].lower() in ("a", "an", "the", "this", "that", "its", "their")
    ):
        return False  # "a canny one", "the new one": an adjective between an article and "one"
    nw = _NEXT_WORD.match(text, p)
    if nw is None:
        return False
    following = nw.group(1)
    if following in ("other", "more"):
        if word == "one" and following == "more":
            return False  # "one more time"
        om = _OTHER_NOUN.match(text, p)
        return om is not None and om.group(1) not in _FUNCTION_WORDS
    if following[0].isupper():
        return word != "one" and _CAPS_NOUN.match(text, p) is not None
    if not following.islower() or following in _FUNCTION_WORDS or following in _FRACTION_AFTER:
        return False
    return word != "one" or following not in _ONE_PRONOUN_AFTER


def _per_unit(written: str) -> str:
    key = _norm(written).replace(".", "")
    # as written, a symbol written without its space ("sqft"), a plural ("barrels")
    for form in (key, key.replace(" ", ""), key[:-1]):
        if form in _PER_UNITS:
            return _PER_UNITS[form]
    raise KeyError(written)


def _read_a_scale(text: str, m: re.Match[str], lex: _Lexicon) -> _Atom | None:
    """ "a million dollar house", "a billion barrels": only with a currency or a unit after
    it ("a million reasons" is no figure)."""
    sm = _SCALE_WORD.match(text, m.end())
    if sm is None or _last_token(text, m.start())[1].lower() in ("of", "half", "quarter"):
        return None  # "a quarter of a million", "half a million": a fraction of it
    atom = _Atom(start=m.start(), core=m.start(), end=sm.end(), number=1.0, scale_word=sm.group(1))
    atom.mult = _scale_of(atom.scale_word)
    p2 = _read_unit(text, sm.end(), atom, lex, None)
    if p2 is None or atom.kind not in ("money", "physical"):
        return None
    return _finish(text, atom, p2)


# "dozens of people", "hundreds of miles", "tens of thousands of dollars": the range from
# the written order of magnitude to ten times it (12 to 120, 100 to 1,000, 10,000 to
# 100,000), qualified "approx" so that the compare stage never calls it an error.
_VAGUE_LOW = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "tens": 10.0}


def _read_vague(text: str, m: re.Match[str], lex: _Lexicon) -> _Atom | None:
    vw = m.group("vw").lower()
    vt = (m.group("vt") or "").lower()
    if vt and _VAGUE_LOW[vw] < 1e3:
        return None  # "tens of dozens", "hundreds of hundreds": not an order of magnitude
    if _NEXT_WORD.match(text, m.end()) is None:
        return None  # "thousands of 2024's" and the like: no noun counted
    atom = _Atom(start=m.start(), core=m.start(), end=m.end(), number=_VAGUE_LOW[vt] if vt else 1.0)
    atom.mult, atom.vague = _VAGUE_LOW[vw], True
    p = _read_unit(text, m.end(), atom, lex, None)
    if p is None or atom.kind not in ("money", "physical", "duration"):
        atom.unit, atom.kind, atom.factor = None, "count", 1.0
        p = m.start() + len(m.group()[:-2].rstrip())  # "thousands of people": the count, not the "of"
    atom = _finish(text, atom, p)
    atom.qualifier = "approx"  # "some thousands of", "up to thousands of": still vague
    return atom


_FRACTION_VALUES = {"quarter": (0.25, 2), "half": (0.5, 1)}


def _read_fraction(text: str, m: re.Match[str]) -> _Atom:
    fw = m.group("fw").lower()
    number, decimals = _FRACTION_VALUES.get(fw, (0.75, 2))
    atom = _Atom(start=m.start(), core=m.start(), end=m.end(), number=number, decimals=decimals)
    atom.unit, atom.kind = "percentage_point", "percentage_points"
    if (m.group("fk") or "").lower() == "basis":
        atom.factor = 0.01
    return _finish(text, atom, m.end())


def _finish(text: str, atom: _Atom, p: int) -> _Atom:
    """Read rate and qualifier words around the figure ending at ``p``."""
    if atom.kind == "money" and atom.per is None:
        nxt = text[p : p + 1]
        if nxt in (" ", "/") and (pm := _PER_UNIT.match(text, p)) is not None:
            atom.per = _per_unit(pm.group("u"))
            p = pm.end()
        elif nxt == ")" and text[max(0, atom.start - 2) : atom.start].strip() == "(":
            # "(US $4.46) per share": said of the bracketed figure, outside its text
            if (pm := _PER_UNIT.match(text, p + 1)) is not None:
                atom.per = _per_unit(pm.group("u"))
            if (rm := _RATE_POST.match(text, p + 1)) is not None:
                word = next(g for g in rm.groups() if g).lower()
                atom.rate = "year" if word == "p.a." else _RATE_WORDS[word]
    if atom.kind in ("money", "physical", "count", "duration") and atom.rate is None and not atom.bare:
        rm = _RATE_POST.match(text, p)
        if rm is not None:
            word = next(g for g in rm.groups() if g).lower()
            atom.rate = "year" if word == "p.a." else _RATE_WORDS[word]
            p = rm.end()
    qm = _POST_QUAL.match(text, p)
    post_qualifier = None
    if qm is not None:
        if qm.group("or"):
            post_qualifier = _POST_QUAL_MAP[qm.group("or").lower()]
        else:
            post_qualifier = "at_least"
        p = qm.end()
    atom.end = p

    last = _last_token(text, atom.core)[1].lower().lstrip("([{\"'“‘")
    pq = _PRE_QUAL.search(text, max(0, atom.core - 40), atom.core) if last in _QUAL_LAST else None
    if pq is not None and pq.group(1)[:2].lower() == "up" and _UP_PARTICLE_VERB.search(text, max(0, pq.start(1) - 16), pq.start(1)):
        pq = None  # "was revised up to 1.2%", "ticked up to 4.1%": the level it moved to, no bound
    if pq is not None:
        q = _QUALIFIERS[" ".join(pq.group(1).lower().split())]
        if q in ("between", "from"):
            atom.marker, atom.marker_start = q, pq.start(1)
        else:
            atom.qualifier = q
            atom.start = pq.start(1)
            # "from about $2.8 trillion to ...": the marker may stand before the qualifier
            mk = _MARKER_BEFORE.search(text, max(0, atom.start - 9), atom.start)
            if mk is not None:
                atom.marker, atom.marker_start = mk.group(1).lower(), mk.start(1)
    if post_qualifier is not None and atom.qualifier == "exact":
        atom.qualifier = post_qualifier

    if atom.kind in ("money", "physical") and atom.rate is None:
        window = text[max(0, atom.start - 60) : atom.start].lower()
        rp = None
        if any(stem in window for stem in _RATE_PRE_STEMS):
            rp = _RATE_PRE.search(text, max(0, atom.start - 60), atom.start)
        if rp is not None:
            atom.rate = _RATE_WORDS[rp.group(1).lower()]
    return atom


# --- combining neighbours --------------------------------------------------------------


_RANGE_VERB = re.compile(r"\b(?:range|ranges|ranged|ranging|vary|varies|varied|varying)\s+\Z", re.IGNORECASE)


def _inherit(a: _Atom, b: _Atom) -> None:
    """Let a bare end of a range take the other end's unit and scale: "$11-12 billion"."""
    if a.unit is not None and b.unit is not None and a.unit != b.unit:
        return  # "rose 22% to $815 million": a percent never takes the money's scale
    for x, y in ((a, b), (b, a)):
        if x.unit is None and y.unit is not None:
            x.unit, x.kind, x.factor, x.rate, x.per = y.unit, y.kind, y.factor, y.rate, y.per
            x.alternatives, x.bare = y.alternatives, False
    if a.scale_word is None and b.scale_word is not None and a.number <= b.number:
        a.mult, a.scale_word = b.mult, b.scale_word
    if a.unit == b.unit and a.rate is None and b.rate is not None:
        a.rate = b.rate  # "between $48,000 and $90,000 a year"
    if a.unit == b.unit and a.per is None and b.per is not None:
        a.per = b.per  # "between $62 and $68 per share"


def _combine(text: str, atoms: list[_Atom]) -> list[tuple[_Atom, _Atom | None]]:
    out: list[tuple[_Atom, _Atom | None]] = []
    i, n = 0, len(atoms)
    dropped_end = -1
    while i < n:
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < n else None
        # a run of bare numbers with nothing but spaces and brackets between: a phone number
        if a.bare and dropped_end >= 0 and _PHONE_GAP.fullmatch(text[dropped_end : a.start]):
            dropped_end = a.end
            i += 1
            continue
        # "sizes from 500 sq ft up to 950 sq ft": "up to" closes the range
        from_up_to = (
            b is not None
            and a.marker == "from"
            and b.qualifier == "up_to"
            and b.marker is None
            and text[b.start : b.start + 3].lower() == "up "
            and text[a.end : b.start].isspace()
        )
        if b is not None and (b.qualifier == "exact" or from_up_to) and b.marker is None:
            gap = text[a.end : b.start]
            move_to = (
                a.marker is None
                and not a.bare
                and a.unit is not None
                and _TO_GAP.fullmatch(gap) is not None
                and _MOVE_BEFORE.search(text, max(0, a.start - 24), a.start) is not None
            )
            # "fees range from 15 per cent to 20 per cent" is a range, whatever "from" says;
            # so is "homes from $750,000 to $1 million", with no word of change before it
            ranged = a.marker == "from" and (
                _RANGE_VERB.search(text, max(0, a.marker_start - 14), a.marker_start) is not None
                or _CHANGE_BEFORE.search(text, max(0, a.marker_start - 60), a.marker_start) is None
            )
            if a.marker == "from" and _TO_GAP.fullmatch(gap) and not ranged:
                _inherit(a, b)  # "from $2.8 trillion to $3.3 trillion": a change, two figures
            elif move_to:
                _inherit(a, b)  # "rose 0.4% to 13,176": a move and a level, two figures
                if b.unit == a.unit and b.kind == "percent" and text[b.end - 1 : b.end] not in "%t":
                    b.unit, b.kind = None, "count"  # the level of "rose 0.4% to 13,176" is no percentage
            elif (
                (a.marker == "between" and _AND_GAP.fullmatch(gap))
                or (ranged and (_TO_GAP.fullmatch(gap) or from_up_to))
                # "from about 14-18 mpg to 24": a dash joins a range whatever came before
                or ((a.marker != "from" or _DASH_GAP.fullmatch(gap)) and _RANGE_GAP.fullmatch(gap))
            ):
                lo, hi = replace(a), replace(b)  # try on copies: a failed range changes nothing
                _inherit(lo, hi)
                # "up 6.1% to 12.3 million": a percent and a scaled count are a move and
                # the level it reached, never the ends of one range
                counted = a.kind == "percent" and b.unit is None and b.scale_word is not None and a.scale_word is None
                if not counted and (
                    # "up 10.4 cents to $2.24" is a change and a level, not a range
                    (lo.unit, lo.kind, lo.rate, lo.factor, lo.per) == (hi.unit, hi.kind, hi.rate, hi.factor, hi.per)
                    and lo.value < hi.value
                    # two plain numbers ("a 3 to 1 vote") stay two counts, unless a word says
                    # range: "between 750000 and 800000 will be sold"
                    and (
                        lo.unit is not None
                        or (lo.scale_word or hi.scale_word) is not None
                        or (a.marker == "between" and _AND_GAP.fullmatch(gap) is not None)
                        or ranged
                    )
                ):
                    out.append((lo, hi))
                    i += 2
                    continue
            if a.bare and b.bare and _PHONE_GAP.fullmatch(gap):
                dropped_end = b.end
                i += 2
                continue
        if a.vague:
            out.append((a, None))  # "thousands of dollars to ...": a vague amount joins nothing
            i += 1
            continue
        if a.provisional or (a.bare and (a.dash_glued or a.dash_follows)):
            i += 1
            continue
        out.append((a, None))
        i += 1
    return out


def _mention(text: str, a: _Atom, b: _Atom | None) -> QuantityMention:
    if b is None:
        return QuantityMention(
            text=text[a.start : a.end],
            start=a.start,
            end=a.end,
            value=a.value,
            high=a.value * 10 if a.vague else None,
            unit=a.unit_string(),
            kind=a.kind,
            qualifier=a.qualifier,  # type: ignore[arg-type]
            rate=a.rate,
            scale_word=a.scale_word,
            decimals=a.decimals,
            resolution=a.resolution,
            alternatives=a.alternatives,
        )
    start = a.marker_start if a.marker == "between" else a.start
    return QuantityMention(
        text=text[start : b.end],
        start=start,
        end=b.end,
        value=a.value,
        high=b.value,
        unit=b.unit_string(),
        kind=b.kind,
        qualifier="range",
        rate=b.rate,
        scale_word=b.scale_word or a.scale_word,
        decimals=max(a.decimals, b.decimals),
        resolution=min(a.resolution, b.resolution),
        alternatives=b.alternatives,
    )
