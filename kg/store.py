"""Graph stores: Oxigraph on disk (default) or any SPARQL 1.1 server over HTTP.

Both implement `Store`. Queries see the union of all named graphs as their default graph
(embedded: ``use_default_graph_as_union``; a server must be configured so: ``oxigraph serve
--union-default-graph``, Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do it already).

Writes are per named graph: `write_graphs` replaces each given graph atomically (embedded: one
SPARQL update ``DROP SILENT GRAPH …; INSERT DATA …``; HTTP: one Graph Store Protocol ``PUT``), or,
for graphs known to be new, loads them in bulk (embedded: one ``bulk_load`` per batch, the fast path
of DESIGN.md; HTTP: one ``INSERT DATA`` per 100 graphs). A graph's completion marker
(``<g> kg:graphOf <source>``) is written last, so an interrupted bulk load leaves a graph that the
next ingest sees as unfinished and replaces.
"""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kg.errors import QueryError, StoreBusyError, StoreError

log = logging.getLogger(__name__)
OPTIMIZE_HEADROOM = 1024**3  # free disk kept beyond the store's size when optimising
FLUSH_EVERY = 4 << 20  # bytes of text written by transactions between flushes of the write buffers

Row = dict[str, dict[str, str]]  # SPARQL 1.1 JSON results binding: var -> {"type", "value", …}
Bindings = dict[str, str] | dict[str, list[str]]  # variable → N-Triples term (or terms, one row each)


@dataclass(frozen=True, slots=True)
class GraphData:
    """One named graph to write: its IRI, its N-Triples lines, and the marker lines written last.

    `nquads`, when given, is the same content as N-Quads text in this graph (``nquads_text``) encoded
    as UTF-8, made where the lines were built (a worker process): one object crosses processes
    instead of hundreds, and the bulk load takes it as is. As bytes it takes half the memory of the
    text (a Python string with one Vietnamese letter in it holds 2 bytes a character; the UTF-8 of
    these graphs is 1.01 bytes a character), and an ingest holds up to four 64 MB batches of it.
    `lines` may then be empty; `triples()` recovers them.
    """

    iri: str
    lines: list[str]
    markers: list[str]
    nquads: bytes = b""

    def triples(self) -> list[str]:
        if self.lines or not self.nquads:
            return self.lines
        cut = len(self.iri) + 5  # " <iri> ." at the end of each quad
        return [q[:-cut] + " ." for q in self.nquads.decode("utf-8").splitlines()]

    def quads(self) -> str:
        return self.nquads.decode("utf-8") if self.nquads else nquads_text(self.iri, self.lines)

    def quads_utf8(self) -> bytes:
        return self.nquads or nquads_text(self.iri, self.lines).encode("utf-8")


class Store(Protocol):
    location: str

    def select(self, query: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT query, each variable → its value (IRI or lexical form)."""

    def select_terms(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Rows with full terms, in the SPARQL 1.1 JSON results shape."""

    def select_values(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        """Rows as tuples of values in the order of the SELECT clause (None when unbound), streamed
        where the backend can: for big results read once (a few million rows), light on memory."""

    def select_nt(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        """Rows as tuples of N-Triples terms (``<iri>``, ``"literal"^^<type>`` …), like `select_values`."""

    def update(self, sparql: str) -> None: ...

    def write_graphs(self, graphs: list[GraphData], *, fresh: bool = False) -> None: ...

    def drop_graph(self, graph: str) -> None: ...

    def dump_nquads(self) -> Iterator[str]: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...


def term_nt(term: dict[str, str]) -> str:
    """A SPARQL-JSON term as N-Triples."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if "xml:lang" in term:
        return f'"{text}"@{term["xml:lang"]}'
    dt = term.get("datatype")
    if dt and dt != "http://www.w3.org/2001/XMLSchema#string":
        return f'"{text}"^^<{dt}>'
    return f'"{text}"'


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_IRI = re.compile(r'^<[^<>"{}|^`\\\s]*>$')
_LITERAL = re.compile(r'^"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\s]*>)?$')


def bind(query: str, bindings: Bindings | None) -> str:
    """Bind variables by a VALUES block at the start of the first WHERE group.

    Values are N-Triples terms (``<iri>`` or a literal); anything else is refused, so a value can
    never change the query's shape. One variable may take a list of values (one row each).
    The same text goes to both backends.

    >>> bind("SELECT ?s WHERE { ?s ?p ?o }", {"p": "<urn:x>"})
    'SELECT ?s WHERE { VALUES (?p) { (<urn:x>) } ?s ?p ?o }'
    >>> bind("SELECT ?s WHERE { ?s ?p ?o }", {"s": ["<urn:a>", "<urn:b>"]})
    'SELECT ?s WHERE { VALUES (?s) { (<urn:a>) (<urn:b>) } ?s ?p ?o }'
    """
    if not bindings:
        return query
    rows: list[list[str]]
    if any(isinstance(v, list) for v in bindings.values()):
        if len(bindings) != 1:
            raise QueryError("a list of values can only be bound to a single variable")
        rows = [[v] for v in next(iter(bindings.values()))]
    else:
        rows = [list(bindings.values())]  # type: ignore[arg-type]
    for row in rows:
        for name, value in zip(bindings, row, strict=True):
            if not name.isidentifier() or not (_IRI.match(value) or _LITERAL.match(value)):
                raise QueryError(f"binding ?{name} = {value!r} is not an N-Triples IRI or literal")
    body = " ".join(f"({' '.join(row)})" for row in rows)
    block = f"VALUES ({' '.join('?' + k for k in bindings)}) {{ {body} }}"
    m = _WHERE.search(query)
    if m is None:
        raise QueryError("cannot bind variables: the query has no WHERE { … } group")
    return f"{query[:m.end()]} {block}{query[m.end():]}"


def value_blocks(name: str, items: Iterable[str], size: int = 500, *, literal: bool = False) -> Iterator[Bindings]:
    r"""Bindings of ?`name` to `items` for `bind` (one VALUES row each), `size` at a time: IRIs, or
    plain string literals with `literal`.

    >>> list(value_blocks("i", ["urn:a", "urn:b", "urn:c"], 2))
    [{'i': ['<urn:a>', '<urn:b>']}, {'i': ['<urn:c>']}]
    >>> list(value_blocks("s", ['30c/NQ-CP', 'a "b"'], literal=True))
    [{'s': ['"30c/NQ-CP"', '"a \\"b\\""']}]
    """
    kind = "literal" if literal else "uri"
    todo = list(items)
    for start in range(0, len(todo), size):
        yield {name: [term_nt({"type": kind, "value": v}) for v in todo[start:start + size]]}


_DUMP = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


SNAPSHOTS = "kg-snapshots"
"""Folder inside an embedded store holding the read-only snapshots readers open (see `EmbeddedStore`)."""
_BUSY = ("store is in use: another kg process is writing to this store — wait for it to finish, "
         "rerun with --wait SECONDS, or use another --store")


class EmbeddedStore:
    """Oxigraph (pyoxigraph) on disk.

    A writer (the default) takes RocksDB's lock on the folder: a second writer gets
    `StoreBusyError` ("store is in use"), or with `wait` seconds polls for the lock that long.

    A reader (``read_only=True``) never touches the writer's files: pyoxigraph documents opening
    a folder read-only while another process writes it as undefined behaviour (measured here: a
    reader polling during bulk loads failed on table files compacted away, and once grew to 23 GB
    before the kernel killed it). Readers open a *snapshot* instead, a RocksDB checkpoint in
    ``kg-snapshots/`` (hard links, ~15 ms) that no one writes after it is made:

    - a writer, on closing, snapshots what it wrote and marks the snapshot fresh; on opening, it
      unmarks it, and snapshots first if there was no fresh one, so readers always have the state
      from before its writes;
    - a reader opens the fresh snapshot; if there is none (a writer was killed, or the store predates
      snapshots), it takes the lock briefly to make one; if a writer holds the lock, it reads the
      last snapshot, i.e. the store as it was before that writer started;
    - a reader holds a shared `flock` on its snapshot; writers delete only snapshots no one holds.

    The snapshot's hard links keep every table file it names on disk until the next one is made:
    while a long ingest compacts a large store, the folder grows towards twice the store's size
    (measured: 38.5 GB → 59 GB during a 100k-plan chunk of the million-plan build). An `exclusive`
    writer gives that room back: on opening it withdraws the readers' snapshot (deleting it unless
    a reader holds it), so readers wait for it (``--wait``) or are told the store is busy, and on
    closing it snapshots as any writer does.
    """

    _read_only = False
    _reading: Any = None  # the open lock file of the snapshot a reader holds
    generation: str | None = None
    """A reader's snapshot name: every writer that closes makes a new one, so two readers with the same
    generation see the same data (results kept beside the store are keyed by it); None for a writer."""
    base_generation: str | None = None
    """A writer's: the generation of the data as it found them (None if unknown: a writer before it
    was killed)."""
    writes = 0
    """A writer's count of the writes made so far (results kept for its readers note it: a write after
    them makes them stale)."""
    unflushed = 0
    """Bytes of SPARQL and N-Quads text written in transactions since the last flush (see `_written`)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, wait: float = 0.0,
                 exclusive: bool = False):
        import pyoxigraph

        self._ox = pyoxigraph
        self.location = str(path)
        self._read_only = read_only
        self._after_close: list[Callable[[str], None]] = []
        if read_only:
            self._store: Any = self._open_snapshot(wait)
        else:
            self._store = self._open_writer(wait)
            fresh = self._current_snapshot() if self._fresh_flag().exists() else None
            if exclusive:
                self._withdraw_snapshots()
            elif fresh is None:
                fresh = self._snapshot()  # readers get the state before this writer's changes
            self.base_generation = fresh.name if fresh else None
            self._fresh_flag().unlink(missing_ok=True)

    # -- opening ------------------------------------------------------------------------------
    def _open_writer(self, wait: float) -> Any:
        deadline = time.monotonic() + wait
        while True:
            try:
                Path(self.location).mkdir(parents=True, exist_ok=True)
                return self._ox.Store(self.location)
            except (OSError, RuntimeError) as e:  # RocksDB reports corruption as RuntimeError
                if "lock" not in str(e).lower():
                    raise StoreError(f"cannot open the store ({' '.join(str(e).split())}); check the folder or "
                                     "use another --store", path=self.location) from e
                if time.monotonic() >= deadline:
                    raise StoreBusyError(_BUSY, path=self.location) from e
                time.sleep(0.2)

    def _snapshots(self) -> Path:
        return Path(self.location) / SNAPSHOTS

    def _fresh_flag(self) -> Path:
        return self._snapshots() / "fresh"

    def _current_snapshot(self) -> Path | None:
        try:
            name = (self._snapshots() / "current").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        path = self._snapshots() / name
        return path if name and (path / "CURRENT").is_file() else None

    def _snapshot(self) -> Path | None:
        """Checkpoint the store into a new snapshot, point `current` at it, drop unused old ones;
        return it (None if it could not be made)."""
        folder = self._snapshots()
        folder.mkdir(exist_ok=True)
        name = f"{time.time_ns()}-{os.getpid()}"
        try:
            self._store.backup(str(folder / name))
        except OSError as e:
            log.warning("could not snapshot %s for readers: %s", self.location, e)
            return None
        tmp = folder / f"current.{os.getpid()}"
        tmp.write_text(name, encoding="utf-8")
        os.replace(tmp, folder / "current")
        for old in folder.iterdir():
            if old.is_dir() and old.name != name:
                _remove_unused(old)
        return folder / name

    def _withdraw_snapshots(self) -> None:
        """No snapshot for readers while this writer runs: `current` goes first (new readers find none
        and wait or are told the store is busy), then every snapshot no reader holds."""
        folder = self._snapshots()
        (folder / "current").unlink(missing_ok=True)
        if folder.is_dir():
            for old in folder.iterdir():
                if old.is_dir():
                    _remove_unused(old)

    def _open_snapshot(self, wait: float) -> Any:
        deadline = time.monotonic() + wait
        races = 0  # a snapshot replaced between finding and locking it: retried, a bounded number of times
        while races < 20:
            snapshot = self._current_snapshot() if self._fresh_flag().exists() else None
            if snapshot is None:
                try:
                    writer = EmbeddedStore(self.location, wait=0)  # makes the snapshot as it closes
                except StoreBusyError:
                    snapshot = self._current_snapshot()  # the state before the running writer
                    if snapshot is None:  # an exclusive writer, or one that withdrew it
                        if time.monotonic() >= deadline:
                            raise StoreBusyError(_BUSY, path=self.location) from None
                        time.sleep(0.2)
                        continue
                else:
                    writer.close()
                    races += 1
                    continue
            lock = open(str(snapshot) + ".lock", "a+b")  # noqa: SIM115 — held until close()
            fcntl.flock(lock, fcntl.LOCK_SH)
            if not (snapshot / "CURRENT").is_file():  # removed between reading `current` and locking
                lock.close()
                races += 1
                continue
            try:
                store = self._ox.Store.read_only(str(snapshot))
            except (OSError, RuntimeError) as e:
                lock.close()
                raise StoreError(f"cannot open the store for reading ({e}); run `kg verify`",
                                 path=self.location) from e
            self._reading, self.generation = lock, snapshot.name
            return store
        raise StoreBusyError(_BUSY, path=self.location)

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        try:
            return self._store.query(bind(query, bindings), use_default_graph_as_union=True)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL: {e}") from e
        except OSError as e:
            raise StoreError(f"query failed: {e}", path=self.location) from e

    def select(self, query: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        result = self._run(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: t.value for n, t in zip(names, sol, strict=True) if t is not None} for sol in result]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        result = self._run(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: self._json(t) for n, t in zip(names, sol, strict=True) if t is not None} for sol in result]

    def select_values(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        result = self._run(query, bindings)
        width = range(len(result.variables))
        for sol in result:
            yield tuple(None if (t := sol[k]) is None else t.value for k in width)

    def select_nt(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        result = self._run(query, bindings)
        width = range(len(result.variables))
        for sol in result:
            yield tuple(None if (t := sol[k]) is None else str(t) for k in width)  # pyoxigraph: N-Triples

    def _json(self, term: Any) -> dict[str, str]:
        if isinstance(term, self._ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, self._ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        else:
            out["datatype"] = term.datatype.value
        return out

    def _writable(self) -> None:
        """Refuse writes to a reader; count those of a writer (`writes`)."""
        if self._read_only:
            raise StoreError("opened for reading only; this command cannot change the store", path=self.location)
        self.writes += 1

    def _written(self, size: int) -> None:
        """Flush RocksDB's write buffers once `FLUSH_EVERY` bytes of text went in by transactions.
        Transactions fill in-memory tables, one per index, that RocksDB flushes only when one is
        full: the completion markers of 100k files (2 quads each, 46 MB of N-Quads) held 226 MiB
        there until the store closed, flushed every 5,000 files 15 MiB (bench/profiles/ingest-memory.md)."""
        self.unflushed += size
        if self.unflushed >= FLUSH_EVERY:
            self._store.flush()
            self.unflushed = 0

    def update(self, sparql: str) -> None:
        self._writable()
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise QueryError(f"malformed SPARQL update: {e}") from e
        except OSError as e:
            raise StoreError(f"update failed: {e}", path=self.location) from e
        self._written(len(sparql))

    def write_graphs(self, graphs: list[GraphData], *, fresh: bool = False) -> None:
        if not graphs:
            return
        self._writable()
        fmt = self._ox.RdfFormat.N_QUADS
        try:
            if fresh:
                # streamed graph by graph (no joined copy of a batch that may hold tens of MB);
                # lenient: every IRI here was minted by kg.ids and every literal escaped by kg.build
                self._store.bulk_load(input=_QuadsReader(graphs), format=fmt, lenient=True)
                # the markers last, in one transaction: a crash before this leaves each file of the
                # batch unmarked, so the next ingest replaces it
                marks = "".join(nquads_text(g.iri, g.markers) for g in graphs)
                self._store.load(input=marks, format=fmt)
                self._written(len(marks))
                return
            for g in graphs:
                data = "\n".join([*g.triples(), *g.markers])
                self._store.update(f"DROP SILENT GRAPH <{g.iri}> ;\nINSERT DATA {{ GRAPH <{g.iri}> {{\n{data}\n}} }}")
                self._written(len(data))
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"writing {len(graphs)} graph(s) failed: {e}", path=self.location) from e

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def dump_nquads(self) -> Iterator[str]:
        data = self._store.dump(format=self._ox.RdfFormat.N_QUADS)
        yield data.decode("utf-8")

    def optimize(self) -> None:
        """Compact the store's tables (after a bulk load of 10k plans, queries ran 1.3-2× faster). RocksDB writes the
        compacted tables before it deletes the old ones, so this can need as much free disk as the
        store takes: with less, it is left undone with a warning rather than filling the disk (a
        full disk stops every write; measured at a million plans: a 45 GB store, 27 GB free)."""
        if self._read_only:
            return
        size, free = store_bytes(self.location), shutil.disk_usage(self.location).free
        if free < size + OPTIMIZE_HEADROOM:
            log.warning("%s not optimised: %.1f GB free on its disk, and compacting this %.1f GB store can "
                        "need as much again; free some space and run `kg ingest` again to optimise it",
                        self.location, free / 1e9, size / 1e9)
            return
        self._store.optimize()

    def close(self) -> None:
        if self._store is None:
            return
        if self._read_only:
            self._store = None
            if self._reading is not None:
                self._reading.close()  # releases the shared lock on the snapshot
                self._reading = None
            return
        self._store.flush()
        snapshot = self._snapshot()
        self._fresh_flag().touch()
        self._store = None
        for keep in self._after_close if snapshot is not None else ():
            try:
                keep(snapshot.name)
            except Exception as e:  # keeping results is best effort: the data are written
                log.warning("after closing %s: %s", self.location, e)
        if snapshot is not None and self.writes == 0 and self.base_generation:
            from kg import kept

            kept.follow(self, self.base_generation, snapshot.name)  # the same data: what was kept still holds

    def after_close(self, keep: Callable[[str], None]) -> None:
        """Call `keep(generation)` once this writer has closed, with the generation readers will see
        (for results computed from what it wrote, kept for them: `kg.kept`)."""
        self._after_close.append(keep)


class _QuadsReader(io.RawIOBase):
    """The N-Quads of `graphs` as a binary stream, encoded one graph at a time as it is read."""

    def __init__(self, graphs: list[GraphData]) -> None:
        self._parts = (g.quads_utf8() for g in graphs)
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            part = next(self._parts, None)
            if part is None:
                return 0
            self._left = memoryview(part)
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def _remove_unused(snapshot: Path) -> None:
    """Delete a snapshot unless a reader holds its lock."""
    lock_path = Path(str(snapshot) + ".lock")
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # a reader has it open; a later writer removes it
        shutil.rmtree(snapshot, ignore_errors=True)
        lock_path.unlink(missing_ok=True)


class HttpStore:
    """A SPARQL 1.1 server: Protocol for query and update, Graph Store Protocol for whole graphs.

    `url` is the server root or its query endpoint. Endpoints default to Oxigraph's layout
    (``/query``, ``/update``, ``/store``); ``KG_UPDATE_URL`` and ``KG_GSP_URL`` override them
    (Fuseki: ``…/ds/update``, ``…/ds/data``).
    """

    batch = 100  # new graphs per INSERT DATA request

    def __init__(self, url: str, timeout: float = 120.0):
        root = url.rstrip("/")
        for suffix in ("/query", "/sparql"):
            if root.endswith(suffix):
                root = root[: -len(suffix)]
        self.location = url
        self.query_url = root + "/query" if not url.rstrip("/").endswith(("/query", "/sparql")) else url
        self.update_url = os.environ.get("KG_UPDATE_URL") or root + "/update"
        self.gsp_url = os.environ.get("KG_GSP_URL") or root + "/store"
        self.timeout = timeout

    def _request(self, url: str, data: bytes | None, headers: dict[str, str], method: str) -> bytes:
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace")[:300].strip()
            if e.code == 400:
                raise QueryError(f"{url}: the server rejected the request: {detail}") from e
            raise StoreError(f"HTTP {e.code} from the server: {detail}", path=url) from e
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"cannot reach the SPARQL server ({e}); is it running?", path=url) from e

    def _results(self, query: str, bindings: Bindings | None) -> dict[str, Any]:
        body = urllib.parse.urlencode({"query": bind(query, bindings)}).encode("utf-8")
        raw = self._request(self.query_url, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"}, "POST")
        return json.loads(raw)

    def select_terms(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        return list(self._results(query, bindings)["results"]["bindings"])

    def select(self, query: str, bindings: Bindings | None = None) -> list[dict[str, str]]:
        return [{k: v["value"] for k, v in row.items()} for row in self.select_terms(query, bindings)]

    def select_values(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        results = self._results(query, bindings)
        names = results["head"]["vars"]
        for row in results["results"]["bindings"]:
            yield tuple(row[n]["value"] if n in row else None for n in names)

    def select_nt(self, query: str, bindings: Bindings | None = None) -> Iterator[tuple[str | None, ...]]:
        results = self._results(query, bindings)
        names = results["head"]["vars"]
        for row in results["results"]["bindings"]:
            yield tuple(term_nt(row[n]) if n in row else None for n in names)

    def update(self, sparql: str) -> None:
        # "update via POST directly" (SPARQL 1.1 Protocol §2.2.2): no percent-encoding of big bodies
        self._request(self.update_url, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=UTF-8"}, "POST")

    def _graph_url(self, graph: str) -> str:
        return f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

    def write_graphs(self, graphs: list[GraphData], *, fresh: bool = False) -> None:
        if fresh:  # new graphs: one SPARQL INSERT DATA per batch (each request atomic), not a PUT each
            for start in range(0, len(graphs), self.batch):
                body = "\n".join(
                    f"GRAPH <{g.iri}> {{\n" + "\n".join([*g.triples(), *g.markers]) + "\n}"
                    for g in graphs[start:start + self.batch])
                self.update(f"INSERT DATA {{\n{body}\n}}")
            return
        # A changed graph: one Graph Store Protocol PUT, which replaces it atomically on the server.
        for g in graphs:
            data = ("\n".join([*g.triples(), *g.markers]) + "\n").encode("utf-8")
            self._request(self._graph_url(g.iri), data, {"Content-Type": "application/n-triples"}, "PUT")

    def drop_graph(self, graph: str) -> None:
        try:
            self._request(self._graph_url(graph), None, {}, "DELETE")
        except StoreError as e:
            if "HTTP 404" not in str(e):
                raise

    def dump_nquads(self) -> Iterator[str]:
        for row in self.select_terms(_DUMP):
            yield f"{term_nt(row['s'])} {term_nt(row['p'])} {term_nt(row['o'])} {term_nt(row['g'])} .\n"

    def optimize(self) -> None:
        """Servers manage their own storage."""

    def close(self) -> None:
        """Nothing is held between requests."""


def store_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes of an embedded store's own files: the readers' snapshots (hard links to the same table
    files) and the results kept beside it (`kg.kept`) left out."""
    from kg.kept import KEPT

    skip = {SNAPSHOTS, KEPT}
    total = 0
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            try:  # RocksDB compacts in the background: a table file listed may be gone a moment later
                total += os.stat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                continue
    return total


def nquads_text(graph: str, lines: list[str]) -> str:
    """N-Triples lines as N-Quads text in `graph`.

    >>> nquads_text("urn:g", ['<urn:s> <urn:p> "o" .'])
    '<urn:s> <urn:p> "o" <urn:g> .\\n'
    """
    g = f" <{graph}> .\n"
    return "".join(line[:-2] + g for line in lines)


def open_store(location: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               wait: float = 0.0, exclusive: bool = False) -> Store:
    """`http(s)://…` → `HttpStore`; anything else is a folder for `EmbeddedStore`.

    The location defaults to ``KG_STORE``, then ``./kg-store``. `read_only` opens an embedded store
    for reading alongside a running writer; `wait` is how many seconds to wait for a busy store;
    `exclusive` opens a writer that keeps no snapshot for readers while it runs (see `EmbeddedStore`).
    """
    where = str(location or os.environ.get("KG_STORE") or "kg-store")
    if where.startswith(("http://", "https://")):
        return HttpStore(where)
    return EmbeddedStore(where, read_only=read_only, wait=wait, exclusive=exclusive)


EXPORT_FORMATS = ("turtle", "ntriples", "nquads", "jsonld")
PREFIXES = {
    "kg": "https://kg.vn-plans.org/ns#", "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def export_rdf(store: Store, fmt: str) -> bytes:
    """The whole store: N-Quads and JSON-LD keep the named graphs; Turtle and N-Triples merge them.

    Serialised with pyoxigraph (fast on big stores); triples present in several graphs appear once.
    """
    import pyoxigraph as ox

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    data = "".join(store.dump_nquads())
    if fmt == "nquads":
        return data.encode("utf-8")
    quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
    if fmt == "jsonld":
        return ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b""
    triples = list(dict.fromkeys(q.triple for q in quads))
    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
