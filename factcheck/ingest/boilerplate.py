"""Site furniture: lines repeated across the corpus, junk lines and menu runs are dropped.

Scraped pages carry site menus.  Lines repeated across many files (``repeated_lines``)
and runs of short unpunctuated lines are dropped; a lone short line between paragraphs
is kept as a heading because headings end the context a figure's time comes from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from factcheck.ingest.blocks import Block
from factcheck.ingest.sentences import TERMINAL_END

# Boilerplate and menu heuristics, tuned on real scraped finance pages: their menu items
# run up to 8 words ("Sign up today and claim your free tokens") while their section
# headings are single lines of up to ~18 words between long paragraphs.
BOILERPLATE_MAX_CHARS = 120
MENU_MAX_WORDS = 8
MENU_MIN_RUN = 3
HEADING_MAX_WORDS = 20

# Sentence punctuation inside a line: "rose 5%. Then" has it, "U.S. stock CFD" does not.
_INNER_SENTENCE_END = re.compile(r"""[.!?;:]["”’)]?\s+[A-Z"“‘(]""")
# A figure a claim could be made of.  Lines carrying one are never treated as site
# furniture: syndicated copies of the same sentence must still reach the checker.
_FIGURE = re.compile(
    r"\d\s*(?:%|percent\b|per cent\b|bps\b|basis points?\b|[mbt]n\b|million\b|billion\b|trillion\b)"
    r"|[$€£¥₩]\s*\d",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(r"^(?:[#@][\w.-]+|https?://\S+)(?:\s+(?:[#@][\w.-]+|https?://\S+))*$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def boilerplate_candidate(line: str) -> bool:
    return (
        0 < len(line) <= BOILERPLATE_MAX_CHARS
        and _HAS_LETTER.search(line) is not None
        and _FIGURE.search(line) is None
    )


def repeated_lines(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Stripped lines found in at least ``min_docs`` different texts: site furniture.

    Only short lines count (menus, taglines, share buttons), and never a line carrying
    a figure, so that wire copy syndicated to several sites keeps its claims.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        lines = {line.strip() for line in split_lines(text)}
        counts.update(line for line in lines if boilerplate_candidate(line))
    return frozenset(line for line, n in counts.items() if n >= min_docs)


def _menu_like(block: Block) -> bool:
    if block.kind in ("heading", "table"):
        return False
    for line in block.lines():
        if (
            len(line.split()) > MENU_MAX_WORDS
            or TERMINAL_END.search(line)
            or _INNER_SENTENCE_END.search(line)
            or _FIGURE.search(line)
        ):
            return False
    return True


def _heading_like(block: Block) -> bool:
    if block.kind != "para" or len({piece.line for piece in block.pieces}) > 1:
        return False
    text = block.joined()[0]
    # "Shares rose 3%. Exxon fell. {{adFree}}": sentences with trailing furniture are prose
    return len(text.split()) <= HEADING_MAX_WORDS and not TERMINAL_END.search(text) and not _INNER_SENTENCE_END.search(text)


def _repeated_line(number: int, lines: list[str], boilerplate: frozenset[str], seen: dict[int, bool]) -> bool:
    if number not in seen:
        seen[number] = lines[number - 1].strip() in boilerplate
    return seen[number]


def clean_blocks(
    blocks: list[Block], lines: list[str], boilerplate: frozenset[str]
) -> list[Block]:
    """Drop boilerplate, junk and menu runs; mark lone short lines as headings."""
    kept: list[Block] = []
    # Judged once a line: a line cut into many pieces (tags, comments) is stripped once.
    repeated: dict[int, bool] = {}
    for block in blocks:
        pieces = [
            piece
            for piece in block.pieces
            if not (boilerplate and _repeated_line(piece.line, lines, boilerplate, repeated))
        ]
        if len(pieces) != len(block.pieces):
            block = Block(block.kind, pieces, block.source_lines)
        text = block.joined()[0]
        if not pieces or text in boilerplate or _JUNK_LINE.match(text):
            continue
        kept.append(block)

    result: list[Block] = []
    index = 0
    while index < len(kept):
        end = index
        while end < len(kept) and _menu_like(kept[end]):
            end += 1
        run = kept[index:end]
        if run and sum(max(block.source_lines, 1) for block in run) >= MENU_MIN_RUN:
            index = end
            continue
        if not run:
            run = [kept[index]]
            end = index + 1
        result.extend(run)
        index = end

    # A lone unpunctuated line is a heading only if text follows it; the last such lines
    # of a page are furniture ("Risk Warning and Disclaimer") unless they carry a figure,
    # in which case they are prose that merely lost its full stop.
    tail = len(result)
    while tail and _heading_like(result[tail - 1]):
        tail -= 1
    for block in result[:tail]:
        if _heading_like(block):
            block.kind = "heading"
    trailing = [block for block in result[tail:] if _FIGURE.search(block.joined()[0])]
    return result[:tail] + trailing
