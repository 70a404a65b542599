"""The Store protocol, run against the embedded store and a real `oxigraph serve` alike."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import QueryError, StoreBusyError, StoreError
from kg.store import EmbeddedStore, GraphData, HttpStore, bind, export_rdf, open_store

G1, G2 = "https://kg.vn-plans.org/graph/file/1", "https://kg.vn-plans.org/graph/file/2"
P = "<urn:p>"


def graph(name: str, *values: str) -> GraphData:
    lines = [f'<urn:s> {P} "{v}"@vi .' for v in values]
    return GraphData(name, lines, [f"<{name}> <urn:done> <urn:yes> ."])


def values(store, g: str) -> list[str]:
    rows = store.select('SELECT ?v WHERE { GRAPH ?g { <urn:s> <urn:p> ?v } } ORDER BY ?v', {"g": f"<{g}>"})
    return [r["v"] for r in rows]


def test_fresh_bulk_load_and_select(store):
    store.write_graphs([graph(G1, "một", "hai"), graph(G2, "ba")], fresh=True)
    assert values(store, G1) == ["hai", "một"]
    assert values(store, G2) == ["ba"]
    # the default graph is the union of the named graphs
    assert len(store.select("SELECT ?v WHERE { <urn:s> <urn:p> ?v }")) == 3


def test_select_values_streams_tuples_in_select_order(store):
    store.write_graphs([graph(G1, "một", "hai"), graph(G2, "ba")], fresh=True)
    query = "SELECT ?v ?g ?none WHERE { GRAPH ?g { <urn:s> <urn:p> ?v } OPTIONAL { ?g <urn:no> ?none } } ORDER BY ?v"
    assert list(store.select_values(query)) == [("ba", G2, None), ("hai", G1, None), ("một", G1, None)]
    counted = "SELECT ?g (COUNT(?v) AS ?n) WHERE { GRAPH ?g { <urn:s> <urn:p> ?v } } GROUP BY ?g ORDER BY ?g"
    assert list(store.select_values(counted, {"g": [f"<{G2}>"]})) == [(G2, "1")]


def test_select_nt_gives_terms_as_written(store):
    """N-Triples terms, as kg.build writes lines: the canonical refresh compares the two as text."""
    from kg.build import date_lit, iri, lit

    tricky = 'Nghị quyết "TW4"\\ khóa XII\nhết'
    lines = [f"{iri('urn:s')} <urn:t> {lit(tricky)} .", f"{iri('urn:s')} <urn:d> {date_lit('2021-11-26')} .",
             f'{iri("urn:s")} <urn:l> "một"@vi .', f"{iri('urn:s')} <urn:i> <urn:o> ."]
    store.write_graphs([GraphData(G1, lines, [])], fresh=True)
    rows = store.select_nt(f"SELECT ?s ?p ?o ?none WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} "
                           f"OPTIONAL {{ ?s <urn:no> ?none }} }}")
    assert sorted(f"{s} {p} {o} ." for s, p, o, none in rows if none is None) == sorted(lines)


def test_replace_is_whole_graph(store):
    store.write_graphs([graph(G1, "cũ", "giữ"), graph(G2, "khác")], fresh=True)
    store.write_graphs([graph(G1, "mới")])
    assert values(store, G1) == ["mới"]
    assert values(store, G2) == ["khác"]


def test_drop_graph(store):
    store.write_graphs([graph(G1, "a"), graph(G2, "b")], fresh=True)
    store.drop_graph(G1)
    store.drop_graph("urn:never-stored")  # dropping what is not there is not an error
    assert values(store, G1) == []
    assert values(store, G2) == ["b"]


def test_literal_binding_and_escapes(store):
    tricky = 'Nghị quyết "TW4"\\ khóa XII\nhết'
    from kg.build import lit

    store.write_graphs([GraphData(G1, [f"<urn:s> {P} {lit(tricky)} ."], [])])
    rows = store.select("SELECT ?s WHERE { ?s <urn:p> ?v }", {"v": lit(tricky)})
    assert rows == [{"s": "urn:s"}]


def test_terms_and_dump_round_trip(store):
    number = '<urn:s> <urn:n> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    store.write_graphs([graph(G1, "một"), GraphData(G2, [number], [])], fresh=True)
    row = store.select_terms("SELECT ?n WHERE { <urn:s> <urn:n> ?n }")[0]["n"]
    assert row == {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    quads = list(ox.parse("".join(store.dump_nquads()), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 3
    assert {q.graph_name.value for q in quads} == {G1, G2}


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "jsonld"])
def test_export_formats_parse_back(store, fmt):
    store.write_graphs([graph(G1, "một"), graph(G2, "một", "hai")], fresh=True)
    data = export_rdf(store, fmt)
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    ds = rdflib.Dataset()
    ds.parse(data=data, format=rdflib_format)
    triples = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    # "một" appears in both graphs; merged formats state it once
    assert len(triples) == 4
    quads = len(list(ds.quads((None, None, None, None))))
    assert quads == (5 if fmt in ("nquads", "jsonld") else 4)


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError):
        store.select("SELECT ?x WHERE { ?x ")


def test_bind_refuses_anything_but_terms():
    with pytest.raises(QueryError, match="not an N-Triples IRI or literal"):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"p": "<urn:x> } ; DROP ALL ; {"})
    with pytest.raises(QueryError):
        bind("SELECT ?s WHERE { ?s ?p ?o }", {"p": '"x" . ?s ?p "y'})


def test_embedded_store_held_by_another_writer(tmp_path, embedded_store):
    with pytest.raises(StoreBusyError, match="another kg process"):
        EmbeddedStore(embedded_store.location)


def test_unreachable_server_says_so():
    store = HttpStore("http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_open_store_picks_backend(tmp_path, monkeypatch):
    assert isinstance(open_store("http://localhost:7878"), HttpStore)
    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    s = open_store()
    assert isinstance(s, EmbeddedStore) and s.location == str(tmp_path / "env-store")
    s.close()


def test_http_endpoints(monkeypatch):
    s = HttpStore("http://h:7878/query")
    assert (s.query_url, s.update_url, s.gsp_url) == ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    monkeypatch.setenv("KG_GSP_URL", "http://h/ds/data")
    assert HttpStore("http://h/ds").gsp_url == "http://h/ds/data"


def test_exclusive_writer_keeps_no_snapshot_while_it_writes(tmp_path):
    location = str(tmp_path / "kg-store")
    first = EmbeddedStore(location)
    first.write_graphs([graph(G1, "một")], fresh=True)
    first.close()
    held = EmbeddedStore(location, read_only=True)  # a reader that was already reading keeps its snapshot
    writer = EmbeddedStore(location, exclusive=True)
    writer.write_graphs([graph(G2, "hai")], fresh=False)
    assert values(held, G1) == ["một"] and values(held, G2) == []
    with pytest.raises(StoreBusyError, match="another kg process"):  # a new reader has nothing to read
        EmbeddedStore(location, read_only=True)
    held.close()
    writer.close()
    snapshots = tmp_path / "kg-store" / "kg-snapshots"
    assert len([d for d in snapshots.iterdir() if d.is_dir()]) == 1  # the one it made closing; the held one gone
    reader = EmbeddedStore(location, read_only=True, wait=5)
    assert values(reader, G1) == ["một"] and values(reader, G2) == ["hai"]
    reader.close()


def test_exclusive_writer_frees_the_old_snapshot(tmp_path):
    location = str(tmp_path / "kg-store")
    first = EmbeddedStore(location)
    first.write_graphs([graph(G1, "một")], fresh=True)
    first.close()
    writer = EmbeddedStore(location, exclusive=True)
    assert not [d for d in (tmp_path / "kg-store" / "kg-snapshots").iterdir() if d.is_dir()]
    writer.close()


def test_reader_waits_for_an_exclusive_writer(tmp_path):
    import threading

    location = str(tmp_path / "kg-store")
    writer = EmbeddedStore(location, exclusive=True)
    writer.write_graphs([graph(G1, "một")], fresh=True)
    threading.Timer(5.0, writer.close).start()  # longer than 20 polls of 0.2 s, once the limit
    reader = EmbeddedStore(location, read_only=True, wait=60)
    assert values(reader, G1) == ["một"]
    reader.close()


def test_optimize_leaves_the_disk_alone_when_it_cannot_take_a_compaction(tmp_path, monkeypatch, caplog):
    import shutil
    from collections import namedtuple

    import kg.store

    store = EmbeddedStore(tmp_path / "s")
    store.write_graphs([GraphData("urn:g", ['<urn:a> <urn:b> "c" .'], [])], fresh=True)
    compacted = []
    real = store._store  # pyoxigraph's Store is a native type: watched through a wrapper

    class Watched:
        def __getattr__(self, name):
            return getattr(real, name)

        def optimize(self):
            compacted.append(1)
            real.optimize()

    store._store = Watched()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, kg.store.store_bytes(path) + 10))
    with caplog.at_level("WARNING", logger="kg.store"):
        store.optimize()
    assert compacted == [] and "not optimised" in caplog.text and str(tmp_path / "s") in caplog.text
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, 10**11))
    store.optimize()
    assert compacted == [1]
    store._store = real
    store.close()


def test_store_bytes_survives_files_compacted_away_while_counted(tmp_path, monkeypatch):
    """RocksDB deletes table files in the background: a file listed and gone before its size is read
    is no longer there to count, not an error (the 1M build's progress line died on one)."""
    import os

    import kg.store

    folder = tmp_path / "s"
    (folder / "kg-snapshots" / "1").mkdir(parents=True)
    (folder / "000001.sst").write_bytes(b"x" * 100)
    (folder / "000002.sst").write_bytes(b"x" * 7)
    (folder / "kg-snapshots" / "1" / "000001.sst").write_bytes(b"x" * 1000)
    assert kg.store.store_bytes(folder) == 107
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if str(path).endswith("000002.sst"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert kg.store.store_bytes(folder) == 100
