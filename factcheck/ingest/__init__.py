"""Stage 1 of the pipeline: article files in, ``Document``s out.

Every later stage works on sentences, so this stage decides what counts as article text
and where each sentence sits in the original file.  One module per concern:

* ``discover``: the paths given expanded into article files (folders walked, excludes,
  hidden entries, symlinks leaving the folder, FIFOs and devices skipped).
* ``decode``: ``read_text`` turns bytes into text (BOMs, UTF-16/32 sniffing, UTF-8,
  falling back to cp1252 with a warning; binary, empty and oversized files refused).
* ``document``: ``parse_document`` is pure, one text in, one ``Document`` out.  It picks
  the format's parser, each turning text into ``blocks`` (pieces of text that keep their
  line and column) and metadata:
  ``markdown`` through markdown-it (front matter, headings, paragraphs, list items,
  quotes; code and HTML blocks skipped), with ``frontmatter`` reading the YAML date and
  title; ``html`` through the stdlib parser (scripts, navigation, headers and footers
  dropped; the date from ``<meta>``); ``plaintext`` a line or a blank-line paragraph at
  a time.
* ``boilerplate``: scraped pages carry site menus.  Lines repeated across many files
  (``repeated_lines``) and runs of short unpunctuated lines are dropped; a lone short
  line between paragraphs is kept as a heading because headings end the context a
  figure's time comes from.
* ``sentences``: a small rule-based splitter (pysbd is about 0.25 MB/s here, too slow for
  corpora of ten thousand articles) that knows abbreviations, initials and decimals.
  Each sentence keeps the 1-based line and column of its first character in the file as
  it is on disk, front matter included.
* ``suppress_comments``: inline ``<!-- factcheck: ... -->`` comments are collected into
  ``Document.suppressions``.
* ``articles``: ``read_articles`` takes files and in-memory ``Article``s in the order
  given; ``load_documents`` strings the stages together and collects per-file problems
  as ``InputError``s instead of raising, so one bad file never hides the report on the
  rest.
"""

from factcheck.ingest.articles import Article, ArticleText, load_documents, read_articles
from factcheck.ingest.boilerplate import repeated_lines
from factcheck.ingest.decode import MAX_FILE_BYTES, decode_article, read_text
from factcheck.ingest.discover import SUPPORTED_SUFFIXES, discover
from factcheck.ingest.document import parse_document
from factcheck.ingest.sentences import MAX_SENTENCE_CHARS, sentence_spans
from factcheck.ingest.boilerplate import boilerplate_candidate, split_lines
from factcheck.ingest.blocks import published_out_of_range

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_SENTENCE_CHARS",
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleText",
    "boilerplate_candidate",
    "decode_article",
    "discover",
    "load_documents",
    "read_articles",
    "parse_document",
    "published_out_of_range",
    "read_text",
    "repeated_lines",
    "sentence_spans",
    "split_lines",
]
