"""Articles in, texts and Documents out: ``read_articles`` takes files and in-memory
``Article``s in the order given; ``load_documents`` strings discovery, reading and parsing
together, collecting per-file problems as ``InputError``s instead of raising, so one bad
file never hides the report on the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FactcheckError, InputFileError, debugging, internal_error_message
from factcheck.ingest.blocks import published_out_of_range
from factcheck.ingest.boilerplate import repeated_lines
from factcheck.ingest.decode import MAX_FILE_BYTES, read_text
from factcheck.ingest.discover import SUPPORTED_SUFFIXES, discover
from factcheck.ingest.document import parse_document
from factcheck.models import Document, InputError


@dataclass(frozen=True)
class Article:
    """An article given as text rather than a file: a draft in an editor, a row of an archive."""

    text: str
    name: str  # the display path findings cite
    published: dt.date | None = None  # used when the text carries no date of its own
    format: str = "md"  # md, markdown, txt, html or htm

    def __post_init__(self) -> None:
        if "." + self.format.lower().lstrip(".") not in SUPPORTED_SUFFIXES:
            raise ValueError(f"Article format must be one of {', '.join(s[1:] for s in SUPPORTED_SUFFIXES)}, not {self.format!r}")
        if self.published is not None and published_out_of_range(self.published):
            raise ValueError(f"Article {self.name!r}: published {published_out_of_range(self.published)}")


@dataclass(frozen=True)
class ArticleText:
    """An article read and decoded, before parsing."""

    display: str
    text: str
    suffix: str  # picks the parser: ".md", ".html", ...
    warnings: list[str]
    published: dt.date | None = None  # an in-memory Article's own date


def read_articles(
    items: Iterable[str | Path | Article],
    excluded: Callable[[str], bool] | None = None,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    warnings: list[str] | None = None,
) -> tuple[list[ArticleText], list[InputError]]:
    """Discover and read every article; unreadable ones come back as ``InputError``s.

    In-memory Articles keep their place among the files, so that order (and so which
    copy of a repeated file keeps its display path) follows the order given.
    """
    texts: list[ArticleText] = []
    errors: list[InputError] = []
    paths: list[str] = []

    def read_paths() -> None:
        files, found_errors = discover(paths, excluded, warnings)
        errors.extend(found_errors)
        for path, display in files:
            try:
                text, decoded = read_text(path, display, max_file_bytes)
            except InputFileError as exc:
                errors.append(InputError(path=exc.path, line=exc.line, message=exc.message))
                continue
            texts.append(ArticleText(display, text, path.suffix, decoded))
        paths.clear()

    for item in items:
        if isinstance(item, Article):
            read_paths()
            if len(item.text.encode("utf-8", "surrogatepass")) > max_file_bytes:
                errors.append(InputError(path=item.name, message=f"article is over max_file_bytes ({max_file_bytes:,}); skipped"))
                continue
            texts.append(ArticleText(item.name, item.text, "." + item.format.lower().lstrip("."), [], item.published))
        else:
            paths.append(str(item))
    read_paths()
    return texts, errors


def load_documents(
    paths: list[str], default_date: dt.date | None = None
) -> tuple[list[Document], list[InputError]]:
    """Discover, read and parse every article; problems come back as ``InputError``s.

    Parse only, guarded as pipeline.article_claims guards each article: an article that
    fails is an InputError naming it, and only FactcheckError (a problem of the whole
    run) propagates. Ingest sits below the pipeline, so this loop is its own.
    """
    texts, errors = read_articles(paths)
    boilerplate = repeated_lines(t.text for t in texts)
    documents: list[Document] = []
    for article in texts:
        try:
            document = parse_document(
                article.text, article.display, suffix=article.suffix, published=article.published or default_date, boilerplate=boilerplate
            )
        except InputFileError as exc:
            errors.append(InputError(path=exc.path, line=exc.line, message=exc.message))
            continue
        except FactcheckError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad article must not hide the rest
            if debugging():
                raise
            errors.append(InputError(path=article.display, message=internal_error_message(exc)))
            continue
        if article.warnings:  # read warnings (how the file was decoded) come first
            document = document.model_copy(update={"warnings": [*article.warnings, *document.warnings]})
        documents.append(document)
    return documents, errors
