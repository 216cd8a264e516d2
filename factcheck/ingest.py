"""Stage 1 of the pipeline: article files in, ``Document``s out.

Every later stage works on sentences, so this stage decides what counts as article text
and where each sentence sits in the original file:

* ``discover`` expands the command-line paths into files, ``read_text`` turns bytes into
  text (UTF-8, falling back to cp1252 with a warning; binary and empty files are refused).
* ``parse_document`` is pure: one text in, one ``Document`` out.  Markdown goes through
  markdown-it (front matter, headings, paragraphs, list items, quotes; code and HTML
  blocks skipped), HTML through the stdlib parser (scripts, navigation, headers and
  footers dropped), plain text is taken a line or a blank-line paragraph at a time.
* Scraped pages carry site menus.  Lines repeated across many files (``repeated_lines``)
  and runs of short unpunctuated lines are dropped; a lone short line between paragraphs
  is kept as a heading because headings end the context a figure's time comes from.
* Sentences are split by a small rule-based splitter (pysbd is about 0.25 MB/s here,
  too slow for corpora of ten thousand articles) that knows abbreviations, initials and
  decimals.  Each sentence keeps the 1-based line and column of its first character in
  the file as it is on disk, front matter included.
* Inline ``<!-- factcheck: ... -->`` comments are collected into ``Document.suppressions``.

``load_documents`` strings these together and collects per-file problems as
``InputError``s instead of raising, so one bad file never hides the report on the rest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from factcheck.errors import InputFileError
from factcheck.models import Document, InputError, Sentence

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleText",
    "discover",
    "load_documents",
    "read_articles",
    "parse_document",
    "read_text",
    "repeated_lines",
    "sentence_spans",
]

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_HTML_SUFFIXES = (".html", ".htm")

# Boilerplate and menu heuristics, tuned on real scraped finance pages: their menu items
# run up to 8 words ("Hold GT and get massive airdrops for free") while their section
# headings are single lines of up to ~18 words between long paragraphs.
BOILERPLATE_MAX_CHARS = 120
MENU_MAX_WORDS = 8
MENU_MIN_RUN = 3
HEADING_MAX_WORDS = 20

# A wrapped plain-text file has lines no longer than this; scraped pages put whole
# paragraphs on one line and so are far longer.
_WRAP_MAX_CHARS = 100

# A line that ends a sentence: terminal punctuation, perhaps inside closing quotes.  A
# headline ending in a quoted phrase ("... of "Self-Sustaining Cash Flow"") does not.
_TERMINAL_END = re.compile(r"""[.!?:;…。！？]["”’')\]]*$""")
# Sentence punctuation inside a line: "rose 5%. Then" has it, "U.S. stock CFD" does not.
# libyaml's loader when pyyaml was built with it: the pure-Python one was 15% of the time of
# a 10,000-article run, spent on three front-matter keys per article.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INNER_SENTENCE_END = re.compile(r"""[.!?;:]["”’)]?\s+[A-Z"“‘(]""")
# A figure a claim could be made of.  Lines carrying one are never treated as site
# furniture: syndicated copies of the same sentence must still reach the checker.
_FIGURE = re.compile(
    r"\d\s*(?:%|percent\b|per cent\b|bps\b|basis points?\b|[mbt]n\b|million\b|billion\b|trillion\b)"
    r"|[$€£¥₩]\s*\d",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(r"^(?:[#@][\w.-]+|https?://\S+)(?:\s+(?:[#@][\w.-]+|https?://\S+))*$")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙–—]|[-*+](?=\s))\s*")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\S+")

_SUPPRESS = re.compile(
    r"<!--\s*factcheck\s*:\s*(ignore-file|ignore|off|on)\b(.*?)-->", re.IGNORECASE
)
_CODE = re.compile(r"[A-Za-z]+\d+")


# --------------------------------------------------------------------------- discovery


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _display(given: str, rel: Path) -> str:
    if os.path.normpath(given) == ".":
        return rel.as_posix()
    return os.path.join(given, rel.as_posix())


def _regular_inside(path: Path, root: Path | None) -> str | None:
    """Why a walked entry is not read, or None when it is a regular file we may read.

    Symlinks are followed only to files inside ``root`` (the folder the walk started
    from): a pull request can add ``article.md -> /etc/passwd``, and its lines would be
    quoted in public annotations. FIFOs block a reader forever and devices never end.
    """
    try:
        link = path.is_symlink()
        if link:
            target = path.resolve(strict=True)
            if root is not None and not target.is_relative_to(root):
                return "symlink to a file outside the folder given; skipped"
        mode = path.stat().st_mode
    except RuntimeError:  # a symlink loop on Python < 3.13
        return "symlink loop; skipped"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "symlink loop; skipped"
        return f"cannot read: {exc.strerror or exc}; skipped"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a file; skipped"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file; skipped"
    if stat.S_ISDIR(mode):
        return "symlink to a folder; not followed" if link else None
    return "not a regular file; skipped"


def discover(
    paths: list[str],
    excluded: Callable[[str], bool] | None = None,
    warnings: list[str] | None = None,
) -> tuple[list[tuple[Path, str]], list[InputError]]:
    """Expand files and folders into (file, display path) pairs, in a stable order.

    Folders are walked recursively, hidden entries (``.git``, editor droppings) skipped,
    and only ``SUPPORTED_SUFFIXES`` taken.  A file named on the command line must carry
    a supported suffix too: reading a ``.csv`` or ``.json`` as prose would only produce
    nonsense sentences.  A file reached twice is listed once.  ``excluded`` (a display
    path or folder -> skip it) prunes folders and files while walking.  Entries a walk
    will not read (symlinks leaving the folder, loops, FIFOs, devices) are skipped with
    a line in ``warnings``.
    """
    found: list[tuple[Path, str]] = []
    errors: list[InputError] = []
    seen: set[Path] = set()
    warned = warnings if warnings is not None else []

    def add(path: Path, display: str) -> None:
        if excluded is not None and excluded(display):
            return
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, display))

    for given in paths:
        root = Path(given)
        if root.is_dir():
            real_root = root.resolve()
            rels: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(root):
                here = Path(dirpath).relative_to(root)
                kept_dirs = []
                for d in dirnames:
                    if d.startswith(".") or (excluded and excluded(_display(given, here / d))):
                        continue
                    if (Path(dirpath) / d).is_symlink():  # os.walk does not descend; say so
                        warned.append(f"{_display(given, here / d)}: symlink to a folder; not followed")
                        continue
                    kept_dirs.append(d)
                dirnames[:] = kept_dirs
                for name in filenames:
                    full = Path(dirpath) / name
                    if name.startswith(".") or not _is_supported(full):
                        continue
                    why = _regular_inside(full, real_root)
                    if why is not None:
                        warned.append(f"{_display(given, here / name)}: {why}")
                        continue
                    rels.append(full.relative_to(root))
            if not rels:
                errors.append(
                    InputError(
                        path=given,
                        message=f"no articles ({', '.join(SUPPORTED_SUFFIXES)}) in folder",
                    )
                )
            for rel in sorted(rels, key=lambda p: p.parts):
                add(root / rel, _display(given, rel))
        elif root.is_file():
            if not _is_supported(root):
                errors.append(
                    InputError(
                        path=given,
                        message="unsupported file type; expected one of "
                        + ", ".join(SUPPORTED_SUFFIXES),
                    )
                )
            elif root.is_symlink() and not root.resolve().is_relative_to(Path.cwd().resolve()):
                # Named on the command line, yet a link a pull request may have planted.
                errors.append(InputError(path=given, message="symlink to a file outside the current folder; not read"))
            else:
                add(root, given)
        elif root.exists():
            errors.append(InputError(path=given, message="not a regular file or folder"))
        else:
            try:
                root.resolve(strict=True)
            except RuntimeError:
                errors.append(InputError(path=given, message="symlink loop"))
                continue
            except OSError as exc:
                if exc.errno == 40:
                    errors.append(InputError(path=given, message="symlink loop"))
                    continue
            errors.append(InputError(path=given, message="no such file or directory"))
    return found, errors


# --------------------------------------------------------------------------- reading

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_FILE_BYTES = 5_000_000
# A sentence longer than this is not prose (a table dumped on one line, a minified page,
# a hostile file): extraction's cost grows faster than linearly within one sentence.
MAX_SENTENCE_CHARS = 20_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _sniff_wide(data: bytes) -> str | None:
    """UTF-16/32 without a BOM: mostly-ASCII text leaves NULs in fixed byte lanes."""
    sample = data[:4096]
    n = len(sample)
    if n < 4 or b"\x00" not in sample:
        return None
    lanes = [sample[i::4].count(0) / max(len(sample[i::4]), 1) for i in range(4)]
    if len(data) % 4 == 0:
        if lanes[0] < 0.1 and min(lanes[1:]) > 0.9:
            return "utf-32-le"
        if lanes[3] < 0.1 and min(lanes[:3]) > 0.9:
            return "utf-32-be"
    if len(data) % 2 == 0:
        even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        if even < 0.1 and odd > 0.6:
            return "utf-16-le"
        if odd < 0.1 and even > 0.6:
            return "utf-16-be"
    return None


def _read_bytes(path: Path, display: str, max_bytes: int) -> bytes:
    # O_NONBLOCK: a FIFO swapped in after discovery must not block the run; fstat on the
    # open file decides, so nothing can change between the check and the read.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputFileError(display, f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(display, "not a regular file; skipped")
        if info.st_size > max_bytes:
            raise InputFileError(display, f"file is {info.st_size:,} bytes, over max_file_bytes ({max_bytes:,}); skipped")
        try:
            data = f.read(max_bytes + 1)
        except OSError as exc:
            raise InputFileError(display, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputFileError(display, f"file is over max_file_bytes ({max_bytes:,}); skipped")
    return data


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, list[str]]:
    """Decode an article file; refuse binary and empty ones.

    UTF-8 (with or without BOM), UTF-16 and UTF-32 (BOM, or NUL lanes of ASCII text),
    then cp1252. Returns the text and any warnings.  The file is only read, never
    rewritten.
    """
    data = _read_bytes(path, display, max_bytes)
    warnings: list[str] = []
    wide = next((codec for bom, codec in _BOMS if data.startswith(bom) and codec != "utf-8"), None)
    if wide is not None:
        data = data[len(next(bom for bom, codec in _BOMS if codec == wide)) :]
    else:
        wide = _sniff_wide(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            raise InputFileError(display, "binary file, not an article") from None
    elif b"\x00" in data:
        raise InputFileError(display, "binary file, not an article")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # cp1252 leaves five byte values undefined; latin-1 maps them so nothing is lost.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            # Genuine cp1252 prose is mostly ASCII; a high share of high bytes means binary.
            high = sum(1 for ch in text if ord(ch) > 0x7F)
            if high > 0.3 * max(len(text), 1):
                raise InputFileError(display, "binary file, not an article")
            warnings.append(f"{display}: not UTF-8; decoded as cp1252")
    if len(_CONTROL.findall(text)) > 0.05 * max(len(text), 1) or "\x00" in text:
        raise InputFileError(display, "binary file, not an article")
    if not text.strip():
        raise InputFileError(display, "empty file")
    return text, warnings


# --------------------------------------------------------------------------- boilerplate


def _boilerplate_candidate(line: str) -> bool:
    return (
        0 < len(line) <= BOILERPLATE_MAX_CHARS
        and _HAS_LETTER.search(line) is not None
        and _FIGURE.search(line) is None
    )


def repeated_lines(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Stripped lines found in at least ``min_docs`` different texts: site furniture.

    Only short lines count (menus, taglines, share buttons), and never a line carrying
    a figure, so that wire copy syndicated to several sites keeps its claims.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        lines = {line.strip() for line in _split_lines(text)}
        counts.update(line for line in lines if _boilerplate_candidate(line))
    return frozenset(line for line, n in counts.items() if n >= min_docs)


# --------------------------------------------------------------------------- sentences

# A candidate end: terminal punctuation plus closing quotes/brackets/markdown emphasis,
# followed by whitespace or the end.  CJK full stops need no space after them.
# Possessive, and never starting inside a run of punctuation: a line of a million dots
# would otherwise be rescanned from every dot (quadratic); a run that fails from its
# first mark fails from every later one too, so no sentence end is lost.
_CANDIDATE = re.compile(r"""(?<![.!?…])[.!?…]++["”’')\]*_`]*+(?=\s|$)|[。！？]+["”’」』)]*""")
_OPENERS = "\"'“‘([*_`"
# Never the end of a sentence: a title before a name, or a Latin abbreviation.
_NEVER_END = frozenset(
    "mr mrs ms mx dr prof sen rep gov gen col lt capt sgt st mt fr rev hon pres supt "
    "e.g i.e cf vs v al approx ca".split()
)
# Ends a sentence unless a number follows ("No. 1", "Jan. 5", "p. 12").
_BEFORE_NUMBER = frozenset(
    "no nos vol vols fig figs p pp art sec ch op "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Company suffixes and dotted acronyms often sit mid-sentence ("Apple Inc. shares",
# "U.S. Steel") but also end one; only a typical sentence opener after them ends it.
_MAYBE_END = frozenset(
    "inc corp co ltd llc plc lp ag sa nv bv jr sr bros dept univ assn govt etc".split()
)
_STARTERS = frozenset(
    """
    a an the this that these those it its he she they we i you his her their our my your
    in on at as but and or so yet for with from by to of after before while when whereas
    although though if since still also then there here what why how who which where
    however meanwhile moreover furthermore nonetheless nevertheless instead thus hence
    some many most other others both each such all any no not none one two three last
    next shares analysts investors according despite during over under
    """.split()
)


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


def _next_word(text: str, pos: int) -> str:
    match = _WORD.match(text, pos)
    return match.group().lstrip(_OPENERS) if match else ""


def _ends_sentence(text: str, match: re.Match[str], sentence_start: int) -> bool:
    punct = match.group()
    if punct[0] in "。！？":
        return True
    pos = match.end()
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        return True
    following = _next_word(text, pos)
    first = following[:1]
    if not first or first.islower():
        return False
    if punct[0] in "!?":
        return True
    token = _token_before(text, match.start())
    word = token.lower()
    if not token:
        return True
    # "1. Revenue grew" opening a sentence is a list marker, not a sentence of its own.
    if (
        token.isdigit()
        and len(token) <= 2
        and not text[sentence_start : match.start() - len(token)].strip()
    ):
        return False
    if first.isdigit():
        return word not in _BEFORE_NUMBER
    if word in _NEVER_END:
        return False
    is_initial = len(token) == 1 and token.isalpha() and token.isupper()
    is_acronym = (
        "." in token
        and token.replace(".", "").isalpha()
        and all(len(part) <= 2 for part in token.split("."))
    )
    if is_initial or is_acronym or word in _MAYBE_END:
        return following.lower().rstrip(",") in _STARTERS
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in ``text``, surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text, match, start):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


# --------------------------------------------------------------------------- blocks


@dataclass
class _Piece:
    """Text from one place in the file; pieces of a block are joined into its text."""

    text: str
    line: int
    column: int
    space_before: bool = True


@dataclass
class _Block:
    kind: str  # "para", "heading" (explicit) or "item" (list item)
    pieces: list[_Piece] = field(default_factory=list)
    source_lines: int = 1  # lines of prose it spans, for menu-run sizes

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


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _line_pieces(text: str, line: int, column: int) -> list[_Piece]:
    """Pieces of one source line with inline HTML comments cut out."""
    pieces: list[_Piece] = []
    pos = 0
    for match in _HTML_COMMENT.finditer(text, 0, _closed_prefix(text)):
        pieces.extend(_trimmed_piece(text[pos : match.start()], line, column + pos))
        pos = match.end()
    pieces.extend(_trimmed_piece(text[pos:], line, column + pos))
    return pieces


def _closed_prefix(text: str) -> int:
    """Where a search for ``<!-- ... -->`` may stop: past the last ``-->``, no comment can
    close, and searching there would rescan the rest of the line from every ``<!--``."""
    end = text.rfind("-->")
    return end + 3 if end >= 0 else 0


def _trimmed_piece(text: str, line: int, column: int) -> list[_Piece]:
    stripped = text.lstrip()
    column += len(text) - len(stripped)
    stripped = stripped.rstrip()
    return [_Piece(stripped, line, column)] if stripped else []


# --------------------------------------------------------------------------- markdown

_MD = MarkdownIt("commonmark").use(front_matter_plugin).enable("table")
# Keys that make an unclosed leading "---" front matter rather than a horizontal rule
# followed by prose such as "Update: shares fell".
_FRONT_MATTER_KEY = re.compile(
    r"^(?:date|title|source|author|authors|tags|slug|description|layout|published)\s*:", re.I
)


@dataclass
class _Meta:
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    warnings: list[str] = field(default_factory=list)


def _parse_date(value: object) -> dt.date | None:
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


def _front_matter_error(content: str, start_line: int, display: str, fast_error: yaml.YAMLError) -> InputFileError:
    """The one-line error for bad front matter. libyaml's loader is fast but places some
    mistakes a line late; the pure-Python loader, run only now, names the key's own line."""
    try:
        yaml.load(content, Loader=yaml.SafeLoader)
        exc = fast_error
    except yaml.YAMLError as slow_error:
        exc = slow_error
    mark = getattr(exc, "problem_mark", None)
    line = start_line + mark.line if mark is not None else start_line - 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return InputFileError(display, f"malformed front matter: {problem}", line=line)


# Front matter holds a date, a title and a few tags. Anything bigger or deeper is not an
# article's metadata, and YAML's aliases let a few hundred bytes expand to gigabytes.
FRONT_MATTER_MAX_CHARS = 64_000
FRONT_MATTER_MAX_DEPTH = 20


def _refuse_hostile_yaml(content: str, start_line: int, display: str) -> None:
    """Walk the YAML events (linear, no objects built) before anything is constructed."""
    if len(content) > FRONT_MATTER_MAX_CHARS:
        raise InputFileError(display, f"front matter over {FRONT_MATTER_MAX_CHARS:,} characters", line=start_line)
    depth = 0
    try:
        for event in yaml.parse(content, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = start_line + event.start_mark.line
                raise InputFileError(display, "malformed front matter: YAML anchors and aliases are not allowed", line=line)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > FRONT_MATTER_MAX_DEPTH:
                    line = start_line + event.start_mark.line
                    raise InputFileError(display, f"malformed front matter: nested deeper than {FRONT_MATTER_MAX_DEPTH}", line=line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as fast_error:
        raise _front_matter_error(content, start_line, display, fast_error) from None


def _front_matter(content: str, start_line: int, display: str) -> _Meta:
    """Read YAML front matter whose first content line is file line ``start_line``."""
    _refuse_hostile_yaml(content, start_line, display)
    try:
        data = yaml.load(content, Loader=_YAML_LOADER)
    except yaml.YAMLError as fast_error:
        raise _front_matter_error(content, start_line, display, fast_error) from None
    except (ValueError, OverflowError) as exc:
        # YAML reads 2026-13-45 as a timestamp that Python's date then rejects.
        raise InputFileError(display, f"malformed front matter: {exc}", line=start_line) from None
    if data is None:
        return _Meta()
    if not isinstance(data, dict):
        raise InputFileError(
            display, "malformed front matter: expected key: value pairs", line=start_line
        )

    def key_line(key: str) -> int:
        for offset, text in enumerate(content.split("\n")):
            if re.match(rf"\s*{re.escape(key)}\s*:", text):
                return start_line + offset
        return start_line

    meta = _Meta()
    if data.get("date") is not None:
        meta.published = _parse_date(data["date"])
        if meta.published is None:
            raise InputFileError(
                display,
                f"front matter date must be a date (YYYY-MM-DD), got {data['date']!r}",
                line=key_line("date"),
            )
    for key in ("title", "source"):
        value = data.get(key)
        if value is not None:
            setattr(meta, key, str(value).strip() or None)
    return meta


def _markdown_blocks(
    text: str, lines: list[str], display: str
) -> tuple[list[_Block], _Meta, set[int]]:
    tokens = _MD.parse(text)
    blocks: list[_Block] = []
    meta = _Meta()
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
            meta = _front_matter(token.content, token.map[0] + 2, display)
        elif kind in ("fence", "code_block") and token.map:
            code_lines.update(range(token.map[0] + 1, token.map[1] + 1))
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
        elif kind == "table_close":
            table_depth -= 1
        elif kind == "inline" and token.map and not table_depth:
            block = _Block("heading" if heading else "item" if list_depth else "para")
            first = token.map[0]
            content_lines = token.content.split("\n")
            for offset, content in enumerate(content_lines):
                stripped = content.strip()
                if not stripped or first + offset >= len(lines):
                    continue
                source = lines[first + offset]
                # The inline content is the source line minus container markers
                # ("> ", "- ", "# "), so it sits at the end part of the line.
                index = source.rfind(stripped)
                if index < 0:
                    index = len(source) - len(source.lstrip(" \t>"))
                block.pieces.extend(_line_pieces(stripped, first + offset + 1, index + 1))
            block.source_lines = len(content_lines)
            if block.pieces:
                if heading == "h1" and meta.title is None:
                    meta.title = block.joined()[0]
                blocks.append(block)
    return blocks, meta, code_lines


# --------------------------------------------------------------------------- plain text


def _text_blocks(lines: list[str]) -> list[_Block]:
    wrapped = _looks_wrapped(lines)
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            current = None
            continue
        bullet = _BULLET.match(stripped)
        column = len(raw) - len(raw.lstrip()) + 1
        if bullet:
            column += bullet.end()
            stripped = stripped[bullet.end() :]
        pieces = _line_pieces(stripped, number, column)
        if not pieces:
            continue
        if current is None or not wrapped or bullet:
            current = _Block("item" if bullet else "para", source_lines=0)
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
            if not _TERMINAL_END.search(prev) and cur[0].islower():
                continued += 1
    return continued >= 2 and continued >= 0.3 * pairs


# --------------------------------------------------------------------------- HTML

_SKIP_TAGS = frozenset(
    "script style nav header footer noscript template svg aside form iframe select button".split()
)
_BLOCK_TAGS = frozenset(
    """
    address article blockquote body br dd details dialog div dl dt fieldset figcaption
    figure h1 h2 h3 h4 h5 h6 hr li main ol p pre section summary table tbody td tfoot th
    thead tr ul
    """.split()
)
_BLOCK_KINDS = {**{f"h{level}": "heading" for level in range(1, 7)}, "li": "item"}
_DATE_META = frozenset(
    """
    date article:published_time og:published_time pubdate publishdate publish-date
    dc.date dcterms.date datepublished sailthru.date parsely-pub-date
    """.split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _ArticleHTMLParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[_Block] = []
        self.meta = _Meta()
        self._block = _Block("para")
        self._space = False
        self._skip: list[str] = []
        self._title: list[str] | None = None
        self._title_done = False
        self._first_h1: str | None = None
        self._kinds: list[str] = []

    # Structure ------------------------------------------------------------------------

    def _kind(self) -> str:
        return self._kinds[-1] if self._kinds else "para"

    def _flush(self) -> None:
        if self._block.pieces:
            self.blocks.append(self._block)
            if self._block.kind == "heading" and self._first_h1 is None:
                self._first_h1 = self._block.joined()[0]
        self._block = _Block(self._kind())
        self._space = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._read_meta(attrs)
        elif self._skip or tag in _SKIP_TAGS:
            if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
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
        elif tag == "img":
            self._space = True

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

    def _read_meta(self, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        key = (values.get("name") or values.get("property") or values.get("itemprop") or "").lower()
        if key in _DATE_META and self.meta.published is None:
            published = _parse_date(values.get("content", ""))
            if published is None and values.get("content"):
                self.meta.warnings.append(
                    f"unreadable date {values['content']!r} in <meta {key}>; ignored"
                )
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
        line, offset = self.getpos()
        for index, segment in enumerate(data.split("\n")):
            base = offset if index == 0 else 0
            if index:
                self._space = True
            for match in _WORD.finditer(segment):
                if match.start():
                    self._space = True
                self._add(match.group(), line + index, base + match.start() + 1)
            if segment[-1:].isspace():
                self._space = True

    def _add(self, text: str, line: int, column: int) -> None:
        self._block.pieces.append(_Piece(text, line, column, space_before=self._space))
        self._space = False

    def _entity(self, text: str) -> None:
        if self._skip:
            return
        if self._title is not None:
            self._title.append(text)
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
        if self.meta.title is None:
            self.meta.title = self._first_h1


def _html_blocks(text: str) -> tuple[list[_Block], _Meta]:
    parser = _ArticleHTMLParser()
    # A browser reads an unclosed <!-- as a comment to the end; the stdlib parser rescans
    # the rest of the page from every later '<' (quadratic), so it never sees that part.
    unclosed = text.find("<!--", _closed_prefix(text))
    parser.feed(text if unclosed < 0 else text[:unclosed])
    parser.close()
    return parser.blocks, parser.meta


# --------------------------------------------------------------------------- cleaning


def _menu_like(block: _Block) -> bool:
    if block.kind == "heading":
        return False
    for line in block.lines():
        if (
            len(line.split()) > MENU_MAX_WORDS
            or _TERMINAL_END.search(line)
            or _INNER_SENTENCE_END.search(line)
            or _FIGURE.search(line)
        ):
            return False
    return True


def _heading_like(block: _Block) -> bool:
    if block.kind != "para" or len({piece.line for piece in block.pieces}) > 1:
        return False
    text = block.joined()[0]
    return len(text.split()) <= HEADING_MAX_WORDS and not _TERMINAL_END.search(text)


def _clean_blocks(
    blocks: list[_Block], lines: list[str], boilerplate: frozenset[str]
) -> list[_Block]:
    """Drop boilerplate, junk and menu runs; mark lone short lines as headings."""
    kept: list[_Block] = []
    for block in blocks:
        pieces = [
            piece
            for piece in block.pieces
            if lines[piece.line - 1].strip() not in boilerplate
        ]
        if len(pieces) != len(block.pieces):
            block = _Block(block.kind, pieces, block.source_lines)
        text = block.joined()[0]
        if not pieces or text in boilerplate or _JUNK_LINE.match(text):
            continue
        kept.append(block)

    result: list[_Block] = []
    index = 0
    while index < len(kept):
        end = index
        while end < len(kept) and _menu_like(kept[end]):
            end += 1
        run = kept[index:end]
        if run and sum(max(block.source_lines, 1) for block in run) >= MENU_MIN_RUN:
            index = end
            continue
        if not run:
            run = [kept[index]]
            end = index + 1
        result.extend(run)
        index = end

    # A lone unpunctuated line is a heading only if text follows it; the last such lines
    # of a page are furniture ("Risk Warning and Disclaimer") unless they carry a figure,
    # in which case they are prose that merely lost its full stop.
    tail = len(result)
    while tail and _heading_like(result[tail - 1]):
        tail -= 1
    for block in result[:tail]:
        if _heading_like(block):
            block.kind = "heading"
    trailing = [block for block in result[tail:] if _FIGURE.search(block.joined()[0])]
    return result[:tail] + trailing


# --------------------------------------------------------------------------- suppressions


def _suppressions(lines: list[str], skip: set[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = {}

    def add(line: int, codes: set[str]) -> None:
        found.setdefault(line, set()).update(codes)

    off_since: int | None = None
    pending: set[str] | None = None  # an "ignore" alone on its line waits for text
    for number, line in enumerate(lines, start=1):
        if number in skip:
            continue
        matches = list(_SUPPRESS.finditer(line, 0, _closed_prefix(line)))
        if pending is not None and line.strip():
            add(number, pending)
            pending = None
        if off_since is not None:
            add(number, {"*"})
        for match in matches:
            directive = match.group(1).lower()
            codes = {code.upper() for code in _CODE.findall(match.group(2))} or {"*"}
            if directive == "ignore-file":
                add(0, {"*"})
            elif directive == "ignore":
                # Covers its own line (a trailing comment) and the next line with text
                # (a comment standing alone above the sentence it silences).
                add(number, codes)
                pending = codes
            elif directive == "off":
                off_since = number
                add(number, {"*"})
            elif directive == "on":
                off_since = None
    return {
        line: (["*"] if "*" in codes else sorted(codes)) for line, codes in sorted(found.items())
    }


# --------------------------------------------------------------------------- documents


def parse_document(
    text: str,
    display: str,
    *,
    suffix: str,
    published: dt.date | None = None,
    boilerplate: frozenset[str] = frozenset(),
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
) -> Document:
    """Turn one article's text into a ``Document``.

    ``suffix`` picks the format.  ``published`` is used when the file itself gives no
    date (front matter ``date``, ``<meta name="date">``).  Lines in ``boilerplate``
    (see ``repeated_lines``) are dropped.  Raises ``InputFileError`` for malformed
    front matter.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    suffix = suffix.lower()
    code_lines: set[int] = set()
    if suffix in _MARKDOWN_SUFFIXES:
        blocks, meta, code_lines = _markdown_blocks(text, lines, display)
    elif suffix in _HTML_SUFFIXES:
        blocks, meta = _html_blocks(text)
    elif suffix == ".txt":
        blocks, meta = _text_blocks(lines), _Meta()
    else:
        raise ValueError(f"unsupported suffix {suffix!r}; expected one of {SUPPORTED_SUFFIXES}")

    sentences: list[Sentence] = []
    for paragraph, block in enumerate(_clean_blocks(blocks, lines, boilerplate)):
        joined, starts = block.joined()
        piece_index = 0
        for start, end in sentence_spans(joined):
            while piece_index + 1 < len(starts) and starts[piece_index + 1] <= start:
                piece_index += 1
            piece = block.pieces[piece_index]
            if end - start > max_sentence_chars:
                # Refused, not cut: a truncated sentence could hide or invent a conflict.
                raise InputFileError(
                    display,
                    f"sentence of {end - start:,} characters, over max_sentence_chars ({max_sentence_chars:,}); file skipped",
                    line=piece.line,
                )
            sentences.append(
                Sentence(
                    text=joined[start:end],
                    line=piece.line,
                    column=piece.column + start - starts[piece_index],
                    paragraph=paragraph,
                    heading=block.kind == "heading",
                )
            )
    return Document(
        path=display,
        published=meta.published or published,
        title=meta.title,
        source=meta.source,
        sentences=sentences,
        warnings=[f"{display}: {warning}" for warning in meta.warnings],
        suppressions=_suppressions(lines, code_lines),
    )


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
    """Discover, read and parse every article; problems come back as ``InputError``s."""
    from factcheck.pipeline import collect_claims  # the one loop over articles; no rules: parse only

    result = collect_claims(paths, None, default_date)
    return result.documents, result.errors
