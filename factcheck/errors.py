"""Errors that reach the user as one line naming the file (and line), never a traceback."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base: carries where the problem is so the CLI can print `path:line: message`."""

    def __init__(self, path: str, message: str, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class RulesError(FactcheckError):
    """A rules file is missing, malformed or fails validation."""


class InputFileError(FactcheckError):
    """An input article cannot be read (missing, binary, empty, undecodable)."""
