"""Time expressions in financial news: find them, resolve them, and compare them.

Why hand-written instead of dateparser/dateutil: general-purpose date parsers get the
expressions that matter here wrong. They read "Q3" and "H1" as nothing (or as hours), turn
"2026" in "$2026 million" into a date, map "Wednesday" to the *next* Wednesday (news means
the past one), invent today's date for "this year" when no publication date is known,
and have no notion of "year-to-date", "fiscal 2026", "first half of 2026" or "over the past
two days" as *windows*. Conflicts between two figures hinge on exactly these windows, so
the grammar is small, explicit and tested case by case (tests/cases/periods.yaml).

Principles:
* A mention's text is the time expression itself; leading prepositions ("on", "in", "by",
  "from", "as of") are context and stay outside the span, while words that change the
  window stay in ("since 2020", "last Friday", "past two days", "early 2026").
* Unknown stays unknown: without a publication date "this year" has no year and "July 1"
  has no year; nothing is guessed from the clock.
* Overlapping candidates from different rules are settled by "longest match wins", so the
  rules can be written independently ("first quarter of 2026" beats "of 2026").

Conventions on ``Period`` (models.py has no quarter/half field): for granularity "quarter"
and "half" without a resolved year, ``month`` holds the first month (Q3 -> 7, H2 -> 7).
Year-less ranges keep their first day in ``month``/``day`` and their length in
``length_days``.

This runs over every sentence of every article, so: regexes are compiled once here; a
cheap pre-check (substring tests, tiny regexes) skips rules that cannot match; every core
regex opens with a character class so `re` can skip ahead, with leading words checked only
behind an actual hit; and a Period is built only for spans that win. Measured: about 2 µs
for a sentence without time words, 15-40 µs for one with a few expressions.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from enum import Enum

from pydantic import BaseModel, ConfigDict

from factcheck.models import Period
from factcheck.words import MONTH_ABBREVIATIONS, MONTH_NAMES, NUMBER_WORDS, WEEKDAY_NAMES

__all__ = ["TimeMention", "Relation", "find_periods", "placed_in_year", "relate", "describe"]


class TimeMention(BaseModel):
    """One time expression in a sentence; ``start``/``end`` are character offsets, end exclusive."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    period: Period


class Relation(str, Enum):
    SAME = "same"  # identical calendar windows
    COMPATIBLE = "compatible"  # not provably equal, but everything known agrees
    OVERLAP = "overlap"  # windows intersect but differ (day inside a week, quarter inside a year)
    DISJOINT = "disjoint"  # provably different times: figures cannot conflict
    UNKNOWN = "unknown"  # not enough known to say


# --------------------------------------------------------------------------- vocabulary

_MONTH_NAMES = MONTH_NAMES
_MONTH_NUM = {name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAY_NAMES = WEEKDAY_NAMES
_WEEKDAY_NUM = {name.lower(): i for i, name in enumerate(_WEEKDAY_NAMES)}
# Windows written in words are short ("the past two days", "over twelve months"); "for
# fifty years" is a term (a bond's, a lease's), a figure of its own, not a window.
_NUM_WORDS = {"a": 1, "an": 1, **{w: n for w, n in NUMBER_WORDS.items() if n <= 30}}
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "final": 0, "last": 0,
}  # fmt: skip


def _tok(words: Iterable[str], icase: bool = False, extra: Iterable[tuple[str, str]] = ()) -> str:
    """An alternation of whole words that starts with a plain character class.

    `re` skips quickly to possible starts only when a pattern opens with a literal or a
    character class; a leading \\b, look-behind or optional group makes it try every
    alternative at every position (4-10x slower on a typical sentence). So the first
    letters go into a class, ``(?<!\\w.)`` checks the token boundary behind it, and each
    rest is guarded by a look-behind on its own first letter. ``extra`` adds
    (class characters, rest) pairs such as digits.
    """
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    cls, alts = "", []
    for first, rests in by_first.items():
        if icase:
            chars = first.lower() + first.upper()
            guard = f"[{chars}]"
        else:
            chars = guard = re.escape(first)
        cls += chars
        body = "|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
        alts.append(f"(?<={guard})" + (f"(?i:{body})" if icase else f"(?:{body})"))
    for chars, rest in extra:
        cls += chars
        alts.append(rest)
    return f"[{cls}](?<!\\w.)(?:{'|'.join(alts)})"


# Month names are matched case-sensitively: lower-case "may"/"march" are verbs. Only the
# abbreviations take a dot, so "in May." does not swallow the full stop.
_MONTH = (
    _tok(
        _MONTH_NAMES
        + [
            abbr + dot
            for abbr in MONTH_ABBREVIATIONS
            for dot in (".", "")
        ]
    )
    + r"(?![A-Za-z])"
)
_WEEKDAY = _tok(_WEEKDAY_NAMES) + r"\b"
_WEEKDAY_PLAIN = "(?:" + "|".join(_WEEKDAY_NAMES) + ")"
# A day after a month name: longest alternatives first, and it must not run on into more
# digits, a percent or a decimal ("July 1.5%", "July 123").
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%A-Za-z]|[.,]\d)"
# 1900-2100 starting a token (not "$2026", "H2026", "1.2026", "2,026", "a/2026") and not
# part of a longer number ("20261", "2026,500", "2026.5", "2026%").
# (not "the 1990s": a decade, read by _DECADE)
_YEAR = r"[12](?<![\w$€£¥.,/].)(?:(?<=1)9\d\d|(?<=2)0\d\d|(?<=2)100)(?!\d|[.,]\d|\s*%|['’]?s\b)"
# A number followed by a unit is a quantity, not a year ("of 2026 shares", "to 2030 points").
_NOTQTY = (
    r"(?!\s*(?:%|percent\b|per\s?cent\b|(?:million|billion|trillion|thousand|mn|bn|k)\b"
    r"|(?:shares|units|points|pts|people|employees|workers|jobs|stores|vehicles|cars|chips"
    r"|wafers|tons|tonnes|barrels|yuan|won|yen|dollars|euros|times|basis)\b))"
)
# Time-zone tails belong to the date ("July 1 (Eastern Time)", "July 1 local time").
_TZ = (
    r"(?:\s*\((?:(?:[A-Z][\w.]*\s+){0,3}[Tt]ime|local\s+time|ET|EST|EDT|PT|PST|PDT|CT|GMT|UTC"
    r"|BST|CET|HKT|JST|KST)\)"
    r"|\s+(?:local\s+|(?:[A-Z][\w.]*\s+){1,3})[Tt]ime\b"
    r"|\s+(?:ET|EST|EDT|PST|PDT|GMT|UTC|HKT|JST|KST)\b)?"
)
_NUM = _tok(_NUM_WORDS, icase=True, extra=[("0-9", r"(?<=\d)\d{0,2}")])
_RANGE_CONN = r"(?:-|–|—|to|through|thru|until|till|and)"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# ------------------------------------------------------------------------------ patterns
# Each rule is a core regex that opens with a class or literal (fast to scan for), plus an
# optional prefix regex that is only tried on the few characters before a core match:
# leading words like "from", "between", "last" or "in" would otherwise slow every scan.

_LOOKBACK = 40  # longest prefix is "during the previous " plus slack

_ISO = _c(
    r"(?P<y>" + _YEAR + r")(?P<sep>[-/])(?P<mo>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])"
)
_DATE_MDY = _c(
    r"(?P<m>" + _MONTH + r")\s+(?P<d>" + _DAY + r")(?:(?:,\s*|\s+)(?P<y>" + _YEAR + r"))?"
    r"(?P<tz>" + _TZ + r")"
)
_DATE_DMY = _c(
    r"(?P<d>\d(?<![\w$€£¥.,].)\d?)(?:st|nd|rd|th)?(?![\d%A-Za-z]|[.,]\d)\s+(?P<m>" + _MONTH
    + r")(?:,?\s+(?P<y>" + _YEAR + r"))?(?P<tz>" + _TZ + r")"
)
_RANGE_MD = _c(
    r"(?P<m1>" + _MONTH + r")\s+(?P<d1>" + _DAY + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?\s*"
    r"(?P<conn>" + _RANGE_CONN + r")\s*(?:(?P<m2>" + _MONTH + r")\s+)?(?P<d2>" + _DAY + r")"
    + _NOTQTY + r"(?:,?\s+(?P<y2>" + _YEAR + r"))?(?P<tz>" + _TZ + r")"
)
_RANGE_MONTH = _c(
    r"(?P<m1>" + _MONTH + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?\s*(?P<conn>" + _RANGE_CONN
    + r")\s*(?P<m2>" + _MONTH + r")(?:,?\s+(?P<y2>" + _YEAR + r"))?"
)
_MONTH_ONLY = _c(r"(?P<m>" + _MONTH + r")(?:,?\s+(?P<y>" + _YEAR + r"))?")
_WD_RANGE = _c(
    r"(?P<w1>" + _WEEKDAY + r")\s*(?P<conn>through|thru|to|until|till|-|–|—|and|&)\s*"
    r"(?P<w2>" + _WEEKDAY + r")"
)
_WD_SINGLE = _c(r"(?P<w>" + _WEEKDAY + r")")
_YEAR_CTX = _c(
    r"(?P<y>" + _YEAR + r")" + _NOTQTY
    + r"(?P<more>(?:(?:\s*,\s*|\s*,?\s+(?:and|or|&)\s+)" + _YEAR + _NOTQTY + r")*)"
)
_YEAR_IN_LIST = _c(_YEAR)
_YEAR_RANGE = _c(
    r"(?P<y1>" + _YEAR + r")\s*(?P<conn>-|–|—|to|through|thru|until|and)\s*"
    # "2022-'23": the apostrophe stands for the century a fiscal year's second half omits
    r"(?P<y2>(?:19|20)\d\d|(?:(?<=[-–—])['’])?\d\d)(?![\d%]|[.,]\d)" + _NOTQTY
)
_FISCAL = _c(
    r"(?P<pre>[Ff](?<!\w.)(?:(?<=F)Y|(?i:iscal(?:\s+year)?|inancial\s+year|ull[\s-]year)))"
    r"\s?['’]?(?P<y>(?:19|20)\d\d|\d\d)(?:[-–/]['’]?\d\d)?(?![\d%]|[.,]\d)" + _NOTQTY
)
_FISCAL_AFTER = _c(r"(?P<y>" + _YEAR + r")\s+(?i:fiscal|financial)\s+year\b")
# Q-codes and H-codes are upper case only; "H100"/"H200"/"H20" fail the trailing \w check.
# Two-digit years attach without a space only in the digit-first form ("1Q26"), so that
# "H100" is never "H1 2000".
# A four-digit year may be the first of a split fiscal year ("Q1 2022-23"), which
# fiscal_period reads on the company's or economy's calendar.
_CODE_YEAR = (
    r"(?:(?:\s+of\s+|[\s,]+|\s*(?:FY|fiscal\s)\s?)(?P<y>(?:19|20)\d\d)(?:[-–/]\d\d(?!\d))?"
    r"|(?:\s?FY\s?['’]?|\s?['’])(?P<yy>\d\d))"
)
_QCODE = _c(r"Q(?<!\w.)(?P<n>[1-4])" + _CODE_YEAR + r"?(?![\w%]|[.,]\d)")
_QCODE_DIGIT = _c(r"(?P<n>[1-4])(?<!\w.)Q(?:" + _CODE_YEAR + r"|(?P<yy2>\d\d))?(?![\w%]|[.,]\d)")
_HCODE = _c(r"H(?<!\w.)(?P<n>[12])" + _CODE_YEAR + r"?(?![\w%]|[.,]\d)")
_HCODE_DIGIT = _c(r"(?P<n>[12])(?<!\w.)H(?:" + _CODE_YEAR + r"|(?P<yy2>\d\d))?(?![\w%]|[.,]\d)")
_QRANGE = _c(
    r"Q(?<!\w.)(?P<n1>[1-4])\s*(?:-|–|—|to|through|and)\s*Q(?P<n2>[1-4])" + _CODE_YEAR
    + r"?(?![\w%]|[.,]\d)"
)
_FIRST_N = _c(
    r"(?P<edge>" + _tok(["first", "last", "final"], icase=True) + r")\s+(?P<n>" + _NUM + r")\s+(?P<unit>(?i:months|quarters))"
    r"(?:\s+of\s+(?:(?P<rel>(?i:this|last|next|the))\s+(?i:year)\b|(?:(?i:fiscal)\s+|FY\s?)?(?P<y>"
    + _YEAR + r")))?"
)
_QWORD = _c(
    r"(?P<ord>" + _tok(_ORDINALS, icase=True) + r")[\s-]+(?P<kind>(?i:quarter|half))"
    # "second half of the session" is not a calendar half.
    r"(?![\w-]|\s+of\s+(?:the\s+|this\s+|a\s+)?(?i:day|session|trading|month|week|decade"
    r"|century|game|match)\b)"
    r"(?:(?:\s+of|,)?\s+(?:(?P<rel>(?i:this|last|next|the|the\s+current|current))\s+"
    r"(?:(?i:fiscal|financial)\s+)?(?i:year)\b(?!\s+(?:19|20)\d\d)"
    # "of the financial year 2022-'23", "of the 2020-21 fiscal year": the year as the
    # writer names it, with its word before or after
    r"|(?:(?i:the)\s+(?=(?i:fiscal|financial)\s|FY|[12]\d{3}(?:[-–/]['’]?\d\d)?\s+(?i:fiscal|financial)\s+(?i:year)\b))?"
    r"(?:(?:FY|(?i:fiscal|financial))\s?(?:(?i:year)\s)?)?"
    r"['’]?(?P<y>" + _YEAR + r")(?:[-–/]['’]?(?P<split>\d\d)(?![\d%]|[.,]\d))?"
    r"(?:\s+(?i:fiscal|financial)\s+(?i:year)\b)?|FY\s?(?P<yy>\d\d)(?:[-–/]['’]?\d\d)?(?![\d%]|[.,]\d)))?"
)
_ENDOF = _c(
    r"(?P<e>" + _tok(["end", "close"], icase=True) + r")[\s-]of\s+(?i:the\s+)?(?:(?P<y>"
    + _YEAR + r")" + _NOTQTY + r"|(?P<rel>(?i:this|last|next|current))\s+(?i:year)\b"
    r"|(?i:year)\b|(?P<m>" + _MONTH + r")(?:,?\s+(?P<my>" + _YEAR + r"))?)"
)
_YEAREND = _c(_tok(["year"], icase=True) + r"[\s-](?i:end)\b(?:\s+(?P<y>" + _YEAR + r"))?")
_END_DASH_YEAR = _c(_tok(["end"], icase=True) + r"-(?P<y>" + _YEAR + r")")
_PART_OF_YEAR = _c(
    r"(?P<w>" + _tok(["early", "mid", "late"], icase=True) + r")[\s-]+(?P<y>" + _YEAR + r")"
    + _NOTQTY
)
DEICTIC_DAYS = ("today", "yesterday", "tonight")  # days named against the publication date
_TODAY = _c(r"(?P<w>" + _tok(list(DEICTIC_DAYS), icase=True) + r")\b")
_REL = _c(
    r"(?P<rel>" + _tok("last this next previous past current coming prior".split(), icase=True)
    + r")\s+(?P<unit>(?i:week|month|quarter|year))\b(?![\w-])"
)
# "over the last year", "in the last month": with "the", a trailing window ending at
# publication, as "the past year" is; bare "last year" is the calendar year before
_P_REL = _c(r"\b(?i:over|in|during|within|throughout|across)\s+(?i:the)\s+\Z")
# "For the week, the index lost 2.3%", "on the week", "its weekly loss": a market's tally
# for the week of publication, not the day a sentence also names
_WEEK_TALLY = _c(
    r"(?i:\b(?:for|on|over)\s+the\s+week\b(?!\s+(?:ended|ending|before|after|of|to))"
    r"|\bweekly(?=\s+(?:gains?|loss(?:es)?|declines?|drops?|rises?|advances?|falls?|increases?|slides?|rall(?:y|ies)|moves?)\b))"
)
# "it is now up 6.5% for the year", "the stock is down 12% for the year": a tally kept
# to date, in the present tense; "revenue rose 5% for the year" names a full year instead
_YEAR_TALLY = _c(r"(?i:\bfor\s+the\s+year)\b(?!\s+(?i:ended|ending|to|before|after|of|earlier|ago|through))")
_P_YEAR_TALLY = _c(
    r"\b(?i:now|is|are|stands|stand)\s+(?i:up|down|higher|lower)\s+(?i:about\s+|around\s+|nearly\s+|almost\s+|roughly\s+)?"
    r"[\d.,]+\s*(?:%|(?i:percent|per\s+cent))\s+\Z"
)
_YTD = _c(
    r"[YySsTt](?<!\w.)(?:(?<=[Yy])(?i:ear[\s-]to[\s-]date|td)"
    r"|(?<=[Ss])(?i:o\s+far\s+this\s+year"
    r"|ince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year)"
    r"|(?<=[Tt])(?i:(?:his|he)\s+year\s+so\s+far))\b"
)
_WINDOW = _c(
    r"(?P<n>" + _NUM + r")(?P<sep>[\s-]+)(?:(?i:straight|consecutive|trading)[\s-]+)?"
    r"(?P<unit>(?i:days?|sessions?|weeks?|months?|years?))\b(?!-)"
    # "the 200-day moving average" and "a 52-week high" name an indicator, not a window.
    r"(?!\s+(?i:moving|average|high|low|range|bond|bill|note|yield|deposit|loan|rate|contract|agreement|lease))"
)

# Prefixes: searched only in the _LOOKBACK characters before a core match, anchored at it.
_P_WEEKDAY = _c(r"\b(?P<wd>" + _WEEKDAY_PLAIN + r"),?\s+\Z")
_P_FROM = _c(r"\b(?P<pre>(?i:from|between))\s+\Z")
_P_MONTH = _c(
    r"\b(?P<pre>(?i:in|since|during|by|until|till|through|for|of|from|to|last|this|next"
    r"|early|late|mid))[\s-]+\Z"
)
_P_LAST = _c(r"\b(?P<last>(?i:last|past|previous))\s+\Z")
_P_YEAR = _c(
    r"\b(?P<pre>(?i:in|by|for|of|since|from|to|until|till|through|thru|during|throughout|across"
    r"|as\s+of|calendar\s+year|calendar|year))\s+\Z"
)
_P_QWORD = _c(
    r"(?:(?:(?:\b(?i:fiscal)\s+|\bFY\s?)(?P<fy>(?:19|20)\d\d)|(?P<y0>" + _YEAR + r"))\s+)?"
    r"(?:\b(?P<fiscal>(?i:fiscal))[\s-]+)?\Z"
)
_P_YEAREND = _c(r"(?P<y0>" + _YEAR + r")\s+\Z")
_P_TODAY = _c(r"(?:USA|(?i:day\s+before))\s+\Z")  # "USA Today", "the day before yesterday"
_P_WINDOW = _c(
    r"(?:\b(?P<prep>(?i:over|in|during|for|within|across))\s+(?i:the\s+|its\s+|their\s+)?)?"
    r"(?:\b(?P<past>(?i:past|last|previous|prior|trailing|recent|latest|first|opening|initial))\s+)?\Z"
)

# Cheap pre-checks: substring tests on the lower-cased sentence and a few tiny regexes
# decide which rules can match at all, so a typical sentence runs only a few cores.
_HAS_DIGIT = _c(r"\d")
_HAS_YEAR = _c(r"[12](?:(?<=1)9|(?<=2)[01])\d\d")
_HAS_DECADE = _c(r"\d0['’]?s\b")
_HAS_MONTH = _c(_tok(sorted({name[:3] for name in MONTH_NAMES})))
_HAS_WEEKDAY = _c(
    r"[MTWFS](?:(?<=M)on|(?<=T)ues|(?<=W)ednes|(?<=T)hurs|(?<=F)ri|(?<=S)atur|(?<=S)un)day"
)
_HAS_CODE = _c(r"[QH1-4](?:(?<=[QH])[1-4]|(?<=[1-4])[QH])")


# ------------------------------------------------------------------------ date helpers


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


_month_end = month_end


def add_months(d: date, n: int) -> date:
    """The same day n months later (earlier for n < 0), or the month's last day."""
    total = d.year * 12 + d.month - 1 + n
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def quarter_window(y: int, q: int) -> tuple[date, date]:
    m = 3 * q - 2
    return date(y, m, 1), _month_end(y, m + 2)


_quarter_window = quarter_window


def half_window(y: int, h: int) -> tuple[date, date]:
    m = 6 * h - 5
    return date(y, m, 1), _month_end(y, m + 5)


_half_window = half_window


def year_window(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


_year_window = year_window


def _two_digit_year(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 70 else 1900 + n


def _distance(window: tuple[date, date], pub: date) -> int:
    s, e = window
    if s <= pub <= e:
        return 0
    return (s - pub).days if s > pub else (pub - e).days


def _closest_years(
    published: date, make: Callable[[int], tuple[date, date] | None]
) -> list[tuple[int, tuple[date, date]]]:
    """Candidate years around publication, nearest window first (ties go to the past).

    A year-less "July 1" or "Q3" in a news article is about the nearest such time; a
    window more than half a year away is almost always the other year's.
    """
    out = []
    for y in (published.year - 1, published.year, published.year + 1):
        w = make(y)
        if w is not None:
            out.append((_distance(w, published), y, w))
    out.sort(key=lambda t: (t[0], t[1]))
    return [(y, w) for _, y, w in out]


def _day_window(d: date | None) -> tuple[date, date] | None:
    return (d, d) if d is not None else None


def safe_date(y: int, m: int, d: int) -> date | None:
    """The date, or None where the calendar has no such day (February 30)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day_num(s: str) -> int:
    return int(s.rstrip("stndrh"))


def _month_num(s: str) -> int:
    return _MONTH_NUM[s[:3].lower()]


def _last_weekday_on_or_before(d: date, weekday: int) -> date:
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def _weekdays_in(s: date, e: date) -> tuple[int, ...]:
    n = (e - s).days + 1
    return tuple((s + timedelta(days=i)).weekday() for i in range(min(n, 7)))


def _span(text: str, gran: str, s: date, e: date, **kw: object) -> Period:
    if "year" not in kw and s.year == e.year:
        kw["year"] = s.year
    return Period(text=text, granularity=gran, start=s, end=e, **kw)  # type: ignore[arg-type]


def _yearless_range(text: str, s: date, e: date) -> Period:
    """A range whose year is unknown: its first day and length (taken in a sample year)."""
    length = (e - s).days + 1
    return Period(text=text, granularity="range", month=s.month, day=s.day, length_days=length)


def _day_period(text: str, d: date, weekdays: tuple[int, ...] | None = None) -> Period:
    return Period(
        text=text, granularity="day", start=d, end=d, year=d.year, month=d.month, day=d.day,
        weekdays=weekdays,
    )  # fmt: skip


# --------------------------------------------------------------------------- rule handlers

# (start, end, factory): the Period is built only if the span wins the overlap selection;
# a factory returning None withdraws the candidate (e.g. "February 30").
Cand = tuple[int, int, Callable[[str], "Period | None"]]
Pre = re.Match[str] | None
Handler = Callable[[re.Match[str], Pre, "date | None"], Iterable[Cand]]


def _pre(pm: Pre, name: str) -> str | None:
    return pm[name] if pm is not None else None


def _cand(start: int, end: int, period_for: Callable[[str], Period | None]) -> Iterator[Cand]:
    yield start, end, period_for


def _h_iso(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    d = safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if d is not None:
        yield from _cand(m.start(), m.end(), lambda t: _day_period(t, d))


def _resolve_md(
    text: str, mo: int, day: int, year: str | None, wd: str | None, pub: date | None
) -> Period | None:
    weekdays = (_WEEKDAY_NUM[wd.lower()],) if wd else None
    if year:
        d = safe_date(int(year), mo, day)
        return _day_period(text, d, weekdays) if d else None
    if safe_date(2000, mo, day) is None:  # "February 30" in any year
        return None
    cands = _closest_years(pub, lambda y: _day_window(safe_date(y, mo, day))) if pub else []
    if not cands:  # no publication date, or "February 29" with no leap year nearby
        return Period(text=text, granularity="day", month=mo, day=day, weekdays=weekdays)
    if weekdays:  # "Wednesday, July 1": the stated weekday picks the year when it can
        for _, (d, _) in cands:
            if d.weekday() == weekdays[0]:
                return _day_period(text, d, weekdays)
    return _day_period(text, cands[0][1][0], weekdays)


def _h_date(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    mo, day = _month_num(m["m"]), _day_num(m["d"])
    if not 1 <= day <= 31:
        return
    wd = _pre(pm, "wd")
    start = pm.start("wd") if pm is not None else m.start()
    yield from _cand(start, m.end(), lambda t: _resolve_md(t, mo, day, m["y"], wd, pub))


def _is_between(pm: Pre) -> bool:
    return pm is not None and pm["pre"].lower() == "between"


def _h_range_md(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if m["conn"] == "and" and not _is_between(pm):
        return  # "on June 21 and June 28" is two days, not a window
    m1, d1 = _month_num(m["m1"]), _day_num(m["d1"])
    m2 = _month_num(m["m2"]) if m["m2"] else m1
    d2 = _day_num(m["d2"])
    if (m2, d2) == (m1, d1) or (not m["m2"] and d2 < d1):
        return
    y1 = int(m["y1"]) if m["y1"] else None
    y2 = int(m["y2"]) if m["y2"] else None
    wraps = (m2, d2) < (m1, d1)  # "December 28 to January 3"

    def window(y: int) -> tuple[date, date] | None:
        s, e = safe_date(y, m1, d1), safe_date(y + 1 if wraps else y, m2, d2)
        return (s, e) if s and e and s < e else None

    def period(t: str) -> Period | None:
        if y1 is not None or y2 is not None:
            base = y1 if y1 is not None else (y2 - 1 if wraps else y2)  # type: ignore[operator]
            end_y = y2 if y2 is not None else (base + 1 if wraps else base)
            s, e = safe_date(base, m1, d1), safe_date(end_y, m2, d2)
            return _span(t, "range", s, e) if s and e and s < e else None
        if pub is not None:
            cands = _closest_years(pub, window)
            return _span(t, "range", *cands[0][1]) if cands else None
        w = window(2001)  # a common year for the length; Feb 29 windows are off by one at worst
        if w is None:
            return None
        return _yearless_range(t, *w)

    yield from _cand(m.start(), m.end(), period)


def _h_range_month(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if m["conn"] == "and" and not _is_between(pm):
        return
    m1, m2 = _month_num(m["m1"]), _month_num(m["m2"])
    if m1 == m2 and not (m["y1"] and m["y2"]):
        return
    y1 = int(m["y1"]) if m["y1"] else None
    y2 = int(m["y2"]) if m["y2"] else None
    wraps = m2 < m1

    def window(y: int) -> tuple[date, date]:
        return date(y, m1, 1), _month_end(y + 1 if wraps else y, m2)

    def period(t: str) -> Period | None:
        if y1 is not None or y2 is not None:
            base = y1 if y1 is not None else (y2 - 1 if wraps else y2)  # type: ignore[operator]
            end_y = y2 if y2 is not None else (base + 1 if wraps else base)
            s, e = date(base, m1, 1), _month_end(end_y, m2)
            return _span(t, "range", s, e) if s < e else None
        if pub is not None:
            return _span(t, "range", *_closest_years(pub, window)[0][1])
        s, e = window(2001)
        return Period(text=t, granularity="range", month=m1, length_days=(e - s).days + 1)

    yield from _cand(m.start(), m.end(), period)


# Thirds of a month/year: "early 2026" and "late 2026" must not compare as the same time.
_THIRDS_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_THIRDS_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


_VERB_MONTHS = {"may", "march", "august"}
_MONTH_MODIFIES = _c(r"['’]s\b|\s+[a-z]")
# "Shenlan's March deliveries", "its May sales": after an owner a month is no verb
_OWNED_MONTH = _c(r"(?:\w['’]s?|\b(?i:its|their|the))\s+\Z")
# "record 2024 revenues", "Kestrel's 2025 sales", "2024's monthly average": a year in front
# of what it dates, with no preposition. Not a decade ("the 1990's boom").
_YEAR_MODIFIER = _c(
    r"(?P<y>[12](?<![\w$€£¥.,/].)(?:(?<=1)9\d\d|(?<=2)0\d\d))(?P<poss>(?<!0)['’]s)?(?=\s+[a-z])" + _NOTQTY
)
_MODIFIER_BEFORE = _c(r"(?:\b(?i:its|their|the|record|full-year|calendar|whole-year)|\b[A-Z][\w&.-]*['’]s)\s+\Z")
# "reported 2025 revenue of $15 billion", "2027 guidance calls for": a year right before a
# noun that is always of some period is a year, with no determiner; before other words a
# bare number may count them ("2000 stores")
_PERIOD_NOUN_AFTER = _c(
    r"\s+(?i:revenues?|sales|profits?|earnings|net\s+income|income|results|growth|guidance|forecasts?|outlook"
    r"|budget|deficit|output|production|shipments|deliveries|capex|capital\s+spending|spending|dividends?|inflation|GDP)\b"
)


def _h_year_modifier(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if m["poss"] is None and not _MODIFIER_BEFORE.search(m.string, max(0, m.start() - 40), m.start()) and not _PERIOD_NOUN_AFTER.match(m.string, m.end()):
        return
    y = int(m["y"])
    yield from _cand(m.start("y"), m.end("y"), lambda t: _year_period(t, y))


def _h_month_only(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    pre = (_pre(pm, "pre") or "").lower()
    quarter_named = _MONTH_QUARTER_AFTER.match(m.string[m.end() : m.end() + 12]) is not None  # "the March quarter"
    owned = _OWNED_MONTH.search(m.string, max(0, m.start() - 12), m.start()) is not None  # "its March sales"
    modifies = _MONTH_MODIFIES.match(m.string, m.end()) is not None
    if not pre and not m["y"] and not quarter_named and (m["m"].lower() in _VERB_MONTHS and not (owned and modifies) or not modifies):
        # a bare capitalised "May"/"March" may be a verb starting a sentence; any other
        # month names the period of what it modifies ("July gas prices", "December's gain")
        return
    mo = _month_num(m["m"])
    third = _THIRDS_MONTH.get(pre)

    def window(y: int) -> tuple[date, date]:
        if third:
            last = _month_end(y, mo) if third[1] == 31 else date(y, mo, third[1])
            return date(y, mo, third[0]), last
        return date(y, mo, 1), _month_end(y, mo)

    def since(t: str) -> Period:
        # "since April": a window from then up to publication
        if pub is None:
            return Period(text=t, granularity="range")
        y = int(m["y"]) if m["y"] else (pub.year if mo <= pub.month else pub.year - 1)
        s = date(y, mo, 1)
        return _span(t, "range", s, pub) if s <= pub else Period(text=t, granularity="range")

    def period(t: str) -> Period:
        gran = "range" if third else "month"
        if m["y"]:
            return _span(t, gran, *window(int(m["y"])), month=mo)
        if pub is None:
            if third:  # year-less range: first day and length, as for "June 21 to June 28"
                return _yearless_range(t, *window(2001))
            return Period(text=t, granularity="month", month=mo)
        if pre == "last":
            y = pub.year if mo < pub.month else pub.year - 1
        elif pre == "this":
            y = pub.year
        elif pre == "next":
            y = pub.year if mo > pub.month else pub.year + 1
        else:
            y = _closest_years(pub, window)[0][0]
        return _span(t, gran, *window(y), month=mo)

    if pre == "since":
        yield from _cand(pm.start("pre"), m.end(), since)  # type: ignore[union-attr]
        return
    keep_pre = pre in ("last", "this", "next", "early", "late", "mid")
    start = pm.start("pre") if keep_pre else m.start()  # type: ignore[union-attr]
    yield from _cand(start, m.end(), period)


def _weekday_window(
    text: str, days: tuple[int, ...], pub: date | None, strictly_before: bool = False
) -> Period:
    n = len(days)
    gran = "day" if n == 1 else "days"
    if pub is None:
        return Period(text=text, granularity=gran, weekdays=days, length_days=None if n == 1 else n)
    # News reports the past: a weekday is the latest such day on or before publication.
    ref = pub - timedelta(days=1) if strictly_before else pub
    end = _last_weekday_on_or_before(ref, days[-1])
    start = end - timedelta(days=n - 1)
    if n == 1:
        return _day_period(text, end, days)
    return _span(text, gran, start, end, weekdays=days, length_days=n)


def _h_wd_range(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    w1, w2 = _WEEKDAY_NUM[m["w1"].lower()], _WEEKDAY_NUM[m["w2"].lower()]
    n = (w2 - w1) % 7 + 1
    if n == 1:
        return
    if m["conn"] in ("and", "&") and n != 2 and not _is_between(pm):
        return  # "Monday and Wednesday": two separate days, each found on its own
    days = tuple((w1 + i) % 7 for i in range(n))
    yield from _cand(m.start(), m.end(), lambda t: _weekday_window(t, days, pub))


# "Black Monday", "Cyber Monday", "Super Tuesday": an event's name, not the latest such day.
_NAMED_DAY = _c(r"\b(?:Black|Cyber|Super|Good|Ash|Easter|Bloody|Blue|Manic|Giving|Mad|Holy|Maundy|Shrove|Fat|Boxing)[\s-]\Z")


def _h_wd_single(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if pm is None and _NAMED_DAY.search(m.string, max(0, m.start() - 16), m.start()):
        return
    w = _WEEKDAY_NUM[m["w"].lower()]
    start = pm.start("last") if pm is not None else m.start()
    yield from _cand(start, m.end(), lambda t: _weekday_window(t, (w,), pub, pm is not None))


def _year_period(text: str, y: int) -> Period:
    return _span(text, "year", *_year_window(y))


def _h_year_ctx(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if pm is None:
        return  # a bare 4-digit number is a year only in time context
    y = int(m["y"])
    if pm["pre"].lower() == "since":
        # a window from the start of that year up to publication; open-ended without it
        def since(t: str) -> Period:
            if pub is not None and pub.year >= y:
                return _span(t, "range", date(y, 1, 1), pub, year=None)
            return Period(text=t, granularity="range")

        yield from _cand(pm.start("pre"), m.end("y"), since)  # "since" makes it a window
        return
    yield from _cand(m.start("y"), m.end("y"), lambda t: _year_period(t, y))
    if m["more"]:
        base = m.start("more")
        for ym in _YEAR_IN_LIST.finditer(m["more"]):
            yy = int(ym.group())
            yield base + ym.start(), base + ym.end(), lambda t, yy=yy: _year_period(t, yy)


def _h_year_range(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    conn = m["conn"]
    if conn == "and" and not _is_between(pm):
        return
    y1 = int(m["y1"])
    raw = m["y2"].lstrip("'’")
    if len(raw) == 2:
        if conn not in ("-", "–", "—"):
            return  # "2024 to 28" is not a range of years
        y2 = y1 // 100 * 100 + int(raw)
    else:
        y2 = int(raw)
    if not y1 < y2 <= 2100:
        return
    s, e = date(y1, 1, 1), date(y2, 12, 31)
    yield from _cand(m.start(), m.end(), lambda t: _span(t, "range", s, e))


def _h_fiscal(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    raw = m["y"]
    if len(raw) == 2 and m["pre"] != "FY":
        return  # "fiscal 26" is not a way to write a year
    y = int(raw) if len(raw) == 4 else _two_digit_year(raw)
    if _SPLIT_YEAR.search(m.group(0)):
        # "financial year 2022-23": some twelve months of the two calendar years, which
        # ones the company's calendar says (fiscal_period)
        s, e = date(y, 1, 1), date(y + 1, 12, 31)
        yield from _cand(m.start(), m.end(), lambda t: _span(t, "range", s, e))
        return
    # Fiscal years are taken as calendar years: the offset differs per company and is not
    # in the text.
    yield from _cand(m.start(), m.end(), lambda t: _year_period(t, y))


# "in the 1990s", "the late 2000s", "in the mid-1980s": a decade, or the part of one the
# writer names (early: its first four years, mid: the middle three, late: the last three).
_DECADE = _c(
    r"(?<![\w$€£¥.,/])(?i:the)\s+(?:(?P<part>(?i:early|mid|late))[\s-]+)?"
    r"(?P<y>(?:19|20)\d0)['’]?s\b"
)
_DECADE_PARTS = {None: (0, 9), "early": (0, 3), "mid": (4, 6), "late": (7, 9)}


def _h_decade(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    y = int(m["y"])
    first, last = _DECADE_PARTS[m["part"].lower() if m["part"] else None]
    s, e = date(y + first, 1, 1), date(y + last, 12, 31)
    yield from _cand(m.start(), m.end(), lambda t: _span(t, "range", s, e, year=None))


def _h_fiscal_after(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    y = int(m["y"])
    yield from _cand(m.start(), m.end(), lambda t: _year_period(t, y))


def _part_period(text: str, kind: str, n: int, year: int | None, pub: date | None) -> Period:
    """Quarter n / half n of ``year``; year-less parts resolve to the nearest one when published."""
    make = _quarter_window if kind == "quarter" else _half_window
    first_month = 3 * n - 2 if kind == "quarter" else 6 * n - 5
    if year is None and pub is not None:
        year = _closest_years(pub, lambda y: make(y, n))[0][0]
    if year is None:
        return Period(text=text, granularity=kind, month=first_month)  # type: ignore[arg-type]
    return _span(text, kind, *make(year, n), month=first_month)


def _make_code_handler(kind: str) -> Handler:
    def handler(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
        n = int(m["n"])
        yy = m["yy"] or m.groupdict().get("yy2")
        y = int(m["y"]) if m["y"] else (_two_digit_year(yy) if yy else None)
        start = m.start()
        if pm is not None:  # "2025 Q4", "FY2025 Q4", "fiscal Q4"
            y0 = pm["y0"] or pm["fy"]
            if y is None or not y0:
                start = pm.start()
                y = int(y0) if y is None and y0 else y
        yield from _cand(start, m.end(), lambda t: _part_period(t, kind, n, y, pub))

    return handler


def _rel_year(rel: str | None, pub: date | None) -> tuple[bool, int | None]:
    """(is relative, year) for "this/last/next/the (current) year"."""
    if rel is None:
        return False, None
    word = rel.lower().split()[-1]
    if pub is None:
        return True, None
    return True, pub.year + {"this": 0, "the": 0, "current": 0, "last": -1, "next": 1}[word]


def _h_qword(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    kind = m["kind"].lower()
    ordinal = m["ord"].lower()
    n = _ORDINALS[ordinal]
    y0 = _pre(pm, "y0") or _pre(pm, "fy")
    explicit = m["y"] or m["yy"] or y0
    if n == 0:  # "last/final quarter"
        if ordinal == "last" and not explicit and not m["rel"]:
            return  # "last quarter" is the previous quarter: the relative rule has it
        n = 4 if kind == "quarter" else 2
    if kind == "half" and n > 2:
        return
    is_rel, y = _rel_year(m["rel"], pub)
    if explicit:
        y = int(m["y"] or y0) if (m["y"] or y0) else _two_digit_year(m["yy"])
    start = m.start()
    if pm is not None:  # keep "fiscal 2026 first quarter" and "2026 first half" whole
        start = pm.start()

    def period(t: str) -> Period:
        if is_rel and y is None:  # "first half of this year" without a date: month known only
            first = 3 * n - 2 if kind == "quarter" else 6 * n - 5
            return Period(text=t, granularity=kind, month=first)  # type: ignore[arg-type]
        return _part_period(t, kind, n, y, pub)

    yield from _cand(start, m.end(), period)


def _year_part_range(
    text: str, first: int, last: int, year: int | None, pub: date | None
) -> Period:
    """Months ``first``..``last`` of a year ("Q1-Q3 2025", "first nine months of 2025")."""

    def window(y: int) -> tuple[date, date]:
        return date(y, first, 1), _month_end(y, last)

    if year is None and pub is not None:
        year = _closest_years(pub, window)[0][0]
    if year is None:
        return _yearless_range(text, *window(2001))
    return _span(text, "range", *window(year))


def _h_qrange(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    n1, n2 = int(m["n1"]), int(m["n2"])
    if n2 <= n1:
        return
    yy = m["yy"]
    y = int(m["y"]) if m["y"] else (_two_digit_year(yy) if yy else None)
    yield from _cand(m.start(), m.end(), lambda t: _year_part_range(t, 3 * n1 - 2, 3 * n2, y, pub))


def _h_first_n(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUM_WORDS[raw]
    months = n * 3 if m["unit"].lower() == "quarters" else n
    if not 1 < months < 12:
        return  # "first 12 months" of a product's life, not a part of a year
    is_rel, y = _rel_year(m["rel"], pub)
    if m["y"]:
        y = int(m["y"])
    # "the final three months of 2025" ends the year; "the last three months" alone is
    # the stretch before publication, which the relative rule reads
    first = 1 if m["edge"].lower() == "first" else 13 - months
    if first > 1 and not (m["y"] or m["rel"]):
        return

    def period(t: str) -> Period:
        if is_rel and y is None:  # "of this year" without a publication date
            return _year_part_range(t, first, first + months - 1, None, None)
        return _year_part_range(t, first, first + months - 1, y, pub)

    yield from _cand(m.start(), m.end(), period)


def _year_end(text: str, y: int | None) -> Period:
    # A point in time, not the whole year: "by the end of 2026" is December 31.
    if y is None:
        return Period(text=text, granularity="day", month=12, day=31)
    return _day_period(text, date(y, 12, 31))


def _h_endof(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    def period(t: str) -> Period | None:
        if m["y"]:
            return _year_end(t, int(m["y"]))
        if m["m"]:
            mo = _month_num(m["m"])
            if m["my"]:
                return _day_period(t, _month_end(int(m["my"]), mo))
            if pub is None:
                last_day = calendar.monthrange(2001, mo)[1]
                return Period(text=t, granularity="day", month=mo, day=last_day)
            y = _closest_years(pub, lambda y: (_month_end(y, mo), _month_end(y, mo)))[0][0]
            return _day_period(t, _month_end(y, mo))
        return _year_end(t, _rel_year(m["rel"] or "this", pub)[1])

    yield from _cand(m.start(), m.end(), period)


def _h_yearend(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    raw = m["y"] or _pre(pm, "y0")
    y = int(raw) if raw else (pub.year if pub is not None else None)
    start = pm.start("y0") if pm is not None else m.start()
    yield from _cand(start, m.end(), lambda t: _year_end(t, y))


def _h_part_of_year(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    y = int(m["y"])
    a, b = _THIRDS_YEAR[m["w"].lower()]
    s, e = date(y, a, 1), _month_end(y, b)
    yield from _cand(m.start(), m.end(), lambda t: _span(t, "range", s, e))


def _h_today(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if pm is not None:
        return  # "USA Today", "the day before yesterday"
    back = 1 if m["w"].lower() == "yesterday" else 0

    def period(t: str) -> Period:
        if pub is None:
            return Period(text=t, granularity="day")
        return _day_period(t, pub - timedelta(days=back))

    yield from _cand(m.start(), m.end(), period)


def _calendar_unit(unit: str, pub: date, shift: int) -> tuple[date, date]:
    if unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=shift)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        first = add_months(pub.replace(day=1), shift)
        return first, _month_end(first.year, first.month)
    if unit == "quarter":
        q0 = (pub.year * 4 + (pub.month - 1) // 3) + shift
        return _quarter_window(q0 // 4, q0 % 4 + 1)
    return _year_window(pub.year + shift)


_REL_SHIFT = {
    "last": -1, "previous": -1, "prior": -1, "this": 0, "current": 0, "next": 1, "coming": 1,
}  # fmt: skip


def _h_rel(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    trailing = rel == "past" or (rel == "last" and pm is not None and unit != "quarter")

    def period(t: str) -> Period:
        if trailing:  # a trailing window ending at publication, not a calendar unit
            if unit == "week":
                if pub is None:
                    return Period(text=t, granularity="days", length_days=7)
                return _span(t, "days", pub - timedelta(days=6), pub, length_days=7)
            if pub is None:
                return Period(text=t, granularity="range")
            months = {"month": 1, "quarter": 3, "year": 12}[unit]
            return _span(t, "range", add_months(pub, -months) + timedelta(days=1), pub)
        if pub is None:
            return Period(text=t, granularity=unit)  # type: ignore[arg-type]
        s, e = _calendar_unit(unit, pub, _REL_SHIFT[rel])
        extra = {"month": s.month} if unit in ("month", "quarter") else {}
        return _span(t, unit, s, e, **extra)

    yield from _cand(m.start(), m.end(), period)


def _h_week_tally(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    def period(t: str) -> Period:
        if pub is None:
            return Period(text=t, granularity="week")
        s, e = _calendar_unit("week", pub, 0)
        return _span(t, "week", s, e)

    yield from _cand(m.start(), m.end(), period)


def _h_ytd(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    def period(t: str) -> Period:
        if pub is None:
            return Period(text=t, granularity="ytd")
        return _span(t, "ytd", date(pub.year, 1, 1), pub)

    yield from _cand(m.start(), m.end(), period)


# "For the day:", "For the week:", "For the year:", "Year to date:": a line that is nothing
# but a span of time and a colon heads the lines under it, as a wire's market summary sets
# out its moves (an index "has shed 9.7 percent" under "For the year:" is the year so far).
_PERIOD_HEADER = _c(
    r"\s*(?:(?i:for|in)\s+the\s+(?P<unit>(?i:day|session|week|month|quarter|year))"
    r"|(?P<todate>(?i:week|month|quarter|year))[-\s](?i:to)[-\s](?i:date))\s*:\s*"
)


def period_header(text: str, pub: date | None) -> Period | None:
    """The span of time a line that is nothing but one and a colon heads, or None: the
    publication day, or its week, month or quarter so far, or its year to date."""
    m = _PERIOD_HEADER.fullmatch(text)
    if m is None:
        return None
    unit = (m["unit"] or m["todate"]).lower()
    label = text.strip().rstrip(":").rstrip()
    if unit in ("day", "session"):
        return _span(label, "day", pub, pub) if pub is not None else Period(text=label, granularity="day")
    if unit == "year":
        return _span(label, "ytd", date(pub.year, 1, 1), pub) if pub is not None else Period(text=label, granularity="ytd")
    if pub is None:
        return Period(text=label, granularity=unit)  # type: ignore[arg-type]
    start, _ = _calendar_unit(unit, pub, 0)
    return _span(label, unit, start, pub)


def _h_year_tally(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    if pm is not None:
        yield from _h_ytd(m, None, pub)


def _h_window(m: re.Match[str], pm: Pre, pub: date | None) -> Iterator[Cand]:
    unit = m["unit"].lower().rstrip("s")
    hyphen = "-" in m["sep"]
    prep, past = (_pre(pm, "prep") or "").lower(), _pre(pm, "past")
    if hyphen:
        if unit not in ("day", "session") or prep or past:
            return  # "52-week high", "12-month target": a lookback or a horizon, not this window
    elif not (past or prep):
        return  # "two days later", "two days ago"
    elif not past and prep in ("in", "within") and unit in ("month", "year"):
        return  # "in two years" looks ahead
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUM_WORDS[raw]
    if not 1 <= n <= 400:
        return
    start = pm.start("past") if past else m.start()  # type: ignore[union-attr]
    # "up 57% in its first two days of trading": a window from a start the text names
    # elsewhere (a debut, a launch), of known length but not counted back from publication
    opening = past is not None and past.lower() in ("first", "opening", "initial")
    if opening and unit in ("month", "year"):
        return  # "the first 12 months" of a product's life: _FIRST_N reads a year's months

    def period(t: str) -> Period:
        if opening:
            return Period(text=t, granularity="days", length_days=n * 7 if unit == "week" else n)
        if unit in ("month", "year"):
            months = n * (12 if unit == "year" else 1)
            if pub is None:
                # "the last 12 months" of an undated article: a trailing year of unknown
                # end, as long as a calendar year (a leap year's extra day aside); a
                # stretch of months has no length in days to match a quarter's
                return Period(text=t, granularity="range", length_days=365 * (months // 12) if months % 12 == 0 else None)
            return _span(t, "range", add_months(pub, -months) + timedelta(days=1), pub)
        length = n * 7 if unit == "week" else n
        if pub is None:
            return Period(text=t, granularity="days", length_days=length)
        if unit == "session":
            # trading sessions skip weekends: walk back over weekdays from the last one
            end = pub
            while end.weekday() >= 5:
                end -= timedelta(days=1)
            s, left = end, n - 1
            while left:
                s -= timedelta(days=1)
                if s.weekday() < 5:
                    left -= 1
            return _span(t, "days", s, end, length_days=(end - s).days + 1)
        return _span(t, "days", pub - timedelta(days=length - 1), pub, length_days=length)

    yield from _cand(start, m.end(), period)


# Each rule: core regex, prefix regex (or None), pre-check keys that must all be present,
# handler. Prefix regexes are tried only where the core matched.
_RULES: tuple[tuple[re.Pattern[str], re.Pattern[str] | None, frozenset[str], Handler], ...] = tuple(
    (core, prefix, frozenset(needs), fn)
    for core, prefix, needs, fn in (
        (_ISO, None, {"year"}, _h_iso),
        (_DATE_MDY, _P_WEEKDAY, {"month", "digit"}, _h_date),
        (_DATE_DMY, _P_WEEKDAY, {"month", "digit"}, _h_date),
        (_RANGE_MD, _P_FROM, {"month", "digit"}, _h_range_md),
        (_RANGE_MONTH, _P_FROM, {"month"}, _h_range_month),
        (_MONTH_ONLY, _P_MONTH, {"month"}, _h_month_only),
        (_WD_RANGE, _P_FROM, {"weekday"}, _h_wd_range),
        (_WD_SINGLE, _P_LAST, {"weekday"}, _h_wd_single),
        (_YEAR_CTX, _P_YEAR, {"year"}, _h_year_ctx),
        (_YEAR_MODIFIER, None, {"year"}, _h_year_modifier),
        (_YEAR_RANGE, _P_FROM, {"year"}, _h_year_range),
        (_DECADE, None, {"decade"}, _h_decade),
        (_FISCAL, None, {"fiscal", "digit"}, _h_fiscal),
        (_FISCAL_AFTER, None, {"fiscal", "year"}, _h_fiscal_after),
        (_QCODE, _P_QWORD, {"code"}, _make_code_handler("quarter")),
        (_QCODE_DIGIT, None, {"code"}, _make_code_handler("quarter")),
        (_HCODE, _P_QWORD, {"code"}, _make_code_handler("half")),
        (_HCODE_DIGIT, None, {"code"}, _make_code_handler("half")),
        (_QRANGE, None, {"code"}, _h_qrange),
        (_FIRST_N, None, {"unit"}, _h_first_n),
        (_QWORD, _P_QWORD, {"part"}, _h_qword),
        (_ENDOF, None, {"end"}, _h_endof),
        (_YEAREND, _P_YEAREND, {"end"}, _h_yearend),
        (_END_DASH_YEAR, None, {"end", "year"}, _h_yearend),
        (_PART_OF_YEAR, None, {"year"}, _h_part_of_year),
        (_TODAY, _P_TODAY, {"today"}, _h_today),
        (_REL, _P_REL, {"unit"}, _h_rel),
        (_WEEK_TALLY, None, {"unit"}, _h_week_tally),
        (_YTD, None, {"ytd"}, _h_ytd),
        (_YEAR_TALLY, _P_YEAR_TALLY, {"digit", "unit"}, _h_year_tally),
        (_WINDOW, _P_WINDOW, {"window"}, _h_window),
    )
)


def _keys(text: str) -> set[str]:
    low = text.lower()
    keys = set()
    if _HAS_DIGIT.search(text):
        keys.add("digit")
        if _HAS_YEAR.search(text):
            keys.add("year")
        if _HAS_CODE.search(text):
            keys.add("code")
        if "fy" in low or "fiscal" in low or "financial" in low or "full" in low:
            keys.add("fiscal")
        if _HAS_DECADE.search(text):
            keys.add("decade")
    if _HAS_MONTH.search(text):
        keys.add("month")
    if "day" in low:
        keys.add("window")
        if _HAS_WEEKDAY.search(text):
            keys.add("weekday")
        if "today" in low or "yesterday" in low:
            keys.add("today")
    if "quarter" in low or "half" in low:
        keys.add("part")
    if "week" in low or "month" in low or "quarter" in low or "year" in low:
        keys.add("unit")
        keys.add("window")
    if "session" in low:
        keys.add("window")
    if "end" in low or "close" in low:
        keys.add("end")
    if "tonight" in low:
        keys.add("today")
    if "ytd" in low or "date" in low or "so far" in low or "since the" in low:
        keys.add("ytd")
    return keys


# After a month: the month names a futures or options contract, not the figure's time.
_CONTRACT_AFTER = _c(r"\s+(?i:delivery|settlement|contracts?|futures|expiry|expiration|options?)\b")


def find_periods(text: str, published: date | None) -> list[TimeMention]:
    """All time expressions in one sentence, left to right, non-overlapping (longest wins)."""
    keys = _keys(text)
    if not keys:
        return []
    cands: list[Cand] = []
    for core, prefix, needs, fn in _RULES:
        if needs <= keys:
            for m in core.finditer(text):
                pm = None
                if prefix is not None and m.start():
                    pm = prefix.search(text, max(0, m.start() - _LOOKBACK), m.start())
                    if pm is not None and pm.start() == pm.end():
                        pm = None  # an all-optional prefix matched nothing
                cands.extend(fn(m, pm, published))
    if not cands:
        return []
    # Longest first; among equals the leftmost, then the rule listed first.
    order = sorted(range(len(cands)), key=lambda i: (cands[i][0] - cands[i][1], cands[i][0], i))
    taken: list[tuple[int, int, Period]] = []
    for i in order:
        s, e, make = cands[i]
        if all(e <= ts or s >= te for ts, te, _ in taken):
            p = make(text[s:e])
            if p is not None and p.granularity == "month" and _CONTRACT_AFTER.match(text, e):
                continue  # "Brent for July delivery", "the March contract": a futures contract's name
            if p is not None:
                taken.append((s, e, p))
    taken.sort(key=lambda c: c[0])
    found = [_period_ended(text, s, e, p, published) for s, e, p in taken]
    # "the three months ended March 31" is one period, not "three months" and a day
    grown = [(t.start, t.end) for t, (s, _, _) in zip(found, taken) if t.start < s]
    return [t for t in found if not any(gs <= t.start < ge and (t.start, t.end) != (gs, ge) for gs, ge in grown)]


# "the quarter ended Oct. 31", "the three months ending June 30": a reporting period named
# by its last day, whatever the company's fiscal calendar.
_ENDED_BEFORE = _c(
    r"\b(?P<unit>(?i:quarter|three\s+months|3\s+months|half(?:[\s-]year)?|six\s+months|6\s+months|(?:fiscal\s+)?year|twelve\s+months|12\s+months))"
    r"\s+(?i:that\s+)?(?i:ended|ending|ends|through|to)\s+(?i:on\s+)?\Z"
)
_ENDED_PAST = _c(r"(?i:\bended\b)")
# "the March quarter", "the December-quarter result": Australian and New Zealand reports
# name a quarter by the month it ends in
_MONTH_QUARTER_AFTER = _c(r"\A[\s-]+(?i:quarter)\b")
_ENDED_MONTHS = {"quarter": 3, "three months": 3, "3 months": 3, "half": 6, "half year": 6, "half-year": 6, "six months": 6, "6 months": 6,
                 "year": 12, "fiscal year": 12, "twelve months": 12, "12 months": 12}


def _window_start(end: date, months: int) -> date:
    """The first day of the `months` that end on `end`: a month's last day closes whole
    months ("the quarter ended June 30" is April 1 to June 30, not from March 31); any
    other day closes a window of the same length ("ended August 2" starts May 3)."""
    if (end + timedelta(days=1)).day == 1:
        return add_months(date(end.year, end.month, 1), -(months - 1))
    return add_months(end, -months) + timedelta(days=1)


def _period_ended(text: str, s: int, e: int, p: Period, published: date | None = None) -> TimeMention:
    if p.granularity == "month" and p.end is not None and (after := _MONTH_QUARTER_AFTER.match(text[e : e + 12])):
        end = e + after.end()
        first = _window_start(p.end, 3)
        return TimeMention(text=text[s:end], start=s, end=end, period=_span(text[s:end], "quarter", first, p.end))
    yearless = p.end is None and p.granularity == "day" and p.month is not None and p.day is not None
    m = _ENDED_BEFORE.search(text, max(0, s - 40), s) if p.granularity in ("day", "month") and (p.end is not None or yearless) else None
    if m is None:
        return TimeMention(text=text[s:e], start=s, end=e, period=p)
    months = _ENDED_MONTHS[" ".join(m["unit"].lower().split())]
    if yearless:
        # "the quarter ended Sept. 25" in a text that gives no year: the same window, placed
        # in no year (a sample year gives its first day)
        last = safe_date(2001, p.month, p.day)  # type: ignore[arg-type]
        if last is None:
            return TimeMention(text=text[s:e], start=s, end=e, period=p)
        first = _window_start(last, months)
        granularity = {3: "quarter", 6: "half", 12: "range"}[months]
        period = Period(text=text[m.start() : e], granularity=granularity, month=first.month, day=first.day, length_days=(last - first).days + 1)  # type: ignore[arg-type]
        return TimeMention(text=text[m.start() : e], start=m.start(), end=e, period=period)
    last = p.end
    if published is not None and last > published and _ENDED_PAST.search(m.group(0)) and not _HAS_YEAR.search(text, s, e):
        # "the quarter ended March 31" has ended: the last such day by publication, though
        # the nearest one (placed for a day alone) may be next year's
        last = _month_end(last.year - 1, last.month) if last == _month_end(last.year, last.month) else safe_date(last.year - 1, last.month, last.day) or last
    first = _window_start(last, months)
    granularity = {3: "quarter", 6: "half", 12: "range"}[months]
    return TimeMention(text=text[m.start() : e], start=m.start(), end=e, period=_span(text[m.start() : e], granularity, first, last))


_QUARTER_WORDS = _c(r"(?i:\b(?:q[1-4](?=\b|fy)|(?:first|second|third|fourth|1st|2nd|3rd|4th)\b))")
# A fiscal year written with its number ("Q4FY26", "Q3 fiscal 2025", "the fourth quarter of
# FY2026"): the quarter is that year's, not the latest one before publication.
_FISCAL_YEAR_NAMED = _c(
    r"(?i:\bfy\s?['’]?\d\d(?:\d\d)?\b|(?<=\d)fy\s?\d\d(?:\d\d)?\b|\b(?:fiscal|financial)\s+(?:year\s+)?(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d(?:[-–/]['’]?\d\d)?\s+(?:fiscal|financial)\s+year\b)"
)
_FISCAL_WORDS = _c(r"(?i:\bfiscal\b|\bfy\s?\d)")
# "2020-21", "2022/23", "FY22-23": a year that straddles two calendar ones
_SPLIT_YEAR = _c(r"(?:(?:\b|(?<=FY))(?P<y1>(?:19|20)\d\d)|(?i:\bFY)\s?['’]?(?P<yy1>\d\d))[-–/]['’]?(?P<y2>\d\d)\b")


def _split_first(split: re.Match[str]) -> int:
    """The first calendar year of a split year, written in full or in two digits after FY."""
    return int(split["y1"]) if split["y1"] else _two_digit_year(split["yy1"])


_WRITTEN_YEAR = _c(r"\b(?:19|20)\d\d\b")
_ENDPOINT_WORDS = _c(r"(?i:\bend(?:ed|ing|s)?\b|\bthrough\b|\bthru\b)")


def fiscal_without_year(p: Period) -> bool:
    """"the fiscal fourth quarter", "fiscal Q4": a fiscal part with no year written, which
    only the company's calendar places."""
    return _FISCAL_WORDS.search(p.text) is not None and not (_WRITTEN_YEAR.search(p.text) or _FISCAL_YEAR_NAMED.search(p.text))


def fiscal_period(p: Period, fy_end_month: int, published: date | None) -> Period:
    """A company's "third quarter" or "fiscal 2023" on its own fiscal calendar, whose year
    ends in `fy_end_month`: Walmart's third quarter runs August to October. A period named
    by its dates ("the quarter ended Oct. 31", "July through September") stays as written."""
    if _ENDPOINT_WORDS.search(p.text) or _HAS_MONTH.search(p.text):
        return p
    if p.start is None and p.granularity == "quarter" and p.month is not None and _QUARTER_WORDS.search(p.text):
        # a quarter the text gives no year for is still the company's fiscal one: Walmart's
        # "third quarter" is August to October, whichever year
        n = (p.month - 1) // 3 + 1
        return p.model_copy(update={"month": (fy_end_month + 3 * (n - 1)) % 12 + 1})
    if p.start is None or p.end is None:
        return p
    split = _SPLIT_YEAR.search(p.text)
    if split is not None and int(split["y2"]) != (_split_first(split) + 1) % 100:
        split = None  # "2019-21" is a span of years, not one fiscal year
    if p.granularity == "quarter" and _QUARTER_WORDS.search(p.text):
        n = (p.start.month - 1) // 3 + 1
        end_month = (fy_end_month + 3 * n - 1) % 12 + 1
        ends = [_month_end(y, end_month) for y in (p.end.year - 1, p.end.year, p.end.year + 1)]
        if _FISCAL_YEAR_NAMED.search(p.text) or split is not None:
            # the year written is the fiscal year's, which ends in fy_end_month of it ("the
            # first quarter of 2020-21": of the year that ends in 2021)
            fiscal_year = _split_first(split) + 1 if split is not None else p.end.year
            end = add_months(_month_end(fiscal_year, fy_end_month), -3 * (4 - n))
            end = _month_end(end.year, end.month)
        elif published is None or _WRITTEN_YEAR.search(p.text):
            # "the third quarter of 2025": the company's quarter nearest that calendar one
            end = min(ends, key=lambda d: abs((d - p.end).days))
        else:
            # the latest such quarter that has ended, or is about to: news writes of it then
            end = max((d for d in ends if d <= published + timedelta(days=31)), default=ends[0])
        return _span(p.text, "quarter", _window_start(end, 3), end)
    if p.granularity == "range" and split is not None and (split.group(0) == p.text.strip() or _FISCAL_YEAR_NAMED.search(p.text)):
        # "2022-23" in a story on a company or economy whose year ends in March: one fiscal year
        end = _month_end(_split_first(split) + 1, fy_end_month)
        return _span(p.text, "range", _window_start(end, 12), end)
    if p.granularity == "year" and (_FISCAL_WORDS.search(p.text) or _FISCAL_YEAR_NAMED.search(p.text)):
        # "fiscal 2023" ends in 2023; "the financial year 2022-23" in 2023 too
        late = split is not None and fy_end_month < 12
        end = _month_end(p.start.year + late, fy_end_month)
        return _span(p.text, "range", _window_start(end, 12), end)
    return p


# A part of a year written with its year or a word that places it ("fiscal 2025", "this
# quarter", "next year's first half"): where it falls is said, not guessed.
_PLACED_PART = _c(r"(?i:\d|\b(?:this|next|last|current|coming|previous|prior|past|following|year-ago)\b)")
# "the last two months of the year", "the first half of the year": an edge of the year,
# not a word that places it
_EDGE_OF_YEAR = _c(r"(?i:\b(?:first|last|final)\s+(?:\w+\s+)?(?:months|quarters|weeks|half|quarter)\s+of\s+the\s+year\b)")
# "at the end of the year", "by the close of March", "at year-end": a day a past tense
# reports on has come, as a part of the year does
_END_OF_PART = _c(r"(?i:\b(?:end|close)[\s-]of\b|\byear[\s-]end\b)")


def _months_of_no_year(p: Period) -> bool:
    """A range of whole months within a year, placed by the nearest-window rule."""
    return (
        p.granularity == "range" and p.start is not None and p.end is not None and p.start.day == 1
        and p.end == _month_end(p.end.year, p.end.month) and (p.end - p.start).days < 366
    )


# "the year to March", "the six months through June 30": a window named by its last day
_NAMED_BY_END = _c(r"(?i:\b(?:to|through|thru|ended)\s+(?:the\s+end\s+of\s+)?)" + _MONTH)


def reported_part(p: Period, published: date | None, over: bool = False) -> Period:
    """A year-less quarter, half or month that a past-tense verb reports on, as the latest
    one that has begun by publication: "revenue in the third quarter rose 38%" in a May
    article is last year's third quarter, and "sales rose 0.7% in August" in a June article
    last August, though this year's are nearer. The nearest-window rule that placed them
    holds for the future tense ("expects growth in the third quarter"). So with a span of
    whole months the text gives no year ("from July through September", "January-March"),
    an edge of the year ("the last two months of the year") and a year's or a month's
    end ("at the end of the year", "at the end of March"). `over`: the verb is in a past
    tense, so a window named by its last day ("profit in the year to March rose 8%") has
    ended by publication."""
    if (
        over and published is not None and p.end is not None and p.start is not None and p.end > published
        and _NAMED_BY_END.search(p.text) and not _HAS_YEAR.search(p.text) and (p.end - p.start).days < 366
    ):
        return _a_year_before(p)
    if (
        published is None
        or p.start is None
        or p.end is None
        or not (p.granularity in ("quarter", "half", "month") or _months_of_no_year(p) or p.granularity == "day" and _END_OF_PART.search(p.text))
        or p.start <= published
        or _PLACED_PART.search(_EDGE_OF_YEAR.sub("of the year", p.text))
    ):
        return p
    return _a_year_before(p)


def _a_year_before(p: Period) -> Period:
    """The same span of whole months, or the same month's last day, a year earlier (the
    callers pass only those, with both ends known)."""
    return p.model_copy(update={
        "start": add_months(p.start, -12), "end": _month_end(p.end.year - 1, p.end.month), "year": p.year - 1 if p.year else None,
    })


# ------------------------------------------------------------------------------- relate


def window(p: Period) -> tuple[date, date] | None:
    return (p.start, p.end) if p.start is not None and p.end is not None else None


_window = window


def _weekday_set(p: Period) -> frozenset[int] | None:
    w = _window(p)
    if w is not None:
        return frozenset(_weekdays_in(*w))
    return frozenset(p.weekdays) if p.weekdays else None


def annual_window(p: Period, y: int) -> tuple[date, date] | None:
    """Where a year-less period (month known, year not) falls in year ``y``."""
    assert p.month is not None
    s = safe_date(y, p.month, p.day or 1)
    if s is None:
        return None
    g = p.granularity
    if g == "day":
        return s, s
    if g == "month":
        return s, _month_end(y, p.month)
    if g == "quarter":
        return s, add_months(s, 3) - timedelta(days=1)
    if g == "half":
        return s, add_months(s, 6) - timedelta(days=1)
    if p.length_days:
        return s, s + timedelta(days=p.length_days - 1)
    return None


_annual_window = annual_window


def a_period_back(p: Period, step: str, text: str) -> Period | None:
    """The same window a year, quarter or month before `p` ("compared with $520 million a
    year earlier" in a sentence about the third quarter of 2025: that quarter of 2024), named
    `text`. None where `p` has no dates or is no window of the step ("the previous quarter"
    of a year)."""
    if p.start is None or p.end is None:
        return None
    months = {"year": 12, "quarter": 3, "month": 1}[step]
    if step == "quarter" and p.granularity != "quarter" or step == "month" and p.granularity != "month":
        return None
    start = add_months(p.start, -months)
    end = add_months(p.end + timedelta(days=1), -months) - timedelta(days=1)  # to the month's last day
    return Period(text=text, granularity=p.granularity, start=start, end=end, year=start.year if start.year == end.year else None)


def placed_in_year(p: Period, published: date) -> Period | None:
    """A year-less period ("December", "July 2", "the second quarter") put in the year
    nearest `published`, as one written in an article of that date is placed
    (`_closest_years`; a stated weekday picks the year where it can). None when the
    period has a year already or no place in one."""
    if not _yearless(p) or not _has_annual_window(p):
        return None
    cands = _closest_years(published, lambda y: annual_window(p, y))
    if not cands:
        return None
    y, (s, e) = cands[0]
    if p.weekdays and p.granularity == "day":
        y, (s, e) = next(((cy, w) for cy, w in cands if w[0].weekday() == p.weekdays[0]), (y, (s, e)))
    return p.model_copy(update={"start": s, "end": e, "year": y if s.year == e.year else None})


def _yearless(p: Period) -> bool:
    return p.start is None and p.month is not None


def _has_annual_window(p: Period) -> bool:
    """A year-less period whose place in a year is known (else nothing can be concluded)."""
    return p.granularity in ("day", "month", "quarter", "half") or bool(p.length_days)


def _length_only(p: Period) -> bool:
    return p.start is None and p.month is None and not p.weekdays and bool(p.length_days)


def _length(p: Period) -> int | None:
    w = _window(p)
    if w is not None:
        return (w[1] - w[0]).days + 1
    if p.length_days:
        return p.length_days
    if p.weekdays:
        return len(p.weekdays)
    if p.month is not None:
        aw = _annual_window(p, 2001)
        return (aw[1] - aw[0]).days + 1 if aw else None
    return None


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _compare_windows(a: tuple[date, date], b: tuple[date, date]) -> Relation:
    if a == b:
        return Relation.SAME
    return Relation.OVERLAP if _overlaps(a, b) else Relation.DISJOINT


def _relate_resolved(r: Period, u: Period) -> Relation:
    rw = _window(r)
    assert rw is not None
    if _yearless(u):
        if not _has_annual_window(u):
            return Relation.UNKNOWN
        # DISJOINT unless some year puts u on or inside r (or u has no Feb 29 there)
        return _across_years(u, rw, range(rw[0].year - 1, rw[1].year + 1))
    if u.weekdays:
        if frozenset(u.weekdays) == _weekday_set(r) and _length(u) == _length(r):
            return Relation.COMPATIBLE
        return Relation.OVERLAP
    if _length_only(u):
        return Relation.COMPATIBLE if u.length_days == _length(r) else Relation.OVERLAP
    return Relation.UNKNOWN


def _across_years(yearless: Period, window: tuple[date, date], years) -> Relation:
    """How a year-less period ("July 1", "Q3") relates to a calendar window, trying it in
    each of `years`: the same window in one of them is COMPATIBLE, an overlap OVERLAP."""
    result = Relation.DISJOINT
    for y in years:
        w = _annual_window(yearless, y)
        if w is None:
            continue
        if w == window:
            return Relation.COMPATIBLE
        if _overlaps(w, window):
            result = Relation.OVERLAP
    return result


def _relate_unresolved(a: Period, b: Period) -> Relation:
    if _yearless(a) and _yearless(b):
        aw = _annual_window(a, 2000)  # a leap year, so "February 29" has a place
        if aw is None or not _has_annual_window(b):
            return Relation.UNKNOWN
        return _across_years(b, aw, (1999, 2000, 2001))  # neighbours catch windows that wrap the new year
    if a.weekdays and b.weekdays and not _yearless(a) and not _yearless(b):
        return Relation.COMPATIBLE if set(a.weekdays) == set(b.weekdays) else Relation.OVERLAP
    if _length_only(a) or _length_only(b):
        la, lb = _length(a), _length(b)
        if la is None or lb is None:
            return Relation.UNKNOWN
        # unknown dates: never SAME; equal windows are at best compatible
        return Relation.COMPATIBLE if la == lb else Relation.OVERLAP
    return Relation.UNKNOWN


def relate(a: Period | None, b: Period | None) -> Relation:
    """How the times of two figures relate; DISJOINT means they cannot be about the same time."""
    if a is None or b is None:
        return Relation.UNKNOWN
    wa, wb = _window(a), _window(b)
    if wa is not None and wb is not None:
        if a.granularity == b.granularity == "ytd" and wa[1] != wb[1]:
            # A change so far this year is as of its last day, as a close is: "up 14% this
            # year" at the end of July and "up 18% this year" a week later are two figures.
            return Relation.DISJOINT
        return _compare_windows(wa, wb)
    sa, sb = _weekday_set(a), _weekday_set(b)
    if sa is not None and sb is not None and not (sa & sb):
        return Relation.DISJOINT  # no day can be both a Wednesday and a Thursday
    if wa is not None:
        return _relate_resolved(a, b)
    if wb is not None:
        return _relate_resolved(b, a)
    return _relate_unresolved(a, b)


def nearly_one_window(a: Period, b: Period, share: float = 0.9) -> bool:
    """Two windows that overlap on at least `share` of the longer one: one period named
    two ways ("the quarter ended Sept. 27" on a 52-week calendar, "the third quarter" on
    the calendar months; "in 2022" and "over the last 12 months" written on January 3). A
    window the text gives no year for is placed in the other's year."""
    year = next((p.start.year for p in (a, b) if p.start is not None), 2001)
    wa, wb = _placed_in(a, year), _placed_in(b, year)
    if wa is None or wb is None:
        return False
    overlap = (min(wa[1], wb[1]) - max(wa[0], wb[0])).days + 1
    longer = max((wa[1] - wa[0]).days, (wb[1] - wb[0]).days) + 1
    return overlap >= share * longer


def _placed_in(p: Period, year: int) -> tuple[date, date] | None:
    if p.start is not None and p.end is not None:
        return p.start, p.end
    return annual_window(p, year) if p.month is not None else None
