"""The cue-word reading of a sentence: what a figure is about when the parse says nothing.

For every number a sentence states (quantities.py parses it) this stage decides what it
is about: the subject (entities.py), the metric (rules/metrics.yaml), the direction, who
says so, the scope ("five major cloud giants") and the time (periods.py), carrying a
sentence's time to the sentences that continue it. It never compares anything.

A number whose subject or metric cannot be told leaves it None rather than guessed:
linkage weighs an unknown slot as unknown (link/comparisons.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from factcheck.stopwords import STOP_WORDS

from factcheck.extract.entities import _STOP_NAMES, MARKET_CODE, TICKER, EntityIndex, EntityMention, _trie_pattern, inside_longer_name, names_currency, unknown_subjects
from factcheck.tries import prefix_tree
from factcheck.models import Period, Sentence
from factcheck.extract.periods import TimeMention
from factcheck.extract.quantities import QuantityMention
from factcheck.rules import MetricRule, Rules, per_rules
from factcheck.words import MONTH_NAMES, NUMBER_WORDS, WEEKDAY_NAMES, WORDS

# Where a clause ends: a figure's subject and metric are looked for inside its clause first.
_CLAUSE_BREAK = re.compile(r";|\s[—–-]{1,2}\s|—|, (?:while|whereas|but|although|though|with|compared with|versus)\b|\bwhile\b")
_NUMBER_WORDS = {**{w: n for w, n in NUMBER_WORDS.items() if n >= 2}, "both": 2}
DAY_CARRY_PARAGRAPHS = 3
_CALENDAR_WORDS = {*WEEKDAY_NAMES, *MONTH_NAMES, "I"}
# A metric cue outside the figure's clause counts only this close (characters to its left).
_ASIDE = re.compile(r"\s[-–—]\s[^-–—]{1,120}?\s[-–—]\s")
_FAR_CUE = 80
# No listed share has traded near $10 million; a "price" that large is a company's value.
_LARGEST_SHARE_PRICE = 1e7
# A wire dateline: the filing city in capitals, the agency, a dash ("TOKYO (AP) —").
# "TOKYO (AP) — ", "LONDON, May 3 - ", "AMSTERDAM (Reuters) -ASML": where a story was filed;
# after the agency's name the dash may touch the first word ("NEW YORK-based" is no dateline)
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,40}?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)]{1,25}\)\s*[—–-]\s*|\s*[—–-]\s)")
_VINTAGE = re.compile(r"\b(?:previous|prior|earlier|initial|first|second|third|advance|preliminary|official|flash|final)\s+$", re.IGNORECASE)


def vintage_before(text: str, pos: int) -> bool:
    """"the first estimate", "the advance reading": a statistic's release right before
    `pos`, whose "estimate" is a measurement, not a forecast."""
    return _VINTAGE.search(text, max(0, pos - 16), pos) is not None


# "a 38% decline in Kestrel shares": a change noun after the figure, of a stock
_CHANGE_IN_SHARES = re.compile(
    r"\s*(?:decline|drop|fall|slide|plunge|slump|loss|gain|rise|jump|rally|surge|increase|decrease)\s+in\s+"
    r"(?:[\w.&'’-]+\s+){0,3}?(?:shares|stock|stocks|share\s+price)\b",
    re.IGNORECASE,
)
# "closed 2% higher", "ended the session 8% lower": a session's verb before the figure and
# a comparative after it tell a move; "was 40% higher than a year ago" is a comparison
_SESSION_VERB_BEFORE = re.compile(
    r"\b(?:clos|end|finish|open|settl|trad)(?:ed|ing|es|e|s)?\s+(?:the\s+(?:day|session|week)\s+)?$", re.IGNORECASE
)
_MOVED_COMPARATIVE = re.compile(r"\s*(?:higher|lower)\b(?!\s+than\b)", re.IGNORECASE)
_LIST_GLUE = re.compile(r"^(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s*\([^)]{0,30}\)\s*(?:,\s*(?:and\s+)?|and\s+)?)$")
_MEMBERS_INTRO = re.compile(r"(?:[—–:(]|\bsuch as|\bincluding|\bnamely)\s*$")
# "the company", "the Austin-based carmaker", "its": the company the text was just about.
# ", which markets its cheaper crossover as an alternative to Kestrel's models," names
# other companies that the figure after it is not about.
_RELATIVE = re.compile(r",\s*(?:which|who|whose|where)\b[^,]*,")
# A name right after these is an object ("rent from Pinecrest", "pay Pinecrest $5.7bn").
# "began trading on the Nasdaq", "listed on the Nasdaq": where shares trade, not an index.
_VENUE_BEFORE = re.compile(r"\b(?:trad(?:e|es|ed|ing)|list(?:s|ed|ing)?|debut(?:s|ed)?|float(?:s|ed)?)\s+on\s+the\s+$", re.IGNORECASE)
_OBJECT_BEFORE = re.compile(
    r"\b(?:from|to|with|against|than|versus|vs\.?|over|pay|pays|paid|paying|owe|owes|owed|charge|charges|charged)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PUBLISHER = re.compile(r"\s*,?\s*(?:compiled|published|gathered|collected|calculated)\s+by\s+", re.IGNORECASE)
# "That compares with ...", "This was up from ...": a sentence that opens by pointing back
# at the previous one's figure
_CONTINUES_PREVIOUS = re.compile(
    r"\A\W*(?:that|this|it)(?:['’]s|\s+(?:is|was))?\s+(?:compares|compared|up|down)\s+(?:with|to|from)\b", re.IGNORECASE
)
# "It had contracted ...": a sentence whose subject is the pronoun, read from its start
_IT_OPENS = re.compile(r"\A\W*It\s")
# How far into a sentence the noun it is about is looked for ("The real GDP in ...")
_OPENING_REACH = 40
# "beating analysts' calls for 68 cents": what the Street called for is its forecast
# (a call alone is no forecast noun: "margin calls of $2 billion" happened)
_STREET_CALLS_BEFORE = re.compile(
    r"\b(?:analysts?|economists?|strategists?|(?:Wall\s+|the\s+)Street)['’]?s?\s+(?:[\w-]+\s+){0,2}?calls?\s+for\s+(?:an?\s+)?$", re.IGNORECASE
)
# Between a result and the comparison verb after it: "$8.2 billion, missing", "$8.2
# billion in the quarter topped".
_SET_AGAINST_LEAD = re.compile(r"[\s,]*(?:(?:in|for|during)\s+the\s+\w+\s+)?(?:which\s+|that\s+)?")
_COMPARED = re.compile(r"\b(?:compared with|compared to|versus|vs\.?|against|than)\b", re.IGNORECASE)
_COMPARED_WORDS = re.compile(r"compared with|compared to|versus|vs|against|than", re.IGNORECASE)
# "expanded 2.9%, revised up from an earlier estimate of 2.6%", "311,000, up from 270,000
# in February": an earlier value of the same figure, written just before it.
_EARLIER_OF = re.compile(
    r"\b(?:(?:up|down)\s+from|above|below|revised\s+(?:up|down|higher|lower)\s+from|revised\s+from|ahead\s+of|short\s+of)\b[^.;\d]{0,40}$",
    re.IGNORECASE,
)
# Between a figure and a cue naming it: "a 27% premium", "$570 million a year in rent",
# "a 7 percent drop in output".
_CUE_GAP = re.compile(
    r"\s*(?:(?:drop|fall|decline|rise|increase|gain|jump|growth|contraction|cut|hike|reduction)\s+)?(?:(?:in|of|for)\s+)?",
    re.IGNORECASE,
)
# "over 90% of Meta's revenue", "about 24% of them fully electric": a part's share of a whole
_SHARE_OF = re.compile(
    r"\s+of\s+(?!GDP\b|gross\b)(?:the\s+|its\s+|their\s+|all\s+|total\s+|[\w.&-]+['’]s?\s+|(?:them|those|these)\b)", re.IGNORECASE
)
_ANOTHER = re.compile(r"\b(?:another|an additional|a further|a second|a new)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_FOR_SUBJECT = re.compile(r"^\s+(?:for|at)\s+$")
_IN_SUBJECT = re.compile(r"^\s+in\s+$")


@dataclass
class _Lexicon:
    """Compiled views of rules/metrics.yaml, built once per rules set."""

    rules: Rules
    cue_res: list[tuple[MetricRule, re.Pattern]] = field(default_factory=list)

    def __post_init__(self) -> None:
        m = self.rules.metrics
        for metric in m.metrics:
            if metric.cues:
                self.cue_res.append((metric, _cue_regex(metric.cues)))
        # Every position where some metric's cue starts, in one pass over the sentence.
        self.cue_scan = _cue_regex([c for metric, _ in self.cue_res for c in metric.cues], scan=True)
        self._cue_firsts = [_first_chars(metric.cues) for metric, _ in self.cue_res]
        self._cue_metrics_at: dict[str, list[int]] = {}
        self.up = set(w.lower() for w in m.directions.up)
        self.down = set(w.lower() for w in m.directions.down)
        self.up_after = frozenset(w.lower() for w in m.directions.up_after)
        self.down_after = frozenset(w.lower() for w in m.directions.down_after)
        verbs = sorted(self.up | self.down, key=len, reverse=True)
        # As a trie (the longest verb at a place, as the longest-first alternation found):
        # read in a window before every figure, a flat alternation tried each verb at each word.
        body = _trie_pattern(prefix_tree(verbs, re.IGNORECASE)) if verbs else ""
        self.direction_re = re.compile(r"(?<![\w-])(" + body + r")(?![\w-])", re.IGNORECASE)
        self.verbs = tuple(verbs)
        self.report_verbs = tuple(sorted({w.lower() for w in self.rules.entities.report_verbs}, key=len, reverse=True))
        # Verbs that move a figure or set it anew: the amount after their "by" is a change
        # ("raised its forecast by $3 billion", "sales grew by $400 million").
        changing = sorted(
            {w.lower() for w in m.revision_verbs + m.comparison_verbs} | {w for w in self.up | self.down if " " not in w},
            key=len, reverse=True,
        )
        self.changing_verb_re = re.compile(r"\b(?:" + "|".join(map(re.escape, changing)) + r")\b", re.IGNORECASE)
        self.attribution_verbs = frozenset(v.lower() for v in m.attribution_verbs)
        self.forecaster_nouns = frozenset(v.lower() for v in m.forecaster_nouns)
        self.direction_words = self.up | self.down
        att = "|".join(re.escape(v) for v in sorted(m.attribution_verbs, key=len, reverse=True))
        # "Barclays expects", "Morrow Bank economists said": the name, its people, the verb
        people = "|".join(re.escape(v) for v in sorted(m.forecaster_nouns, key=len, reverse=True))
        self.attribution_verb_re = re.compile(
            rf"^(?:['’]s?\s+)?(?:\s*\([^)]*\))?\s*(?:(?:{people})\s+)?(?:also\s+|now\s+|still\s+)?(?:{att})\b", re.IGNORECASE
        )
        fc = "|".join(re.escape(w) for w in sorted(m.forecast_words, key=len, reverse=True))
        self.forecast_re = re.compile(rf"\b(?:{fc})\b", re.IGNORECASE)
        # "trailing analysts' sales forecasts", "topped the consensus estimate": a result set
        # against an expectation; the forecast word is the comparison's object and marks no
        # figure after it a forecast
        compared = "|".join(re.escape(w) for w in sorted({w.lower() for w in m.comparison_verbs}, key=len, reverse=True))
        self.compared_forecast_re = re.compile(rf"\b(?:{compared})\s+(?:[\w'’.&-]+\s+){{0,4}}?(?:{fc})(?:\s+(?:{fc}))*\b", re.IGNORECASE) if compared else None
        # "$8.2 billion topped analysts' expectations", "$2.18 a share versus the consensus
        # estimate": a result set against an expectation named by a forecast word or noun,
        # read right after the result
        expectation = "|".join(re.escape(w) for w in sorted({w.lower() for w in m.forecast_words + m.forecast_nouns}, key=len, reverse=True))
        against = "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted({w.lower() for w in m.comparison_verbs + m.comparison_words}, key=len, reverse=True)
        )
        self.set_against_re = re.compile(rf"(?:{against})\s+(?:[\w'’.&-]+\s+){{0,4}}?(?:{expectation})\b", re.IGNORECASE) if against else None
        # Right after a figure, a few words may come first: "148,000 units expected".
        self.forecast_after_re = re.compile(rf"^[\w\s]{{0,20}}?\b(?:{fc})\b", re.IGNORECASE)
        # A relative clause after it says who expected it: "the 150,000 that economists had
        # been expecting".
        self.expected_after_re = re.compile(
            rf"^\s+(?:that|which)\s+(?:[\w'’-]+\s+){{0,4}}?(?:had\s+|have\s+|has\s+|were\s+|was\s+)?(?:been\s+)?(?:{fc}|expecting)\b",
            re.IGNORECASE,
        )
        # "projections of about 180,000", "the consensus estimate for $1.54": an expectation
        # noun the figure is given as
        nouns = "|".join(re.escape(w) for w in sorted(m.forecast_nouns, key=len, reverse=True))
        self.forecast_noun_before_re = re.compile(
            rf"\b(?:{nouns})\s+(?:of|for|at|was|were|is|are|stood\s+at|called\s+for)\s+"
            r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|some\s+|approximately\s+|just\s+(?:over|under)\s+)?(?:a|an)?\s*$",
            re.IGNORECASE,
        )
        # "its earlier forecast for a drop of 25%", "a target of a 10% cut", "expectations
        # for a gain 2%": a change that is what someone forecast or aims at, said of no price
        changes = "|".join(re.escape(w) for w in sorted(self.up_after | self.down_after | {"cut", "reduction", "increase"}))
        self.forecast_change_before_re = re.compile(
            rf"\b(?:{nouns})\s+(?:of|for|to)\s+(?:an?\s+)?(?:(?:{changes})\s+(?:of\s+)?(?:about\s+|around\s+|roughly\s+)?)?$",
            re.IGNORECASE,
        )
        # "after its third-quarter results", "following its Q1 revenue report": a time, up to
        # two words, then a report noun or a result's own ("its fourth-quarter revenue")
        report_words = set(m.report_nouns) | {c for metric in m.metrics if metric.results for c in metric.cues}
        reports = "|".join(re.escape(w) for w in sorted(report_words, key=len, reverse=True))
        self.report_after_time_re = re.compile(rf"(?:[\s-]+[\w'’-]+){{0,2}}?[\s-]+(?:{reports})\b", re.IGNORECASE) if reports else None
        outcome = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(m.outcome_phrases, key=len, reverse=True))
        self.outcome_re = re.compile(rf"\b(?:{outcome})\b", re.IGNORECASE) if outcome else None
        cond = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(m.conditional_words, key=len, reverse=True))
        modal = "|".join(re.escape(w) for w in sorted(m.hypothetical_modals, key=len, reverse=True))
        self.conditional_re = re.compile(rf"\b(?:{cond})\b", re.IGNORECASE) if cond else None
        self.modal_re = re.compile(rf"\b(?:{modal})\b", re.IGNORECASE) if modal else None
        # An attribution phrase right before a name ("according to"), read backwards from
        # the name on the reversed sentence: matched at the name, not searched across the
        # 25 characters before it (see _is_attribution).
        rphr = "|".join(re.escape(p[::-1]) for p in m.attribution_phrases)
        self.attribution_phrase_reversed_re = re.compile(rf"\s+(?:{rphr})\b", re.IGNORECASE)
        sources = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(m.consensus_sources, key=len, reverse=True))
        self.consensus_source_re = re.compile(rf"(?<![\w-])(?:{sources})(?![\w-])") if sources else None
        self.consensus_source_names = {re.sub(r"\s+", " ", k): v for k, v in m.consensus_source_names.items()}
        # "the $4.0 billion forecast by Goldman Sachs", "$4.0 billion expected by analysts polled
        # by FactSet": a source named just after the figure ("per" there is a rate)
        after = "|".join(re.escape(p) for p in m.attribution_phrases if p.lower() != "per")
        self.attribution_after_re = re.compile(rf"^\s+(?:[\w'’-]+\s+){{0,4}}?(?:{after})\s+(?:the\s+)?$", re.IGNORECASE) if after else None
        nouns = "|".join(re.escape(n) for n in sorted(self.rules.entities.company_nouns, key=len, reverse=True))
        # "the retailer", "the pharma giant", "its": up to two words may describe the noun.
        self.anaphor_re = re.compile(rf"\b(?:[Tt]he\s+(?:[\w-]+\s+){{0,3}}?(?:{nouns})|[Ii]ts)\b(?!\s+(?:of|that|which)\b)")
        self.not_names = set(self.rules.entities.not_names)
        # "Estonian shares fell": a nationality before a verb of movement is a market, no name
        self.demonyms = frozenset(self.rules.entities.demonyms)
        # Capitalised words that stand beside a country's name without being part of one
        # ("In Japan", "Unlike Canada", "U.S. Treasury", "China GDP").
        self.beside_names = frozenset(
            self.not_names | _STOP_NAMES | {w.capitalize() for w in STOP_WORDS} | set(MONTH_NAMES) | set(WEEKDAY_NAMES)
            | {c for metric in m.metrics for c in metric.cues}
        )
        self.statistic_names = frozenset(c.lower() for metric in m.metrics if metric.statistic for c in metric.cues)
        self.company_noun_re = re.compile(rf"\b[Tt]he\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b")
        self.company_nouns = {n.lower() for n in self.rules.entities.company_nouns}
        self.market_nouns = frozenset(n.lower() for n in self.rules.entities.market_nouns)
        # "Rival Ostrava Freight", "Chipmaker Lumora Semiconductor": no part of the name
        self.name_descriptors = frozenset(w.lower() for w in self.rules.entities.name_descriptors) | frozenset(self.company_nouns)
        # "Nasdaq-listed Halvern", "its Hong Kong-listed shares": the name before the hyphen
        # is where shares trade, never a subject nor what "its" points at
        listing = "|".join(re.escape(w) for w in self.rules.qualifiers.listing_suffixes)
        self.listing_suffix_re = re.compile(rf"-(?:{listing})\b") if listing else None
        self.company_words = frozenset(self.rules.entities.company_words)
        self.deal_verbs = frozenset(w.lower() for w in self.rules.entities.deal_words)
        e = self.rules.entities
        bid = _alternation_of(e.bid_nouns)
        by = _alternation_of(e.acquired_by)
        # the words right before a bidder's name, and right after it
        self.bidder_before_re = re.compile(
            rf"(?:\b(?:{bid})\b(?:[^.;:]|\.\d){{0,48}}?\b(?:from|by)" + (rf"|\b(?:{by})" if by else "") + r")\s+(?:the\s+|rival\s+|its\s+rival\s+)?$",
            re.IGNORECASE,
        ) if bid else None
        # after a possessive name (its "'s" may be part of the mention)
        self.bidder_possessive_re = re.compile(rf"(?:['’]s?)?\s+(?:[^\s.;,]+\s+|\d+\.\d+\s+){{0,4}}?(?:{bid})\b", re.IGNORECASE) if bid else None
        self.country_cues = []
        # the growth nouns (metrics.yaml country_cues): before a bare figure of a company they
        # make it a growth rate, never its share move
        self.growth_noun_re = _phrase_regex([c for metric in m.metrics for c in metric.country_cues])
        for metric in m.metrics:
            if metric.country_cues:
                cue = _alternation_of(metric.country_cues)
                self.country_cues.append((
                    metric,
                    # ("an 8.8% growth in the CPI reading" is the CPI's)
                    re.compile(rf"\s*(?:{cue})\b(?!\s+(?:in|of)\b)", re.IGNORECASE),
                    re.compile(rf"(?:['’]s?)?\s+(?:\w+-\w+(?:-\w+)?\s+)?(?:{cue})\b", re.IGNORECASE),
                    re.compile(rf"\b(?:{cue})\s+(?:in|of)\s+(?:the\s+)?$", re.IGNORECASE),
                ))
        # searched in every sentence (a sentence about a deal names its parties): a trie
        self.deal_word_re = _phrase_regex(list(e.deal_words) + list(e.bid_nouns) + list(e.bidder_verbs))
        verbs = _alternation_of(e.bidder_verbs)
        self.bidder_verb_re = re.compile(rf"(?:\s*,[^,]{{0,40}},)?\s+(?:has\s+|have\s+|had\s+|which\s+|that\s+)?(?:{verbs})\b", re.IGNORECASE) if verbs else None
        self.fiscal_year_ends = {e.name: e.fiscal_year_end for e in self.rules.entities.entities if e.fiscal_year_end}
        self.rule_names = frozenset(e.name for e in self.rules.entities.entities)
        # "Canadian inflation": the country whose statistic a nationality names
        self.country_of_demonym = {
            d.lower(): e.name for e in self.rules.entities.entities if e.kind == "country" for d in e.demonyms
        }
        # Heads of a subject that point back at a company: its nouns, "its shares", pronouns.
        self.anaphor_heads = self.company_nouns | {"stock", "shares", "share", "business", "it", "its", "they",
                                                   "we", "he", "she", "who", "which", "that"}

    def names_statistic(self, name: str) -> bool:
        """"the Consumer Price Index", "Core CPI": written like a name, read as one by the
        NER, but a statistic, which is a metric of the economy and never a subject."""
        words = name.lower().split()
        if any(" ".join(words[k:]) in self.statistic_names for k in range(len(words))):
            return True
        # "Price Index" where the parse split "the Consumer Price Index"
        return len(words) > 1 and any(c.endswith(" " + " ".join(words)) for c in self.statistic_names)

    def polls(self, text: str) -> list[tuple[int, str]]:
        """Where `text` names a publisher of analysts' consensus, and the name its poll is
        compared by ("Refinitiv" and "LSEG" are one poll)."""
        if self.consensus_source_re is None:
            return []
        hits = [(m.start(), re.sub(r"\s+", " ", m.group())) for m in self.consensus_source_re.finditer(text)]
        return [(at, self.consensus_source_names.get(name, name)) for at, name in hits]

    @cached_property
    def entity_index(self) -> EntityIndex:
        e = self.rules.entities
        return EntityIndex(e.entities, e.instrument_words, e.index_nouns, e.exchange_words)

    def cue_metrics_at(self, ch: str) -> list[int]:
        """Indices into cue_res of the metrics with a cue that can start with `ch` ("" at
        the end of a sentence), in cue_res order; worked out once per character."""
        found = self._cue_metrics_at.get(ch)
        if found is None:
            found = self._cue_metrics_at[ch] = [
                k for k, firsts in enumerate(self._cue_firsts) if firsts is None or (ch and firsts.match(ch))
            ]
        return found


def _per_share(unit: str) -> bool:
    return "share" in unit


def _possessive(text: str, e: EntityMention) -> bool:
    return e.possessive or text.startswith(("'", "’"), e.end) or text[max(0, e.end - 2) : e.end] in ("'s", "’s")


def _alternation_of(phrases: list[str]) -> str:
    """Phrases as one alternation, longest first, any run of spaces between their words."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


def _phrase_regex(phrases: list[str]) -> re.Pattern:
    """Any of the phrases as whole words, any run of spaces between their words: the
    matches of `\b(?:alternation)\b`, as a trie behind a first-character lookahead."""
    root = prefix_tree([p for p in phrases if p.strip()], re.IGNORECASE)
    if not root:
        return re.compile(r"(?!)")
    first = "(?=[" + "".join(re.escape(ch) for ch in root) + "])"
    body = _trie_pattern(root).replace(re.escape(" "), r"\s+")
    return re.compile(rf"{first}\b{body}\b", re.IGNORECASE)


def _cue_regex(cues: list[str], scan: bool = False) -> re.Pattern:
    """Whole-word match of the longest cue at a position, as a trie behind a first-character
    lookahead (the shape of entities._names_regex): a flat alternation of every cue tried
    all of them at every position not preceded by a word character, and each metric's
    alternation ran across the whole sentence, about 1.5 s per megabyte of dots or "Mr. ".
    Whole words only, so that short cues (ARR, GDP) never match inside a word. With `scan`,
    a zero-width match at every position where some cue matches, for finditer."""
    root = prefix_tree(cues, re.IGNORECASE)
    if not root:
        return re.compile(r"(?!)")  # no cues at all: never matches
    # An empty cue (a blank entry in a rules copy) matches before any character.
    first = "" if "" in root else "(?=[" + "".join(re.escape(ch) for ch in root) + "])"
    body = rf"{_trie_pattern(root)}(?![\w-])"
    return re.compile(rf"{first}(?<![\w-])" + (f"(?={body})" if scan else body), re.IGNORECASE)


def _first_chars(cues: list[str]) -> re.Pattern | None:
    """The characters a metric's cues start with, as re reads them under IGNORECASE; None
    when a cue is empty (it matches at any position)."""
    root = prefix_tree(cues, re.IGNORECASE)
    return None if "" in root else re.compile("[" + "".join(re.escape(ch) for ch in root) + "]", re.IGNORECASE)


# One compiled lexicon per rules set, built on first use.
lexicon = per_rules(_Lexicon)


class _Clauses(list):
    """A sentence's clause spans, in order, with their starts for a binary search: a
    sentence of thousands of figures looks its clauses up thousands of times."""

    def __init__(self, spans: list[tuple[int, int]]):
        super().__init__(spans)
        self.starts = [s for s, _ in spans]


def _clauses(text: str) -> list[tuple[int, int]]:
    breaks = list(_CLAUSE_BREAK.finditer(text))
    # Paired dashes set off an aside ("three lenders—Ardent, Morrow and Calder—plan to
    # ..."): the clause runs through them.
    dashes = [m for m in breaks if m.group(0).strip() in ("—", "–", "-", "--")]
    paired = set()
    for first, second in zip(dashes, dashes[1:]):
        if second.start() - first.end() <= 120 and id(first) not in paired:
            paired.update((id(first), id(second)))
    spans, start = [], 0
    for m in breaks:
        if id(m) in paired:
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return _Clauses(spans)


def _clause_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    starts = spans.starts if isinstance(spans, _Clauses) else [s for s, _ in spans]
    i = bisect_right(starts, pos) - 1
    if i >= 0:
        s, e = spans[i]
        if s <= pos < e or (pos == e and e == spans[-1][1]):
            return s, e
    return spans[-1]


# "Halvern (HLV:US)": a country code closing a ticker's brackets ("(NYSE:HLV)" is an
# exchange and a ticker, the ticker a name)
_TICKER_BEFORE = re.compile(r"\(\s*(?P<ticker>" + TICKER + r"):\Z")
_BRACKET_CLOSES = re.compile(r"\)")
_MARKET_CODE = re.compile(MARKET_CODE)
# "on the Nasdaq", but not "the yield on the Bund" or "futures on the S&P 500": a price
# quoted on an index or bond names it
_ON_THE = re.compile(
    r"(?<!\byield\s)(?<!\byields\s)(?<!\brate\s)(?<!\bspread\s)(?<!\bfutures\s)(?<!\boptions\s)(?<!\bcontracts\s)"
    r"(?<!\bpremium\s)(?<!\bbets\s)(?<!\breturn\s)(?<!\bcoupon\s)\b[Oo]n\s+(?:the\s+)?\Z"
)


def names_a_listing(e: EntityMention, text: str, lex: _Lexicon) -> bool:
    """"Shares of Nasdaq-listed Halvern", "its Hong Kong-listed shares": a name hyphened to
    a listing word says where shares trade; it is no subject of the sentence. Nor is the
    country code of a ticker ("Halvern (HLV:US)"), which says where it trades too, nor an
    index's name after "on" ("opened at $35.50 on the Nasdaq")."""
    if _MARKET_CODE.fullmatch(text, e.start, e.end) and _BRACKET_CLOSES.match(text, e.end):
        before = _TICKER_BEFORE.search(text, max(0, e.start - 10), e.start)
        if before is not None and before["ticker"] not in WORDS.listing_codes:
            return True
    if e.kind == "index" and _ON_THE.search(text, max(0, e.start - 20), e.start):
        return True  # "opened at $35.50 on the Nasdaq": the market it trades on
    return lex.listing_suffix_re is not None and lex.listing_suffix_re.match(text, e.end) is not None


def _is_attribution(text: str, ent: EntityMention, lex: _Lexicon, reversed_text: str) -> bool:
    """"JPMorgan expects ..." or "according to Bloomberg": a source, not a subject.

    A phrase (rules' `attribution_phrases`) must end, followed by spaces, right before
    the name, and start within the 25 characters before it. It is matched on
    `reversed_text` (text[::-1]) from the name backwards, bounded where the 25 characters
    begin: a search forwards tried every one of them, and a sentence of 200,000 names
    cost seconds."""
    if _unanchored(lex.attribution_verb_re).match(text, ent.end):
        return True
    n = len(text)
    return lex.attribution_phrase_reversed_re.match(reversed_text, n - ent.start, n - max(0, ent.start - 25)) is not None


def _unanchored(anchored: re.Pattern) -> re.Pattern:
    """`^pattern` as `pattern`, to match at a position of the sentence: `^` holds only at
    the string's real start, and slicing off the rest of the sentence for each mention
    cost time quadratic in the mentions of one sentence (1 MB of "U.S. ": 200,000 slices
    averaging half a megabyte). Kept per pattern object: hashing a pattern is slow."""
    hit = _UNANCHORED.get(id(anchored))
    if hit is None or hit[0] is not anchored:
        assert anchored.pattern.startswith("^")
        hit = _UNANCHORED[id(anchored)] = (anchored, re.compile(anchored.pattern[1:], anchored.flags))
    return hit[1]


_UNANCHORED: dict[int, tuple[re.Pattern, re.Pattern]] = {}


_WORDS_AHEAD = {n: re.compile(rf"(?:\s*+\S++){{{n}}}") for n in (2, 3)}


def _end_of_words(text: str, pos: int, n: int) -> int:
    """Where the n-th run of non-space characters after pos ends (past the text's end when
    there are fewer): a gap up to a place before it holds fewer than n words."""
    m = _WORDS_AHEAD[n].match(text, pos)
    return m.end() if m else len(text) + 1


def _list_around(entities: list[EntityMention], i: int, text: str) -> list[int]:
    """Indices of the coordinated list ("A, B and C") that entity i belongs to."""
    members = [i]
    j = i
    while j > 0 and _LIST_GLUE.match(text[entities[j - 1].end : entities[j].start]):
        j -= 1
        members.insert(0, j)
    j = i
    while j + 1 < len(entities) and _LIST_GLUE.match(text[entities[j].end : entities[j + 1].start]):
        j += 1
        members.append(j)
    return members


# "from $12 billion ($0.94 per share)", "from $12 billion, or $0.94 a share": the earlier
# value restated per share is an earlier value too
_EARLIER_RESTATED = re.compile(
    r"\bfrom\s+[^\s()]+(?:\s+(?:million|billion|trillion|bn|mn|m))?\s*(?:\(\s*|,\s*or\s+)$", re.IGNORECASE
)
_EARLIER = re.compile(
    r"\bfrom\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:previous(?:ly)?\s+|prior\s+|earlier\s+|original(?:ly)?\s+|initial(?:ly)?\s+)?"
    r"(?:forecast\s+|estimated\s+|expected\s+|planned\s+|projected\s+|guided\s+|anticipated\s+|announced\s+)?$"
    # "the previous estimate of a 1.8% rise", "its initial reading of 2.6%": an earlier vintage
    r"|\b(?:previous|prior|earlier|initial|first|second|advance|preliminary|original)\s+"
    r"(?:estimate|reading|reported|print|figure|forecast|outlook|guidance|target|projection|range|expectation|view)\s+"
    r"(?:of|at|was|had\s+been|showed|for)\s+(?:a\s+|an\s+)?$",
    re.IGNORECASE,
)
# "compared to $16.2 billion a year ago", "up from 5.09 million the year before": a level of
# an earlier period, named right after it
_EARLIER_AFTER = re.compile(
    r"\s*,?\s*(?:in\s+|during\s+|for\s+)?(?:(?:a|one|the)\s+(?:year|quarter|month)\s+(?:earlier|ago|before)\b"
    r"|(?:the\s+)?(?:year-ago|year-earlier)\b|(?:the\s+)?(?:previous|prior|preceding|same)\s+(?:year|quarter|period|month)\b)",
    re.IGNORECASE,
)
# A sentence that opens by looking back tells what was said or planned before the news.
_EARLIER_REPORT = re.compile(r"\W*(?:Earlier|Previously|Initially|At\s+first|Before\s+that)\b(?!\s+(?:this|on|in|today))", re.IGNORECASE)
_COMPARED_BEFORE = re.compile(r"\b(?:compared\s+(?:to|with)|versus|vs\.?|against|from)\s+(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)


def _own_stretch(starts: list[int], ends: list[int], q: QuantityMention, size: int) -> list[tuple[int, int]]:
    """Where a scope phrase written for figure q may start: a phrase belongs to the nearest
    figure before it ("gained 0.4% on March and 3% on a year ago", "a 12% premium to the
    closing price but 30% over the average"), or to the first figure when none comes before
    it ("From a month earlier, prices gained 0.4%"); a figure inside the phrase ("than 12
    months ago") is part of it. Figures are in text order, so each stretch is a bisection
    away and a sentence of many figures reads each phrase once."""
    i = bisect_left(starts, q.start)
    after_end = ends[i + 1] if i + 1 < len(ends) else size
    stretches = [(q.end, after_end)]
    if i == 0:
        stretches.insert(0, (0, q.start))
    return stretches


@lru_cache(maxsize=None)
def _phrase_re(cue: str) -> re.Pattern:
    """A scope cue as a whole-word pattern, compiled once: _scope runs for every figure."""
    return re.compile(rf"\b{re.escape(cue.lower())}\b")


def _scope(
    text: str, ent: EntityMention | None, metric: MetricRule | None, q: QuantityMention | None = None,
    figures: tuple[list[int], list[int]] | None = None,
) -> str | None:
    """What narrows a figure: "the five major cloud giants" -> "5" (a count before a group
    name); a metric's scope cue ("to Tuesday's close" -> "last close"); "from the previous
    10 million euros" -> "earlier value" (the figure a change started from); "another
    £18billion bailout" -> "additional"."""
    if q is not None and (_EARLIER.search(text[max(0, q.start - 40) : q.start]) or _EARLIER_RESTATED.search(text[max(0, q.start - 60) : q.start])):
        return "earlier value"
    if q is not None and q.kind != "percent" and _COMPARED_BEFORE.search(text, max(0, q.start - 30), q.start) and _EARLIER_AFTER.match(text, q.end):
        return "earlier value"
    if q is not None and _EARLIER_REPORT.match(text):
        return "earlier report"  # "Earlier, a newspaper said the bank had agreed to buy it for $2 billion"
    if q is not None and _ANOTHER.search(text[max(0, q.start - 40) : q.start]):
        return "additional"  # "another £18billion bailout" is not the first one restated
    if metric is not None and metric.scopes_before and q is not None:
        # "an average of 180,000", "a workforce of 9,000": the phrase leads into the figure
        # after it, never the one before ("2.2 million jobs, an average of 180,000 a month")
        since = max([e for e in (figures[1] if figures else ()) if e <= q.start] + [0])
        lowered = " " + text[since : q.start].lower().rstrip()
        for label, cues in metric.scopes_before.items():
            # (whole words: "subtotal" does not end in the cue "total")
            if any(lowered.endswith(c.lower()) and not lowered[-len(c) - 1].isalnum() for c in cues):
                return label
    if metric is not None and metric.scopes:
        lowered = text.lower()
        stretches = _own_stretch(*figures, q, len(text)) if q is not None and figures and figures[0] else [(0, len(text))]
        # The phrase nearest the figure wins ("employs 31,400 people and will cut 450
        # jobs": 31,400 is the workforce, 450 the cut); on a tie the earlier label.
        best: tuple[int, str] | None = None
        for label, cues in metric.scopes.items():
            for c in cues:
                phrase = _phrase_re(c)
                # a scope phrase nearer another figure of the sentence is that one's
                for lo, hi in stretches:
                    if q is not None and hi <= q.start:
                        found = [m for m in phrase.finditer(lowered, lo, hi + len(c) + 1) if m.start() < hi]
                        m = found[-1] if found else None  # the nearest before the figure is the last
                    else:
                        m = phrase.search(lowered, lo, hi + len(c) + 1)
                        m = m if m is not None and m.start() < hi else None
                    if m is not None:
                        gap = abs(m.start() - q.end) if q is not None and m.start() >= q.end else (abs(q.start - m.end()) if q is not None else 0)
                        if best is None or gap < best[0]:
                            best = (gap, label)
        if best is not None:
            return best[1]
    if ent is None or ent.kind != "group":
        return None
    before = text[max(0, ent.start - 40) : ent.start].lower().split()
    for word in reversed(before[-3:]):
        word = word.strip("'’s,")
        if word.isdigit():
            return word
        if word in _NUMBER_WORDS:
            return str(_NUMBER_WORDS[word])
    return None


def _drop_ticker_echoes(entities: list[EntityMention], text: str) -> list[EntityMention]:
    """"Pinecrest Data Realty (NYSE: PDRT)" is one mention, not two."""
    kept: list[EntityMention] = []
    for e in entities:
        if kept and kept[-1].name == e.name and re.fullmatch(r"\s*\((?:[A-Za-z]+\s*:\s*)?", text[kept[-1].end : e.start]):
            continue
        kept.append(e)
    return kept


class _SentenceContext:
    def __init__(
        self,
        sentence: Sentence,
        lex: _Lexicon,
        learned: dict[str, str],
        antecedent: EntityMention | None,
        previous: _SentenceContext | None = None,
        known: list[EntityMention] | None = None,
    ):
        self.previous = previous
        self.reporting_quarter: Period | None = None  # the quarter the article reports on so far
        self.sentence = sentence
        self.all_entities: list[EntityMention] = []
        self.metric_route = "cue"  # how metric_for's last answer was found: cue or carried
        self.metric_cue: tuple[int, int] | None = None  # where the cue word of that answer is
        self._cue_memo: dict[str, str | None] = {}
        self.metric_of: list[tuple[QuantityMention, str]] = []  # figures of this sentence already read
        self._modals: list[tuple[int, int]] | None = None  # spans of "would", "could" (_hypothetical)
        self.session_marks: list[tuple[int, int, str]] | None = None  # extract/sessions.py, once per sentence
        self.text = text = sentence.text
        index = lex.entity_index
        if known is None:  # (the caller passes them when it has read them with these aliases)
            known = [e for e in index.find(text, learned) if not inside_longer_name(text, e, lex.beside_names, lex.statistic_names, lex.company_words)]
        reporting = [
            e for e in unknown_subjects(text, lex.report_verbs, known, index, lex.name_descriptors)
            if text[e.start : e.end].split()[-1] in lex.company_words and len(text[e.start : e.end].split()) > 1
        ] if lex.report_verbs else []
        extra = [
            e for e in unknown_subjects(text, lex.verbs, known, index, lex.name_descriptors) + reporting
            if text[e.start : e.end] not in lex.not_names and text[e.start : e.end] not in lex.demonyms
            and not lex.names_statistic(e.name) and not names_currency(text, e)
        ]
        named = _drop_ticker_echoes(sorted(known + extra, key=lambda e: e.start), text)
        named = [e for e in named if not names_a_listing(e, text, lex)]
        dateline = _DATELINE.match(text)
        if dateline:
            named = [e for e in named if e.start >= dateline.end()]  # where the story was filed
        self.named = named
        self.all_named = named  # with the names the parse finds (resolve_anaphors)
        self._bidders: frozenset[str] | None = None
        self.antecedent = antecedent
        self.lex = lex
        anaphors = self.anaphors(named)
        self.entities = sorted(named + anaphors, key=lambda e: e.start)
        # With no name at all, a sentence continues the previous one's subject ("The 125
        # crowns a share on offer amounts to a 27% premium ...").
        self.fallback = antecedent if not self.entities and not _has_proper_noun(text) else None
        if self.fallback is not None and self.fallback.kind != "company" and lex.company_noun_re.search(text):
            self.fallback = None  # "shares of the bank" never continue a sentence about an index
        reversed_text = text[::-1] if named else ""
        sources = [e for e in named if _is_attribution(text, e, lex, reversed_text)]
        # "analyst consensus compiled by Bloomberg": Bloomberg is the consensus's publisher.
        self.sources = [
            e for i, e in enumerate(sources)
            if not (i and _PUBLISHER.fullmatch(text[sources[i - 1].end : e.start]))
        ]
        self.clauses = _clauses(text)
        self.relatives = [m.span() for m in _RELATIVE.finditer(text)]
        # "both Halvern — the group's parent — and Corvane — its listed arm — fell 3%": an aside
        # between dashes describes the name before it; the sentence reads on around it.
        self.asides = [m.span() for m in _ASIDE.finditer(text)]
        self.text_around_asides = text
        for a_start, a_end in self.asides:
            self.text_around_asides = self.text_around_asides[:a_start] + " " * (a_end - a_start) + self.text_around_asides[a_end:]
        self.lex = lex
        self.respectively = "respectively" in text.lower()
        self.quantities: list[QuantityMention] = []  # the sentence's figures, in text order (set_figures)
        self.figure_starts: list[int] = []
        self.figure_ends: list[int] = []
        self._clause_search: dict[tuple[re.Pattern, tuple[int, int]], re.Match | None] = {}
        self._forecast_memo: dict[tuple[int, int], bool] = {}
        self._places: tuple[list[EntityMention], list[int], set[int]] | None = None  # _entity_places
        self._all_starts: tuple[list[EntityMention], list[int]] | None = None  # next_name_start
        self._read_ends: tuple[list[int], bool] = ([], True)  # _read_ending_by

    def clause_search(self, pattern: re.Pattern, pos: int) -> re.Match | None:
        """`pattern.search` over the clause `pos` is in, read once a clause and pattern: a
        clause of thousands of figures asks for each of them."""
        clause = _clause_of(self.clauses, pos)
        key = (pattern, clause)
        memo = self._clause_search
        if key not in memo:
            memo[key] = pattern.search(self.text, *clause)
        return memo[key]

    def set_figures(self, quantities: list[QuantityMention]) -> None:
        self.quantities = quantities
        self.figure_starts = [f.start for f in quantities]
        self.figure_ends = [f.end for f in quantities]

    def anaphors(self, named: list[EntityMention]) -> list[EntityMention]:
        """"its", "the retailer": the names they stand for, at their place in the sentence."""
        text, lex = self.text, self.lex
        out: list[EntityMention] = []
        for m in lex.anaphor_re.finditer(text):
            # (a country inside the phrase says where the company is from: "the biggest
            # US lender" still stands for a company)
            if any(e.start < m.end() and m.start() < e.end and e.kind != "country" for e in named):
                continue
            # "its" points at the nearest name before it in this sentence, and only
            # without one at the company the previous sentence was about; "the retailer"
            # stands for a company only.
            kinds = ("company", "index", "fund", "country") if m.group(0).lower() == "its" else ("company",)
            before = [e for e in named if e.end <= m.start() and e.kind in kinds]
            target = before[-1] if before else self.antecedent
            if target is not None and target.kind in kinds:
                out.append(EntityMention(m.start(), m.end(), target.name, target.kind, m.group(0).lower() == "its"))
        return out

    def resolve_anaphors(self, named: list[EntityMention]) -> None:
        """Point the anaphors again, now that the parse has found names the rules miss."""
        self.all_named = named
        self._bidders = None
        self.entities = sorted(self.named + self.anaphors(named), key=lambda e: e.start)

    def bidders(self) -> set[str]:
        """The companies the sentence names as making a bid: "an offer from Calder Mining",
        "Calder Mining's bid", "Calder Mining agreed to buy", "acquired by Calder Mining".
        Read once a sentence (each takeover figure asks)."""
        if self._bidders is None:
            self._bidders = self._find_bidders()
        return self._bidders

    @cached_property
    def about_a_deal(self) -> bool:
        return self.lex.deal_word_re.search(self.text) is not None

    def _find_bidders(self) -> frozenset[str]:
        lex, text = self.lex, self.text
        if lex.bidder_before_re is None or not self.about_a_deal:
            return frozenset()
        return frozenset({
            e.name for e in self.all_named
            if e.kind == "company" and (
                lex.bidder_before_re.search(text[max(0, e.start - 80) : e.start])
                or (_possessive(text, e) and lex.bidder_possessive_re.match(text, e.end))
                or (lex.bidder_verb_re is not None and lex.bidder_verb_re.match(text, e.end))
            )
        })  # fmt: skip

    def bidder_for(self, subject: EntityMention | None) -> str | None:
        """The one bidder the sentence names other than the figure's subject (the
        target); None when it names none or several."""
        found = set(self.bidders()) - ({subject.name} if subject is not None else set())
        return found.pop() if len(found) == 1 else None

    def deal_parties(self) -> set[str]:
        """The companies a sentence about a deal names ("Ardent agreed to buy Calder")."""
        if not self.about_a_deal:
            return set()
        return {e.name for e in self.all_entities if e.kind == "company"}

    def main_company(self) -> EntityMention | None:
        """The company the sentence is about: its first name that is not an object."""
        companies = [e for e in self.named if e.kind in ("company", "index", "fund", "country")]
        for e in companies:
            if e.possessive or not _OBJECT_BEFORE.search(self.text[max(0, e.start - 12) : e.start]):
                return e
        return companies[0] if companies else None

    def cue_metric(self, kind: str) -> str | None:
        """The nearest-to-the-end metric cue of this sentence that takes `kind` figures;
        computed only when the next sentence asks."""
        if kind not in self._cue_memo:
            self._cue_memo[kind] = self._last_cue(kind)
        return self._cue_memo[kind]

    def subject_metric(self, kind: str) -> str | None:
        """The metric the sentence opens with where a measured noun, not a name, is what it
        is about ("Real GDP stood at ...", not "Halvern said revenue ..."), as `kind`
        figures give it: a percent of a sum is its growth."""
        opening = min(((hits[0].start(), metric) for metric, hits in self.cue_hits if hits), default=None, key=lambda t: t[0])
        if opening is None or opening[0] > _OPENING_REACH:
            return None
        if any(e.start < opening[0] and not (e.possessive and e.kind == "country") for e in self.named):
            # (an economy's own statistic, "India's real GDP", is still what the sentence is
            # about; a company before it is: "Halvern's revenue rose. It also paid ...")
            return None
        metric = opening[1]
        if kind in metric.kinds:
            return metric.id
        return metric.growth if kind == "percent" and metric.growth else None

    def _last_cue(self, kind: str) -> str | None:
        best: tuple[int, str] | None = None
        for metric, hits in self.cue_hits:
            if kind in metric.kinds:
                for m in hits:
                    if best is None or m.start() > best[0]:
                        best = (m.start(), metric.id)
        return best[1] if best else None

    @cached_property
    def cue_hits(self) -> list[tuple[MetricRule, list[re.Match]]]:
        """Every metric cue in the sentence, found once and read by every figure in it."""
        # One scan finds where cues start; only there is each metric's trie tried, and a
        # metric's hits never overlap, as its own finditer across the sentence found them.
        text, lex = self.text, self.lex
        starts = [m.start() for m in lex.cue_scan.finditer(text)]
        if not starts:
            return []
        hits: dict[int, list[re.Match]] = {}
        resume: dict[int, int] = {}
        for pos in starts:
            for k in lex.cue_metrics_at(text[pos : pos + 1]):
                if pos >= resume.get(k, 0):
                    m = lex.cue_res[k][1].match(text, pos)
                    if m:
                        hits.setdefault(k, []).append(m)
                        resume[k] = m.end()
        return [(metric, hits[k]) for k, (metric, _) in enumerate(lex.cue_res) if k in hits]

    def _entity_places(self) -> tuple[list[int], set[int]]:
        """Where each of `entities` starts, and which are forecasters (by id); read again
        only when the list is replaced."""
        if self._places is None or self._places[0] is not self.entities:
            self._places = (
                self.entities, [e.start for e in self.entities], {id(e) for e in self.entities if e.kind == "forecaster"}
            )
        return self._places[1], self._places[2]

    def _read_ending_by(self, pos: int) -> int:
        """How many of the first figures of metric_of end at or before pos, when the figures
        are in the order of the text, as they are read (else all of them)."""
        ends, ordered = self._read_ends
        for other, _ in self.metric_of[len(ends):]:
            ordered = ordered and (not ends or ends[-1] <= other.end)
            ends.append(other.end)
        self._read_ends = (ends, ordered)
        return bisect_right(ends, pos) if ordered else len(ends)

    def next_name_start(self, pos: int, default: int) -> int:
        """Where the first of `all_entities` (in order of start) starting at or after pos
        starts, else default; their starts are read again only when the list is replaced."""
        if self._all_starts is None or self._all_starts[0] is not self.all_entities:
            self._all_starts = (self.all_entities, [e.start for e in self.all_entities])
        starts = self._all_starts[1]
        i = bisect_left(starts, pos)
        return starts[i] if i < len(starts) else default

    @cached_property
    def compared_words(self) -> tuple[list[int], list[int]]:
        """Where _COMPARED's words are written, word boundaries or not (so every match of it
        in a piece of the sentence lies over one): their starts and their ends."""
        found = [m.span() for m in _COMPARED_WORDS.finditer(self.text)]
        return [s for s, _ in found], [e for _, e in found]

    @cached_property
    def cue_bounds(self) -> list[tuple[list[int], list[int]]]:
        """Where each metric's cues of cue_hits start and end, in order (they never overlap)."""
        return [([m.start() for m in hits], [m.end() for m in hits]) for _, hits in self.cue_hits]

    def subjects_for(self, q: QuantityMention, quantities: list[QuantityMention]) -> list[EntityMention]:
        """Who a figure is about: usually one entity; every member of a coordinated list
        ("A and B both dropped more than 10%"); the one `respectively` pairs it with."""
        text = self.text
        # A forecaster that "expects" is a source; a company that "reported" is both; and
        # a forecaster is never the subject of a forecast ("JPMorgan's own forecast ...
        # expecting Capex to reach $1.15 trillion").
        # The names are in order of where they start; a sentence of thousands of names and
        # figures is read from the figure outwards, as far as the answer needs, not whole
        # for each figure.
        entities = self.entities
        starts, forecasters = self._entity_places()
        sources = {id(s) for s in self.sources if s.kind == "forecaster"}
        if self.is_forecast(q):
            sources |= forecasters
        # "14 times for Borealis": right after the figure, across one word only
        reach = _end_of_words(text, q.end, 2)
        for k in range(bisect_left(starts, q.end), len(entities)):
            e = entities[k]
            if e.start >= reach:
                break
            if (
                _FOR_SUBJECT.match(text[q.end : e.start])
                # "inflation was 2.6% in Germany, 0.9% in France": a country right after its figure
                or e.kind == "country" and _IN_SUBJECT.match(text[q.end : e.start])
            ):
                return [e]

        def candidate(e: EntityMention) -> bool:
            return (
                e.end <= q.start
                and id(e) not in sources
                and not (e.kind == "index" and _VENUE_BEFORE.search(text, max(0, e.start - 24), e.start))
                and not any(rs < e.start and e.end <= re_ < q.start for rs, re_ in self.relatives)
                and not any(a_start < e.start and e.end < a_end <= q.start for a_start, a_end in self.asides)
            )

        c_start, c_end = _clause_of(self.clauses, q.start)
        # The candidates in the figure's clause, if it has any, else all before it: the
        # nearest that is no object ("to Skarvik"), else the nearest; outside the clause a
        # possessive names the owner ("xAI's leasing ..., with a monthly rent of $1.25
        # billion") better than the nearest name does (and a possessive is never an object).
        last = nearest = subject = None
        in_clause = False
        for k in range(bisect_left(starts, q.start) - 1, -1, -1):
            e = entities[k]
            if not candidate(e):
                continue
            if last is None:
                last, in_clause = k, e.start >= c_start
            if in_clause and e.start < c_start:
                break
            if not in_clause and e.possessive:
                nearest = k
                break
            if subject is None and (e.possessive or not _OBJECT_BEFORE.search(text[max(0, e.start - 12) : e.start])):
                subject = k
                if in_clause:
                    break
        if last is None:
            later = [e for e in self.named if q.end <= e.start < c_end and id(e) not in sources]
            if later:
                return [later[0]]  # "a premium of about 38% to Skarvik's closing price"
            return [self.fallback] if self.fallback is not None else []
        k = next(j for j in (nearest, subject, last) if j is not None)
        # (the first name equal to it, as list.index finds it: equal names start together)
        i = k
        while i > 0 and starts[i - 1] == starts[k]:
            i -= 1
        i = next(j for j in range(i, k + 1) if entities[j] == entities[k])
        nearest = entities[k]
        members = [self.entities[k] for k in _list_around(self.entities, i, self.text_around_asides)]
        if len(members) > 1:
            first = members[0]
            # "three lenders—Ardent, Morrow and Calder—": the list spells out the group;
            # the figure is the group's.
            group = [e for e in self.entities if e.kind == "group" and e.end <= first.start and e.start >= first.start - 60]
            if group and _MEMBERS_INTRO.search(text[group[-1].end : first.start]):
                return [group[-1]]
            if group and text[group[-1].end : first.start].strip() in {"", "(", "—"}:
                return [group[-1]]
            if self.respectively:
                clause = _clause_of(self.clauses, q.start)
                same_clause_qs = [x for x in quantities if _clause_of(self.clauses, x.start) == clause]
                if "respectively" in text[clause[0] : clause[1]].lower():
                    if len(same_clause_qs) == len(members) and q in same_clause_qs:
                        return [members[same_clause_qs.index(q)]]
                    return []  # "respectively" with lists that do not pair up: no guess
            return members
        return [nearest]

    def metric_for(self, q: QuantityMention, subject: EntityMention | None) -> tuple[str | None, str | None]:
        """(metric id, direction) for a figure."""
        text, lex = self.text, self.lex
        c_start, c_end = _clause_of(self.clauses, q.start)
        direction = self._direction(q, c_start)
        best: tuple[tuple[int, int], MetricRule] | None = None
        self.metric_cue = None
        growth_of_unknown = False
        # A cue after the figure is read only across a short gap (at most 30 characters, or
        # _CUE_GAP's two words); one before it outside its clause only within _FAR_CUE. Only
        # the cues in that reach are tried: each figure of a sentence of thousands of cues
        # tried all of them, slicing the text up to each.
        after_reach = max(q.end + 31, _end_of_words(text, q.end, 3))
        for (metric, hits), (starts, ends) in zip(self.cue_hits, self.cue_bounds):
            target = metric
            if q.kind not in metric.kinds:
                if q.kind == "percent" and metric.growth:
                    target = lex.rules.metric_by_id[metric.growth]
                else:
                    # (a price's or a benchmark's percent change is its move: "futures
                    # rose 4.3%", "Brent for April settlement rose 4.6%")
                    if q.kind == "percent" and "money" in metric.kinds and not metric.time_sensitive and (
                        subject is None or subject.kind == "company"
                    ) and any(
                        c_start <= m.start() and m.end() <= q.start and q.start - m.end() <= 40 and self._growth_word(m.end(), q)
                        for m in hits[bisect_left(ends, q.start - 40) : bisect_right(ends, q.start)]
                    ):
                        # "net interest income to increase 5%": the growth of a sum the
                        # lexicon has no growth metric for, and no share move
                        growth_of_unknown = True
                    continue
            for m in hits[min(bisect_left(starts, c_start), bisect_left(ends, q.start - _FAR_CUE)) : bisect_left(starts, after_reach)]:
                if m.start() >= q.end:
                    gap = text[q.end : m.start()]
                    # After the figure only as its own noun ("a 27% premium", "$570
                    # million a year in rent") or for cues that always follow it.
                    if metric.after and len(gap) <= 30 and m.start() <= c_end and not re.search(r"\d", gap):
                        dist = len(gap)
                    elif _CUE_GAP.fullmatch(gap):
                        dist = len(gap)
                    else:
                        continue
                elif metric.after:
                    continue
                else:
                    if m.end() > q.start:
                        if not (m.start() == q.start and m.end() < q.end):
                            continue
                        dist = 0  # the figure's own qualifier names it: "as high as $31.50"
                    else:
                        dist = q.start - m.end()
                    if m.start() < c_start:
                        if dist > _FAR_CUE:
                            continue
                        dist += 1000  # outside the clause: only when nothing closer fits
                if m.start() < q.end and target is not metric and not self._growth_word(m.end(), q):
                    continue  # "over 90% of Meta's total revenue" is a share, not growth
                # Ties go to the longer cue: "annualized revenue" over "revenue".
                rank = (dist, -(m.end() - m.start()))
                if best is None or rank < best[0]:
                    best = (rank, target)
                    self.metric_cue = (m.start(), m.end())
        if q.kind == "percent" and _SHARE_OF.match(text[q.end : q.end + 40]):
            return None, direction  # "under 2% of the bloc's output" is a share, not a level
        earlier = _EARLIER_OF.search(text, max(0, q.start - 80), q.start)
        if earlier is not None:
            # "expanded at a 2.9% pace, revised up from an earlier estimate of 2.6%": the earlier
            # value of the nearest figure before the phrase, whatever noun it is written with
            # (found from the phrase, so a sentence of many figures costs one search each)
            for other, other_metric in reversed(self.metric_of):
                if other.kind == q.kind and other.end <= earlier.start():
                    self.metric_route = "compared"
                    return other_metric, direction
        if best is not None:
            # A cue outside the figure's clause is a guess from context, not a statement,
            # unless the figure is set against it: "payroll growth, comfortably ahead of
            # February's 212,000 increase".
            outside = best[0][0] >= 1000 and not _EARLIER_OF.search(text, max(0, q.start - 60), q.start)
            self.metric_route = "carried" if outside else "cue"
            return best[1].id, direction
        # A figure is set against another only across one of _COMPARED's words, so none
        # after the last of them before this figure is read (a sentence of thousands of
        # figures sliced its text from each earlier one to this one).
        i = bisect_right(self.compared_words[1], q.start)
        last_word = self.compared_words[0][i - 1] if i else -1
        for other, other_metric in self.metric_of[: self._read_ending_by(last_word)]:
            if other.end > last_word:
                continue
            # "22x forward earnings, compared with 14 times for Borealis"
            between = text[other.end : q.start]
            if other.kind == q.kind and other.end <= q.start and _COMPARED.search(between):
                self.metric_route = "compared"  # a cue, read through the figure it is set against
                return other_metric, direction
        if self.previous is not None and _CONTINUES_PREVIOUS.match(text):
            # "Profit rose to $3.2 billion, or $1.10 a share. That compares with $2.9
            # billion, or 98 cents a share, a year earlier": the sentence goes on with the
            # previous one's figures, each with the one written in the same unit.
            carried = next(
                (m for other, m in reversed(self.previous.metric_of) if other.kind == q.kind and _per_share(other.unit) == _per_share(q.unit)), None
            )
            if carried is not None:
                self.metric_route = "carried"
                return carried, direction
        if self.previous is not None and c_start == 0 and _IT_OPENS.match(text):
            # "Output grew 7.8% in the quarter. It had shrunk 6.6% a year earlier": a pronoun
            # opening the sentence stands for the previous one's subject; where that was a
            # measured noun rather than a name, it is this figure's metric too
            carried = self.previous.subject_metric(q.kind)
            if carried is not None:
                self.metric_route = "carried"
                return carried, direction
        if q.kind == "money" and q.rate is not None and self.previous is not None and self.previous.cue_metric("money"):
            # "...decision to lease a campus. Norvane will pay $5.7 billion a year": a
            # recurring payment continues the previous sentence's rent or fee.
            self.metric_route = "carried"
            return self.previous.cue_metric("money"), direction
        if subject is not None and subject.kind == "country":
            for metric, own, after_name, before_name in lex.country_cues:
                # "Brazil's (full-year) growth", "growth in Brazil", "a 3.3% contraction"
                if q.kind in metric.kinds and (
                    own.match(text, q.end)
                    or after_name.match(text, subject.end, c_end)
                    or before_name.search(text, max(c_start, subject.start - 40), subject.start)
                ):
                    self.metric_route = "cue"
                    return metric.id, direction
        movers = [m for m in lex.rules.metrics.metrics if m.movement_verbs and q.kind in m.kinds]
        if (
            movers and direction and not growth_of_unknown and subject is not None
            and subject.kind in ("company", "index", "fund", "forecaster")
            and not lex.forecast_change_before_re.search(text, max(c_start, q.start - 60), q.start)
            # "Acme's growth slowed to 2.9%": a growth rate, of what the sentence does not say
            and not self._growth_noun_before(q.start)
            and self._moves_a_price(q, c_start, c_end, subject)
        ):
            self.metric_route = "cue"
            return movers[0].id, direction
        return None, direction

    def _growth_noun_before(self, pos: int) -> bool:
        """`growth_noun_re.search(text, clause start, pos)`, from the clause's first match
        (found once a clause) wherever that decides it: a match ending before pos is one in
        the cut text too; with none starting before pos, only one ending at pos could be,
        through its closing word boundary, and that needs a word character there."""
        text, pattern = self.text, self.lex.growth_noun_re
        first = self.clause_search(pattern, pos)
        if first is not None and first.end() < pos:
            return True
        if (first is None or first.start() >= pos) and not (pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] == "_")):
            return False
        return pattern.search(text, _clause_of(self.clauses, pos)[0], pos) is not None

    def _moves_a_price(self, q: QuantityMention, c_start: int, c_end: int, subject: EntityMention) -> bool:
        """Whether a bare "rose 11%" with no cue word can be a share or index move: a verb
        or "up"/"down" before it says so, or a change noun after it for an index ("the
        Nikkei's 5.8% decline") or in shares ("a 65% decline in its shares"); "40% growth"
        and "a 4% jump in copper prices" said of a company name no price. An amount of money
        next to it is what rose ("rose 11% to $23.2 billion", "$37.8 billion, up 3%"); a
        share price, "to $106.49", is the move's own level."""
        text = self.text
        before = text[max(c_start, q.start - 45) : q.start]
        written = bool(self.lex.direction_re.search(before)) or text[q.start : q.start + 1] in "+-−" or q.value < 0
        if not written and subject.kind != "index" and not _CHANGE_IN_SHARES.match(text, q.end) and not (
            _MOVED_COMPARATIVE.match(text, q.end) and _SESSION_VERB_BEFORE.search(before)
        ):
            return False
        # (only the figures within 30 characters either side: a bisection, not a scan)
        lo = bisect_left(self.figure_ends, q.start - 30)
        hi = bisect_right(self.figure_starts, q.end + 30)
        for other in self.quantities[lo:hi]:
            if other is q or other.kind != "money" or "/" in other.unit or not (c_start <= other.start < c_end):
                continue
            near = 0 <= other.start - q.end <= 30 or 0 <= q.start - other.end <= 30
            if near and abs(other.value) >= _LARGEST_SHARE_PRICE:
                return False
        return True

    def _growth_word(self, cue_end: int, q: QuantityMention) -> bool:
        window = self.text[min(cue_end, q.start) : q.end + 30]
        return bool(self.lex.direction_re.search(window)) or "year-over-year" in window or "year-on-year" in window

    def _direction(self, q: QuantityMention, c_start: int) -> str | None:
        text, lex = self.text, self.lex
        if q.value < 0:
            return "down"
        if text[q.start : q.start + 1] == "+":
            return "up"
        # "a 2.5% fall", "0.6% higher": a change word right after the figure is its own
        after = re.match(r"\s*(\w+(?:\s\w+)?)", text[q.end : q.end + 20])
        if after:
            for word in (after.group(1).lower(), after.group(1).split()[0].lower()):
                if word in lex.up_after:
                    return "up"
                if word in lex.down_after:
                    return "down"
        window = max(c_start, q.start - 45)
        # "set to open 0.6% higher, after a 2.5% fall": a change word before the last figure
        # is that figure's; only a list with none between ("rose 3% and 2%") shares the verb
        i = bisect_right(self.figure_ends, q.start)
        since = max(self.figure_ends[i - 1], window) if i else window
        for lo in (since, window):
            hits = list(lex.direction_re.finditer(text, lo, q.start))
            if hits:
                word = hits[-1].group(1).lower()
                return "up" if word in lex.up else "down"
        return None

    def is_forecast(self, q: QuantityMention) -> bool:
        """"is expected to reach", "148,000 units expected", "JPMorgan forecasts": a
        figure someone expects, not one that happened."""
        # Asked twice a figure (its subject, then its claim); the answer reads only the
        # figure's place and what the sentence holds, which does not change.
        key = (q.start, q.end)
        if key not in self._forecast_memo:
            self._forecast_memo[key] = self._is_forecast(q)
        return self._forecast_memo[key]

    def _is_forecast(self, q: QuantityMention) -> bool:
        c_start, c_end = _clause_of(self.clauses, q.start)
        # An aside between dashes ("priced at $28 - the top of its marketed range - shares
        # climbed ...") describes something else; it does not make the figure a forecast.
        lex = self.lex
        lo = max(c_start, q.start - 80)
        window = self.text[lo : q.start]
        for r_start, r_end in self.relatives:
            if r_end <= q.start and r_end > lo:
                # ", which analysts expected to lose money,": a clause about the name before it
                a, b = max(r_start, lo) - lo, r_end - lo
                window = window[:a] + " " * (b - a) + window[b:]
        before = _ASIDE.sub(" ", window)
        after = self.text[q.end : min(c_end, q.end + 25)]
        # "rose more than expected to 4.1%": the outcome, set against an expectation
        outcomes = [m.span() for m in lex.outcome_re.finditer(before)] if lex.outcome_re is not None else []
        if lex.compared_forecast_re is not None:
            outcomes += [m.span() for m in lex.compared_forecast_re.finditer(before)]
        # "the previous estimate of a 1.8% rise": an agency's earlier reading, not a forecast
        said = [
            m for m in lex.forecast_re.finditer(before)
            if not _VINTAGE.search(before, 0, m.start()) and not any(s <= m.start() < e for s, e in outcomes)
        ]
        noun = (
            lex.forecast_noun_before_re.search(before)
            or lex.forecast_change_before_re.search(before)  # "estimates for a gain of 2%"
            or _STREET_CALLS_BEFORE.search(before)
        )
        if noun is not None and _VINTAGE.search(before, 0, noun.start()):
            noun = None  # "the previous estimate of 2.4%": an agency's earlier reading
        return bool(
            said
            or noun
            or (lex.forecast_after_re.match(after) and not self.set_against_expectation(q))
            or lex.expected_after_re.match(self.text[q.end : min(c_end, q.end + 70)])
            or self._hypothetical(q, c_start)
        )

    def set_against_expectation(self, q: QuantityMention) -> bool:
        """"sales of $8.2 billion topped estimates", "$1.9 billion, missing analysts'
        forecasts": the figure is the result that a comparison verb right after it sets
        against an expectation, not the expectation."""
        lex = self.lex
        if lex.set_against_re is None:
            return False
        after = self.text[q.end : q.end + 60]
        lead = _SET_AGAINST_LEAD.match(after)
        return lead is not None and lex.set_against_re.match(after, lead.end()) is not None

    def _hypothetical(self, q: QuantityMention, c_start: int) -> bool:
        """"If the Fed cuts, the range would drop to 3.25%": a modal before the figure in its
        clause, and a condition stated in its sentence."""
        lex = self.lex
        if lex.modal_re is None or lex.conditional_re is None:
            return False
        if self._modals is None:
            # once per sentence: searched again for each figure, a sentence of many figures
            # cost its length times their number
            conditional = lex.conditional_re.search(self.text) is not None
            self._modals = [(m.start(), m.end()) for m in lex.modal_re.finditer(self.text)] if conditional else []
        i = bisect_left(self._modals, (c_start, -1))
        return i < len(self._modals) and self._modals[i][1] <= q.start

    def attribution_for(self, q: QuantityMention, subject: EntityMention | None = None) -> str | None:
        _, c_end = _clause_of(self.clauses, q.start)
        for s in self.sources:
            # "148,000 units expected according to market consensus", "the 1.5 trillion
            # won forecast by FnGuide"
            if q.end <= s.start < c_end and (
                re.search(r"\baccording to\s+(?:the\s+)?$", self.text[q.end : s.start])
                or (self.lex.attribution_after_re is not None and s.start - q.end < 60 and self.lex.attribution_after_re.match(self.text[q.end : s.start]))
            ):
                return s.name
        c_start, _ = _clause_of(self.clauses, q.start)
        left = [s for s in self.sources if c_start <= s.start and s.end <= q.start and not self._listed_with(s, subject)]
        if left:
            return left[-1].name
        # "Norvian growth will slow to 1.9% next year, Barclays said.": a source that closes
        # the sentence after a comma, with no figure after it, reports all that comes before
        last_figure = self.figure_starts[-1] if self.figure_starts else -1
        closing = [
            s for s in self.sources
            if s.start >= q.end and s.start > last_figure and _CLOSING_SOURCE.search(self.text, max(q.end, s.start - 40), s.start)
            and _unanchored(self.lex.attribution_verb_re).match(self.text, s.end)
        ]
        if closing:
            return closing[-1].name
        # "According to X, ..." at the head of a sentence covers all of it; a source
        # that "expects" covers its own clause only.
        opening = [s for s in self.sources if s.end <= q.start and re.match(r"\W*according to\b", self.text, re.IGNORECASE) and s.start < 60]
        return opening[0].name if opening else None

    def _listed_with(self, source: EntityMention, subject: EntityMention | None) -> bool:
        """"Calder Labs and Harlow Systems reported revenue of $2.1 billion and $3.4 billion,
        respectively": a name listed with the figure's subject before their shared verb
        is the subject of its own figure, no source of the other's."""
        if subject is None or subject.name == source.name:
            return False
        return any(
            e.name == subject.name and e.end <= source.start and _LIST_GLUE.match(self.text[e.end : source.start])
            for e in self.named
        )


# the comma, and the words that may stand before a closing source ("..., economists at
# Morrow Bank said")
_CLOSING_SOURCE = re.compile(r",\s*(?:(?:the|its|their|some|most|many|[a-z]+\s+(?:at|from|with))\s+)?\Z", re.IGNORECASE)


def _source_other_than(source: str | None, subject: EntityMention | None) -> str | None:
    """"Kestrel reported revenue of ..." is Kestrel's own figure, not a forecast about it."""
    if subject is not None and source == subject.name:
        return None
    return source


def _in_future(period: Period | None, published) -> bool:
    return bool(period is not None and published is not None and period.start and period.start > published)


def _has_proper_noun(text: str) -> bool:
    """Capitalised words past the first, weekdays and months aside."""
    for word in re.findall(r"(?<=\s)[A-Z][\w'’-]*", text):
        if re.sub(r"['’]s$", "", word) not in _CALENDAR_WORDS:
            return True
    return False


def _period_for(q: QuantityMention, times: list[TimeMention], ctx: _SentenceContext, started: bool = False) -> Period | None:
    """The time a figure is of. `started`: the figure a change started from (started_from),
    of no time but one written right after it."""
    chosen = _nearest_period(q, times, ctx, started)
    if chosen is not None and _DAYS_ADJECTIVE.fullmatch(chosen.text):
        # "On Friday, it dropped 412 points, its worst one-day loss": the length of the
        # move, whose day the sentence names
        days = [t for t in times if t.period.granularity == "day"]
        if days:
            return min(days, key=lambda t: abs(t.start - q.start)).period
    return chosen


_DAYS_ADJECTIVE = re.compile(r"[\w]+-(?:day|session)", re.IGNORECASE)


# "the highest level since late January", "a level last seen in early March": a time
# that anchors a comparison, not the figure's own.
_ANCHOR_BEFORE = re.compile(
    r"(?:\b(?:highest|lowest|strongest|weakest|biggest|largest|smallest|most|least|best|worst|first)\b[^.;]{0,40}\bsince"
    # any other superlative after its article ("the fastest growth rate since", "its
    # steepest drop since"), but not a noun that merely ends so ("the interest ... since")
    r"|\b(?:the|its|their)\s+(?!(?:interest|harvest|contest|protest|request|conquest|forest|manifest|inquest|bequest)\b)"
    r"[a-z]{2,}est\b[^.;]{0,40}\bsince"
    r"|\blevels?\s+(?:last\s+)?seen\s+(?:at|in|on|since)(?:\s+the)?)\s+$",
    re.IGNORECASE,
)


# "a 5% jump over last year", "compared with the same quarter last year", "up 4% from the
# previous quarter", "up 3% on a year earlier": the time a change is measured against, not
# the figure's own. After "from" and "over" only a time that looks back ("from January to
# March" is a span, "over this year" a stretch of time); after "on" only a period set
# against ("on the same quarter", "on a year earlier", "on the previous quarter"), not a
# day ("fell 2% on the previous day" is that day's move).
_BASE_BEFORE = re.compile(
    r"\b(?P<prep>over|versus|vs\.?|against|than|compared\s+(?:with|to)|from|on)\s+"
    r"(?:the\s+same\s+(?:period|quarter|month|time|week)\s+(?:(?:of|in|a)\s+)?|the\s+)?$",
    re.IGNORECASE,
)
_LOOKS_BACK = re.compile(r"\b(?:last|previous|prior|earlier|ago|year-ago|preceding)\b", re.IGNORECASE)
# "A year earlier it earned $540 million", "the previous quarter", "the same period": a
# time named only against another figure's
_RELATIVE_TIME = re.compile(
    r"\b(?:a|one|the)\s+(?:year|quarter|month)\s+(?:earlier|ago|before)\b|\byear-(?:ago|earlier)\b"
    r"|\b(?:previous|prior|preceding|same)\s+(?:year|quarter|period|month)\b|\b(?:previous|prior)-year\b",
    re.IGNORECASE,
)


# "sold 1.3 million cars over the last 12 months": a stretch of time counted back from now
# is the window the figure covers, not a base it is compared with ("up 8% over last year").
_THE_LAST = re.compile(r"\bthe\s+$", re.IGNORECASE)
_LAST_UNIT = re.compile(r"(?:last|past)\s+(?:week|month|year)\b", re.IGNORECASE)
_STRETCH_BACK = re.compile(
    r"(?:the\s+)?(?:last|past|previous|prior|preceding)\s+[\w-]+\s+(?:days|weeks|months|quarters|years|sessions)\b",
    re.IGNORECASE,
)


# "its worst day since its 9% crash on March 12, 2020", "the highest since late January": a
# time that anchors a record, not a figure's own
_ANCHOR_FAR_BEFORE = re.compile(
    r"\b(?:highest|lowest|strongest|weakest|biggest|largest|smallest|best|worst|record)\b[^.;]{0,30}\bsince\b"
    r"[^.;]{0,40}?\b(?:on|in|of|set\s+on|seen\s+on)\s+$",
    re.IGNORECASE,
)
# "48% since the election", "up 20% since its debut": a window that starts at an event
_SINCE_EVENT = re.compile(r"\s+since\s+(?:the\s+|its\s+|his\s+|her\s+|their\s+|a\s+|an\s+)?(?![\d])[A-Za-z]", re.IGNORECASE)


def since_event(q: QuantityMention, times: list[TimeMention], text: str) -> bool:
    """"up 48% since the election": the figure's window runs from an event, not from a
    time the sentence names ("since March 1" is a time, read by periods.py)."""
    m = _SINCE_EVENT.match(text, q.end)
    return m is not None and not any(t.start < m.end() + 1 and t.end > q.end for t in times)


def is_anchor(t: TimeMention, text: str) -> bool:
    """A time that anchors a comparison or a record ("the highest since May", "its worst
    since the crash on March 12, 2020"), not any figure's own nor a day later sentences
    carry."""
    before = text[max(0, t.start - 100) : t.start]
    return bool(_ANCHOR_BEFORE.search(before[-60:] + _since_of(t)) or _ANCHOR_FAR_BEFORE.search(before))


def _is_base(t: TimeMention, text: str) -> bool:
    m = _BASE_BEFORE.search(text, max(0, t.start - 40), t.start)
    if m is not None and m["prep"].lower() == "over" and (_STRETCH_BACK.match(t.text) or (_THE_LAST.search(m.group()) and _LAST_UNIT.match(t.text))):
        return False  # "over the last 12 months", "over the last year": the window itself
    if m is not None and m["prep"].lower() == "on":
        return _RELATIVE_TIME.search(t.text) is not None  # a period set against, never a day
    return m is not None and (m["prep"].lower() not in ("from", "over") or _LOOKS_BACK.search(t.text) is not None)


def _since_of(t: TimeMention) -> str:
    # "its weakest since 1986": the time mention holds the "since" the anchor test reads
    return "since " if t.text[:6].lower() == "since " else ""


def _dates_another_base(q: QuantityMention, t: TimeMention, ctx: _SentenceContext) -> bool:
    """"online sales rose 14% compared with 9% in 2024", "lending income of $3.1 billion, as
    against $2.8 billion in the first quarter of 2024": a time right after a figure the
    writer sets up as a base, by "compared to", "against", "versus" or "from", dates that
    base and no other figure."""
    i = bisect_left(ctx.figure_starts, t.start) - 1
    if i < 0 or ctx.figure_starts[i] == q.start:
        return False
    base_start, base_end = ctx.figure_starts[i], ctx.figure_ends[i]
    if base_end > t.start or t.start - base_end > 25 or re.search(r"[\d,;]", ctx.text[base_end : t.start]):
        return False
    return _COMPARED_BEFORE.search(ctx.text, max(0, base_start - 30), base_start) is not None


# "fell 1.8% after the company lost a contract earlier this year": a clause of its own
# after the figure, telling what moved it; its time is that event's, not the figure's.
_OTHER_EVENT = re.compile(
    r"\b(?:after|because|since|as|when|following)\s+(?:the\s+|its\s+|their\s+|a\s+|an\s+)?"
    r"(?:company|group|firm|bank|it|they|he|she|[A-Z][\w&-]*)(?:\s+[\w&-]+){0,3}?\s+"
    r"(?:\w+ed|lost|won|said|cut|sold|bought|made|took|gave|set|began|had)\b",
)
# "rose 3% to $41, after falling 5% on Monday", "held at 4.25% after raising it by 25 basis
# points in June", "rose 8%, after a 4% decline in the second quarter": an earlier event
# told with its own figure, whose time is that figure's
_EARLIER_MOVE = re.compile(
    r"\b(?:after|before|following)\s+(?:[a-z]+ing\b|(?:a|an|its|their|the)\s)", re.IGNORECASE
)


def _earlier_move_between(q: QuantityMention, t: TimeMention, ctx: _SentenceContext) -> bool:
    """Whether an earlier event told with a figure of its own (`_EARLIER_MOVE`) comes
    between the figure and a time after it: the time is that figure's. (A year is no
    figure: "after passing its 2019 peak on Friday" tells no move.)"""
    starts = ctx.figure_starts
    for m in _EARLIER_MOVE.finditer(ctx.text, q.end, t.start):
        # the first figure after the phrase opens (a bisection: figure-dense sentences)
        i = bisect_right(starts, m.start())
        if i < len(starts) and starts[i] < t.start:
            return True
    return False


def _next_figures_time(q: QuantityMention, t: TimeMention, ctx: _SentenceContext) -> bool:
    """"finished down 2.3%, extending its slide since January to 18%": past a comma, a
    time with another figure after it is that figure's."""
    comma = ctx.text.rfind(",", q.end, t.start)
    if comma < 0:
        return False
    _, c_end = _clause_of(ctx.clauses, q.start)
    i = bisect_left(ctx.figure_starts, t.end)
    return i < len(ctx.figure_starts) and ctx.figure_starts[i] < c_end


# "its biggest bid since a $12 billion takeover in the mid-1980s", "the worst fall since
# the 5% drop of March 2020": a figure inside the anchoring phrase is the anchor event's
# own, and the anchor's time dates it.
_SINCE_BEFORE = re.compile(r"\bsince\b(?![^,;]*\b(?:since)\b)[^,;]*\Z", re.IGNORECASE)


def _dates_anchor_figure(q: QuantityMention, t: TimeMention, text: str) -> bool:
    return q.end <= t.start and t.start - q.end <= 40 and _SINCE_BEFORE.search(text, max(0, q.start - 60), q.start) is not None


# "slipped to 4.1% from 4.3%", "closed at $41.20, up from $35": the figure a change
# started from, right after its "from"
_STARTED_FROM = re.compile(r"\bfrom\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?$", re.IGNORECASE)


# "revised down to 2.1% from 2.4%", "revisions": a figure for a fixed time, estimated again
_REVISES = re.compile(r"\brevis(?:ed|es|ing|ions?)\b", re.IGNORECASE)


# "the first estimate of 2.4% made last month", "data released on Friday", "a forecast
# published in March": a report, made public at a time of its own; its figures are of the
# period they measure, which the report's date is not
_PUBLISHED_AT = re.compile(
    r"\b(?:estimates?|readings?|reports?|data|figures?|forecasts?|projections?|surveys?|prints?|statistics|numbers)"
    r"(?:\s+of\s+[^,;()]{1,40}?)?,?\s+(?:made|released|published|issued|compiled|put\s+out)"
    r"\s+(?:(?:only|just|earlier)\s+)?(?:(?:on|in|at|during|over)\s+)?$",
    re.IGNORECASE,
)


def publication_time(t: TimeMention, text: str) -> bool:
    """A time right after a report's verb of publishing ("the reading made last month",
    "figures released on Friday") dates the report, not a figure in it."""
    return _PUBLISHED_AT.search(text, max(0, t.start - 80), t.start) is not None


def started_from(text: str, q: QuantityMention) -> bool:
    """Whether q is the figure a change over time started from ("slipped to 4.1% from
    4.3%"). The sentence's time is the change's and the level it reached; the start is of
    an earlier time, which only words of its own give ("from 4.3% in December"). A
    revision's start ("output growth was revised down to 2.1% from 2.4%") is of the same
    time as where it ended; so is a forecast's, which the caller knows."""
    return _STARTED_FROM.search(text, max(0, q.start - 20), q.start) is not None and not _REVISES.search(text)


def _nearest_period(q: QuantityMention, times: list[TimeMention], ctx: _SentenceContext, started: bool = False) -> Period | None:
    """The time expression a figure belongs to: one right after it ("$222 billion in
    2025"), else the last one before it in its clause ("In 2026, ... about $315 billion"),
    else one later in its clause unless a "from" figure is in between, else the last one
    before it in the sentence ("On July 2, ..."). A time in another clause after the
    figure belongs to that clause's figures. Times that anchor a comparison ("the highest
    since May", "up 5% over last year") are no figure's."""
    text = ctx.text
    if since_event(q, times, text):
        return None  # "up 48% since the election": a window from an event the text does not date
    for t in reversed(times):
        # "compared to May's revised 384,000": a base written as the figure's possessor dates
        # it; the nearest possessor ("January's growth, ahead of December's 184,000")
        if (
            t.end <= q.start and text.startswith(("'s", "’s"), t.end) and q.start - t.end <= 45
            and not any(t.end <= f < q.start for f in ctx.figure_starts)
        ):
            return t.period
    times = [
        t for t in times
        if (not is_anchor(t, text) or _dates_anchor_figure(q, t, text)) and not _is_base(t, text)
        # "The July contract, which expires on June 20, fell 5%": a time in a relative clause
        # about something else dates that
        and not any(r0 <= t.start and t.end <= r1 and not r0 <= q.start < r1 for r0, r1 in ctx.relatives)
        and not _dates_another_base(q, t, ctx)
        and not publication_time(t, text)
    ]
    if not times:
        return None
    c_start, c_end = _clause_of(ctx.clauses, q.start)
    for t in times:
        if (
            q.end <= t.start < c_end and t.start - q.end <= 25 and not re.search(r"\d", text[q.end : t.start])
            and not text.startswith(("'s", "’s"), t.end)  # "after Friday's slide": that day dates the slide
            and not _next_figures_time(q, t, ctx)
        ):
            return t.period
    if started:
        return None  # the times before it and later in its clause are the change's
    before = [t for t in times if c_start <= t.start and t.end <= q.start]
    if before:
        return before[-1].period
    # "fell 6 basis points to 2.41% on Thursday": the day is the move's too; but in
    # "up 42% from $222 billion in 2025" the year belongs to the figure it follows.
    later = [
        t for t in times
        if q.end <= t.start < c_end and not re.search(r"\bfrom\b", text[q.end : t.start])
        and not _OTHER_EVENT.search(text, q.end, t.start) and not _earlier_move_between(q, t, ctx)
        and not _next_figures_time(q, t, ctx)
    ]
    if later:
        return later[0].period
    before = [t for t in times if t.end <= q.start]
    return before[-1].period if before else None
