"""`kg.cascade_index`: the index of the cascade kept beside the store by its writers.

What a reader answers from it (lineage and cited-by rows) must be what the store answers, after
every kind of write (a fresh ingest, files replaced, files forgotten, registry facts imported), and
the index a writer carries forward must hold exactly the rows a whole build from the store holds.
A writer that writes after keeping it keeps nothing, so no reader trusts a stale index."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import cascade_index, kept, queries
from kg.build import date_lit, lit
from kg.cascade import lineage_rows
from kg.ingest import forget, ingest
from kg.registry import import_csv
from kg.store import EmbeddedStore

K = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"


def graph_rows(graph: str, lines):
    """The index rows of one file graph parsed back from its N-Triples lines: what the workers' rows
    handed over by `kg.build` (`watch`, `rows_of`) must equal."""
    watched = cascade_index.watch()
    for line in lines:
        s, p, o = line[:-2].split(" ", 2)
        if p in watched:
            watched[p].append((s, o))
    return cascade_index.rows_of(graph, watched)


def store_rows(store, direction: str, root: str):
    """lineage_rows read from the store itself (the index set aside)."""
    held = cascade_index.reader
    cascade_index.reader = lambda s: None
    try:
        return lineage_rows(store, root, direction)
    finally:
        cascade_index.reader = held


def sparql_cited_by(store, target: str):
    q = queries.load("cited-by")
    return store.select(queries.body(q.text), queries.bindings(q, {"target": target}))


def assert_index_answers(location) -> sqlite3.Connection:
    """A reader of `location` has an index, its lineage and cited-by rows are the store's, and it
    holds the rows of an index built whole from the store."""
    store = EmbeddedStore(location, read_only=True)
    try:
        db = cascade_index.reader(store)
        assert db is not None
        roots = [r["i"] for r in store.select(K + "SELECT DISTINCT ?i WHERE { ?d kg:implements ?i } ORDER BY ?i")]
        cited = [r["i"] for r in store.select(K + "SELECT ?i WHERE { ?d kg:cites ?i } GROUP BY ?i "
                                                  "ORDER BY DESC(COUNT(?d)) ?i LIMIT 40")]
        assert len(roots) > 10 and cited
        walked = 0
        for root in roots:
            for direction in ("up", "down"):
                got = lineage_rows(store, root, direction)
                assert got == store_rows(store, direction, root), (root, direction)
                walked += len(got)
        assert walked > len(roots)
        for target in cited:
            assert queries.run(store, "cited-by", {"target": target}) == sparql_cited_by(store, target), target
        assert all(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("node", "doc", "edge"))
        # the rows a writer carried forward are exactly those of an index built whole from the store
        assert cascade_index.differences(store) == {}
        return db
    finally:
        store.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from bench.corpus import write_corpus

    root = tmp_path_factory.mktemp("cascade-index")
    write_corpus(300, root, seed=11)
    return root


def ingest_into(location, *paths):
    store = EmbeddedStore(location)
    try:
        assert ingest(list(paths), store, jobs=1).ok
    finally:
        store.close()


@pytest.mark.parametrize("buffer", [cascade_index.BUFFER, 7])  # 7: rows stored a few plans at a time
def test_kept_through_every_kind_of_write(corpus, tmp_path, monkeypatch, buffer):
    monkeypatch.setattr(cascade_index, "BUFFER", buffer)
    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")  # into an empty store: the rows come from the workers
    assert_index_answers(location)

    files = sorted((corpus / "docs").rglob("*.txt"))
    for f in files[:15]:  # replaced: a reference line less in each
        lines = f.read_text(encoding="utf-8").splitlines()
        f.write_text("\n".join(lines[:10] + lines[11:]), encoding="utf-8")
    ingest_into(location, corpus / "docs")
    assert_index_answers(location)

    store = EmbeddedStore(location)
    assert forget([files[20].parent], store)
    store.close()
    assert_index_answers(location)

    store = EmbeddedStore(location)
    import_csv(store, corpus / "registry.csv")
    store.close()
    assert_index_answers(location)


def test_a_store_without_index_gets_one_from_its_next_writer(corpus, tmp_path):
    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    for folder in (location / kept.KEPT).glob(f"{cascade_index.NAME}-*"):
        shutil.rmtree(folder)
    store = EmbeddedStore(location, read_only=True)
    assert cascade_index.reader(store) is None  # read from the store meanwhile
    assert cascade_index.differences(store) is None  # nothing kept is not a difference
    store.close()
    ingest_into(location, corpus / "docs")  # nothing changed in the files: the index is built whole
    assert_index_answers(location)


def test_a_write_after_keeping_leaves_no_index(corpus, tmp_path):
    location = tmp_path / "kg-store"
    store = EmbeddedStore(location)
    assert ingest([corpus / "docs"], store, jobs=1).ok
    edge = "<urn:x:plan> <https://kg.vn-plans.org/ns#implements> <urn:x:directive> ."
    store.update(f"INSERT DATA {{ GRAPH <urn:x:g> {{ {edge} }} }}")  # no keeper sees this write
    store.close()
    store = EmbeddedStore(location, read_only=True)
    try:
        assert cascade_index.reader(store) is None
        assert [r["node"] for r in lineage_rows(store, "urn:x:directive", "down")] == ["urn:x:plan"]
    finally:
        store.close()
    ingest_into(location, corpus / "docs")  # the next writer finds no index to carry: built whole, edge too
    store = EmbeddedStore(location, read_only=True)
    try:
        assert cascade_index.reader(store) is not None
        assert [r["node"] for r in lineage_rows(store, "urn:x:directive", "down")] == ["urn:x:plan"]
    finally:
        store.close()


def test_an_unreadable_index_is_not_read(corpus, tmp_path):
    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    [folder] = (location / kept.KEPT).glob(f"{cascade_index.NAME}-*")
    (folder / cascade_index.FILE).write_bytes(b"not a database" * 100)
    store = EmbeddedStore(location, read_only=True)
    try:
        assert cascade_index.reader(store) is None
        root = store.select(K + "SELECT ?i WHERE { ?d kg:implements ?i } GROUP BY ?i ORDER BY DESC(COUNT(?d)) LIMIT 1")
        assert lineage_rows(store, root[0]["i"], "down")  # the store answers
    finally:
        store.close()


@given(st.text())
def test_literal_values_read_back(text):
    assert cascade_index._value(lit(text)) == text
    assert cascade_index._value(lit(text, "vi")) == text
    assert cascade_index._value(f"<urn:x:{len(text)}>") == f"urn:x:{len(text)}"


def test_graph_rows_of_one_document():
    from conftest import doc_1243

    from kg.build import document_triples

    doc = doc_1243()
    graph, lines, _ = document_triples(doc, "/data/1243.txt")
    row, edges = graph_rows(graph, lines)
    assert row is not None and row[0] == graph and row[2] == doc.source
    assert row[3] == doc.identity.symbol and row[5] == doc.identity.date
    assert date_lit(row[5]) is not None
    implements = [line for line in lines if " <https://kg.vn-plans.org/ns#implements> " in line]
    assert len(edges) == len(implements) > 0
    assert all(e[0] == graph and e[4] for e in edges)  # every carried-out instrument here has a symbol


def test_a_writer_that_writes_nothing_keeps_what_was_kept(corpus, tmp_path):
    """`kg registry list` opens the store for writing (to load a registry not loaded yet) and closes
    it, making a new snapshot of the same data: the index and the stale report kept still hold."""
    from click.testing import CliRunner

    from kg.cli import main

    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    before = EmbeddedStore(location, read_only=True)
    generation = before.generation
    before.close()
    result = CliRunner().invoke(main, ["registry", "list", "--store", str(location)])
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(location, read_only=True)
    try:
        assert store.generation != generation
        names = sorted(f.name for f in (location / kept.KEPT).iterdir())
        assert names == [f"{n}-v{kept.FORMAT}-{store.generation}" for n in (cascade_index.NAME, "stale-citations")]
    finally:
        store.close()
    assert_index_answers(location)


def test_rows_watched_as_built_are_the_rows_of_the_lines(corpus):
    """The ingest's workers take the rows from the triples as `document_triples` writes them
    (`watch`); parsing the lines back gives the same rows, for every generated plan and the seeds."""
    import glob

    from kg.build import document_triples
    from loaders import extract_file

    files = sorted((corpus / "docs").rglob("*.txt"))[:120] + sorted(glob.glob("../shared/seeds/*"))
    with_edges = 0
    for path in files:
        watched = cascade_index.watch()
        graph, lines, _ = document_triples(extract_file(str(path)), str(path), watched)
        rows = cascade_index.rows_of(graph, watched)
        assert rows == graph_rows(graph, lines), path
        assert rows[0] is not None
        with_edges += bool(rows[1])
    assert with_edges > 50


def test_an_index_that_cannot_be_written_only_means_the_store_is_read(corpus, tmp_path, monkeypatch):
    """No room for the copy (or a read-only kg-kept): the ingest succeeds, nothing is kept for the
    new snapshot, readers read the store; the next writer that can builds the index whole."""
    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    files = sorted((corpus / "docs").rglob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cascade_index.shutil, "copyfile", full)
    ingest_into(location, corpus / "docs")
    store = EmbeddedStore(location, read_only=True)
    try:
        assert cascade_index.reader(store) is None
        left = [f.name for f in (location / kept.KEPT).glob(f"{cascade_index.NAME}-*")]
        assert len(left) == 1 and "next-" not in left[0]  # the older snapshot's index, nothing half written
        assert store.generation not in left[0]
    finally:
        store.close()
    monkeypatch.undo()
    files[1].write_text(files[1].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ingest_into(location, corpus / "docs")
    assert_index_answers(location)


def test_differences_name_what_was_damaged_and_a_rebuild_repairs_it(corpus, tmp_path):
    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    store = EmbeddedStore(location, read_only=True)
    path = cascade_index.kept_file(store)
    store.close()
    db = sqlite3.connect(path)
    db.execute("DELETE FROM edge WHERE rowid IN (SELECT rowid FROM edge ORDER BY rowid LIMIT 3)")
    db.execute("INSERT INTO edge SELECT * FROM edge ORDER BY rowid LIMIT 2")  # two rows held twice
    db.execute("UPDATE node SET date = '1999-01-01' WHERE id IN (SELECT id FROM node WHERE date IS NOT NULL "
               "ORDER BY id LIMIT 4)")
    db.execute("DELETE FROM doc WHERE graph IN (SELECT graph FROM doc ORDER BY graph LIMIT 5)")
    db.commit()
    db.close()
    store = EmbeddedStore(location, read_only=True)
    try:
        assert cascade_index.differences(store) == {"documents": (5, 0), "edges": (3, 2), "canonical values": (4, 4)}
    finally:
        store.close()
    store = EmbeddedStore(location)
    try:
        assert cascade_index.rebuild(store) is None
    finally:
        store.close()
    assert_index_answers(location)


def test_no_room_to_compare_is_said_not_blamed_on_the_index(corpus, tmp_path, monkeypatch):
    from kg.verify import verify_store

    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")

    def full(store, db):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cascade_index, "build", full)
    store = EmbeddedStore(location, read_only=True)
    try:
        with pytest.raises(OSError, match=r"cannot build an index to compare with .*disk is full"):
            cascade_index.differences(store)
        report = verify_store(store, shapes=False)
    finally:
        store.close()
    assert report.ok, report.problems
    assert [n for n in report.notes if n.startswith("the cascade index was not checked: cannot build")]


def test_canonical_values_read_the_smallest_of_each_property(corpus, tmp_path):
    """A canonical graph holding two values of a property (a refresh part way) gives the index the
    smallest, read for every instrument or for some, the other columns each node's own."""
    from kg import ids

    location = tmp_path / "kg-store"
    ingest_into(location, corpus / "docs")
    store = EmbeddedStore(location)
    try:
        canon = ids.canonical_graph()
        rows = store.select(K + f"SELECT ?i ?d ?u WHERE {{ GRAPH <{canon}> {{ ?i kg:canonicalDate ?d ; "
                                f"kg:canonicalIssuerName ?u }} }} ORDER BY ?i LIMIT 2")
        (a, b) = (r["i"] for r in rows)
        store.update(K + f"INSERT DATA {{ GRAPH <{canon}> {{ <{a}> kg:canonicalDate {date_lit('1990-01-02')} . "
                         f"<{a}> kg:canonicalDate {date_lit('2999-01-01')} . <{b}> kg:canonicalTitle {lit('A')} }} }}")
        expected = {r["i"]: (r["d"], r["u"]) for r in rows}
        for nodes in (None, [a, b]):
            db = sqlite3.connect(":memory:")
            db.executescript(cascade_index._SCHEMA)
            cascade_index._set_canonical(db, store, nodes)
            got = dict(db.execute("SELECT iri, date FROM node WHERE iri IN (?, ?)", (a, b)).fetchall())
            assert got == {a: "1990-01-02", b: expected[b][0]}
            assert db.execute("SELECT issuer FROM node WHERE iri = ?", (a,)).fetchone()[0] == expected[a][1]
            assert db.execute("SELECT title FROM node WHERE iri = ?", (b,)).fetchone()[0] == "A"  # before any "Kế…"
            assert db.execute("SELECT COUNT(*) FROM node").fetchone()[0] == (2 if nodes else
                   len(store.select(K + f"SELECT DISTINCT ?i WHERE {{ GRAPH <{canon}> {{ ?i ?p ?v }} }}")))
            db.close()
    finally:
        store.close()


def test_a_whole_build_groups_the_readings_as_sparql_would(tmp_path):
    """A whole build stages the documents' and edges' readings and groups them in SQLite: each
    column the smallest of a graph's readings, as a SPARQL GROUP BY with MIN gives them."""
    from kg.store import GraphData

    ns = "https://kg.vn-plans.org/ns#"
    store = EmbeddedStore(tmp_path / "s")
    lines = {
        "urn:g1": [f"<urn:src1> <{ns}describes> <urn:plan1> .", f'<urn:src1> <{ns}sourcePath> "b/1.txt" .',
                   f'<urn:plan1> <{ns}symbol> "12/KH-UBND" .', f'<urn:plan1> <{ns}symbol> "12/KH-UB" .',
                   f'<urn:plan1> <{ns}date> {date_lit("2023-05-02")} .',
                   f'<urn:plan1> <{ns}date> {date_lit("2023-04-30")} .',
                   f'<urn:plan1> <{ns}issuerName> {lit("UBND tỉnh Tây Ninh")} .',
                   f"<urn:plan1> <{ns}implements> <urn:dir> .", f"<urn:plan1> <{ns}implements> <urn:law> .",
                   f'<urn:dir> <{ns}symbol> "33/CT-TTg" .', f'<urn:dir> <{ns}symbol> "33/CT-Ttg" .'],
        "urn:g2": [f"<urn:src2> <{ns}describes> <urn:plan2> .", f'<urn:src2> <{ns}sourcePath> "a/2.txt" .',
                   f'<urn:plan2> <{ns}year> "2024" .', f"<urn:plan2> <{ns}implements> <urn:plan1> ."],
    }
    store.write_graphs([GraphData(g, ls, []) for g, ls in lines.items()])
    db = sqlite3.connect(":memory:")
    db.executescript(cascade_index._SCHEMA)
    cascade_index.build(store, db)
    docs = db.execute("SELECT d.graph, n.iri, d.path, d.symbol, d.unit, d.date, d.year FROM doc d "
                      "JOIN node n ON n.id = d.node ORDER BY d.graph").fetchall()
    edges = db.execute("SELECT e.graph, c.iri, p.iri, e.child_symbol, e.parent_symbol FROM edge e JOIN node c "
                       "ON c.id = e.child JOIN node p ON p.id = e.parent ORDER BY 1, 2, 3").fetchall()
    grouped_docs = store.select_values(K + """SELECT ?g ?node (MIN(?p) AS ?path) (MIN(?s) AS ?symbol)
        (MIN(?u) AS ?unit) (MIN(STR(?d)) AS ?date) (MIN(STR(?y)) AS ?year) WHERE { GRAPH ?g {
        ?src kg:describes ?node ; kg:sourcePath ?p OPTIONAL { ?node kg:symbol ?s } OPTIONAL { ?node kg:issuerName ?u }
        OPTIONAL { ?node kg:date ?d } OPTIONAL { ?node kg:year ?y } } } GROUP BY ?g ?node ORDER BY ?g""")
    grouped_edges = store.select_values(K + """SELECT ?g ?child ?parent (MIN(?cs) AS ?csym) (MIN(?ps) AS ?psym)
        WHERE { GRAPH ?g { ?child kg:implements ?parent OPTIONAL { ?child kg:symbol ?cs }
        OPTIONAL { ?parent kg:symbol ?ps } } } GROUP BY ?g ?child ?parent ORDER BY ?g ?child ?parent""")
    assert docs == list(grouped_docs)
    assert edges == list(grouped_edges)
    assert docs[0] == ("urn:g1", "urn:plan1", "b/1.txt", "12/KH-UB", "UBND tỉnh Tây Ninh", "2023-04-30", None)
    assert ("urn:g1", "urn:plan1", "urn:dir", "12/KH-UB", "33/CT-TTg") in edges
    store.close()
