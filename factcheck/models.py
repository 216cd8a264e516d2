"""Data models passed between the pipeline stages.

Every stage takes and returns these plain pydantic models so that each stage can be
mapped over a distributed engine (Ray, Dask) unchanged: documents are independent,
claims are grouped by ``link.link_key`` (story and quantity family) and findings are
computed per block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1"

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

Qualifier = Literal["exact", "approx", "over", "at_least", "under", "up_to", "range"]
# "duration": "18 months", "a 15-year-old" (quantities.py). No metric in rules/metrics.yaml
# takes one, so a duration is listed as a claim but never aligned or compared; time windows
# ("the past two years") are periods.py's and never become quantities.
# "date": the last day of a reporting period ("the quarter ended Oct. 4"), its value the
# day's ordinal (extract/dates.py).
QuantityKind = Literal["money", "percent", "percentage_points", "multiple", "count", "physical", "duration", "date"]
Direction = Literal["up", "down"]


class Sentence(BaseModel):
    """One sentence of a document, with where it starts in the source file."""

    model_config = ConfigDict(frozen=True)

    text: str  # as in the file, line breaks inside it folded to spaces
    line: int  # 1-based line of the first character in the source file
    column: int  # 1-based column of the first character
    paragraph: int  # index of the block it belongs to; time carries within and into the next
    heading: bool = False  # a heading or title line: it starts a new context
    # The text as written where `text` is read from it rather than being it: a table's
    # row, whose cell `text` states with its row label and column header (ingest/tables.py).
    # Claims quote it.
    quote: str | None = None
    label: str | None = None  # a table cell's row label: the line item or part its figure is of


class Document(BaseModel):
    """A readable article: metadata and sentences, navigation junk dropped."""

    path: str  # as given on the command line, joined with the file's relative path
    published: dt.date | None = None
    title: str | None = None
    source: str | None = None
    sentences: list[Sentence] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # line -> codes suppressed on it; "*" for all (filled by ingest from inline comments)
    suppressions: dict[int, list[str]] = Field(default_factory=dict)


class Period(BaseModel):
    """The time a figure is about, as far as the text lets us know it.

    ``start``/``end`` (inclusive) are set when the expression resolves to calendar dates.
    Without a publication date some expressions resolve only partly: ``weekdays`` keeps
    "Wednesday and Thursday" (0 = Monday) and ``month``/``day`` keep "July 1" without a year,
    which is still enough to tell that a Thursday is not July 1, 2026.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    granularity: Literal["day", "days", "week", "month", "quarter", "half", "year", "ytd", "range"]
    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: tuple[int, ...] | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    length_days: int | None = None  # window length when known without dates ("over two days")


class Figure(BaseModel):
    """A figure's value as written, apart from the claim it is in: a change figure kept on
    the figure it moved (Change.figure), which another block compares; another figure of a
    claim's sentence (Claim.neighbours), which the link stage compares."""

    model_config = ConfigDict(frozen=True)

    value: float
    high: float | None = None
    resolution: float | None = None
    unit: str
    kind: QuantityKind
    qualifier: Qualifier = "exact"


class Change(BaseModel):
    """How a sentence says a figure was reached: "rose 18% to $6.3 billion from $5.6
    billion" on "$6.3 billion". Set only where the parse links the change word to the figure
    and to the change, the starting figure or both (extract/arithmetic.py): FC201 checks a
    sentence that gives both, and across articles one that gives the change against another
    that gives the start of the same figure."""

    model_config = ConfigDict(frozen=True)

    by: str | None = Field(
        None, description='the change as written: a figure of the same sentence ("18%", "3 points") or a word ("nearly doubled"); null where the sentence gives none'
    )
    start: str | None = Field(None, description="the figure of the same sentence it changed from, as written; null where the sentence gives none")
    direction: Direction | None = Field(None, description="the way the change word says it went")
    figure: Figure | None = Field(None, description="the change figure's value, unit and precision, where `by` is a figure")


class Product(BaseModel):
    """How a sentence says a total was produced: a price a unit times a count ("sold 8
    million shares at $21 each, raising $1.7 billion" on "$1.7 billion"), or a rate times
    the periods of the total's ("a $47.55 million monthly rent, or $1.25 billion a year" on
    "$1.25 billion a year": 12). Set only where the parse links them (extract/totals.py)."""

    model_config = ConfigDict(frozen=True)

    price: str = Field(description="the price a unit, or the rate, as written in the same sentence")
    count: str | None = Field(None, description="the count it is multiplied by, as written; null where `times` is the multiplier")
    times: float = Field(1.0, description="the periods of the price's in the total's (12 months a year), else 1")


class Parts(BaseModel):
    """Figures a sentence says are parts of one whole: "A, B and C contributed $2.1
    billion, $3.4 billion and $3 billion of the $8.5 billion total" on "$8.5 billion". Set
    only where the parse links them (extract/totals.py)."""

    model_config = ConfigDict(frozen=True)

    figures: tuple[str, ...] = Field(description="the parts as written in the same sentence")
    whole: Literal["all", "some", "percent"] = Field(
        description='"all": this figure is their total; "some": they are part of this figure (the rest is elsewhere); '
        '"percent": they are percentage shares of one whole, this figure the first of them, and together at most 100%'
    )


class Claim(BaseModel):
    """A numeric statement about a subject's metric, normalised."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int
    column: int
    sentence: str
    text: str  # the mention as written: "$1.25 billion", "over 10%"
    value: float  # canonical magnitude (1.25e9 for "$1.25 billion"; 9.84 for "9.84%")
    high: float | None = None  # top of a range; value is then the bottom
    resolution: float | None = None  # the last written digit in canonical units: 0.01e9 for "$1.25 billion"
    unit: str  # canonical pint unit: "USD", "USD / month", "percent", "percentage_point", ...
    kind: QuantityKind
    qualifier: Qualifier = "exact"
    period: Period | None = None
    published: dt.date | None = None
    subject: str | None = None  # canonical entity name from rules/entities.yaml or the text
    metric: str | None = None  # metric id from rules/metrics.yaml
    direction: Direction | None = None
    forecast: bool = False  # expected, projected or guided, not reported as having happened
    attribution: str | None = None  # who says so: "JPMorgan", "market consensus"
    scope: str | None = None  # "five major cloud giants" vs "four tech giants"
    # Words that narrow the metric: a segment ("data center"), a basis ("adjusted").
    qualifiers: tuple[str, ...] = ()
    # Part of the trading day: premarket, open, intraday, close, after_hours.
    session: str | None = None
    # How each field was established: subject/metric/period -> parse, cue, carried,
    # topic, explicit, timeless, none (see factcheck/extract/claims.py); "sentence":
    # "heading" for a figure in a title or heading.
    evidence: dict[str, str] = Field(default_factory=dict)
    # The change and starting figure this figure was reached by, where its sentence says so.
    change: Change | None = None
    # The price and count this total is their product of, where its sentence says so (FC202).
    product: Product | None = None
    # The parts this figure is the whole of, or the shares it is the first of (FC203).
    parts: Parts | None = None
    # The other figures of its sentence, nearest first (at most NEIGHBOURS_KEPT): two
    # sentences that give one of these alike tell one fact (link/comparisons.py, neighbours).
    neighbours: tuple[Figure, ...] = ()


class NLIScore(BaseModel):
    model: str
    contradiction: float
    entailment: float | None = None
    neutral: float | None = None
    directions: int = 2


class LinkContribution(BaseModel):
    comparison: str = Field(
        description="a comparison of factcheck/link/comparisons.py: subject, metric, period, ...; or told_twice: the article tells its "
        "story twice and these are one figure's two tellings (the weight that makes the link certain)"
    )
    level: str = Field(description="the level the pair reached on it")
    weight: float = Field(description="its weight in log-odds (rules/linkage.yaml); positive: evidence of one quantity")


class LinkExplanation(BaseModel):
    """Why the two figures of a finding were taken to state one quantity (Splink's waterfall)."""

    version: Literal["1"] = "1"
    probability: float = Field(description="link probability: that the figures state the same quantity")
    prior: float = Field(description="the intercept, in log-odds, that the contributions add to")
    contributions: list[LinkContribution] = Field(description="every comparison that carried weight, largest first")
    summary: str = Field(description="the largest contributions in words, for people")


class FigureRef(BaseModel):
    """One figure of an article, where a Claim has it: the sentence's line and column."""

    path: str
    line: int
    column: int
    text: str = Field(description="the figure as written")


class FixRegion(BaseModel):
    """Where a figure's text is in its file, checked against the file itself."""

    line: int
    column: int = Field(description="1-based column of the figure's first character")
    end_column: int = Field(description="1-based column just after its last character")


class Suggestion(BaseModel):
    """The odd one out of three or more articles, and what to write instead."""

    text: str = Field(description="the suggestion in words, for people")
    figure: FigureRef = Field(description="the figure that disagrees with every other article")
    replacement: str | None = Field(
        description="the corrected figure in that article's own style; null when words beside the figure must change too"
    )
    sources: list[FigureRef] = Field(description="the other articles' figures, which agree within their written precision")
    agreeing: int = Field(description="articles that agree")
    articles: int = Field(description="articles that state the quantity")
    fix: FixRegion | None = Field(
        None, description="where the replacement goes in the file; only when the replacement is certain (same unit, the same figure as written everywhere else)"
    )


class Finding(BaseModel):
    id: str
    code: str
    kind: str
    severity: Severity
    subject: str | None
    metric: str | None
    message: str
    claims: list[Claim]
    restated: list[Claim] = Field(
        default_factory=list,
        description="other mentions of the quantity that give, within its precision, a figure already in claims; "
        "an error lists each figure in conflict once, and its copies here",
    )
    nli: NLIScore | None = None
    link: LinkExplanation | None = Field(None, description="why the figures were linked; null for findings made without the link stage")
    metric_label: str | None = Field(None, description="the metric in words (rules/metrics.yaml's label), for people")
    suggestion: Suggestion | None = Field(
        None, description="when three or more articles state the figure and all but one agree: the odd one out and its correction"
    )


class InputError(BaseModel):
    path: str
    line: int | None = None
    message: str


class ToolInfo(BaseModel):
    name: str = "factcheck"
    version: str


class StaleEntry(BaseModel):
    id: str
    code: str
    paths: list[str] = Field(description="relative to the baseline file's folder")


class BaselineStats(BaseModel):
    path: str = Field(description="the baseline file as given")
    hidden: int = Field(description="findings not reported because the baseline lists them")
    stale: list[StaleEntry] = Field(description="baseline entries no longer found among the files read")


class ReportStats(BaseModel):
    # Counts of one run; version 1 only ever adds keys, so readers must allow more. (A
    # comment, not a docstring: a docstring would become the schema's description.)
    model_config = ConfigDict(extra="allow")

    documents: int
    claims: int
    aligned_claims: int
    pairs_compared: int
    findings: int = Field(description="findings reported, after everything below was hidden")
    error: int
    warning: int
    info: int
    nli: dict | None = Field(description="NLI model, backend and counts; null when NLI did not run")
    nli_reason: str | None = Field(None, description="why NLI did not run")
    suppressed: int = Field(0, description="findings silenced by inline factcheck comments")
    deselected: int = Field(0, description="findings of codes not selected (--select / --ignore)")
    out_of_scope: int = Field(0, description="findings touching no draft (--against) or changed file (--changed-since)")
    baseline: BaselineStats | None = Field(None, description="null when no baseline was given")


@dataclass(frozen=True)
class RunInputs:
    """The articles and settings behind a Report, for renderers that show more than findings."""

    documents: list[Document]
    drafts: frozenset[str] = frozenset()  # display paths of the articles checked `against` the others
    settings: Any = None  # the run's factcheck.Settings (typed loosely: gate/ imports this module)


class Report(BaseModel):
    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    findings: list[Finding] = Field(default_factory=list)
    errors: list[InputError] = Field(default_factory=list)
    stats: ReportStats
    # For the caller to show (the CLI prints them on stderr); not part of the report.
    warnings: list[str] = Field(default_factory=list, exclude=True)
    notes: list[str] = Field(default_factory=list, exclude=True)  # "wrote 3 finding(s) to FILE"
    # Private, so the article text is in neither the JSON report nor its schema.
    _run: RunInputs | None = PrivateAttr(default=None)

    @property
    def run(self) -> RunInputs | None:
        """What the run that made this report read, when factcheck.check made it."""
        return self._run

    def attach_run(self, run: RunInputs) -> Report:
        self._run = run
        return self


class ClaimsReport(BaseModel):
    """`factcheck claims --format json`: every extracted claim, and the inputs that could not be read."""

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    claims: list[Claim] = Field(default_factory=list)
    errors: list[InputError] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, exclude=True)
