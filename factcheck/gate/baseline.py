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


def load_baseline(path: Path) -> Baseline:
    shown = str(path)
    try:
        data = json.loads(read_small_text(path))
    except FileNotFoundError:
        raise BaselineError(shown, "baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(shown, f"cannot read baseline file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(shown, f"invalid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict) or data.get("factcheck_baseline") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(shown, f"not a factcheck baseline (format {FORMAT}); write one with --write-baseline")
    entries = []
    for i, item in enumerate(data["findings"]):
        try:
            entries.append(Entry(str(item["id"]), str(item["code"]), tuple(str(p) for p in item["paths"]), str(item.get("message", ""))))
        except (KeyError, TypeError):
            raise BaselineError(shown, f"findings.{i}: an entry needs id, code and paths") from None
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
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
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
