"""`kg verify`: a clean store passes; each kind of damage, written straight into a store, is named
with the command that repairs it, and running that command makes the store clean again; a store
that cannot be read is bad input (exit 2, one line)."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg import ids
from kg.cli import main
from kg.store import EmbeddedStore, GraphData

SECTION = "`kg verify`: damage written straight into a store"
KG = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"
K = "https://kg.vn-plans.org/ns#"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("verify-plans")
    paths = []
    for n, text in enumerate(bad.plans(2, seed=21)):
        path = folder / f"kế hoạch {n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def store(tmp_path, plans) -> str:
    location = str(tmp_path / "kg-store")
    result = run("ingest", "--store", location, *map(str, plans))
    assert result.exit_code == 0, result.output
    return location


def verify(location: str, *options: str):
    return run("verify", "--store", location, "--lang", "en", *options)


def damage(location: str, sparql: str = "", graphs: list[GraphData] | None = None) -> None:
    store = EmbeddedStore(location)
    try:
        if sparql:
            store.update(sparql)
        if graphs:
            store.write_graphs(graphs, fresh=True)
    finally:
        store.close()


def one(location: str, query: str) -> dict[str, str]:
    store = EmbeddedStore(location, read_only=True)
    try:
        rows = store.select(KG + query)
    finally:
        store.close()
    assert rows, query
    return rows[0]


def repair(line: str) -> None:
    """Run the repair command of a problem line ("… — repair: kg a && kg b")."""
    for command in line.split(" — repair: ", 1)[1].split(" && "):
        words = shlex.split(command)
        assert words[0] == "kg"
        result = run(*words[1:])
        assert result.exit_code == 0, (command, result.output)


def test_a_clean_store_passes(store, reliability):  # noqa: F811
    start = time.perf_counter()
    result = verify(store)
    seconds = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert result.stdout == "The store is consistent (2 file graphs, 2 completion markers, 2 source documents)\n"
    assert run("verify", "--store", store).stdout.startswith("Kho dữ liệu nhất quán (2 đồ thị tệp, ")
    data = json.loads(verify(store, "--format", "json").stdout)
    assert data == {"ok": True, "counts": {"file_graphs": 2, "markers": 2, "source_documents": 2},
                    "problems": [], "notes": []}
    reliability.row(SECTION, "clean store", "`kg verify` on two freshly ingested plans (SHACL included)",
                    "exit 0, 'The store is consistent (2 file graphs, 2 completion markers, 2 source documents)'",
                    "2 of 2", seconds)


def _unmarked(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    """A third file whose graph was loaded but not marked complete (an interrupted bulk load)."""
    path = tmp_path / "dở dang.txt"
    path.write_text(bad.plans(3, seed=21)[2], encoding="utf-8")
    from kg.ingest import file_nquads

    g, shared = ids.graph_iri(str(path)), ids.shared_graph()
    quads = file_nquads(path).splitlines()
    lines = [q.rsplit(" ", 2)[0] + " ." for q in quads
             if q.endswith(f"<{g}> .") and not q.startswith(f"<{g}> ")]  # the markers' subject is the graph
    descriptions = [q.rsplit(" ", 2)[0] + " ." for q in quads if q.endswith(f"<{shared}> .")]
    damage(location, graphs=[GraphData(shared, descriptions, []), GraphData(g, lines, [])])
    return "unfinished", f"{path}: graph without its completion marker (an ingest was interrupted)"


def _dangling(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    g = ids.graph_iri(str(plans[0]))
    m = one(location, "SELECT ?m ?i WHERE { GRAPH ?g { ?m kg:mentionOf ?i } } ORDER BY ?m LIMIT 1")
    # the instrument's type triple goes, in every graph: the mention now points at nothing known
    damage(location, f"DELETE WHERE {{ GRAPH ?any {{ <{m['i']}> a <{K}Instrument> }} }}")
    assert one(location, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{m['m']}> kg:mentionOf ?i }} }}")["g"] == g
    return "dangling", f"{plans[0].resolve()}: a mention whose instrument is missing ("


def _canonical(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    i = one(location, "SELECT ?i WHERE { GRAPH ?c { ?i kg:canonicalDate ?d } } ORDER BY ?i LIMIT 1")["i"]
    damage(location, f"DELETE WHERE {{ GRAPH <{ids.canonical_graph()}> {{ <{i}> ?p ?o }} }}")
    return "canonical", f"{i}: no canonical metadata though "


def _shapes(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    g = ids.graph_iri(str(plans[1]))
    i = one(location, f"SELECT ?i WHERE {{ GRAPH <{g}> {{ ?d kg:describes ?i }} }}")["i"]
    damage(location, f'INSERT DATA {{ GRAPH <{g}> {{ <{i}> <{K}year> "năm ngoái" }} }}')  # not an xsd:gYear
    return "shapes", f"{plans[1].resolve()}: {i} violates the SHACL shapes (`kg validate` shows the details)"


def _two_documents(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    g = ids.graph_iri(str(plans[1]))
    damage(location, f'INSERT DATA {{ GRAPH <{g}> {{ <urn:kg:stray> a <{K}SourceDocument> ; '
                     f'<{K}sha256> "{"0" * 64}" }} }}')
    return "documents", f"{plans[1].resolve()}: 2 source documents in its graph, expected 1"


def _pending(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    from kg.registry import mark_canonical_pending

    store = EmbeddedStore(location)
    try:
        mark_canonical_pending(store)  # as an ingest killed between its first write and its refresh leaves it
    finally:
        store.close()
    return "canonical", "canonical metadata: a refresh is pending (an ingest or forget was interrupted"


def _kept_index(location: str) -> Path:
    store = EmbeddedStore(location, read_only=True)
    try:
        from kg import cascade_index

        path = cascade_index.kept_file(store)
    finally:
        store.close()
    assert path is not None
    return path


def _index(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    """Rows of the cascade index kept beside the store lost or changed (kg lineage and cited-by read it)."""
    import sqlite3

    db = sqlite3.connect(_kept_index(location))
    db.execute("DELETE FROM edge WHERE rowid = (SELECT MIN(rowid) FROM edge)")
    db.execute("UPDATE node SET title = 'sai' WHERE id = (SELECT MIN(id) FROM node WHERE title IS NOT NULL)")
    db.commit()
    db.close()
    return "index", ("cascade index: differs from the store (edges: 1 missing, 0 in excess; canonical values: "
                     "1 missing, 1 in excess); kg lineage, kg cited-by and kg show answer from it")


def _unreadable_index(location: str, plans: list[Path], tmp_path: Path) -> tuple[str, str]:
    _kept_index(location).write_bytes(b"\x00garbage" * 500)
    return "index", "cascade index: cannot be read (file is not a database)"


DAMAGE = {  # the damage, and the other problems it brings along
    "graph without completion markers": (_unmarked, {"canonical"}),  # not refreshed: the ingest stopped
    "dangling mention": (_dangling, {"shapes"}),  # kg:mentionOf must reach a kg:Instrument
    "missing canonical metadata": (_canonical, set()),
    "canonical refresh left pending": (_pending, set()),
    "SHACL shape violation": (_shapes, set()),
    "two source documents in one graph": (_two_documents, {"shapes"}),  # the stray one describes nothing
    "cascade index differs from the store": (_index, set()),
    "unreadable cascade index": (_unreadable_index, set()),
}
HOW = {  # how the damage was made, where not by quads written into the store
    "cascade index differs from the store": "rows deleted and changed in the SQLite index kept beside a store "
                                            "of two ingested plans",
    "unreadable cascade index": "the SQLite index kept beside a store of two ingested plans overwritten with bytes",
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_named_with_a_repair_that_works(store, plans, tmp_path, kind, reliability):  # noqa: F811
    make, along = DAMAGE[kind]
    problem, expected = make(store, plans, tmp_path)
    start = time.perf_counter()
    result = verify(store)
    seconds = time.perf_counter() - start
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    data = json.loads(verify(store, "--format", "json").stdout)
    kinds = [p["kind"] for p in data["problems"]]
    assert problem in kinds and set(kinds) <= {problem, *along}, kinds
    assert lines[-1].startswith(f"{len(kinds)} problem(s) (")
    found = [line for line in lines[:-1] if line.startswith(expected)]
    assert len(found) == kinds.count(problem) >= 1, lines
    # notes (a damaging write no keeper saw leaves no cascade index for the new state: a note, not a problem)
    assert all(" — repair: kg " in line for line in lines[:-1] if not line.startswith("Note: "))
    for line in dict.fromkeys(line.split(" — repair: ", 1)[1] for line in found):
        repair(" — repair: " + line)
    after = verify(store)
    assert after.exit_code == 0, after.output
    message, command = found[0].split(" — repair: ")
    for folder in (plans[0].parent, tmp_path):
        message, command = message.replace(f"{folder}/", ""), command.replace(f"{folder}/", "")
    brought = sorted(set(kinds) - {problem})
    how = HOW.get(kind, "bad quads written with pyoxigraph into a store of two ingested plans")
    reliability.row(SECTION, kind, how,
                    f"exit 1: '{message}' — repair: `{command}`" + (
                        f" (plus the {' and '.join(brought)} problems it causes)" if brought else "")
                    + "; after running the repair, exit 0", "restored by the repair command", seconds)


def test_an_unreadable_store_is_bad_input(tmp_path, reliability):  # noqa: F811
    location = tmp_path / "not-a-store"
    location.mkdir()
    (location / "CURRENT").write_text("MANIFEST-garbage\n")
    (location / "IDENTITY").write_text("x")
    start = time.perf_counter()
    result = verify(str(location))
    seconds = time.perf_counter() - start
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"Error: {location}: cannot open the store (")
    plain = tmp_path / "a file"
    plain.write_text("not a folder")
    result = verify(str(plain))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result.output
    reliability.row(SECTION, "unreadable store", "a folder with a corrupt RocksDB CURRENT file; a plain file",
                    "exit 2, one line: '" + result.stderr.strip().replace(f"{tmp_path}/", "") + "'", "—", seconds)


@pytest.mark.server
def test_verify_a_sparql_server(http_store, plans, tmp_path):
    """The same checks over HTTP; the repair commands name the server's URL as --store."""
    from kg.ingest import ingest

    summary = ingest([plans[0]], http_store)
    assert (summary.added, summary.failed) == (1, 0)
    result = verify(http_store.location)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(1 file graphs, 1 completion markers, 1 source documents)\n")
    g = ids.graph_iri(str(tmp_path / "nửa.txt"))
    lines = [f"<urn:kg:d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{K}SourceDocument> .",
             f'<urn:kg:d> <{K}sourcePath> "{tmp_path}/nửa.txt" .']
    http_store.write_graphs([GraphData(g, lines, [])], fresh=True)  # loaded, never marked
    result = verify(http_store.location, "--no-shapes")
    assert result.exit_code == 1, result.output
    assert (f"{tmp_path}/nửa.txt: graph without its completion marker (an ingest was interrupted) — repair: "
            f"kg ingest --store {http_store.location} '{tmp_path}/nửa.txt'") in result.stdout.splitlines()
