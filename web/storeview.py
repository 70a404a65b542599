"""How the web app reads the store while `kg ingest` may be writing it.

An embedded Oxigraph store is a RocksDB folder. `pyoxigraph.Store(path)` takes RocksDB's lock, so
a server holding it would make every `kg ingest` fail with "another kg process is writing". The
app therefore opens the store with `pyoxigraph.Store.read_only(path)` (pyoxigraph 0.5.13), which
takes no lock and sees the store as it was when opened (measured: 20-70 ms to open at 1,000
documents; a writer in another process goes on, and a read-only handle opened before the writer's
commits and compaction still answers from its snapshot). pyoxigraph documents reading while another
process writes as undefined behaviour, so the app keeps the window small:

- each request asks `StoreView.store()` for a handle; the handle is reopened when the folder's
  fingerprint (names, sizes and times of RocksDB's CURRENT, MANIFEST, WAL and table files) changed,
  checked at most every `recheck` seconds, so an ingest's writes show up within a second of landing;
- a query that fails with an I/O error (a table file compacted away under an old snapshot) is
  retried once on a fresh handle.

A `--store http(s)://…` SPARQL server needs none of this: each request uses `kg.store.HttpStore`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.kept import KEPT
from kg.store import EmbeddedStore, HttpStore, Store


class ReadOnlyStore(EmbeddedStore):
    """`kg.store.EmbeddedStore` over `pyoxigraph.Store.read_only`: the library functions take it as
    any store; writing raises StoreError (RocksDB refuses it)."""

    def __init__(self, path: str | os.PathLike[str]):
        import pyoxigraph

        self._ox = pyoxigraph
        self.location = str(path)
        if not (Path(path) / "CURRENT").is_file():
            raise StoreError("no store here; run `kg ingest --store … FILES` first or give another --store",
                             path=str(path))
        try:
            self._store: Any = pyoxigraph.Store.read_only(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store read-only ({e})", path=str(path)) from e

    def close(self) -> None:
        """Nothing to flush: a read-only handle is dropped with its last reference."""


def fingerprint(path: str | os.PathLike[str]) -> tuple:
    """What changes in a RocksDB folder when anything is written: its data files' names, sizes and
    modification times (RocksDB's own info logs, ``LOG*``, and the lock are left out)."""
    out = []
    try:
        with os.scandir(path) as entries:
            for e in entries:
                if e.name.startswith("LOG") or e.name in ("LOCK", KEPT):  # results kept beside it are not data
                    continue
                try:
                    st = e.stat()
                except FileNotFoundError:  # compacted away while listing
                    continue
                out.append((e.name, st.st_size, st.st_mtime_ns))
    except FileNotFoundError:
        return ()
    return tuple(sorted(out))


class StoreView:
    """Hands out a store for one request: read-only and fresh for a folder, HTTP for a server."""

    def __init__(self, location: str, recheck: float = 1.0):
        self.location = location
        self.remote = location.startswith(("http://", "https://"))
        self.recheck = recheck
        self._lock = threading.Lock()
        self._handle: ReadOnlyStore | None = None
        self._print: tuple = ()
        self._checked = 0.0
        self.opened = 0  # how many times a handle was (re)opened: tests and the footer show it

    def version(self) -> tuple:
        """The fingerprint the current handle was opened at (workers compare theirs with it)."""
        self._fresh()
        return self._print

    def _fresh(self) -> ReadOnlyStore:
        with self._lock:
            now = time.monotonic()
            if self._handle is not None and now - self._checked < self.recheck:
                return self._handle
            self._checked = now
            current = fingerprint(self.location)
            if self._handle is None or current != self._print:
                self._handle = ReadOnlyStore(self.location)
                self._print = current
                self.opened += 1
            return self._handle

    def invalidate(self) -> None:
        with self._lock:
            self._handle, self._checked = None, 0.0

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        if self.remote:
            yield HttpStore(self.location)
            return
        yield self._fresh()

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """`fn(store, *args, **kwargs)`, retried once on a freshly opened handle after a StoreError
        (an old snapshot whose files a concurrent ingest compacted away)."""
        for attempt in (0, 1):
            with self.store() as s:
                try:
                    return fn(s, *args, **kwargs)
                except StoreError:
                    if attempt or self.remote:
                        raise
                    self.invalidate()
        raise AssertionError("unreachable")
