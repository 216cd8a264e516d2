"""What every format's parser hands on: blocks of text pieces that keep their place in
the file, and the article's metadata (publication date, title, source).

Markdown, HTML and plain text each turn a file into ``Block``s and a ``Meta``; boilerplate
cleaning and sentence splitting (document.py) then work on blocks alone.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
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


# An inline HTML tag in Markdown ("<a href=...>", "</b>", "<br/>"): CommonMark hands it to
# the page as markup, so a reader sees none of its attributes (a link's address holds dates
# and numbers that are no figures of the article). A tag that the end of the line cuts off,
# as a page truncated mid-link leaves it, is scrape debris and goes too.
_INLINE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>|<([A-Za-z][A-Za-z0-9-]*)\s[^<>]*$")
# Tags that mark up words without parting them ("<b>5</b>%"); any other ("<br>", "<p>")
# parts the words beside it, as the page shows them.
_JOINING_TAGS = frozenset("a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong sub sup time u var".split())


def line_pieces(text: str, line: int, column: int, tags: bool = False) -> list[Piece]:
    """Pieces of one source line with inline HTML comments cut out, and with `tags` (a
    Markdown line) its inline HTML tags too, but not one inside a code span or after a
    backslash, which CommonMark shows as written. The words on either side of a tag are
    joined with a space only where the line has one beside it ("<b>5</b>%" reads "5%"),
    or where the tag parts them ("<br>")."""
    cuts = [(*m.span(), True) for m in _HTML_COMMENT.finditer(text, 0, closed_prefix(text))]
    if tags and "<" in text:
        literal = _code_spans(text)
        gaps = zip([0] + [e for _, e, _ in cuts], [s for s, _, _ in cuts] + [len(text)])
        cuts = sorted(cuts + [
            (*m.span(), (m.group(1) or m.group(2)).lower() not in _JOINING_TAGS)
            for start, end in gaps for m in _INLINE_TAG.finditer(text, start, end)
            if not text.startswith("\\", m.start() - 1) and not _inside(literal, m.start())
        ])
    pieces: list[Piece] = []
    pos = 0
    spaced = True
    for start, end, parts in cuts:
        pieces.extend(_trimmed_piece(text[pos:start], line, column + pos, spaced))
        spaced = parts or start == 0 or text[start - 1].isspace() or end == len(text) or text[end].isspace()
        pos = end
    pieces.extend(_trimmed_piece(text[pos:], line, column + pos, spaced))
    return pieces


_BACKTICKS = re.compile(r"`+")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """The code spans of a line, as CommonMark reads them: a run of backticks opens one that
    the next run of the same length closes; a run that none closes is a literal backtick.
    Each run's closer is looked up, not searched for, so a line of lone backticks is linear."""
    runs = [m.span() for m in _BACKTICKS.finditer(text)]
    closer: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        closer[i] = last.get(size)
        last[size] = i
    spans, i = [], 0
    while i < len(runs):
        j = closer[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def closed_prefix(text: str) -> int:
    """Where a search for ``<!-- ... -->`` may stop: past the last ``-->``, no comment can
    close, and searching there would rescan the rest of the line from every ``<!--``."""
    end = text.rfind("-->")
    return end + 3 if end >= 0 else 0


def _trimmed_piece(text: str, line: int, column: int, spaced: bool = True) -> list[Piece]:
    stripped = text.lstrip()
    spaced = spaced or len(stripped) < len(text)
    column += len(text) - len(stripped)
    stripped = stripped.rstrip()
    return [Piece(stripped, line, column, spaced)] if stripped else []


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
