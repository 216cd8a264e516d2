"""What every format's parser hands on: blocks of text pieces that keep their place in
the file, and the article's metadata (publication date, title, source).

Markdown, HTML and plain text each turn a file into ``Block``s and a ``Meta``; boilerplate
cleaning and sentence splitting (document.py) then work on blocks alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_HTML_COMMENT = re.compile(r"<!--.*?-->")
# One word; HTML text is placed word by word, and sentence ends look at the next one.
WORD = re.compile(r"\S+")


@dataclass
class Piece:
    """Text from one place in the file; pieces of a block are joined into its text."""

    text: str
    line: int
    column: int
    space_before: bool = True


@dataclass
class Block:
    kind: str  # "para", "heading" (explicit), "item" (list item) or "table" (one figure cell: tables.py)
    pieces: list[Piece] = field(default_factory=list)
    source_lines: int = 1  # lines of prose it spans, for menu-run sizes
    quote: str | None = None  # a table cell's row as written, which its claims quote
    label: str | None = None  # a table cell's row label ("Cloud", "Diluted EPS")

    def joined(self) -> tuple[str, list[int]]:
        parts: list[str] = []
        starts: list[int] = []
        size = 0
        for piece in self.pieces:
            if parts and piece.space_before:
                parts.append(" ")
                size += 1
            starts.append(size)
            parts.append(piece.text)
            size += len(piece.text)
        return "".join(parts), starts

    def lines(self) -> list[str]:
        by_line: dict[int, list[str]] = {}
        for piece in self.pieces:
            by_line.setdefault(piece.line, []).append(piece.text)
        return [" ".join(texts) for texts in by_line.values()]


def line_pieces(text: str, line: int, column: int) -> list[Piece]:
    """Pieces of one source line with inline HTML comments cut out."""
    pieces: list[Piece] = []
    pos = 0
    for match in _HTML_COMMENT.finditer(text, 0, closed_prefix(text)):
        pieces.extend(_trimmed_piece(text[pos : match.start()], line, column + pos))
        pos = match.end()
    pieces.extend(_trimmed_piece(text[pos:], line, column + pos))
    return pieces


def closed_prefix(text: str) -> int:
    """Where a search for ``<!-- ... -->`` may stop: past the last ``-->``, no comment can
    close, and searching there would rescan the rest of the line from every ``<!--``."""
    end = text.rfind("-->")
    return end + 3 if end >= 0 else 0


def _trimmed_piece(text: str, line: int, column: int) -> list[Piece]:
    stripped = text.lstrip()
    column += len(text) - len(stripped)
    stripped = stripped.rstrip()
    return [Piece(stripped, line, column)] if stripped else []


@dataclass
class Meta:
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    warnings: list[str] = field(default_factory=list)


# Publication dates a run computes with. Periods are reckoned from the publication date
# ("last week", "the year before", fiscal years), and Python's dates end at years 1 and
# 9999: a date near either end is a typo or an attack, and would overflow mid-extraction.
PUBLISHED_MIN = dt.date(1000, 1, 1)
PUBLISHED_MAX = dt.date(8999, 12, 31)


def published_out_of_range(value: dt.date) -> str | None:
    """Why a publication date cannot be used, or None."""
    if PUBLISHED_MIN <= value <= PUBLISHED_MAX:
        return None
    return f"date {value.isoformat()} is out of range ({PUBLISHED_MIN.isoformat()} to {PUBLISHED_MAX.isoformat()})"


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
        if match:
            try:
                return dt.date.fromisoformat(match.group(1))
            except ValueError:
                return None
    return None
