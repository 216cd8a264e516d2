"""Load and validate the editor-tunable rules in `rules/`.

Every file is validated with pydantic; a problem becomes a `RulesError` naming the file
and the line of the offending value, so an editor who mistypes a YAML key sees
`rules/metrics.yaml:12: metrics.3.kinds.0: Input should be 'money', 'percent', ...`.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from factcheck.errors import RulesError
from factcheck.models import QuantityKind, Severity
from factcheck.textguard import compose_and_load, read_small_text, refuse_hostile_yaml

# A checkout (or editable install) reads the repository's rules/; a wheel carries a copy.
_REPO_RULES = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_RULES_DIR = _REPO_RULES if (_REPO_RULES / "entities.yaml").is_file() else Path(__file__).resolve().parent / "_rules"

T = TypeVar("T")

# An exchange is where shares trade, never whose figure it is ("began trading on the New
# York Stock Exchange at $47"): named so that it is never taken for a company.
EntityKind = Literal["company", "index", "fund", "country", "group", "forecaster", "exchange"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityRule(_Strict):
    name: str
    kind: EntityKind = "company"
    aliases: list[str] = Field(default_factory=list)
    tickers: list[str] = Field(default_factory=list)
    case_sensitive: bool = False
    # The month its fiscal year ends in (Walmart: 1, Microsoft: 6): its "third quarter"
    # and "fiscal 2023" are its own, not the calendar's.
    fiscal_year_end: int | None = Field(default=None, ge=1, le=12)
    # A country's nationality words ("Canadian"): "Canadian inflation" is Canada's statistic.
    demonyms: list[str] = Field(default_factory=list)


class EntitiesFile(_Strict):
    entities: list[EntityRule]
    # Capitalised words the parser may take for a company name but that never are one.
    not_names: list[str] = Field(default_factory=list)
    # Nouns that stand for a company already named ("the retailer", "the pharma giant",
    # "its shares"): an anaphor, and a description ("America's largest oil group") that
    # is the company's, not the country's that owns the phrase.
    company_nouns: list[str] = Field(default_factory=list)
    # "the state's unemployment rate", "the province's jobless rate": a part of a country,
    # whose statistic is not the country's
    place_nouns: list[str] = Field(default_factory=list)
    # Nationalities and regions ("Indian shares"): a name the NER labels NORP is a company's
    # where its stock is spoken of, unless it is one of these.
    demonyms: list[str] = Field(default_factory=list)
    # The month the fiscal year ends in for a company the rules do not list, by the currency
    # its article counts money in: results in rupees are for India's April-March year, so
    # "Q4FY26" is January to March 2026.
    fiscal_year_by_currency: dict[str, int] = Field(default_factory=dict)
    # Words after an index's name that make the phrase another instrument ("S&P 500 futures")
    instrument_words: list[str] = Field(default_factory=list)
    index_nouns: list[str] = Field(default_factory=list)  # "the SMI index": an unknown name is an index's
    # "Rival Ostrava Freight": words in front of a name that are no part of it
    name_descriptors: list[str] = Field(default_factory=list)
    # "Quillfeather Apparel warned": verbs before which a name ending in a company word is one
    report_verbs: list[str] = Field(default_factory=list)
    # "the broader market", "rivals": a subject that is a whole market or a company's peers
    market_nouns: list[str] = Field(default_factory=list)
    # Last words of an exchange's name ("the Karachi Stock Exchange", "the Paris Bourse"):
    # an unknown name ending so is where shares trade, never what "the company" stands for.
    exchange_words: list[str] = Field(default_factory=list)
    # Last words that make a name a company's whatever the NER says ("Vantor Therapeutics"
    # reads as a person to the small model): legal forms and trade words.
    company_words: list[str] = Field(default_factory=list)
    # Words whose object is a company whatever the NER says: "the takeover of Harlow
    # Vance", "agreed to buy Tarrant Quill" (people are rarely bought).
    deal_words: list[str] = Field(default_factory=list)
    # Who a bid is from (extract/cues.py, Context.bidder_for): "an offer from Calder
    # Mining", "Calder Mining's $35 bid", "Calder Mining agreed to buy", "acquired by ...".
    bid_nouns: list[str] = Field(default_factory=list)
    bidder_verbs: list[str] = Field(default_factory=list)
    acquired_by: list[str] = Field(default_factory=list)
    # Words that introduce a person ("Chief Executive Marisa Okafor"): the name after one
    # is a person's, and so, later in the article, is its surname alone.
    person_titles: list[str] = Field(default_factory=list)


class MetricRule(_Strict):
    id: str
    label: str
    kinds: list[QuantityKind]
    cues: list[str] = Field(default_factory=list)
    movement_verbs: bool = False
    time_sensitive: bool = False
    after: bool = False
    timeless: bool = False
    signed: bool = False
    # A company's reported result for a period: undated, it is for the period its article reports.
    results: bool = False
    # The metric a money figure of this one counted per share is ("earned $1.48 a share": eps).
    per_share: str | None = None
    growth: str | None = None
    scopes: dict[str, list[str]] = Field(default_factory=dict)
    # Scope phrases that lead into the figure right after them ("an average of 180,000"):
    # they narrow that figure alone, never one before them in the sentence.
    scopes_before: dict[str, list[str]] = Field(default_factory=dict)
    # The scope a figure has when its sentence names none: a takeover premium is over the
    # last close unless the writer says otherwise.
    default_scope: str | None = None
    # Head nouns the parse maps to this metric beyond its cues ("vehicles" for deliveries).
    heads: list[str] = Field(default_factory=list)
    # Verbs that name the metric themselves when the figure is their object ("lost $2bn").
    verbs: list[str] = Field(default_factory=list)
    # Verbs that name the metric only when the figure is their direct object ("raised $12
    # billion", not "raised its dividend to 52 cents").
    object_verbs: list[str] = Field(default_factory=list)
    # National statistics (payrolls, GDP, inflation) rarely restate whose they are: the
    # article's economy is their subject as surely as a name in the sentence would be. They
    # are also revised from release to release: articles published far apart may quote two
    # vintages of one period's figure, both right when written.
    statistic: bool = False
    # A statistic's parts, each written "<part> <head>" ("gasoline prices fell 3%" is the
    # gasoline component of inflation): canonical part -> the words used for it.
    components: dict[str, list[str]] = Field(default_factory=dict)
    component_heads: list[str] = Field(default_factory=list)
    # A deal's terms (value, premium, break fee) belong to the company being bought, named
    # after the deal noun ("X's takeover of Y"), not to the buyer that possesses the deal.
    # Prepositions after the metric's cue whose object is whose figure it is: "raised its
    # price target on Halvern to $150" is a target for Halvern, set by the one who raised it.
    owner_after: list[str] = Field(default_factory=list)
    # "fined Dunmore Labs $150 million": the indirect object of one of `object_verbs` is whose
    # figure it is, never the verb's subject (the regulator)
    dative_subject: bool = False
    subject_is_target: bool = False
    # Words that name this metric only when the figure's subject is a country: "Brazil's
    # growth slowed to 2.9%" is its economy's, "Acme's growth" is nothing in particular.
    country_cues: list[str] = Field(default_factory=list)
    # The unit says what a figure measures whatever words surround it: index points are an
    # index's move ("the Dow slid 412 points"), and a price per barrel, ounce or bushel is a
    # commodity's price, never a share price.
    units: list[str] = Field(default_factory=list)
    per_units: list[str] = Field(default_factory=list)
    # The largest value the metric can take: an exchange ratio of shares per share is no
    # "22 million share" offering.
    max_value: float | None = Field(None, gt=0, allow_inf_nan=False)
    # The metric a figure above max_value measures instead, if any: "an IPO price of $2.8
    # billion" is what the listing valued the company at, no price of a share.
    above_max: str | None = None


class Directions(_Strict):
    up: list[str]
    down: list[str]
    # Change words right after a figure that give its direction: "a 2.5% fall", "0.6% higher"
    up_after: list[str] = Field(default_factory=list)
    down_after: list[str] = Field(default_factory=list)


class MetricsFile(_Strict):
    metrics: list[MetricRule]
    directions: Directions
    attribution_verbs: list[str]
    attribution_phrases: list[str]
    # "analysts at Morrow Bank expect": people whose firm is the forecast's source
    forecaster_nouns: list[str] = Field(default_factory=list)
    # Publishers of analysts' consensus ("the 1.5 trillion won forecast by
    # FnGuide"): an expected figure whose clause names one is the consensus.
    consensus_sources: list[str] = Field(default_factory=list)
    # One poll under several names (a publisher renamed or bought): alias -> the name a
    # figure's poll is compared by ("Refinitiv" -> "LSEG").
    consensus_source_names: dict[str, str] = Field(default_factory=dict)
    forecast_words: list[str]
    conditional_words: list[str] = []  # "if", "unless": the sentence states a condition
    hypothetical_modals: list[str] = []  # "would", "could": with a condition, a hypothesis
    # Verbs that change a figure someone sets ("raised its forecast by $3 billion", "cut
    # the dividend by 10 cents"): the amount after their "by" is the change, not the level.
    revision_verbs: list[str] = Field(default_factory=list)
    comparison_verbs: list[str] = Field(default_factory=list)  # "beat estimates by $2bn": the gap
    # "$2.18 a share versus the consensus estimate": words that, right after a result, set
    # it against an expectation as the comparison verbs do
    comparison_words: list[str] = Field(default_factory=list)
    outcome_phrases: list[str] = Field(default_factory=list)  # "rose more than expected": no forecast
    # Nouns a figure can measure that make it an expectation: "an estimate of $61.2 billion".
    forecast_nouns: list[str] = Field(default_factory=list)
    # Nouns naming a report as an event ("its third-quarter results", "the Q1 earnings
    # report"): a time that qualifies one dates the report, not a market move after it.
    report_nouns: list[str] = Field(default_factory=list)
    # Nouns naming a level as a record ("rose to a 41-year high of 11.1%", "hit a record low
    # of $12"): the figure they hold is the level of what reached them, not of the noun.
    record_nouns: list[str] = Field(default_factory=list)
    # The metric a record's span is ("a 41-year high of 11.1%"), given to a duration that
    # stands before a record noun and the level the record holds.
    record_span_metric: str | None = None
    # The record a span counts back to, by the noun or superlative that names it ("a 12-year
    # high", "the highest level in 12 years": both "high").
    record_words: dict[str, str] = Field(default_factory=dict)
    # The metric a reporting period's last day is ("the quarter ended Oct. 4":
    # extract/dates.py); none: such days are not read as figures.
    period_end_metric: str | None = None

    @model_validator(mode="after")
    def _record_span_metric_exists(self) -> "MetricsFile":
        ids = {m.id for m in self.metrics}
        for field, metric in (("record_span_metric", self.record_span_metric), ("period_end_metric", self.period_end_metric)):
            if metric is not None and metric not in ids:
                raise ValueError(f"{field} {metric!r} is not defined")
        return self

    @field_validator("metrics")
    @classmethod
    def _growth_targets_exist(cls, metrics: list[MetricRule]) -> list[MetricRule]:
        ids = {m.id for m in metrics}
        for m in metrics:
            if m.growth and m.growth not in ids:
                raise ValueError(f"metric {m.id!r}: growth metric {m.growth!r} is not defined")
            if m.above_max and m.above_max not in ids:
                raise ValueError(f"metric {m.id!r}: above_max metric {m.above_max!r} is not defined")
        return metrics


class Thresholds(_Strict):
    # Finite and in range: `.nan` compares false with everything, so a NaN or negative
    # threshold silently turns every check off (an error became a warning, exit 1 -> 0).
    scale_ratio: float = Field(10.0, gt=1.0, allow_inf_nan=False)
    approx_tolerance: float = Field(0.05, ge=0.0, lt=1.0, allow_inf_nan=False)
    rounding_ulps: float = Field(1.0, ge=0.0, le=1000.0, allow_inf_nan=False)
    short_window_days: int = Field(7, ge=0, le=3660)
    # Two forecasts published more than this many days apart are never compared: the later
    # one is a revision (compare.revised).
    revision_days: int = Field(14, ge=0, le=3660)
    # Two reporting periods' last days further apart than this are the ends of two
    # periods (the week before, the quarter before), not one day written two ways: below
    # a week, as two weeks' ends are seven days apart.
    period_end_days: int = Field(5, ge=0, le=3660)
    max_findings_per_block: int = Field(50, ge=1, le=1_000_000)
    max_parsed_sentences: int = Field(1000, ge=1, le=10_000_000)
    max_figures: int = Field(600, ge=1, le=100_000_000)
    # Beyond this ratio only a power of ten is a slip; other ratios are two different
    # things (compare/unrelated.py).
    slip_ratio_max: float = Field(1000.0, ge=10.0, allow_inf_nan=False)
    count_slip_ratio_max: float = Field(3.0, ge=1.0, allow_inf_nan=False)
    slip_tolerance: float = Field(0.1, ge=0.0, lt=0.5, allow_inf_nan=False)
    # Blocking (factcheck/link): a run of up to `story_articles` articles is one story,
    # every figure compared with every other; a larger one is compared story by story
    # (articles naming a company in common, published up to `story_days` apart). A name
    # that more than `story_common_share` of the articles give joins nothing on its own.
    story_articles: int = Field(50, ge=1, le=10_000_000)
    # Every pair of a block's figures is a candidate: a block of n figures is n(n-1)/2
    # comparisons, so a larger one refuses the run (exit 2) rather than run for hours.
    max_block_claims: int = Field(3000, ge=2, le=10_000_000)
    story_days: int = Field(7, ge=0, le=3660)
    story_common_share: float = Field(0.05, gt=0.0, le=1.0, allow_inf_nan=False)
    # FC201 change arithmetic: a hedged change word ("nearly doubled") allows this relative
    # slack; a stated change outside what the from/to figures allow is an error when it is
    # this factor or more from the nearest change they allow (a warning inside it).
    change_hedge_tolerance: float = Field(0.15, ge=0.0, lt=1.0, allow_inf_nan=False)
    change_error_factor: float = Field(1.15, ge=1.0, allow_inf_nan=False)
    # FC202 price x count and FC203 parts and whole: a total this factor or more from every
    # total its figures allow is an error; nearer, a warning.
    product_error_factor: float = Field(1.2, ge=1.0, allow_inf_nan=False)
    parts_error_factor: float = Field(1.1, ge=1.0, allow_inf_nan=False)
    # The least severity at which two figures of one article's body are reported (a title
    # against its body is not held to it).
    within_article: Literal["warning", "error"] = "error"
    # and only when both figures are of one company, as the subject comparison reads it
    # (link/comparisons.py): the writer says whose each figure is
    within_article_same_subject: bool = True
    # Findings of these codes (values that differ beyond a rounding) are not reported below
    # this link probability, whatever their relation's learned warning threshold: that
    # threshold holds the precision of all findings above it, and the weakest links it lets
    # through are rarely one quantity (bench/README.md). A rounding or a window is told by
    # its values as much as by its link, and keeps the learned threshold alone.
    weak_link_codes: frozenset[str] = frozenset({"FC101", "FC102"})
    weak_link_floor: float = Field(0.1, ge=0.0, le=1.0, allow_inf_nan=False)
    # Findings between two figures whose sentences each name a different company, neither
    # naming the other's or naming it beside a figure of its own (compare.reported_subjects)
    two_named_companies: bool = False
    # Findings between two consensus figures of two polls, or of a named poll and an
    # unnamed one (compare.reported_polls)
    other_polls: bool = False
    # An article told twice (extract/retold.py): a run of at least `retold_paragraphs`
    # paragraphs of `retold_words` words or more, each restating an earlier one at a
    # token-set ratio of `retold_similarity` (0-100, numbers masked); a figure of the run
    # restates the figure of the first telling whose surrounding words it matches best, at
    # `retold_figure_similarity` or more. An article of more than `retold_max_paragraphs`
    # long paragraphs is not searched: every pair of its paragraphs would be compared.
    retold_paragraphs: int = Field(4, ge=2, le=1000)
    retold_words: int = Field(12, ge=1, le=10_000)
    retold_similarity: float = Field(85.0, ge=50.0, le=100.0, allow_inf_nan=False)
    retold_figure_similarity: float = Field(75.0, ge=50.0, le=100.0, allow_inf_nan=False)
    retold_max_paragraphs: int = Field(100, ge=1, le=100_000)


class SeverityFile(_Strict):
    severity: dict[str, Severity]
    thresholds: Thresholds = Thresholds()

    @model_validator(mode="after")
    def _weak_link_codes_exist(self) -> "SeverityFile":
        unknown = sorted(self.thresholds.weak_link_codes - set(self.severity))
        if unknown:
            raise ValueError(f"weak_link_codes: {', '.join(unknown)} not among the codes of `severity`")
        return self


class QualifiersFile(_Strict):
    """Words in front of a metric's head noun: which qualify it and which do not."""

    ignore: list[str]  # "record", "quarterly", "total": say nothing about what is measured
    basis: dict[str, str] = Field(default_factory=dict)  # "non-GAAP" -> "adjusted"
    basis_phrases: dict[str, list[str]] = Field(default_factory=dict)  # "excluding items" -> adjusted
    comparison_phrases: dict[str, list[str]] = Field(default_factory=dict)  # "on the month" -> month-on-month
    # "its Hong Kong-listed shares", "its ADRs": a listing of its own, whose price moves apart
    listing_suffixes: list[str] = Field(default_factory=list)  # "-listed", "-traded" after a place
    listing_phrases: dict[str, list[str]] = Field(default_factory=dict)  # "American depositary receipts" -> ADR
    change_nouns: list[str]  # "a 31% drop in revenue": the metric is the noun after it
    pace_nouns: list[str] = []  # "expanded at a 2.9% annualized pace": the growth of the verb's subject
    measures: list[str] = []  # "core inflation": a measure of a statistic, even where a cue word names it
    segment_nouns: list[str] = []  # "its cloud unit grew 31%": a part of a company
    index_part_nouns: list[str] = []  # "the S&P 500 energy sector fell 2%": a part of an index
    segment_growth: str | None = None  # the metric a part's percent growth is
    difference_nouns: list[str] = []  # "the Brent-WTI spread settled at $3.31 a barrel": a gap between prices, no price
    count_actions: dict[str, list[str]] = Field(default_factory=dict)  # "close 64 stores" vs "operates 1,130 stores"
    part_phrases: list[str] = []  # "of which €150 million are ...": a part of the total before it
    open_head_stopwords: list[str]  # head nouns too vague to be an open metric


class ChangeWords(_Strict):
    up: list[str]
    down: list[str]


class ArithmeticFile(_Strict):
    """The words a sentence states a change and its from/to figures with (FC201)."""

    change_words: ChangeWords
    multiple_words: dict[str, float]  # "doubled" -> 2
    hedges: dict[str, Literal["under", "over", "approx"]]  # "nearly" -> under: a little under the word's multiple
    to_markers: list[str]
    from_markers: list[str]  # one or more words: "compared with"
    by_markers: list[str] = []
    expectation_words: list[str] = []  # "compared to the expected $1.98": a forecast, not a start
    point_units: list[str] = ["percentage_point"]
    # FC202 price x count and FC203 parts and whole (extract/totals.py); a rules folder
    # whose arithmetic.yaml predates them checks neither.
    transaction_verbs: list[str] = []  # "sold 8 million shares at $21 each"
    price_markers: list[str] = []  # "at $21"
    each_words: list[str] = []  # "for $21 each": a price a unit, not a total
    count_markers: list[str] = []  # "a dividend of 50 cents a share on 200 million shares"
    total_verbs: list[str] = []  # "raising $1.7 billion", "valuing the stake at $135 million"
    total_markers: list[str] = []  # "for $168 million"
    alternative_markers: list[str] = []  # "$4 million a month, or $48 million a year"
    periods_a_year: dict[str, float] = {}  # "month" -> 12: a rate a month times this is a rate a year
    plan_words: list[str] = []  # "priced at $9.99 a month (or $99.99 a year)": two plans, the yearly one cheaper
    rate_words: list[str] = []  # "monthly", "a month": what a message leaves off "$4 million a month x 12"
    part_markers: list[str] = []  # "of", "out of": the whole the parts are of
    total_words: list[str] = []  # "of the $8.5 billion total": the whole is all of it
    open_part_markers: list[str] = []  # "out of $8.5 billion": a whole with no total word
    split_words: list[str] = []  # "split into", "made up of": the parts are all of the whole
    split_markers: list[str] = []
    share_verbs: list[str] = []  # "hold 45%, 38% and 30% of the market"
    separate_words: list[str] = []  # "of their respective markets": one whole each


class SessionsFile(_Strict):
    """Parts of a trading day, each with the phrases that name it."""

    sessions: dict[str, list[str]]
    # Sessions whose figure is one number for the day (its open, close, high, low): two
    # such figures that differ cannot both be right. Any other snapshot may have been.
    fixed: list[str] = ["open", "close"]


def _node_line(node: yaml.Node, loc: tuple) -> int:
    """Line (1-based) of the YAML node at a pydantic error location, as deep as it goes."""
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def load_yaml_model(path: Path, model: type[BaseModel]) -> BaseModel:
    """Parse a YAML rules file into `model`, turning every failure into a RulesError."""
    shown = str(path)
    try:
        text = read_small_text(path)
    except FileNotFoundError:
        raise RulesError(shown, "rules file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(shown, f"cannot read rules file: {exc}") from None
    hostile = refuse_hostile_yaml(text)
    if hostile is not None:
        raise RulesError(shown, *hostile)
    try:
        node, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulesError(shown, f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    if node is None:
        raise RulesError(shown, "rules file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        raise RulesError(shown, f"{where}: {msg}" if where else msg, _node_line(node, loc)) from None


class Rules:
    """Everything the pipeline reads from a rules directory, loaded once per run."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise RulesError(str(directory), "rules directory not found")
        self.entities: EntitiesFile = load_yaml_model(self.directory / "entities.yaml", EntitiesFile)
        self.metrics: MetricsFile = load_yaml_model(self.directory / "metrics.yaml", MetricsFile)
        self.policy: SeverityFile = load_yaml_model(self.directory / "severity.yaml", SeverityFile)
        self.qualifiers: QualifiersFile = load_yaml_model(self.directory / "qualifiers.yaml", QualifiersFile)
        self.sessions: SessionsFile = load_yaml_model(self.directory / "sessions.yaml", SessionsFile)
        # Added after rules folders were first copied: one without it reads the shipped file.
        arithmetic = self.directory / "arithmetic.yaml"
        self.arithmetic: ArithmeticFile = load_yaml_model(
            arithmetic if arithmetic.is_file() else DEFAULT_RULES_DIR / "arithmetic.yaml", ArithmeticFile
        )
        growth = self.qualifiers.segment_growth
        if growth is not None and growth not in {m.id for m in self.metrics.metrics}:
            raise RulesError(str(self.directory / "qualifiers.yaml"), f"segment_growth: {growth!r} is no metric in metrics.yaml")
        # Loaded here so that a broken units file is reported like any other rules file.
        from factcheck.units import load_units  # heavy dependency: pint pulls in numpy, scipy and dask (~1 s)

        self.units = load_units(self.directory)

    @cached_property
    def metric_by_id(self) -> dict[str, MetricRule]:
        return {m.id: m for m in self.metrics.metrics}

    @cached_property
    def fingerprint(self) -> str:
        return rules_fingerprint(self.directory)

    def severity(self, code: str) -> Severity:
        return self.policy.severity.get(code, "warning")


def rules_fingerprint(directory: Path) -> str:
    """Hash of every rules file: caches keyed by it go stale when an editor tunes a rule."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def per_rules(build: Callable[[Rules], T]) -> Callable[[Rules], T]:
    """`build(rules)` computed once per rules set, kept exactly as long as the rules set
    lives (weak keys: keying on id() would hand a dead set's result to a new one at the
    same address)."""
    memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(rules: Rules) -> T:
        found = memo.get(rules)
        if found is None:
            found = memo[rules] = build(rules)
        return found

    return get


def load_rules(directory: Path | str | None = None) -> Rules:
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    return loaded_rules(directory, rules_fingerprint(directory))  # a missing folder: Rules says so


def loaded_rules(directory: Path, fingerprint: str) -> Rules:
    """The rules of a directory as its files are now (`fingerprint`), built once per
    process: building them (YAML, pint's registry, then the lexicons `per_rules` derives)
    costs about half a second, which every `factcheck.check` call of an editor's tool or
    a server paid again. An edited file changes the fingerprint, so the next call reloads.
    Rules are read, never changed, by everything that receives them."""
    key = (directory.resolve(), fingerprint)
    with _LOADED_LOCK:
        found = _LOADED.pop(key, None)
    if found is None:
        found = Rules(directory)  # a broken file raises here, and nothing is kept
    with _LOADED_LOCK:
        _LOADED[key] = found  # most recently used last
        while len(_LOADED) > 4:
            del _LOADED[next(iter(_LOADED))]
    return found


_LOADED: dict[tuple[Path, str], Rules] = {}
_LOADED_LOCK = threading.Lock()
