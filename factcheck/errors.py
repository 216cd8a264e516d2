"""Errors that reach the user as one line naming the file (and line), never a traceback."""

from __future__ import annotations

import traceback
from contextvars import ContextVar

# Set by `factcheck --debug`: guards that turn an unexpected exception into a one-line
# error re-raise it instead, so the traceback reaches whoever is debugging.
DEBUG: ContextVar[bool] = ContextVar("factcheck_debug", default=False)


def debugging() -> bool:
    return DEBUG.get()


def internal_error_message(exc: BaseException) -> str:
    """One line for a bug or a resource limit: the exception and where in factcheck it rose."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/factcheck/" in f.filename.replace("\\", "/")] or frames
    where = f" (at {ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno})" if ours else ""
    text = " ".join(str(exc).split())[:200]
    hint = "" if debugging() else "; rerun with --debug for the traceback"
    return f"internal error: {type(exc).__name__}{': ' + text if text else ''}{where}{hint}"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt, so that the same
    cleanup runs (workers ended, caches closed) and the CLI exits 143."""


class FactcheckError(Exception):
    """Base: carries where the problem is so the CLI can print `path:line: message`."""

    def __init__(self, path: str, message: str, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __reduce__(self):
        # Raised in a pool worker, it is pickled to the parent; the default (args only)
        # would lose the path and fail to rebuild it.
        return (type(self), (self.path, self.message, self.line))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class RulesError(FactcheckError):
    """A rules file is missing, malformed or fails validation."""


class InputFileError(FactcheckError):
    """An input article cannot be read (missing, binary, empty, undecodable)."""
