"""What a run may trust of the folder it checks, and where its own state lives.

A pull request can add or change any file of the checkout: articles, configs, rules, and
a `.factcheck/` folder with a cache in it. Policy a reviewer reads in the diff (a config,
a baseline, a suppression comment) is the repository's to set. State nobody reviews (the
SQLite caches) must never decide what the gate hides, and nothing a run writes may be
redirected out of the project by a link the pull request planted. So:

* cache entries are sealed with an HMAC whose key lives in the user's cache folder (or
  comes from `FACTCHECK_CACHE_KEY`), never in the repository: an entry a pull request
  wrote or edited does not verify and is recomputed;
* under CI (`CI` set, as every CI runner sets it) the cache defaults to the user's cache
  folder, so that a run writes nothing inside the checkout;
* the files factcheck creates or opens for writing are refused when they are symlinks,
  and a report or baseline is written beside its path and renamed onto it, so that a
  failed write leaves the old file whole and a link swapped in meanwhile is replaced,
  never written through.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

KEY_ENV = "FACTCHECK_CACHE_KEY"
KEY_FILE = "cache-key"
KEY_BYTES = 32
# Values of CI that mean "not CI": some runners export the variable empty or false.
_NOT_CI = frozenset({"", "0", "false", "no", "off"})


class UntrustedPath(OSError):
    """A file factcheck would write or open is a symlink or not a regular file."""

    def __init__(self, path: Path | str, why: str):
        super().__init__(errno.ELOOP, why, str(path))

    def __str__(self) -> str:
        return f"{self.filename} {self.strerror}"


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this run is a CI job: GitHub Actions, GitLab, CircleCI and the rest set CI."""
    value = (os.environ if environ is None else environ).get("CI")
    return value is not None and value.strip().lower() not in _NOT_CI


def user_cache_home() -> Path:
    """factcheck's folder in the user's cache ($XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec: a relative value is invalid and is ignored.
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "factcheck"


def project_cache_dir(root: Path) -> Path:
    """The cache folder of one project under CI: in the user's cache, one per checkout path."""
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return user_cache_home() / "projects" / digest


# --------------------------------------------------------------------------- sealing


def cache_key() -> bytes:
    """The key cache entries are sealed with: FACTCHECK_CACHE_KEY (to share a cache between
    machines, e.g. from a CI secret), else a random key kept in the user's cache folder,
    created on first use, readable by this user alone."""
    given = os.environ.get(KEY_ENV)
    if given:
        return hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest()
    folder = user_cache_home()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / KEY_FILE
    if path.exists() or path.is_symlink():
        return _read_key(path)
    # Written whole to a file of its own, then linked in under its name: a run that starts
    # beside the first one reads the whole key or finds none, never a file still empty.
    key = secrets.token_bytes(KEY_BYTES)
    fd, draft = tempfile.mkstemp(dir=folder, prefix=f".{KEY_FILE}-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        os.link(draft, path)
    except FileExistsError:
        return _read_key(path)  # another run linked its key first: one key for both
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        return _create_in_place(path, key)  # a file system without hard links
    finally:
        os.unlink(draft)
    return key


# The errors of a file system that has no hard links (some network and FUSE mounts).
_NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK})


def _create_in_place(path: Path, key: bytes) -> bytes:
    """The key created under its own name and written after: a run starting in between
    may find it empty and run without a cache once."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return _read_key(path)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    return key


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UntrustedPath(path, "is a symlink; not using it as the cache key") from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        # As ssh treats a private key: one that others may write or that is not ours is no secret.
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            raise UntrustedPath(path, "is not a file of this user's alone; not using it as the cache key")
        key = f.read(KEY_BYTES + 1)
    if len(key) < KEY_BYTES:  # a run that died between creating and writing it
        raise UntrustedPath(path, f"holds {len(key)} bytes, not a key of {KEY_BYTES}; delete it to make a new one")
    return key[:KEY_BYTES]


def seal(key: bytes, *parts: object) -> str:
    """HMAC-SHA256 of `parts`, each length-prefixed so that no two lists of parts collide."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        mac.update(len(data).to_bytes(8, "big") + data)
    return mac.hexdigest()


def sealed(key: bytes, mac: object, *parts: object) -> bool:
    return isinstance(mac, str) and hmac.compare_digest(mac, seal(key, *parts))


# --------------------------------------------------------------------------- links


def refuse_links(folder: Path, names: Iterable[str] = ()) -> None:
    """Raise UntrustedPath when `folder`, or an entry of it named in `names` that exists, is
    a symlink (or not a folder / not a regular file). SQLite opens its database, journal,
    WAL and shared-memory files through links; a committed `cache.sqlite-wal -> ~/.bashrc`
    would have it write there."""
    _refuse_link(folder, stat.S_ISDIR, "a folder")
    for name in names:
        _refuse_link(folder / name, stat.S_ISREG, "a regular file")


def _refuse_link(path: Path, is_kind, kind: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UntrustedPath(path, "is a symlink; factcheck does not write through links")
    if not is_kind(mode):
        raise UntrustedPath(path, f"is not {kind}")


def replace_file(path: Path, pieces: Iterable[str]) -> None:
    """Write `pieces` (UTF-8) to `path` whole or not at all.

    A regular file (or none) is replaced by renaming a temporary file written beside it:
    on a full disk the old file survives, and a link put at `path` during the run is
    replaced, not followed. A link already there is refused when it leads to a regular
    file (a checkout may plant `report.json -> ~/.bashrc`); one that leads to a device or
    a pipe (`-o /dev/stdout`) is written through, as are devices and pipes themselves.
    Raises OSError (UntrustedPath for a link) with the file named.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            target = os.stat(path)
        except FileNotFoundError:
            target = None
        if target is None or stat.S_ISREG(target.st_mode):
            raise UntrustedPath(path, "is a symlink; factcheck does not write through links")
        info = target
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        with open(path, "w", encoding="utf-8") as out:  # a device or a pipe: nothing to replace
            for piece in pieces:
                out.write(piece)
        return
    folder = path.parent
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for piece in pieces:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())  # the rename must not outrun the data on a crash
        os.chmod(temp, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def _umask() -> int:
    # Read by setting it: the mode a plain open() would have given a new file.
    current = os.umask(0o022)
    os.umask(current)
    return current


def create_new(path: Path, text: str) -> bool:
    """Write `text` to `path` if nothing is there yet; never through a link. True if written."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:  # O_EXCL: a symlink at the path counts as existing, dangling or not
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return True


# --------------------------------------------------------------------------- SQLite

# The files SQLite opens beside a database, each of which it would follow through a link.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
# Result codes for a file that is damaged or not a database; any other error (a full disk,
# a read-only file, an I/O error) says nothing about the file's content.
_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


class SchemaMismatch(sqlite3.DatabaseError):
    """A database whose tables are not the ones factcheck makes."""


def sqlite_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Whether an error says the file is damaged (rebuild it), not that it cannot be used
    just now (a full disk: leave it alone, it still holds every entry)."""
    code = getattr(exc, "sqlite_errorcode", None)  # None: raised by factcheck (SchemaMismatch)
    return code is None or code & 0xFF in _CORRUPT_CODES


def check_schema(conn: sqlite3.Connection, expected: Mapping[tuple[str, str], tuple[str, ...]]) -> None:
    """Raise SchemaMismatch unless sqlite_master holds exactly `expected`: tables with these
    columns in this order and these indexes, no view and no trigger. Reading sqlite_master
    and table_info runs no view, so a hostile schema (a recursive view where a table should
    be) is refused without being run."""
    found = {(kind, name) for kind, name in conn.execute("SELECT type, name FROM sqlite_master")}
    if found != set(expected):
        raise SchemaMismatch(f"unexpected schema objects: {sorted(found ^ set(expected))[:5]}")
    for (kind, name), columns in expected.items():
        if kind == "table":
            got = tuple(row[1] for row in conn.execute(f'PRAGMA table_info("{name}")'))
            if got != columns:
                raise SchemaMismatch(f"table {name} has columns {got}, not {columns}")
