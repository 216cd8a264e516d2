"""Markdown articles to blocks, through markdown-it: front matter, headings, paragraphs,
list items and quotes, and each figure of a pipe table with its row and column
(tables.py); fenced code skipped. An HTML block (a scraped page saved
as .md is often one: `<?xml ...?>`, `<body><p>...`) is read by the HTML reader, tags
stripped, scripts and navigation dropped, so its text is checked like any paragraph.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from factcheck.errors import InputFileError
from factcheck.ingest.blocks import Block, Meta, line_pieces
from factcheck.ingest.frontmatter import front_matter
from factcheck.ingest.html import html_blocks
from factcheck.ingest.sentences import TERMINAL_END
from factcheck.ingest.tables import pipe_table_blocks

# Inline tokens are never read, and parsing them cost 9 s per MB of "[". Indented code is
# off: news is not code, and scraped pages indent whole paragraphs of prose by four
# spaces; fenced code is still skipped.
_MD = MarkdownIt("commonmark").use(front_matter_plugin).enable("table").disable(["inline", "code"])
# Keys that make an unclosed leading "---" front matter rather than a horizontal rule
# followed by prose such as "Update: shares fell".
_FRONT_MATTER_KEY = re.compile(
    r"^(?:date|title|source|author|authors|tags|slug|description|layout|published)\s*:", re.I
)


_LABEL_MAX_WORDS = 5


def _label_line(lines: list[str], i: int) -> bool:
    """A short unpunctuated line inside a paragraph, after a full sentence (or first) and
    before a capitalised line: a scraped page's section label ("Topline", "Key Facts").
    A hard-wrapped line is short only at the end of its paragraph, so prose is safe."""
    line = lines[i].strip()
    if i + 1 >= len(lines) or not line or len(line.split()) > _LABEL_MAX_WORDS or TERMINAL_END.search(line):
        return False
    following = lines[i + 1].strip()
    if not following[:1].isupper() or len(following.split()) <= _LABEL_MAX_WORDS:
        return False
    return i == 0 or bool(TERMINAL_END.search(lines[i - 1].rstrip()))


# "Earnings per share: $1.47 adjusted vs. $1.39 expected": a labelled line of a scorecard.
_FIELD_LINE = re.compile(r"^(?:[A-Z]|[a-z][A-Z])[\w'’&/()., -]{0,40}:\s+\S")  # "Revenue:", "iPhone revenue:"


def _field_lines(lines: list[str]) -> set[int]:
    """Lines of a run of two or more "Label: value" lines without terminal punctuation,
    written one under the other inside a paragraph (an earnings scorecard, a fact box).
    Each is a statement of its own: joined, one line's "expected" would read as the
    next line's."""
    fields = [bool(_FIELD_LINE.match(line.strip())) and not TERMINAL_END.search(line.rstrip()) for line in lines]
    return {
        i for i, field in enumerate(fields)
        if field and ((i > 0 and fields[i - 1]) or (i + 1 < len(fields) and fields[i + 1]))
    }


def markdown_blocks(
    text: str, lines: list[str], display: str
) -> tuple[list[Block], Meta, set[int]]:
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    meta = Meta()
    code_lines: set[int] = set()
    if tokens and tokens[0].type != "front_matter" and lines[0].rstrip() == "---":
        if len(lines) > 1 and _FRONT_MATTER_KEY.match(lines[1]):
            raise InputFileError(display, "malformed front matter: no closing '---'", line=1)
    heading: str | None = None  # tag of the open heading
    list_depth = 0
    table_depth = 0
    for token in tokens:
        kind = token.type
        if kind == "front_matter" and token.map:
            meta = front_matter(token.content, token.map[0] + 2, display)
        elif kind in ("fence", "code_block") and token.map:
            code_lines.update(range(token.map[0] + 1, token.map[1] + 1))
        elif kind == "html_block" and token.map:
            blocks.extend(_html_block(token.content, token.map[0], lines, meta))
        elif kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = None
        elif kind == "list_item_open":
            list_depth += 1
        elif kind == "list_item_close":
            list_depth -= 1
        elif kind == "table_open":
            table_depth += 1
            if token.map and token.map[1] - token.map[0] > 2:
                # header, delimiter row, body rows: each figure cell read with its row and column
                blocks.extend(pipe_table_blocks(lines, token.map[0], min(token.map[1], len(lines))))
        elif kind == "table_close":
            table_depth -= 1
        elif kind == "inline" and token.map and not table_depth:
            block = Block("heading" if heading else "item" if list_depth else "para")
            first = token.map[0]
            content_lines = token.content.split("\n")
            fields = _field_lines(content_lines) if len(content_lines) > 1 else set()
            for offset, content in enumerate(content_lines):
                stripped = content.strip()
                if not stripped or first + offset >= len(lines):
                    continue
                if block.kind == "para" and (offset in fields or _label_line(content_lines, offset)):
                    # "Key Facts" on a line of its own above prose: a label, not the
                    # first words of the sentence below it; a scorecard's line is an item
                    # of a list written without bullets
                    if block.pieces:
                        blocks.append(block)
                    column = max(lines[first + offset].rfind(stripped), 0) + 1
                    label = Block("item" if offset in fields else "para", line_pieces(stripped, first + offset + 1, column, tags=True))
                    blocks.append(label)
                    block = Block("para")
                    continue
                source = lines[first + offset]
                # The inline content is the source line minus container markers
                # ("> ", "- ", "# "), so it sits at the end part of the line.
                index = source.rfind(stripped)
                if index < 0:
                    index = len(source) - len(source.lstrip(" \t>"))
                block.pieces.extend(line_pieces(stripped, first + offset + 1, index + 1, tags=True))
            block.source_lines = len(content_lines)
            if block.pieces:
                if heading == "h1" and meta.title is None:
                    meta.title = block.joined()[0]
                blocks.append(block)
    return blocks, meta, code_lines


def _html_block(content: str, first: int, lines: list[str], meta: Meta) -> list[Block]:
    """The blocks of text inside one HTML block whose first line is file line `first` + 1,
    each piece placed on its line of the file. A date or title the page carries in
    <meta> or <title> is taken when the Markdown gave none."""
    found, page = html_blocks(content)
    meta.published = meta.published or page.published
    meta.title = meta.title or page.title
    meta.warnings.extend(page.warnings)
    content_lines = content.split("\n")
    for block in found:
        for piece in block.pieces:
            line = first + piece.line
            # Inside a list or a quote the block's lines lost their markers ("> "): find
            # where the content line sits on the line of the file.
            shift = lines[line - 1].rfind(content_lines[piece.line - 1]) if line <= len(lines) else -1
            piece.line, piece.column = line, piece.column + max(shift, 0)
    return found
