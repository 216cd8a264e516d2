"""Which files a run reads: ``discover`` expands the paths given into article files.

Folders are walked in a stable order; hidden entries, unsupported suffixes, excluded
globs, symlinks leaving the folder, loops, FIFOs and devices are skipped. A path named on
the command line that a link takes out of the current folder, a file whose name is not
UTF-8 and folders nested past MAX_FOLDER_DEPTH are input errors naming them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from factcheck.models import InputError

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
# No site nests articles this deep; a checkout that does is hostile, and Python 3.11's
# os.walk recurses once per level (RecursionError past about 990).
MAX_FOLDER_DEPTH = 100


def shown_name(name: str) -> str:
    """A path as text that any report can carry: bytes that are not UTF-8 (which Python
    holds as lone surrogates) written as escapes, `caf\\xe9.md`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _not_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _leaves_through_link(given: Path) -> str | None:
    """Why a path named on the command line is not read, when a link a pull request may have
    planted takes it out of the current folder; None when it stays (or was named outside
    it on purpose: `../published`, `/srv/archive`)."""
    here = Path.cwd().resolve()
    try:
        target = given.resolve()
    except (OSError, RuntimeError):
        return None  # a loop: reported as such by the caller
    if target.is_relative_to(here):
        return None
    if given.is_symlink():
        return f"symlink to a {'folder' if target.is_dir() else 'file'} outside the current folder; not read"
    if Path(os.path.abspath(given)).is_relative_to(here):
        return "a symlink on the way leads outside the current folder; not read"
    return None


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _display(given: str, rel: Path) -> str:
    if os.path.normpath(given) == ".":
        return rel.as_posix()
    return os.path.join(given, rel.as_posix())


def _regular_inside(path: Path, root: Path | None) -> str | None:
    """Why a walked entry is not read, or None when it is a regular file we may read.

    Symlinks are followed only to files inside ``root`` (the folder the walk started
    from): a pull request can add ``article.md -> /etc/passwd``, and its lines would be
    quoted in public annotations. FIFOs block a reader forever and devices never end.
    """
    try:
        link = path.is_symlink()
        if link:
            target = path.resolve(strict=True)
            if root is not None and not target.is_relative_to(root):
                return "symlink to a file outside the folder given; skipped"
        mode = path.stat().st_mode
    except RuntimeError:  # a symlink loop on Python < 3.13
        return "symlink loop; skipped"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "symlink loop; skipped"
        return f"cannot read: {exc.strerror or exc}; skipped"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a file; skipped"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file; skipped"
    if stat.S_ISDIR(mode):
        return "symlink to a folder; not followed" if link else None
    return "not a regular file; skipped"


def discover(
    paths: list[str],
    excluded: Callable[[str], bool] | None = None,
    warnings: list[str] | None = None,
) -> tuple[list[tuple[Path, str]], list[InputError]]:
    """Expand files and folders into (file, display path) pairs, in a stable order.

    Folders are walked recursively, hidden entries (``.git``, editor droppings) skipped,
    and only ``SUPPORTED_SUFFIXES`` taken.  A file named on the command line must carry
    a supported suffix too: reading a ``.csv`` or ``.json`` as prose would only produce
    nonsense sentences.  A file reached twice is listed once.  ``excluded`` (a display
    path or folder -> skip it) prunes folders and files while walking.  Entries a walk
    will not read (symlinks leaving the folder, loops, FIFOs, devices) are skipped with
    a line in ``warnings``.
    """
    found: list[tuple[Path, str]] = []
    errors: list[InputError] = []
    seen: set[Path] = set()
    warned = warnings if warnings is not None else []

    def add(path: Path, display: str) -> None:
        if excluded is not None and excluded(display):
            return
        if _not_utf8(display):
            # Reports are UTF-8 (JSON, SARIF): such a name cannot be cited. The rest go on.
            errors.append(InputError(path=shown_name(display), message="file name is not UTF-8; not read (rename it)"))
            return
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, display))

    for given in paths:
        root = Path(given)
        leaves = _leaves_through_link(root) if root.is_dir() or root.is_file() else None
        if leaves is not None:
            errors.append(InputError(path=shown_name(given), message=leaves))
        elif root.is_dir():
            real_root = root.resolve()
            rels: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(root):
                here = Path(dirpath).relative_to(root)
                kept_dirs = []
                for d in dirnames:
                    if d.startswith(".") or (excluded and excluded(_display(given, here / d))):
                        continue
                    if (Path(dirpath) / d).is_symlink():  # os.walk does not descend; say so
                        warned.append(f"{shown_name(_display(given, here / d))}: symlink to a folder; not followed")
                        continue
                    if len(here.parts) + 1 > MAX_FOLDER_DEPTH:
                        errors.append(
                            InputError(
                                path=shown_name(_display(given, here / d)),
                                message=f"folders nested more than {MAX_FOLDER_DEPTH} deep; not walked further",
                            )
                        )
                        continue
                    kept_dirs.append(d)
                dirnames[:] = kept_dirs
                for name in filenames:
                    full = Path(dirpath) / name
                    if name.startswith(".") or not _is_supported(full):
                        continue
                    why = _regular_inside(full, real_root)
                    if why is not None:
                        warned.append(f"{shown_name(_display(given, here / name))}: {why}")
                        continue
                    rels.append(full.relative_to(root))
            if not rels:
                errors.append(
                    InputError(
                        path=shown_name(given),
                        message=f"no articles ({', '.join(SUPPORTED_SUFFIXES)}) in folder",
                    )
                )
            for rel in sorted(rels, key=lambda p: p.parts):
                add(root / rel, _display(given, rel))
        elif root.is_file():
            if not _is_supported(root):
                errors.append(
                    InputError(
                        path=shown_name(given),
                        message="unsupported file type; expected one of "
                        + ", ".join(SUPPORTED_SUFFIXES),
                    )
                )
            else:
                add(root, given)
        elif root.exists():
            errors.append(InputError(path=shown_name(given), message="not a regular file or folder"))
        else:
            try:
                root.resolve(strict=True)
            except RuntimeError:
                errors.append(InputError(path=shown_name(given), message="symlink loop"))
                continue
            except OSError as exc:
                if exc.errno == 40:
                    errors.append(InputError(path=shown_name(given), message="symlink loop"))
                    continue
            errors.append(InputError(path=shown_name(given), message="no such file or directory"))
    return found, errors
