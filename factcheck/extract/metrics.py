"""Choose a figure's metric from the noun the parse attaches it to: head + qualifiers.

The metric lexicon (rules/metrics.yaml) maps head nouns and phrases to metric ids ("net
income" and "net profit" are one metric); the words in front of the head that are not
part of the matched phrase are the metric's qualifiers (rules/qualifiers.yaml): a segment
("data-center revenue", "gaming sales"), a basis ("adjusted EPS") or a scope. A qualified
metric only meets the same qualifiers. A head noun the lexicon does not know is an *open*
metric ("open:subscribers") that meets only the same head and qualifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.rules import MetricRule, Rules
from factcheck.words import WORDS

_TIME_ENTS = {"DATE", "TIME"}


@dataclass(frozen=True)
class MetricReading:
    metric: str  # metric id, or "open:<head>"
    qualifiers: tuple[str, ...]
    noun_index: int  # token index of the head noun
    phrase: str  # the words matched, for evidence


def normalise_words(text: str) -> str:
    """Lower case, hyphens as spaces, British spellings as American: how a metric's or an
    index part's words are compared."""
    words = re.sub(r"[\s\-–]+", " ", text.lower()).strip()
    if _SPELLINGS and any(w in _SPELLINGS for w in words.split()):
        words = " ".join(_SPELLINGS.get(w, w) for w in words.split())
    return words


_SPELLINGS = WORDS.spellings
_norm = normalise_words


class MetricLexicon:
    """Cue phrases of rules/metrics.yaml as a lookup from normalised phrase to metrics."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.by_phrase: dict[str, list[MetricRule]] = {}
        for metric in rules.metrics.metrics:
            for cue in metric.cues + metric.heads:
                self.by_phrase.setdefault(_norm(cue), []).append(metric)
        # Phrases that are a metric's bare head nouns, not its cues: they need its verbs.
        self.head_only = {m.id: {_norm(h) for h in m.heads} - {_norm(c) for c in m.cues} for m in rules.metrics.metrics}
        self.by_verb: dict[str, list[MetricRule]] = {}
        # "raised $12 billion" names what it raised; "raised its dividend to 52 cents" does not
        self.by_object_verb: dict[str, list[MetricRule]] = {}
        for metric in rules.metrics.metrics:
            for verb in metric.object_verbs:
                self.by_object_verb.setdefault(verb.lower(), []).append(metric)
        for metric in rules.metrics.metrics:
            for verb in metric.verbs:
                self.by_verb.setdefault(verb.lower(), []).append(metric)
        q = rules.qualifiers
        self.ignored = {_norm(w) for w in q.ignore}
        self.bases = {_norm(k): v for k, v in q.basis.items()}
        self.change_nouns = {_norm(w) for w in q.change_nouns}
        self.pace_nouns = {_norm(w) for w in q.pace_nouns}
        self.measures = {w.lower() for w in q.measures}
        self.segment_nouns = {_norm(w) for w in q.segment_nouns}
        self.index_parts = [tuple(_norm(w).split()) for w in q.index_part_nouns]
        self.index_part_heads = {words[-1] for words in self.index_parts}
        self.segment_growth = q.segment_growth
        self.difference_nouns = {_norm(w) for w in q.difference_nouns}
        actions = {w.lower(): label for label, words in q.count_actions.items() for w in words}
        # the verb, then at most a hedge ("about", "another") right before the count
        self.count_action_re = re.compile(
            r"\b(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(actions, key=len, reverse=True))
            + r")\s+(?:(?:about|around|roughly|nearly|some|approximately|another|a\s+further|an\s+additional|up\s+to|more\s+than|at\s+least|over|as\s+many\s+as)\s+)?$",
            re.IGNORECASE,
        ) if actions else None
        self.count_actions = actions
        self.part_re = re.compile(
            r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(q.part_phrases, key=len, reverse=True))
            + r")\s+$",
            re.IGNORECASE,
        ) if q.part_phrases else None
        self.basis_phrases = _labelled_phrases(q.basis_phrases)
        # "EPS: $0.84 adjusted vs. $0.79 expected": a basis word right after the figure,
        # before a comparison or the end of its phrase, not in front of a noun it modifies
        self.basis_after_figure = re.compile(
            r"\s+(" + "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in sorted(q.basis, key=len, reverse=True))
            + r")(?=\s*(?:[,;:.)|]|$)|\s+(?:vs\b|versus\b|against\b|compared\b))",
            re.IGNORECASE,
        ) if q.basis else None
        self.basis_labels = frozenset(label for label, _ in self.basis_phrases)
        self.comparison_phrases = _labelled_phrases(q.comparison_phrases)
        self.listing_phrases = _labelled_phrases(q.listing_phrases)
        suffixes = "|".join(re.escape(w) for w in sorted(q.listing_suffixes, key=len, reverse=True))
        # "Hong Kong-listed", "U.S.-traded": up to three capitalised words before the hyphen
        self.listed_re = re.compile(rf"(?<![\w.&-])((?:[A-Z][\w.&]*\s+){{0,2}}[A-Z][\w.&]*)-(?:{suffixes})\b") if suffixes else None
        self.open_stop = {_norm(w) for w in q.open_head_stopwords}
        # "the analysts' estimate of $61.2 billion": a figure measuring one of these is expected
        self.forecast_nouns = {w.lower() for w in rules.metrics.forecast_nouns}
        self.record_nouns = frozenset(w.lower() for w in rules.metrics.record_nouns)
        # "41-year high of (nearly) 11.1%": what joins a record's span to the level it holds
        self.record_span = rules.metrics.record_span_metric
        self.period_end = rules.metrics.period_end_metric
        nouns = "|".join(re.escape(w) for w in sorted(self.record_nouns, key=len, reverse=True))
        self.record_span_re = re.compile(rf"[\s-]+({nouns})\s+of\s+(?:\w+\s+)?", re.IGNORECASE) if self.record_span and nouns else None
        self.record_words = {k.lower(): v for k, v in rules.metrics.record_words.items()}
        superlatives = "|".join(re.escape(w) for w in sorted(set(self.record_words) - self.record_nouns, key=len, reverse=True))
        # "a new 12-year high", "27-Year High": the span right before its record noun (not
        # the first word of another: "a 10-year high-yield bond", "a 5-year low-cost loan")
        self.record_after_re = re.compile(rf"[\s-]+({nouns})(?![\w-])", re.IGNORECASE) if self.record_span and nouns else None
        # "its highest level in 27 years", "the biggest deal in more than 30 years", "the bank's
        # first cut in three years": the span after a superlative (or "first") and "in" or
        # "for", a few words of what it ranks between
        self.record_before_re = re.compile(
            rf"\b(?:(?:the|its|their|a)\s+)?(?:new\s+)?({superlatives})(?:\s+[\w-]+){{0,3}}?\s+(?:in|for)\s+"
            r"(?:(?:more\s+than|nearly|almost|over|about|around|roughly|at\s+least)\s+)?$",
            re.IGNORECASE,
        ) if self.record_span and superlatives else None
        self.company_nouns = {_norm(w) for w in rules.entities.company_nouns} | {"business", "businesses", "unit", "units", "division"}
        self.cue_words = {cue for m in rules.metrics.metrics for cue in m.cues if cue[:1].isupper()} | {
            cue.capitalize() for m in rules.metrics.metrics for cue in m.cues
        }
        self.target_metrics = {m.id for m in rules.metrics.metrics if m.subject_is_target}
        self.by_unit = {u: m for m in rules.metrics.metrics for u in m.units}
        self.by_per_unit = {u: m for m in rules.metrics.metrics for u in m.per_units}
        self.longest = max((len(p.split()) for p in self.by_phrase), default=1)
        # cue phrases by their first word, with the words after it (longest first): a head
        # noun a name goes on after ("profit before tax")
        tails: dict[str, list[tuple[tuple[str, ...], list[MetricRule]]]] = {}
        for phrase, metrics in self.by_phrase.items():
            words = re.findall(r"\w+", phrase)
            if len(words) > 1 and len(phrase.split()) > 1:
                tails.setdefault(words[0], []).append((tuple(words[1:]), metrics))
        self.tails_by_head = {head: sorted(found, key=lambda t: -len(t[0])) for head, found in tails.items()}
        self.cue_word_set = {w for phrase in self.by_phrase for w in phrase.split()}
        self.statistics = {m.id for m in rules.metrics.metrics if m.statistic}
        self.results = frozenset(m.id for m in rules.metrics.metrics if m.results)
        # Every word a metric's name may be written with: its cue words and the words that
        # qualify it ("Adjusted EPS", "Net Revenue", "Core Inflation").
        self.metric_words = (
            {w for phrase in self.by_phrase for w in phrase.split()} | {w for b in self.bases for w in b.split()}
            | self.measures | self.ignored
        )
        # (heads, metric, [(words of a part, its name)] longest first)
        self.components = [
            ({_norm(h) for h in m.component_heads}, m,
             sorted(((_norm(w), name) for name, words in m.components.items() for w in words), key=lambda x: -len(x[0])))
            for m in rules.metrics.metrics if m.components
        ]

    def metric_after_head(self, noun) -> list[MetricRule] | None:
        """The metrics of the longest cue that starts with `noun` and goes on with the words
        right after it ("profit before tax"), punctuation between words aside."""
        tails = self.tails_by_head.get(_norm(noun.text)) or self.tails_by_head.get(_norm(noun.text).rstrip("s"))
        if not tails:
            return None
        following = [w for t in noun.doc[noun.i + 1 : noun.i + 1 + 2 * self.longest] for w in _norm(t.text).split() if w.isalnum()]
        for tail, metrics in tails:
            if tuple(following[: len(tail)]) == tail:
                return metrics
        return None

    def is_part(self, text: str, start: int) -> bool:
        """"of which €150 million": the figure at `start` is a part of a total before it."""
        if self.part_re is not None and self.part_re.search(text, max(0, start - 40), start) is not None:
            return True
        # "of which €120m are cost savings and €60m revenue gains": every figure after it
        return _OF_WHICH.search(text, max(0, start - 150), start) is not None

    def count_action(self, text: str, start: int) -> str | None:
        """"will close 64 stores": what is done to the things counted, from the verb just
        before the count."""
        if self.count_action_re is None:
            return None
        m = self.count_action_re.search(text, max(0, start - 40), start)
        return self.count_actions[re.sub(r"\s+", " ", m.group(1).lower())] if m else None

    def metric_for_kind(self, candidates: list[MetricRule], kind: str) -> MetricRule | None:
        for metric in candidates:
            if kind in metric.kinds:
                return metric
        for metric in candidates:
            if kind == "percent" and metric.growth:
                return self.rules.metric_by_id[metric.growth]
        return None



    def names_metric(self, name: str) -> bool:
        """"Adjusted EPS was $1.78", "Net Revenue rose": a capitalised metric label that the
        tagger reads as a proper name, every word of it a metric's or a qualifier's."""
        words = _norm(name).split()
        return bool(words) and all(w in self.metric_words for w in words)

def _words_before(noun, skip: set[int]) -> list:
    """Modifier tokens directly in front of the noun, in order (compounds, adjectives)."""
    words = []
    for t in noun.subtree:
        if t.i >= noun.i:
            break
        if t.i in skip:
            continue
        # "tier 1 ratio": a number inside the compound, after a word of it, is part of
        # the name; a count in front of the noun ("3 ratios") is not
        numbered = t.dep_ == "nummod" and bool(words) and words[-1].i == t.i - 1
        if t.dep_ in ("det", "poss", "case", "nummod", "quantmod", "punct", "predet", "cc", "prep", "pobj") and not numbered:
            continue
        if t.head.i == noun.i or (t.head.head.i == noun.i and t.head.dep_ in ("compound", "amod", "nmod")):
            words.append(t)
    return words


def read_metric(frame_noun, kind: str, lex: MetricLexicon, skip: set[int], verb=None, level: bool = False) -> MetricReading | None:
    """The metric a figure of `kind` measures when attached to `frame_noun`; `verb` is the
    verb it hangs from: a bare head noun ("vehicles", "jobs") names a metric only with one
    of that metric's verbs ("delivered 405,000 vehicles", not "recalled")."""
    noun = _spelled_out_name(frame_noun, lex)
    extra: list[str] = []
    # "earnings per share of $2.35": the figure hangs from "share"; the metric is the
    # earnings, per share.
    if _norm(noun.text) in ("share", "shares") and noun.head.text.lower() == "per" and noun.head.head.i != noun.head.i:
        noun = noun.head.head
    # ("positions per month" is a rate in time, not per share: only a share or no object)
    per_share = any(
        c.dep_ == "prep" and c.text.lower() == "per"
        and all(_norm(o.text) in ("share", "shares") for o in c.children if o.dep_ == "pobj")
        for c in noun.children
    )
    # "a 31% drop in revenue", "a 40% decline in Halvern shares": the change is of the noun
    # after it; a money or count change ("a $30 billion drop in revenue") is no level.
    if _norm(noun.text) in lex.change_nouns:
        for child in noun.rights:
            if child.dep_ == "prep" and child.text.lower() in ("in", "of"):
                objs = [o for o in child.children if o.dep_ == "pobj" and o.i not in skip]
                if objs:
                    noun = objs[0]
                    if kind != "percent" and not level:
                        extra.append("change")
                    break
        else:
            # "a cut of 0.85 million barrels a day": the change noun is the metric itself
            own = lex.by_phrase.get(_norm(noun.text))
            metric = lex.metric_for_kind(own, kind) if own else None
            if metric is not None:
                return MetricReading(metric.id, (), noun.i, _norm(noun.text))
            if own or kind != "percent":
                return None
            # "economic growth eased to a 2.1% rate": the words in front name the metric
    mods = _words_before(noun, skip)
    part = _component(noun, mods, kind, lex)
    if part is None:
        # "food and non-alcoholic beverage prices rose 16.4%": the parser makes the first
        # word the noun and the head the coordination shares ("prices") its conjunct; the
        # first word names the part as "food prices" would
        shared = next((c for c in noun.rights if c.dep_ == "conj" and c.i not in skip), None)
        if shared is not None:
            part = _component(shared, mods + [noun], kind, lex)
    if part is not None:
        return part
    # (a table row "Adjusted EPS", or a line opening "Third-Quarter Adjusted EPS:": a basis in title
    # case is still a basis, though the tagger reads it as part of a name)
    tokens = [
        t for t in mods
        if t.ent_type_ not in _TIME_ENTS and (t.pos_ != "PROPN" and t.ent_type_ != "ORG" or _norm(t.text) in lex.bases) and t.i not in skip
    ] + [noun]
    # "the Consumer Price Index", "Core CPI": a statistic's name is written like a proper
    # noun, and its words are the metric, not a company's name in front of it
    named = [t for t in mods if t.ent_type_ not in _TIME_ENTS and t.i not in skip] + [noun]
    if len(named) > len(tokens) and _named_phrase([_norm(t.text) for t in named], len(tokens), lex, named):
        tokens = named
    # "pre-tax": the tagger may read the hyphen as a word of its own; it is no word of a name
    tokens = [t for t in tokens[:-1] if _norm(t.text)] + tokens[-1:]
    texts = [_norm(t.text) for t in tokens]
    if texts[-1] in lex.segment_nouns and kind == "percent" and lex.segment_growth:
        # "its cloud unit grew 31%": the part's growth, never a share move or deliveries
        part = _qualifiers(tokens[:-1], lex)
        return MetricReading(lex.segment_growth, part, noun.i, texts[-1]) if part else None
    extra += segments_after(noun, lex)
    if per_share:
        per = lex.by_phrase.get(_norm(noun.text) + " per share")
        metric = lex.metric_for_kind(per, kind) if per else None
        if metric is not None:
            return MetricReading(metric.id, _qualifiers(tokens[:-1], lex, extra), noun.i, noun.text.lower() + " per share")
        extra.append("per share")
    # "profit before tax", "earnings before interest, tax, ...": a name that goes on after
    # its head noun is another metric than the head's.
    after = lex.metric_after_head(noun)
    if after is not None:
        metric = lex.metric_for_kind(after, kind)
        if metric is not None:
            return MetricReading(metric.id, _qualifiers(tokens[:-1], lex, extra), noun.i, _norm(noun.text))
    # Longest phrase ending at the head noun; plural and singular both tried.
    for size in range(min(len(texts), lex.longest), 0, -1):
        phrase = " ".join(texts[-size:])
        candidates = lex.by_phrase.get(phrase) or lex.by_phrase.get(phrase.rstrip("s"))
        if not candidates and phrase.endswith("s") is False:
            candidates = lex.by_phrase.get(phrase + "s")
        if not candidates:
            continue
        metric = lex.metric_for_kind(candidates, kind)
        if metric is None:
            return None
        base = next((c for c in candidates if phrase in lex.head_only.get(c.id, ())), None)
        if base is not None and verb is not None and base.verbs:
            if verb.text.lower() not in {v.lower() for v in base.verbs}:
                return MetricReading(f"open:{verb.text.lower()} {phrase}", _qualifiers(tokens[:-size], lex, extra), noun.i, phrase)
        # "adjusted EPS", "adjusted EBITDA": the lexicon names the metric with its basis in
        # front, and the basis still tells the figure from the unadjusted one
        lead = tokens[-size:-1]
        basis = [t for t in lead if _norm(t.text) in lex.bases]
        quals = _qualifiers(tokens[: len(tokens) - size] + basis, lex, extra)
        return MetricReading(metric.id, quals, noun.i, phrase)
    if noun.pos_ != "NOUN" or texts[-1] in lex.open_stop or not texts[-1].isalpha():
        return None
    head = texts[-1][:-1] if texts[-1].endswith("s") and len(texts[-1]) > 3 else texts[-1]
    return MetricReading(f"open:{head}", _qualifiers(tokens[:-1], lex, extra), noun.i, texts[-1])


def _spelled_out_name(noun, lex: MetricLexicon):
    """"a loss before interest, taxes, depreciation and amortization of $2bn": the parse
    hangs the figure from a word inside the spelled-out name; the metric is the name's
    first noun, read with the words after it (MetricLexicon.metric_after_head)."""
    t = noun
    for _ in range(8):  # interest, taxes, depreciation, amortization: a short chain
        if t.dep_ in ("conj", "pobj") and t.head.i != t.i:
            t = t.head
        elif t.dep_ == "prep" and t.text.lower() == "before" and t.head.i != t.i:
            return t.head if lex.metric_after_head(t.head) is not None else noun
        else:
            break
    return noun


def _named_phrase(texts: list[str], plain: int, lex: MetricLexicon, tokens: list) -> bool:
    """Whether the capitalised words in front are part of the metric's name: a statistic
    ("Core CPI"), or a metric phrase that needs an abbreviation ("CET1 ratio", "IPO price":
    the tagger reads it as a proper noun). Other capitals in front ("Halvern revenue") are
    a name, and the noun alone is read."""
    for size in range(min(len(texts), lex.longest), 0, -1):
        candidates = lex.by_phrase.get(" ".join(texts[-size:]))
        if candidates:
            coded = size > plain and any(_abbreviation(t.text) and (t.pos_ == "PROPN" or t.ent_type_ == "ORG") for t in tokens[-size:])
            return coded or any(c.id in lex.statistics for c in candidates)
    return False


def _abbreviation(word: str) -> bool:
    """"IPO", "CET1", "EBITDA": capitals and digits, or a digit in it; never a name's word."""
    return any(ch.isdigit() for ch in word) or len(word) > 1 and word.isupper() and word.isalpha()


def _component(noun, mods: list, kind: str, lex: MetricLexicon) -> MetricReading | None:
    """"petrol prices fell 4%", "food costs rose 0.4%": a part of a price statistic,
    named by the words in front of the head; only a rate of change is one."""
    if kind != "percent" or not mods:
        return None
    head = _norm(noun.text)
    before = " ".join(_norm(t.text) for t in mods)
    for heads, metric, parts in lex.components:
        if head not in heads:
            continue
        for words, name in parts:
            if before == words or before.endswith(" " + words):
                return MetricReading(metric.id, (name,), noun.i, f"{words} {head}")
    return None


def read_unit_metric(unit: str, lex: MetricLexicon) -> MetricRule | None:
    """"412 points", "$64.20 a barrel": a unit that only one metric is written in."""
    if unit in lex.by_unit:
        return lex.by_unit[unit]
    if "/" in unit:
        return lex.by_per_unit.get(unit.rsplit("/", 1)[1].strip())
    return None


def read_verb_metric(verb, kind: str, lex: MetricLexicon) -> MetricReading | None:
    """"lost $1.8 billion", "delivered 405,000", "delivered 40% more": the verb names what
    the figure measures; so does a purpose clause ("agreed to pay $2.4 billion to settle")."""
    if verb is None:
        return None
    # (a clause with its own subject, "as exporters sold off", is about someone else)
    clauses = [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"
               and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
    for candidate in [verb] + clauses:
        metrics = lex.by_verb.get(candidate.text.lower())
        metric = lex.metric_for_kind(metrics, kind) if metrics else None
        if metric is not None:
            return MetricReading(metric.id, (), candidate.i, candidate.text.lower())
    return None


def read_object_verb_metric(figure, kind: str, lex: MetricLexicon) -> MetricReading | None:
    """"raised $12 billion in the offering": a verb whose direct object is the figure itself
    names it; the same verb with another object ("raised its dividend to 52 cents") does not."""
    if figure is None or figure.dep_ != "dobj":
        return None
    metrics = lex.by_object_verb.get(figure.head.text.lower())
    metric = lex.metric_for_kind(metrics, kind) if metrics else None
    return MetricReading(metric.id, (), figure.head.i, figure.head.text.lower()) if metric is not None else None


_SEGMENT_PREPS = ("from", "at", "in", "for", "of")


def segments_after(noun, lex: MetricLexicon, preps: tuple[str, ...] = _SEGMENT_PREPS) -> list[str]:
    """"revenue from its cloud business", "sales at stores open a year", "employment in
    health care", "sales of its antiviral pill": a part of the whole, named after the noun."""
    out = []
    for child in noun.rights:
        of = child.text.lower() == "of" and "of" in preps
        if child.dep_ != "prep" or child.text.lower() not in preps and not of:
            continue
        for obj in child.children:
            if obj.dep_ != "pobj" or obj.pos_ != "NOUN" or obj.ent_type_ in _TIME_ENTS:
                continue
            if obj.text[:1].isupper() or obj.ent_type_ in ("ORG", "PERSON", "GPE"):
                # "sales at Kilbride Outfitters": the tagger may read a name's last word as a
                # common noun; a name after the noun is whose figure it is, not a part
                continue
            if of and (
                not any(c.dep_ in ("det", "poss") for c in obj.children)
                or _norm(obj.text) in lex.company_nouns
                or any(t.like_num or t.pos_ in ("NUM", "SYM") for t in obj.subtree)
            ):
                # "sales of its antiviral pill" name a product; "revenue of the group",
                # "sales of 405,000 vehicles" do not
                continue
            # the owner's name ("at Harlow's cloud unit") is whose part, not which
            owned = {d.i for c in obj.children if c.dep_ == "poss" for d in c.subtree}
            words = [t for t in obj.subtree if t.i <= obj.i and t.dep_ not in ("det", "poss", "case", "punct", "prep")
                     and t.i not in owned and t.ent_type_ not in _TIME_ENTS and t.pos_ in ("NOUN", "ADJ", "PROPN")]
            text = " ".join(_norm(t.text) for t in words if _norm(t.text) not in lex.ignored)
            if len(words) > 1 and _norm(words[-1].text) in lex.segment_nouns:
                # "revenue at its cloud unit" is the cloud part's, as "the cloud unit grew"
                # is; "its largest business" stays a part with no name
                named = " ".join(_norm(t.text) for t in words[:-1] if _norm(t.text) not in lex.ignored)
                text = named or text
            if text and text not in lex.open_stop and _norm(obj.text) not in lex.open_stop:
                out.append(text)
    return out


def _labelled_phrases(table: dict[str, list[str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (label, re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)) + r")(?![\w/])", re.IGNORECASE))
        for label, phrases in table.items() if phrases
    ]


_OF_WHICH = re.compile(r"\bof\s+(?:which|whom)\b[^;.]*$", re.IGNORECASE)


# "Q4", "FY26", "Q4FY26", "H1": a period written before a metric dates it, never narrows it
_PERIOD_WORD = re.compile(r"(?:[qh][1-4])?(?:fy|cy)?['’]?\d{0,4}")


def _qualifiers(tokens: list, lex: MetricLexicon, extra: list[str] | None = None) -> tuple[str, ...]:
    out = []
    words = [
        w for w in (_norm(t.text) for t in tokens)
        if w and re.search(r"[a-z]", w) and not is_period_word(w)
    ]
    i = 0
    while i < len(words):
        # "same-store", "non-GAAP": a basis written as several words
        span = next((n for n in (3, 2) if i + n <= len(words) and " ".join(words[i : i + n]) in lex.bases), 0)
        if span:
            out.append(lex.bases[" ".join(words[i : i + span])])
            i += span
            continue
        if i + 2 <= len(words) and " ".join(words[i : i + 2]) in lex.ignored:
            i += 2  # "blue-chip" is two tokens and one word to ignore
            continue
        if words[i] not in lex.ignored:
            out.append(lex.bases.get(words[i], words[i]))
        i += 1
    # "data-center" is two tokens and one segment
    found = [" ".join(out)] if out else []
    return tuple(found + [e for e in (extra or []) if e not in found and not is_period_word(e)])


def is_period_word(word: str) -> bool:
    """'fy26', 'q4fy26', 'h1': a period's label, which dates a figure and never narrows it."""
    return bool(re.search(r"\d", word)) and _PERIOD_WORD.fullmatch(word) is not None
