"""Guards for files a pull request controls, applied before a parser sees them.

factcheck runs as a CI gate on untrusted pull requests: rules copies, baselines, config
files and articles are all written by whoever opens the PR. Each guard here turns an
input that would hang, exhaust memory or cost super-linear time into a one-line error
(or a harmless rewrite), and is linear in the size of its input.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml

# Rules, config and baseline files are a few kilobytes; a baseline of a large archive a
# few megabytes. Anything bigger was not written for factcheck.
SMALL_FILE_MAX_BYTES = 20_000_000


class NotAFile(OSError):
    """A path that names a device, FIFO or socket, or a file over the size limit.

    An OSError, so that every reader's existing "cannot read" handling names the file.
    """

    def __init__(self, message: str):
        super().__init__(errno.EINVAL, message)

    def __str__(self) -> str:
        return self.strerror or ""


def read_small_text(path: Path | str, max_bytes: int = SMALL_FILE_MAX_BYTES) -> str:
    """`Path.read_text(encoding="utf-8")` that refuses what is not a regular file.

    `/dev/zero` (named directly or through a symlink) never ends, `/dev/null` pretends to
    be empty and a FIFO blocks its reader forever: the file is opened without blocking
    and fstat decides on the open descriptor, so nothing can be swapped in between.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(f"{_kind(mode)}, not a file")
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NotAFile(f"over {max_bytes:,} bytes")
    # Universal newlines, as read_text gave: TOML refuses a bare carriage return.
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a folder" if stat.S_ISDIR(mode) else "a socket"


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Rules nest a mapping of lists of mappings; nothing an editor writes goes near this.
YAML_MAX_DEPTH = 50


def refuse_hostile_yaml(text: str) -> tuple[str, int] | None:
    """(problem, 1-based line) for YAML that could blow up when built, else None.

    Aliases let a few hundred bytes expand to gigabytes (the "billion laughs"), and
    composing deep nesting recurses once per level. Walking the parser's events builds
    nothing and is linear. A syntax error is left for the caller's own YAML handling.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return "YAML anchors and aliases are not allowed", event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > YAML_MAX_DEPTH:
                    return f"YAML nested deeper than {YAML_MAX_DEPTH} levels", event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if too_deep(exc):
            mark = getattr(exc, "problem_mark", None)
            return f"YAML nested deeper than {YAML_MAX_DEPTH} levels", mark.line + 1 if mark else 1
        return None
    return None


def compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """A rules file's YAML: its node tree (where each value is, for error lines) and its
    data, parsed once, by libyaml where PyYAML has it (the pure-Python parser cost a third
    of a second of every run's start, twice over: once to compose, once to load). A
    document libyaml refuses is read again by the pure-Python loader, whose error (or
    reading) is the one reported, so that messages do not depend on libyaml."""
    if _YAML_LOADER is not yaml.SafeLoader:
        loader = _YAML_LOADER(text)
        try:
            node = loader.get_single_node()
            return node, None if node is None else loader.construct_document(node)
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def too_deep(exc: yaml.YAMLError) -> bool:
    """libyaml (0.2.5, in PyYAML's wheels since 6.0.3) refuses over 1,000 levels itself, and
    its scanner runs ahead of the events: such a document fails before any event is deep
    enough for our own count, and must be reported as the nesting it is, not re-read by
    the pure-Python loader (which recurses once per level)."""
    return "nesting depth" in str(getattr(exc, "problem", None) or "")



# --------------------------------------------------------------------------- what is shown

# Every format character (Unicode category Cf, Unicode 14): soft hyphen, zero-width space,
# joiners, word joiner, bidi marks, embeddings and isolates, byte-order mark, tags. None
# draws anything, so a reader sees "1\u00ad2.5%" as 12.5%, while a pattern reads two
# numbers. A test keeps this class equal to the category.
FORMAT_CHARS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# What a figure is written with, around the digits.
_FIGURE = "0-9.,%$€£¥₹¢₩₽+\\-−"
_INSIDE_FIGURE = re.compile(f"(?<=[0-9])[{FORMAT_CHARS}]+(?=[{_FIGURE}])|(?<=[{_FIGURE}])[{FORMAT_CHARS}]+(?=[0-9])")
# Fullwidth and small forms of ASCII and of the currency signs: the same characters drawn
# wider or smaller, which NFKC maps to the plain ones. NFKC elsewhere is not safe: it
# turns a superscript footnote mark into a digit ("5%\u00b2" would read "5%2").
_WIDTH_FORMS = re.compile("[\uff01-\uff5e\ufe50-\ufe6b\uffe0\uffe1\uffe5\uffe6]")


def as_shown(text: str) -> str:
    """`text` as a reader sees its figures: fullwidth and small forms as the plain
    characters (`12.5％` -> `12.5%`), format characters inside a figure dropped
    (`1\u00ad2.5%` -> `12.5%`). Everything else is left as it is, so that quotes still
    show what the file says (escaped where printed: report.escape)."""
    if text.isascii():
        return text
    text = _WIDTH_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _INSIDE_FIGURE.sub("", text)
