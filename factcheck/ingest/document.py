"""One article's text to a ``Document``: ``parse_document`` picks the format's parser,
cleans the blocks, splits sentences and records where each sits in the file.
"""

from __future__ import annotations

import datetime as dt
import re

from factcheck.errors import InputFileError
from factcheck.ingest.blocks import Meta
from factcheck.ingest.boilerplate import clean_blocks
from factcheck.ingest.discover import SUPPORTED_SUFFIXES
from factcheck.ingest.html import html_blocks
from factcheck.ingest.markdown import markdown_blocks
from factcheck.ingest.plaintext import text_blocks
from factcheck.ingest.sentences import MAX_SENTENCE_CHARS, MAX_SENTENCES, sentence_spans
from factcheck.ingest.suppress_comments import suppressions
from factcheck.models import Document, Sentence
from factcheck.textguard import as_shown

_MARKDOWN_SUFFIXES = (".md", ".markdown")
_HTML_SUFFIXES = (".html", ".htm")
# A text file that is markup: an XML declaration or an HTML document type or root first.
_MARKUP = re.compile(r"\s*<(?:\?xml\b|!doctype\s+html\b|html\b)", re.IGNORECASE)


def parse_document(
    text: str,
    display: str,
    *,
    suffix: str,
    published: dt.date | None = None,
    boilerplate: frozenset[str] = frozenset(),
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    max_sentences: int = MAX_SENTENCES,
) -> Document:
    """Turn one article's text into a ``Document``.

    ``suffix`` picks the format.  ``published`` is used when the file itself gives no
    date (front matter ``date``, ``<meta name="date">``).  Lines in ``boilerplate``
    (see ``repeated_lines``) are dropped.  Raises ``InputFileError`` for malformed
    front matter, a sentence over ``max_sentence_chars`` and more than ``max_sentences``
    sentences.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    suffix = suffix.lower()
    code_lines: set[int] = set()
    if suffix in _MARKDOWN_SUFFIXES:
        blocks, meta, code_lines = markdown_blocks(text, lines, display)
    elif suffix in _HTML_SUFFIXES:
        blocks, meta = html_blocks(text)
    elif suffix == ".txt" and _MARKUP.match(text):
        # a page saved as text with its markup (an XML export, an HTML page): its tags
        # are no words of the article, and its date element is its date
        blocks, meta = html_blocks(text)
    elif suffix == ".txt":
        blocks, meta = text_blocks(lines), Meta()
    else:
        raise ValueError(f"unsupported suffix {suffix!r}; expected one of {SUPPORTED_SUFFIXES}")

    sentences: list[Sentence] = []
    for paragraph, block in enumerate(clean_blocks(blocks, lines, boilerplate)):
        joined, starts = block.joined()
        if block.kind == "table":
            # one figure cell, read with its row and column: never split at a full stop
            piece = block.pieces[0]
            if len(sentences) == max_sentences:
                raise InputFileError(display, f"more than {max_sentences:,} sentences; file skipped", line=piece.line)
            sentences.append(
                Sentence(text=as_shown(joined), line=piece.line, column=piece.column, paragraph=paragraph,
                         quote=as_shown(block.quote or joined), label=as_shown(block.label) if block.label else None)
            )
            continue
        piece_index = 0
        for start, end in sentence_spans(joined, max_sentences - len(sentences)):
            while piece_index + 1 < len(starts) and starts[piece_index + 1] <= start:
                piece_index += 1
            piece = block.pieces[piece_index]
            if len(sentences) == max_sentences:
                raise InputFileError(display, f"more than {max_sentences:,} sentences; file skipped", line=piece.line)
            if end - start > max_sentence_chars:
                # Refused, not cut: a truncated sentence could hide or invent a conflict.
                raise InputFileError(
                    display,
                    f"sentence of {end - start:,} characters, over max_sentence_chars ({max_sentence_chars:,}); file skipped",
                    line=piece.line,
                )
            sentences.append(
                Sentence(
                    # Positions come from the text as written; what is read is what a reader sees.
                    text=as_shown(joined[start:end]),
                    line=piece.line,
                    column=piece.column + start - starts[piece_index],
                    paragraph=paragraph,
                    heading=block.kind == "heading",
                )
            )
    if not sentences:
        # Not an error (a stub page is a file too), but never a silent pass: say so.
        meta.warnings.append("no article text found (only markup, code, front matter or boilerplate); nothing in it was checked")
    return Document(
        path=display,
        published=meta.published or published,
        title=as_shown(meta.title) if meta.title else meta.title,
        source=meta.source,
        sentences=sentences,
        warnings=[f"{display}: {warning}" for warning in meta.warnings],
        suppressions=suppressions(lines, code_lines),
    )
