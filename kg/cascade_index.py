"""An index of the `implements` cascade kept beside the store: lineage and cited-by read from it.

Walking a central directive's cascade in Oxigraph costs 5-8 lookups a node at ~11-16 µs each (every
IRI and path longer than 16 bytes is read back from RocksDB for every row): at 100k plans `kg
lineage DIRECTIVE --down` took 1.2 s and `kg cited-by 30c/NQ-CP` 637 ms, over a million plans more
than a minute (bench/profiles/cascade-index.md). This index holds, in one SQLite file:

- ``node``: each instrument's IRI under a small integer (the other tables and the walk use the
  integer: shorter keys, and each IRI read once a node) and its canonical date, issuer and title
  (the canonical graph);
- ``doc``: for each file graph, the instrument it describes and that instrument's readings in it
  (first file path, symbol, issuer name, date, year): the labels of lineage and cited-by;
- ``edge``: every ``kg:implements`` edge, with the graph that states it and the symbols that graph
  gives both ends: the walk, and a symbol for instruments no file describes.

It is a result kept with `kg.kept` for one generation of the store (a reader's snapshot): a reader
uses it only if it was made for the very snapshot it reads, and otherwise reads the store as before.
Writers keep it up to date as they write (`Keeper`): the ingest adds the rows of each file graph it
writes (handed over by `kg.build` as the worker that parsed the file wrote the triples: `watch`,
`rows_of`) and drops those of graphs it replaces, `kg forget` drops graphs, and both (and the registry commands) read
back the canonical values of the instruments whose canonical metadata was refreshed. The result is
carried from the index of the data the writer found, or built whole from the store when there was
none (a store made before this index, or after writes no keeper saw). A writer that writes again
after keeping it keeps nothing: its close then finds the count of writes changed.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg import ids, kept
from kg.store import Store, value_blocks

log = logging.getLogger(__name__)

NAME = "cascade"
FILE = "index.sqlite"
VERSION = 3  # of the tables below: an index of another version is not read, and is built again
BUFFER = 5000  # rows `Keeper.add` holds before storing them together

_SCHEMA = f"""
PRAGMA user_version = {VERSION};
CREATE TABLE node (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, date TEXT, issuer TEXT, title TEXT);
CREATE TABLE doc (graph TEXT PRIMARY KEY, node INTEGER NOT NULL, path TEXT NOT NULL, symbol TEXT, unit TEXT,
                  date TEXT, year TEXT) WITHOUT ROWID;
CREATE INDEX doc_node ON doc(node, path, symbol);
CREATE TABLE edge (graph TEXT NOT NULL, child INTEGER NOT NULL, parent INTEGER NOT NULL, child_symbol TEXT,
                   parent_symbol TEXT);
CREATE INDEX edge_parent ON edge(parent, child, parent_symbol);
CREATE INDEX edge_child ON edge(child, parent, child_symbol);
CREATE INDEX edge_graph ON edge(graph);
"""

_NS = "<https://kg.vn-plans.org/ns#"
PROPERTIES = ("describes", "sourcePath", "symbol", "issuerName", "date", "year", "implements")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}

# graph, node, path, symbol, unit, date, year
DocRow = tuple[str, str, str, str | None, str | None, str | None, str | None]
EdgeRow = tuple[str, str, str, str | None, str | None]  # graph, child, parent, their symbols
GraphRows = tuple[DocRow | None, list[EdgeRow]]
Watched = dict[str, list[tuple[str, str]]]  # N-Triples predicate → (subject, object) of its triples


def _value(term: str) -> str:
    """The value of an N-Triples term as `kg.build` writes them: an IRI's text, a literal's lexical form."""
    if term[0] == "<":
        return term[1:-1]
    text = term[1:term.rindex('"')]
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), text) if "\\" in text else text


def watch() -> Watched:
    """What `kg.build.document_triples` should hand over, as it writes the lines, for `rows_of`."""
    return {f"{_NS}{p}>": [] for p in PROPERTIES}


def rows_of(graph: str, watched: Watched) -> GraphRows:
    """The index rows of one file graph, from the triples `watch` asked for."""
    def each(name: str) -> list[tuple[str, str]]:
        return watched[f"{_NS}{name}>"]

    values: dict[tuple[str, str], str] = {}  # (subject, property) → the smallest value the graph gives
    for name in ("sourcePath", "symbol", "issuerName", "date", "year"):
        for s, o in each(name):
            key, value = (_value(s), name), _value(o)
            if key not in values or value < values[key]:
                values[key] = value
    doc: DocRow | None = None
    for s, o in each("describes")[:1]:
        src, node = _value(s), _value(o)
        if (src, "sourcePath") in values:
            doc = (graph, node, values[(src, "sourcePath")], values.get((node, "symbol")),
                   values.get((node, "issuerName")), values.get((node, "date")), values.get((node, "year")))
    edges = [(_value(s), _value(o)) for s, o in dict.fromkeys(each("implements"))]
    return doc, [(graph, c, p, values.get((c, "symbol")), values.get((p, "symbol"))) for c, p in edges]


# -- reading ----------------------------------------------------------------------------------

def reader(store: Any) -> sqlite3.Connection | None:
    """The index made for the snapshot `store` reads, opened read-only, or None (none was kept for
    it, or the store is a writer or a server). Opened once per store and snapshot."""
    generation = getattr(store, "generation", None)
    if not generation:
        return None
    cached = getattr(store, "_cascade_reader", None)
    if cached is not None and cached[0] == generation:
        return cached[1]  # type: ignore[no-any-return]
    path = kept_file(store)
    if path is None:
        return None
    try:
        # immutable: a kept index is never written after it is promoted (writers work on a copy)
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        if db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
            db.close()
            return None
    except sqlite3.Error as e:
        log.info("cannot read the cascade index %s: %s", path, e)
        return None
    store._cascade_reader = (generation, db)
    return db


def kept_file(store: Any) -> Path | None:
    """The index file kept for the snapshot `store` reads (None: none kept, or not a reader)."""
    generation = getattr(store, "generation", None)
    folder = kept.folder(store, NAME, generation) if generation else None
    path = folder / FILE if folder else None
    return path if path is not None and path.is_file() else None


def _in_blocks(db: sqlite3.Connection, sql: str, items: list[Any], size: int = 500) -> Iterator[tuple[Any, ...]]:
    """Rows of `sql` (with one ``IN (@)``) for `items`, `size` at a time."""
    for start in range(0, len(items), size):
        block = items[start:start + size]
        yield from db.execute(sql.replace("@", ",".join("?" * len(block))), block)


def node_id(db: sqlite3.Connection, iri: str) -> int | None:
    """The integer the index gives an instrument (None: no edge, file or canonical value names it)."""
    row = db.execute("SELECT id FROM node WHERE iri = ?", (iri,)).fetchone()
    return row[0] if row else None


def step(db: sqlite3.Connection, frontier: list[int], direction: str) -> Iterator[tuple[int, int]]:
    """(node, parent) of every edge one level away from the `frontier` (``down``: what carries the
    frontier out; ``up``: what it carries out), once for each graph stating it; nodes as integers."""
    frontier = sorted(frontier)  # blocks of neighbouring keys: fewer pages read per block
    if direction == "down":
        yield from _in_blocks(db, "SELECT child, parent FROM edge WHERE parent IN (@)", frontier)  # read from the index
    else:
        yield from _in_blocks(db, "SELECT parent, child FROM edge WHERE child IN (@)", frontier)  # alone


_NODE_OF = "SELECT id, iri, date, issuer, title FROM node WHERE id IN (@)"
_OWN_OF = "SELECT node, path, symbol FROM doc WHERE node IN (@)"  # covered by doc_node
_DOC_OF = ("SELECT d.graph, n.iri, d.path, d.symbol, d.unit, d.date, d.year FROM doc d JOIN node n ON n.id = d.node "
           "WHERE d.graph IN (@)")


def labels(db: sqlite3.Connection, nodes: list[int], *, with_path: bool,
           with_title: bool) -> tuple[dict[int, dict[str, str]], dict[int, str]]:
    """What `kg.cascade` labels a node with: its symbol (from its own file, else as its edges' graphs
    write it), canonical date, issuer and (`with_title`) title, and (`with_path`) its first file;
    and each node's IRI."""
    out: dict[int, dict[str, str]] = {n: {} for n in nodes}
    iris: dict[int, str] = {}
    for node, iri, date, issuer, title in _in_blocks(db, _NODE_OF, nodes):
        iris[node] = iri
        row = out[node]
        if date is not None:
            row["date"] = date
        if issuer is not None:
            row["issuer"] = issuer
        if with_title and title is not None:
            row["title"] = title
    for node, path, symbol in _in_blocks(db, _OWN_OF, nodes):  # a node several files describe: the first file
        row = out[node]
        if with_path and path < row.get("path", "\uffff"):
            row["path"] = path
        if symbol is not None and symbol < row.get("symbol", "\uffff"):
            row["symbol"] = symbol
    unnamed = [n for n in nodes if "symbol" not in out[n]]
    for sql in ("SELECT child, MIN(child_symbol) FROM edge WHERE child IN (@) GROUP BY child",
                "SELECT parent, MIN(parent_symbol) FROM edge WHERE parent IN (@) GROUP BY parent"):
        for node, symbol in _in_blocks(db, sql, unnamed):
            if symbol is not None and symbol < out[node].get("symbol", "\uffff"):
                out[node]["symbol"] = symbol
    return out, iris


_CITING = """PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?g (COUNT(DISTINCT ?m) AS ?mentions) (SAMPLE(?i) AS ?implements) WHERE {
  GRAPH ?g { ?doc kg:cites ?target OPTIONAL { ?m kg:mentionOf ?target }
             OPTIONAL { ?doc kg:implements ?target BIND(true AS ?i) } }
} GROUP BY ?g"""
_CITED_BY_KEYS = ("doc", "path", "symbol", "unitName", "date", "year")


def cited_by(store: Store, db: sqlite3.Connection, target: str) -> list[dict[str, str]]:
    """The rows of the named query `cited-by` for `target`: the citing graphs, their mentions and
    implements edges read from the store (one index range each), their labels from the index."""
    counts = {g: (n, i) for g, n, i in store.select_values(_CITING, {"target": f"<{target}>"}) if g}
    rows = []
    for doc in _in_blocks(db, _DOC_OF, list(counts)):
        n, impl = counts[doc[0]]
        row = {k: v for k, v in zip(_CITED_BY_KEYS, doc[1:], strict=True) if v is not None}
        row.update(mentions=n or "0", implements="true" if impl == "true" else "false")
        rows.append(row)
    return sorted(rows, key=lambda r: r["path"])


# -- writing ----------------------------------------------------------------------------------

# A whole build reads the documents and edges as rows, one per reading, staged in temporary tables
# and grouped there (each column's smallest value). Grouped by Oxigraph instead (GROUP BY ?g ?node
# with MIN), the million-plan store's documents alone held 1,182 MiB of group state after 14 minutes,
# no row out yet; staged, the whole build holds 321 MiB (bench/profiles/index-build.md).
_DOCS = """PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?g ?node ?p ?s ?u (STR(?d) AS ?date) (STR(?y) AS ?year) WHERE {
  GRAPH ?g { ?src kg:describes ?node ; kg:sourcePath ?p OPTIONAL { ?node kg:symbol ?s }
             OPTIONAL { ?node kg:issuerName ?u } OPTIONAL { ?node kg:date ?d } OPTIONAL { ?node kg:year ?y } }
}"""
_EDGES = """PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?g ?child ?parent ?cs ?ps WHERE {
  GRAPH ?g { ?child kg:implements ?parent OPTIONAL { ?child kg:symbol ?cs } OPTIONAL { ?parent kg:symbol ?ps } }
}"""
_STAGE_ROWS = ("CREATE TEMP TABLE raw_doc (graph TEXT, node TEXT, path TEXT, symbol TEXT, unit TEXT, date TEXT, "
               "year TEXT); CREATE TEMP TABLE raw_edge (graph TEXT, child TEXT, parent TEXT, cs TEXT, ps TEXT)")
_GROUP_ROWS = (
    "INSERT OR IGNORE INTO node(iri) SELECT node FROM temp.raw_doc UNION SELECT child FROM temp.raw_edge "
    "UNION SELECT parent FROM temp.raw_edge;"
    "INSERT OR REPLACE INTO doc SELECT r.graph, n.id, MIN(r.path), MIN(r.symbol), MIN(r.unit), MIN(r.date), "
    "MIN(r.year) FROM temp.raw_doc r JOIN node n ON n.iri = r.node GROUP BY r.graph, r.node ORDER BY r.graph, r.node;"
    "INSERT INTO edge SELECT r.graph, c.id, p.id, MIN(r.cs), MIN(r.ps) FROM temp.raw_edge r "
    "JOIN node c ON c.iri = r.child JOIN node p ON p.iri = r.parent GROUP BY r.graph, r.child, r.parent")
_CANON = "SELECT ?i ?v WHERE { GRAPH <@C@> { ?i <@P@> ?v } }"
_CANON_PROPERTIES = ("https://kg.vn-plans.org/ns#canonicalDate",  # the columns date, issuer and title
                 "https://kg.vn-plans.org/ns#canonicalIssuerName", "https://kg.vn-plans.org/ns#canonicalTitle")
# the values stream into a temporary table, then go into `node` grouped by node in one statement:
# a node's smallest value of each column (a canonical graph holds one per property; two only while a
# refresh is part way). Gathered in a dict instead, at a million plans: 44 s and 962 MiB at peak;
# staged: 34 s and 233 MiB.
_STAGE = "CREATE TEMP TABLE canon (iri TEXT NOT NULL, col INTEGER NOT NULL, value TEXT NOT NULL)"
_MERGE = ("INSERT INTO node(iri, date, issuer, title) SELECT iri, MIN(CASE WHEN col = 0 THEN value END), "
          "MIN(CASE WHEN col = 1 THEN value END), MIN(CASE WHEN col = 2 THEN value END) FROM temp.canon "
          "WHERE true GROUP BY iri ORDER BY iri ON CONFLICT(iri) DO UPDATE "
          "SET date = excluded.date, issuer = excluded.issuer, title = excluded.title")


def _ids(db: sqlite3.Connection, iris: list[str]) -> dict[str, int]:
    """The integers of `iris`, new ones given one."""
    iris = list(dict.fromkeys(iris))
    db.executemany("INSERT OR IGNORE INTO node(iri) VALUES (?)", ((i,) for i in iris))
    return dict(_in_blocks(db, "SELECT iri, id FROM node WHERE iri IN (@)", iris))  # type: ignore[arg-type]


def _insert(db: sqlite3.Connection, docs: Iterable[Any], edges: Iterable[Any], chunk: int = 5000) -> None:
    """Rows of `doc` and `edge` with IRIs (`DocRow`, `EdgeRow`), stored with the nodes' integers."""
    docs, edges = iter(docs), iter(edges)
    while part := list(itertools.islice(docs, chunk)):
        known = _ids(db, [d[1] for d in part])
        db.executemany("INSERT OR REPLACE INTO doc VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((g, known[n], *rest) for g, n, *rest in part))
    while part := list(itertools.islice(edges, chunk)):
        known = _ids(db, [e[1] for e in part] + [e[2] for e in part])
        db.executemany("INSERT INTO edge VALUES (?, ?, ?, ?, ?)",
                       ((g, known[c], known[p], cs, ps) for g, c, p, cs, ps in part))


def _set_canonical(db: sqlite3.Connection, store: Store, nodes: list[str] | None) -> None:
    """The canonical values of `nodes` (None: of every instrument) as the store holds them now,
    column by column, streamed from the store into the index."""
    if nodes is None:
        db.execute("UPDATE node SET date = NULL, issuer = NULL, title = NULL "
                   "WHERE date IS NOT NULL OR issuer IS NOT NULL OR title IS NOT NULL")
    else:
        db.executemany("UPDATE node SET date = NULL, issuer = NULL, title = NULL WHERE iri = ?", ((n,) for n in nodes))
    graph = ids.canonical_graph()
    db.execute(_STAGE)
    try:
        for col, prop in enumerate(_CANON_PROPERTIES):
            query = _CANON.replace("@C@", graph).replace("@P@", prop)
            blocks: Iterable[Any] = [None] if nodes is None else value_blocks("i", nodes)
            for block in blocks:
                db.executemany(f"INSERT INTO temp.canon VALUES (?, {col}, ?)", store.select_values(query, block))
        db.execute(_MERGE)
    finally:
        db.execute("DROP TABLE temp.canon")


def build(store: Store, db: sqlite3.Connection) -> None:
    """Fill an empty index with every row of the store (a writer that found no index to carry)."""
    db.executescript(_STAGE_ROWS)
    try:
        db.executemany("INSERT INTO temp.raw_doc VALUES (?, ?, ?, ?, ?, ?, ?)", store.select_values(_DOCS))
        db.executemany("INSERT INTO temp.raw_edge VALUES (?, ?, ?, ?, ?)", store.select_values(_EDGES))
        db.executescript(_GROUP_ROWS)
    finally:
        db.executescript("DROP TABLE IF EXISTS temp.raw_doc; DROP TABLE IF EXISTS temp.raw_edge")
    _set_canonical(db, store, None)


def rebuild(store: Any) -> str | None:
    """Build the index whole from what the writer `store` holds, for the snapshot it makes as it
    closes (`kg verify --rebuild-index`: an index found to differ from the store, or none kept).
    Returns why it could not be kept (readers then read the store), or None."""
    if getattr(store, "after_close", None) is None:
        return "only an embedded store keeps a cascade index"
    keeper = Keeper(store, whole=True)
    keeper.finish(None)
    return keeper.error


# -- checking ---------------------------------------------------------------------------------

# each table with its nodes' IRIs (two indexes of the same data number their nodes differently);
# a node counts only with a canonical value (one named only by edges or files has none to differ)
_COMPARED = {
    "documents": "SELECT d.graph, n.iri, d.path, d.symbol, d.unit, d.date, d.year FROM {db}.doc d "
                 "JOIN {db}.node n ON n.id = d.node",
    "edges": "SELECT e.graph, c.iri, p.iri, e.child_symbol, e.parent_symbol FROM {db}.edge e "
             "JOIN {db}.node c ON c.id = e.child JOIN {db}.node p ON p.id = e.parent",
    "canonical values": "SELECT iri, date, issuer, title FROM {db}.node "
                        "WHERE date IS NOT NULL OR issuer IS NOT NULL OR title IS NOT NULL",
}


def differences(store: Any) -> dict[str, tuple[int, int]] | None:
    """How the index kept for the snapshot `store` reads differs from one built whole from that
    snapshot: per table ("documents", "edges", "canonical values") that differs, its rows missing
    from it and its rows in excess (a row held twice is one in excess); {} when it holds exactly the
    store's rows. None when no index is kept for the snapshot. Raises sqlite3.Error when the kept
    file cannot be read (readers then read the store), OSError when the index to compare with cannot
    be built (no space for it)."""
    import tempfile

    path = kept_file(store)
    if path is None:
        return None
    try:  # beside the store: a whole build of a large one does not fit every temporary folder
        scratch = tempfile.TemporaryDirectory(prefix=".verify-", dir=path.parent.parent)
    except OSError:
        scratch = tempfile.TemporaryDirectory(prefix="kg-verify-")
    with scratch as tmp:
        db = sqlite3.connect(f"file:{Path(tmp) / FILE}", uri=True)
        try:
            try:
                db.executescript(_SCHEMA)
                build(store, db)
                db.commit()
            except sqlite3.Error as e:
                raise OSError(f"cannot build an index to compare with in {tmp}: {e}") from e
            db.execute("ATTACH DATABASE ? AS kept", (f"file:{path}?mode=ro&immutable=1",))
            if db.execute("PRAGMA kept.user_version").fetchone()[0] != VERSION:
                raise sqlite3.DatabaseError(f"index of another version than {VERSION}")
            found: dict[str, tuple[int, int]] = {}
            for what, sql in _COMPARED.items():
                fresh, held = sql.format(db="main"), sql.format(db="kept")
                missing = db.execute(f"SELECT COUNT(*) FROM ({fresh} EXCEPT {held})").fetchone()[0]
                extra = db.execute(f"SELECT COUNT(*) FROM ({held} EXCEPT {fresh})").fetchone()[0]
                extra += (db.execute(f"SELECT COUNT(*) FROM ({held})").fetchone()[0]
                          - db.execute(f"SELECT COUNT(*) FROM ({held} UNION {held})").fetchone()[0])
                if missing or extra:
                    found[what] = (missing, extra)
            return found
        finally:
            db.close()


class Keeper:
    """Keeps the index for what one writing operation (an ingest, a forget, a registry change)
    leaves behind; created before its first write, `finish`ed after its last.

    Best effort, like every kept result: when the index cannot be written, readers read the store."""

    def __init__(self, store: Any, *, empty_before: bool = False, whole: bool = False) -> None:
        self.store, self.db, self.whole = store, None, False
        self._docs: list[DocRow] = []  # rows `add`ed, not yet stored (`_flush`)
        self._edges: list[EdgeRow] = []
        self.pending: tuple[str, int] | None = None
        self.error: str | None = None  # why it could not be kept
        if getattr(store, "after_close", None) is None or getattr(store, "location", None) is None:
            return  # a server, or a store that keeps nothing
        pending = self.pending = getattr(store, "_cascade_kept", None)  # an earlier operation's, in this writer
        if whole:  # asked to build it whole (`rebuild`): nothing carried
            base = None
        elif pending is not None:
            base = pending[0] if pending[0] and pending[1] == store.writes else None
        else:
            base = store.base_generation if store.writes == 0 else None  # writes no keeper saw: build whole
        self.provisional = f"next-{os.getpid()}-{time.time_ns()}"
        folder = kept.folder(store, NAME, self.provisional)
        source = kept.folder(store, NAME, base) if base else None
        try:
            folder.mkdir(parents=True)  # type: ignore[union-attr]
            path = folder / FILE  # type: ignore[operator]
            if source is not None and _version(source / FILE) == VERSION:
                shutil.copyfile(source / FILE, path)
                self.db = sqlite3.connect(path)
            else:
                self.db = sqlite3.connect(path)
                self.db.executescript(_SCHEMA)
                self.whole = whole or not empty_before
            self.db.execute("PRAGMA synchronous = OFF")  # the file counts only once promoted, after commit
        except (OSError, sqlite3.Error) as e:
            self._give_up(e)

    def _give_up(self, e: BaseException) -> None:
        log.info("could not keep the cascade index beside %s: %s", self.store.location, e)
        self.error = " ".join(str(e).split()) or type(e).__name__
        if self.db is not None:
            self.db.close()
            self.db = None
        kept.discard(self.store, NAME, self.provisional)
        self._drop_pending()
        self.store._cascade_kept = ("", -1)  # nothing later in this writer can carry it

    def replace(self, graph: str, rows: GraphRows | None) -> None:
        """A file graph written (`rows`) or dropped (None): its old rows go, its new ones come in."""
        if self.db is None or self.whole:
            return
        self._flush()
        if self.db is None:
            return
        try:
            self.db.execute("DELETE FROM doc WHERE graph = ?", (graph,))
            self.db.execute("DELETE FROM edge WHERE graph = ?", (graph,))
            self.add(rows)
        except sqlite3.Error as e:
            self._give_up(e)

    def add(self, rows: GraphRows | None) -> None:
        """A new file graph's rows (the ingest's bulk loads: nothing of it was indexed before).

        Held until `BUFFER` rows are waiting, then stored together: a plan's one document row and few
        edges cost four SQLite statements on their own (~0.3 ms a plan in the ingesting process)."""
        if self.db is None or self.whole or rows is None:
            return
        doc, edges = rows
        if doc is not None:
            self._docs.append(doc)
        self._edges += edges
        if len(self._docs) + len(self._edges) >= BUFFER:
            self._flush()

    def _flush(self) -> None:
        docs, edges, self._docs, self._edges = self._docs, self._edges, [], []
        if self.db is None or not (docs or edges):
            return
        try:
            _insert(self.db, docs, edges)
        except sqlite3.Error as e:
            self._give_up(e)

    def finish(self, canonical: Iterable[str] | None = ()) -> None:
        """After the operation's last write: read back the canonical values of `canonical` (None:
        of every instrument, after a whole refresh), then keep the index for the snapshot the writer
        makes as it closes, unless it writes again before."""
        self._flush()
        if self.db is None:
            return
        store = self.store
        try:
            if self.whole:
                build(store, self.db)
            elif canonical is None:
                _set_canonical(self.db, store, None)
            elif nodes := sorted(set(canonical)):
                _set_canonical(self.db, store, nodes)
            self.db.commit()
            self.db.close()
            self.db = None
        except (OSError, sqlite3.Error) as e:
            self._give_up(e)
            return
        store._cascade_kept = (self.provisional, store.writes)
        self._drop_pending()
        if not getattr(store, "_cascade_promote", False):  # one callback promotes the last operation's index
            store._cascade_promote = True
            store.after_close(lambda generation: kept.promote_unless_written(
                store, NAME, getattr(store, "_cascade_kept", None), generation))

    def _drop_pending(self) -> None:
        if self.pending is not None and self.pending[0]:
            kept.discard(self.store, NAME, self.pending[0])


def _version(path: Path) -> int | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("PRAGMA user_version").fetchone()[0]  # type: ignore[no-any-return]
        finally:
            db.close()
    except sqlite3.Error:
        return None
