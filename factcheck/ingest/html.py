"""HTML articles to blocks, through the standard library's parser: scripts, navigation,
headers, footers and forms dropped; the date from ``<meta>`` tags or a date element (a
feed's ``<pubDate>``), the title from ``<title>`` or the first heading. An XML document
(an export or a feed saved as text) is read the same way, each of its fields a block.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from factcheck.ingest.blocks import WORD, Block, Meta, Piece, closed_prefix, parse_date, published_out_of_range
from factcheck.ingest.tables import GridRow, grid_blocks, holds_figures

_SKIP_TAGS = frozenset(
    "script style nav header footer noscript template svg aside form iframe select button".split()
)
_BLOCK_TAGS = frozenset(
    """
    address article blockquote body br dd details dialog div dl dt fieldset figcaption
    figure h1 h2 h3 h4 h5 h6 headline hr li main ol p pre section summary table tbody td
    tfoot th thead tr ul
    """.split()
)
_BLOCK_KINDS = {**{f"h{level}": "heading" for level in range(1, 7)}, "headline": "heading", "li": "item"}
_DATE_META = frozenset(
    """
    date article:published_time og:published_time pubdate publishdate publish-date
    dc.date dcterms.date datepublished sailthru.date parsely-pub-date
    """.split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Elements whose text is the publication date in feeds and CMS exports (RSS's <pubDate>,
# Atom's <published>, a newsroom system's <postdate>): read as <meta name="date"> is.
_DATE_ELEMENTS = frozenset("pubdate postdate publishdate datepublished published".split())
_DATE_CHARS = 64  # the longest text read as a date ("Tuesday, 18 February 2025 14:40:02 +1100")
# An XML export's identifiers (<docID>, <guid>): no text of the article.
_XML_REFERENCES = frozenset("id docid storyid articleid postid guid uuid".split())
# Tags a browser shows inside the text around them. In an XML document (one that opens
# with <?xml ...?>) every other element is a field of its own (<docID>, <headline>,
# <body>), so each starts a block: an export's id and date never run into its headline.
_INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q rp rt ruby s samp small span strike"
    " strong sub sup time tt u var".split()
)


# A cell longer than this is prose: a page laid out in a table, not a table of figures.
_CELL_MAX_CHARS = 100


@dataclass
class _Table:
    """A <table> being read: its rows of cells, each cell's text as a block of pieces."""

    rows: list[list[Block]] = field(default_factory=list)
    cell: Block | None = None  # the cell being read
    layout: bool = False  # a table inside one of its cells: a page's layout
    headed: bool = False  # its first row is marked a header (<thead>, or <th> cells only)
    header_cells: list[bool] = field(default_factory=list)  # per cell of the first row: a <th>

    def blocks(self) -> list[Block]:
        """A table of figures read as pipe tables are (tables.py: each figure cell with its
        row label and column header); a table that lays out a page, its cells as
        paragraphs."""
        rows = [row for row in self.rows if row]
        texts = [[cell.joined()[0] for cell in row] for row in rows]
        if self.layout or len(rows) < 2 or max(len(row) for row in rows) < 2 or any(len(t) > _CELL_MAX_CHARS for row in texts for t in row):
            return [Block("para", cell.pieces) for row in rows for cell in row if cell.pieces]
        # A first row of figures heads nothing ("Revenue | $5.2 billion" of a fact box with
        # no header): every row is read, each figure with its row label only.
        headed = self.headed or (bool(self.header_cells) and all(self.header_cells)) or not holds_figures(texts[0])
        body = []
        for row, text in zip(rows[1:] if headed else rows, texts[1:] if headed else texts):
            first = next(((c.pieces[0].line, c.pieces[0].column) for c in row if c.pieces), (1, 1))
            places = [(c.pieces[0].line, c.pieces[0].column) if c.pieces else first for c in row]
            body.append(GridRow(text, places, " | ".join(text)))
        return grid_blocks(texts[0] if headed else [], body)


class _ArticleHTMLParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[Block] = []
        self.meta = Meta()
        self._block = Block("para")
        self._space = False
        self._skip: list[str] = []
        self._title: list[str] | None = None
        self._title_done = False
        self._first_h1: str | None = None
        self._kinds: list[str] = []
        self._xml = False
        # the text of a date element being read, each piece with where it was
        self._date: list[tuple[str, tuple[int, int]]] | None = None
        self._tables: list[_Table] = []  # the open <table>s, innermost last

    # Structure ------------------------------------------------------------------------

    def _kind(self) -> str:
        return self._kinds[-1] if self._kinds else "para"

    def _flush(self) -> None:
        cell = self._tables[-1].cell if self._tables else None
        if cell is not None and self._block.pieces:
            # a cell's text, read as a row of its table when the table closes
            self._block.pieces[0].space_before = bool(cell.pieces)
            cell.pieces.extend(self._block.pieces)
        elif self._block.pieces:
            self.blocks.append(self._block)
            if self._block.kind == "heading" and self._first_h1 is None:
                self._first_h1 = self._block.joined()[0]
        self._block = Block(self._kind())
        self._space = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._date is not None:
            self._end_date(tag, closed=False)  # a date element holds text only
        if tag == "meta":
            self._read_meta(attrs)
        elif tag in _DATE_ELEMENTS and not self._skip:
            self._date = []
        elif self._skip or self._skipped(tag):
            if self._skipped(tag) and tag not in _VOID_TAGS:
                self._skip.append(tag)
        elif tag == "title" and not self._title_done:
            self._title = []
        elif tag in _BLOCK_TAGS:
            kind = _BLOCK_KINDS.get(tag)
            if kind:
                # <li> and <h2> close an open element of their own kind, as in a browser.
                if self._kinds and self._kinds[-1] == kind:
                    self._kinds.pop()
                self._kinds.append(kind)
            self._flush()
            self._table_start(tag)
        elif tag == "img":
            self._space = True
        elif self._xml and tag not in _INLINE_TAGS:
            self._flush()

    def _skipped(self, tag: str) -> bool:
        return tag in _SKIP_TAGS or (self._xml and _xml_reference(tag))

    def handle_pi(self, data: str) -> None:
        if data.lower().startswith("xml"):
            self._xml = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <meta .../>: never opens anything, so nothing may wait for its end tag.
        if tag == "meta":
            self._read_meta(attrs)
        elif not self._skip and tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag in self._skip:
                while self._skip.pop() != tag:
                    pass
        elif tag in _DATE_ELEMENTS and self._date is not None:
            self._end_date(tag, closed=True)
        elif tag == "title" and self._title is not None:
            self.meta.title = " ".join("".join(self._title).split()) or None
            self._title = None
            self._title_done = True
        elif tag in _BLOCK_TAGS:
            kind = _BLOCK_KINDS.get(tag)
            if kind in self._kinds:
                self._block.kind = kind
                while self._kinds.pop() != kind:
                    pass
            elif tag in ("ul", "ol"):
                while self._kinds and self._kinds[-1] == "item":
                    self._kinds.pop()
            self._flush()
            self._table_end(tag)
        elif self._xml and tag not in _INLINE_TAGS:
            self._flush()

    def _table_start(self, tag: str) -> None:
        if tag == "table":
            if self._tables and self._tables[-1].cell is not None:
                self._tables[-1].layout = True
            self._tables.append(_Table())
        elif self._tables and tag == "thead" and not self._tables[-1].rows:
            self._tables[-1].headed = True
        elif self._tables and tag == "tr":
            self._end_cell()
            self._tables[-1].rows.append([])
        elif self._tables and tag in ("td", "th"):
            self._end_cell()
            table = self._tables[-1]
            if not table.rows:
                table.rows.append([])
            if len(table.rows) == 1:
                table.header_cells.append(tag == "th")
            table.cell = Block("para")

    def _table_end(self, tag: str) -> None:
        if self._tables and tag in ("td", "th"):
            self._end_cell()
        elif self._tables and tag == "table":
            self._end_table()

    def _end_cell(self) -> None:
        table = self._tables[-1]
        if table.cell is not None:
            table.rows[-1].append(table.cell)
            table.cell = None

    def _end_table(self) -> None:
        self._end_cell()
        self.blocks.extend(self._tables.pop().blocks())

    def _end_date(self, tag: str, closed: bool) -> None:
        held, self._date = self._date or [], None
        text = "".join(piece for piece, _ in held)
        published = parse_date(text) or _feed_date(text)
        if published is None and not closed:
            for piece, at in held:  # an element left open, and no date: the article's text
                self._text(piece, at)
        elif self.meta.published is None and text.strip():
            self._read_date(tag, text, published)

    def _read_date(self, tag: str, text: str, published: dt.date | None) -> None:
        if published is None:
            self.meta.warnings.append(f"unreadable date {text.strip()!r} in <{tag}>; ignored")
        elif published_out_of_range(published):
            self.meta.warnings.append(f"{published_out_of_range(published)} in <{tag}>; ignored")
        else:
            self.meta.published = published

    def _read_meta(self, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        key = (values.get("name") or values.get("property") or values.get("itemprop") or "").lower()
        if key in _DATE_META and self.meta.published is None:
            published = parse_date(values.get("content", ""))
            if published is None and values.get("content"):
                self.meta.warnings.append(
                    f"unreadable date {values['content']!r} in <meta {key}>; ignored"
                )
            elif published is not None and published_out_of_range(published):
                self.meta.warnings.append(f"{published_out_of_range(published)} in <meta {key}>; ignored")
                published = None
            self.meta.published = published

    # Text -----------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        # One piece per word: the browser shows any run of whitespace as one space, and
        # the sentence text does the same while each word keeps its own position.
        if self._skip:
            return
        if self._title is not None:
            self._title.append(data)
            return
        if self._date is not None:
            if sum(len(piece) for piece, _ in self._date) + len(data) <= _DATE_CHARS:
                self._date.append((data, self.getpos()))
                return
            # no date runs this long: an element left open, whose text is the article's
            held, self._date = self._date, None
            for piece, at in held:
                self._text(piece, at)
        self._text(data, self.getpos())

    def _text(self, data: str, at: tuple[int, int]) -> None:
        line, offset = at
        for index, segment in enumerate(data.split("\n")):
            base = offset if index == 0 else 0
            if index:
                self._space = True
            for match in WORD.finditer(segment):
                if match.start():
                    self._space = True
                self._add(match.group(), line + index, base + match.start() + 1)
            if segment[-1:].isspace():
                self._space = True

    def _add(self, text: str, line: int, column: int) -> None:
        self._block.pieces.append(Piece(text, line, column, space_before=self._space))
        self._space = False

    def _entity(self, text: str) -> None:
        if self._skip:
            return
        if self._title is not None:
            self._title.append(text)
            return
        if self._date is not None:
            self.handle_data(text)  # "Tue,&nbsp;18 Feb 2025": the date's own text
            return
        if not text.strip():
            self._space = True
            return
        line, offset = self.getpos()
        self._add(text, line, offset + 1)

    def handle_entityref(self, name: str) -> None:
        text = html.unescape(f"&{name};")
        # A bare ampersand in "S&P 500" reaches here as an entity named "P".
        self._entity(f"&{name}" if text == f"&{name};" else text)

    def handle_charref(self, name: str) -> None:
        self._entity(html.unescape(f"&#{name};"))

    def close(self) -> None:
        super().close()
        self._flush()
        while self._tables:  # a table left open runs to the end of the page
            self._end_table()
        if self.meta.title is None:
            self.meta.title = self._first_h1


def _xml_reference(tag: str) -> bool:
    return tag in _XML_REFERENCES or tag.endswith(("_id", "-id"))


def _feed_date(text: str) -> dt.date | None:
    """RSS writes dates as e-mail does ("Tue, 18 Feb 2025 14:40:02 +1100")."""
    try:
        return email.utils.parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def html_blocks(text: str) -> tuple[list[Block], Meta]:
    parser = _ArticleHTMLParser()
    # A browser reads an unclosed <!-- as a comment to the end; the stdlib parser rescans
    # the rest of the page from every later '<' (quadratic), so it never sees that part.
    unclosed = text.find("<!--", closed_prefix(text))
    parser.feed(text if unclosed < 0 else text[:unclosed])
    parser.close()
    return parser.blocks, parser.meta
