"""Read what a figure is attached to from the dependency parse of its sentence.

A figure's meaning sits in the words that govern it, not in whatever cue word happens to
be nearby: in "Data-center revenue jumped 40% to $9.2 billion, while gaming sales fell
3%" the 3% belongs to *gaming sales* (the subject of the verb it hangs from), not to the
revenue named first. `frame_for` climbs from the figure to

- the noun it measures ("sales of $2.7 billion", "a 12% premium", "405,000 vehicles"),
  or the subject of the verb it hangs from ("sales rose 8%", "shares slipped 2%");
- that noun's modifiers (segment words: "data-center", "gaming");
- the places a company may be named for it, best first: the noun's possessor or its
  "of"/"at" phrase ("Walmart's sales", "shares of Seagen"), then the verb's subject
  ("Walmart posted a loss of ..."), then the subject of the verb that verb depends on
  ("Kestrel agreed to pay $2.4 billion").

Nothing here knows metric or entity names: extract/metrics.py and extract/subjects.py
read the frame with the vocabulary in rules/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Dependency labels that link a figure to the noun it quantifies.
_NOUN_LINKS = {"nummod", "compound", "amod", "quantmod", "nmod", "npadvmod", "appos", "dep"}
# Labels under which a verb's dependent is still part of the same statement.
_CLAUSE_CHAIN = {"xcomp", "conj", "ccomp", "acl", "advcl", "pcomp"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_VERBAL = {"VERB", "AUX"}
_NOMINAL = {"NOUN", "PROPN"}
_SHARE_NOUNS = {"shares", "share", "stock", "stocks"}
_PERCENT_WORDS = {"%", "percent", "cent", "pct", "pc"}


@dataclass
class Frame:
    """What the parse says about one figure."""

    noun: object | None = None  # spaCy Token: the noun the figure measures or the verb's subject
    noun_role: str = ""  # "measured" (sales of $X), "subject" (sales rose X), "object" (posted a loss of X)
    verb: object | None = None  # the verb the figure (or its noun) hangs from
    # Token index spans (start, end) where the subject may be named, best first.
    subject_places: list[tuple[int, int]] = field(default_factory=list)
    # Tokens of the figure itself.
    figure: tuple[int, int] = (0, 0)
    # The verb's subject when it is not the measured noun: who did it ("carmakers recalled").
    agent: object | None = None


def _near(doc, start: int, end: int):
    """The tokens around characters [start, end) of `doc`: spaCy's span over them widened
    to whole tokens, and one token more each side; a superset of any token touching them,
    found without walking the sentence (extraction asks this for every figure and name)."""
    # (never `doc.text` here: spaCy joins every token's text to make it)
    if not 0 <= start < end:
        return doc
    span = doc.char_span(start, end, alignment_mode="expand")  # None beyond the text
    if span is None:
        return doc
    return doc[max(span.start - 1, 0) : span.end + 1]


def tokens_in(doc, start: int, end: int) -> list:
    """The tokens that overlap characters [start, end)."""
    return [t for t in _near(doc, start, end) if t.idx < end and t.idx + len(t.text) > start]


def tokens_starting_in(doc, start: int, end: int) -> list:
    """The tokens that start at a character in [start, end)."""
    return [t for t in _near(doc, start, end) if start <= t.idx < end]


def _anchor(tokens: list) -> object:
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return tokens[-1]


def _span(tok) -> tuple[int, int]:
    """The token's own phrase without clauses hanging off it."""
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("relcl", "acl", "advcl", "conj", "cc", "punct", "appos"):
            break
        right = max(right, child.right_edge.i)
    return left, right + 1


def _noun_places(noun) -> list[tuple[int, int]]:
    """Where a noun names its owner: possessor, compound names, "of"/"at"/"for" phrases.
    A name that is a verb's subject is first its own owner: "its rival Dunmore Labs posted
    $2.8 billion" is Dunmore's figure, whoever "its" points at."""
    places = []
    if noun.pos_ == "PROPN" and noun.dep_ in ("nsubj", "nsubjpass"):
        name = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        places.append((name[0].i if name else noun.i, noun.i + 1))
    # "the Swedish battery maker Norvian widened its loss": the name in apposition is who
    # the noun is; the country before the noun only says where it is from
    for child in noun.rights:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i == noun.i + 1:
            name = [c for c in child.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            places.append((name[0].i if name else child.i, child.i + 1))
    for child in noun.children:
        if child.dep_ == "poss":
            places.append((child.left_edge.i, child.i + 1))
    for child in noun.lefts:
        if child.dep_ in ("compound", "nmod", "amod") and child.pos_ == "PROPN":
            places.append((child.left_edge.i, child.i + 1))
    for child in noun.rights:
        # "in" names a place ("carmakers in the US"), not an owner
        # ...except after shares: "shares in Pioneer" are Pioneer's
        if child.dep_ == "prep" and (child.text.lower() in ("of", "at", "for") or child.text.lower() == "in" and noun.lower_ in _SHARE_NOUNS):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    places.append(_span(obj))
        elif child.dep_ == "prep" and child.text.lower() in ("to", "over", "above"):
            # "a 45% premium to Activision's Friday close": whose price it is measured on
            for obj in child.children:
                for owner in obj.children:
                    if obj.dep_ == "pobj" and owner.dep_ == "poss":
                        places.append((owner.left_edge.i, owner.i + 1))
    return places


def _names_its_own_object(verb) -> bool:
    """"referring to xAI's leasing ...": a participle with an object of its own is about
    that object, not a continuation of its main clause's subject."""
    for child in verb.children:
        if child.dep_ == "dobj":
            return True
        if child.dep_ == "prep":
            for obj in child.children:
                if obj.dep_ == "pobj" and (obj.pos_ == "PROPN" or any(c.dep_ == "poss" for c in obj.children)):
                    return True
    return False


# "which", "that", "who": a relative clause's subject is the noun it hangs from
_RELATIVE_TAGS = frozenset({"WDT", "WP"})


def verb_subject(verb):
    """The verb's own subject, or the one it shares through "and", "to" or a relative."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in _SUBJECTS and not (verb.dep_ == "relcl" and child.tag_ in _RELATIVE_TAGS):
                return child
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in _NOMINAL:
            noun = verb.head  # "revenue, which rose 8%"; "the takeover, valued at $4bn"
            # "the takeover of Skarvik, valued at NOK 4.2bn": the phrase's head is valued
            if noun.dep_ == "pobj" and noun.head.text.lower() == "of" and noun.head.head.pos_ == "NOUN":
                return noun.head.head
            return noun
        # "sales ... offset the weakness, climbing to $11.2 billion": a participle's subject is
        # its main clause's
        participle = verb.dep_ == "advcl" and verb.tag_ == "VBG" and not _names_its_own_object(verb)
        if (verb.dep_ in ("xcomp", "conj", "ccomp") or participle) and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _climb_to_verb(tok):
    """From an adverb or preposition ("up 8%", "to $9.2 billion") to its verb or noun."""
    seen = 0
    while tok.head.i != tok.i and seen < 4:
        head = tok.head
        if head.pos_ in _VERBAL or head.pos_ in _NOMINAL:
            return head
        tok = head
        seen += 1
    return tok


def _record_reached(noun, record_nouns: frozenset[str]):
    """What reached the record `noun` names: the verb whose subject did ("rose to a 41-year
    high", "hit a record low", "stood at an eight-year high"), or the object a verb took
    there ("brought the cash rate to a 12-year high"); None if it is no record noun."""
    if noun.lower_ not in record_nouns:
        return None
    if noun.dep_ in ("dobj", "attr", "oprd") and noun.head.pos_ in _VERBAL:
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in ("to", "at", "near") and noun.head.head.pos_ in _VERBAL:
        verb = noun.head.head
        taken = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        if not taken:
            return verb
        # "carried out nine rate hikes, to a 15-year high": counted events reach no level
        counted = any(c.dep_ == "nummod" for c in taken[0].children)
        return None if counted else taken[0]
    return None


_COMPARED_UNITS = frozenset({"year", "quarter", "month", "week"})


def _clause_noun(noun):
    """The noun that stands in the clause for `noun`: the first of coordinated nouns
    ("reported revenue of $4bn and profit of $1bn": profit is reported too), or the noun a
    "per" phrase divides ("earnings per share of $1.10": earnings are what was posted)."""
    seen = 0
    while seen < 4 and noun.head.i != noun.i:
        if noun.dep_ == "conj" and noun.head.pos_ in _NOMINAL:
            noun = noun.head
        elif noun.dep_ == "pobj" and noun.head.lower_ == "per" and noun.head.head.pos_ in _NOMINAL:
            noun = noun.head.head
        else:
            break
        seen += 1
    return noun


def frame_for(doc, start: int, end: int, times: tuple[tuple[int, int], ...] = (), record_nouns: frozenset[str] = frozenset()) -> Frame | None:
    """The frame of the figure written at characters [start, end) of the parsed sentence;
    `times` are the character spans of time expressions, which never are a measured noun;
    `record_nouns` ("high", "low") name a level as a record, not what it measures."""
    tokens = tokens_in(doc, start, end)
    if not tokens:
        return None
    frame = Frame(figure=(tokens[0].i, tokens[-1].i + 1))
    tok = _anchor(tokens)
    # "$1.2 billion, or 45 cents a share": the second figure restates the first.
    # "fell 588 points, or 3.6%": so does a figure after another figure's unit noun.
    while tok.dep_ in ("conj", "appos") and tok.head.pos_ in ("NUM", "SYM") or (
        tok.dep_ == "conj" and tok.head.ent_type_ in ("MONEY", "PERCENT", "CARDINAL", "QUANTITY")
    ) or (tok.dep_ in ("conj", "appos") and any(c.dep_ == "nummod" and c.pos_ == "NUM" for c in tok.head.children)):
        tok = tok.head
        if tok.head.i == tok.i:
            break
    # "sales of 58 trillion yen, down 21.4 percent": the parser may hang the move on the
    # level's figure; the move is the level's own change, read through the level's frame
    if tok.dep_ == "npadvmod" and tok.head.pos_ == "ADV" and tok.head.dep_ == "advmod":
        level = tok.head.head
        if level.i != tok.head.i and level.i < tok.i and any(c.dep_ == "nummod" and c.pos_ == "NUM" for c in level.children):
            tok = level
    # "sales grew 15% year over year": the parser may hang the percent on the first word of
    # the comparison after it, which hangs from the verb as the percent itself would
    if tok.dep_ == "compound" and tok.head.lower_ in _COMPARED_UNITS and tok.head.dep_ == "npadvmod" and tok.head.i > tok.i:
        tok = tok.head
    head = tok.head
    noun = verb = taken_by = None
    role = ""
    # "$31 billion in new debt", "$570 million a year in rent": the figure names its noun
    # after it.
    named_after = [
        obj
        for child in tok.children
        # "90% of total revenue" is a share of it, not the revenue's growth
        if child.dep_ == "prep" and child.text.lower() in ("in", "of") and child.i >= frame.figure[1]
        # right after the figure or its bracketed conversion: "won in Korea in the future"
        # invests in Korea, not in futures
        and all(t.ent_type_ == "MONEY" or t.is_punct or t.like_num for t in doc[frame.figure[1] : child.i])
        # "90% of total revenue" is a share of it, and "3% in early trading" a move during
        # it: neither noun is what the percent measures
        and not (tok.lower_ in _PERCENT_WORDS)
        for obj in child.children
        if obj.dep_ == "pobj" and obj.pos_ == "NOUN" and obj.ent_type_ not in ("DATE", "TIME")
        and not any(ts <= obj.idx < te for ts, te in times)
    ]
    # "600 billion won": the tagger may read a currency that is also an English word as a
    # verb; a word its number counts is the figure's unit
    counted = any(c.dep_ == "nummod" and c.pos_ == "NUM" for c in tok.children)
    if tok.pos_ in _VERBAL and not counted:
        verb = tok  # "surpassed $25 billion": the figure's text holds its own verb
    elif named_after:
        noun, role = named_after[0], "measured"
        up = _climb_to_verb(tok)  # "agreed to acquire X for $246m in cash"
        if up.pos_ in _VERBAL and up.i != tok.i:
            verb = up
    elif tok.dep_ == "pobj" and head.dep_ == "prep":
        # "sales of $2.7 billion" / "rose to $48.6 billion" / "up 8% from $2 billion"
        target = head.head
        reached = _record_reached(target, record_nouns) if head.text.lower() == "of" else None
        if reached is not None and reached.pos_ in _NOMINAL:
            # "a hike that brought the cash rate to a 12-year high of 4.35%": the rate's
            # level; the hike that brought it there is no part of the rate
            noun, role, taken_by = reached, "level", reached.head
        elif reached is not None:
            verb = reached  # "inflation rose to a 41-year high of 11.1%": the level of what rose
        elif target.pos_ in _NOMINAL and head.text.lower() in ("of", "at", "around", "near", "about", "with"):
            noun, role = target, "measured"
        elif target.pos_ in _NOMINAL and head.text.lower() in ("to", "from"):
            # "a 31% drop in revenue, to $67 billion": the level the noun reached
            noun, role = target, "level"
        else:
            target = target if target.pos_ in _VERBAL | _NOMINAL else _climb_to_verb(target)
            if target.pos_ in _NOMINAL:
                noun, role = target, "measured"
            else:
                verb = target
    elif tok.dep_ in _NOUN_LINKS and head.pos_ in _NOMINAL and head.i != tok.i:
        # "a 12% premium", "405,000 vehicles", "a $56 billion profit"
        noun, role = head, "measured"
    elif head.pos_ in _VERBAL and head.i != tok.i:
        verb = head  # "slipped 2%", "posted $56 billion"
    elif head.i != tok.i:
        target = _climb_to_verb(tok)
        if target.pos_ in _NOMINAL:
            noun, role = target, "measured"
        elif target.pos_ in _VERBAL:
            verb = target
    if noun is not None and verb is None:
        # The measured noun's own verb: "posted a loss of $1.8 billion" (object), or
        # "sales of $2.7 billion were reported" (subject).
        held = _clause_noun(noun)
        if held.head.pos_ in _VERBAL and held.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "oprd"):
            verb = held.head
        elif held.dep_ == "pobj" and held.head.head.pos_ in _VERBAL:
            verb = held.head.head
    if noun is None and verb is not None:
        subj = verb_subject(verb)
        if subj is not None:
            noun, role = subj, "subject"
    frame.noun, frame.noun_role, frame.verb = noun, role, verb
    subj = verb_subject(verb) if verb is not None and not (taken_by is not None and verb.i == taken_by.i) else None
    frame.agent = subj if subj is not None and (noun is None or subj.i != noun.i) else None
    places: list[tuple[int, int]] = []
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if owner is not None:
        places.append(_span(owner))  # "ahead of Voltera's 118,420": the owner's figure
    if noun is not None:
        places += _noun_places(noun)
        if role == "subject":
            places.append(_span(noun))
    if verb is not None:
        # "Revenue rose 9% at Lumora Chips but fell 4% at Pallisade Software": a name after
        # "at" right after the figure is where the metric rose, before the verb's subject
        places[:0] = [
            _span(obj) for child in verb.rights if child.dep_ == "prep" and child.lower_ == "at" and child.i == frame.figure[1]
            for obj in child.children if obj.dep_ == "pobj" and obj.pos_ == "PROPN"
        ]
        subj = verb_subject(verb)
        if subj is not None and (noun is None or subj.i != noun.i):
            places += _noun_places(subj)
            places.append(_span(subj))
    frame.subject_places = places
    return frame


def modifiers(noun) -> list:
    """The noun's left modifiers, nearest last: "second-quarter data-center revenue"."""
    return [t for t in noun.subtree if t.i < noun.i and t.head.i in {noun.i} | {x.i for x in noun.lefts}]
