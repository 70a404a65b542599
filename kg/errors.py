"""One error hierarchy. Messages say what failed, quote the value, name the file, give the next step."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error the project raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ReadError(KGError):
    """A file could not be turned into text (corrupt, binary, encrypted, scanned, too large…)."""


class ParseError(KGError):
    """Text could not be parsed into a document."""


class StoreError(KGError):
    """The graph store could not be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process holds the store for writing."""


class QueryError(KGError):
    """A SPARQL query is malformed, not read-only, or exceeded its limits."""


class RefError(KGError):
    """A user-typed reference matched nothing, or more than one instrument."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = candidates or []
        super().__init__(message)
