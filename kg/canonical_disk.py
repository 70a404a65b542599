"""One canonical property of every instrument, chosen and rewritten through a temporary SQLite file
(the whole-store refresh of `kg.registry.refresh_canonical`).

The refresh of a few instruments holds their readings in Python (`kg.registry._chosen`). For every
instrument of a large store that was the refresh's largest memory: at a million plans, ~1M chosen
readings per property (a dict of lists, ~250 bytes an instrument) on top of what Oxigraph holds
for the queries, and the refresh peaked at 949-1,117 MiB. Here the readings go to disk as they
are read, and SQLite does the rest:

1. `reading`: every (rank, instrument, value, votes) the property's queries give, in rank order;
2. `chosen`: per instrument, of the readings of its best rank, the one with the most votes (ties:
   the smallest value, compared as code points), as `_chosen` does;
3. `stored` and `expected`: the canonical graph's triples of the property as they are, and as they
   should be; only their difference is written (most values stand after a batch of new plans).

The SQLite work costs time the dicts did not: at 100k plans 25.2-25.5 s of CPU and 334 MiB with
dicts, 29.1-32.2 s and 314-315 MiB this way; at a million plans 752 MiB instead of 1,180
(bench/profiles/refresh-disk.md).
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.store import GraphData, Store

Objects = Callable[[str, int, str], "tuple[str | None, str]"]  # (target, rank, value) → (value term, basis term)

_SCHEMA = """
CREATE TABLE reading (rank INTEGER, inst TEXT, value TEXT, votes INTEGER);
CREATE TABLE stored (s TEXT, p TEXT, o TEXT);
CREATE TABLE expected (s TEXT, p TEXT, o TEXT);
"""
_CHOOSE = """
CREATE TABLE chosen AS
SELECT inst, rank, value FROM (
    SELECT inst, rank, value,
           ROW_NUMBER() OVER (PARTITION BY inst ORDER BY rank, votes DESC, value) AS k
    FROM (SELECT inst, rank, value, SUM(votes) AS votes FROM reading GROUP BY inst, rank, value))
WHERE k = 1
"""
# the triples in one table only, with that table's side: one sort of both (two EXCEPTs took 2.7 s
# for a property at 100k plans, this 0.6-0.9 s)
_DIFFERENCE = """
SELECT s, p, o, MIN(side) FROM (SELECT s, p, o, 1 AS side FROM stored UNION ALL SELECT s, p, o, 2 FROM expected)
GROUP BY s, p, o HAVING COUNT(*) = 1
"""


@contextlib.contextmanager
def scratch() -> Iterator[sqlite3.Connection]:
    """A temporary SQLite file for one refresh, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kg-refresh-") as folder:
        db = sqlite3.connect(Path(folder) / "canonical.sqlite")
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16000;")
            yield db
        finally:
            db.close()


def rewrite(db: sqlite3.Connection, store: Store, graph: str, predicates: tuple[str, str],
            queries: list[tuple[int, str]], objects: Objects, *, chunk: int = 1000, write_chunk: int = 200_000) -> None:
    """Make `graph`'s triples with `predicates` (canonical value, basis) those chosen from the rows
    of `queries` ((rank, SELECT ?i ?v [?n]) in rank order); `objects` gives a choice's terms."""
    target, basis = predicates
    db.executescript("DROP TABLE IF EXISTS reading; DROP TABLE IF EXISTS stored; DROP TABLE IF EXISTS expected;"
                     "DROP TABLE IF EXISTS chosen;" + _SCHEMA)
    for rank, query in queries:
        db.executemany("INSERT INTO reading VALUES (?, ?, ?, ?)",
                       ((rank, i, v, int(n[0]) if n else 1) for i, v, *n in store.select_values(query)))
    db.execute(_CHOOSE)
    db.execute("DROP TABLE reading")
    db.executemany("INSERT INTO stored VALUES (?, ?, ?)", store.select_nt(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} VALUES ?p {{ {target} {basis} }} }}"))
    db.executemany("INSERT INTO expected VALUES (?, ?, ?)",
                   _expected(db.execute("SELECT inst, rank, value FROM chosen"), target, basis, objects))
    gone: list[str] = []
    missing: list[str] = []
    for s, p, o, side in db.execute(_DIFFERENCE):  # side 1: stored only, 2: expected only
        (gone if side == 1 else missing).append(f"{s} {p} {o} .")
        if len(gone) >= chunk:
            _delete(store, graph, gone)
        if len(missing) >= write_chunk:
            _add(store, graph, missing)
    _delete(store, graph, gone)
    _add(store, graph, missing)


def _delete(store: Store, graph: str, lines: list[str]) -> None:
    if lines:
        store.update(f"DELETE DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines) + "\n} }")
        lines.clear()


def _add(store: Store, graph: str, lines: list[str]) -> None:
    if lines:
        store.write_graphs([GraphData(graph, list(lines), [])], fresh=True)
        lines.clear()


def _expected(chosen: Iterator[tuple[str, int, str]], target: str, basis: str,
              objects: Objects) -> Iterator[tuple[str, str, str]]:
    for inst, rank, value in chosen:
        o, b = objects(target, rank, value)
        s = f"<{inst}>"
        if o is not None:
            yield s, target, o
        yield s, basis, b
