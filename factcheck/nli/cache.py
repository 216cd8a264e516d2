"""SQLite cache of NLI scores, so that a rerun scores only the sentence pairs it has not seen.

Rows are per *direction* (premise, hypothesis) and hold raw probabilities, not the combined
score: retuning how the directions combine (rules/nli.yaml) needs no rescoring, and a pair
seen in the other order is half cached already. The key is the model identity (name, the
sha256 of its weights, the truncation length) plus the exact sentences.

The cache is a convenience, never a reason to fail: a damaged file is deleted and rebuilt
with a warning; one that cannot be read or written just now (a full disk) makes the run go
on uncached and is left as it is.

It may sit in a checkout a pull request wrote (factcheck.trust), and NLI scores move
severities: each row is sealed with the user's cache key, so a forged score is never
read; the schema is checked before any row is (no view or trigger runs), and the folder
and the files SQLite opens must not be symlinks.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from factcheck.nli.backends import DirectionScore
from factcheck.trust import (
    SQLITE_COMPANIONS,
    SchemaMismatch,
    UntrustedPath,
    cache_key,
    check_schema,
    refuse_links,
    seal,
    sealed,
    sqlite_corrupt,
)

SCHEMA = 2  # 2: rows sealed (mac)

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scores (
    model TEXT NOT NULL,
    premise TEXT NOT NULL,
    hypothesis TEXT NOT NULL,
    contradiction REAL NOT NULL,
    entailment REAL,
    neutral REAL,
    mac TEXT NOT NULL,
    PRIMARY KEY (model, premise, hypothesis)
) WITHOUT ROWID;
CREATE TABLE file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    mac TEXT NOT NULL
);
"""
_SCHEMA = {
    ("table", "meta"): ("key", "value"),
    ("index", "sqlite_autoindex_meta_1"): (),
    ("table", "scores"): ("model", "premise", "hypothesis", "contradiction", "entailment", "neutral", "mac"),
    ("table", "file_hashes"): ("path", "size", "mtime_ns", "sha256", "mac"),
    ("index", "sqlite_autoindex_file_hashes_1"): (),
}


class ScoreCache:
    def __init__(self, path: Path | None, key: bytes | None = None):
        self.path = path
        self.warnings: list[str] = []
        self.hits = 0
        self._key = key if key is not None else secrets.token_bytes(32)
        self._db = self._open(key is None)

    # ------------------------------------------------------------------ opening
    def _open(self, need_key: bool) -> sqlite3.Connection:
        if self.path is None:
            return self._connect(":memory:")
        try:
            if need_key:
                self._key = cache_key()
            refuse_links(self.path.parent)  # before mkdir: a link there must not be followed
            self.path.parent.mkdir(parents=True, exist_ok=True)
            refuse_links(self.path.parent, [self.path.name, *(self.path.name + s for s in SQLITE_COMPANIONS)])
            return self._connect(str(self.path))
        except sqlite3.DatabaseError as exc:  # "file is not a database", a torn page, an old schema
            if sqlite_corrupt(exc):
                return self._rebuild(exc)
            return self._without(f"NLI cache {self.path} cannot be opened ({exc}); scoring without a cache")
        except (UntrustedPath, OSError) as exc:
            return self._without(f"NLI cache {self.path} cannot be opened ({exc}); scoring without a cache")

    def _without(self, warning: str) -> sqlite3.Connection:
        self.warnings.append(warning)
        self.path = None
        return self._connect(":memory:")

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            row = db.execute("PRAGMA quick_check").fetchone()
            if not row or row[0] != "ok":
                raise SchemaMismatch(f"integrity check: {row[0] if row else 'no answer'}")
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                db.executescript(_DDL)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() if _has_meta(db) else None
            if version is None or version[0] != str(SCHEMA):
                raise SchemaMismatch(f"schema {version[0] if version else 'unknown'}, expected {SCHEMA}")
            check_schema(db, _SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, exc: Exception) -> sqlite3.Connection:
        assert self.path is not None
        self.warnings.append(f"NLI cache {self.path} was unreadable ({exc}); rebuilt it empty")
        for suffix in ("", *SQLITE_COMPANIONS):
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
        query = "SELECT contradiction, entailment, neutral, mac FROM scores WHERE model = ? AND premise = ? AND hypothesis = ?"
        for pair in dict.fromkeys(pairs):
            try:
                row = self._db.execute(query, (model, *pair)).fetchone()
            except sqlite3.DatabaseError as exc:  # corrupted after opening: go on uncached
                self._give_up(exc)
                return found
            # A row this user's runs did not seal is scored again, and replaced.
            if row is not None and sealed(self._key, row[3], model, *pair, *row[:3]):
                found[pair] = DirectionScore(*row[:3])
        self.hits += len(found)
        return found

    def put_many(self, model: str, scored: Sequence[tuple[tuple[str, str], DirectionScore]]) -> None:
        if not scored:
            return
        rows = []
        for (p, h), s in scored:
            values = (model, p, h, s.contradiction, s.entailment, s.neutral)
            rows.append((*values, seal(self._key, *values)))
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
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
            row = self._db.execute("SELECT size, mtime_ns, sha256, mac FROM file_hashes WHERE path = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and sealed(self._key, row[3], key, *row[:3]):
            return row[2]
        sha = compute(path)
        values = (key, st.st_size, st.st_mtime_ns, sha)
        try:
            self._db.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?, ?)", (*values, seal(self._key, *values)))
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


def _has_meta(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()[0] == 1
