"""Totals in one sentence: the price and count a total is the product of (FC202), and the
parts a whole is made of (FC203).

"It sold 8 million shares at $21 each, raising $1.7 billion": the parse hangs "8 million
shares" (the object) and "at $21" from "sold", and "raising $1.7 billion" from it too; the
total keeps the price and the count (models.Product), and FC202 (compare/fc202_product.py)
checks the product. "A, B and C contributed $2.1 billion, $3.4 billion and $3 billion of the
$8.5 billion total": the parts are coordinated by "and" and the whole hangs from them by "of
the ... total"; the whole keeps the parts (models.Parts), and FC203 (compare/fc203_parts.py)
checks their sum. A relation is kept only when the parse links every figure of it through
the words of rules/arithmetic.yaml: figures that merely share a sentence are never related.
The forms read:

    <transaction> N <things> at P [each], <total verb> T    "sold 8 million shares at $21 each, raising $1.7 billion"
    <transaction> N <things> at P ... for T                 "bought 3 million shares at $45 a share for $135 million"
    <transaction> ... of P a share on N <things>, or T      "pay a dividend of 50 cents a share on 200 million shares, or $100 million"
    R a <period>, or T a year                               "$4 million a month, or $48 million a year" (x 12)
    X, Y and Z of the W total / out of W                    the parts are some of W: their sum must not exceed it
    W ... split into / made up of X and Y                   the parts are all of W: their sum must give it
    <share verb> X%, Y% and Z% of <one whole>               shares of one whole: at most 100% together

The parse lives inside a memory zone (extract/parse.py): only strings leave this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.extract.arithmetic import all_under, figure_heads, figure_of
from factcheck.models import Parts, Product
from factcheck.rules import ArithmeticFile
from factcheck.words import MONTH_NAMES

# What a transaction verb sold or bought: "sold 8 million shares", "8 million shares were sold".
_OBJECT_DEPS = ("dobj", "nsubjpass")
# How a total verb hangs from the transaction: "..., raising $1.7 billion" (advcl), "..., worth
# $114 million" (a conj that is no finite verb: "and raised $1 billion from bonds" is another act).
_TOTAL_DEPS = ("advcl", "xcomp", "acl", "conj")
_FINITE = ("VBD", "VBZ", "VBP", "MD")
# How a total verb holds its figure: "raising $1.7 billion", "worth about $114 million".
_TOTAL_OBJECT_DEPS = ("dobj", "npadvmod", "attr", "pobj")
# How a figure restates the one before it: "$4 million a month, or $48 million a year".
_RESTATED_DEPS = ("conj", "appos")
# How a figure hangs from the noun it counts or prices: "8 million shares", "$4 million monthly rent".
_MODIFIER_DEPS = ("nummod", "compound", "amod", "quantmod")
# Where the first of a run of shares sits: "hold 45%, ...", "accounted for 60% ...", "were 50% ...".
_SHARE_DEPS = ("dobj", "pobj", "attr")
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTHS = frozenset(name.lower() for name in MONTH_NAMES)


def link_products(doc, mentions: Sequence, words: ArithmeticFile) -> None:
    """Set `product` on each mention of this sentence that the parse says is a price a
    unit times a count, or a rate times the periods of a year."""
    heads = figure_heads(doc, mentions, loose=True)
    if len(heads) < 2:
        return
    verbs = set(words.transaction_verbs)
    for word in doc:
        if word.lower_ in verbs and word.pos_ in ("VERB", "AUX", "NOUN"):
            found = _transaction(word, heads, words)
            if found is not None:
                price, count, total = found
                _mark(mentions, total, product=Product(price=price.text, count=count.text))
    for total, price, times in _annualised(doc, heads, words):
        _mark(mentions, total, product=Product(price=price.text, times=times))


def link_parts(doc, mentions: Sequence, words: ArithmeticFile) -> None:
    """Set `parts` on each mention of this sentence that the parse says is the whole of
    coordinated parts, or the first of coordinated shares of one whole."""
    heads = figure_heads(doc, mentions, loose=True)
    if len(heads) < 2 or any(t.lower_ in words.separate_words for t in doc) or _several_times(doc, mentions):
        return
    for i in sorted(heads):
        token = doc[i]
        if token.dep_ in _RESTATED_DEPS and token.head.i in heads:
            continue  # not the first of its run
        chain = _chain(token, heads)
        parts = [heads[j] for j in chain]
        if len(parts) < 2 or not _and_joined(doc, chain) or any(p.unit != parts[0].unit for p in parts):
            continue
        figures = tuple(p.text for p in parts)
        if parts[0].kind == "percent":
            if parts[0].unit == "percent" and _shares_of_one(doc, chain, heads, words):
                _mark(mentions, parts[0], parts=Parts(figures=figures, whole="percent"))
            continue
        if parts[0].kind not in ("money", "count", "physical") or " / " in parts[0].unit:
            continue
        some = _whole_of(doc, chain, heads, words)
        if some is not None and some.unit == parts[0].unit and all(some is not p for p in parts):
            _mark(mentions, some, parts=Parts(figures=figures, whole="some"))
            continue
        every = _split_whole(token, heads, words)
        if every is not None and every.unit == parts[0].unit and all(every is not p for p in parts):
            _mark(mentions, every, parts=Parts(figures=figures, whole="all"))


def _several_times(doc, mentions: Sequence) -> bool:
    """A sentence of two dates or periods ("47% and 49% of purchases in 2023 and 2022,
    respectively") gives each figure a whole of its own time."""
    years = {t.text for t in doc if _YEAR.fullmatch(t.text)}
    months = {t.lower_ for t in doc if t.lower_ in _MONTHS}
    periods = {m.period.text for m in mentions if m.period is not None}
    return len(years) > 1 or len(months) > 1 or len(periods) > 1


def _mark(mentions: Sequence, quantity, **relation) -> None:
    for m in mentions:
        if m.quantity is quantity and m.change is None:
            for name, value in relation.items():
                setattr(m, name, value)


def _one(found: list):
    unique = {id(q): q for q in found}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _currency(q) -> str | None:
    return q.unit.partition(" / ")[0] if q.kind == "money" else None


def _transaction(verb, heads: dict, words: ArithmeticFile):
    """(price, count, total) of a transaction verb, or None unless each is the only one."""
    objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
    counts = [q for c in objects for q in figure_of(c, heads) if q.kind == "count" and q.unit == "count"]
    counts += [q for q in all_under(verb, words.count_markers, heads) if q.kind == "count" and q.unit == "count"]
    count = _one(counts)
    if count is None:
        return None
    nouns = [c for c in objects if c.i not in heads]
    candidates = all_under(verb, words.price_markers, heads)
    for noun in nouns:
        candidates += all_under(noun, [*words.price_markers, *words.part_markers], heads)
    # the price is what the preposition governs, not a figure of what it governs ("at a $21 billion valuation")
    direct = {id(q) for i, q in heads.items() if verb.doc[i].dep_ == "pobj"}
    candidates = [q for q in candidates if id(q) in direct and _per_unit(q, words)]
    totals = [q for q in _totals(verb, heads, words) if q.kind == "money" and " / " not in q.unit]
    each = {id(q) for q in candidates if _priced_each(q, heads, words, verb.doc)}
    price = _one([q for q in candidates if all(q is not t for t in totals) or id(q) in each])
    if price is None:
        return None
    total = _one([t for t in totals if t is not price and _currency(t) == _currency(price)])
    return None if total is None else (price, count, total)


def _per_unit(q, words: ArithmeticFile) -> bool:
    """A money figure that can be a price a unit: "$21", "$9.50 a share", not "$4 million a month"."""
    if q.kind != "money":
        return False
    per = q.unit.partition(" / ")[2]
    return per not in words.periods_a_year and per not in ("year", "day")


def _priced_each(q, heads: dict, words: ArithmeticFile, doc) -> bool:
    """"$21 each", "$45 a share": a price, whichever preposition it hangs from."""
    if " / " in q.unit:
        return True
    return any(c.lower_ in words.each_words for i, h in heads.items() if h is q for c in doc[i].children)


def _totals(verb, heads: dict, words: ArithmeticFile) -> list:
    """Figures a transaction is said to make: "for $168 million" on the verb, "raising $1.7
    billion" or "valuing the stake at $135 million" hanging from it, "..., or $100 million"."""
    found = list(all_under(verb, words.total_markers, heads))
    total_verbs = set(words.total_verbs)
    for t in verb.children:
        if t.dep_ not in _TOTAL_DEPS or t.lower_ not in total_verbs or t.dep_ == "conj" and t.tag_ in _FINITE:
            continue
        found += [q for c in t.children if c.dep_ in _TOTAL_OBJECT_DEPS for q in figure_of(c, heads)]
        found += all_under(t, [*words.price_markers, *words.total_markers], heads)
    for i in heads:
        found += _restated(verb.doc[i], heads, words, verb)
    return found


def _restated(token, heads: dict, words: ArithmeticFile, within) -> list:
    """The figure at `token` where it restates what it is joined to by an alternative
    marker ("..., or $100 million"), that inside `within`'s phrase."""
    if token.dep_ not in _RESTATED_DEPS or token.head.i == within.i or within.i not in {a.i for a in token.ancestors}:
        return []
    if token.dep_ == "conj" and not any(c.dep_ == "cc" and c.lower_ in words.alternative_markers for c in token.head.children):
        return []
    return [heads[token.i]]


def _annualised(doc, heads: dict, words: ArithmeticFile):
    """(total a year, rate a shorter period, periods a year) for each rate restated as a
    rate a year: "$4 million a month, or $48 million a year". Not a price list's plans: "$9.99
    a month (or $99.99 a year)" is a cheaper plan, not a product."""
    if any(t.lower_ in words.plan_words for t in doc):
        return
    for i, q in heads.items():
        base, _, per = q.unit.partition(" / ")
        if q.kind == "percent" or per != "year":
            continue
        for j, r in heads.items():
            r_base, _, r_per = r.unit.partition(" / ")
            if r_base != base or r_per not in words.periods_a_year or r.kind != q.kind:
                continue
            if _joined(doc[i], doc[j], words) or _joined(doc[j], doc[i], words):
                yield q, r, words.periods_a_year[r_per]


def _joined(later, earlier, words: ArithmeticFile) -> bool:
    """`later` restates `earlier`, or the noun `earlier` prices: "$4 million a month, or
    $48 million a year", "a $4 million monthly rent, or $48 million a year"."""
    if later.dep_ not in _RESTATED_DEPS:
        return False
    held = {earlier.i} | ({earlier.head.i} if earlier.dep_ in _MODIFIER_DEPS else set())
    if later.head.i not in held:
        return False
    return later.dep_ == "appos" or any(c.dep_ == "cc" and c.lower_ in words.alternative_markers for c in later.head.children)


def _chain(token, heads: dict) -> list[int]:
    """The figures joined to `token` by conjunction or apposition, in text order."""
    found, todo = [token.i], [token]
    while todo:
        for c in todo.pop().children:
            if c.dep_ in _RESTATED_DEPS and c.i in heads and c.i not in found:
                found.append(c.i)
                todo.append(c)
    return sorted(found)


def _and_joined(doc, chain: list[int]) -> bool:
    """Joined by "and", never by "or": "$2 billion or $3 billion" are alternatives."""
    joins = {c.lower_ for i in chain for c in doc[i].children if c.dep_ in ("cc", "preconj")}
    return "and" in joins and not joins & {"or", "nor", "either", "versus", "vs", "vs."}


def _shares_of_one(doc, chain: list[int], heads: dict, words: ArithmeticFile) -> bool:
    """Shares a share verb holds of one whole: "hold 45%, 38% and 30% of the market"."""
    first = doc[chain[0]]
    if first.dep_ not in _SHARE_DEPS:
        return False
    governor = first.head if first.dep_ != "pobj" else first.head.head
    if governor.lower_ not in words.share_verbs:
        return False
    wholes = [c for i in chain for p in doc[i].children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children if c.dep_ == "pobj"]
    if len(wholes) != 1 or figure_of(wholes[0], heads):
        return False
    return not any(t.dep_ in ("conj", "cc") or t.i in heads for t in wholes[0].subtree)


def _whole_of(doc, chain: list[int], heads: dict, words: ArithmeticFile):
    """The whole the parts are said to be some of: "of the $8.5 billion total" (a total
    word), "out of $8.5 billion" (an open marker), from a part or from the verb of the first."""
    first = doc[chain[0]]
    holders = [doc[i] for i in chain] + [first.head] + ([first.head.head] if first.dep_ == "pobj" else [])
    found = []
    for marker in words.part_markers:
        for holder in holders:
            for q in all_under(holder, [marker], heads):
                if marker in words.open_part_markers or _total_word(doc, q, heads, words):
                    found.append(q)
    return _one(found)


def _total_word(doc, q, heads: dict, words: ArithmeticFile) -> bool:
    """"the $8.5 billion total", "the total $8.5 billion", "$8.5 billion in all"."""
    i = next(i for i, h in heads.items() if h is q)
    near = [doc[i], doc[i].head, *doc[i].children, *doc[i].head.children]
    return any(t.lower_ in words.total_words for t in near for t in [t, *t.children])


def _split_whole(token, heads: dict, words: ArithmeticFile):
    """The whole that a split word divides into these parts: "the $8.5 billion budget is
    split into $5 billion and $3.5 billion", "$8.5 billion, made up of ..."."""
    split = token.head if token.dep_ == "dobj" else token.head.head if token.dep_ == "pobj" else None
    if token.dep_ == "pobj" and token.head.lower_ not in words.split_markers:
        return None
    if split is not None and split.dep_ == "prt":  # "made up of"
        split = split.head
    if split is None or split.lower_ not in words.split_words:
        return None
    found = [q for c in split.children if c.dep_ in ("nsubj", "nsubjpass") for q in figure_of(c, heads)]
    governor = split.head
    if split.dep_ in ("acl", "relcl", "appos", "advcl") :
        found += figure_of(governor, heads)
        if governor.dep_ in _MODIFIER_DEPS:
            found += figure_of(governor.head, heads)
    return _one(found)
