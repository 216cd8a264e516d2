"""What the comparisons of one block read from the block as a whole: the names its
articles give each company, in one canonical form, and the basis words that set one
figure apart from another.

Outlets name one company many ways: "Exxon Mobil Corp", "ExxonMobil" and "Exxon";
"Tesla (NASDAQ: TSLA)" in one article and "TSLA" alone in another; "Kroger" and the
ticker "KR". Extraction reads each article on its own, so two figures of one company can
carry two subjects. Their comparison must see one company, or the weight learned for two
companies is learned from misreads too (a fifth of the labelled conflict pairs carried two
subject names for one company).

A scraped text often has no date while the articles gathered with it have: its "in
December" is then the December nearest its story's day (`story_dates`, `Story.placed`),
for the comparisons and for the verdict alike; where none of them has a date, the story's
day is the end of the latest day, month or quarter they report a figure for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from factcheck.extract.entities import canonical_subjects, introductions, name_key
from factcheck.extract.periods import placed_in_year
from factcheck.models import Claim
from factcheck.rules import Rules, per_rules


@dataclass(frozen=True)
class StoryNames:
    """Each name of a block's figures mapped to one canonical name, with its kind."""

    canonical: dict[str, str]
    kinds: dict[str, str]  # canonical name -> kind in rules/entities.yaml (company, country, ...)

    def canon(self, name: str) -> str:
        return self.canonical.get(name, name)

    def kind(self, name: str) -> str | None:
        return self.kinds.get(self.canon(name))

    @classmethod
    def of(cls, claims: Iterable[Claim], rules: Rules | None = None) -> StoryNames:
        claims = list(claims)
        names = {n for c in claims for n in (c.subject, c.attribution) if n}
        introduced = _introduced_tickers(c.sentence for c in claims)
        names |= set(introduced.values())
        roots = canonical_subjects(names)
        canonical = {name: roots.get(introduced.get(name, name), introduced.get(name, name)) for name in sorted(names)}
        # A ticker no article introduced ("KR", "TSLA") is the one company of the story whose
        # name its letters run through in order, from the first letter.
        full = sorted({t for t in canonical.values() if not _looks_like_ticker(t)})
        for name, target in list(canonical.items()):
            if target == name and _looks_like_ticker(name):
                company = _spelled_by(name, full)
                if company is not None:
                    canonical[name] = canonical.get(company, company)
        kinds = {}
        if rules is not None:
            known = {e.name: e.kind for e in rules.entities.entities}
            kinds = {target: known[target] for target in set(canonical.values()) if target in known}
        return cls(canonical, kinds)


def _introduced_tickers(sentences: Iterable[str]) -> dict[str, str]:
    """Tickers the articles introduce ("Kestrel Motors (NYSE: KSTL)"): ticker -> name."""
    found: dict[str, str] = {}
    for text in dict.fromkeys(sentences):  # in reading order: the first introduction wins
        for name, ticker in introductions(text):
            if name != ticker:
                found.setdefault(ticker, name)
    return found


def _looks_like_ticker(name: str) -> bool:
    return 2 <= len(name) <= 5 and name.isalpha() and name.isupper()


def _spelled_by(ticker: str, names: Iterable[str]) -> str | None:
    """The one name whose letters the ticker runs through in order from its first letter
    ("KR" in Kroger, "TSLA" in Tesla); None when no name or two companies fit."""
    fits = []
    for name in names:
        key = name_key(name).replace(" ", "")
        if not key or key[0] != ticker[0].lower():
            continue
        letters = iter(key)
        if all(ch in letters for ch in ticker.lower()):
            fits.append(name)
    firsts = {name_key(n).split(" ")[0] for n in fits}
    return min(fits, key=lambda n: (len(n), n)) if len(firsts) == 1 else None


def basis_words(rules: Rules) -> frozenset[str]:
    """Qualifiers that name a basis, measure, listing or comparison base of a figure
    (adjusted, comparable, core, ADR, month-on-month): two figures that differ in one are
    two figures. Any other qualifier names a segment or is a word extraction kept."""
    q = rules.qualifiers
    words = set(q.basis.values()) | set(q.basis_phrases) | set(q.comparison_phrases) | set(q.listing_phrases) | set(q.measures)
    return frozenset(w.lower() for w in words)


def metric_scopes(rules: Rules) -> dict[str, frozenset[str]]:
    """Each metric's scope labels (rules/metrics.yaml `scopes`, `scopes_before`)."""
    return {m.id: frozenset([*m.scopes, *m.scopes_before]) for m in rules.metrics.metrics if m.scopes or m.scopes_before}


def metric_labels(rules: Rules) -> dict[str, str]:
    """Each metric's label (rules/metrics.yaml `label`): its name in plain words."""
    return {m.id: m.label for m in rules.metrics.metrics if m.label}


def move_words(rules: Rules) -> frozenset[str]:
    """The one-word direction words (rules/metrics.yaml `directions`): "rose", "fell",
    "gain". A figure's neighbour that says how it moved says nothing of what it is."""
    d = rules.metrics.directions
    return frozenset(w.lower() for w in (*d.up, *d.down, *d.up_after, *d.down_after) if " " not in w)


# read from the rules once, not once a block
_rule_words = per_rules(lambda rules: (basis_words(rules), metric_scopes(rules), metric_labels(rules), move_words(rules)))


@dataclass(frozen=True)
class Story:
    """The block-level context every comparison of the block reads."""

    names: StoryNames
    bases: frozenset[str]
    # (path, line, column) of a sentence -> the companies its figures are about: "Samsung
    # and SK Hynix fell 9.06% and 14.57%, respectively" gives each company its own figure
    owners: dict[tuple[str, int, int], frozenset[str]]
    # metric -> the scopes rules/metrics.yaml tells apart for it ("month over month", "year
    # over year"): two figures of one metric under two of them are two figures
    scopes: dict[str, frozenset[str]] = field(default_factory=dict)
    # metric -> its label, "capital expenditure" for capex (rules/metrics.yaml)
    labels: dict[str, str] = field(default_factory=dict)
    # path of an undated article -> the day its story's dated articles give (story_dates)
    dates: dict[str, dt.date] = field(default_factory=dict)
    # the direction words of rules/metrics.yaml (move_words)
    moves: frozenset[str] = frozenset()
    # (path, metric) -> the end of the latest period the article reports the metric for
    latest: dict[tuple[str, str], dt.date] = field(default_factory=dict)
    # id of a claim -> the claim placed (placed): the link and the verdict ask for the same ones
    _placed: dict[int, Claim] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, claims: Iterable[Claim], rules: Rules | None = None) -> Story:
        claims = list(claims)
        names = StoryNames.of(claims, rules)
        owners: dict[tuple[str, int, int], set[str]] = {}
        for c in claims:
            if c.subject:
                owners.setdefault(sentence_of(c), set()).add(names.canon(c.subject))
        bases, scopes, labels, moves = _rule_words(rules) if rules is not None else (frozenset(), {}, {}, frozenset())
        days = rules.policy.thresholds.story_days if rules is not None else 7
        return cls(names, bases, {k: frozenset(v) for k, v in owners.items()}, scopes, labels, story_dates(claims, days), moves, latest_periods(claims))

    def placed(self, claim: Claim) -> Claim:
        """The claim with a year-less time ("in December", "July 2") put in the year its
        story's day gives, where its article has no date of its own; else the claim."""
        day = self.dates.get(claim.path)
        if day is None or claim.period is None:
            return claim
        if id(claim) not in self._placed:
            period = placed_in_year(claim.period, day)
            self._placed[id(claim)] = claim if period is None else claim.model_copy(update={"period": period})
        return self._placed[id(claim)]

    def owns_a_figure_beside(self, claim: Claim, company: str) -> bool:
        """Whether another figure of the claim's sentence is `company`'s."""
        return company in self.owners.get(sentence_of(claim), frozenset()) and self.names.canon(claim.subject or "") != company


# The longest time an undated story's own figures are dated by, for its day (story_dates).
_NEWS_SPAN_DAYS = 92


def story_dates(claims: list[Claim], days: int) -> dict[str, dt.date]:
    """The day each undated article of a story is taken to be from: the middle one of its
    dated articles' days, where those lie within `days` of each other (one news event,
    as blocking joins a story). An article without a date whose own years all lie two
    or more years before that day (an archive piece filed beside the news) keeps none.

    A scraped text file often has no date, while the story it was gathered with has: a
    "December" or "July 2" in it is the one nearest the story's day, not any year's. Where
    no article has one, the story's day is the end of the latest day, month or quarter its
    articles report a figure for."""
    published: dict[str, dt.date | None] = {}
    years: dict[str, set[int]] = {}
    for c in claims:
        published.setdefault(c.path, c.published)
        if c.period is not None and c.period.start is not None and c.evidence.get("period") == "explicit":
            years.setdefault(c.path, set()).update((c.period.start.year, c.period.end.year if c.period.end else c.period.start.year))
    dated = sorted(d for d in published.values() if d is not None)
    if not dated:
        # No article has a date: the story is as late as the latest day, month or quarter
        # its articles report a figure for ("the third quarter of fiscal 2027", "June 3,
        # 2027"), as a reader dates an undated report. Not a forecast's time, nor a span
        # longer than a quarter ("2027-2031": a plan's, not the news's).
        ends = [end for c in claims if (end := _news_end(c)) is not None]
        if not ends:
            return {}
        dated = [max(ends)]
    if (dated[-1] - dated[0]).days > days:
        return {}
    day = dated[(len(dated) - 1) // 2]
    return {path: day for path, own in published.items() if own is None and max(years.get(path, {day.year})) >= day.year - 1}


def _news_end(claim: Claim) -> dt.date | None:
    """The end of the time a reported figure is explicitly given for, where that time is a
    day, month or quarter of known year (not a forecast's, nor a plan's span)."""
    p = claim.period
    if p is None or p.start is None or p.end is None or claim.forecast or claim.evidence.get("period") != "explicit":
        return None
    return p.end if (p.end - p.start).days <= _NEWS_SPAN_DAYS else None


def latest_periods(claims: Iterable[Claim]) -> dict[tuple[str, str], dt.date]:
    """Per article and metric, the end of the latest period the article reports the metric
    for: its news. A figure of the metric dated well before it is most often a comparison's
    base (a year-ago column, "against $2 billion a year earlier")."""
    latest: dict[tuple[str, str], dt.date] = {}
    for c in claims:
        end = _news_end(c)
        if end is not None and c.metric and ((key := (c.path, c.metric)) not in latest or end > latest[key]):
            latest[key] = end
    return latest


def sentence_of(claim: Claim) -> tuple[str, int, int]:
    return (claim.path, claim.line, claim.column)
