"""SQLite cache of NLI scores, so that a rerun scores only the sentence pairs it has not seen.

Rows are per *direction* (premise, hypothesis) and hold raw probabilities, not the combined
score: retuning how the directions combine (rules/nli.yaml) needs no rescoring, and a pair
seen in the other order is half cached already. The key is the model identity (name, the
sha256 of its weights, the truncation length) plus the exact sentences.

The cache is a convenience, never a reason to fail: an unreadable file is deleted and
rebuilt with a warning; one that cannot be written makes the run go on uncached.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from factcheck.nli.backends import DirectionScore

SCHEMA = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    model TEXT NOT NULL,
    premise TEXT NOT NULL,
    hypothesis TEXT NOT NULL,
    contradiction REAL NOT NULL,
    entailment REAL,
    neutral REAL,
    PRIMARY KEY (model, premise, hypothesis)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""


class ScoreCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.warnings: list[str] = []
        self.hits = 0
        self._db = self._open()

    # ------------------------------------------------------------------ opening
    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect(str(self.path))
        except sqlite3.DatabaseError as exc:  # "file is not a database", a torn page, an old schema
            return self._rebuild(exc)
        except OSError as exc:
            self.warnings.append(f"NLI cache {self.path} cannot be opened ({exc}); scoring without a cache")
            self.path = None
            return self._connect(":memory:")

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30, isolation_level=None)
        try:
            row = db.execute("PRAGMA quick_check").fetchone()
            if not row or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {row[0] if row else 'no answer'}")
            db.executescript(_DDL)
            version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if version is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            elif version[0] != str(SCHEMA):
                raise sqlite3.DatabaseError(f"schema {version[0]}, expected {SCHEMA}")
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, exc: Exception) -> sqlite3.Connection:
        assert self.path is not None
        self.warnings.append(f"NLI cache {self.path} was unreadable ({exc}); rebuilt it empty")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        try:
            return self._connect(str(self.path))
        except (sqlite3.DatabaseError, OSError) as again:
            self.warnings.append(f"NLI cache {self.path} cannot be recreated ({again}); scoring without a cache")
            self.path = None
            return self._connect(":memory:")

    # ------------------------------------------------------------------ scores
    def get_many(self, model: str, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], DirectionScore]:
        found: dict[tuple[str, str], DirectionScore] = {}
        query = "SELECT contradiction, entailment, neutral FROM scores WHERE model = ? AND premise = ? AND hypothesis = ?"
        for pair in dict.fromkeys(pairs):
            try:
                row = self._db.execute(query, (model, *pair)).fetchone()
            except sqlite3.DatabaseError as exc:  # corrupted after opening: go on uncached
                self._give_up(exc)
                return found
            if row is not None:
                found[pair] = DirectionScore(*row)
        self.hits += len(found)
        return found

    def put_many(self, model: str, scored: Sequence[tuple[tuple[str, str], DirectionScore]]) -> None:
        if not scored:
            return
        rows = [(model, p, h, s.contradiction, s.entailment, s.neutral) for (p, h), s in scored]
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as exc:  # read-only file, disk full, locked too long
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        if self.path is not None:
            self.warnings.append(f"NLI cache {self.path} failed ({exc}); going on without it")
            self.path = None
            self._db.close()
            self._db = self._connect(":memory:")

    # ------------------------------------------------------------------ weights hashes
    def file_hash(self, path: Path, compute) -> str:
        """sha256 of a weights file, remembered by (path, size, mtime) so reruns skip hashing."""
        st = path.stat()
        key = str(path.resolve())
        try:
            row = self._db.execute("SELECT size, mtime_ns, sha256 FROM file_hashes WHERE path = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
            return row[2]
        sha = compute(path)
        try:
            self._db.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)", (key, st.st_size, st.st_mtime_ns, sha))
        except sqlite3.DatabaseError:
            pass  # only an optimisation
        return sha

    def count(self, model: str | None = None) -> int:
        if model is None:
            return self._db.execute("SELECT COUNT(*) FROM scores").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM scores WHERE model = ?", (model,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ScoreCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
