"""The cascade map's graph (viz/graph.py): what it reads from the example corpus, focus, unit and stale
filters, and aggregation beyond the node budget on a synthetic graph."""

from __future__ import annotations

import doctest
import time
from pathlib import Path

import networkx as nx
import pytest

import viz.graph
from kg.errors import RefError
from viz.graph import aggregate, build_map, fold, read_graph, resolve

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


@pytest.fixture(scope="module")
def example_store(tmp_path_factory):
    """The five example plans (not the corpus README) ingested with the real extractor."""
    from kg.ingest import ingest
    from kg.store import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("map") / "kg-store")
    summary = ingest(sorted(str(p) for p in CORPUS.glob("*.txt")), store)
    assert summary.added == 5 and summary.failed == 0
    yield store
    store.close()


@pytest.fixture(scope="module")
def example_graph(example_store) -> nx.DiGraph:
    return read_graph(example_store)


def by_label(g: nx.DiGraph, label: str) -> str:
    found = [n for n, d in g.nodes(data=True) if d["label"] == label]
    assert len(found) == 1, f"{label}: {found}"
    return found[0]


def document(g: nx.DiGraph, path_part: str) -> str:
    found = [n for n, d in g.nodes(data=True) if d["document"] and path_part in (d["path"] or "")]
    assert len(found) == 1, f"{path_part}: {found}"
    return found[0]


def test_doctests():
    assert doctest.testmod(viz.graph).failed == 0


def test_example_corpus_nodes(example_graph):
    g = example_graph
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"33/CT-TTg", "1243/KH-UBND", "765/KH-UBND", "12/KH-UBND", "859/KH-UBND", "76/NQ-CP",
            "1432/BNV-CTTN", "60/2013/NĐ-CP", "149/2018/NĐ-CP", "145/2020/NĐ-CP", "30c/NQ-CP"} <= labels
    assert sum(1 for _, d in g.nodes(data=True) if d["document"]) == 5
    ct33 = g.nodes[by_label(g, "33/CT-TTg")]
    assert (ct33["kind"], ct33["date"], ct33["issuer"], ct33["status"]) == (
        "Chỉ thị", "2021-11-26", "Thủ tướng Chính phủ", "in_force")
    assert ct33["cited_by"] >= 3
    nd60 = g.nodes[by_label(g, "60/2013/NĐ-CP")]
    assert (nd60["status"], nd60["since"]) == ("superseded", "2019-01-01")
    assert nd60["replaced_by"] == [("replaced_by", by_label(g, "149/2018/NĐ-CP"))]
    assert g.nodes[by_label(g, "149/2018/NĐ-CP")]["kind"] == "Nghị định"  # from the symbol's code
    assert g.nodes[by_label(g, "76/NQ-CP")]["status"] == "in_force"


def test_example_corpus_tiers(example_graph):
    g = example_graph
    tier = {label: g.nodes[by_label(g, label)]["tier"] for label in
            ("33/CT-TTg", "23-QĐ/TW", "1432/BNV-CTTN", "1243/KH-UBND", "12/KH-UBND")}
    assert tier == {"33/CT-TTg": 0, "23-QĐ/TW": 0, "1432/BNV-CTTN": 1, "1243/KH-UBND": 1, "12/KH-UBND": 2}
    assert g.nodes[document(g, "000_")]["tier"] == 2  # Sở Ngoại vụ: a department
    assert g.nodes[document(g, "002_")]["tier"] == 2  # Sở Thông tin và Truyền thông
    assert g.nodes[document(g, "003_")]["tier"] == 1  # UBND tỉnh Tây Ninh
    assert g.nodes[document(g, "004_")]["tier"] == 3  # UBND thị trấn Đak Đoa: a commune


def test_example_corpus_edges(example_graph):
    g = example_graph
    so_tttt, ngoai_vu = document(g, "002_"), document(g, "000_")
    ct33, kh1243 = by_label(g, "33/CT-TTg"), by_label(g, "1243/KH-UBND")
    assert g.edges[so_tttt, kh1243]["relation"] == "implements"
    assert g.edges[so_tttt, ct33]["relation"] == "implements"
    assert g.edges[kh1243, ct33]["relation"] == "implements"
    assert g.edges[by_label(g, "60/2013/NĐ-CP"), by_label(g, "149/2018/NĐ-CP")] == {
        "relation": "replacedBy", "kind": "replaced_by"}
    assert g.edges[by_label(g, "30c/NQ-CP"), by_label(g, "76/NQ-CP")]["kind"] == "succeeded_by"
    # Sở Ngoại vụ's 2023 plan cites a decree replaced in 2019 and a programme ended in 2020: stale as of 2023
    stale = {g.nodes[b]["label"] for a, b, e in g.edges(data=True) if e.get("stale")}
    assert stale == {"60/2013/NĐ-CP", "30c/NQ-CP"}
    assert {a for a, b, e in g.edges(data=True) if e.get("stale")} == {ngoai_vu}
    assert g.nodes[ngoai_vu]["stale"] == 2
    relations = {e["relation"] for *_, e in g.edges(data=True)}
    assert relations == {"implements", "cites", "replacedBy"}


def test_focus_lineage_up_and_down(example_store, example_graph):
    m = build_map(graph=example_graph, focus="1243/KH-UBND", depth=2)
    labels = {d["label"] for _, d in m.graph.nodes(data=True)}
    assert m.focus == by_label(example_graph, "1243/KH-UBND")
    assert {"1243/KH-UBND", "33/CT-TTg"} <= labels  # up
    assert document(m.graph, "002_")  # down: the department's plan carrying it out
    assert not any("004_" in (d["path"] or "") for _, d in m.graph.nodes(data=True))
    assert m.notes == [("map_note_focus", {"ref": "1243/KH-UBND", "label": "1243/KH-UBND", "depth": 2,
                                           "how": "exact", "candidates": 1})]
    # depth 1 from the directive: what implements it directly, not the plan two levels down
    m1 = build_map(store=example_store, focus="33/CT-TTg", depth=1)
    assert "1243/KH-UBND" in {d["label"] for _, d in m1.graph.nodes(data=True)}


def test_resolve_is_forgiving(example_graph):
    g = example_graph
    assert resolve(g, "33/ct-ttg") == (by_label(g, "33/CT-TTg"), "exact", 1)
    assert resolve(g, "11-QĐi/TW") == (by_label(g, "11-QĐ/TW"), "code", 1)  # party Quy định, as kg.ids folds it
    assert resolve(g, " 76/NQ-CP 2021")[0] == by_label(g, "76/NQ-CP")
    assert resolve(g, by_label(g, "76/NQ-CP"))[0] == by_label(g, "76/NQ-CP")
    with pytest.raises(RefError, match="999/CT-TTg"):
        resolve(g, "999/CT-TTg")


def test_unit_filter(example_graph):
    m = build_map(graph=example_graph, unit="so ngoai vu")
    docs = [n for n, d in m.graph.nodes(data=True) if d["document"]]
    assert docs == [document(example_graph, "000_")]
    labels = {d["label"] for _, d in m.graph.nodes(data=True)}
    assert {"765/KH-UBND", "60/2013/NĐ-CP", "149/2018/NĐ-CP", "145/2020/NĐ-CP", "76/NQ-CP"} <= labels
    assert m.notes == [("map_note_unit", {"unit": "so ngoai vu", "documents": 1})]
    assert len(build_map(graph=example_graph, unit="Đak Đoa").graph) < len(example_graph)


def test_stale_only(example_graph):
    m = build_map(graph=example_graph, stale_only=True)
    labels = {d["label"] for _, d in m.graph.nodes(data=True)}
    assert {"60/2013/NĐ-CP", "30c/NQ-CP", "149/2018/NĐ-CP", "76/NQ-CP"} <= labels
    assert [n for n, d in m.graph.nodes(data=True) if d["document"]] == [document(example_graph, "000_")]
    assert "33/CT-TTg" not in labels


def test_fold():
    assert fold("Ủy ban nhân dân Thị trấn ĐAK ĐOA") == "uy ban nhan dan thi tran dak doa"


def synthetic(documents: int, units: int, instruments: int, cites: int = 8) -> nx.DiGraph:
    """Documents spread over units, each citing `cites` of `instruments` central instruments
    (a few very popular) and implementing its unit's first document."""
    g = nx.DiGraph()
    for k in range(instruments):
        g.add_node(f"i{k}", label=f"{k}/CT-TTg", document=False, tier=0, cited_by=0, stale=0, status="unknown")
    for k in range(documents):
        u = k % units
        g.add_node(f"d{k}", label=f"{k}/KH-UBND", document=True, tier=2, unit=f"Unit {u}", place=f"Place {u}",
                   province=f"Province {u % 7}", cited_by=0, stale=0, status="unknown")
        for j in range(cites):
            target = f"i{(k * 7919 + j * j * 31) % instruments}" if j else "i0"
            g.add_edge(f"d{k}", target, relation="cites", stale=False)
        if k >= units:
            g.add_edge(f"d{k}", f"d{u}", relation="implements", stale=False)
    for _, b in g.edges:
        g.nodes[b]["cited_by"] += 1
    return g


def test_aggregate_small_graph_untouched(example_graph):
    g, notes = aggregate(example_graph, 1500)
    assert g is example_graph and notes == []


def test_aggregate_collapses_units():
    g = synthetic(documents=3000, units=40, instruments=300)
    out, notes = aggregate(g, 1500, keep={"d5"})
    assert len(out) <= 1500
    assert notes[0] == ("map_note_units", {"documents": 2999, "groups": 40})
    groups = [d for _, d in out.nodes(data=True) if d.get("group")]
    assert len(groups) == 40 and sum(d["members"] for d in groups) == 2999
    assert "d5" in out  # the focus stays itself
    unit3 = out.nodes["group:Unit 3"]
    assert unit3["members"] == 75 and unit3["label"] == "Unit 3"
    # edges are merged with counts; the most popular instrument is cited by every group
    assert out.edges["group:Unit 3", "i0"]["count"] == 75
    assert not any(a == b for a, b in out.edges)  # implements inside a unit is folded away
    assert sum(e["count"] for a, b, e in out.edges(data=True) if b == "i0") == 3000


def test_aggregate_threshold_on_citations():
    g = synthetic(documents=4000, units=30, instruments=5000, cites=6)
    out, notes = aggregate(g, 1500)
    assert len(out) <= 1500
    keys = [k for k, _ in notes]
    assert keys == ["map_note_units", "map_note_threshold"]
    threshold = notes[1][1]["threshold"]
    kept = [d for _, d in out.nodes(data=True) if not d.get("document")]
    assert kept and all(d["cited_by"] >= threshold for d in kept)
    assert notes[1][1]["hidden"] == sum(1 for _, d in g.nodes(data=True) if not d["document"]) - len(kept)


def test_aggregate_many_units_fold_into_provinces():
    g = synthetic(documents=6000, units=3000, instruments=100, cites=3)
    out, notes = aggregate(g, 1500)
    assert len(out) <= 1500
    assert [k for k, _ in notes][:2] == ["map_note_units", "map_note_provinces"]
    assert {d["label"] for _, d in out.nodes(data=True) if d.get("group")} == {f"Province {p}" for p in range(7)}


def test_read_graph_same_on_both_backends(store, tmp_path):
    """Any store: the embedded Oxigraph and a SPARQL server give the same map graph."""
    from conftest import extract_fixture

    from kg.ingest import ingest

    for name in ("so_tttt", "kh_1243", "dak_doa"):
        (tmp_path / f"{name}.txt").write_text(name)
    ingest([str(tmp_path)], store, extract=extract_fixture)
    g = read_graph(store)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"33/CT-TTg", "1243/KH-UBND", "16/CT-TTg", "12/KH-UBND"} <= labels
    kh = by_label(g, "1243/KH-UBND")
    assert g.nodes[kh]["document"] and g.edges[kh, by_label(g, "33/CT-TTg")]["relation"] == "implements"
    # 1243/KH-UBND says it replaces 16/CT-TTg: a replacedBy edge from the text itself
    assert g.edges[by_label(g, "16/CT-TTg"), kh] == {"relation": "replacedBy", "kind": "replaced_by"}
    snapshot = sorted((d["label"], d["tier"], d["status"], d["cited_by"]) for _, d in g.nodes(data=True))
    assert len(snapshot) == len(g) and all(t in (0, 1, 2, 3) for _, t, _, _ in snapshot)


def test_read_graph_does_not_join_over_the_union_graph(embedded_store, tmp_path):
    """Regression: joins of patterns over the union default graph return a triple once per graph that
    states it, so issuers × codes × levels × places grew as documents^4 (over 10 minutes at 1,000
    documents). 300 documents sharing the same issuers and instruments must read in seconds."""
    from conftest import extract_fixture

    from kg.ingest import ingest

    folder = tmp_path / "plans"
    folder.mkdir()
    for k in range(300):
        (folder / f"{k}.txt").write_text(f"synthetic {k}")
    ingest([str(folder)], embedded_store, extract=extract_fixture)
    start = time.process_time()
    g = read_graph(embedded_store)
    assert time.process_time() - start < 10
    assert sum(1 for _, d in g.nodes(data=True) if d["document"]) == 300
    assert g.nodes[by_label(g, "1/CT-TTg")]["cited_by"] == 300
