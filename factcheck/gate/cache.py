"""Results of unchanged work, kept in SQLite between runs: per file, the Document and
Claims of ingest and extraction; per (subject, metric) block, the findings of comparison.

A file's Document and Claims depend on its text, its display path (claims carry it), the
default publication date, the rules and the code, and on one thing outside the file: the
boilerplate lines repeated across the corpus (ingest.repeated_lines). Editing one article
can add or remove a line from that set, so the set cannot go into the key wholesale
without every edit invalidating every file. Instead parse_document is handed a probe
that records each string it asked about; the entry stores those questions (hashed) and
the ones answered yes. A later run reuses the entry only when today's boilerplate gives
the same answers to the same questions, which is exactly when the parse would repeat
itself. A block's findings depend only on its claims, the rules and the code.

The database is in WAL mode with a busy timeout so that parallel runs (pre-commit, an
editor, CI jobs on one runner) read and write it safely. A corrupt cache of ours is
replaced with one warning; a file that is not ours (no factcheck application id in its
header, no marker table) is an error and is left as it is: `cache_dir` may come from a
pull request, and factcheck never deletes what it did not create. A file that cannot be
read or written just now (a full disk, a read-only folder) is not corrupt: the run goes on
without it and leaves it alone.

A pull request may commit a cache of its own (factcheck.trust): each row is sealed with an
HMAC whose key never lives in the repository, so a row written or edited anywhere but by
this user's runs (claims emptied to hide findings) does not verify and is recomputed. The
schema is checked before any row is read (tables with the expected columns, nothing else:
a view in place of a table could run a recursive query forever), and the folder and the
files SQLite opens must not be symlinks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from factcheck.errors import FactcheckError, RulesError
from factcheck.extract.parse import pipeline_fingerprint
from factcheck.models import Claim, Document, Finding
from factcheck.rules import DEFAULT_RULES_DIR, Rules, SeverityFile, load_yaml_model, loaded_rules, rules_fingerprint
from factcheck.trust import (
    SQLITE_COMPANIONS,
    SchemaMismatch,
    UntrustedPath,
    cache_key,
    check_schema,
    create_new,
    refuse_links,
    seal,
    sealed,
    sqlite_corrupt,
)
from factcheck.version import __version__

FILENAME = "cache.sqlite"
APPLICATION_ID = 0x46434331  # "FCC1" in the SQLite header: this file is ours
SCHEMA_VERSION = 6  # PRAGMA user_version; bump when a table or a payload changes
MARKER = "factcheck stage cache"
_SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
# Entries not used for this long are dropped (files deleted, renamed, or checked from a
# temp folder once). `used` is refreshed at most daily so that warm runs rarely write.
EXPIRE_S = 30 * 86400
TOUCH_S = 86400
DIGEST_SIZE = 8

_TABLES = (
    # asked: the digests of what parse_document looked up in the boilerplate, end to end;
    # hits: the looked-up strings that were boilerplate, as JSON; mac: trust.seal of the row.
    "CREATE TABLE files (key TEXT PRIMARY KEY, path TEXT NOT NULL, asked BLOB NOT NULL,"
    " hits TEXT NOT NULL, payload BLOB NOT NULL, used REAL NOT NULL, mac TEXT NOT NULL)",
    "CREATE INDEX files_path ON files (path)",
    "CREATE TABLE blocks (key TEXT PRIMARY KEY, pairs INTEGER NOT NULL, payload BLOB NOT NULL,"
    " used REAL NOT NULL, mac TEXT NOT NULL)",
    "CREATE TABLE factcheck_cache (marker TEXT NOT NULL)",
    f"INSERT INTO factcheck_cache VALUES ('{MARKER}')",
)
# What sqlite_master may hold, and each table's columns: anything else (a view, a
# trigger, another column) was not made by factcheck and is not read.
_SCHEMA = {
    ("table", "files"): ("key", "path", "asked", "hits", "payload", "used", "mac"),
    ("table", "blocks"): ("key", "pairs", "payload", "used", "mac"),
    ("table", "factcheck_cache"): ("marker",),
    ("index", "files_path"): (),
    ("index", "sqlite_autoindex_files_1"): (),
    ("index", "sqlite_autoindex_blocks_1"): (),
}


_FOREIGN = "exists and is not a factcheck cache; refusing to replace it (move it away or choose another --cache-dir)"


class CacheError(FactcheckError):
    """The cache file exists and is not factcheck's: refusing to touch it."""


def _owner(path: Path) -> str:
    """"none" (no file, or empty), "ours" (our application id in the header) or "foreign"."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return "none"
    except OSError:
        return "foreign"
    if not header:
        return "none"
    if header.startswith(_SQLITE_HEADER) and len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return "ours"
    return "foreign"
_FINDINGS = TypeAdapter(list[Finding])


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=DIGEST_SIZE).digest()


@cache
def code_fingerprint() -> str:
    """Hash of the package's source: an editable install changes code without a version bump."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent.parent  # the factcheck package
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    # Claims are read from the parse: another spaCy pipeline (or version) is other code.
    digest.update(pipeline_fingerprint().encode())
    return digest.hexdigest()[:16]


def _key(parts: Iterable[str], body: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in (str(SCHEMA_VERSION), code_fingerprint(), *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for chunk in body:
        digest.update(chunk.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def file_key(text: str, display: str, suffix: str, default_date: dt.date | None, rules_fingerprint: str) -> str:
    return _key((rules_fingerprint, display, suffix.lower(), str(default_date)), (text,))


def block_key(block: list[Claim], rules_fingerprint: str) -> str:
    return _key((rules_fingerprint,), (c.model_dump_json() for c in block))


class LazyRules:
    """The rules of a directory, loaded on first use.

    A warm run whose files and blocks all come from the cache never needs them, and
    loading them (pint's unit registry above all) costs more than the rest of such a run.
    Cache keys only need the fingerprint, which hashes the files without parsing them.
    """

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory else DEFAULT_RULES_DIR
        if not self.directory.is_dir():
            raise RulesError(str(directory), "rules directory not found")
        self._rules: Rules | None = None

    @cached_property
    def fingerprint(self) -> str:
        return rules_fingerprint(self.directory)

    @property
    def loaded(self) -> bool:
        return self._rules is not None

    @cached_property
    def policy(self) -> SeverityFile:
        """severity.yaml alone, which blocking reads (its story thresholds) even in a run
        that the cache answers whole."""
        if self._rules is not None:
            return self._rules.policy
        return load_yaml_model(self.directory / "severity.yaml", SeverityFile)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "_rules" not in self.__dict__:
            raise AttributeError(name)
        if self._rules is None:
            self._rules = loaded_rules(self.directory, self.fingerprint)
        return getattr(self._rules, name)


class BoilerplateProbe:
    """Stands in for the boilerplate set in parse_document and remembers what it was asked.

    Only membership is offered: should ingest ever use the set another way, the cached
    path fails loudly in the tests instead of reusing entries it cannot vouch for.
    """

    def __init__(self, lines: frozenset[str]):
        self._lines = lines
        self.asked: set[str] = set()

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            self.asked.add(item)
        return item in self._lines

    @property
    def hits(self) -> list[str]:
        return sorted(self.asked & self._lines)


class FileEntry(BaseModel):
    document: Document
    claims: list[Claim]


class StageCache:
    """`lookup_*` before doing a stage's work, `store_*` after; `close` writes what was stored."""

    def __init__(self, path: Path, key: bytes | None = None):
        self.path = Path(path)
        self.warnings: list[str] = []
        self.hits = self.misses = 0  # files
        self.block_hits = self.block_misses = 0
        self._files: list[tuple[str, str, bytes, str, bytes, str]] = []
        self._blocks: list[tuple[str, int, bytes, str]] = []
        self._touched: dict[str, list[str]] = {"files": [], "blocks": []}
        self._boilerplate: tuple[frozenset[str], dict[bytes, str]] | None = None
        self._now = time.time()
        self._conn: sqlite3.Connection | None = None
        try:
            self._key = key if key is not None else cache_key()
        except OSError as exc:
            self._disable(f"cannot use the cache key: {exc}; running without a cache")
            return
        folder = self.path.parent
        try:
            refuse_links(folder)  # before mkdir: a link there must not be followed
            folder.mkdir(parents=True, exist_ok=True)
            refuse_links(folder, [self.path.name, *(self.path.name + s for s in SQLITE_COMPANIONS)])
            create_new(folder / ".gitignore", "# created by factcheck: its cache is never committed\n*\n")
        except UntrustedPath as exc:
            self._disable(f"cannot use cache {self.path}: {exc}; running without a cache")
            return
        except OSError as exc:
            self._disable(f"cannot create cache folder {folder}: {exc.strerror or exc}; running without a cache")
            return
        try:
            self._conn = self._open_retrying()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._disable(f"cache {self.path} is locked by another run; running without it")
            elif sqlite_corrupt(exc):
                self._rebuild(exc)
            else:
                self._disable(f"cannot open cache {self.path} ({exc}); running without a cache")
        except OSError as exc:
            self._disable(f"cannot open cache {self.path}: {exc}; running without a cache")

    # -------------------------------------------------------------- connection

    def _open_retrying(self, attempts: int = 5) -> sqlite3.Connection:
        """`_open`, tried again after a short wait when the file was locked: switching a
        new file to WAL mode needs a lock that SQLite may refuse at once, without waiting
        out the busy timeout, while parallel runs open the same new file."""
        for attempt in range(attempts - 1):
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                if not ("locked" in str(exc) or "busy" in str(exc)):
                    raise
                time.sleep(0.05 * 2**attempt)
        return self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # Functions with side effects never run from the schema, whatever it says.
            conn.execute("PRAGMA trusted_schema = OFF")
            # Before WAL mode, which rewrites the header: another program's file stays untouched.
            self._refuse_foreign(conn)
            conn.execute("PRAGMA journal_mode = WAL")  # raises DatabaseError if not SQLite
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checked and created under the write lock: a parallel run may be creating it now.
            conn.execute("BEGIN IMMEDIATE")
            try:
                app = self._refuse_foreign(conn)
                marked = app == APPLICATION_ID and conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'factcheck_cache'"
                ).fetchone()[0]
                current = marked and conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
                if current:
                    check_schema(conn, _SCHEMA)  # before the first row is read
                    if conn.execute("SELECT count(*) FROM factcheck_cache WHERE marker = ?", (MARKER,)).fetchone()[0] != 1:
                        raise SchemaMismatch("marker row missing")
                else:
                    # An older layout of ours, or a new file: views and triggers go too.
                    for kind, name in conn.execute(
                        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table')"
                    ).fetchall():
                        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
                    for statement in _TABLES:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _refuse_foreign(self, conn: sqlite3.Connection) -> int:
        # One read transaction for both reads: in autocommit each statement reads its own
        # snapshot, and a parallel run that creates the cache between them would leave this
        # one seeing no application id (before) and its tables (after), a "foreign" file.
        opened = not conn.in_transaction
        if opened:
            conn.execute("BEGIN")
        try:
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            if opened:
                conn.execute("COMMIT")
        if app != APPLICATION_ID and (app != 0 or tables):
            raise CacheError(str(self.path), _FOREIGN)
        return app

    def _rebuild(self, reason: Exception) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        owner = _owner(self.path)
        if owner == "foreign":
            raise CacheError(str(self.path), _FOREIGN)
        try:
            if owner == "ours":  # only a file we created is ever deleted
                for suffix in ("", *SQLITE_COMPANIONS):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._conn = self._open()
        except (OSError, sqlite3.DatabaseError) as exc:
            self._disable(f"cache {self.path} is unusable ({exc}); running without a cache")
            return
        self.warnings.append(f"cache {self.path} was corrupt or not a factcheck cache ({reason}); rebuilt it")

    def _disable(self, warning: str) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.warnings.append(warning)

    def _row(self, sql: str, key: str) -> tuple | None:
        if self._conn is None:
            return None
        try:
            return self._conn.execute(sql, (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            if sqlite_corrupt(exc):
                self._rebuild(exc)
            else:
                self._disable(f"cannot read cache {self.path} ({exc}); going on without it")
            return None

    def _used(self, table: str, key: str, used: float) -> None:
        if self._now - used > TOUCH_S:
            self._touched[table].append(key)

    # -------------------------------------------------------------- files

    def _digests(self, boilerplate: frozenset[str]) -> dict[bytes, str]:
        # One run passes the same set for every file: hash its lines once.
        if self._boilerplate is None or self._boilerplate[0] is not boilerplate:
            self._boilerplate = (boilerplate, {_digest(line): line for line in boilerplate})
        return self._boilerplate[1]

    def _same_answers(self, asked: bytes, hits: str, boilerplate: frozenset[str]) -> bool:
        if not isinstance(asked, bytes) or not isinstance(hits, str):
            return False
        digests = self._digests(boilerplate)
        found = {asked[i : i + DIGEST_SIZE] for i in range(0, len(asked), DIGEST_SIZE)} & digests.keys()
        return sorted(digests[d] for d in found) == json.loads(hits)

    def lookup_file(self, key: str, boilerplate: frozenset[str]) -> tuple[Document, list[Claim]] | None:
        row = self._row("SELECT asked, hits, payload, used, path, mac FROM files WHERE key = ?", key)
        if row is not None and sealed(self._key, row[5], key, row[4], row[0], row[1], row[2]):
            try:
                if not self._same_answers(row[0], row[1], boilerplate):
                    raise ValueError("other boilerplate")
                entry = FileEntry.model_validate_json(row[2])
                float(row[3])
            except (ValidationError, ValueError, TypeError):  # JSONDecodeError is a ValueError
                pass
            else:
                self.hits += 1
                self._used("files", key, float(row[3]))
                return entry.document, entry.claims
        self.misses += 1
        return None

    def has_file(self, key: str) -> bool:
        """Whether an entry is stored under `key`, unchecked: enough to estimate a run's work."""
        return self._row("SELECT 1 FROM files WHERE key = ?", key) is not None

    def store_file(self, key: str, document: Document, claims: list[Claim], probe: BoilerplateProbe) -> None:
        if self._conn is not None:
            asked = b"".join(sorted(_digest(q) for q in probe.asked))
            payload = FileEntry(document=document, claims=claims).model_dump_json().encode()
            hits = json.dumps(probe.hits)
            self._files.append((key, document.path, asked, hits, payload, seal(self._key, key, document.path, asked, hits, payload)))

    # -------------------------------------------------------------- blocks

    def lookup_block(self, key: str) -> tuple[list[Finding], int] | None:
        row = self._row("SELECT pairs, payload, used, mac FROM blocks WHERE key = ?", key)
        if row is not None and sealed(self._key, row[3], key, row[0], row[1]):
            try:
                findings = _FINDINGS.validate_json(row[1])
                float(row[2])
                if not isinstance(row[0], int):
                    raise TypeError("pairs")
            except (ValidationError, ValueError, TypeError):
                pass
            else:
                self.block_hits += 1
                self._used("blocks", key, float(row[2]))
                return findings, row[0]
        self.block_misses += 1
        return None

    def store_block(self, key: str, findings: list[Finding], pairs: int) -> None:
        if self._conn is not None:
            payload = _FINDINGS.dump_json(findings)
            self._blocks.append((key, pairs, payload, seal(self._key, key, pairs, payload)))

    # -------------------------------------------------------------- writing

    def close(self) -> None:
        """Write what was stored in one transaction; a failure only costs the next run time."""
        if self._conn is None:
            return
        conn, now = self._conn, self._now
        files, blocks, touched = self._files, self._blocks, self._touched
        self._files, self._blocks, self._touched = [], [], {"files": [], "blocks": []}
        try:
            if files or blocks or any(touched.values()):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # One entry per path: the one superseded by an edit goes at once.
                    conn.executemany("DELETE FROM files WHERE path = ? AND key <> ?", [(p, k) for k, p, *_ in files])
                    conn.executemany(
                        "INSERT OR REPLACE INTO files (key, path, asked, hits, payload, mac, used) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(*row, now) for row in files],
                    )
                    conn.executemany(
                        "INSERT OR REPLACE INTO blocks (key, pairs, payload, mac, used) VALUES (?, ?, ?, ?, ?)",
                        [(*row, now) for row in blocks],
                    )
                    for table, keys in touched.items():
                        conn.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", [(now, k) for k in keys])
                        conn.execute(f"DELETE FROM {table} WHERE used < ?", (now - EXPIRE_S,))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            self.warnings.append(f"could not update cache {self.path}: {exc}")
        finally:
            conn.close()
            self._conn = None

    def __enter__(self) -> StageCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_cache(folder: Path | None) -> StageCache | None:
    return StageCache(Path(folder) / FILENAME) if folder is not None else None
