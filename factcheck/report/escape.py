"""One escaping function per output channel, so that text from a pull request (file names,
article sentences, baseline entries, front matter) can neither drive the terminal nor the
GitHub Actions runner that prints the log.

The runner reads every line of stdout and stderr. A line whose first non-blank characters
are `::` is a workflow command (`::add-mask::`, `::error file=...::`, `::stop-commands::`),
and the older syntax `##[command]` is recognised anywhere in a line. A newline in a file
name would start a new line of the attacker's choosing. Terminals obey ESC sequences, and
bidi overrides (U+202E) make a quote read differently from what it says.

* `visible`: control characters, bidi controls and line breaks as escapes (`\\x1b`,
  `\\u202e`, `\\n`), for any field printed for people.
* `guard_line`: a composed line made inert for the runner.
* `log_line` = both: the stderr channel (warnings, errors) and plain lines of `github`.
* `github_data` / `github_property`: the values inside a workflow command.
* `json_text`: a serialised JSON document (json, jsonl, sarif, claims json), losslessly.
* `html_for_log`: an html page written to stdout, where a CI log may read it, as the
  same page: character references in place of controls, `##[` and a leading `::`.
"""

from __future__ import annotations

import re

# C0 (tab kept), DEL, C1, and the Unicode format controls that reorder or hide text:
# bidi embeddings/overrides/isolates, marks, zero-width characters, line/paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_SHORT = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control, bidi and line-break character shown as an escape."""
    return _UNSAFE.sub(_escape, str(text))


_LEADING_COMMAND = re.compile(r"^(\s*):(?=:)")


def guard_line(line: str) -> str:
    """A single line the Actions runner cannot read as a command."""
    return _LEADING_COMMAND.sub(r"\1\\:", line.replace("##[", "##\\["))


def guard_lines(text: str) -> str:
    return "\n".join(guard_line(line) for line in text.split("\n"))


def log_line(text: str) -> str:
    """For stderr and any free-text line of a CI log: one line, visible, inert."""
    return guard_line(visible(text))


def github_data(text: str) -> str:
    # The runner unescapes %25, %0D and %0A in a command's data; other controls are shown.
    escaped = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return guard_line(visible(escaped))


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def json_text(document: str) -> str:
    """Serialised JSON with `##[` written as `##\\u005b`: the same JSON value, inert in a log.

    `##[` occurs only inside strings, where `\\u005b` is a valid escape of `[`; JSON output
    lines begin with whitespace, `{`, `[` or `"`, never with `::`.
    """
    return document.replace("##[", "##\\u005b")


# The page's own script and style are static (and the script's hash is in its CSP): left
# as they are. Article text only ever lands in text and attribute values, where a
# character reference means the character itself.
_SCRIPT_OR_STYLE = re.compile(r"(<(script|style)\b[^>]*>.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_HTML_UNSAFE = re.compile(_UNSAFE.pattern.replace("\x0a-\x1f", "\x0b-\x1f"))  # newlines separate lines
_LEADING_COMMANDS = re.compile(r"^(\s*):(?=:)", re.MULTILINE)


def html_for_log(page: str) -> str:
    """An html page, or a piece of one, that the Actions runner and a terminal see as inert."""
    parts = _SCRIPT_OR_STYLE.split(page)
    out = []
    for i, part in enumerate(parts):
        kind = i % 3  # split keeps both groups: text, element, element name
        if kind == 0:
            part = _HTML_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", part)
            part = _LEADING_COMMANDS.sub(r"\1&#58;", part.replace("##[", "##&#91;"))
            out.append(part)
        elif kind == 1:
            out.append(part)
    return "".join(out)
