"""Find who a sentence talks about: entities from rules/entities.yaml and aliases learnt
from the article itself ("Kestrel Motors (NYSE: KSTL)"), resolved to one canonical name.

Names an article spells differently from the rules ("Sandisk Corp", "Micron Tech") are
matched with rapidfuzz against the known aliases, so that claims from different outlets
land in the same block.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from rapidfuzz import fuzz, process

from factcheck.rules import EntityRule
from factcheck.tries import prefix_tree
from factcheck.words import WORDS

# Legal-form words that outlets add or drop freely (rules/words.yaml).
_SUFFIXES = re.compile(r"[\s,]+(?:" + "|".join(map(re.escape, WORDS.legal_suffixes)) + r")\.?$", re.IGNORECASE)
# A ticker as written in brackets after a name: "KSTL", "ACI.N"
TICKER = r"[A-Z][A-Z0-9.]{0,6}"
# The market's country code a data vendor writes after a ticker: "HLV:US"
MARKET_CODE = r"[A-Z]{2}"
# "Kestrel Motors (NYSE: KSTL)", "Micron Technology (MU)", "ASML's U.S. stock (ASML)"
_INTRODUCED = re.compile(
    r"\b((?:[A-Z][\w&'.-]*|of|and|de)(?:\s+(?:[A-Z][\w&'.-]*|of|and|de)){0,4})"
    r"\s*\((?:(?:" + "|".join(map(re.escape, WORDS.listing_codes)) + r")\s*:\s*)?(" + TICKER + ")"
    # "Halvern (HLV:US)": the ticker, then the market's country code, as data vendors write it
    r"(?::" + MARKET_CODE + ")?"
    # "Lumen (LUMN on the New York Stock Exchange)": the ticker, then where it trades
    r"(?:\s+(?:on|in)\s+(?:the\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})?\)"
)
# A capitalised name right before a movement verb names the stock that moved
# ("Marvell closed down 9.84%"), even when no rules entry knows it.
# Bounded like _INTRODUCED: unbounded, every start in a long capitalised run with no verb
# after it ("Mr. Mr. Mr. ...", a headline in capitals) rescanned the run to its end, time
# quadratic in the run (9 s for 20 KB). No company name runs to ten words.
_NAME_WORDS = 10
_NAME = rf"[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|&)){{0,{_NAME_WORDS - 1}}}"
_STOP_NAMES = {
    "The", "This", "That", "These", "Those", "It", "Its", "Their", "They", "He", "She", "We", "In", "On",
    "Shares", "Stocks", "Stock", "Markets", "Market", "Meanwhile", "However", "But", "And", "While",
    "Yesterday", "Today", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Q1", "Q2", "Q3", "Q4", "AI", "U.S.", "US", "Revenue", "Sales", "Profit",
}


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparable form of a company name: case, punctuation and legal form dropped."""
    name = name.strip().strip(".,;:'\"")
    name = re.sub(r"['’]s$", "", name)
    while True:
        shorter = _SUFFIXES.sub("", name)
        if shorter == name:
            break
        name = shorter
    return re.sub(r"[^\w&]+", " ", name).strip().lower()


def same_company(a: str, b: str) -> bool:
    """"Nippon Steel" and "Nippon Steel Corp.": one name the longer one starts with."""
    ka, kb = name_key(a), name_key(b)
    return bool(ka and kb) and (ka == kb or ka.startswith(kb + " ") or kb.startswith(ka + " "))


@dataclass(frozen=True)
class EntityMention:
    start: int
    end: int
    name: str  # canonical
    kind: str
    possessive: bool  # "Meta's": the figure that follows is usually Meta's


_RESOLVED_MAX = 50_000  # names remembered by EntityIndex.resolve before it starts again


class EntityIndex:
    """All known names as one regex; built once per rules set."""

    def __init__(
        self,
        entities: list[EntityRule],
        instrument_words: list[str] | tuple[str, ...] = (),
        index_nouns: list[str] | tuple[str, ...] = (),
        exchange_words: list[str] | tuple[str, ...] = (),
    ):
        self.kind: dict[str, str] = {}
        self.exchange_words = frozenset(w.lower() for w in exchange_words)
        nouns = sorted(index_nouns, key=len, reverse=True)
        # "the SMI index": a name the rules do not know, followed by one of these
        self.index_noun_re = re.compile(r"\s+(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in nouns) + r")\b", re.IGNORECASE) if nouns else None
        words = sorted(instrument_words, key=len, reverse=True)
        self._instrument_names = {w.lower(): w for w in words}
        self._instrument = re.compile(r"\s+(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE) if words else None
        insensitive: dict[str, str] = {}
        sensitive: dict[str, str] = {}
        for e in entities:
            self.kind[e.name] = e.kind
            target = sensitive if e.case_sensitive else insensitive
            for alias in [e.name, *e.aliases]:
                target[alias] = e.name
            for ticker in e.tickers:
                # Tickers are matched as written: "MU" is Micron, "mu" is not.
                sensitive[ticker] = e.name
        self._insensitive = {k.lower(): v for k, v in insensitive.items()}
        self._sensitive = sensitive
        self._keys = {name_key(k): v for k, v in insensitive.items()}
        self._key_list = list(self._keys)
        self._re_i = _alternation(insensitive, re.IGNORECASE)
        self._re_s = _alternation(sensitive, 0)
        self._joinable = all(k and _SEPARATOR not in k for k in [*insensitive, *sensitive])  # see find_each
        # Names already resolved: extraction asks for the same few names of an article
        # many times, and an unknown one costs a fuzzy search over every known name.
        self._resolved: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        """Canonical entity for a free-text name, fuzzy-matched; None when unknown."""
        try:
            return self._resolved[name]
        except KeyError:
            pass
        if len(self._resolved) >= _RESOLVED_MAX:
            self._resolved.clear()  # hostile text names without end: memory stays bounded
        found = self._resolved[name] = self._resolve(name)
        return found

    def _resolve(self, name: str) -> str | None:
        if name in self._sensitive:
            return self._sensitive[name]
        hit = self._insensitive.get(name.lower())
        if hit:
            return hit
        key = name_key(name)
        if key in self._keys:
            hit = self._keys[key]
            # "Dow Inc" is a company named like the Dow index, not the index: a legal form
            # resolves only to a company
            if self.kind.get(hit, "company") != "company" and _SUFFIXES.search(re.sub(r"['’]s$", "", name.strip(" .,;:'\""))):
                return None
            return hit
        if len(key) < 5:
            return None  # short names fuzz-match everything
        best = process.extractOne(key, self._key_list, scorer=fuzz.ratio, score_cutoff=90)
        return self._keys[best[0]] if best else None

    def find_aliases(self, text: str, aliases: dict[str, str]) -> list[EntityMention]:
        """Mentions of the given aliases only (an article's own names), longest first."""
        if not aliases:
            return []
        return [self._mention(text, *m.span(), aliases[m.group(0)]) for m in _learned_regex(tuple(aliases)).finditer(text)]

    def find(self, text: str, learned: dict[str, str]) -> list[EntityMention]:
        # Matches of each pattern as (start, end, name). 1 MB of "U.S. " is 200,000 mentions
        # in one sentence: a mention is built only for a match that is kept.
        return self._kept(text, self._runs(text, learned))

    def find_each(self, texts: list[str], learned: dict[str, str]) -> dict[int, list[EntityMention]]:
        """{i: self.find(texts[i], learned)} for the texts that name something, each
        pattern run once over all of them: an article of 250,000 short sentences cost two
        or three pattern calls a sentence. Joined by a character no name holds, no match
        runs from one text into the next, and the separator stands where a text's edge
        stood to the patterns' lookarounds (neither a word character nor "&")."""
        if len(texts) < 2 or not self._joinable or any(not n or _SEPARATOR in n for n in learned):
            return {i: found for i, text in enumerate(texts) if (found := self.find(text, learned))}
        offsets, at = [], 0
        for text in texts:
            offsets.append(at)
            at += len(text) + 1
        per_text: dict[int, list[list[tuple[int, int, str]]]] = {}
        for k, run in enumerate(self._runs(_SEPARATOR.join(texts), learned)):
            for start, end, name in run:
                i = bisect_right(offsets, start) - 1
                runs = per_text.setdefault(i, [])
                while len(runs) <= k:
                    runs.append([])
                runs[k].append((start - offsets[i], end - offsets[i], name))
        return {i: self._kept(texts[i], runs) for i, runs in sorted(per_text.items())}

    def _runs(self, text: str, learned: dict[str, str]) -> list[list[tuple[int, int, str]]]:
        runs: list[list[tuple[int, int, str]]] = []
        # The article's own aliases first: they win ties over the rules ("Pinecrest"
        # introduced as Pinecrest Harbour Logistics is not the rules' Pinecrest).
        if learned:
            runs.append([(*m.span(), learned[m.group(0)]) for m in _learned_regex(tuple(learned)).finditer(text)])
        for regex, table, fold in ((self._re_i, self._insensitive, True), (self._re_s, self._sensitive, False)):
            if regex is not None:
                runs.append([(*m.span(), table[m.group(0).lower() if fold else m.group(0)]) for m in regex.finditer(text)])
        return runs

    def _kept(self, text: str, runs: list[list[tuple[int, int, str]]]) -> list[EntityMention]:
        runs = [run for run in runs if run]
        if len(runs) == 1 and all(start < end for start, end, _ in runs[0]):
            # One pattern's non-empty matches start in order and never overlap: all kept.
            return [self._mention(text, start, end, name) for start, end, name in runs[0]]
        # Drop mentions inside longer ones ("Micron" inside "Micron Technology"): sorted as
        # (start, -length, order), the longest mention at a start comes first and, on a
        # tie, the one found first, as a stable sort of the mentions by (start, -length) had it.
        hits = sorted((start, start - end, k, end, name) for k, (start, end, name) in enumerate(m for run in runs for m in run))
        kept: list[EntityMention] = []
        last_end = -1
        for start, _, _, end, name in hits:
            if start < last_end:
                continue
            kept.append(self._mention(text, start, end, name))
            last_end = end
        return kept

    def _mention(self, text: str, start: int, end: int, name: str) -> EntityMention:
        # "Meta's", "Kestrel Motors'": tested in place, without slicing the text per mention.
        possessive = text.startswith(_POSSESSIVE, end) or (
            end > 0 and text[end - 1] == "s" and text.startswith(_APOSTROPHES, end)
        )
        kind = self.kind.get(name, "company")
        if kind == "index" and self._instrument is not None and (m := self._instrument.match(text, end)):
            # "S&P 500 futures": a contract on the index is its own instrument
            return EntityMention(start, m.end(), f"{name} {self._instrument_names[m.group(1).lower()]}", kind, text.startswith(_POSSESSIVE, m.end()))
        return EntityMention(start, end, name, kind, possessive)


_POSSESSIVE = ("'s", "’s")
_SEPARATOR = "\n"  # between the texts of EntityIndex.find_each
_APOSTROPHES = ("'", "’")


def _alternation(table: dict[str, str], flags: int) -> re.Pattern | None:
    if not table:
        return None
    return _names_regex(tuple(table), flags)


@lru_cache(maxsize=256)
def _learned_regex(aliases: tuple[str, ...]) -> re.Pattern:
    """One pattern for an article's own aliases, compiled once per article rather than
    once per alias per sentence (which overflowed re's cache on large archives)."""
    return _names_regex(aliases, 0)


def _names_regex(names: tuple[str, ...], flags: int) -> re.Pattern:
    """Whole-word match of the longest name at each position, as a trie.

    A flat alternation of every name (longest first) tried all of them at every position
    not preceded by a word character: a megabyte of dots or of "Mr. " cost 1 to 2 s per
    call. In the trie, the first character rejects almost every position in one step and
    a match walks one path. It finds what the flat alternation found: names matching at a
    position lie on one path of the trie (siblings are characters that never match the same
    text), the longer continuation is tried first, and the end assertion backtracks to the
    next shorter name as the flat alternation backtracked to the next alternative.
    """
    root = prefix_tree(names, flags)
    # An empty name (a blank alias in a rules copy) matches before any character.
    first = "" if "" in root else "(?=[" + "".join(re.escape(ch) for ch in root) + "])"
    return re.compile(rf"{first}(?<![\w&]){_trie_pattern(root)}(?![\w&])", flags)




def _trie_pattern(node: dict) -> str:
    """Pattern for a trie node: children before the end of a name, so longest first;
    chains of single children are written as plain text to keep the nesting shallow."""
    text = ""
    while len(node) == 1 and "" not in node:
        (ch, node), = node.items()
        text += re.escape(ch)
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return text
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        body = f"(?:{body})?"
    return text + body


def introductions(text: str) -> list[tuple[str, str]]:
    """(name, ticker) of each company a sentence introduces: "Kestrel Motors (NYSE: KSTL)"."""
    if "(" not in text:
        return []
    found = []
    for m in _INTRODUCED.finditer(text):
        raw_name = re.sub(r"^(?:(?:The|the|and|of|Shares|shares|Stock|stock|Stocks)\s+)+", "", m.group(1).strip())
        raw_name = re.sub(r"['’]s\b.*$", "", raw_name).strip()
        if raw_name and raw_name not in _STOP_NAMES:
            found.append((raw_name, m.group(2)))
    return found


def learn_aliases(sentences: list[str], index: EntityIndex) -> dict[str, str]:
    """Aliases an article introduces: "Kestrel Motors (NYSE: KSTL)" makes KSTL and
    Kestrel (its first word) point at Kestrel Motors for the rest of the article."""
    learned: dict[str, str] = {}
    for text in sentences:
        for raw_name, ticker in introductions(text):
            name = index.resolve(raw_name) or index.resolve(ticker) or raw_name
            learned.setdefault(ticker, name)
            learned.setdefault(raw_name, name)
            first = raw_name.split()[0]
            if len(raw_name.split()) > 1 and len(first) > 3 and first not in _STOP_NAMES:
                learned.setdefault(first, name)
    return learned


@lru_cache(maxsize=4)
def _verb_name_regex(verbs: tuple[str, ...]) -> re.Pattern:
    # A trie, as for names: each start in a capitalised run backtracks through up to ten
    # name lengths, and a flat list of verbs was tried whole at each of them.
    body = _trie_pattern(prefix_tree(verbs, 0))
    return re.compile(rf"(?<![\w&])({_NAME})(?:['’]s?)?(?:\s+(?:shares|stock|ADR|ADRs))?\s+(?:also\s+|still\s+|then\s+)?(?:{body})\b")


@lru_cache(maxsize=4)
def _verb_start_regex(verbs: tuple[str, ...]) -> re.Pattern:
    """Every place a movement verb starts after whitespace, overlapping ones included."""
    root = prefix_tree(verbs, 0)
    first = "" if not root or "" in root else "(?=[" + "".join(re.escape(ch) for ch in root) + "])"
    return re.compile(rf"{first}(?<=\s)(?=(?:{_trie_pattern(root)})\b)")


# What can stand between the start of a name and its verb: the name's words, "shares" and
# "also", each a run of non-space characters (the possessive sticks to the last word).
_RUNS_BEFORE_VERB = re.compile(rf"(?:\s+\S+){{0,{_NAME_WORDS + 2}}}")  # read on the reversed text
_NEAR = 200  # closer than this, trying the few starts before a verb is cheaper than counting runs
_NAME_START = re.compile(r"(?<![\w&])[A-Z]")
_NAME_WORD = re.compile(r"[A-Z][\w&.'-]*")


def _verb_name_matches(text: str, verbs: tuple[str, ...]) -> list[re.Match]:
    """_verb_name_regex.finditer(text), in linear time.

    Run across the text, the pattern tried every capitalised word as the start of a name
    and backtracked through up to ten name lengths before failing: 1 MB of "Mr. " or
    "A. " cost 0.8 to 1.7 s. A match ends in a verb, so a start is tried only within the
    twelve runs of non-space characters before some verb, and each start once, in order:
    the first start that matches is the leftmost match finditer would find. A start that
    fails takes with it the later starts inside its first word ("-A-B-C"): they end that
    word where it does and face the same words after it.
    """
    verb_at = [m.start() for m in _verb_start_regex(verbs).finditer(text)]
    if not verb_at:
        return []
    regex, n, rev = _verb_name_regex(verbs), len(text), ""
    found: list[re.Match] = []
    tried = 0  # every start before this has been tried, or lies inside a match
    for verb in verb_at:
        if verb < tried:
            continue
        start = tried
        if verb - tried > _NEAR:
            rev = rev or text[::-1]
            start = max(tried, n - _RUNS_BEFORE_VERB.match(rev, n - verb).end())
        for s in _NAME_START.finditer(text, start, verb):
            if s.start() < tried:
                continue  # inside the first word of a start that failed
            m = regex.match(text, s.start())
            if m:
                found.append(m)
                tried = m.end()
                break
            tried = _NAME_WORD.match(text, s.start()).end()
        tried = max(tried, verb)
    return found


# A name word after a rules country or index: "Air Canada", "Japan Airlines", "Dow Inc",
# "the S&P 500 Energy Index" name a company or another index that merely contains it.
_NAME_WORD_AFTER = re.compile(r"\s+([A-Z][a-z]+)\b(?!['’])")
_NAME_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z]+)\s+(?:of\s+)?$")
_COMPANY_CONTEXT_AFTER = re.compile(r"\s+(?:shares|stock|Inc|Corp|Ltd|Plc|said|reported|posted)\b")
_SUB_INDEX_AFTER = re.compile(r"(?:\s+[A-Z][\w&-]*){1,3}\s+(?:Index|index|Sector|sector)\b")
_LEGAL_WORDS = frozenset(w.capitalize() for w in WORDS.legal_suffixes)


_CAPITALISED_RUN = re.compile(r"(?:\s+[A-Z][\w&-]*){1,4}")


_NEXT_NAME_WORD = re.compile(r"\s+([A-Z][a-z]+)\b")
_CURRENCY_SIGNS = ("$", "€", "£", "¥", "₹", "₩")


# An amount with its sign right before a country's code: "$56.10 U.S.", "$4 billion US"
# (its digits end in a digit: "$56.10. U.S. stocks fell" is two sentences run together)
_AMOUNT_BEFORE = re.compile(r"[$€£¥₹₩]\s?\d(?:[\d,.]*\d)?(?:\s?(?:million|billion|trillion|bn|mn|m|b))?\s\Z")
_COUNTRY_CODE = re.compile(r"(?:[A-Z]\.?){2,3}")


def names_currency(text: str, e: EntityMention) -> bool:
    """"US$3.9 billion", "HK$12": a country glued to a currency sign names the currency,
    not the figure's subject; so does its code right after an amount ("traded at $56.10
    U.S.", as outlets of another dollar country write it)."""
    if e.kind != "country":
        return False
    if text.startswith(_CURRENCY_SIGNS, e.end):
        return True
    return _COUNTRY_CODE.fullmatch(text, e.start, e.end) is not None and _AMOUNT_BEFORE.search(text, max(0, e.start - 30), e.start) is not None


def _alias_heads_other_name(text: str, e: EntityMention, company_words: frozenset[str]) -> bool:
    """"Castor Micro" where the rules know "Castor Memory" by its alias "Castor": a short
    alias followed by a word that ends company names, other than the known name's own next
    word, is the head of a second company's name. A full name read on ("Meta Platforms") or
    a plain word after the alias ("Castor said") leaves the match alone."""
    matched = text[e.start : e.end]
    if not company_words or matched.lower() == e.name.lower():
        return False
    after = _NEXT_NAME_WORD.match(text, e.end)  # ("Castor Micro's shares" too)
    if after is None or after.group(1) not in company_words:
        return False
    rest = e.name.split()
    own = rest[len(matched.split())] if e.name.lower().startswith(matched.lower() + " ") and len(rest) > len(matched.split()) else None
    return after.group(1) != own


def inside_longer_name(
    text: str, e: EntityMention, stop: frozenset[str] | set[str], statistics: frozenset[str] = frozenset(),
    company_words: frozenset[str] = frozenset(),
) -> bool:
    """A country or index of the rules read inside a longer name: a company or another
    index that the rules do not know ("Air Canada shares", "Dow Inc", "the S&P 500 Energy
    Index"). Words that only stand beside a name ("U.S. Treasury", "China's", "In Japan")
    and names the rules know are left alone. Likewise a company's short alias at the head
    of another company's name (see _alias_heads_other_name)."""
    if e.kind == "company":
        return _alias_heads_other_name(text, e, company_words)
    if e.kind not in ("country", "index"):
        return False
    if names_currency(text, e):
        return True
    if e.kind == "index":
        # "Aurelian Gold shares rose", "Aurelian Gold's costs": a company named after the
        # commodity or index, spoken of as a company (not "North Sea Brent crude")
        before = _NAME_WORD_BEFORE.search(text, max(0, e.start - 24), e.start)
        if before is not None and "of" not in before.group() and before.group(1) not in stop and (
            e.possessive or _COMPANY_CONTEXT_AFTER.match(text, e.end)
        ):
            return True
    if e.possessive:
        return False
    after = _NAME_WORD_AFTER.match(text, e.end)
    if after is not None and after.group(1) in _LEGAL_WORDS:
        return True  # "Dow Inc", "China Evergrande Group"
    if e.kind == "index":
        return _SUB_INDEX_AFTER.match(text, e.end) is not None
    if after is not None and after.group(1) not in stop and after.group(1).lower() not in stop:
        words = _CAPITALISED_RUN.match(text, e.end).group().lower().split()
        # ("the U.S. Consumer Price Index" is the country's statistic, named in capitals)
        return not any(" ".join(words[:k]) in statistics for k in range(1, len(words) + 1))  # "Japan Airlines"
    before = _NAME_WORD_BEFORE.search(text, max(0, e.start - 24), e.start)
    return before is not None and before.group(1) not in stop  # "Air Canada", "Bank of Japan"


# A capitalised word hyphened to a lower-case one ("Third-quarter", "Year-ago",
# "Same-store"): a modifier that starts a sentence; names capitalise both halves
# ("Rolls-Royce", "Coca-Cola").
_COMPOUND_MODIFIER = re.compile(r"[A-Z][a-z]*-[a-z]")


# "Lumora Chips and Pallisade Software rose", "Halvern, Corvane and Tidewater fell": names
# listed before the one the verb follows share its verb. Read on a bounded stretch before
# each name, so the cost stays linear in the text.
_LISTED_BEFORE = re.compile(r"(?:^|(?<=[\s(]))((?:[A-Z][\w&.'’-]*\s+){0,3}[A-Z][\w&.'’-]*)(?:\s*,\s*(?:and\s+)?|\s+and\s+)$")
_LISTED_REACH = 80


def _listed_before(text: str, start: int) -> list[tuple[int, str]]:
    """(start, name) of each name listed right before the name at `start`, nearest last."""
    found: list[tuple[int, str]] = []
    while len(found) < 4:
        window = max(0, start - _LISTED_REACH)
        m = _LISTED_BEFORE.search(text, window, start)
        if m is None or (m.start(1) == window and window > 0 and not text[window - 1].isspace()):
            break
        found.insert(0, (m.start(1), m.group(1)))
        start = m.start(1)
    return found


def without_descriptors(name: str, descriptors: frozenset[str]) -> str:
    """"Rival Ostrava Freight" -> "Ostrava Freight", "Chipmaker Lumora Semiconductor" ->
    "Lumora Semiconductor": lower-case descriptors, capitalised where a sentence starts,
    are no part of the name; a name made of them alone is kept whole."""
    words = name.split()
    while _described(words, descriptors):
        words = words[1:]
    return " ".join(words)


def _described(words: list[str], descriptors: frozenset[str]) -> bool:
    """Whether the first word describes the name after it: "Rival Ostrava", not "Bank of
    England" (a descriptor joined to the rest by "of" or "&" is part of the name)."""
    return len(words) > 1 and words[0].lower() in descriptors and words[1][:1].isupper()


def _overlap_test(spans: list[EntityMention]) -> Callable[[int, int], bool]:
    """`lambda start, end: any(k.start < end and start < k.end for k in spans)`, in
    logarithmic time: of the spans starting before end, whether the farthest reaching
    passes start (a sentence of thousands of names asked it for each of them)."""
    order = sorted(spans, key=lambda k: k.start)
    starts = [k.start for k in order]
    reach = list(accumulate((k.end for k in order), max))

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(starts, end)
        return i > 0 and reach[i - 1] > start

    return overlaps


def unknown_subjects(
    text: str, verbs: tuple[str, ...], known: list[EntityMention], index: EntityIndex, descriptors: frozenset[str] = frozenset()
) -> list[EntityMention]:
    """Capitalised names before a movement verb that no rules entry or alias covers, and
    the names listed with them ("A and B rose")."""
    out: list[EntityMention] = []
    overlaps_known = _overlap_test(known)
    for m in _verb_name_matches(text, verbs):
        for start, listed in _listed_before(text, m.start(1)):
            words = listed.split()
            if words[0] in _STOP_NAMES or _COMPOUND_MODIFIER.match(words[0]) or overlaps_known(start, start + len(listed)):
                continue
            canonical = index.resolve(listed) or listed
            out.append(EntityMention(start, start + len(listed), canonical, index.kind.get(canonical, "company"), False))
        start, _ = m.span(1)
        name = re.sub(r"['’]s?$", "", m.group(1))
        words = name.split()
        while words and (words[0] in _STOP_NAMES or words[0] in ("of", "&") or _COMPOUND_MODIFIER.match(words[0]) or _described(words, descriptors)):
            # "Shares of Garibrook fell": the name is Garibrook; "Third-quarter sales
            # rose", "Full-year profit fell": a capitalised modifier, not a name
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        start = m.start(1) + m.group(1).find(name)
        end = start + len(name)
        if overlaps_known(start, end):
            continue
        if start == 0 and len(words) == 1 and name in _STOP_NAMES:
            continue
        canonical = index.resolve(name) or name
        out.append(EntityMention(start, end, canonical, index.kind.get(canonical, "company"), False))
    return out


_NAME_LINKS = frozenset({"of", "and", "de", "du", "der", "la", "le", "the", "von", "van", "y", "et", "&"})


_LONGEST_ROOT = 100


def canonical_subjects(names: Iterable[str]) -> dict[str, str]:
    """One name per company across articles: "Exxon Mobil Corp", "ExxonMobil" and "Exxon"
    are one subject when no rules entry knows them. A name joins the shortest name that
    its words start with (spaces and legal forms aside: equal keys, a first word, a joined
    word starting with a capital; a three-letter name only as a whole first word, "SVB
    Financial" joining "SVB"); names that share nothing stay apart. Only names are
    exchanged, so an archive can compute this from its distinct subjects before shuffling
    claims by block.

    Roots are indexed by squashed key and each name looks up the prefixes of its own key
    (of the roots that match, the earliest wins), so time stays near linear in the names:
    a scan of every root for every name took a minute at 6,000 names.
    """
    distinct = sorted(set(names), key=lambda n: (len(name_key(n)), n))
    mapping: dict[str, str] = {}
    # "S&P 500 futures", "Stoxx 600 banks index": a lower-case word names a thing of the
    # named one, never the same company under a longer name; nor does a number ("Nasdaq
    # 100" is not the Nasdaq Composite)
    described = {
        n for n in distinct
        if any(w[:1].islower() and w not in _NAME_LINKS or w[:1].isdigit() for w in n.split()[1:])
    }
    roots: dict[str, tuple[int, str, str]] = {}  # squashed key -> (order, display name, spaced key)
    for name in distinct:
        spaced = name_key(name)
        key = spaced.replace(" ", "")
        joined = name.replace(" ", "")
        best: tuple[int, str, str] | None = None
        # (no company's name runs to _LONGEST_ROOT characters; a longer run of name-like
        # characters is no name to join, and slicing each of its prefixes cost its square)
        for end in range(3, min(len(key), _LONGEST_ROOT) + 1):
            root = roots.get(key[:end])
            if root is None or (best is not None and root[0] > best[0]):
                continue
            root_key = key[:end]
            # A three-letter root ("UBS", "SVB") joins only a name it heads as a whole word
            # ("UBS Group"); a joined capital after it is another word ("ABBVie").
            if (
                key == root_key
                or spaced.startswith(root[2] + " ")
                or end > 3 and joined[len(root_key) : len(root_key) + 1].isupper()
            ):
                best = root
        if best is not None and name in described and key != best[2].replace(" ", ""):
            best = None
        if best is None:
            target = name
            if key not in roots or len(key) < 4:
                roots.setdefault(key, (len(roots), name, spaced))
        else:
            target = best[1]
        mapping[name] = target
    _join_initials(mapping, described)
    return mapping


def _initials(name: str) -> str:
    """'Tata Consultancy Services Ltd' -> 'TCS': the first letters of its capitalised words."""
    words = [w for w in re.split(r"[\s-]+", name_key(name)) if w and w not in _NAME_LINKS]
    capitalised = [w for w in re.split(r"[\s-]+", name.strip()) if w[:1].isupper()]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 and len(capitalised) >= len(words) else ""


def _join_initials(mapping: dict[str, str], described: set[str]) -> None:
    """An acronym ("TCS") is the company whose capitalised words it spells out ("Tata
    Consultancy Services"), when exactly one company of the run spells it: one outlet writes
    the full name, another the letters. Two companies with the same initials ("Anglo
    American", "American Airlines") leave the letters alone."""
    spelled: dict[str, set[str]] = {}
    for name, target in mapping.items():
        if name not in described and " " in name.strip():
            letters = _initials(name)
            if letters:
                spelled.setdefault(letters, set()).add(target)
    joined: dict[str, str] = {}
    for acronym, target in mapping.items():
        if target == acronym and 2 <= len(acronym) <= 5 and acronym.isalpha() and acronym.isupper():
            full = spelled.get(acronym, set()) - {acronym}
            if len(full) == 1:
                (joined[acronym],) = full
    if joined:
        for name, target in mapping.items():
            if target in joined:
                mapping[name] = joined[target]
