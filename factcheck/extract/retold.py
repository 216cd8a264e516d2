"""An article that tells its story twice, and which figure of the first telling each
figure of the second restates.

A scraped page can hold one article twice: two translations of one wire story, one under
the other, or a text pasted in again with a line edited. Each figure of the second telling
then states the quantity its counterpart in the first telling states, whatever the learned
link makes of two figures of one body (most of which are two quantities: two quarters, a
segment and the whole). Where the two disagree the article contradicts itself.

Only a run of paragraphs counts, never one sentence: a writer repeats a sentence's frame
on purpose ("Revenue at the cloud unit rose 12% ... Revenue at the devices unit rose 3%"),
but not four paragraphs in a row. Similarity is rapidfuzz's token-set ratio of the
lower-cased text with every number masked, so that the figure that changed does not count
against it and two translations that order their words differently still meet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from factcheck.models import Sentence

_NUMBER = re.compile(r"\d[\d.,]*")
_WORD = re.compile(r"[^\W\d_]{4,}")
_OPENING = 1000  # characters of a paragraph compared


@dataclass(frozen=True)
class RetoldLimits:
    paragraphs: int  # a run of at least this many paragraphs, each restating an earlier one
    words: int  # paragraphs shorter than this neither count in a run nor break one
    similarity: float  # a paragraph restates an earlier one at this token-set ratio or more
    figure_similarity: float  # a figure of the run restates its best match at this or more
    max_paragraphs: int  # an article with more long paragraphs is not searched (all pairs are compared)


def _masked(text: str) -> str:
    return _NUMBER.sub("#", text.lower())


def second_telling(sentences: Sequence[Sentence], limits: RetoldLimits) -> list[tuple[list[int], list[int]]]:
    """The passages of an article's second telling: for each of its paragraphs, the
    sentences of the first telling it restates and its own (indexes into `sentences`);
    empty for an article told once. A paragraph restates the first telling's paragraphs
    after the one its predecessor restated, up to its own best match: two translations
    join and split paragraphs differently."""
    paragraphs: dict[int, list[int]] = {}
    for i, sentence in enumerate(sentences):
        if not sentence.heading and sentence.label is None:
            paragraphs.setdefault(sentence.paragraph, []).append(i)
    long = [members for _, members in sorted(paragraphs.items()) if sum(len(sentences[i].text.split()) for i in members) >= limits.words]
    if len(long) < 2 * limits.paragraphs or len(long) > limits.max_paragraphs:
        return []
    # a paragraph's opening is enough to know it again, and bounds the work on long ones
    texts = [_masked(" ".join(sentences[i].text for i in members)[:_OPENING]) for members in long]
    words = [frozenset(_WORD.findall(t)) for t in texts]
    # the earlier paragraph each one restates, if any
    restates: list[int] = [-1] * len(long)
    for j in range(1, len(long)):
        scores = [
            fuzz.token_set_ratio(texts[i], texts[j]) if len(words[i] & words[j]) * 2 >= min(len(words[i]), len(words[j])) else 0.0
            for i in range(j)  # a cheap word overlap first: a token-set ratio costs tens of µs
        ]
        best = max(range(j), key=lambda i: (scores[i], -i))
        if scores[best] >= limits.similarity:
            restates[j] = best
    # A retelling restates the first telling in its order, each paragraph once, and
    # everything it restates comes before it: paragraphs of one frame in a row ("Revenue
    # at the cloud unit rose ...", "Revenue at the devices unit fell ...") restate their
    # neighbours, inside the run.
    start = 0
    while start < len(long):
        end, last = start, -1
        while end < len(long) and last < restates[end] < start:
            last = restates[end]
            end += 1
        if end - start >= limits.paragraphs:
            passages, after = [], 0
            for j in range(start, end):
                window = [i for members in long[after : restates[j] + 1] for i in members]
                passages.append((window, long[j]))
                after = restates[j] + 1
            return passages
        start = max(end, start + 1)
    return []


def context(text: str, start: int, end: int, words: int = 6) -> str:
    """The words either side of a figure, numbers masked: what its counterpart in the
    other telling is found by (two translations split their sentences differently)."""
    before = text[:start].split()[-words:]
    after = text[end:].split()[:words]
    return _masked(" ".join([*before, "#", *after]))


def counterparts(later: Sequence[tuple[str, str]], earlier: Sequence[tuple[str, str]], similarity: float, most: int) -> dict[int, int]:
    """Each figure of a passage of the second telling to the figure of the first it
    restates: (kind, context) each; the pair must be each other's best match of that
    kind, at `similarity` or more (token-set ratio of the contexts). A passage whose
    figures would need more than `most` comparisons is left unpaired."""
    if len(later) * len(earlier) > most:
        return {}

    def best(one: tuple[str, str], others: Sequence[tuple[str, str]]) -> tuple[float, int]:
        return max(((fuzz.token_set_ratio(one[1], o[1]), -k) for k, o in enumerate(others) if o[0] == one[0]), default=(0.0, 0))

    found = {}
    for j, figure in enumerate(later):
        score, minus_i = best(figure, earlier)
        i = -minus_i
        if score >= similarity and -best(earlier[i], later)[1] == j:
            found[j] = i
    return found


def repeats_its_figures(pairs: Sequence[tuple[float, float]]) -> bool:
    """A retelling repeats most of its figures (the values of each paired figure and its
    counterpart): where fewer than half agree, the paragraphs share a frame, not a story."""
    return sum(a == b for a, b in pairs) * 2 > len(pairs)
