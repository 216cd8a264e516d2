"""Pipe tables to blocks: each figure in a table is read as a statement of its row and
its column.

A figure in a table means nothing on its own: "| Cloud | $4.1 billion | $3.6 billion |"
under "| Segment | Q3 2025 revenue | Q3 2024 revenue |" says that Cloud's Q3 2025 revenue
was $4.1 billion, and its next cell is another year's. Read as one sentence, the row would
give both figures one period; skipped, as before, its figures were never checked. So each
cell with a digit becomes a block of its own whose text is "<row label> <column header>:
<cell>" ("Cloud Q3 2025 revenue: $4.1 billion"), the text extraction reads, while the
row as written is what the claim quotes (``Block.quote``) and where it points.

Markdown's pipe tables (found by markdown-it) and the same tables pasted into plain text
(a run of "| ... |" lines whose second line is the delimiter row) are read here, and the
cells of an HTML <table> that html.py gathers (`grid_blocks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.ingest.blocks import Block, Piece, line_pieces

# "|---|:--:|" : the line under a pipe table's header
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)+\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Cell:
    text: str
    column: int  # 1-based column of its first character on the line


def row_cells(line: str) -> list[Cell]:
    """The cells of one pipe-table line, each with where it starts."""
    cells: list[Cell] = []
    body_start = len(line) - len(line.lstrip())
    body = line.rstrip()
    if body[body_start : body_start + 1] == "|":
        body_start += 1
    end = len(body) - 1 if body.endswith("|") and not body.endswith("\\|") and len(body) - 1 >= body_start else len(body)
    start = body_start
    for match in [*_CELL_SPLIT.finditer(body, body_start, end), None]:
        stop = match.start() if match else end
        raw = body[start:stop]
        text = raw.strip().replace("\\|", "|")
        cells.append(Cell(text, start + (len(raw) - len(raw.lstrip())) + 1))
        start = stop + 1
    return cells


# "Revenue", "Year-over-Year Change": a capitalised word of a column header
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*\b")


def _as_label(heading: str) -> str:
    """A column header as the words of a sentence: "Year-over-Year Change" is capitalised
    because it heads a column, and read so the tagger takes it for a name. Codes and
    periods ("Q4", "FY2025", "USD") keep their case."""
    return _TITLE_WORD.sub(lambda m: m.group().lower(), heading)


# A column of changes: "Year-over-Year Change", "Growth", "% Chg", "Y/Y". A percent sign
# alone is no change: "Operating margin (%)" is a level of its own.
_CHANGE_HEADER = re.compile(r"(?i)\b(?:change|chg|growth|increase|decrease|y/y|yoy|q/q|qoq)\b")
_YEAR_WORD = re.compile(r"^(?:FY)?'?\d{2,4}$")
# Header words that say when or in what currency, not what: "Q4 Fiscal" alone names no measure
_WHEN_WORD = re.compile(r"(?i)^(?:[QH][1-4]|FY|fiscal|quarter|half|year|full-year|ended|\(.*\))$")


def _measure_words(headers: list[str]) -> str:
    """The words every one of `headers` shares, years left out: what the figure columns
    measure ("Q3 Fiscal Revenue" of "Q3 Fiscal 2025 Revenue" and "Q3 Fiscal 2024 Revenue").
    Nothing when they share only when ("Q3 Fiscal"): the row label names the measure."""
    if not headers:
        return ""
    shared = set.intersection(*({w.lower() for w in h.split()} for h in headers))
    words = [w for w in headers[0].split() if w.lower() in shared and not _YEAR_WORD.match(w)]
    return " ".join(words) if any(not _WHEN_WORD.match(w) for w in words) else ""


# What a column header may hold besides words: a year, a quarter or half, a fiscal year
# ("Q4 Fiscal 2025 Revenue", "FY24"). A cell with any other digit is a figure.
_WHEN_DIGITS = re.compile(r"\b(?:[QH][1-4]|FY\s?'?\d{2,4}|(?:19|20)\d{2}(?:[-/]\d{2,4})?)\b|['’]\d{2}\b", re.IGNORECASE)


def holds_figures(row: list[str]) -> bool:
    """Whether a row's cells after its label hold a figure, not only years and quarters:
    a first row that does is no header (a fact box's "Revenue | $5.2 billion")."""
    return any(_DIGIT.search(_WHEN_DIGITS.sub("", cell)) for cell in row[1:])


def is_delimiter_row(line: str) -> bool:
    return bool(_DELIMITER_ROW.match(line)) and "|" in line


def table_blocks(lines: list[str], header_line: int, body_lines: Sequence[int]) -> list[Block]:
    """Blocks for the figure cells of one table: `header_line` and `body_lines` are
    0-based indexes into `lines`. Each cell points at the start of its row, which it
    quotes as written."""
    rows = []
    for index in body_lines:
        source = lines[index]
        first = len(source) - len(source.lstrip()) + 1
        cells = row_cells(source)
        rows.append(GridRow([c.text for c in cells], [(index + 1, first)] * len(cells), source.strip()))
    return grid_blocks([c.text for c in row_cells(lines[header_line])], rows)


@dataclass(frozen=True)
class GridRow:
    """One body row of a table: its cells' text, where each is (line, column), and the
    row as a claim quotes it."""

    cells: list[str]
    places: list[tuple[int, int]]
    quote: str


def grid_blocks(header: list[str], rows: list[GridRow]) -> list[Block]:
    """Blocks for the figure cells of one table of any source (a pipe table, an HTML
    <table>), from its header's cells and its body rows: each figure cell read as "<row
    label> <column header>: <cell>"."""
    # A change column names no measure: the row's change is of what the table's other
    # figure columns measure ("Cloud year-over-year change: +14%" under "Q3 Fiscal 2025
    # Revenue" and "Q3 Fiscal 2024 Revenue" is Cloud's revenue growth), so its cells read
    # as the words those columns' headers share, the change header in brackets: "Cloud Q3
    # fiscal revenue (year-over-year change): +14%".
    figure_columns = {k for row in rows for k, cell in enumerate(row.cells) if k and _DIGIT.search(cell)}
    changes = {k for k in figure_columns if k < len(header) and _CHANGE_HEADER.search(header[k])}
    measure = _measure_words([header[k] for k in sorted(figure_columns - changes) if k < len(header)])
    blocks: list[Block] = []
    for row in rows:
        if len(row.cells) < 2:
            continue
        label = row.cells[0]
        for k, cell in enumerate(row.cells[1:], start=1):
            if not _DIGIT.search(cell):
                continue
            heading = _as_label(header[k]) if k < len(header) else ""
            if k in changes and measure:
                heading = f"{_as_label(measure)} ({heading})"
            reading = " ".join(part for part in (label, heading) if part)
            reading = f"{reading}: {cell}" if reading else cell
            line, column = row.places[k]
            blocks.append(Block("table", [Piece(reading, line, column)], quote=row.quote, label=label or None))
    return blocks


def pipe_table_blocks(lines: list[str], header_line: int, end: int) -> list[Block]:
    """The blocks of the lines a pipe table spans: from `header_line` up to `end` (0-based,
    exclusive). CommonMark's table extension takes every line after the delimiter row up to
    a blank one for a row, and a plain-text run of "| ... |" lines has no end but its last
    bar, so a scraped page that lost its blank lines runs its prose and the next table into
    the first: "| Cloud | $4.1 billion |" under a second table's header would be read under
    the first one's columns, and the prose between never read. Here a line without a cell
    divider is a paragraph of prose, and a row followed by a delimiter row heads a new
    table."""
    blocks: list[Block] = []
    header, body = header_line, []
    index = header_line + 2
    while index < end:
        line = lines[index]
        if index + 1 < end and "|" in line and is_delimiter_row(lines[index + 1]):
            blocks.extend(table_blocks(lines, header, body))
            header, body = index, []
            index += 2
            continue
        if "|" not in line:
            blocks.extend(table_blocks(lines, header, body))
            body = []
            stripped = line.strip()
            if stripped:
                blocks.append(Block("para", line_pieces(stripped, index + 1, len(line) - len(line.lstrip()) + 1)))
        else:
            body.append(index)
        index += 1
    blocks.extend(table_blocks(lines, header, body))
    return blocks


def text_tables(lines: list[str]) -> tuple[dict[int, list[Block]], set[int]]:
    """The pipe tables of a plain-text file: their blocks by the 0-based index of the
    table's first line, and the indexes of every line they span (read here, so not read
    again as prose)."""
    blocks: dict[int, list[Block]] = {}
    taken: set[int] = set()
    index = 1
    while index < len(lines):
        if is_delimiter_row(lines[index]) and _is_row(lines[index - 1]):
            end = index + 1
            while end < len(lines) and _is_row(lines[end]):
                end += 1
            blocks[index - 1] = pipe_table_blocks(lines, index - 1, end)
            taken.update(range(index - 1, end))
            index = end
        index += 1
    return blocks, taken


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2
