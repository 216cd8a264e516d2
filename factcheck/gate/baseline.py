"""Baselines: record today's findings once, then report only new ones.

A baseline file lists findings by id. Ids come from compare.finding_id (code, paths,
sentences and mentions; blind to line numbers), computed here with each path relative to
the baseline file's folder, so the same baseline works whether factcheck runs as
`factcheck check .` from the root, `factcheck check content/` or from a subfolder.

Entries are a multiset: a finding that occurs twice (the same sentence pasted twice in a
file) needs two entries, so a third copy is reported as new.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.compare import finding_id
from factcheck.errors import FactcheckError
from factcheck.models import Finding
from factcheck.textguard import read_small_text
from factcheck.trust import replace_file
from factcheck.version import __version__

FORMAT = 1


class BaselineError(FactcheckError):
    """A baseline file is missing, unreadable or not a factcheck baseline."""


@dataclass(frozen=True)
class Entry:
    id: str
    code: str
    paths: tuple[str, ...]  # relative to the baseline's folder, '/'-separated
    message: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "code": self.code, "paths": list(self.paths), "message": self.message}


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: tuple[Entry, ...]

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent


@dataclass
class Match:
    hidden: set[int]  # indices of the findings the baseline covers
    stale: list[Entry]  # entries no finding matched, among files this run read


def _relative(path: str, folder: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


def entry_for(finding: Finding, folder: Path) -> Entry:
    claims = [c.model_copy(update={"path": _relative(c.path, folder)}) for c in finding.claims]
    paths = tuple(sorted({c.path for c in claims}))
    return Entry(finding_id(finding.code, claims), finding.code, paths, finding.message)


# A baseline holds no number longer than its format version; Python refuses to convert
# one of over 4,300 digits, and would spend quadratic time on one just under.
_MAX_DIGITS = 20


def load_baseline(path: Path) -> Baseline:
    shown = str(path)

    def number(text: str) -> int:
        if len(text) > _MAX_DIGITS:
            raise BaselineError(shown, f"invalid JSON: a number of {len(text):,} digits")
        return int(text)

    try:
        data = json.loads(read_small_text(path), parse_int=number)
    except FileNotFoundError:
        raise BaselineError(shown, "baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(shown, f"cannot read baseline file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(shown, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:  # the decoder recurses once per level of nesting
        raise BaselineError(shown, "invalid JSON: nested too deeply") from None
    version = data.get("factcheck_baseline") if isinstance(data, dict) else None
    if type(version) is not int or version != FORMAT or not isinstance(data.get("findings"), list):  # true == 1
        raise BaselineError(shown, f"not a factcheck baseline (format {FORMAT}); write one with --write-baseline")
    entries = []
    for i, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "code")):
            raise BaselineError(shown, f"findings.{i}: an entry needs id and code as strings, and paths")
        paths, message = item.get("paths"), item.get("message", "")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise BaselineError(shown, f"findings.{i}: paths must be a list of strings, not {type(paths).__name__}")
        if not isinstance(message, str):
            raise BaselineError(shown, f"findings.{i}: message must be a string, not {type(message).__name__}")
        entries.append(Entry(item["id"], item["code"], tuple(paths), message))
    return Baseline(path, tuple(entries))


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    folder = path.resolve().parent
    entries = sorted((entry_for(f, folder) for f in findings), key=lambda e: (e.paths, e.code, e.id))
    payload = {
        "factcheck_baseline": FORMAT,
        "tool": {"name": "factcheck", "version": __version__},
        "findings": [e.as_dict() for e in entries],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all, never through a link: the old baseline survives a full disk.
        replace_file(path, [json.dumps(payload, indent=2, ensure_ascii=False) + "\n"])
    except OSError as exc:
        raise BaselineError(str(path), f"cannot write baseline file: {exc.strerror or exc}") from None
    return len(entries)


def match(baseline: Baseline, findings: list[Finding], read_paths: Iterable[str], codes: frozenset[str]) -> Match:
    """Which findings the baseline hides, and which of its entries no longer occur.

    An entry is only called stale when this run could have seen it again: its code is
    selected and every file it names was read (checking one folder must not declare the
    rest of the baseline stale).
    """
    folder = baseline.folder
    left = Counter(e.id for e in baseline.entries)
    hidden = set()
    for index, finding in enumerate(findings):
        key = entry_for(finding, folder).id
        if left[key] > 0:
            left[key] -= 1
            hidden.add(index)
    read = {_relative(p, folder) for p in read_paths}
    stale = []
    for entry in baseline.entries:
        if left[entry.id] > 0 and entry.code in codes and all(p in read for p in entry.paths):
            left[entry.id] -= 1
            stale.append(entry)
    return Match(hidden, stale)
