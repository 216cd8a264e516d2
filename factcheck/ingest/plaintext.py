"""Plain-text articles to blocks: a line at a time, or a blank-line paragraph at a time
when the file is hard-wrapped prose.
"""

from __future__ import annotations

import re

from factcheck.ingest.blocks import Block, line_pieces
from factcheck.ingest.sentences import TERMINAL_END
from factcheck.ingest.tables import text_tables

# A wrapped plain-text file has lines no longer than this; scraped pages put whole
# paragraphs on one line and so are far longer.
_WRAP_MAX_CHARS = 100
# A bullet, or the number of an item in a numbered list ("1. This deal will take time",
# "2) Costs fall"): a marker, no figure of the article.
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙–—]|[-*+](?=\s)|\(?\d{1,2}[.)](?=\s+[A-Z\"'“‘]))\s*")


def text_blocks(lines: list[str]) -> list[Block]:
    tables, table_lines = text_tables(lines)
    wrapped = _looks_wrapped([line for i, line in enumerate(lines) if i not in table_lines])
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(lines, start=1):
        if number - 1 in table_lines:
            # a table's blocks go where the table starts; its lines are not prose
            blocks.extend(tables.get(number - 1, ()))
            current = None
            continue
        stripped = raw.strip()
        if not stripped:
            current = None
            continue
        bullet = _BULLET.match(stripped)
        column = len(raw) - len(raw.lstrip()) + 1
        if bullet:
            column += bullet.end()
            stripped = stripped[bullet.end() :]
        pieces = line_pieces(stripped, number, column)
        if not pieces:
            continue
        if current is None or not wrapped or bullet:
            current = Block("item" if bullet else "para", source_lines=0)
            blocks.append(current)
        current.pieces.extend(pieces)
        current.source_lines += 1
    return blocks


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose (paragraphs split over short lines) versus one line per block."""
    nonempty = [line.strip() for line in lines if line.strip()]
    if not nonempty or max(len(line) for line in nonempty) > _WRAP_MAX_CHARS:
        return False
    pairs = continued = 0
    for prev, cur in zip(lines, lines[1:]):
        prev, cur = prev.strip(), cur.strip()
        if prev and cur:
            pairs += 1
            if not TERMINAL_END.search(prev) and cur[0].islower():
                continued += 1
    return continued >= 2 and continued >= 0.3 * pairs
