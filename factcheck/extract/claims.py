"""Stage 2: one document in, its numeric mentions out, each field with its evidence.

For every figure (quantities.py) the subject, metric and period are chosen in order of
how sure the text makes them, and the choice is recorded:

- **parse**: the dependency parse of the figure's own sentence attaches the figure to a
  noun the metric lexicon knows and that noun (or its verb) to a company;
- **cue**: a cue word or name nearby in the same sentence (extract/cues.py);
- **carried**: the company the previous sentence was about ("The retailer ...");
- **topic**: the company the article is about (its title and most-named company);
- periods: **explicit** (a time expression in the sentence), **carried** (a day set
  earlier in the paragraph), **timeless** (a contract term), else none.

compare/ reads the evidence: an error needs every field established in the figure's
own sentence; anything weaker is at most a warning. A figure with no subject or no metric
is listed but never compared.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from factcheck.stopwords import STOP_WORDS

from factcheck.extract.entities import _STOP_NAMES, EntityMention, canonical_subjects, inside_longer_name, learn_aliases, names_currency, same_company, without_descriptors
from factcheck.extract.cues import (
    _DATELINE,
    _LARGEST_SHARE_PRICE,
    _SHARE_OF,
    _clause_of,
    DAY_CARRY_PARAGRAPHS,
    _COMPARED_BEFORE,
    _in_future,
    _is_base,
    _RELATIVE_TIME,
    is_anchor,
    names_a_listing,
    since_event,
    started_from,
    _period_for,
    _scope,
    _SentenceContext,
    _source_other_than,
    vintage_before,
    lexicon,
)
from factcheck.extract.metrics import (
    MetricLexicon,
    MetricReading,
    is_period_word,
    normalise_words,
    read_metric,
    read_object_verb_metric,
    read_unit_metric,
    read_verb_metric,
    segments_after,
)
from factcheck.errors import InputFileError
from factcheck.extract import dates
from factcheck.extract.arithmetic import link_changes
from factcheck.extract.totals import link_parts, link_products
from factcheck.extract.parse import PARSE_MAX_CHARS, parse_ahead as parse_ahead_texts, parse_sentences, parse_zone
from factcheck.ingest.sentences import TERMINAL_END
from factcheck.words import NUMBER_WORDS
from factcheck.extract.sessions import session_for, session_marks
from factcheck.extract.syntax import frame_for, tokens_starting_in, verb_subject
from factcheck.models import Change, Document, Parts, Period, Product, Sentence
from factcheck.extract.retold import RetoldLimits, context, counterparts, repeats_its_figures, second_telling
from factcheck.extract.periods import (
    DEICTIC_DAYS,
    a_period_back,
    find_periods,
    fiscal_period,
    fiscal_without_year,
    period_header,
    reported_part,
)
from factcheck.extract.quantities import QuantityMention, find_quantities, may_hold_figures
from factcheck.rules import Rules, per_rules

_SUBJECT_KINDS = ("company", "index", "fund", "country")
# spaCy entity labels that can be the subject of a figure.
_NER_SUBJECTS = {"ORG": "company", "GPE": "country", "NORP": None}
# "$229 in cash per share": a per-share price even when the unit did not say so.
_PER_SHARE_AFTER = re.compile(
    r"\s*(?:in\s+(?:cash|stock)\s+)?(?:per|a|for\s+each|each)\s+(?:fully\s+diluted\s+|diluted\s+|basic\s+)?share\b", re.IGNORECASE
)
# "closed at 15,871 points", "to $80 a barrel" after a move: a level, not the move itself.
_LEVEL_BEFORE = re.compile(r"\b(?:at|to|above|below|near|around)\s+(?:about\s+|around\s+|nearly\s+|almost\s+)?$", re.IGNORECASE)
# A price the parse reads for a figure whose unit is a commodity's ("$84 a barrel").
_PRICE_READINGS = {"share_price"}
_PRICE_METRICS = {"share_price", "commodity_price"}
# A table's row label run into the text ("Results Per Diluted Share 4 Harlow Energy"):
# three or more words and a bare number in front of a name, or ending one, are no name.
_TABLE_ROW = re.compile(r"^(?:\S+\s+){2,}\d+(?:\s+|$)")


def _after_table_row(e: EntityMention, index) -> EntityMention | None:
    """The name with a table's row label cut off its front; None when nothing is left."""
    if index.resolve(e.name) is not None:
        return e
    m = _TABLE_ROW.match(e.name)
    if m is None:
        return e
    rest = e.name[m.end() :]
    if not rest:
        return None
    canonical = index.resolve(rest) or rest
    return EntityMention(e.end - len(rest), e.end, canonical, index.kind.get(canonical, e.kind), e.possessive)
_RIC = re.compile(r"[A-Z]{1,6}\.[A-Z]{1,2}")
_EXTREME_WRITTEN = re.compile(r"as (?:high|low) as\b", re.IGNORECASE)
_RESTATED_BEFORE = re.compile(r"[\d.,]+\s*(?:%|percent|per\s+cent|points?)\s*,?\s*or\s*$", re.IGNORECASE)
# How far before publication a lead's day may be and still be the story's news day (a
# Monday paper reports Friday's session).
_LEAD_DAY_BACK = 3
# "Thursday's sell-off", "Friday's close": the day of another event; "Thursday's session"
# is the trading day itself, and frames what follows.
_POSSESSIVE_AFTER = re.compile(r"['’]s?\s+(?!(?:\w+\s+)?(?:session|trading|trade|dealings)\b)")
_LEADING = re.compile(r"^(?:the|The|a|an)\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass
class Mention:
    """A number with everything the text says about it, before canonicalisation."""

    sentence: Sentence
    quantity: QuantityMention
    subject: str | None
    subject_kind: str | None
    metric: str | None
    direction: str | None
    forecast: bool
    attribution: str | None
    scope: str | None
    period: Period | None
    qualifiers: tuple[str, ...] = ()
    session: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    change: Change | None = None  # the change and starting figure it was reached by (extract/arithmetic.py)
    product: Product | None = None  # the price and count it is the product of (extract/totals.py)
    parts: Parts | None = None  # the parts it is the whole of, or the shares it is the first of (extract/totals.py)


_metric_lexicon = per_rules(MetricLexicon)


# "FY26", "H1", "Q3", "1H25": a period written in capitals, which the NER takes for a name
_PERIOD_NAME = re.compile(r"(?:FY|CY|H|Q|[1-4][HQ])\d{1,4}[A-Z]?")


def _ner_mentions(doc, text: str, known: list[EntityMention], index, stop: set[str], descriptors: frozenset[str] = frozenset()) -> list[EntityMention]:
    """Organisations the statistical NER finds that no rule or article alias covers."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        start, end = ent.start_char, ent.end_char
        if any(k.start < end and start < k.end for k in known):
            continue
        name = _POSSESSIVE.sub("", without_descriptors(_LEADING.sub("", ent.text), descriptors)).strip(" .,")
        start = max(start, text.find(name, start, end))  # ("Rival Ostrava Freight": the name starts later)
        if len(name) < 2 or not name[0].isupper() or name in stop or _PERIOD_NAME.fullmatch(name):
            continue
        canonical = index.resolve(name)
        if canonical is None and not any(t.tag_ in ("NNP", "NNPS") for t in ent):
            # "Diluted earnings ...", "Third-quarter growth ...": a capitalised first word
            # that the tagger reads as an adjective or a common noun names no one
            continue
        canonical = canonical or name
        out.append(EntityMention(start, end, canonical, _unknown_kind(index, canonical, text, end), False))
    return out


def _unknown_kind(index, name: str, text: str, end: int) -> str:
    """The kind of a name: the rules' kind, else an index where an index noun follows it
    ("the SMI index"), else a company."""
    kind = index.kind.get(name)
    if kind is not None:
        return kind
    if name.split()[-1].lower() in index.exchange_words:
        return "exchange"
    return "index" if index.index_noun_re is not None and index.index_noun_re.match(text, end) else "company"


# Entity labels a proper noun can carry and still name a company: the small model often
# labels a company as a person or leaves it unlabelled.
_PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC"}
_NOT_COMPANY = {"GPE", "LOC", "DATE", "TIME", "NORP", "MONEY", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL", "FAC", "EVENT", "LAW", "LANGUAGE"}


def _describes_company_noun(e: EntityMention, doc, company_nouns: frozenset[str], index) -> bool:
    """"the Space Raiders publisher", "the Model Y maker": a name that describes a company
    noun after "the" is what the company is known for; the phrase stands for a company
    named before (an anaphor), not for the name inside it. Rule entities stay."""
    if index.resolve(e.name) is not None:
        return False
    inside = tokens_starting_in(doc, e.start, e.end)
    if not inside:
        return False
    span = {t.i for t in inside}
    link = next((t for t in inside if t.head.i not in span), None)
    head = link.head if link is not None else None
    if head is None or head.pos_ != "NOUN" or head.lower_ not in company_nouns or link.dep_ == "appos":
        # ("the carmaker Halvern": a name in apposition is the company itself)
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) or (inside[0].i > 0 and doc[inside[0].i - 1].lower_ == "the")


def _company_context(tok, parts: list, words: frozenset[str]) -> bool:
    """A name a deal takes as its object ("its acquisition of Harlow Vance", "to buy
    Harlow Vance") or that a company noun describes ("video game-maker Harlow Vance")."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in words:
        return True
    if tok.dep_ == "dobj" and tok.head.lower_ in words:
        return True
    before = tok.doc[parts[0].i - 1] if parts[0].i > 0 else None
    return before is not None and before.pos_ == "NOUN" and before.head.i == tok.i and before.lower_.split("-")[-1] in words


def _proper_name_mentions(
    doc, known: list[EntityMention], index, stop: set[str], figures=(), company_words=frozenset(), company_context=frozenset(),
    descriptors: frozenset[str] = frozenset(), demonyms: frozenset[str] = frozenset(),
) -> list[EntityMention]:
    """Proper-noun phrases acting as a subject, possessor or named owner that neither the
    rules nor the NER cover: the small NER model misses many company names."""
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "flat") and tok.head.pos_ == "PROPN":
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass", "poss", "pobj", "compound", "appos", "conj", "dobj"):
            continue
        parts = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [tok]
        while len(parts) > 1 and parts[0].lower_ in descriptors and parts[1].text[:1].isupper():
            parts.pop(0)  # "Rival Ostrava Freight": what the company is to another, not its name
        # "Model 3", "Model Y": a product's name runs on through its number or letter
        parts += [t for t in tok.rights if t.i == parts[-1].i + 1 and t.dep_ in ("nummod", "appos", "flat", "compound") and t.pos_ in ("NUM", "PROPN")]
        while len(parts) > 1 and _RIC.fullmatch(parts[-1].text):
            parts.pop()  # "Marlow Quest MQST.O": a wire's instrument code, not the name
        corporate = parts[-1].text in company_words or _company_context(tok, parts, company_context)
        # (a name ending in a company word is a company's wherever the NER puts it: the small
        # model reads "Pallisade Software" as a place)
        # A name the model reads as a nationality that no rule lists as one, acting as a
        # subject, possessor or appositive ("Norvian posted a loss", "Norvian's revenue",
        # "the start-up Norvian"), is a company's: the small model labels names ending like a demonym NORP wherever
        # they stand (as _stock_names says).
        own_name = len(parts) == 1 and tok.dep_ in ("nsubj", "nsubjpass", "poss", "appos") and tok.lower_ not in demonyms
        if any(
            t.ent_type_ in _NOT_COMPANY and not (corporate and t.ent_type_ in _PLACE_LABELS) and not (own_name and t.ent_type_ == "NORP")
            or t.ent_type_ == "PERSON" and t.ent_iob_ == "B" and len(parts) > 1 and not corporate
            for t in parts
        ):
            continue
        start, end = parts[0].idx, parts[-1].idx + len(parts[-1].text)
        if any(k.start < end and start < k.end for k in known + out) or any(fs < end and start < fe for fs, fe in figures):
            continue
        name = _POSSESSIVE.sub("", doc.text[start:end]).strip(" .,")
        if len(name) < 2 or name in stop or not name[0].isupper() or name.isupper() and len(name) > 5 or _PERIOD_NAME.fullmatch(name):
            continue
        if len(parts) == 1 and (name.lower() in STOP_WORDS or name.lower() in stop):
            continue  # "Despite", "Meanwhile": a capitalised word, not a name
        canonical = index.resolve(name) or name
        out.append(EntityMention(start, end, canonical, _unknown_kind(index, canonical, doc.text, end), tok.dep_ == "poss"))
    return out


def _common_noun_opening(e: EntityMention, doc, index) -> bool:
    """"Exports climbed 2%", "Orders fell": the capitalised first word of a sentence that
    the tagger reads as a plural common noun is no name unless the rules know it. (A
    singular one may still be a name the small model does not know: "Quorvia's stock".)"""
    if index.resolve(e.name) is not None or not len(doc) or doc[0].idx != 0 or doc[0].idx + len(doc[0].text) != e.end:
        return False
    return doc[0].tag_ == "NNS"


def _entity_in_place(place: tuple[int, int], doc, entities: list[EntityMention]) -> EntityMention | None:
    """The entity a subject place names: its head, not a name inside a phrase hanging off
    it ("carmakers selling vehicles in the US" is not about the US)."""
    lo = doc[place[0]].idx
    hi = doc[place[1] - 1].idx + len(doc[place[1] - 1].text)
    inside = [e for e in entities if e.start < hi and lo < e.end]
    owners = []
    for e in inside:
        first = next((t for t in doc[place[0] : place[1]] if t.idx + len(t.text) > e.start), None)
        under_prep = False
        t = first
        while t is not None and place[0] <= t.head.i < place[1] and t.head.i != t.i:
            if t.dep_ == "pobj" or t.dep_ in ("acl", "relcl"):
                under_prep = True
                break
            t = t.head
        if not under_prep or place[1] - place[0] <= 3:
            owners.append(e)
    if not owners:
        return None
    companies = [e for e in owners if e.kind in _SUBJECT_KINDS] or owners
    # "Bothell-based Halvern", "Permian giant Corvane Energy": the name the phrase's head
    # word is in is what it names; the names in front of it describe it
    head = doc[place[1] - 1]
    headed = [e for e in companies if e.start <= head.idx < e.end]
    if headed:
        return headed[0]
    # "US crude", "German carmaker Voss": the country in front of a named thing is where it
    # is from; the thing itself is the subject.
    return min(companies, key=lambda e: e.kind == "country")


def _index_part(e: EntityMention, noun, text: str, mlex) -> EntityMention:
    """"The S&P 500 energy sector lost 3%": the part of the index that the noun after its
    name is, as a subject of its own; the index itself where the noun is no such part."""
    if noun is None or noun.lower_ not in mlex.index_part_heads or not e.end <= noun.idx < e.end + 60:
        return e
    end = noun.idx + len(noun.text)
    between = normalise_words(text[e.end : end]).split()
    # "the S&P 500 index" is the index itself; "the Stoxx 600 banks index" a part of it
    if not any(len(between) >= len(part) and tuple(between[-len(part) :]) == part for part in mlex.index_parts):
        return e
    name = " ".join(text[e.start : end].split())
    return EntityMention(e.start, end, name, e.kind, False)


def _product_word(e: EntityMention, noun) -> bool:
    """A lower-case name written as a modifier of the noun ("copper output")."""
    return any(
        t.idx >= e.start and t.idx < e.end and t.head.i == noun.i and t.dep_ in ("compound", "amod", "nmod")
        and (t.text.islower() or t.is_sent_start)
        for t in noun.lefts
    )


# "Quorvia stock began trading", "Quorvia shares rose", "shares of Quorvia": a name whose
# stock is spoken of is a company's.
_STOCK_NAME = re.compile(
    r"(?<![\w&])(?P<a>[A-Z][\w&.-]+(?:\s+[A-Z][\w&.-]+){0,2})(?:['’]s?)?\s+(?:stock|shares|share price)\b"
    r"|\bshares\s+of\s+(?P<b>[A-Z][\w&.-]+(?:\s+[A-Z][\w&.-]+){0,2})"
)
_PLACE_ENTS = {"GPE", "NORP", "LOC", "PERSON", "DATE", "FAC", "EVENT"}


def _stock_names(doc, vocabulary: _NameVocabulary) -> list[str]:
    """Names whose stock the sentence speaks of, unless the NER reads them there as a place
    or people ("Tokyo shares", "European stocks"). A name it reads as a nationality that
    no rule lists as one ("Norvian shares") is a company's: the small model labels names
    ending like a demonym NORP wherever they stand."""
    out = []
    for m in _STOCK_NAME.finditer(doc.text):
        group = "a" if m.group("a") else "b"
        start, end = m.span(group)
        name = m.group(group).rstrip(".")
        if len(name) < 3 or not vocabulary.may_name(name):
            continue
        labels = {t.ent_type_ for t in tokens_starting_in(doc, start, end)} & _PLACE_ENTS
        if labels and not (labels == {"NORP"} and name.lower() not in vocabulary.demonyms):
            continue
        out.append(name)
    return out


@dataclass(frozen=True)
class _NameVocabulary:
    """Which capitalised phrases may be an article's own company name. "Core CPI", "Stock
    Buyback", "Price Index" open with a metric word or are made of the lexicon's words
    only: a heading's words. "Deutsche Bank" and "Arm Holdings" end in one and are names."""

    openers: frozenset[str]  # metric words and function words: no name starts with one
    words: frozenset[str]  # openers, company nouns, legal forms: no name is made of these alone
    not_names: frozenset[str]
    demonyms: frozenset[str]  # lower case

    def may_name(self, name: str) -> bool:
        words = [w.lower() for w in re.findall(r"[\w'’&-]+", name)]
        if not words or name in self.not_names or any(ch.isdigit() for ch in name):
            return False
        return words[0] not in self.openers and not all(w in self.words for w in words)


@per_rules
def _name_vocabulary(rules: Rules) -> _NameVocabulary:
    openers = {w.lower() for m in rules.metrics.metrics for cue in m.cues for w in cue.split()}
    openers |= {w.lower() for w in rules.qualifiers.ignore} | {w.lower() for w in rules.qualifiers.basis}
    openers |= {"stock", "stocks", "market", "markets", "core", "headline"} | set(STOP_WORDS)
    words = openers | {w.lower() for w in rules.entities.company_nouns} | {w.lower() for w in rules.entities.not_names}
    demonyms = frozenset(w.lower() for w in rules.entities.demonyms)
    return _NameVocabulary(frozenset(openers), frozenset(words), frozenset(rules.entities.not_names), demonyms)


def _article_names(
    per_sentence: list[list[EntityMention]], topic: EntityMention | None, learned: dict[str, str], index, vocabulary: _NameVocabulary
) -> dict[str, str]:
    """Company names the parse or the NER found in the article that no rule knows: the
    topic, and any named in two sentences or more (one sighting may be a misreading).
    A heading's words ("Core CPI", "Stock Buyback", "Bank") are no name to look for
    (`_NameVocabulary`)."""
    seen: Counter[str] = Counter()
    for found in per_sentence:
        for name in {e.name for e in found if e.kind == "company"}:
            seen[name] += 1
    return {
        name: name
        for name, n in seen.items()
        if (n >= 2 or topic is not None and name == topic.name)
        and name not in learned and index.resolve(name) is None and len(name) >= 3
        and vocabulary.may_name(name)
    }


def _short_names(names: dict[str, str], learned: dict[str, str], index, vocabulary: _NameVocabulary) -> dict[str, str]:
    """"Tessaly" for Tessaly Coatings: an article shortens a company's name to its first
    word after naming it in full ("a 37% premium to Tessaly's close"), and the tagger may
    read the short form as a place. Only a first word that no rule knows, that is no
    common word, and that starts one of the article's names alone."""
    owners: dict[str, set[str]] = {}
    for alias, name in names.items():
        words = alias.split()
        first = words[0] if len(words) > 1 else ""
        if len(first) > 3 and first[0].isupper() and first.isalpha() and first not in _STOP_NAMES:
            owners.setdefault(first, set()).add(name)
    return {
        first: next(iter(found))
        for first, found in owners.items()
        if len(found) == 1 and first not in names and first not in learned and index.resolve(first) is None
        and vocabulary.may_name(first) and first.lower() not in vocabulary.demonyms
    }


def _title_position(name: str, title: str) -> int | None:
    """Where the title names the company, by its name or its distinctive first word
    ("Harborview" for Harborview Financial Corp: headlines shorten a company's name to
    the word it is known by); None where it does not."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title)
    if found:
        return found.start()
    words = name.split()
    first = words[0] if len(words) > 1 else ""
    if len(first) < 4 or not first[0].isupper() or first.lower() in STOP_WORDS:
        return None
    found = re.search(rf"(?<!\w){re.escape(first)}(?:['’]s)?(?![\w-])", title)
    return found.start() if found else None


def _topic(document: Document, per_sentence: list[list[EntityMention]]) -> EntityMention | None:
    """The company an article is about: named in its title, else named most often."""
    counts: Counter[str] = Counter()  # weights are fractional: a Counter of floats
    kinds: dict[str, EntityMention] = {}
    lede = next((i for i, s in enumerate(document.sentences) if not s.heading), None)
    in_lede: set[str] = set()
    for i, (sentence, found) in enumerate(zip(document.sentences, per_sentence)):
        if sentence.quote is not None:
            continue  # a table's row labels (segments, line items) name what a figure is, not the article's company
        for e in found:
            if e.kind not in ("company", "index", "forecaster", "country"):
                continue
            # An economy is the topic only of an article no company dominates.
            weight = 0.5 if e.kind == "country" else 1.0
            counts[e.name] += weight * (3 if sentence.heading else 1)
            kinds.setdefault(e.name, e)
            if i == lede:
                in_lede.add(e.name)
    if not counts:
        return None
    # "Exxon" in a heading and "ExxonMobil" in the text are one company, as they are when
    # articles are aligned.
    merged: Counter[str] = Counter()
    roots = canonical_subjects(counts)
    for name, n in counts.items():
        merged[roots.get(name, name)] += n
        kinds.setdefault(roots.get(name, name), kinds[name])
    counts = merged
    if document.title:
        # A name the body uses and the title repeats ("Reddit Stock Slides ...") is what the
        # article is about, even when no rule or the NER knows the title's own words.
        in_title: dict[str, int] = {}
        for n in roots:
            at = _title_position(n, document.title) if kinds[n].kind != "country" else None
            if at is not None:
                in_title[roots.get(n, n)] = min(at, in_title.get(roots.get(n, n), at))
        # "Brellin Q3 - the Nova line carries it": a headline leads with whom it is about;
        # a product or rival it names later counts for less
        first = min(in_title.values(), default=None)
        lede_names = {roots.get(n, n) for n in in_lede}
        for name, at in in_title.items():
            # the name the opening sentence repeats from the headline is surely the topic
            counts[name] += (3 if at == first else 1.5) + (1 if name in lede_names else 0)
    (best, n), *rest = counts.most_common(2) + [("", 0)]
    runner_up = rest[0][1] if rest else 0
    # A story about two companies (a takeover) has no single topic to default to.
    if n < 2 or runner_up * 2 > n:
        return None
    return kinds[best]



def _possessor_antecedent(noun):
    """"the industry gained ..., above its monthly average of 24,000 jobs": the doer that
    "its" points back to, the last subject before it in the sentence."""
    tok = noun
    for _ in range(3):
        if tok is None:
            return None
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        if owner is not None:
            subjects = [t for t in tok.doc[: owner.i] if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN"]
            return subjects[-1] if subjects else None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _cue_segments(doc, span: tuple[int, int], mlex) -> list[str]:
    """Segments named after a metric's cue word ("employment in health care")."""
    last = next((t for t in doc if t.idx < span[1] <= t.idx + len(t.text)), None)
    if last is not None and last.dep_ in ("compound", "amod", "nmod") and last.head.i == last.i + 1 and normalise_words(last.head.text) in mlex.change_nouns:
        # "value-added growth in the fishing sector": the part hangs from the change the
        # cue's measure names, right after it
        last = last.head
    if last is None or last.pos_ != "NOUN":
        return []
    # only "in" and "from": after a cue the parse has not tied to the figure, "rent for
    # the site" or "sales at the time" name no part of the whole
    return segments_after(last, mlex, ("in", "from"))


# The words before a bracketed figure, back to a comma, colon, "and" or a verb of listing.
_BRACKETED_PART = re.compile(r"(?:^|[,:;]|\band\b|\bincluding\b|\binclude[sd]?\b|\bin\b)\s*((?:[A-Za-z][\w&'’-]*\s+){0,3}[A-Za-z][\w&'’-]*)\s*\($")


def _agent_segment(frame, ctx, mlex, doer=None) -> tuple[str, ...]:
    """"Health care added 45,000 jobs", "The five carmakers recalled 1.9 million vehicles":
    an unnamed doer that is not the measured noun narrows the figure to its part."""
    agent = doer if doer is not None else frame.agent if frame is not None else None
    if agent is None and frame is not None:
        agent = _possessor_antecedent(frame.noun)
    # "Warehousing employment kept climbing, adding 14,000 jobs": a participle with an object
    # of its own does what its main clause's subject does; that subject narrows the figure
    # only where it names the metric itself, narrowed ("construction employment")
    participle = False
    if agent is None and frame is not None and frame.verb is not None and frame.verb.dep_ == "advcl" and frame.verb.tag_ == "VBG":
        agent, participle = verb_subject(frame.verb.head), True
    if agent is None or agent.pos_ in ("PRON", "PROPN"):
        return ()
    if agent.text.lower() in ctx.lex.anaphor_heads and agent.tag_ not in ("NNS", "NNPS"):
        return ()
    owner = next((c for c in agent.children if c.dep_ == "poss"), None)
    owned = set()
    if owner is not None and agent.lower_ in mlex.segment_nouns:
        # "Ashcombe's Yorkshire division completed 1,310 homes": the company owns the part
        # that did it; the part still narrows the figure
        owned = {t.i for t in owner.subtree}
    part = [t for t in agent.subtree if t.i <= agent.i and t.i not in owned]
    lo, hi = part[0].idx, agent.idx + len(agent.text)
    named = [e for e in ctx.all_entities if e.start < hi and lo < e.end]
    if not owned and named:
        if any(e.end > agent.idx for e in named):
            return ()  # (a named part of a company, "its Google unit", is still a part)
        # "Halvern theme parks reported ...": the company's name in front of a part of it
        part = [t for t in part if not any(e.start <= t.idx < e.end for e in named)]
    words = [t.text.lower() for t in part if t.pos_ in ("NOUN", "ADJ", "PROPN") and not (owned and t.i == agent.i)]
    words = [w for w in words if w not in mlex.ignored]
    core = [w for w in words if w not in mlex.change_nouns and w.removesuffix("s") not in mlex.change_nouns]
    names = {" ".join(words), " ".join(core), " ".join(core) + "s"}
    if any(n in mlex.by_phrase for n in names if n.strip()):
        # "Nonfarm payrolls rose by 311,000", "job gains topped ...": the doer
        # names the metric itself
        return ()
    for cut in range(1, len(words)):
        named = mlex.by_phrase.get(" ".join(words[cut:]))
        if named:
            # "Temporary help services employment fell by 12,000": the metric, narrowed
            # by the words in front of it. A cue word narrows nothing ("oil prices"); in a
            # statistic's name only its own cue words do not ("payroll employment"), a
            # sector named like another metric does ("manufacturing employment")
            if participle and not any(m.statistic for m in named):
                return ()  # "Copper prices climbed, reaching $10,400 a tonne": the price itself
            if any(m.statistic for m in named):
                cue_words = {w for m in named for cue in m.cues + m.heads for w in normalise_words(cue).split()}
            else:
                cue_words = mlex.cue_word_set
            part = [w for w in words[:cut] if not {w, w + "s", w.removesuffix("s")} & cue_words]
            return (" ".join(part),) if part else ()
    if participle or agent.text.lower() in mlex.by_phrase:
        return ()
    if len(words) > 1 and words[-1] == agent.lower_ and agent.lower_ in mlex.segment_nouns:
        # "the consumer-devices segment posted ..." is the part "revenue in the consumer-
        # devices segment" names: its name without the segment noun (metrics.py reads it so)
        words = words[:-1]
    return (" ".join(words),) if words else ()


_PARENTHESES = re.compile(r"\([^)]*\)")


def _with_row_part(m: Mention, label: str, mlex) -> Mention:
    """A table row labelled "Cloud" or "Europe" states that part's figure: its label, when
    it names no metric ("Net income", "Diluted EPS" do), narrows the metric as "cloud
    revenue" does in a sentence, so a segment's row is never read as the whole's."""
    part = normalise_words(_PARENTHESES.sub(" ", label)).strip()
    if not part or mlex.names_metric(part) or part in m.qualifiers:
        return m
    return replace(m, qualifiers=_merged(m.qualifiers, (part,)))


def _merged(first: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(w for w in more if w not in first)


def _valued_company(verb, doc, entities: list[EntityMention], deal_verbs: frozenset[str] = frozenset()) -> EntityMention | None:
    """"The deal values Skarvik at $41 a share", "agreed to buy Skarvik for $12
    billion": the company valued is the one bought."""
    if verb is None or verb.lower_ not in ("value", "values", "valued", "valuing") and verb.lower_ not in deal_verbs:  # no lemmatizer
        return None
    for child in verb.children:
        if child.dep_ == "dobj":
            return _entity_in_place((child.left_edge.i, child.i + 1), doc, entities)
    return None


def _deal_counterpart(noun, doc, entities: list[EntityMention]) -> EntityMention | None:
    """"its $40 billion merger with Harlow", "the $4bn purchase of Skarvik": the other party
    of a deal, named after its noun, whose terms they are."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "of", "for"):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found = _entity_in_place((obj.left_edge.i, obj.i + 1), doc, entities)
                    if found is not None:
                        return found
    return None


def _offer_context(mentions: list[Mention], rules: Rules, bidders: set[str], parties: set[str]) -> None:
    """A takeover's figure whose sentence names no bidder keeps whom its article names as
    bidding, and the companies its deal sentences name, so that it can be told from
    another bidder's offer for the same company (link/comparisons.py, offer)."""
    if not bidders and not parties:
        return
    targets = {m.id for m in rules.metrics.metrics if m.subject_is_target}
    for m in mentions:
        if m.metric in targets and m.attribution is None:
            own_bidders = sorted(bidders - {m.subject})
            own_parties = sorted(parties - {m.subject})
            if own_bidders:
                m.evidence["bidders"] = "|".join(own_bidders)
            if own_parties:
                m.evidence["parties"] = "|".join(own_parties)


def _consensus_polls(mentions: list[Mention], document: Document, lex) -> None:
    """Which poll each consensus figure is from (`evidence["poll"]`): the one its sentence
    names, the nearest where it names two, else the one its article names, if it names
    one. Two polls give two figures ("68 cents" from one, "69 cents, according to FactSet"
    from another), so link/comparisons.py's `poll` tells them apart; a figure whose article
    names no poll, or several, has none."""
    street = [m for m in mentions if m.attribution == "consensus"]
    if not street:
        return
    named = {name for s in document.sentences for _, name in lex.polls(s.text)}
    for m in street:
        own = lex.polls(m.sentence.text)
        if own:
            m.evidence["poll"] = min(own, key=lambda hit: abs(hit[0] - m.quantity.start))[1]
        elif len(named) == 1:
            m.evidence["poll"] = next(iter(named))


def _change_amount(text: str, q: QuantityMention, lex) -> bool:
    """"rose $3.10", "fell by $2": the figure right after a movement verb is the move."""
    if _EXTREME_WRITTEN.match(q.text):
        return False  # "climbed as high as $31.50" reached a level
    before = _RESTATED_BEFORE.sub("", text[max(0, q.start - 40) : q.start])  # "jumped 5.2% or $5"
    words = re.findall(r"[A-Za-z]+", before)
    while words and words[-1].lower() in ("by", "about", "nearly", "almost", "some", "around", "roughly", "another"):
        words.pop()
    return bool(words) and words[-1].lower() in lex.direction_words


# "in the quarter", "during the quarter": the one quarter the article reports on (not "the
# same quarter" a year earlier, nor "the quarter ended June 30", which names its own)
_THE_QUARTER = re.compile(r"\b(?:in|during|for|over|through)\s+the\s+(?:latest\s+|most\s+recent\s+|recent\s+)?quarter\b(?!\s+(?:ended|ending|to|through))", re.IGNORECASE)
_THE_QUARTER_AFTER = re.compile(r"\s*,?\s*" + _THE_QUARTER.pattern, re.IGNORECASE)
# "... to 218,000", "... to $5.2 billion": the level a move reached, right after it
_TO_LEVEL_AFTER = re.compile(r"\s+to\s+(?:about\s+|around\s+|nearly\s+|a\s+record\s+)?[$€£¥]?\d", re.IGNORECASE)
# the same, the level's own figure written with any currency ("to Rs 48,300 crore")
_TO_BEFORE_FIGURE = re.compile(r"\s+to\s+(?:about\s+|around\s+|nearly\s+|a\s+record\s+)?$", re.IGNORECASE)


def _to_level_after(text: str, q: QuantityMention, ctx) -> bool:
    """"rose 12,000 to 218,000", "rising Rs 900 crore to Rs 48,300 crore": a level
    follows the figure, so the figure is the move."""
    if _TO_LEVEL_AFTER.match(text, q.end):
        return True
    k = bisect_left(ctx.figure_starts, q.end)
    if k == len(ctx.figure_starts) or ctx.figure_starts[k] - q.end >= 40:
        return False
    return _TO_BEFORE_FIGURE.search(text[q.end : ctx.figure_starts[k]]) is not None
# "34,000 more than it delivered", "$3 above the top of the range": a difference
_MORE_THAN_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:more|fewer|less|higher|lower|above|below)\s+than\b|\s+(?:above|below|short\s+of)\s+(?:the|its|their|a|an)\b",
    re.IGNORECASE,
)
_BY_BEFORE = re.compile(
    r"\bby\s+(?:a\s+(?:total|combined|net)\s+(?:of\s+)?|a\s+further\s+|an\s+additional\s+)?"
    r"(?:about\s+|nearly\s+|roughly\s+|some\s+|another\s+|around\s+|almost\s+)?$",
    re.IGNORECASE,
)


# "were revised down by a combined 31,000", "a downward revision of 150,000", "revisions
# subtracted 86,000": the figure right after is a revision's size
_REVISED_BY = re.compile(
    r"(?:\brevised\s+(?:\w+\s+){0,2}?by|\brevisions?\s+(?:\w+\s+){0,3}?(?:of|by|totall?ing|subtracted|added|cut|trimmed|shaved\s+off)"
    r"|\b(?:upward|downward|net)\s+revisions?\s+(?:\w+\s+){0,3}?(?:of|by|totall?ing))"
    r"\s+(?:a\s+(?:total|combined|net)\s+(?:of\s+)?|another\s+)?(?:about\s+|nearly\s+|roughly\s+|some\s+|around\s+|almost\s+)?$",
    re.IGNORECASE,
)


def _by_amount(text: str, q: QuantityMention, ctx) -> bool:
    """"raised its revenue forecast by $3 billion", "sales grew by $400 million": an amount
    after "by" that a verb of change in its clause governs is how far a figure moved."""
    if not _BY_BEFORE.search(text, max(0, q.start - 24), q.start):
        return False
    c_start, _ = _clause_of(ctx.clauses, q.start)
    return ctx.lex.changing_verb_re.search(text, max(c_start, q.start - 100), q.start) is not None


def _described_countries(doc, company_nouns: set[str]) -> list[int]:
    """"America's largest oil group", "Japan's biggest carmaker": a country owning a company
    noun describes the company the article is about; no figure is the country's. The
    character offsets of such possessors."""
    return [t.idx for t in doc if t.dep_ == "poss" and t.head.lower_ in company_nouns]


def _anaphor_evidence(frame, doc, heads: set[str]) -> str:
    """"The stock dropped 69%", "its shares": the sentence itself points at the company it
    is about, and that company is the article's topic. Anything else is a default."""
    if frame is None or doc is None:
        return "topic"
    for lo, hi in frame.subject_places:
        words = [t for t in doc[lo:hi]]
        if not words:
            continue
        head = max(words, key=lambda t: (t.head.i < lo or t.head.i >= hi, -t.i))
        definite = any(t.lower_ in ("the", "its", "their") for t in words) or head.lower_ in ("its", "it")
        singular_anaphor = definite and head.lower_ in heads and head.tag_ not in ("NNS", "NNPS")
        its_shares = head.lower_ in ("shares", "stock") and any(t.lower_ in ("its", "the", "company") for t in words)
        if singular_anaphor or its_shares:
            return "anaphor"
    return "topic"


_STRAIGHT_QUOTES = str.maketrans({"’": "'", "‘": "'"})
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*\Z")


def _reread_form(text: str, quantities: list[QuantityMention], units, doc) -> str | None:
    """The sentence to parse again when the tagger read a word as a verb that is none, and
    parsed the sentence around it: a currency written as a word after its figure ("600
    billion won", the past of "win") is given as its code where the two are as long ("600
    billion KRW"); a curly apostrophe's "’s" after a name read as anything but a possessive
    ("Disney’s streaming division" as "Disney is ...") is given with the straight one,
    which the small model reads far more reliably. Character offsets stay those of the
    sentence, and a sentence is parsed again at most once. None when nothing was misread."""
    out = text
    if "’" in text and any(t.text in ("’s", "’") and t.tag_ != "POS" and t.i and t.nbor(-1).pos_ == "PROPN" for t in doc):
        out = out.translate(_STRAIGHT_QUOTES)
    for q in quantities:
        if q.kind != "money":
            continue
        m = _LAST_WORD.search(text, q.start, q.end)
        if m is None:
            continue
        surface = units.currency_surfaces.get(m[1].lower())
        if surface is None or surface.form != "name" or len(surface.code) != len(m[1]) or m[1] == surface.code:
            continue
        token = next((t for t in doc if t.idx == m.start(1)), None)
        if token is not None and token.pos_ in ("VERB", "AUX"):
            out = out[: m.start(1)] + surface.code + out[m.end(1) :]
    return None if out == text else out


class ReadingBudget:
    """What extraction may read of one article: the sentences the parser may parse
    (`max_parsed_sentences` in rules/severity.yaml, `charge`) and the figures (`max_figures`,
    `count`). Parsing is most of extraction's cost (a few milliseconds a sentence, 40 s for
    a megabyte of figures); a news article parses tens of sentences, so an article that asks
    for more than the budget is a dump, a table or an attack. It is refused, as an over-long
    sentence is, not read without the parse: a subject guessed without the grammar could
    report a conflict that is not there."""

    def __init__(self, path: str, limit: int, max_figures: int):
        self.path, self.limit, self.used = path, limit, 0
        self.max_figures, self.figures = max_figures, 0

    def charge(self, sentence: Sentence) -> None:
        if len(sentence.text) > PARSE_MAX_CHARS:
            return  # read by cue words only, never parsed
        self.used += 1
        if self.used > self.limit:
            raise InputFileError(
                self.path,
                f"more than {self.limit:,} sentences to parse (max_parsed_sentences in severity.yaml); file skipped",
                line=sentence.line,
            )

    def count(self, figures: int, sentence: Sentence) -> None:
        """`max_figures`: reading a figure (its subject, metric, time and cues) costs up to
        about a millisecond beyond the parse, and a sentence too long to parse can hold
        thousands, so the parse budget alone let a megabyte of figures run for half a
        minute. News articles hold tens of figures, a few hundred with a table; more is a
        dump (bench/README.md, "Slow text")."""
        self.figures += figures
        if self.figures > self.max_figures:
            raise InputFileError(
                self.path,
                f"more than {self.max_figures:,} figures (max_figures in severity.yaml); file skipped",
                line=sentence.line,
            )


def _in_figure(e: EntityMention, quantities: list[QuantityMention]) -> bool:
    """A country written inside a figure names its currency ("1.7 billion US dollars",
    "Hong Kong dollars"), not whose figure it is. (`quantities` are in text order and do
    not overlap: only the last to start at or before the name can hold it, found by
    bisection, so a sentence of thousands of names and figures stays linear.)"""
    if e.kind != "country" or not quantities:
        return False
    i = bisect_right(quantities, e.start, key=lambda q: q.start) - 1
    return i >= 0 and e.end <= quantities[i].end


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _title_cased(text: str) -> bool:
    """Most words of four letters or more begin with a capital: a headline in title case."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# "Capital One", "Big Four", "Formula One": a name ending in a number word, both words
# capitalised (where quantities.py already reads no figure).
_NAME_ENDING_IN_NUMBER = re.compile(r"\b([A-Z][\w&'’.-]*)\s+(" + "|".join(w.capitalize() for w in NUMBER_WORDS) + r")\b")


def _names_ending_in_numbers(document: Document) -> frozenset[str]:
    """The article's names that end in a number word, lower-cased ("capital one"), from
    its body's sentences (a title-cased heading capitalises every word)."""
    return frozenset(
        f"{m.group(1).lower()} {m.group(2).lower()}"
        for s in document.sentences
        if not s.heading
        for m in _NAME_ENDING_IN_NUMBER.finditer(s.text)
        if m.group(1).lower() not in STOP_WORDS
    )


def _in_a_name(text: str, q: QuantityMention, names: frozenset[str]) -> bool:
    """A bare number word that, with the word before it, is one of `names` in any case:
    "halvern one debit cards" under a photo names the bank, it counts nothing."""
    if q.text.lower() not in NUMBER_WORDS:
        return False
    before = text[: q.start].rstrip().rsplit(None, 1)
    return bool(before) and f"{before[-1].lower()} {q.text.lower()}" in names


def _figures(document: Document, rules: Rules) -> list[tuple[list | None, list[QuantityMention]]]:
    """Pass 1: the figures and times of each sentence (times only where it holds a figure:
    a sentence without one has its times read later, if they can reach one). Charges the
    article's parse budget for the sentences that will be parsed."""
    units = rules.units
    found: list[tuple[list | None, list[QuantityMention]]] = []
    last = len(document.sentences) - 1
    thresholds = rules.policy.thresholds
    budget = ReadingBudget(document.path, thresholds.max_parsed_sentences, thresholds.max_figures)
    candidates = may_hold_figures([s.text for s in document.sentences])
    names: frozenset[str] | None = None
    for i, sentence in enumerate(document.sentences):
        if sentence.heading:
            budget.charge(sentence)
        if i not in candidates:
            if i < 4 and not sentence.heading:
                budget.charge(sentence)
            found.append((None, []))
            continue
        quantities = find_quantities(sentence.text, units)
        if any(q.text.lower() in NUMBER_WORDS for q in quantities):
            names = _names_ending_in_numbers(document) if names is None else names
            quantities = [q for q in quantities if not _in_a_name(sentence.text, q, names)]
        times = find_periods(sentence.text, document.published) if quantities else None
        if times:
            # "in 2026": a year is a time, not a count
            quantities = [q for q in quantities if not any(t.start < q.end and q.start < t.end for t in times)]
        if i == last and quantities and sentence.quote is None and not TERMINAL_END.search(sentence.text) and quantities[-1].end >= len(sentence.text.rstrip()):
            # An excerpt cut off mid-figure ("... generating profits of $3"): the figure's
            # scale and decimals may be lost with the rest of the page. (A table's cell
            # ends its reading and is whole: its row's closing bar says so.)
            quantities = quantities[:-1]
        if (quantities or i < 4) and not sentence.heading:
            budget.charge(sentence)
        budget.count(len(quantities), sentence)
        found.append((times, quantities))
    return found


def _to_parse(document: Document, found: list[tuple[list | None, list[QuantityMention]]]) -> list[int]:
    """The sentences to parse: those with a figure, plus the title and opening lines,
    which name what the article is about."""
    opening = [i for i, s in enumerate(document.sentences) if s.heading or i < 4]
    return sorted(
        i for i in {i for i, (_, qs) in enumerate(found) if qs} | set(opening)
        if len(document.sentences[i].text) <= PARSE_MAX_CHARS
    )


def parse_ahead(documents: list[Document], rules: Rules) -> None:
    """Parse, in one batch, every sentence that `extract_mentions` will parse for these
    documents (both of its rounds: the sentences, then those it reads again), so that a
    worker's chunk of articles is parsed in a few large `nlp.pipe` batches instead of two
    small ones per article. Only inside `parse_zone()` (outside one it does nothing), and
    only a head start: `extract_mentions` asks for the same sentences and gets the same
    parses (a sentence's parse does not depend on what it was batched with), so every
    document's claims stay its own. A document that extraction will refuse is skipped here
    and refused there."""
    plans = []
    for document in documents:
        try:
            found = _figures(document, rules)
        except Exception:  # noqa: BLE001 - refused or failed again, and reported, by its extraction
            continue
        plans.append((document, found, _to_parse(document, found)))
    parsed = parse_ahead_texts([d.sentences[i].text for d, _, todo in plans for i in todo])
    if not parsed:
        return
    again = []
    for document, found, todo in plans:
        for i in todo:
            text = document.sentences[i].text
            reread = _reread_form(text, found[i][1], rules.units, parsed[text])
            if reread is not None:
                again.append(reread)
    parse_ahead_texts(again)


def extract_mentions(document: Document, rules: Rules) -> list[Mention]:
    # The sentences' parses live and die inside this call (see parse.parse_zone): the
    # mentions hold only strings and numbers read from them.
    with parse_zone():
        mentions = _extract_mentions(document, rules)
    _mark_retold(document, mentions, rules)
    for m in mentions:
        if m.quantity.kind == "count" and m.quantity.text.lower() == "one" and _PARTITIVE.match(m.sentence.text, m.quantity.end):
            m.evidence["count"] = "partitive"
    return mentions


# "one of the largest lenders", "outside one of its stores": one member of a group, not a
# count of it. Kept as a claim (quantity extraction counts it, as NewsQuant's annotators
# do) and left out of every comparison (link.quantity_family).
_PARTITIVE = re.compile(r"\s+of\s+(?:the|its|their|his|her|our|your|these|those|them|us|this|that|a\s+handful|many|several)\b", re.I)


# figure pairs compared in one passage of a second telling, at most (50 figures a side)
_RETOLD_COMPARISONS = 2500


def _mark_retold(document: Document, mentions: list[Mention], rules: Rules) -> None:
    """Marks each figure of an article's second telling with the figure of the first
    telling it restates (extract/retold.py): `retells` that figure's sentence as
    line:column, `retold_figure` the figure as written there."""
    t = rules.policy.thresholds
    limits = RetoldLimits(t.retold_paragraphs, t.retold_words, t.retold_similarity, t.retold_figure_similarity, t.retold_max_paragraphs)
    passages = second_telling(document.sentences, limits)
    if not passages:
        return
    index = {id(s): i for i, s in enumerate(document.sentences)}
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if id(m.sentence) in index:
            by_sentence.setdefault(index[id(m.sentence)], []).append(m)
    paired: list[tuple[Mention, Mention]] = []
    for window, own in passages:
        earlier = [m for i in window for m in by_sentence.get(i, [])]
        later = [m for i in own for m in by_sentence.get(i, [])]
        read = ([(m.quantity.kind, context(m.sentence.text, m.quantity.start, m.quantity.end)) for m in told] for told in (later, earlier))
        paired += [(later[j], earlier[i]) for j, i in counterparts(*read, limits.figure_similarity, _RETOLD_COMPARISONS).items()]
    if not repeats_its_figures([(m.quantity.value, c.quantity.value) for m, c in paired]):
        return
    for m, c in paired:
        m.evidence["retells"] = f"{c.sentence.line}:{c.sentence.column}"
        m.evidence["retold_figure"] = c.quantity.text


def _extract_mentions(document: Document, rules: Rules) -> list[Mention]:
    lex = lexicon(rules)
    mlex = _metric_lexicon(rules)
    index = lex.entity_index
    units = rules.units
    learned = learn_aliases([s.text for s in document.sentences], index)
    # "the Consumer Price Index (CPI)" introduces a statistic, not a company and its ticker
    learned = {a: n for a, n in learned.items() if not (lex.names_statistic(a) or lex.names_statistic(n))}
    # Metric words the tagger capitalises ("Capex", "ARR") are no company names either.
    # "SEK 4,310m": a currency code heading a figure is read by the tagger as an organisation
    not_names = _STOP_NAMES | set(rules.entities.not_names) | mlex.cue_words | set(rules.units.currencies)
    company_words = frozenset(rules.entities.company_words)
    company_nouns = frozenset(w.lower() for w in rules.entities.company_nouns)
    company_context = frozenset(w.lower() for w in rules.entities.deal_words + rules.entities.company_nouns)
    demonyms = frozenset(w.lower() for w in rules.entities.demonyms)

    # Pass 1: figures and times of each sentence; parse those that hold a figure.
    found = _figures(document, rules)
    in_reach = _sentences_in_reach(document, [qs for _, qs in found], lex)

    def times_of(i: int) -> list:
        if found[i][0] is None:
            found[i] = (find_periods(document.sentences[i].text, document.published), found[i][1])
        return found[i][0]

    # The currency the article counts money in says whose fiscal year an unlisted company keeps.
    currencies = Counter(_currency(q) for _, qs in found for q in qs if q.kind == "money")
    house_fy_end = rules.entities.fiscal_year_by_currency.get(currencies.most_common(1)[0][0]) if currencies else None
    to_parse = _to_parse(document, found)
    docs = dict(zip(to_parse, parse_sentences([document.sentences[i].text for i in to_parse])))
    misread = {i: _reread_form(document.sentences[i].text, found[i][1], units, docs[i]) for i in to_parse}
    misread = {i: text for i, text in misread.items() if text is not None}
    docs.update(zip(misread, parse_sentences(list(misread.values()))))

    # Pass 2: every name in every sentence, for the article's topic.
    per_sentence_entities: list[list[EntityMention]] = []
    # the rules' names and the article's aliases in each sentence, for its context in
    # pass 3 as long as no alias is added in between
    known: list[list[EntityMention]] | None = []
    names_in = index.find_each([s.text for s in document.sentences], learned)
    for i, sentence in enumerate(document.sentences):
        if i not in names_in and i not in docs:
            known.append([])
            per_sentence_entities.append([])
            continue
        known.append([
            e for e in names_in.get(i, [])
            if not inside_longer_name(sentence.text, e, lex.beside_names, lex.statistic_names, company_words) and not _in_figure(e, found[i][1])
        ])
        ents = known[-1]
        if i in docs and not (sentence.heading and _title_cased(sentence.text)):
            # In a title-cased heading every word looks like a name ("Why Acme's $3 Billion
            # Bid Is A Win"): only names the rules or the article's body know are read there.
            ents = ents + _ner_mentions(docs[i], sentence.text, ents, index, not_names, lex.name_descriptors)
            spans = [(q.start, q.end) for q in found[i][1]]
            ents = ents + _proper_name_mentions(docs[i], ents, index, not_names, spans, company_words, company_context, lex.name_descriptors, demonyms)
            ents = [e for e in ents if not _describes_company_noun(e, docs[i], company_nouns, index)]
        ents = [_after_table_row(e, index) for e in ents if not names_currency(sentence.text, e) and not names_a_listing(e, sentence.text, lex)]
        ents = [
            e for e in ents
            if e is not None and not (index.resolve(e.name) is None and (lex.names_statistic(e.name) or mlex.names_metric(e.name)))
        ]
        dateline = _DATELINE.match(sentence.text)
        if dateline:
            # "TOKYO (AP) — Japan's Nikkei 225 fell ...": where the story was filed
            ents = [e for e in ents if e.start >= dateline.end()]
        per_sentence_entities.append(sorted(ents, key=lambda e: e.start))
    # "Chief Executive Marisa Okafor said ... . Okafor added ...": a name the NER reads as
    # a person right after a title, whole or by surname, is nobody's company
    titles = frozenset(t.rstrip(".") for t in rules.entities.person_titles)
    persons = {
        w for d in docs.values() for ent in d.ents
        if ent.label_ == "PERSON" and " " in ent.text.strip() and ent.start > 0 and d[ent.start - 1].text.rstrip(".,") in titles
        for w in (ent.text.strip(), ent.text.split()[-1])
    }

    def person(e: EntityMention) -> bool:
        return e.kind == "company" and e.name in persons and index.resolve(e.name) is None

    per_sentence_entities = [[e for e in found if e.kind != "exchange" and not person(e)] for found in per_sentence_entities]
    topic = _topic(document, per_sentence_entities)
    # A company the parse found somewhere in the article is the same name everywhere: the
    # small tagger reads "Quorvia stock" as an adjective in one sentence and finds Quorvia
    # as a noun in the next. The article's names become aliases for all its sentences.
    vocabulary = _name_vocabulary(rules)
    discovered = _article_names(per_sentence_entities, topic, learned, index, vocabulary)
    for i, doc in docs.items():
        for name in _stock_names(doc, vocabulary):
            if name not in learned and index.resolve(name) is None:
                discovered.setdefault(name, name)
    discovered |= _short_names(discovered, learned, index, vocabulary)
    if discovered:
        learned = {**discovered, **learned}
        known = None
        for i, sentence in enumerate(document.sentences):
            have = per_sentence_entities[i]
            extra = [e for e in index.find_aliases(sentence.text, discovered) if not any(k.start < e.end and e.start < k.end for k in have)]
            if extra:
                per_sentence_entities[i] = sorted(have + extra, key=lambda e: e.start)
        topic = _topic(document, per_sentence_entities)
    countries = Counter(e.name for found in per_sentence_entities for e in found if e.kind == "country")
    economy_name = countries.most_common(1)[0][0] if countries else None
    economy = next((e for found in per_sentence_entities for e in found if e.name == economy_name), None)

    timeless_metrics = {m.id for m in rules.metrics.metrics if m.timeless}
    # Pass 3: read each figure in order; "the company" in one sentence is the company the
    # previous one made a claim about.
    mentions: list[Mention] = []
    lead_paragraph = next((s.paragraph for s in document.sentences if not s.heading), None)
    lead_days: dict[tuple, Period] = {}
    lead_day: Period | None = None
    day_ctx: tuple[Period, int, bool, str | None] | None = None  # (day, paragraph, opens its sentence, its session)
    any_ctx: tuple[Period, int, int] | None = None
    reporting_quarter: Period | None = None
    # company -> the quarters its sentences without figures name ("Halvern reported
    # fiscal third-quarter earnings on Tuesday"): what its undated results are of
    announced: dict[str, dict[tuple, Period]] = {}
    antecedent: tuple[EntityMention, int] | None = None
    previous: _SentenceContext | None = None
    bidders: set[str] = set()  # companies the article names as bidding
    parties: set[str] = set()  # companies its sentences about a deal name
    held_antecedent: tuple[EntityMention, int] | None = None  # kept aside while a heading is read
    header: Period | None = None  # the span of time a line such as "For the year:" heads
    for i, sentence in enumerate(document.sentences):
        heading = sentence.heading
        if heading:
            header = None
        elif not found[i][1]:
            header = period_header(sentence.text, document.published) or header
        if heading:
            # A title or heading stands alone: no day, company or metric carries into it
            # or out of it, but its own figures are claims ("X to buy Y for $35 billion").
            day_ctx = any_ctx = None
            previous = None
            if not found[i][1]:
                continue
            held_antecedent = antecedent
            antecedent = None
        if antecedent and sentence.paragraph - antecedent[1] > 1:
            antecedent = None
        if lead_days and sentence.paragraph != lead_paragraph:
            lead_day, lead_days = _news_day(lead_days, document), {}
        if day_ctx and sentence.paragraph != day_ctx[1] and not (day_ctx[2] and sentence.paragraph - day_ctx[1] <= DAY_CARRY_PARAGRAPHS):
            # A day carries within its own paragraph; one that opens a sentence ("On July 1,
            # ...") frames the next few paragraphs too; "Friday's close" frames nothing.
            day_ctx = None
        if any_ctx and (sentence.paragraph != any_ctx[1] or any_ctx[2] != i - 1):
            any_ctx = None
        if i not in in_reach:
            previous = None  # what it would carry (a company, a day, a metric) expires before any figure
            continue
        times, quantities = times_of(i), found[i][1]
        ctx = _SentenceContext(sentence, lex, learned, antecedent[0] if antecedent else None, previous, known[i] if known is not None else None)
        ctx.set_figures(quantities)
        named = per_sentence_entities[i]
        ctx.resolve_anaphors(sorted({(e.start, e.name): e for e in ctx.named + named}.values(), key=lambda e: e.start))
        starts = {n.start for n in named}
        ctx.all_entities = sorted(named + [e for e in ctx.entities if e.start not in starts], key=lambda e: e.start)
        doc = docs.get(i)
        described = _described_countries(doc, ctx.lex.company_nouns) if doc is not None else []

        def keep(e: EntityMention) -> bool:
            return e.kind != "exchange" and not names_a_listing(e, ctx.text, ctx.lex) and not (e.kind == "country" and any(e.start <= c < e.end for c in described)) and not (
                e.start == 0 and doc is not None and _common_noun_opening(e, doc, ctx.lex.entity_index)
            ) and not (e.kind == "company" and index.resolve(e.name) is None and mlex.names_metric(e.name)) and not person(e)

        # The three lists share most of their mentions (1 MB of "U.S. " is 200,000 in each):
        # each mention is judged once.
        kept = {k for k, e in {id(e): e for e in (*ctx.named, *ctx.entities, *ctx.all_entities)}.items() if keep(e)}
        ctx.named = [e for e in ctx.named if id(e) in kept]
        ctx.entities = [e for e in ctx.entities if id(e) in kept]
        ctx.all_entities = [e for e in ctx.all_entities if id(e) in kept]
        bidders |= ctx.bidders()
        parties |= ctx.deal_parties()
        claimed: EntityMention | None = None
        read_all: list[Mention] = []
        ctx.reporting_quarter = reporting_quarter
        for q in quantities:
            read = _read_figure(q, quantities, times, ctx, doc, document, rules, mlex, topic, day_ctx, any_ctx, economy, lead_day, house_fy_end, header)
            if sentence.label is not None:
                read = [_with_row_part(m, sentence.label, mlex) for m in read]
            if heading:
                for m in read:
                    m.evidence["sentence"] = "heading"
            mentions.extend(read)
            read_all.extend(read)
            for m in read:
                if claimed is None and m.subject is not None and m.metric is not None and m.evidence["subject"] in ("parse", "cue"):
                    claimed = next((e for e in ctx.all_entities if e.name == m.subject), None)
        _share_coordination(read_all, sentence.text)
        _offer_prices(read_all)
        _conversions(read_all, sentence.text)
        _level_keeps_basis(read_all, sentence.text, mlex)
        _record_spans(read_all, sentence.text, mlex)
        if doc is not None:
            link_changes(doc, sentence.text, read_all, rules.arithmetic)
            link_products(doc, read_all, rules.arithmetic)
            link_parts(doc, read_all, rules.arithmetic)
        quarters = [m.period for m in read_all if m.period is not None and m.period.granularity == "quarter"
                    and m.evidence.get("period") == "explicit" and m.metric is not None and not m.forecast]
        if quarters:
            reporting_quarter = quarters[-1]  # the quarter the article reports on, for "in the quarter"
        elif not quantities and times:
            # "Halvern reported fiscal fourth-quarter earnings on Thursday." and then "Net
            # income for the quarter was $1.4 billion": a sentence without figures names
            # the quarter the results are of, on its company's calendar
            named = _results_quarter(times, sentence.text, ctx, house_fy_end, document.published)
            reporting_quarter = named or reporting_quarter
            reporter = ctx.main_company()
            if named is not None and reporter is not None:
                announced.setdefault(reporter.name, {})[(named.start, named.end)] = named
        company = claimed or ctx.main_company()
        if company is not None and company.kind != "group":
            antecedent = (company, sentence.paragraph)
        previous = ctx
        ctx.previous = None  # keep one sentence of history, not a chain through the article
        if times:
            # "a premium of 33% to its price on Friday": a day that dates only a deal's term
            # frames no move in the sentences after it
            terms = [m for m in read_all if m.metric in timeless_metrics]
            others = {id(m.period) for m in read_all if m.period is not None and m.metric is not None and m.metric not in timeless_metrics}
            for t in times:
                if id(t.period) not in others and any(m.period is t.period and m.quantity.end <= t.start for m in terms):
                    continue
                if is_anchor(t, sentence.text):
                    continue  # "its worst day since the crash of March 12, 2020" frames nothing after it
                if t.period.granularity in ("day", "days") and not _POSSESSIVE_AFTER.match(sentence.text, t.end):
                    opens = not re.search(r"[A-Za-z]{2}", sentence.text[: t.start].replace("On", "", 1))
                    day_ctx = (t.period, sentence.paragraph, opens, _one_session(sentence.text, ctx, rules))
                    if sentence.paragraph == lead_paragraph and t.period.granularity == "day" and t.period.start is not None and not _is_base(t, sentence.text):
                        lead_days[(t.period.start, t.period.end)] = t.period
            framing = [t for t in times if not is_anchor(t, sentence.text) and not _is_base(t, sentence.text)]
            if framing:
                any_ctx = (framing[0].period, sentence.paragraph, i)
        if heading:
            day_ctx = any_ctx = None
            previous = None
            antecedent = held_antecedent
    _offer_context(mentions, rules, bidders, parties)
    _consensus_polls(mentions, document, lex)
    timed = {id(s): _dated_from(s.text, times_of(i), found[i][1]) for i, s in enumerate(document.sentences) if found[i][1]}

    def names_other_day(i: int) -> bool:
        return any(
            t.period.granularity == "day" and t.period.start is not None and t.period.start != document.published for t in times_of(i)
        )

    mentions = _written_in_session(_dated_by_results(mentions, rules, timed, announced), rules, document, names_other_day)
    return mentions + _period_end_mentions(document, mentions, per_sentence_entities, topic, times_of, mlex)


def _period_end_mentions(document: Document, mentions: list[Mention], entities: list[list[EntityMention]], topic, times_of, mlex) -> list[Mention]:
    """The last days of reporting periods as figures (extract/dates.py), each the company's
    its sentence's own figures are of, or the first company the sentence names, or the
    article's topic. None where the rules name no metric for them."""
    if mlex.period_end is None:
        return []
    subjects: dict[int, Mention] = {}
    for m in mentions:
        if m.subject is not None and m.subject_kind == "company":
            subjects.setdefault(id(m.sentence), m)
    out = []
    for i, sentence in enumerate(document.sentences):
        if not dates.HINT.search(sentence.text):
            continue
        ends = dates.period_ends(sentence.text, times_of(i), document.published)
        if not ends:
            continue
        company = next((e for e in entities[i] if e.kind == "company"), None)
        if (figure := subjects.get(id(sentence))) is not None:
            subject, kind, evidence = figure.subject, figure.subject_kind, figure.evidence.get("subject", "cue")
        elif company is not None:
            subject, kind, evidence = company.name, company.kind, "cue"
        elif topic is not None:
            subject, kind, evidence = topic.name, topic.kind, "topic"
        else:
            subject, kind, evidence = None, None, "none"
        for end in ends:
            quantity = QuantityMention(text=end.text, start=end.start, end=end.end, value=float(end.day.toordinal()), unit="date", kind="date", resolution=1.0)
            out.append(Mention(sentence, quantity, subject, kind, mlex.period_end, None, False, None, None, None,
                               evidence={"subject": evidence, "metric": "cue", "period": "none", **({} if end.year_known else {"year": "unknown"}),
                                         **({"sentence": "heading"} if sentence.heading else {})}))
    return out


def _sentences_in_reach(document: Document, quantities: list[list[QuantityMention]], lex) -> set[int]:
    """The sentences whose reading can change a figure's: those with figures and those
    about a deal (their bidders and parties are the article's), the lead paragraph (its day
    is the news day), the sentence before a figure (its metric cue carries), and any
    sentence one of those follows within DAY_CARRY_PARAGRAPHS paragraphs (the farthest a
    company or a day carries). None after the last of those: what a sentence carries goes
    forward only, and without a deal word it adds no bidder and no party. Not further back from a sentence that is read only for
    being near one: what a sentence without figures carries (its own company, its own day)
    it reads from its own words. The rest are read for names only (the article's topic),
    so a long stretch of prose without figures costs no sentence context."""
    lead = next((s.paragraph for s in document.sentences if not s.heading), None)
    reach: set[int] = set()
    nearest: int | None = None  # paragraph of the nearest figure or deal sentence after this one
    next_has_figures = False
    for i in range(len(document.sentences) - 1, -1, -1):
        sentence = document.sentences[i]
        if sentence.heading:
            if quantities[i]:
                reach.add(i)  # read alone: it neither carries to nor takes from its neighbours
            continue
        if quantities[i] or lex.deal_word_re.search(sentence.text):
            reach.add(i)
            nearest = sentence.paragraph
        elif nearest is not None and (next_has_figures or sentence.paragraph == lead or nearest - sentence.paragraph <= DAY_CARRY_PARAGRAPHS):
            reach.add(i)
        next_has_figures = bool(quantities[i])
    return reach


# Sessions a story written before the close can name; a close or after-hours figure
# means the story was written, or updated, after the closing bell.
_BEFORE_CLOSE = frozenset({"premarket", "open", "intraday"})
_AFTER_CLOSE = frozenset({"close", "after_hours"})


# "analyst estimates of $102.26 billion and $1.77": figures joined by a conjunction alone
_JOINED = re.compile(r"\s*,?\s*(?:and|or|&)?\s*(?:about|around|roughly|nearly|some)?\s*")


_TO_ONLY = re.compile(r"\s+to\s+(?:about\s+|around\s+|nearly\s+)?")


def _level_keeps_basis(read: list[Mention], text: str, mlex) -> None:
    """"Profit attributable to shareholders rose 14.8% to Rs 11,392 crore": the basis the
    phrase gave the growth is the level's too (_basis_phrase reads back to the nearest
    figure only)."""
    for before, m in zip(read, read[1:]):
        carried = [x for x in before.qualifiers if x in mlex.basis_labels and x not in m.qualifiers]
        if carried and m.metric is not None and before.quantity.end <= m.quantity.start and _TO_ONLY.fullmatch(text, before.quantity.end, m.quantity.start):
            m.qualifiers = m.qualifiers + tuple(carried)


def _record_spans(read: list[Mention], text: str, mlex) -> None:
    """"Inflation rose to a 41-year high of 11.1%", "rates at a new 12-year high", "its
    highest level in 27 years": the duration says how long since the level was last seen.
    It is a claim about a record, which another outlet may count as 11 years; the word
    naming the record (high, low, biggest) is its qualifier, so a high meets only a high.
    Where the level follows ("... high of 11.1%") the span takes that level's subject and
    period; otherwise its own subject, and no period: the span counts back from the day
    the article was published (link/values.py compares two spans as of one day)."""
    if mlex.record_span_re is None:
        return
    for k, span in enumerate(read):
        if span.quantity.kind != "duration" or span.metric is not None:
            continue
        level = read[k + 1] if k + 1 < len(read) else None
        end = span.quantity.end
        if (
            level is not None and level.metric is not None and level.quantity.start >= end
            and (m := mlex.record_span_re.fullmatch(text, end, level.quantity.start)) is not None
        ):
            word = m.group(1)
        elif (m := mlex.record_after_re.match(text, end)) is not None:
            word, level = m.group(1), None
        elif mlex.record_before_re is not None and (
            m := mlex.record_before_re.search(text, max(0, span.quantity.start - 80), span.quantity.start)
        ) is not None:
            word, level = m.group(1), None
        else:
            continue
        span.metric = mlex.record_span
        span.qualifiers = (mlex.record_words.get(word.lower(), word.lower()),)
        if level is not None:
            span.subject, span.subject_kind, span.period = level.subject, level.subject_kind, level.period
            span.forecast, span.attribution, span.scope, span.session = level.forecast, level.attribution, level.scope, None
            span.evidence = {**span.evidence, "metric": "record", "subject": level.evidence.get("subject"), "period": level.evidence.get("period")}
        else:
            span.period, span.scope, span.session = None, None, None
            span.evidence = {**span.evidence, "metric": "record", "period": "none"}


# "600 billion won ($459 million)", "CHF 3 billion, or about $3.2 billion": what joins a
# figure to its conversion into another currency
_CONVERSION_JOIN = re.compile(
    r"\s*(?:[(\[]|,?\s*\bor\b|,?\s*\b(?:equivalent|equal)\s+to\b)\s*"
    r"(?:(?:about|around|roughly|approximately|nearly|almost|some)\s+)?",
    re.IGNORECASE,
)


_OPENS_BRACKET = re.compile(r"\s*[(\[]")
_CLOSES_BRACKET = re.compile(r"\s*[)\]]")


def _currency(q: QuantityMention) -> str | None:
    return q.unit.split("/")[0].strip() if q.kind == "money" else None


def _conversions(read: list[Mention], text: str) -> None:
    """"Operating profit was 600 billion won ($459 million)": the second figure is the first
    converted into another currency, at a rate the article picked; another outlet's
    conversion of the same figure differs by the rate, not by a fact (evidence "value":
    "converted").

    In brackets ("$4.1bn (£3.2bn)") the conversion is no second figure at all: it stays a
    claim and meets no other figure (evidence "converts": the amount it converts; see
    link.quantity_family). Through the FX table's looser rate it would pass for a rounding
    of another article's figure and take that figure's partner from the amount it
    converts. "£300m, or $390m" is written as a figure of its own, and linked as one."""
    seen: list[QuantityMention] = []
    for m in read:
        if not seen or seen[-1] is not m.quantity:
            seen.append(m.quantity)
    converted: dict[int, QuantityMention] = {
        id(q): before for before, q in zip(seen, seen[1:])
        if _currency(before) and _currency(q) and _currency(before) != _currency(q)
        and before.end <= q.start and _CONVERSION_JOIN.fullmatch(text, before.end, q.start)
    }  # fmt: skip
    for m in read:
        before = converted.get(id(m.quantity))
        if before is None:
            continue
        m.evidence["value"] = "converted"
        if _OPENS_BRACKET.match(text, before.end) and _CLOSES_BRACKET.match(text, m.quantity.end):
            m.evidence["converts"] = before.text


def _offer_prices(read: list[Mention]) -> None:
    """"That $64 per share price is a 33% premium over the closing price": a price a
    share that a premium over the market price measures is the offer's, not the market's.
    Only a premium whose sentence names what it is over ("a premium to the IPO price" is the
    market price's)."""
    premiums = [m for m in read if m.metric == "premium" and m.scope is not None and m.evidence.get("scope") != "default"]
    if not premiums:
        return
    starts = [p.quantity.start for p in premiums]  # in text order, as read
    for m in read:
        if m.metric != "share_price" or m.quantity.kind != "money":
            continue
        k = bisect_right(starts, m.quantity.end)
        premium = premiums[k] if k < len(premiums) else None
        if premium is not None:
            m.metric, m.session, m.qualifiers, m.direction = "deal_value", None, (), None
            m.evidence["period"] = "timeless"
            if m.attribution is None and premium.evidence.get("attribution") == "bidder":
                m.attribution = premium.attribution
                m.evidence["attribution"] = "bidder"


def _share_coordination(read: list[Mention], text: str) -> None:
    """A figure joined to the one before it by a conjunction alone is said in the same
    breath: an expectation stays one ("estimates of $102.26 billion and $1.77")."""
    for before, m in zip(read, read[1:]):
        if before.forecast and before.quantity.end <= m.quantity.start and _JOINED.fullmatch(text, before.quantity.end, m.quantity.start):
            m.forecast, m.attribution = True, m.attribution or before.attribution


def _written_in_session(mentions: list[Mention], rules: Rules, document: Document, names_other_day: Callable[[int], bool]) -> list[Mention]:
    """"The stock was up 11.6% by early afternoon ... Rival Castor fell 1.8%.": a story
    that times its day's moves during the session and none at the close was written while
    trading went on, so a move of that day it leaves untimed is a snapshot too, not the
    day's close. Only moves of the publication day or undated ones."""
    today = document.published
    if today is None:
        return mentions
    moving = [
        m for m in mentions
        if (rule := rules.metric_by_id.get(m.metric or "")) is not None and rule.time_sensitive
        and (m.period is None or m.period.start == m.period.end == today)
    ]
    # "closed at $142.30 on Tuesday", the day before: another day's close says nothing of when
    # this story was written
    sessions = {m.session for m in moving if m.session is not None}
    if not sessions & _BEFORE_CLOSE or sessions & _AFTER_CLOSE:
        return mentions
    # "Wall Street closed out its worst week on Friday": a close of the day named anywhere,
    # even in a sentence with no figure, makes it an end-of-day story
    if any(
        label in _AFTER_CLOSE for i, s in enumerate(document.sentences) if not names_other_day(i) for *_, label in session_marks(s.text, rules)
    ):
        return mentions
    untimed = {id(m) for m in moving if m.session is None}
    return [replace(m, session="intraday") if id(m) in untimed else m for m in mentions]


# Windows too short for a company's results: a figure dated to a day or week is a trading figure.
_NOT_RESULTS_WINDOWS = frozenset({"day", "days", "week"})


# Results come out within weeks of their quarter's end.
_REPORTING_LAG_DAYS = 120


def _off_its_calendar(period: Period | None, published) -> bool:
    """A company's "fiscal fourth quarter", on a calendar nothing gives, read as the
    calendar's and over long before the article reports it, or not over when it does (a
    "fiscal fourth quarter" reported in November, read as October to December): the
    company's quarter is another, so where it falls is left open rather than guessed."""
    if period is None or published is None or period.granularity != "quarter" or period.end is None or not fiscal_without_year(period):
        return False
    days = (published - period.end).days
    return days > _REPORTING_LAG_DAYS or days < 0


def _dates_a_report(period: Period, times: list[TimeMention] | None, text: str, lex) -> bool:
    """Whether the time a figure took qualifies a report noun ("its Q1 earnings report",
    "third-quarter results") and is longer than a day: it dates that report."""
    if lex.report_after_time_re is None or period.granularity in ("day", "days") or not times:
        return False
    return any(t.period is period and lex.report_after_time_re.match(text, t.end) is not None for t in times)


def _news_day_words(period: Period) -> bool:
    """A day named as the day of the news ("on Tuesday", "today"), not as a calendar date."""
    return period.weekdays is not None or period.text.lower() in DEICTIC_DAYS


def _plain_result(m: Mention, results: frozenset[str]) -> bool:
    """A company's own reported result: not a forecast, an earlier value or someone's estimate."""
    return m.metric in results and not m.forecast and m.subject_kind == "company" and m.scope is None and m.attribution is None


def _dated_from(text: str, times: list[TimeMention], figures: list[QuantityMention]) -> int | None:
    """Where in a sentence its figures start to be dated by a time it names, for an undated
    result to keep its own undated (None: nowhere). A time that is only a change's base
    ("fell 4% from last year to $2.2 billion") or an anchor dates nothing; one written right
    after a figure ("compared with $520 million a year earlier") dates that figure alone,
    and the figures set against those before it; any other dates the whole sentence."""
    spans = [(t.start, t.end) for t in times if not _is_base(t, text) and not is_anchor(t, text)]
    at = 0
    while (relative := _RELATIVE_TIME.search(text, at)) is not None:
        spans.append(relative.span())
        at = relative.end()
    if not spans:
        return None
    ends = sorted(q.end for q in figures)
    for start, _ in spans:
        k = bisect_right(ends, start)  # the last figure ending before the time
        if not k or start - ends[k - 1] > 30 or re.search(r"\d", text[ends[k - 1] : start]):
            return 0
    # the first figure set against another ("compared with $520 million", "against $2.8
    # billion"): it and the figures after it are the ones those times date
    bases = [q.start for q in figures if _COMPARED_BEFORE.search(text, max(0, q.start - 30), q.start)]
    return min(bases) if bases else len(text)


def _before_dated(m: Mention, timed: dict[int, int | None]) -> bool:
    """The figure stands before anything its sentence dates (_dated_from)."""
    at = timed.get(id(m.sentence))
    return at is None or m.quantity.start < at


def _dated_by_results(
    mentions: list[Mention], rules: Rules, timed: dict[int, int | None], announced: dict[str, dict[tuple, Period]]
) -> list[Mention]:
    """A results story names its period once or twice ("second-quarter revenue rose 5%
    to $18.4 billion") and leaves the rest undated ("Net income was $1.2 billion."): an
    undated result of a company is for the one period the article's dated results of that
    company name. Where none of its results is dated, the one quarter its sentences
    without figures name ("Halvern's fiscal third-quarter earnings topped expectations",
    `announced`) is. Not in a sentence that names any time: "A year earlier it earned
    $540 million" is dated, if only relative to another figure."""
    results = frozenset(m.id for m in rules.metrics.metrics if m.results)
    named: dict[str, dict[tuple, Period]] = {}
    for m in mentions:
        against = timed.get(id(m.sentence))
        if against and m.quantity.start >= against:
            continue  # "grew 14% as compared to 9% in 2024": the year of a figure set against the result
        if _plain_result(m, results) and m.period is not None and m.evidence.get("period") == "explicit":
            named.setdefault(m.subject, {})[(m.period.start, m.period.end)] = m.period
    for subject, quarters in announced.items():
        if subject not in named:
            named[subject] = quarters
    # A company whose results the article dates two ways (the quarter and the year, in a
    # fourth-quarter report) leaves an undated one ambiguous: it stays undated.
    only = {subject: next(iter(periods.values())) for subject, periods in named.items() if len(periods) == 1}
    reported = {s: p for s, p in only.items() if p.granularity not in _NOT_RESULTS_WINDOWS and p.start is not None}
    if not reported:
        return mentions
    return [
        replace(m, period=reported[m.subject], evidence={**m.evidence, "period": "carried"})
        if m.period is None and m.evidence.get("period") == "none" and m.subject in reported and _plain_result(m, results)
        and _before_dated(m, timed)
        else m
        for m in mentions
    ]


def _news_day(days: dict[tuple, Period], document: Document) -> Period | None:
    """The one day an article's lead paragraph reports on, if it names exactly one (and
    not as the day a deal's premium was measured from), and that day is the publication
    day or one of the few before it: a wire story's news day."""
    if len(days) != 1 or document.published is None:
        return None
    day = next(iter(days.values()))
    back = (document.published - day.start).days
    return day if 0 <= back <= _LEAD_DAY_BACK else None


def _one_session(text: str, ctx, rules: Rules) -> str | None:
    """The one session a sentence names ("in premarket trading on Wednesday"), if one."""
    marks = ctx.session_marks if ctx.session_marks is not None else session_marks(text, rules)
    labels = {label for _, _, label in marks}
    return labels.pop() if len(labels) == 1 else None


# How many days into January a year-end review may still call the year just ended "this year".
_YEAR_END_REVIEW_DAYS = 7


# "Stocks are up 1% so far this year", "has gained 2% this year": the new year's own move.
_STILL_RUNNING = re.compile(r"\b(?:so far|to date|year-to-date|has|have|is|are|now)\b", re.IGNORECASE)


def _year_just_ended(period: Period | None, document: Document, clause: str) -> Period | None:
    """"Over this year the stock lost 41%", in a review of the year published on January 3
    that names that year elsewhere ("it began 2024 worth $90 billion"):
    the year just ended, not two days of the new one."""
    pub = document.published
    if (
        period is None or pub is None or period.granularity != "year" or period.year != pub.year
        or pub.month != 1 or pub.day > _YEAR_END_REVIEW_DAYS or "this year" not in period.text.lower()
        or _STILL_RUNNING.search(clause)
    ):
        return period
    last = str(pub.year - 1)
    if not any(last in s.text for s in document.sentences):
        return period
    y = pub.year - 1
    return Period(text=period.text, granularity="year", start=dt.date(y, 1, 1), end=dt.date(y, 12, 31), year=y)


def _to_date(period: Period | None, published) -> Period | None:
    """"Gold has risen 30% this year", written on August 4: the move so far, a window that
    ends on the day of writing, not the calendar year."""
    if (
        period is None or published is None or period.granularity != "year" or period.start is None
        or period.end is None or not (period.start <= published < period.end)
    ):
        return period
    return Period(text=period.text, granularity="ytd", start=period.start, end=published)


# Auxiliaries that put a participle in the past: "has risen", "was revised", "had grown".
_PAST_AUXILIARIES = {"has", "have", "had", "was", "were"}


_SPAN_OF_DAYS = re.compile(r"\d+[- ](?:day|week|month|session|trading-day)\b", re.IGNORECASE)


def _basis_phrase(text: str, q, ctx, mlex, table: str = "basis_phrases", after_only: bool = False) -> str | None:
    """The basis a phrase of the figure's clause puts it on: one between the clause's start
    and the figure, or one right after it before the next figure ("earned $1.48 a share,
    or $1.62 excluding items": only the second is adjusted)."""
    lo, hi = _clause_of(ctx.clauses, q.start)
    starts, ends = ctx.figure_starts, ctx.figure_ends
    i, j = bisect_right(ends, q.start), bisect_left(starts, q.end)
    before = max(ends[i - 1], lo) if i else lo
    while after_only and j < len(starts) and _SPAN_OF_DAYS.match(text, starts[j]):
        j += 1  # "a 10% premium to the 20-day average": the span names the base, it is no other figure
    after = min(starts[j], hi) if j < len(starts) else hi
    for basis, phrase in getattr(mlex, table):
        if not after_only and phrase.search(text, before, q.start) or phrase.search(text, q.end, after):
            return basis
    return None


_OWNER_REACH = 200  # characters either side of the figure: "its price target on X to $150"


def _owner_after(text: str, q, rule, ctx) -> EntityMention | None:
    """The company named right after the metric's cue and one of its `owner_after`
    prepositions in the figure's clause ("its price target on Halvern Steel")."""
    lo, hi = _clause_of(ctx.clauses, q.start)
    lo, hi = max(lo, q.start - _OWNER_REACH), min(hi, q.end + _OWNER_REACH)
    lowered = text[:hi].lower()
    for cue in rule.cues:
        for prep in rule.owner_after:
            phrase = f"{cue.lower()} {prep} "
            at = lowered.find(phrase, lo, hi)
            if at < 0:
                continue
            start = at + len(phrase)
            if lowered.startswith("the ", start):
                start += 4
            owner = next((e for e in ctx.all_entities if e.start == start and e.kind == "company"), None)
            if owner is not None:
                return owner
    return None


def _listing(text: str, q, ctx, mlex) -> str | None:
    """The listing a share price or move is of, named in the figure's own stretch of its
    clause (as a basis is): "its Hong Kong-listed shares" -> "hong kong listing", "its
    ADRs" -> "ADR"."""
    lo, hi = _clause_of(ctx.clauses, q.start)
    # (the figures are in text order: bisection keeps a sentence of many figures linear)
    i = bisect_right(ctx.figure_ends, q.start)
    before = max(ctx.figure_ends[i - 1], lo) if i else lo
    j = bisect_left(ctx.figure_starts, q.end)
    # (after the figure, only up to the next name: "X closed down 1.4%, and Y's ADRs fell
    # 2.3%" names Y's listing)
    after = min(ctx.figure_starts[j] if j < len(ctx.figure_starts) else hi, hi,
                ctx.next_name_start(q.end, hi))
    if mlex.listed_re is not None:
        for start, end in ((before, q.start), (q.end, after)):
            found = mlex.listed_re.search(text, start, end)
            # ("Nasdaq-listed Halvern" describes the company, not one of its listings)
            if found is not None and not any(e.start == found.end() + 1 for e in ctx.all_entities):
                place = re.sub(r"[^\w&]+", " ", found.group(1).replace(".", "")).strip().lower()
                return f"{place} listing"
    for label, phrase in mlex.listing_phrases:
        if phrase.search(text, before, q.start) or phrase.search(text, q.end, after):
            return label
    return None


def _results_quarter(times, text: str, ctx, house_fy_end: int | None, published) -> Period | None:
    """The last quarter a sentence names as its own (not a base, "the same quarter last
    year", nor an anchor), on the fiscal calendar of the company it is about."""
    own = [t.period for t in times if t.period.granularity == "quarter" and not _is_base(t, text) and not is_anchor(t, text)]
    if not own:
        return None
    company = ctx.main_company()
    fy_end = ctx.lex.fiscal_year_ends.get(company.name) if company is not None else None
    if fy_end is None and (company is None or company.name not in ctx.lex.rule_names):
        fy_end = house_fy_end
    if fy_end is None and _off_its_calendar(own[-1], published):
        return Period(text=own[-1].text, granularity="quarter")
    return fiscal_period(own[-1], fy_end, published) if fy_end is not None else own[-1]


def _reports_past(frame) -> bool:
    """The figure hangs from a verb in a past tense ("rose", "was", "has grown", "was
    revised"): it reports a time that has begun, not one to come."""
    verb = frame.verb if frame is not None else None
    if verb is None:
        return False
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in _PAST_AUXILIARIES for c in verb.children
    )


def _reports_begun(frame) -> bool:
    """As _reports_past, or the figure is what something is now ("its revenue is $1.8 billion
    in the first quarter"): a state stated in the present is of a time that has begun; one
    to come is said to be expected, or will be."""
    if _reports_past(frame):
        return True
    verb = frame.verb if frame is not None else None
    return verb is not None and verb.tag_ in ("VBZ", "VBP") and verb.lemma_ == "be"


# "settled at $71.48", "to settle at", "settled 2% higher at": where a price closed
_SETTLED_AT = re.compile(r"\bsettl(?:e|es|ed|ing)\s+(?:[\w$.,%]+\s+){0,4}?at\s+(?:about\s+|around\s+)?$", re.IGNORECASE)


# "analysts' average estimate of $10.1 billion", "the consensus estimate of $1.54", "the
# $1.54 a share that analysts had expected": the market's forecast, set against the
# company's own figure or guidance, never the company's.
_STREET_BEFORE = re.compile(
    r"\b(?:analysts?|economists?|strategists?|consensus|(?:Wall\s+)?Street)(?:['’]s?)?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:estimates?|forecasts?|expectations?|projections?|views?|consensus|average|predictions?|calls?)\s+(?:of|for|at|was|is|were|are)?\s*$",
    re.IGNORECASE,
)
_STREET_AFTER = re.compile(
    r"^[^,;]{0,40}?\b(?:analysts?|economists?|strategists?|the\s+Street)\b[^,;]{0,40}?\b(?:expected|expecting|forecast|estimated|predicted|projected|anticipated)\b"
    # "above the $2.7 billion average estimate of 14 analysts": a poll's number
    r"|^\s*(?:average|consensus|mean|median)\s+(?:analyst\s+)?(?:estimates?|forecasts?|projections?)\b",
    re.IGNORECASE,
)


_VERSUS_BEFORE = re.compile(r"\b(?:vs\.?|versus)\s+$", re.IGNORECASE)
_EXPECTED_AFTER = re.compile(r"\s+(?:expected|estimated|forecast|est\.)(?!\w)", re.IGNORECASE)


# "Analysts polled by LSEG expect ...", "Economists had forecast ...": the Street's view
_STREET_SUBJECT = re.compile(
    r"\b(?:Wall\s+Street\s+)?(?:analysts?|economists?|strategists?)\b"
    r"(?:\s+(?:polled|surveyed|tracked|compiled)\s+by\s+[^,;]{1,40}?)?\s+(?:had\s+|have\s+)?(?:been\s+)?"
    r"(?:expect|expected|expecting|forecast|forecasts|see|saw|estimate|estimated|predict|predicted|project|projected|anticipate|anticipated)\b",
    re.IGNORECASE,
)


# "revenue of $8.1 billion missed expectations of $8.3 billion", "below the estimate of
# $5.2 billion", "compared with the expected $2.06": a result set against an
# expectation that no one owns is the Street's (its own would be "its forecast", "the
# company's guidance"). No figure between: the words are read back from this one.
_RESULT_AGAINST_BEFORE = re.compile(
    r"\b(?:beat|beats|beating|topped|tops|topping|exceeded|exceeds|exceeding|surpassed|surpasses|surpassing|missed|misses|missing"
    r"|trailed|trailing|below|above|short\s+of|shy\s+of|ahead\s+of|than|compared\s+(?:to|with)|versus|vs\.?|against)\s+"
    r"(?:[A-Za-z'’-]+\s+){0,3}?(?:estimates?|expectations?|expected|estimated|forecasts?|projections?|projected)\s+"
    r"(?:[A-Za-z-]+\s+){0,3}?(?:(?:of|for|at|were|was)\s+)?(?:an?\s+)?(?:[A-Za-z-]+\s+)?$",
    re.IGNORECASE,
)
# "the company's guidance", "the statistics office's estimate", "the central bank's
# projection": an expectation someone owns; only the Street's is the consensus
_OWNED_EXPECTATION = re.compile(
    r"\b(?:its|their|his|her|own|guidance|outlook|targets?)\b|\b(?!(?:Street|market|analyst|economist)['’]s)[A-Za-z]+['’]s\b", re.IGNORECASE
)


def _street_estimate(text: str, q, ctx, forecast: bool) -> str | None:
    if not forecast:
        return None
    c_start, c_end = _clause_of(ctx.clauses, q.start)
    if (
        _STREET_BEFORE.search(text, max(c_start, q.start - 80), q.start) or _STREET_AFTER.match(text[q.end : c_end])
        or _STREET_SUBJECT.search(text, max(c_start, q.start - 160), q.start)
    ):
        return "consensus"
    if _VERSUS_BEFORE.search(text, max(0, q.start - 12), q.start) and _EXPECTED_AFTER.match(text, q.end):
        return "consensus"  # a scorecard's "$1.47 vs. $1.39 expected": the Street's number
    if ctx.lex.consensus_source_re is not None and ctx.lex.consensus_source_re.search(text, c_start, c_end):
        return "consensus"  # "the 1.5 trillion won forecast by FnGuide"
    against = _RESULT_AGAINST_BEFORE.search(text, max(c_start, q.start - 90), q.start)
    if against is not None and not _OWNED_EXPECTATION.search(against.group()):
        return "consensus"
    return None


def _under_forecast_verb(doc, frame, ctx, q) -> bool:
    """"Analysts expect Norvex to guide to $41 billion in sales and earnings of $1.93 a
    share": a figure the parse hangs, however far down, from a verb of expecting is what
    someone expects, though the verb is too far back for the cue words to see. Only the
    figure's governors count: "rose more than expected" hangs "expected" below the move."""
    for tok in _governors(doc, frame):
        if tok.idx >= q.end and any(q.end <= f < tok.idx for f in ctx.figure_starts):
            # "Revenue: $8.1 billion vs. $8.3 billion expected": a verb after another figure
            # is that figure's, however the parse hangs a line with no verb of its own
            continue
        if tok.pos_ == "VERB" and ctx.lex.forecast_re.fullmatch(tok.text):
            # (a verb inside an aside or relative clause that the figure is not in is about
            # the name it describes, however the small parser hangs the sentence)
            return not any(a <= tok.idx < b and not a <= q.start < b for a, b in ctx.asides + ctx.relatives)
    return False


def _governors(doc, frame):
    """The words the figure hangs from, nearest first, up to the edge of its own clause:
    "..., while its rival's revenue surpassed $25 billion" is a clause of its own."""
    start, end = frame.figure
    if end <= start:
        return
    tok = doc[start:end].root
    for _ in range(12):
        if tok.head.i == tok.i or tok.dep_ in ("advcl", "relcl", "parataxis", "acl") or (
            tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        ):
            return
        tok = tok.head
        yield tok


# "by midday the stock had lost 4%": a past perfect measured up to a time of the same day
_BY_A_TIME = re.compile(r"\bby\s+(?!\$|\d)", re.IGNORECASE)


_SAME_PERIOD = re.compile(r"\bsame\s+(?:period|quarter|month|week|time)\s+(?:of\s+|in\s+)?$", re.IGNORECASE)


def _counted_from(q, times: list[TimeMention], ctx, step: str, text: str) -> tuple[Period, str, str] | None:
    """What a year-ago or previous-period figure counts back from: the quarter, half or
    month its sentence names before it (the one the result it is set against is of), else
    the quarter the article reports on; with the step and the words. None where neither is
    known."""
    grains = {"year": ("quarter", "half", "month"), "quarter": ("quarter",), "month": ("month",)}[step]
    own = next((t.period for t in reversed(times) if t.end <= q.start and t.period.granularity in grains and t.period.start is not None
                and _YEAR_BACK.fullmatch(t.text) is None and _RELATIVE_TIME.fullmatch(t.text) is None), None)
    anchor = own or (ctx.reporting_quarter if step in ("year", "quarter") else None)
    return (anchor, step, text) if anchor is not None else None


def _step_back(phrase: str) -> str:
    """How far "a year earlier", "the previous quarter", "a month ago" count back."""
    words = phrase.lower()
    if "same" in words or "year" in words:
        return "year"  # "the same quarter", "the same period": of the year before
    return "quarter" if "quarter" in words else "month" if "month" in words else "year"


# "the $280 million that Brightwater reported in the same quarter a year earlier": a
# relative clause between a figure and its time, with no figure of its own
_CLAUSE = r"\s+(?:that|which)\s+[^\d,;()]{1,60}"
_REPORTING_CLAUSE = re.compile(_CLAUSE)
# ", or 37 cents a share, a year earlier", " ($0.94 a share) in the year-ago period": the
# figure's own restatement before its time, and a relative clause that reports the pair
# (", or 37 cents a share, that it earned in the same quarter a year earlier")
_RESTATED = re.compile(r"(?:,?\s+or\s+[^,;]{1,30},?|\s*\([^()]{1,30}\))(?:" + _CLAUSE + r")?\s*$")
# "in the year-ago period", "for the same quarter": words that lead into the time
_INTO_TIME = re.compile(r"(?:\s+(?:in|for|during|of))?(?:\s+the)?\s*$", re.IGNORECASE)
# "was flat at $2.7 billion compared to the same quarter": the time is the base of a
# comparison, not the figure's
_SET_AGAINST = re.compile(r"\b(?:compared|comparing|against|versus|vs|from|than|over|since|relative)\b", re.IGNORECASE)
# "no change on the same quarter", "up 3% on a year earlier": "on" right before the time
_ON_BEFORE = re.compile(r"\bon$", re.IGNORECASE)


def _dates_the_figure(text: str, q, relative: re.Match) -> bool:
    """Whether a relative time is written right after the figure ("compared with $520
    million a year earlier", "$280 million, or 37 cents, a year earlier"), so that it
    dates this figure, not one the sentence moved from it ("rose to $8.4 billion from a
    year earlier": the $8.4 billion is this period's)."""
    if relative.start() < q.end:
        return False
    between = text[q.end : relative.start()]
    between = between[: _INTO_TIME.search(between).start()]
    if _SET_AGAINST.search(between) or _ON_BEFORE.search(between.rstrip()):
        return False
    if _RESTATED.search(between) is not None or _REPORTING_CLAUSE.fullmatch(between) is not None:
        return len(between) <= 80
    return len(between) <= 40 and re.search(r"\d", between) is None


# "the previous quarter, in which it lost", "a year earlier, when sales grew": a relative
# clause that hangs from the time
_CLAUSE_ON_TIME = re.compile(r",?\s+(?:(?:in|during|for|over)\s+which|when)\b", re.IGNORECASE)


def _clause_of_the_time(text: str, q, relative: re.Match) -> bool:
    """Whether the figure is told in a relative clause about the relative time before it
    ("compared with the previous quarter, in which Halvern lost $900 million"): the
    clause's figures are of that time, not of the article's period."""
    if relative.end() > q.start:
        return False
    clause = _CLAUSE_ON_TIME.match(text, relative.end())
    return clause is not None and q.start - clause.end() <= 80 and re.search(r"[;:]", text[clause.end() : q.start]) is None


def _same_period_back(text: str, q, period: Period) -> bool:
    """Whether the figure's time is written "the same period last year" after it: the
    period the article reports, a year back, which the words alone do not date. So is a
    base's "last year" ("sales rose to $8.4 billion from $7.9 billion last year"):
    the year-ago figure of whatever period the result is of, a quarter as often as a year."""
    at = text.find(period.text, q.end, q.end + 60 + len(period.text))
    if at < 0:
        return False
    if _SAME_PERIOD.search(text, max(q.end, at - 30), at) is not None:
        return True
    return (
        _YEAR_BACK.fullmatch(period.text) is not None and not text[q.end : at].strip()
        and _COMPARED_BEFORE.search(text, max(0, q.start - 30), q.start) is not None
    )


# "from $7.9 billion last year", "against $2.1 billion a year ago"
_YEAR_BACK = re.compile(r"(?i:last\s+year|a\s+year\s+ago|the\s+(?:previous|prior)\s+year)")


def _before_the_day(frame, before: str, lex) -> bool:
    """Whether the figure's verb is a past perfect ("had closed at") told as a time before
    the story's own, not one reported in indirect speech ("said it had closed at", the
    speaker's past) nor one reaching a time of the day ("by the close, it had lost 4%")."""
    verb = frame.verb if frame is not None else None
    if verb is None or verb.tag_ != "VBN" or not any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
        return False
    if verb.dep_ in ("ccomp", "xcomp") and verb.head.lower_ in lex.attribution_verbs:
        return False
    return _BY_A_TIME.search(before) is None


def _in_phrase_of(verb, text: str, words: str) -> bool:
    """Whether `words` are written inside the verb's own phrase (its subtree)."""
    start = verb.left_edge.idx
    end = verb.right_edge.idx + len(verb.right_edge)
    return words in text[start:end]


def _verb_scope(frame, rule) -> str | None:
    """The scope the figure's own verb names ("will cut 600 jobs": cuts; "employs 28,000
    people": workforce). The parse ties the verb to its figure, where the nearest phrase
    may be another figure's ("..., which employs 28,000 people, will cut 600 jobs")."""
    if rule is None or not rule.scopes or frame is None or frame.verb is None:
        return None
    word = frame.verb.lower_
    return next((label for label, cues in rule.scopes.items() if any(c.lower() == word for c in cues)), None)


def _named_forecaster(doc, frame, lex) -> str | None:
    """Who forecasts a figure, where the rules list no such source: the named subject of a
    verb of expecting the figure hangs from ("Morrow Bank expects ...", "analysts at Morrow
    Bank expect ..."), or the name after a sentence's opening "according to". Two firms'
    forecasts are two opinions, never one figure written twice."""
    for tok in _governors(doc, frame):
        # verbs of expecting only: "X said" reports what may be the subject's own figure
        if tok.pos_ != "VERB" or not lex.forecast_re.fullmatch(tok.text):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in lex.forecaster_nouns:
            # "analysts at Morrow Bank", "economists from Kestrel Securities"
            subj = next((o for p in subj.children if p.dep_ == "prep" and p.lower_ in ("at", "from", "with")
                         for o in p.children if o.dep_ == "pobj"), None)
        name = _proper_name(subj)
        if name is not None:
            return name
    if doc[:3].text.lower().startswith("according to"):
        return _proper_name(next((o for t in doc[:3] for o in t.children if o.dep_ == "pobj"), None))
    return None


def _proper_name(tok) -> str | None:
    """The proper name a token heads, with its compound words ("Morrow Bank"), or None."""
    # a person ("said Woods") speaks for a company, whose own outlook it is
    if tok is None or tok.pos_ != "PROPN" or tok.ent_type_ == "PERSON":
        return None
    words = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok]
    return " ".join(w.text for w in words)


def _reporter_subject(frame, doc, entities: list[EntityMention], lex) -> list[EntityMention]:
    """"Fenwick Tools said revenue rose 38%", "the company expects sales to fall 5%": a
    figure whose own clause names no one belongs to the company that reports it, the
    subject of the saying verb its clause hangs from."""
    verb = frame.verb
    if verb is None or verb.dep_ not in ("ccomp", "xcomp") or verb.head.lower_ not in lex.attribution_verbs:
        return []
    subj = verb_subject(verb.head)
    if subj is None or subj.ent_type_ == "PERSON" and subj.text not in lex.company_words:
        # "..., Chief Executive Marisa Okafor said": a person speaks, and owns no figure
        # (a name ending in a trade word, "Quarrow Pharma", is a company the NER misread)
        return []
    e = _entity_in_place((subj.left_edge.i, subj.i + 1), doc, entities)
    return [e] if e is not None and e.kind in ("company", "country") else []



@per_rules
def _place_nouns(rules: Rules) -> frozenset[str]:
    return frozenset(w.lower() for w in rules.entities.place_nouns)


def _nationality(text: str, q: QuantityMention, qualifiers: tuple[str, ...], countries: dict[str, str]) -> tuple[EntityMention | None, tuple[str, ...]]:
    """'Canadian inflation', 'South Korean exports': the country a nationality word in front
    of a statistic names, and the qualifiers without it."""
    for i, qualifier in enumerate(qualifiers):
        words = qualifier.split()
        for n in (2, 1):
            head = " ".join(words[:n])
            if len(words) >= n and head in countries:
                found = [m for m in re.finditer(rf"\b{re.escape(head)}\b", text[: q.start], re.IGNORECASE)]
                start, end = (found[-1].start(), found[-1].end()) if found else (q.start, q.start)
                rest = " ".join(words[n:])
                kept = qualifiers[:i] + ((rest,) if rest else ()) + qualifiers[i + 1 :]
                return EntityMention(start, end, countries[head], "country", False), kept
    return None, qualifiers


def _regional(frame, place_nouns: frozenset[str] = frozenset(), entities: list[EntityMention] = ()) -> bool:
    """"Alberta's unemployment rate", "the jobless rate in Bavaria", "the state's jobless
    rate", "In Bavaria, the jobless rate was ...": a statistic of a place the rules do not
    know as an economy (a province, a state, a city) is not the article's economy's figure."""
    noun = frame.noun if frame is not None else None
    if noun is None:
        return False
    verb = frame.verb
    countries = [(e.start, e.end) for e in entities if e.kind == "country"]
    if verb is not None and any(
        child.dep_ == "prep" and child.lower_ == "in" and child.i < noun.i
        and any(
            g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") and not any(s <= g.idx < e for s, e in countries)
            for g in child.children
        )
        for child in verb.children
    ):
        return True  # (a country the rules know, "In Japan, ...", is an economy, not a region)
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod") and child.ent_type_ in ("GPE", "LOC") and not any(s <= child.idx < e for s, e in countries):
            return True
        if child.dep_ == "poss" and child.lower_ in place_nouns:
            return True
        if child.dep_ == "prep" and child.lower_ == "in":
            if any(g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") and not any(s <= g.idx < e for s, e in countries) for g in child.children):
                return True
    return False


def _statistic_country(frame, entities: list[EntityMention]) -> EntityMention | None:
    """"The jobless rate in Germany held at 6.3%", "In Germany, the jobless rate ...":
    a statistic's "in" names the economy it measures, when that is a country the rules
    know ("carmakers in the US" are no country's, but a rate in it is)."""
    if frame is None or frame.noun is None:
        return None
    noun, verb = frame.noun, frame.verb
    preps = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "in"]
    if verb is not None:
        preps += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in" and c.i < noun.i]
    countries = [e for e in entities if e.kind == "country"]
    for prep in preps:
        for g in prep.children:
            if g.dep_ == "pobj":
                found = next((e for e in countries if e.start <= g.idx < e.end), None)
                if found is not None:
                    return found
    return None


def _region_of(frame) -> str | None:
    """"deliveries in China fell", "In China, its sales rose", "sales there rose": a
    company's figure for one market, named by a place after its noun or its verb (or by
    "there", pointing back at one)."""
    if frame is None:
        return None
    for head in (frame.noun, frame.verb):
        if head is None:
            continue
        for child in head.children:
            if child.dep_ == "advmod" and child.lower_ == "there":
                return "there"
            if child.dep_ == "prep" and child.lower_ == "in":
                for g in child.children:
                    if g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC"):
                        return " ".join(t.text for t in g.subtree).lower().removeprefix("the ")
    return None


def _market_wide(noun, role: str, ctx) -> bool:
    """Whether the figure's grammatical subject is a whole market or a company's peers
    named by no one ("the broader market", "rivals"); "stocks like Halvern and Corvane" and
    "markets in Japan" name whose figure it is, and are read as any subject."""
    if noun is None or role != "subject" or noun.lower_ not in ctx.lex.market_nouns:
        return False
    left, right = noun.left_edge.idx, noun.right_edge.idx + len(noun.right_edge)
    return not any(left <= e.start < right for e in ctx.all_entities)


# "rose 14 cents", "was down $1.2 billion", "fell by 20,000": a change word right before an
# amount makes it the change; "rose 4% to $9.1 billion" has "to" between, a level, and so
# has "climbed as high as $61.20"
_BY_GAP = re.compile(r"\s+(?:by\s+)?\Z", re.IGNORECASE)
_LEVEL_WORDS = re.compile(r"(?:as\s+(?:high|low)\s+as|above|below|past|beyond)\b", re.IGNORECASE)
# a bare "up" or "down" tells a move after a copula, a session's verb or a comma ("was up
# $2.40", ", down 35 pence"), not after a verb it completes ("picked up", "ponied up")
_BARE_UP_AFTER = re.compile(
    r"(?:\b(?:is|was|are|were|be|been|being|closed|ended|finished|settled|traded|trading|stood|remained)|[,;(—–-])\s*\Z",
    re.IGNORECASE,
)


def _moved_by(q, text: str, lex) -> bool:
    """Whether the amount is what something rose or fell by: its direction is its own."""
    if _LEVEL_WORDS.match(text, q.start):
        return False
    hits = list(lex.direction_re.finditer(text, max(0, q.start - 40), q.start))
    if not hits or _BY_GAP.match(text, hits[-1].end(), q.start) is None:
        return False
    hit = hits[-1]
    return hit.group(1).lower() not in ("up", "down") or _BARE_UP_AFTER.search(text, max(0, hit.start() - 20), hit.start()) is not None


def _read_figure(q, quantities, times, ctx, doc, document, rules, mlex, topic, day_ctx, any_ctx, economy=None, lead_day=None, house_fy_end=None, header=None) -> list[Mention]:
    text = ctx.text
    frame = frame_for(doc, q.start, q.end, tuple((t.start, t.end) for t in times), mlex.record_nouns) if doc is not None else None
    reading = None
    products: list[EntityMention] = []
    parse_subject: EntityMention | None = None
    if frame is not None and frame.noun is not None:
        skip = set(range(*frame.figure))
        # A name in front of the noun ("Brenestad stock") says whose, not which part.
        skip |= {t.i for t in doc if any(e.start < t.idx + len(t.text) and t.idx < e.end for e in ctx.all_entities)}
        reading = read_metric(frame.noun, q.kind, mlex, skip, frame.verb, level=frame.noun_role == "level")
        if reading is not None and reading.metric.startswith("open:") and q.kind in ("percent", "percentage_points"):
            reading = None  # "a 5% slice" is no open metric worth comparing
        if reading is not None and reading.metric.startswith("open:") and q.kind != "count" and reading.phrase in ctx.lex.forecaster_nouns:
            # "the $4.3 billion analysts had expected": who expected it, not what it
            # measures ("29 analysts" counts them)
            reading = None
        if reading is None and q.kind == "percent" and frame.verb is not None and (
            frame.noun.lower_ in mlex.pace_nouns or frame.noun.lower_ in mlex.change_nouns
        ):
            # "output expanded at a 2.9% annualized pace", "the cloud unit posted 31%
            # growth": the pace or change is that of the verb's subject (a noun, not a name)
            mover = verb_subject(frame.verb)
            if mover is not None and mover.i != frame.noun.i and (
                frame.noun.lower_ in mlex.pace_nouns or mover.lower_ in mlex.segment_nouns
            ):
                reading = read_metric(mover, q.kind, mlex, skip, frame.verb)
    if frame is not None and (reading is None or (reading.metric.startswith("open:") and frame.noun_role != "measured")):
        figure = doc[frame.figure[0] : frame.figure[1]].root if frame.figure[1] > frame.figure[0] else None
        reading = read_verb_metric(frame.verb, q.kind, mlex) or read_object_verb_metric(figure, q.kind, mlex) or reading
    if reading is not None and _SETTLED_AT.search(text, max(0, q.start - 40), q.start):
        reading = None  # "to settle at $71.48", "settled up 2% at": a closing level, no legal settlement
    unit_rule = read_unit_metric(q.unit, mlex)
    if unit_rule is not None and frame is not None and frame.noun is not None and frame.noun.lower_ in mlex.difference_nouns:
        unit_rule = None  # "the Brent-WTI spread settled at $3.31 a barrel": the gap, not a price
    if unit_rule is not None and q.kind in unit_rule.kinds and not (
        unit_rule.signed and _LEVEL_BEFORE.search(text[max(0, q.start - 24) : q.start])
    ) and (
        q.unit in mlex.by_unit or reading is None or reading.metric.startswith("open:") or reading.metric in _PRICE_READINGS
        # "settled at $71.48 a barrel": a figure quoted per barrel or ounce is a price,
        # whatever the verb suggests elsewhere ("agreed to settle for $2 billion")
        or "/" in q.unit and unit_rule.per_units
    ):
        reading = MetricReading(unit_rule.id, (), -1, q.unit)
    share_of = q.kind == "percent" and _SHARE_OF.match(text[q.end : q.end + 40]) is not None
    if share_of:
        reading = None  # "over 90% of its revenue" is a share of the revenue, no level or growth
    if frame is not None:
        named = [e for e in (_entity_in_place(p, doc, ctx.all_entities) for p in frame.subject_places) if e is not None]
        if reading is not None and reading.metric in mlex.results and frame.noun is not None:
            # "the company's copper output", "gold sales": a commodity in front of a
            # company's results noun is its product, not whose figure it is
            products = [e for e in ctx.all_entities if e.kind == "index" and _product_word(e, frame.noun)]
            named = [e for e in named if e not in products]
        # "Germany's 10-year Bund yield": the instrument is more specific than its owner.
        parse_subject = next((e for e in named if e.kind in ("index", "fund")), named[0] if named else None)
        if parse_subject is not None and parse_subject.kind == "index":
            parse_subject = _index_part(parse_subject, frame.noun, text, mlex)
        # "Rheinmark's takeover of Skarvik, valued at ...": a deal's terms are the target's,
        # named after the deal noun, whoever's deal it is.
        if reading is not None and reading.metric in mlex.target_metrics and frame.noun is not None:
            after = [e for e in named if e.start > frame.noun.idx]
            valued = _valued_company(frame.verb, doc, ctx.all_entities) or _deal_counterpart(frame.noun, doc, ctx.all_entities)
            if valued is None and not after:
                # "agreed to buy Harlow for $9 billion, a 30% premium to its close": a term
                # in apposition to the price is the company the sentence's deal verb buys
                valued = next(
                    (v for v in (_valued_company(t, doc, ctx.all_entities, ctx.lex.deal_verbs) for t in doc if t.lower_ in ctx.lex.deal_verbs) if v is not None),
                    None,
                )
            if valued is not None:
                parse_subject = valued  # "The offer values Pioneer at a 7% premium"
            elif after:
                parse_subject = after[0]
    if frame is not None and frame.verb is not None and frame.verb.pos_ == "VERB" and (parse_subject is None or reading is None):
        # "it would buy Harlow Vance for $41.3 billion", "Ardent agreed to buy Harlow for
        # $9 billion": a deal's price is its target's, not the buyer's the parse found
        bought = _valued_company(frame.verb, doc, ctx.all_entities, ctx.lex.deal_verbs)
        if bought is not None and ctx.metric_for(q, bought)[0] in mlex.target_metrics:
            parse_subject = bought
    if parse_subject is None and frame is not None and not (reading is not None and reading.metric in mlex.target_metrics):
        reporter = _reporter_subject(frame, doc, ctx.all_entities, ctx.lex)
        parse_subject = reporter[0] if reporter else None
    forecast = ctx.is_forecast(q) or (
        frame is not None and frame.noun is not None and frame.noun.text.lower() in mlex.forecast_nouns
        # ("$8.2 billion missed expectations": the parse may hang the result from the noun)
        and not ctx.set_against_expectation(q)
        # "the first estimate of third-quarter growth was 2.2%": an agency's reading ("its
        # earlier projection" is still a forecast)
        and not (frame.noun.lower_ in ("estimate", "estimates") and vintage_before(text, frame.noun.idx))
    ) or (frame is not None and _under_forecast_verb(doc, frame, ctx, q))
    parse_forecaster = parse_subject is not None and forecast and (
        parse_subject.kind == "forecaster"
        # "Economists at Morrow Bank see growth of 1.9%": the firm whose people forecast is a
        # source, not whose growth it is
        or frame is not None and any(
            t is not None and t.lower_ in ctx.lex.forecaster_nouns for t in (frame.agent, frame.noun if frame.noun_role == "subject" else None)
        )
    )
    # (the source a forecast's grammatical subject names: "analysts at Kestrel Securities")
    forecasting = parse_subject.name if parse_forecaster and parse_subject is not None else None
    if parse_forecaster:
        parse_subject = None  # "JPMorgan expects ...": a source, not the subject

    cue_subjects = [c for c in ctx.subjects_for(q, quantities) if c not in products]
    if frame is not None and _market_wide(frame.noun, frame.noun_role, ctx):
        # "while the broader market slipped 0.4%", "rivals fell 1%": the market's or the
        # peers' move, not the company's named beside it nor the article's
        parse_subject, cue_subjects, topic = None, [], None
    if q.kind in ("physical", "count"):
        # "412,000 ounces of gold", "2 million barrels of oil": the material measured, not
        # whose figure it is
        cue_subjects = [c for c in cue_subjects if not (c.kind == "index" and re.match(r"\s+of\s+(?:the\s+)?$", text[q.end : c.start]))]
    if not forecast:
        # "earnings of $1.62 a share, above the consensus estimate of $1.54": a forecaster
        # named near a reported figure is whom it is set against, not whose it is
        cue_subjects = [c for c in cue_subjects if c.kind != "forecaster"]
    started = not forecast and started_from(text, q)  # (a forecast revised keeps its time)
    period = _period_for(q, times, ctx, started)
    from_event = since_event(q, times, text)  # "up 48% since the election": its own window, undated
    if ctx.reporting_quarter is not None and _THE_QUARTER_AFTER.match(text, q.end):
        period = ctx.reporting_quarter  # "$2.83 a gallon in the quarter": its own time, named right after it
    if ctx.session_marks is None:
        # "the quarter ended Oct. 31" names a period, not a close
        ctx.session_marks = [m for m in session_marks(text, rules) if not any(t.start < m[1] and m[0] < t.end for t in times)]
    session = session_for(q, _clause_of(ctx.clauses, q.start), ctx.session_marks, text, quantities)
    if session in ("high", "low") and not forecast and _EXTREME_WRITTEN.match(q.text):
        # "shares climbed as high as $31.50" is the day's high itself, not a bound on it
        q = q.model_copy(update={"qualifier": "exact"})
    out = []
    subjects: list[tuple[EntityMention | None, str]]
    if parse_subject is not None and len(cue_subjects) <= 1 and not ctx.respectively:
        subjects = [(parse_subject, "parse")]
    elif cue_subjects and not (len(cue_subjects) == 1 and cue_subjects[0] is ctx.fallback) and not (
        frame is not None and frame.subject_places and all(c.kind == "country" for c in cue_subjects)
    ):
        # (a country named near a figure whose grammatical subject names no one is where
        # it happened, "carmakers in the US", not whose figure it is)
        subjects = [(s, "cue") for s in cue_subjects]
    elif cue_subjects:
        same = topic is not None and cue_subjects[0].name == topic.name
        subjects = [(cue_subjects[0], _anaphor_evidence(frame, doc, ctx.lex.anaphor_heads) if same else "carried")]
    elif topic is not None:
        subjects = [(topic, _anaphor_evidence(frame, doc, ctx.lex.anaphor_heads))]
    else:
        subjects = [(None, "none")]
    for subject, subject_ev in subjects:
        claim_session = session
        earlier = False
        cue_metric, direction = ctx.metric_for(q, subject)
        qualifiers: tuple[str, ...] = ()
        if q.kind == "duration":
            metric, metric_ev = None, "none"  # "a 10-year plan" is listed, never compared
        elif reading is not None and not reading.metric.startswith("open:") and not (
            # "sales rose to $8.1 billion, below the consensus of $8.2 billion": a figure set
            # against an earlier one states that one's quantity, not what the verb moved
            ctx.metric_route == "compared" and cue_metric is not None and reading.phrase.lower() in ctx.lex.direction_words
        ):
            metric, metric_ev, qualifiers = reading.metric, "parse", _merged(reading.qualifiers, _agent_segment(frame, ctx, mlex))
        elif cue_metric is not None and q.kind != "duration" and not (
            # "the unit grew 9%": a part of a company with no name says too little to compare
            frame is not None and frame.noun is not None and reading is None and normalise_words(frame.noun.text) in mlex.segment_nouns
            and frame.noun.pos_ == "NOUN" and not any(e.start <= frame.noun.idx < e.end for e in ctx.all_entities)
        ) and not (
            frame is not None and frame.noun_role == "measured" and reading is None and q.kind == "percent"
            and frame.noun.text.lower() not in mlex.change_nouns and ctx.metric_route != "compared"
            # ("sent Halvern and Corvane down 3%": a name the percent hangs from is whose move it is)
            and not any(e.start <= frame.noun.idx < e.end for e in ctx.all_entities)
        ) and not (
            # "the takeover, supported with $32bn in bank financing": a sum the parse ties to a
            # noun of its own is that noun's, not the deal's a cue elsewhere names
            frame is not None and frame.noun_role == "measured" and q.kind == "money"
            and reading is not None and reading.metric.startswith("open:") and normalise_words(frame.noun.text) not in mlex.by_phrase
            # ("sales of $8.1 billion, below the consensus of $8.2 billion": a figure set
            # against an earlier one is a reading of that one's quantity, whatever its noun)
            and ctx.metric_route != "compared"
        ):
            # (a percent the parse ties to a noun the lexicon does not know is that noun's,
            # not the share move a nearby verb suggests; unless it is an earlier reading
            # of the figure it is set against)
            metric, metric_ev = cue_metric, "cue" if ctx.metric_route == "compared" else ctx.metric_route
            before = text[max(0, ctx.metric_cue[0] - 24) : ctx.metric_cue[0]].split() if ctx.metric_cue is not None else []
            if rules.metric_by_id[metric].statistic:
                qualifiers = _agent_segment(frame, ctx, mlex)  # "the industry gained ..., above its average of"
                if before and before[-1].lower() in mlex.measures:
                    qualifiers = (before[-1].lower(),) + qualifiers
            basis = mlex.bases.get(normalise_words(before[-1])) if before else None
            if basis is not None and basis not in qualifiers:
                # "Adjusted earnings came to $1.12 a share, ahead of the $1.05 analysts had
                # pencilled in": a figure read through the cue is of the basis written before it
                qualifiers = (basis,) + qualifiers
            if ctx.metric_route == "cue" and ctx.metric_cue is not None and doc is not None:
                # "Employment in leisure and hospitality rose in April (41,000)": the cue
                # word's own part of the whole
                qualifiers = qualifiers + tuple(x for x in _cue_segments(doc, ctx.metric_cue, mlex) if x not in qualifiers)
        elif reading is not None and q.kind != "duration":
            metric, metric_ev, qualifiers = reading.metric, "parse", _merged(reading.qualifiers, _agent_segment(frame, ctx, mlex))
        else:
            metric, metric_ev = None, "none"
        if metric in _PRICE_METRICS and q.kind == "money" and "/" not in q.unit:
            # "a price of $47 per share": a company's price is its share's; "an IPO price of
            # $7.2 billion" is too large for any share and prices the whole company
            if q.value >= _LARGEST_SHARE_PRICE and (subject is None or subject.kind == "company"):
                # (a "price" noun names the company's value; a verb like "ended" names nothing)
                metric, qualifiers = ("market_value", ()) if metric == "commodity_price" else (None, ())
                metric_ev = metric_ev if metric else "none"
            elif metric == "commodity_price" and (subject is not None and subject.kind == "company" or _PER_SHARE_AFTER.match(text, q.end)):
                metric = "share_price"
        elif metric == "commodity_price" and q.unit.endswith("/ share"):
            metric = "share_price"
        if metric == "share_price" and subject is not None and subject.kind == "index" and q.kind == "money":
            metric = "commodity_price"  # "gold hit a high of $2,040": a benchmark has no shares
        if metric in _PRICE_METRICS and q.kind == "money" and _change_amount(text, q, ctx.lex):
            metric, metric_ev = None, "none"  # "rose $3.10 to $64.20": the first is how far it moved
        elif metric is not None and q.kind == "money" and _by_amount(text, q, ctx):
            metric, metric_ev = None, "none"  # "raised its forecast by $3 billion to ...": the change
        elif (
            metric is not None and q.kind in ("money", "count") and _to_level_after(text, q, ctx)
            and _change_amount(text, q, ctx.lex)
        ):
            metric, metric_ev = None, "none"  # "claims fell 12,000 to 218,000": the first is the move
        elif metric is not None and q.kind in ("money", "count", "physical") and _MORE_THAN_AFTER.match(text, q.end):
            metric, metric_ev = None, "none"  # "34,000 more than it delivered": a difference
        if subject is not None and subject.kind == "index" and q.kind == "count":
            metric, metric_ev = None, "none"  # "to 15,871": an index's level, no headcount
        if q.kind == "money" and "/" not in q.unit and _PER_SHARE_AFTER.match(text, q.end) and "per share" not in qualifiers:
            qualifiers = qualifiers + ("per share",)
        rule = rules.metric_by_id.get(metric) if metric is not None else None
        owner_source = None
        if (
            rule is not None and rule.dative_subject and frame is not None and frame.verb is not None and doc is not None
            and frame.verb.lower_ in {v.lower() for v in rule.object_verbs}
        ):
            dative = next((c for c in frame.verb.children if c.dep_ == "dative"), None)
            held = _entity_in_place((dative.left_edge.i, dative.i + 1), doc, ctx.all_entities) if dative is not None else None
            if held is not None:
                subject, subject_ev = held, "parse"  # "fined Dunmore Labs $150 million"
            elif subject is not None and subject_ev == "parse":
                subject, subject_ev = None, "none"  # "The SEC fined it ...": the regulator's is no fine
        if rule is not None and rule.owner_after:
            owner = _owner_after(text, q, rule, ctx)
            if owner is not None and (subject is None or owner.name != subject.name):
                # "Morrow Bank raised its price target on Halvern to $150": Halvern's target,
                # Morrow Bank's view
                owner_source = subject.name if subject is not None and subject.kind in _SUBJECT_KINDS else None
                subject, subject_ev = owner, "cue"
        if rule is not None and (rule.results or rule.subject_is_target):
            # "Excluding items, it earned ...", "Including debt, the deal values it at ..."
            basis = _basis_phrase(text, q, ctx, mlex)
            after = mlex.basis_after_figure.match(text, q.end) if mlex.basis_after_figure is not None else None
            if basis is None and after is not None:
                basis = mlex.bases.get(normalise_words(after.group(1)))
            if basis is not None and basis not in qualifiers:
                qualifiers = qualifiers + (basis,)  # "Excluding items, it earned $1.62 a share"
        if (
            rule is not None and rule.statistic and frame is not None and frame.agent is None and frame.noun_role == "subject"
            and frame.noun.pos_ == "NOUN" and q.kind != "percent"
        ):
            # "transportation and warehousing lost 5,000": the doer of a count it does
            # not measure is the part of the economy the count is
            qualifiers = _merged(qualifiers, _agent_segment(frame, ctx, mlex, doer=frame.noun))
        if rule is not None and rule.statistic and text[: q.start].rstrip().endswith("("):
            # "gains in health care (45,000) and retail (18,000)": the part named before a
            # bracketed figure
            bracket = text.rfind("(", 0, q.start) + 1
            # (a window of a few words: a sentence of many bracketed figures stays linear)
            named = _BRACKETED_PART.search(text, max(0, bracket - 120), bracket)
            if named is not None and not find_periods(f"in {named.group(1)}", document.published):
                # ("rose in April (41,000)": a time before the bracket dates, never names a part)
                words = [w.lower() for w in re.findall(r"[A-Za-z][\w-]*", named.group(1))]
                words = [w for w in words if w not in mlex.ignored and w not in STOP_WORDS]
                if words and " ".join(words) not in mlex.by_phrase:
                    qualifiers = (" ".join(words),)
        if rule is not None and rule.statistic and not any(w in mlex.measures for w in qualifiers):
            since = max([e for e in ctx.figure_ends if e <= q.start] + [0])
            near = [w.lower() for w in re.findall(r"[\w-]+", text[since : q.start])[-3:]]
            measure = next((w for w in near if w in mlex.measures), None)
            if measure is not None:
                qualifiers = (measure,) + qualifiers  # "headline inflation at 2.2% and core at 2.5%"
        if rule is not None and rule.time_sensitive and subject is not None and subject.kind == "company":
            listing = _listing(text, q, ctx, mlex)
            if listing is not None and listing not in qualifiers:
                qualifiers = qualifiers + (listing,)  # "its Hong Kong-listed shares fell 2%"
        if metric is not None and q.kind == "percent":
            # (after the figure only: "rose 4% sequentially and 12% from a year earlier")
            base = _basis_phrase(text, q, ctx, mlex, "comparison_phrases", after_only=True)
            if base is not None and base not in qualifiers:
                qualifiers = qualifiers + (base,)  # "prices rose 0.6% on the month"
        region = (
            _region_of(frame)
            if rule is not None and not rule.statistic and not rule.time_sensitive and subject is not None and subject.kind == "company"
            else None
        )
        if region is not None and region not in qualifiers:
            qualifiers = qualifiers + (region,)  # "its deliveries in China fell 11%": one market's
        if metric is not None and q.kind in ("count", "money") and "revision" not in qualifiers and _REVISED_BY.search(text, max(0, q.start - 80), q.start):
            # "the two prior months were revised down by a combined 31,000": how far earlier
            # estimates moved, not a month's figure
            qualifiers = qualifiers + ("revision",)
        if metric is not None and q.kind != "percent" and "part" not in qualifiers and mlex.is_part(text, q.start):
            qualifiers = qualifiers + ("part",)  # "of which €150 million are cost savings"
            if qualifiers == ("part",):
                # a part the parse could not name ("and €60 million are ...") is no figure
                # to set against another part
                metric, metric_ev, qualifiers = None, "none", ()
        if metric is not None and metric.startswith("open:") and q.kind == "count":
            action = mlex.count_action(text, q.start)
            if action is not None and action not in qualifiers:
                qualifiers = qualifiers + (action,)  # "close 64 stores" is no store count
        bounded = rules.metric_by_id.get(metric) if metric else None
        if bounded is not None and bounded.max_value is not None and abs(q.value) > bounded.max_value:
            if bounded.above_max is not None:
                metric, qualifiers = bounded.above_max, ()  # "an IPO price of $2.8 billion": a valuation
            else:
                metric, metric_ev, qualifiers = None, "none", ()  # "a 22 million share offering" is no ratio
        if metric is not None and not metric.startswith("open:"):
            ctx.metric_of.append((q, metric))
        rule = rules.metric_by_id.get(metric) if metric else None
        if rule is not None and rule.statistic and not (subject is not None and subject.kind == "country" and subject_ev in ("parse", "cue")):
            country, kept = _nationality(text, q, qualifiers, ctx.lex.country_of_demonym)
            if country is not None:
                subject, subject_ev, qualifiers = country, "cue", kept  # "Canadian inflation" is Canada's
        places = _place_nouns(rules)
        if rule is not None and rule.statistic and subject_ev not in ("parse", "cue"):
            measured = _statistic_country(frame, ctx.all_entities)
            if measured is not None:
                subject, subject_ev = measured, "parse"
        if rule is not None and rule.statistic and economy is not None and (
            subject is None or subject.kind == "company" and subject_ev not in ("parse", "cue")
        ) and not _regional(frame, places, ctx.all_entities):
            # "Health care added 45,000 jobs": a national statistic is the article's
            # economy's, not that of a company an earlier sentence spoke of
            subject, subject_ev = economy, "topic"
        elif rule is not None and rule.statistic and subject_ev not in ("parse", "cue") and _regional(frame, places, ctx.all_entities):
            subject, subject_ev = None, "none"  # "Alberta's jobless rate": not the country's
        if q.kind not in ("percent", "percentage_points") and not (rule and rule.signed) and not _moved_by(q, text, ctx.lex):
            direction = None
        if period is not None and rule is not None and rule.time_sensitive and _dates_a_report(period, times, text, ctx.lex):
            # "shares jumped 6% after its third-quarter results": the quarter is the
            # report's; the move is the day's, carried as an undated move's is
            period = None
        if period is not None and period.granularity == "day" and rule is not None and not rule.time_sensitive:
            # "reported second-quarter profit of $4.1 billion on Tuesday": the day is when it
            # was reported; the quarter the sentence names is what the profit is for
            # (not a time written after another figure: "rose to 4.2% from 4.1% in January"
            # dates the 4.1%)
            longer = [t.period for t in times if t.period.granularity in ("quarter", "half", "year", "month", "range")
                      and t.period.start is not None and not _is_base(t, text)
                      and not any(q.end <= o.start and o.end <= t.start for o in quantities if o is not q)]
            period = longer[0] if len(longer) == 1 else period
            if period.granularity == "day" and (rule.results or rule.statistic) and _news_day_words(period):
                # "Keystone said on Tuesday net interest income rose to ...", "the report,
                # released Friday, showed the jobless rate at 4.2%": a result or a statistic
                # is for a month, quarter or year, never for the weekday it was announced
                # on. A calendar date stays: "a CET1 ratio of 10.7% at March 31" is a result
                # as of that day.
                period = None
        # the period the words count back from, a step back: "compared with $520 million a
        # year earlier" in a sentence about the third quarter is the third quarter before
        relative = ctx.clause_search(_RELATIVE_TIME, q.start) if q.kind != "percent" else None
        back = None  # (the period it counts back from, how far, the words): _counted_from
        if relative is not None and (_dates_the_figure(text, q, relative) or _clause_of_the_time(text, q, relative)):
            back = _counted_from(q, times, ctx, _step_back(relative.group(0)), relative.group(0))
        if back is not None:
            period_used, period_ev = None, "none"
            earlier = True
        elif period is not None and q.kind != "percent" and _same_period_back(text, q, period):
            # "a loss of $350 million in the same period last year": the article's period a
            # year back, which the words do not date; not the whole of last year
            period_used, period_ev = None, "none"
            earlier = True
            back = _counted_from(q, times, ctx, "year", period.text)
        elif period is not None and claim_session == "close" and rule is not None and rule.time_sensitive and _before_the_day(frame, text[: q.start], ctx.lex) and not _in_phrase_of(frame.verb, text, period.text):
            # "Halvern fell 4% on Monday, after it had closed at $32.50": the day is the
            # other clause's; the past perfect is before it
            period_used, period_ev = None, "none"
            earlier = True
        elif period is not None:
            period_used, period_ev = period, "explicit"
        elif (
            rule is not None and not rule.time_sensitive and ctx.reporting_quarter is not None
            and ctx.clause_search(_THE_QUARTER, q.start)
        ):
            # "fuel cost $2.83 a gallon in the quarter": the quarter the article reports on
            period_used, period_ev = ctx.reporting_quarter, "explicit"
        elif from_event:
            period_used, period_ev = None, "none"
        elif relative is not None:
            # "A year earlier it earned $540 million": a level of another period than the
            # one the article carries (a percent "from a year earlier" is this period's growth)
            period_used, period_ev = None, "none"
        elif claim_session == "close" and rule is not None and rule.time_sensitive and _before_the_day(frame, text[: q.start], ctx.lex):
            # "Halvern fell 4% on Monday. The stock had closed at $32.50.": a close told in
            # the past perfect with no time of its own is an earlier session's, never the
            # story's day ("had traded as high as", "had gained 8% before the halt" are
            # earlier in that day, and keep it)
            period_used, period_ev = None, "none"
            earlier = True
        else:
            time_sensitive = rule is not None and rule.time_sensitive
            # (nor is an earlier sentence's time that of the figure a change started from)
            carried = None if started else day_ctx if time_sensitive else any_ctx
            if carried is not None and rule is not None and (rule.results or rule.statistic) and carried[0].granularity == "day" and _news_day_words(carried[0]):
                # "Shares rose 3% on Thursday. Net income rose to $610 million.": as with a
                # weekday in its own sentence (above), a result or a statistic is never the
                # weekday's that the sentence before it names
                carried = None
            period_used = carried[0] if carried else None
            period_ev = "carried" if carried else "none"
            if (
                carried is None and rule is not None and rule.time_sensitive and rule.signed and lead_day is not None
                and not forecast and subject_ev == "parse" and _reports_past(frame)
            ):
                # "Stocks fell on Friday ... [later] The Dow dropped 412 points.": a day's
                # move the text leaves undated, told in the past tense of the name that moved,
                # is the lead's day. Only a move: a level ("priced at $25", a spread "at
                # $22.60") is no session's own.
                period_used, period_ev = lead_day, "carried"
            if header is not None and rule is not None and rule.time_sensitive and rule.signed and not forecast:
                # a move the text leaves undated under "For the year:" is the year's so far,
                # whatever day an earlier paragraph named
                period_used, period_ev = header, "carried"
            if carried is day_ctx and carried is not None and claim_session is None:
                # "Halvern rose 2.5% in premarket dealings on Wednesday. Corvane lost
                # 1.4%.": the day comes with the part of it the sentence named
                claim_session = day_ctx[3]
        fy_end = ctx.lex.fiscal_year_ends.get(subject.name) if subject is not None and period_used is not None else None
        if fy_end is None and period_used is not None and (subject is None or subject.name not in ctx.lex.rule_names):
            fy_end = house_fy_end  # "Q4FY26" in a story told in rupees
        if period_used is not None and period_used is ctx.reporting_quarter:
            fy_end = None  # the article's quarter is already on its company's calendar
        if fy_end is not None:
            period_used = fiscal_period(period_used, fy_end, document.published)
        elif period_ev in ("explicit", "carried") and not forecast and _reports_begun(frame):
            # "Inflation rose to 11.1% in October. Food prices rose 16.4%.": a month carried
            # into a past-tense report is placed as the sentence naming it placed its own
            period_used = reported_part(period_used, document.published, over=_reports_past(frame))
        if fy_end is None and not forecast and period_used is not None and _off_its_calendar(period_used, document.published):
            period_used = Period(text=period_used.text, granularity="quarter")
        if back is not None:
            anchor, step, words = back
            if anchor is not ctx.reporting_quarter:
                # the sentence's own "third quarter" is its company's fiscal one, as a
                # result's is (the article's quarter already is)
                fy = ctx.lex.fiscal_year_ends.get(subject.name) if subject is not None else None
                if fy is None and (subject is None or subject.name not in ctx.lex.rule_names):
                    fy = house_fy_end
                if fy is not None:
                    anchor = fiscal_period(anchor, fy, document.published)
            period_used = a_period_back(anchor, step, words)
            period_ev = "carried" if period_used is not None else "none"
        if rule is not None and not rule.time_sensitive:
            claim_session = None  # "revenue could fall as much as 12%", "a high of 5.3%": no trading day
        if rule is not None and rule.timeless:
            period_ev = "timeless"
        elif rule is not None and rule.time_sensitive:
            if not forecast:
                # the figure's own stretch of the sentence: back to the last comma or semicolon
                lead = max(text.rfind(",", 0, q.start), text.rfind(";", 0, q.start)) + 1
                period_used = _year_just_ended(period_used, document, text[lead : q.end])
            period_used = _to_date(period_used, document.published)
        written_scope = ("earlier value" if earlier else None) or _verb_scope(frame, rule) or _scope(text, subject, rule, q, (ctx.figure_starts, ctx.figure_ends)) or ("since event" if from_event else None)
        attribution = (
            owner_source or _source_other_than(ctx.attribution_for(q, subject), subject) or _street_estimate(text, q, ctx, forecast)
            or _source_other_than(forecasting, subject)
        )
        if attribution is None and forecast and frame is not None and doc is not None and not (rule is not None and rule.timeless):
            named = _named_forecaster(doc, frame, ctx.lex)
            attribution = named if named is not None and (subject is None or not same_company(named, subject.name)) else None
        # a takeover's terms are the bidder's: "a 37% premium" of one bidder's offer is not
        # another bidder's
        bidder = ctx.bidder_for(subject) if attribution is None and rule is not None and rule.subject_is_target else None
        out.append(
            Mention(
                sentence=ctx.sentence,
                quantity=q,
                subject=subject.name if subject else None,
                subject_kind=subject.kind if subject else None,
                metric=metric,
                direction=direction,
                # a deal's terms ("holders will receive 2.3 shares") are agreed, not expected
                forecast=not (rule is not None and rule.timeless) and (forecast or _in_future(period_used, document.published)),
                attribution=attribution or bidder,
                scope=written_scope or (rule.default_scope if rule is not None else None),
                period=period_used,
                qualifiers=tuple(x for x in qualifiers if not is_period_word(x)),
                session=claim_session,
                evidence={"subject": subject_ev, "metric": metric_ev, "period": period_ev}
                | ({"scope": "default"} if written_scope is None and rule is not None and rule.default_scope else {})
                | ({"attribution": "bidder"} if bidder else {}),
            )
        )
    return out

