"""`/sparql`: the SPARQL 1.1 Protocol (query operation) over the store, read-only and bounded.

- query via GET ``?query=``, POST form-encoded ``query=``, or POST ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` choose the dataset (default: the union of all graphs,
  as every `kg` command sees it);
- results by content negotiation (``Accept``) or ``?format=``: SELECT/ASK as SPARQL JSON, XML, CSV
  or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD; a browser gets an HTML table;
- read-only: the text goes through `kg.queries.check_read_only` (the check `kg sparql` uses:
  updates and SERVICE refused, syntax errors located) → 400; an update operation (``update=`` or
  ``application/sparql-update``) → 403;
- bounded: each query runs in a worker process (`web.worker`) that is killed at the time limit
  (→ 503 with the limit in the message); more than ``max_rows`` rows or triples → 413.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from typing import Any

from web.results import GRAPH_TYPES, RESULT_TYPES

_ALIASES = {  # media types clients send for the same formats
    "application/json": "json", "application/sparql-results+json": "json",
    "application/xml": "xml", "text/xml": "xml", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld",
}


def accepted(accept: str | None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, stable among equals).

    >>> accepted("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    out = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            out.append((-q, i, media.lower()))
    return [m for _, _, m in sorted(out)]


def negotiate(form: str, accept: str | None, explicit: str | None = None) -> str | None:
    """The short format name for a query form: ``html`` for browsers, None when nothing acceptable.

    >>> negotiate("SELECT", "text/html,application/xhtml+xml,*/*;q=0.8")
    'html'
    >>> negotiate("CONSTRUCT", "application/sparql-results+json")
    >>> negotiate("ASK", None), negotiate("DESCRIBE", "*/*"), negotiate("SELECT", "x", "tsv")
    ('json', 'turtle', 'tsv')
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    allowed = GRAPH_TYPES if graph else RESULT_TYPES
    if explicit:
        return explicit if explicit in allowed or explicit == "html" else None
    for media in accepted(accept):
        if media == "text/html":
            return "html"
        name = _ALIASES.get(media)
        if name in allowed:
            return name
        if media in ("*/*", "application/*", "text/*"):
            return "turtle" if graph else ("csv" if media == "text/*" else "json")
    return None


@dataclass
class Outcome:
    status: int
    media: str
    body: bytes
    rows: int = 0
    message: str = ""


class _Worker:
    def __init__(self, ctx: Any):
        from web.worker import serve

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=serve, args=(child,), daemon=True, name="kg-sparql-worker")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """A few worker processes, each answering one query at a time; started lazily, replaced when
    killed at the time limit or dead."""

    def __init__(self, size: int = 2, timeout: float = 30.0):
        self.size, self.timeout = size, timeout
        self._ctx = multiprocessing.get_context("spawn")  # the server's threads are not forked
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self._idle.put(None)  # a slot: a worker is started when first needed
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.killed = 0

    def _start(self) -> _Worker:
        w = _Worker(self._ctx)
        with self._lock:
            self._all.add(w)
        return w

    def _drop(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)

    def _respawn(self) -> None:
        try:
            w: _Worker | None = self._start()
        except Exception:  # the slot stays: the next query starts its worker and reports the cause
            w = None
        self._idle.put(w)

    def warm(self) -> None:
        """Start every worker now (the server does at start-up, so the first query is not slower)."""
        slots = [self._idle.get() for _ in range(self.size)]
        for s in slots:
            self._idle.put(s or self._start())

    def run(self, job: dict[str, Any]) -> Outcome:
        """Blocks (call it from a thread); never longer than about twice the time limit."""
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _error(503, f"every SPARQL worker is busy (each query may take up to {self.timeout:g} s); "
                               "try again shortly")
        if w is None or not w.proc.is_alive():
            if w is not None:
                self._drop(w)
            w = self._start()
        replace = False
        try:
            w.conn.send({**job, "timeout": self.timeout})
            if not w.conn.poll(self.timeout):
                self._drop(w)
                self.killed += 1
                replace = True
                return _error(503, f"the query was stopped at the time limit of {self.timeout:g} s; "
                                   "add LIMIT, make the patterns more selective or ask for a higher --sparql-timeout")
            reply = w.conn.recv()
        except (EOFError, OSError) as e:
            self._drop(w)
            replace = True
            return _error(500, f"the SPARQL worker died ({e!r}); try again")
        finally:
            if replace:  # a new worker starts now, in the background, not on the next query's time
                threading.Thread(target=self._respawn, daemon=True).start()
            else:
                self._idle.put(w)
        if reply[0] == "ok":
            return Outcome(200, reply[1], reply[2], reply[3])
        return _error(reply[1], reply[2])

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()


def _error(status: int, message: str) -> Outcome:
    return Outcome(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), message=message)
