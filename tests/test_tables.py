"""Pipe tables (factcheck/ingest/tables.py): each figure cell read with its row label and
column header, quoted as its row, in Markdown and in plain text, and checked against prose."""

from __future__ import annotations

import datetime as dt

import pytest

from factcheck.api import check
from factcheck.gate.config import Settings
from factcheck.ingest import parse_document
from factcheck.ingest.tables import row_cells
from factcheck.normalize import extract_claims

TABLE = """\
| Segment | Q3 Fiscal 2025 Revenue | Q3 Fiscal 2024 Revenue | Year-over-Year Change |
|---|---|---|---|
| Cloud | $4.1 billion | $3.6 billion | +14% |
| Devices | $912 million | $1.02 billion | -11% |
"""

ARTICLE = """\
Harlow Systems third-quarter results

Harlow Systems Inc. reported results for its fiscal third quarter on Tuesday.

{table}
Harlow Systems said demand for its cloud products stayed strong.
"""


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_each_figure_cell_is_a_claim_quoting_its_row(rules, suffix):
    text = ARTICLE.format(table=TABLE)
    doc = parse_document(text, f"t{suffix}", suffix=suffix, published=dt.date(2025, 10, 14))
    claims = extract_claims(doc, rules)
    in_table = [c for c in claims if c.sentence.startswith("|")]
    assert [c.text for c in in_table] == ["$4.1 billion", "$3.6 billion", "+14%", "$912 million", "$1.02 billion", "-11%"]
    lines = text.split("\n")
    for c in in_table:
        # the claim points at its row, and quotes it as written
        assert lines[c.line - 1] == c.sentence
        assert c.text in c.sentence
        assert c.column == 1


def test_cells_take_their_column_period_and_their_row_part(rules):
    doc = parse_document(ARTICLE.format(table=TABLE), "t.md", suffix=".md", published=dt.date(2025, 10, 14))
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    this_year, last_year = by_text["$4.1 billion"], by_text["$3.6 billion"]
    assert this_year.metric == last_year.metric == "revenue"
    # two columns, two years: one row is never one period
    assert this_year.period is not None and last_year.period is not None
    assert "2025" in this_year.period.text and "2024" in last_year.period.text
    # a segment's row is that segment's figure, not the company's whole revenue
    assert "cloud" in this_year.qualifiers and "devices" in by_text["$912 million"].qualifiers
    assert this_year.subject == "Harlow Systems"


def test_a_table_row_is_not_a_menu_or_a_heading():
    counts = "| Region | Stores |\n|---|---|\n| North | 120 |\n| South | 95 |\n| West | 64 |\n"
    doc = parse_document("Brindle Foods counts its stores by region.\n\n" + counts, "t.md", suffix=".md")
    rows = [s for s in doc.sentences if s.quote is not None]
    assert [s.label for s in rows] == ["North", "South", "West"]
    assert not any(s.heading for s in rows)


def test_prose_around_a_text_table_keeps_its_paragraphs():
    text = "Sales rose 4% in the quarter.\n\n" + TABLE + "\nMargins were 31%.\n"
    doc = parse_document(text, "t.txt", suffix=".txt")
    prose = [s.text for s in doc.sentences if s.quote is None]
    assert prose == ["Sales rose 4% in the quarter.", "Margins were 31%."]


def test_row_cells_positions_and_escaped_pipes():
    line = "| A \\| B | $5 |"
    cells = row_cells(line)
    assert [c.text for c in cells] == ["A | B", "$5"]
    assert line[cells[1].column - 1 :].startswith("$5")


def test_a_segment_row_against_the_same_segment_in_prose(tmp_path):
    (tmp_path / "table.md").write_text("---\ndate: 2025-10-14\n---\n\n" + ARTICLE.format(table=TABLE), encoding="utf-8")
    (tmp_path / "wire.md").write_text(
        "---\ndate: 2025-10-14\n---\n\nHarlow Systems said revenue in its cloud segment rose 14% to $1.4 billion"
        " in the fiscal third quarter of 2025.\n",
        encoding="utf-8",
    )
    report = check([tmp_path / "table.md", tmp_path / "wire.md"], settings=Settings(nli="off", cache=False))
    pairs = [{(c.text, c.sentence.split("|")[1].strip() if c.sentence.startswith("|") else "prose") for c in f.claims} for f in report.findings]
    # the cloud row's revenue against the cloud segment's in prose (digits swapped)...
    assert {("$4.1 billion", "Cloud"), ("$1.4 billion", "prose")} in pairs
    # ...and never a devices row, or last year's column, against this year's cloud figure
    assert not any(row in ("Devices",) or text == "$3.6 billion" for pair in pairs for text, row in pair)


def test_a_change_column_measures_what_the_other_columns_measure(rules):
    # "Year-over-Year Change" names no measure: the row's change is of the revenue the
    # two period columns give, so it is that segment's revenue growth
    doc = parse_document(ARTICLE.format(table=TABLE), "t.md", suffix=".md", published=dt.date(2025, 10, 14))
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    growth = by_text["+14%"]
    assert growth.metric == by_text["-11%"].metric == "revenue_growth"
    assert "cloud" in growth.qualifiers and "devices" in by_text["-11%"].qualifiers


def test_a_change_column_under_period_columns_reads_as_its_row(rules):
    # the period columns share only when ("Q2 Fiscal"), no measure: the row label names it
    table = """\
| Metric | Q2 Fiscal 2025 | Q2 Fiscal 2024 | Year-over-Year Change |
|---|---|---|---|
| Operating income | $1.3 billion | $0.8 billion | +62% |
| Net income | $0.9 billion | $0.5 billion | +80% |
"""
    doc = parse_document(ARTICLE.format(table=table), "t.md", suffix=".md", published=dt.date(2025, 10, 14))
    change = [s.text for s in doc.sentences if s.text.endswith("+80%")]
    assert change == ["Net income year-over-year change: +80%"]
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    assert by_text["$0.9 billion"].metric == by_text["$0.5 billion"].metric != by_text["$1.3 billion"].metric


def test_a_basis_in_a_title_case_row_label_qualifies_its_cells(rules):
    # "Adjusted EPS" as a row label: the tagger reads the capitalised basis as part of a
    # name, and the row's figures are still the adjusted ones, not the GAAP ones below
    table = """\
| Metric | Q2 Fiscal 2025 | Q2 Fiscal 2024 |
|---|---|---|
| Adjusted EPS (dollars) | $1.18 | $0.97 |
| GAAP EPS (dollars) | $0.91 | $0.66 |
"""
    doc = parse_document(ARTICLE.format(table=table), "t.md", suffix=".md", published=dt.date(2025, 10, 14))
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    assert by_text["$1.18"].metric == by_text["$0.91"].metric == "eps"
    assert "adjusted" in by_text["$1.18"].qualifiers and "adjusted" in by_text["$0.97"].qualifiers
    assert "adjusted" not in by_text["$0.91"].qualifiers


def test_a_percent_column_that_names_its_own_measure_is_no_change_column(rules):
    # "Operating margin (%)" is a level of its own, not the change of the revenue beside it
    table = """\\
| Segment | Q3 Fiscal 2025 Revenue | Operating Margin (%) |
|---|---|---|
| Cloud | $4.1 billion | 31% |
"""
    doc = parse_document(ARTICLE.format(table=table), "t.md", suffix=".md", published=dt.date(2025, 10, 14))
    margin = [s.text for s in doc.sentences if s.text.endswith("31%")]
    assert margin == ["Cloud operating margin (%): 31%"]
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    assert by_text["31%"].metric != "revenue_growth"


# Scraped pages lose their blank lines: a table, a line of prose and a second table, one
# under the other.
RUN_TOGETHER = """\
Brackley Foods posted its fiscal second-quarter results on Thursday.

| Line item | Q2 Fiscal 2025 | Q2 Fiscal 2024 |
|---|---|---|
| Net sales | $3.2 billion | $3.0 billion |
Brackley Foods said its bakery arm grew fastest, with sales up 9% to $410 million.
| Segment | Q2 Fiscal 2025 Operating Income | Q2 Fiscal 2024 Operating Income |
|---|---|---|
| Bakery | $58 million | $51 million |
| Dairy | $44 million | $47 million |
"""


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_second_table_run_into_the_first_keeps_its_own_columns(rules, suffix):
    # CommonMark's tables run on to the next blank line, so in Markdown the prose and the
    # second table were rows of the first: the bakery's operating income read under the
    # first table's columns, as if it were a figure of no measure, and the prose unread
    doc = parse_document(RUN_TOGETHER, f"t{suffix}", suffix=suffix, published=dt.date(2025, 4, 10))
    readings = [s.text for s in doc.sentences if s.quote is not None]
    assert "Bakery Q2 fiscal 2025 operating income: $58 million" in readings
    assert "Net sales Q2 fiscal 2025: $3.2 billion" in readings
    prose = [s.text for s in doc.sentences if s.quote is None]
    assert "Brackley Foods said its bakery arm grew fastest, with sales up 9% to $410 million." in prose
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    assert by_text["$58 million"].metric == by_text["$44 million"].metric == "operating_profit"
    assert by_text["$410 million"].metric == "revenue"


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_table_that_ends_the_article_keeps_its_last_cell(rules, suffix):
    # the last figure of a page that stops mid-sentence is dropped as cut off ("profits
    # of $3" may have been "$3 billion"); a table's last cell is whole
    doc = parse_document(ARTICLE.format(table=TABLE).split("Harlow Systems said demand")[0], f"t{suffix}", suffix=suffix,
                         published=dt.date(2025, 10, 14))
    texts = [c.text for c in extract_claims(doc, rules)]
    assert texts[-3:] == ["$912 million", "$1.02 billion", "-11%"]


HTML_ARTICLE = """\
<html><head><title>Harlow Systems third-quarter results</title></head><body>
<p>Harlow Systems Inc. reported results for its fiscal third quarter on Tuesday.</p>
<table>
<thead><tr><th>Segment</th><th>Q3 Fiscal 2025 Revenue</th><th>Q3 Fiscal 2024 Revenue</th><th>Year-over-Year Change</th></tr></thead>
<tbody>
<tr><td>Cloud</td><td>$4.1 billion</td><td>$3.6 billion</td><td>+14%</td></tr>
<tr><td>Devices</td><td><b>$912</b> million</td><td>$1.02 billion</td><td>-11%</td></tr>
</tbody>
</table>
<p>Harlow Systems said demand for its cloud products stayed strong.</p>
</body></html>
"""


def test_an_html_table_is_read_as_a_pipe_table_is(rules):
    # each cell had been a paragraph of its own: "$4.1 billion" with no measure and no year
    doc = parse_document(HTML_ARTICLE, "t.html", suffix=".html", published=dt.date(2025, 10, 14))
    cells = [s for s in doc.sentences if s.quote is not None]
    assert [s.text for s in cells][:2] == ["Cloud Q3 fiscal 2025 revenue: $4.1 billion", "Cloud Q3 fiscal 2024 revenue: $3.6 billion"]
    assert cells[0].quote == "Cloud | $4.1 billion | $3.6 billion | +14%"
    lines = HTML_ARTICLE.split("\n")
    # each cell points at itself in the page
    assert lines[cells[0].line - 1][cells[0].column - 1 :].startswith("$4.1 billion")
    by_text = {c.text: c for c in extract_claims(doc, rules)}
    assert by_text["$4.1 billion"].metric == by_text["$912 million"].metric == "revenue"
    assert "cloud" in by_text["$4.1 billion"].qualifiers and "devices" in by_text["$912 million"].qualifiers
    assert "2024" in by_text["$1.02 billion"].period.text
    assert by_text["-11%"].metric == "revenue_growth"
    prose = [s.text for s in doc.sentences if s.quote is None]
    assert prose == ["Harlow Systems Inc. reported results for its fiscal third quarter on Tuesday.",
                     "Harlow Systems said demand for its cloud products stayed strong."]


def test_a_table_that_lays_out_a_page_keeps_its_paragraphs():
    # a page laid out in a table (prose in its cells, or a table inside a cell) is no
    # table of figures: its cells are read as paragraphs
    prose = "Harlow Systems said revenue in its cloud segment rose 14% to $4.1 billion in the fiscal third quarter of 2025."
    page = f"<table><tr><td><p>{prose}</p></td><td>Shares rose 3% on the news.</td></tr><tr><td>Analysts had expected less.</td></tr></table>"
    doc = parse_document(page, "t.html", suffix=".html")
    assert [s.text for s in doc.sentences] == [prose, "Shares rose 3% on the news.", "Analysts had expected less."]
    assert all(s.quote is None for s in doc.sentences)
    nested = "<table><tr><td><table><tr><th>Unit</th><th>2025</th></tr><tr><td>Cloud</td><td>$4.1 billion</td></tr></table></td></tr></table>"
    doc = parse_document(nested, "t.html", suffix=".html")
    assert [s.text for s in doc.sentences if s.quote is not None] == ["Cloud 2025: $4.1 billion"]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_table_stacked_right_under_another_keeps_its_own_columns(suffix):
    # no line of prose between: the second header row and its delimiter row are no rows
    # of the first table
    stacked = "\n".join(line for line in RUN_TOGETHER.split("\n") if not line.startswith("Brackley Foods said"))
    doc = parse_document(stacked, f"t{suffix}", suffix=suffix, published=dt.date(2025, 4, 10))
    readings = [s.text for s in doc.sentences if s.quote is not None]
    assert readings == [
        "Net sales Q2 fiscal 2025: $3.2 billion", "Net sales Q2 fiscal 2024: $3.0 billion",
        "Bakery Q2 fiscal 2025 operating income: $58 million", "Bakery Q2 fiscal 2024 operating income: $51 million",
        "Dairy Q2 fiscal 2025 operating income: $44 million", "Dairy Q2 fiscal 2024 operating income: $47 million",
    ]


def test_an_html_table_without_a_header_row_reads_its_first_row(rules):
    # a fact box ("Revenue | $5.2 billion") has no header: its first row is a row of
    # figures, read with its label, not taken for column headers and lost
    page = """<p>Corvane Freight reported second-quarter results on Tuesday.</p>
<table><tr><td>Revenue</td><td>$5.2 billion</td></tr><tr><td>Net income</td><td>$410 million</td></tr></table>
<table><tr><td></td><td>Q2 2025</td><td>Q2 2024</td></tr><tr><td>Revenue</td><td>$5.2 billion</td><td>$4.9 billion</td></tr></table>"""
    doc = parse_document(page, "t.html", suffix=".html", published=dt.date(2025, 7, 29))
    assert [s.text for s in doc.sentences if s.quote is not None] == [
        "Revenue: $5.2 billion", "Net income: $410 million", "Revenue Q2 2025: $5.2 billion", "Revenue Q2 2024: $4.9 billion",
    ]
    by_text = {(c.text, c.line): c for c in extract_claims(doc, rules)}
    assert by_text[("$5.2 billion", 2)].metric == "revenue" and by_text[("$410 million", 2)].metric == "profit"
