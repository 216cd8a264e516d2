"""A synthetic news archive with planted conflicts, for benchmarks at any size.

    python bench/generate.py OUT_DIR --n 1000 --seed 7 [--conflict-rate 0.3]

writes ``N`` markdown articles (front matter with ``title``, ``date`` and ``source``) and
``OUT_DIR/expected.yaml``, the gold in the format of ``corpus/expected.yaml``: ``conflicts``
that must be reported (with the least acceptable severity) and ``clean`` pairs that must not
be reported as errors, each as ``[file A, snippet A, file B, snippet B]``.

The archive is many small stories, like a real one: each story is about one fictional
company on one trading day and is covered by two to five outlets, so a (subject, metric)
block stays small however large the archive grows. A story is one of four kinds
(earnings, takeover, lease, market move); every outlet restates its figures in its own
words (rounded, "about", per cent or %, month or year, dollars or euros, "on Wednesday",
"on July 1" or "yesterday"). Each story also carries traps that must not be reported: the
same company on another day or in another quarter, a rival on the same day, a target's
figures next to its buyer's.

With probability ``conflict_rate`` one outlet of a story gets one planted conflict, of a
kind drawn uniformly from:

=========  ==========================================================  ========
kind       what the outlet writes                                      severity
=========  ==========================================================  ========
scale      the figure a factor of 10 or 1,000 off ($2.41bn -> $241m)    error
value      a different figure (revenue, deal value, rent) 30-50% off   error
direction  "rose 4.31%" where the others say "fell 4.31%"              error
rounding   "4%" where the others say "4.31%" (not a restatement)       warning
window     the two-day move where the others give one day's           warning
=========  ==========================================================  ========

Everything is drawn from one ``random.Random(seed)``: the same ``--n`` and ``--seed`` give
byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONFLICT_KINDS = ("scale", "value", "direction", "rounding", "window")
SEVERITY = {"scale": "error", "value": "error", "direction": "error", "rounding": "warning", "window": "warning"}
STORY_KINDS = ("earnings", "takeover", "lease", "markets")

# --- names -----------------------------------------------------------------------------

_ONSETS = (
    "Al", "Bel", "Bren", "Cal", "Cor", "Dal", "Dren", "El", "Fal", "Fen", "Gar", "Hal", "Hes", "Ist",
    "Jor", "Kal", "Kes", "Lan", "Lor", "Mar", "Mer", "Nor", "Nyl", "Or", "Pel", "Quen", "Ral", "Ren",
    "Sal", "Sker", "Tal", "Tor", "Ul", "Val", "Ves", "Wen", "Yar", "Zel", "Brak", "Thorn", "Ash", "Cre",
)  # fmt: skip
_MIDDLES = ("", "a", "e", "i", "o", "")
_CODAS = (
    "vane", "dor", "wick", "mere", "ton", "vik", "stad", "holt", "ric", "mont", "vale", "bury", "ford",
    "gate", "lund", "nor", "ris", "sley", "thal", "wyn", "more", "dell", "ssen", "brook", "crest",
)  # fmt: skip
_SECTORS = (
    ("Motors", "carmaker"), ("Cloud", "cloud provider"), ("Energy", "utility"), ("Semiconductor", "chipmaker"),
    ("Logistics", "logistics group"), ("Pharma", "drugmaker"), ("Foods", "food producer"), ("Retail", "retailer"),
    ("Mining", "miner"), ("Airlines", "airline"), ("Telecom", "telecoms operator"), ("Biotech", "biotech firm"),
    ("Steel", "steelmaker"), ("Shipping", "shipping line"), ("Software", "software maker"), ("Robotics", "robot maker"),
    ("Networks", "network operator"), ("Materials", "materials group"), ("Devices", "device maker"), ("Brewing", "brewer"),
)  # fmt: skip
_EXCHANGES = ("NYSE", "NASDAQ", "LSE", "TSX", "Euronext", "OSLO", "SIX", "XETRA")
_CITIES = (
    "Austin", "Denver", "Rotterdam", "Oslo", "Leeds", "Lyon", "Calgary", "Porto", "Gothenburg", "Turin",
    "Phoenix", "Dublin", "Bremen", "Tampere", "Raleigh", "Bilbao", "Graz", "Aarhus", "Utrecht", "Tucson",
)  # fmt: skip
_OUTLETS = (
    "Harbour Street Journal", "The Ledger Wire", "Meridian Business News", "Northgate Financial Post",
    "Capital Desk", "The Market Courier", "Bayline Business", "Atlas Finance Daily", "The Exchange Review",
    "Copperfield Wire", "Granite Business Times", "Lowland Markets", "The Trading Floor", "Sterling Herald",
    "Pacific Ledger", "Continental Business Daily", "The Quarterly Observer", "Westbrook Financial",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
_ORDINAL_Q = ("first", "second", "third", "fourth")

# Words that must never be a generated ticker: currency codes, common acronyms.
_BAD_TICKERS = {"CEO", "CFO", "USD", "EUR", "GBP", "NOK", "SEK", "ETF", "IPO", "GDP", "ARR", "CPI", "EBIT", "NYSE"}


@dataclass(frozen=True)
class Company:
    name: str
    stem: str
    ticker: str
    exchange: str
    noun: str  # "carmaker"
    city: str


def _stems() -> list[str]:
    stems = {
        onset + middle + coda
        for onset in _ONSETS
        for middle in _MIDDLES[:4]
        for coda in _CODAS
    }
    return sorted(stem for stem in stems if len(stem) >= 5)


class _Names:
    """Fresh fictional companies: no (stem, sector) pair and no ticker is used twice, so
    every story has its own companies; a stem recurs only with another sector ("Garibrook
    Retail", "Garibrook Mining"), never inside one story."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.stems = _stems()
        self.used: set[tuple[str, str]] = set()
        self.tickers: set[str] = set()
        self.round = 0

    def company(self, avoid: set[str] = frozenset()) -> Company:
        rng = self.rng
        misses = 0
        while True:
            stem = rng.choice(self.stems)
            sector, noun = rng.choice(_SECTORS)
            if stem not in avoid and (stem, sector) not in self.used:
                break
            misses += 1
            if misses == 500:
                # Near 80,000 companies the (stem, sector) pairs run out: lengthen every
                # stem by a syllable ("Garibrook" -> "Garibrookton"), a name no earlier
                # one starts a word of. Archives small enough never to get here keep
                # their draws, so they stay byte-identical.
                self.round += 1
                self.stems = [s + _CODAS[(self.round * 7) % len(_CODAS)] for s in _stems()]
                misses = 0
        self.used.add((stem, sector))
        letters = [c for c in (stem + sector).upper() if c.isalpha()]
        ticker = ""
        tries = 0
        while not ticker or ticker in self.tickers or ticker in _BAD_TICKERS:
            tries += 1
            if tries > 200:  # the name's own letters are used up (a huge archive): any letters
                letters = letters[:1] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
            ticker = letters[0] + "".join(rng.choice(letters[1:]) for _ in range(3))
        self.tickers.add(ticker)
        return Company(f"{stem} {sector}", stem, ticker, rng.choice(_EXCHANGES), noun, rng.choice(_CITIES))


# --- figures as written ----------------------------------------------------------------


def _pct(value: float, decimals: int, british: bool = False) -> str:
    text = f"{value:.{decimals}f}"
    return f"{text} per cent" if british else f"{text}%"


def _money(value: float, currency: str, style: int) -> str:
    """value in units of the currency -> "$2.41 billion", "$2.41bn", "€2,410 million"..."""
    sym = {"USD": "$", "EUR": "€", "GBP": "£"}[currency]
    if value >= 1e9:
        scale, word, short = 1e9, "billion", "bn"
    else:
        scale, word, short = 1e6, "million", "m"
    num = value / scale
    text = f"{num:.2f}".rstrip("0").rstrip(".")
    if style == 0:
        return f"{sym}{text} {word}"
    if style == 1:
        return f"{sym}{text}{short}"
    if style == 2 and scale == 1e9:
        return f"{sym}{value / 1e6:,.0f} million"
    if style == 3 and currency == "USD":
        return f"US${text} {word}"
    return f"{sym}{text} {word}"


def _round_sig(value: float, digits: int = 3) -> float:
    from math import floor, log10

    if value == 0:
        return 0.0
    return round(value, -int(floor(log10(abs(value)))) + digits - 1)


# --- stories ---------------------------------------------------------------------------


@dataclass
class Line:
    """One sentence of an article, and the snippet that identifies a figure in it."""

    text: str
    fact: str | None = None  # which story fact it states ("move1", "revenue", ...)
    snippet: str | None = None


@dataclass
class Article:
    file: str
    published: dt.date
    outlet: str
    title: str
    paragraphs: list[list[Line]] = field(default_factory=list)


@dataclass
class Story:
    index: int
    kind: str
    company: Company
    rival: Company
    target: Company | None
    day: dt.date  # the trading day of the news
    facts: dict[str, float]
    conflict: str | None = None
    conflict_outlet: int = -1


def _trading_day(rng: random.Random) -> dt.date:
    start = dt.date(2024, 1, 2)
    while True:
        day = start + dt.timedelta(days=rng.randrange(0, 2 * 365 + 300))
        if day.weekday() < 4:  # Monday..Thursday: the next day is a trading day too
            return day


def _day_phrase(rng: random.Random, day: dt.date, published: dt.date) -> str:
    if published == day:
        return rng.choice((f"on {_WEEKDAYS[day.weekday()]}", f"on {_MONTHS[day.month - 1]} {day.day}", f"on {_WEEKDAYS[day.weekday()]}"))
    return rng.choice(("yesterday", f"on {_WEEKDAYS[day.weekday()]}", f"on {_MONTHS[day.month - 1]} {day.day}"))


_UP = ("rose", "gained", "climbed", "jumped", "advanced", "rallied")
_DOWN = ("fell", "dropped", "slid", "declined", "tumbled", "lost")


class _Writer:
    """Renders one article of a story; `plant` is the conflict this outlet carries, if any."""

    def __init__(self, rng: random.Random, story: Story, outlet: str, published: dt.date, plant: str | None, plant_fact: str | None):
        self.rng, self.s, self.outlet, self.published = rng, story, outlet, published
        self._plant, self._plant_fact = plant, plant_fact
        self.british = rng.random() < 0.25
        self.day = _day_phrase(rng, story.day, published)
        self.next_day = story.day + dt.timedelta(days=1)

    def plant(self, fact: str) -> str | None:
        return self._plant if fact == self._plant_fact else None

    # figures -------------------------------------------------------------------------
    def move_text(self, value: float, precise: bool) -> str:
        # one decimal only where it is within 1% of the figure: "1.4%" for "1.38%" is a
        # rounding difference worth a note, "12.3%" for "12.29%" a plain restatement
        decimals = 2 if precise or abs(round(value, 1) - value) > 0.01 * value else 1
        return _pct(value, decimals, self.british)

    def verb(self, up: bool) -> str:
        return self.rng.choice(_UP if up else _DOWN)

    # sentences -----------------------------------------------------------------------
    def intro(self, variant: int) -> Line:
        """The lead, which introduces the company with its ticker; every outlet of a story
        words it differently (ingest drops short figure-free lines that recur in three or
        more files as site furniture)."""
        c, kind = self.s.company, self.s.kind
        who = f"{c.name} ({c.exchange}: {c.ticker})"
        what = {
            "earnings": ("published its quarterly results", "reported quarterly figures", "released its latest results"),
            "takeover": ("agreed to take over a smaller rival", "struck a deal to buy a competitor", "announced an all-cash acquisition"),
            "lease": (f"signed a long lease for a new site near {c.city}", f"agreed to rent a large campus outside {c.city}", "committed to a new leased facility"),
            "markets": ("was among the most traded stocks of the session", "swung sharply in busy trading", "drew heavy trading volume"),
        }[kind]
        leads = (
            f"{who} {what[0]}, and investors reacted quickly.",
            f"The {c.noun} {who} {what[1]}, sending its shares on a volatile ride.",
            f"{who}, the {c.city}-based {c.noun}, {what[2]}.",
            f"Investors in {who} had a busy day after the company {what[0]}.",
            f"{who} {what[1]}, according to a statement from the {c.noun}.",
            f"It was a day to remember for {who}, which {what[2]}.",
        )
        return Line(leads[variant % len(leads)])

    def move_line(self) -> Line:
        """The company's share move on the story's day (fact move1), maybe planted."""
        s, f, rng = self.s, self.s.facts, self.rng
        c = s.company
        up = f["up"] > 0
        value = f["move1"]
        precise = rng.random() < 0.6
        fact = "move1"
        plant = self.plant("move1")
        if plant == "direction":
            up = not up
        if plant == "value":
            value = round(value * self.s.facts["value_factor"], 2)
        if plant == "rounding":
            text = _pct(round(value), 0, self.british)
        elif plant == "window":
            text = self.move_text(f["move2day"], precise)
            fact = "move2day"
        else:
            text = self.move_text(value, precise)
        verb = self.verb(up)
        if fact == "move2day":
            d1, d2 = _WEEKDAYS[s.day.weekday()], _WEEKDAYS[self.next_day.weekday()]
            window = rng.choice((f"over {d1} and {d2}", "over the past two days", f"over {d1} and {d2}"))
            if self.published == s.day:
                window = f"over {d1} and {d2}"  # "the past two days" needs the second day to be over
            sentence = rng.choice((
                f"{c.name} shares {verb} {text} {window}.",
                f"{c.stem} stock {verb} {text} {window}, extending its slide.",
            ))
            return Line(sentence, fact, f"{verb} {text} {window}")
        price = f"${f['close']:.2f}"
        templates = [
            (f"{c.name} shares {verb} {text} {self.day} to close at {price}.", f"{verb} {text}"),
            (f"Shares of {c.stem} {verb} {text} {self.day}, closing at {price}.", f"{verb} {text}"),
            (f"{c.stem} stock {verb} {text} {self.day}.", f"{verb} {text}"),
            (f"{c.name} {verb} {text} {self.day} as traders digested the news.", f"{verb} {text}"),
        ]
        sentence, snippet = rng.choice(templates)
        return Line(sentence, fact, snippet)

    def next_day_line(self) -> Line:
        """A trap: the next day's move (another day, another figure)."""
        s, f = self.s, self.s.facts
        up = f["up2"] > 0
        text = _pct(f["move2"], 2, self.british)
        when = "today" if self.published == self.next_day else f"on {_WEEKDAYS[self.next_day.weekday()]}"
        if self.published == self.next_day:
            when = f"on {_WEEKDAYS[self.next_day.weekday()]}"
        verb = self.verb(up)
        if up == (f["up"] > 0):
            return Line(f"The stock {verb} another {text} {when}.", "move2", f"{verb} another {text}")
        return Line(f"{s.company.stem} shares {verb} {text} {when}.", "move2", f"{verb} {text}")

    def prev_day_line(self) -> Line:
        """A trap: the company's move on the trading day before the news."""
        s, f = self.s, self.s.facts
        prev = s.day - dt.timedelta(days=1 if s.day.weekday() else 3)
        verb = self.verb(f["up_prev"] > 0)
        text = _pct(f["move_prev"], 2, self.british)
        sentence = f"{s.company.stem} shares had {verb} {text} on {_WEEKDAYS[prev.weekday()]}, before the announcement."
        return Line(sentence, "move_prev", f"had {verb} {text}")

    def rival_line(self) -> Line:
        r, f = self.s.rival, self.s.facts
        verb = self.verb(f["rival_up"] > 0)
        text = _pct(f["rival_move"], 2, self.british)
        return Line(
            self.rng.choice((
                f"Shares of rival {r.name} ({r.exchange}: {r.ticker}) {verb} {text} {self.day}.",
                f"Elsewhere in the sector, {r.name} ({r.exchange}: {r.ticker}) {verb} {text} {self.day}.",
            )),
            "rival",
            f"{verb} {text}",
        )

    def revenue_line(self) -> Line:
        s, f, rng = self.s, self.s.facts, self.rng
        c = s.company
        value = f["revenue"]
        plant = self.plant("revenue")
        if plant == "scale":
            value = value / 10
        elif plant == "value":
            value = value * f["value_factor"]
        q = _ORDINAL_Q[int(f["quarter"]) - 1]
        qn = int(f["quarter"])
        year = int(f["quarter_year"])
        style = rng.randrange(3)
        amount = _money(_round_sig(value, 3), "USD", style)
        templates = [
            (f"{c.stem} reported revenue of {amount} for the {q} quarter of {year}.", f"revenue of {amount} for the {q} quarter"),
            (f"In Q{qn} {year}, {c.name} reported revenue of {amount}.", f"Q{qn} {year}, {c.name} reported revenue of {amount}"),
            (f"{c.name} said {q}-quarter revenue was {amount}.", f"{q}-quarter revenue was {amount}"),
            (f"{c.stem} posted Q{qn} {year} revenue of {amount}, according to its statement.", f"Q{qn} {year} revenue of {amount}"),
        ]
        sentence, snippet = rng.choice(templates)
        return Line(sentence, "revenue", snippet)

    def prior_revenue_line(self) -> Line:
        """A trap: the previous quarter's revenue."""
        f = self.s.facts
        qn, year = int(f["quarter"]) - 1, int(f["quarter_year"])
        if qn == 0:
            qn, year = 4, year - 1
        amount = _money(_round_sig(f["prior_revenue"], 3), "USD", 0)
        q = f"{_ORDINAL_Q[qn - 1]} quarter of {year}"
        return Line(f"In the {q}, {self.s.company.stem} reported revenue of {amount}.", "prior_revenue", f"{q}, {self.s.company.stem} reported revenue of {amount}")

    def deal_line(self) -> Line:
        s, f, rng = self.s, self.s.facts, self.rng
        c, t = s.company, s.target
        assert t is not None
        value = f["deal"]
        plant = self.plant("deal")
        if plant == "scale":
            value = value * 10 if value < 1e9 else value / 1000
        elif plant == "value":
            value = value * f["value_factor"]
        currency = "EUR" if rng.random() < 0.3 else "USD"
        amount = _money(_round_sig(value / (1.16 if currency == "EUR" else 1.0), 3), currency, rng.randrange(2))
        templates = [
            (f"{c.name} agreed to acquire {t.name} ({t.exchange}: {t.ticker}) for {amount} in cash.", f"for {amount}"),
            (f"The deal values {t.name} ({t.exchange}: {t.ticker}) at {amount}.", f"at {amount}"),
            (f"{c.stem} will buy {t.name} ({t.exchange}: {t.ticker}) in a transaction valued at {amount}.", f"valued at {amount}"),
        ]
        sentence, snippet = rng.choice(templates)
        return Line(sentence, "deal", snippet)

    def premium_line(self) -> Line:
        s, f, rng = self.s, self.s.facts, self.rng
        t = s.target
        assert t is not None
        value = f["premium"]
        prev = _WEEKDAYS[(s.day - dt.timedelta(days=1 if s.day.weekday() else 3)).weekday()]
        text = rng.choice((_pct(value, 1, self.british), f"about {_pct(round(value), 0, self.british)}"))
        sentence = rng.choice((
            f"The offer is a premium of {text} to {t.stem}'s closing price on {prev}.",
            f"The price represents a premium of {text} to {t.stem}'s closing price on {prev}.",
        ))
        return Line(sentence, "premium", f"premium of {text}")

    def target_move_line(self) -> Line:
        t, f = self.s.target, self.s.facts
        assert t is not None
        text = _pct(f["target_move"], 1, self.british)
        return Line(f"{t.stem} shares jumped {text} {self.day}.", "target_move", f"jumped {text}")

    def rent_line(self) -> Line:
        s, f, rng = self.s, self.s.facts, self.rng
        c = s.company
        monthly = f["rent"]
        plant = self.plant("rent")
        if plant == "scale":
            monthly = monthly * 1000
        elif plant == "value":
            monthly = monthly * f["value_factor"]
        if rng.random() < 0.5 or plant:
            amount = _money(_round_sig(monthly, 3), "USD", rng.randrange(2))
            sentence = rng.choice((
                f"{c.name} will pay {amount} a month in rent for the site.",
                f"Under the agreement, {c.stem} will pay a monthly rent of {amount}.",
                f"{c.stem} will lease the campus for {amount} per month.",
            ))
            snippet = amount
        else:
            amount = _money(_round_sig(monthly * 12, 2), "USD", 0)
            sentence = rng.choice((
                f"{c.name} will pay about {amount} a year in rent for the site.",
                f"The lease will cost {c.stem} about {amount} a year.",
            ))
            snippet = f"about {amount} a year"
        return Line(sentence, "rent", snippet)

    def filler(self) -> Line:
        c, rng = self.s.company, self.rng
        return Line(rng.choice((
            "Analysts said the outcome would test management's credibility with investors.",
            f"The {c.noun}, based in {c.city}, did not comment beyond its statement.",
            f"A spokesperson for {c.stem} declined to comment further.",
            "Trading volume was well above its recent average.",
            "Some investors said they were waiting for more detail before changing their positions.",
            "The broader market ended the session little changed.",
            "Management will hold a call with analysts later this month.",
            f"\"We are confident in the plan we laid out,\" chief executive {rng.choice(_PEOPLE)} told reporters.",
            "Brokers were split on whether the move had gone too far, and several said they would wait for the next update.",
            f"The {c.noun} has spent the past few years cutting costs and selling businesses it no longer sees as central.",
            "Its shares have been volatile since the start of the year as investors weighed slowing demand against a firmer pricing outlook.",
            "One fund manager said the news changed little about the long-term case for owning the stock.",
            "Bond investors were calmer, and the company's credit spreads barely moved.",
            "The board said it would update shareholders when there was more to report.",
        )))

    def background(self) -> Line:
        """Figures that are true in every outlet: the headcount, the founding year."""
        c, f = self.s.company, self.s.facts
        staff = f"{int(f['staff']):,}"
        return Line(self.rng.choice((
            f"Founded in {int(f['founded'])}, {c.stem} employs about {staff} people.",
            f"{c.stem}, which has about {staff} employees, was founded in {int(f['founded'])}.",
            f"The {c.noun} was founded in {int(f['founded'])} and has roughly {staff} staff.",
        )), "staff", staff)


_PEOPLE = ("Dana Whitcombe", "Eirik Holm", "Priya Natarajan", "Tomas Lindqvist", "Grace Okafor", "Marco Bellini", "Hana Sato", "Owen Price")


def _plan_story(rng: random.Random, index: int, kind: str, company: Company, rival: Company, target: Company | None, conflict_rate: float) -> Story:
    day = _trading_day(rng)
    move1 = round(rng.uniform(1.2, 14.0), 2)
    while abs(move1 - round(move1)) < 0.2:  # so that "4%" is not a restatement of "4.0%"
        move1 = round(rng.uniform(1.2, 14.0), 2)
    move2 = round(rng.uniform(0.4, 6.0), 2)
    up = 1 if rng.random() < 0.45 else -1
    up2 = 1 if rng.random() < 0.5 else -1
    # compound two-day move, same direction as day one so the window figure is clearly larger
    two = (1 + up * move1 / 100) * (1 + up * move2 / 100)
    move2day = round(abs(two - 1) * 100, 1)
    rival_move = round(rng.uniform(0.3, 6.0), 2)
    while abs(rival_move - move1) < 0.5:
        rival_move = round(rng.uniform(0.3, 6.0), 2)
    quarter = (day.month - 1) // 3  # the quarter just ended
    quarter_year = day.year
    if quarter == 0:
        quarter, quarter_year = 4, day.year - 1
    facts = {
        "move1": move1, "up": up, "move2": move2, "up2": up2 if kind == "markets" else up,
        "move2day": move2day, "rival_move": rival_move, "rival_up": 1 if rng.random() < 0.5 else -1,
        "close": round(rng.uniform(8, 600), 2),
        "revenue": rng.choice((1e8, 1e9, 1e9, 1e10)) * rng.uniform(1.05, 9.5),
        "quarter": quarter, "quarter_year": quarter_year,
        "deal": rng.choice((1e8, 1e9, 1e9)) * rng.uniform(1.1, 9.0),
        "premium": round(rng.uniform(12, 55), 1),
        "target_move": round(rng.uniform(8, 40), 1),
        "rent": rng.choice((1e6, 1e6, 1e7)) * rng.uniform(1.1, 9.0),
        "staff": rng.choice((1, 10, 10, 100)) * rng.randrange(120, 990) * 10, "founded": rng.randrange(1890, 2012),
        "move_prev": round(rng.uniform(0.3, 3.0), 2), "up_prev": 1 if rng.random() < 0.5 else -1,
        "value_factor": rng.choice((1.35, 1.4, 1.5, 0.6, 0.65, 0.7)),
    }  # fmt: skip
    facts["prior_revenue"] = facts["revenue"] * rng.choice((0.8, 0.85, 1.2, 1.3))
    story = Story(index, kind, company, rival, target, day, facts)
    if rng.random() < conflict_rate:
        story.conflict = rng.choice(CONFLICT_KINDS)
        if story.conflict == "scale" and kind == "markets":
            story.conflict = "value"  # a percentage has no scale word to get wrong
    return story


def _plant_fact(story: Story) -> str | None:
    """The fact the planted conflict lands on."""
    if story.conflict is None:
        return None
    if story.conflict in ("direction", "rounding", "window"):
        return "move1"
    return {"earnings": "revenue", "takeover": "deal", "lease": "rent", "markets": "move1"}[story.kind]


def _render_story(rng: random.Random, story: Story, outlets: list[str], plant_at: int) -> list[Article]:
    articles: list[Article] = []
    target_fact = _plant_fact(story)
    c = story.company
    title = {
        "earnings": f"{c.name} shares move after quarterly results",
        "takeover": f"{c.name} agrees takeover deal",
        "lease": f"{c.name} signs lease for new site",
        "markets": f"{c.name} leads a volatile session",
    }[story.kind]
    variants = rng.sample(range(6), len(outlets))
    for i, outlet in enumerate(outlets):
        published = story.day if rng.random() < 0.6 else story.day + dt.timedelta(days=1)
        if story.conflict == "window" and i == plant_at:
            published = story.day + dt.timedelta(days=1)
        plant = story.conflict if i == plant_at else None
        w = _Writer(rng, story, outlet, published, plant, target_fact)
        paras: list[list[Line]] = [[w.intro(variants[i])]]
        body: list[list[Line]] = [[w.move_line()]]
        if story.kind == "earnings":
            body.append([w.revenue_line()])
            if rng.random() < 0.5:
                body.append([w.prior_revenue_line()])
        elif story.kind == "takeover":
            body.append([w.deal_line(), w.premium_line()])
            if rng.random() < 0.6:
                body.append([w.target_move_line()])
        elif story.kind == "lease":
            body.append([w.rent_line()])
        if rng.random() < 0.6:
            body.append([w.rival_line()])
        if story.kind != "markets" and rng.random() < 0.3:
            body.append([w.prev_day_line()])
        if story.kind == "markets" and story.conflict != "window" and published > story.day and rng.random() < 0.7:
            body.append([w.next_day_line()])
        rng.shuffle(body)
        for p in body:
            if rng.random() < 0.5:
                p.append(w.filler())
            paras.append(p)
        tail = [w.filler() for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.5:
            tail.insert(rng.randrange(len(tail) + 1), w.background())
        paras.append(tail[:2])
        if len(tail) > 2:
            paras.append(tail[2:])
        slug = outlet.lower().replace("the ", "").replace(" ", "-")
        articles.append(Article(f"s{story.index:05d}-{i}-{slug}.md", published, outlet, title, paras))
    return articles


def _lines(article: Article, fact: str) -> list[Line]:
    return [line for p in article.paragraphs for line in p if line.fact == fact]


def _gold_for_story(story: Story, articles: list[Article], plant_at: int) -> tuple[list[dict], list[dict]]:
    conflicts: list[dict] = []
    clean: list[dict] = []
    money_fact = {"earnings": "revenue", "takeover": "deal", "lease": "rent", "markets": None}[story.kind]
    tag = f"s{story.index:05d}"
    if story.conflict is not None:
        kind = story.conflict
        fact = "move1" if kind in ("direction", "rounding", "window") or money_fact is None else money_fact
        planted = articles[plant_at]
        bad = _lines(planted, "move2day" if kind == "window" else fact)
        pairs = []
        for j, other in enumerate(articles):
            if j == plant_at:
                continue
            for good in _lines(other, fact):
                for b in bad:
                    pairs.append([planted.file, b.snippet, other.file, good.snippet])
        if pairs:
            conflicts.append({"id": f"{tag}-{kind}-{fact}", "severity": SEVERITY[kind], "pairs": pairs})
    # restatements of every fact across outlets that carry no plant on it
    for fact in ("move1", "revenue", "deal", "rent", "premium", "target_move", "rival", "staff"):
        stated = [(a, line) for j, a in enumerate(articles) for line in _lines(a, fact)
                  if not (j == plant_at and story.conflict is not None)]
        pairs = [[a.file, x.snippet, b.file, y.snippet] for k, (a, x) in enumerate(stated) for (b, y) in stated[k + 1 :]]
        if pairs:
            clean.append({"id": f"{tag}-restated-{fact}", "pairs": pairs[:6]})
    # traps: another day, another quarter, another company
    traps = []
    for a in articles:
        for m in _lines(a, "move1"):
            for b in articles:
                for other in ("move2", "move_prev", "rival", "target_move"):
                    for y in _lines(b, other):
                        traps.append([a.file, m.snippet, b.file, y.snippet])
        for r in _lines(a, "revenue"):
            for b in articles:
                for y in _lines(b, "prior_revenue"):
                    traps.append([a.file, r.snippet, b.file, y.snippet])
    if traps:
        clean.append({"id": f"{tag}-traps", "pairs": traps[:8]})
    return conflicts, clean


def _article_text(article: Article) -> str:
    out = [
        "---",
        f"title: {article.title}",
        f"date: {article.published.isoformat()}",
        f"source: {article.outlet}",
        "---",
        "",
        f"# {article.title}",
        "",
    ]
    for p in article.paragraphs:
        out.append(" ".join(line.text for line in p))
        out.append("")
    return "\n".join(out)


def generate(out_dir: Path | str, n: int, seed: int = 0, conflict_rate: float = 0.3, hot_share: float = 0.0) -> dict:
    """Write ``n`` articles and ``expected.yaml`` to ``out_dir``; returns the gold.

    ``hot_share``: the share of stories that are market moves of one and the same company
    on different days, so that one (subject, metric) block holds a large part of the
    archive's claims (a skewed key, for the Dask engine's split by period). 0 draws
    nothing extra: the archive is byte-identical to one generated without it.
    """
    if n < 2:
        raise ValueError("n must be at least 2 (a story needs two outlets)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    # story sizes first, so the number of companies is known
    sizes: list[int] = []
    left = n
    while left > 0:
        k = min(left, rng.choice((2, 3, 3, 4, 4, 5)))
        if left - k == 1:
            k += 1
        sizes.append(k)
        left -= k
    names = _Names(rng)
    conflicts: list[dict] = []
    clean: list[dict] = []
    planted = 0
    hot = names.company() if hot_share > 0 else None
    for index, size in enumerate(sizes):
        kind = STORY_KINDS[rng.randrange(len(STORY_KINDS))]
        if hot is not None and rng.random() < hot_share:
            kind, main = "markets", hot
        else:
            main = names.company({hot.stem} if hot is not None else frozenset())
        rival = names.company({main.stem})
        target = names.company({main.stem, rival.stem}) if kind == "takeover" else None
        story = _plan_story(rng, index, kind, main, rival, target, conflict_rate)
        outlets = rng.sample(_OUTLETS, size)
        plant_at = rng.randrange(size)
        articles = _render_story(rng, story, outlets, plant_at)
        c, k = _gold_for_story(story, articles, plant_at)
        planted += bool(c)
        conflicts.extend(c)
        clean.extend(k)
        for a in articles:
            (out / a.file).write_text(_article_text(a), encoding="utf-8")
    gold = {"conflicts": conflicts, "clean": clean}
    header = (
        f"# Generated by `python bench/generate.py OUT_DIR --n {n} --seed {seed} --conflict-rate {conflict_rate}`.\n"
        f"# {n} articles in {len(sizes)} stories; {planted} stories carry one planted conflict\n"
        "# (format: corpus/expected.yaml; pairs are [file A, snippet A, file B, snippet B]).\n"
    )
    body = yaml.safe_dump(gold, sort_keys=False, allow_unicode=True, width=400, default_flow_style=None)
    (out / "expected.yaml").write_text(header + body, encoding="utf-8")
    return gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/generate.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=100, help="number of articles (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--conflict-rate", type=float, default=0.3, help="share of stories with one planted conflict")
    parser.add_argument("--hot-share", type=float, default=0.0, help="share of stories about one company's share moves (a skewed block key)")
    args = parser.parse_args(argv)
    gold = generate(args.out_dir, args.n, args.seed, args.conflict_rate, args.hot_share)
    print(f"wrote {args.n} articles and expected.yaml ({len(gold['conflicts'])} conflicts, {len(gold['clean'])} clean items) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
