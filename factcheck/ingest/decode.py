"""Bytes to text: ``read_text`` reads one article file and decodes it.

UTF-8 (with or without BOM), UTF-16 and UTF-32 (BOM, or NUL lanes of ASCII text), then
cp1252 with a warning; binary, empty and oversized files are refused.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from factcheck.errors import InputFileError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_FILE_BYTES = 5_000_000

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
    return decode_article(_read_bytes(path, display, max_bytes), display)


def decode_article(data: bytes, display: str) -> tuple[str, list[str]]:
    """An article's bytes as text, as read_text decodes a file (stdin's, say); the text and
    any warnings, or InputFileError naming `display`."""
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
