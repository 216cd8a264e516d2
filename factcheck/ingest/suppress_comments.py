"""Inline ``<!-- factcheck: ignore FC101 -->`` comments, collected by line into
``Document.suppressions``; gate/suppress.py applies them to findings.
"""

from __future__ import annotations

import re

from factcheck.ingest.blocks import closed_prefix

_SUPPRESS = re.compile(
    r"<!--\s*factcheck\s*:\s*(ignore-file|ignore|off|on)\b(.*?)-->", re.IGNORECASE
)
_CODE = re.compile(r"[A-Za-z]+\d+")


def suppressions(lines: list[str], skip: set[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = {}

    def add(line: int, codes: set[str]) -> None:
        found.setdefault(line, set()).update(codes)

    off_since: int | None = None
    pending: set[str] | None = None  # an "ignore" alone on its line waits for text
    for number, line in enumerate(lines, start=1):
        if number in skip:
            continue
        matches = list(_SUPPRESS.finditer(line, 0, closed_prefix(line)))
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
