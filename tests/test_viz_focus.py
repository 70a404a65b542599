"""A focused or one unit's map read from the store alone (viz/focus.py) is the map cut from the whole
graph: same nodes, attributes, edges and notes, on the example corpus and on generated plans with
the registry's superseded instruments; `kg map --focus` and `--unit` no longer read the whole graph;
and a map is the same whatever the process's string hashing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import generated_store

import viz.graph
from kg.cli import main
from kg.errors import RefError
from viz.graph import build_map, read_graph
from viz.render import page_data

ROOT = Path(__file__).resolve().parent.parent
K = "PREFIX kg: <https://kg.vn-plans.org/ns#>\n"


def reader(writer):
    """The store `writer` made, closed and opened again to read (as the commands read it)."""
    from kg.store import open_store

    location = writer.location
    writer.close()
    return open_store(location, read_only=True)


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    store = reader(generated_store(tmp_path_factory, 400, 3, registry=True))
    yield store
    store.close()


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    from kg.ingest import ingest
    from kg.store import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("focus") / "kg-store")
    assert ingest(sorted(str(p) for p in (ROOT / "examples" / "corpus").glob("*.txt")), store).ok
    store = reader(store)
    yield store
    store.close()


def shape(m: viz.graph.MapGraph) -> tuple:
    g = m.graph
    return ([(n, dict(d)) for n, d in g.nodes(data=True)], [(a, b, dict(e)) for a, b, e in g.edges(data=True)],
            m.focus, m.notes)


def refs_of(store) -> list[str]:
    """The most carried-out instrument, the most cited, a plan in the middle and one at the bottom."""
    top = store.select(K + "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s kg:implements ?o } GROUP BY ?o ORDER BY DESC(?n) ?o")
    cited = store.select(K + "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s kg:cites ?o } GROUP BY ?o ORDER BY DESC(?n) ?o")
    docs = sorted(r["i"] for r in store.select(K + "SELECT ?i WHERE { ?s kg:describes ?i }"))
    return [top[0]["o"], top[len(top) // 2]["o"], cited[0]["o"], docs[0], docs[len(docs) // 2]]


@pytest.mark.parametrize("options", [{}, {"stale_only": True}, {"unit": "Sở"}, {"max_nodes": 50}])
def test_generated_focus_maps_are_those_of_the_whole_graph(plans, options):
    full = read_graph(plans)
    for ref in [*refs_of(plans), "30c/NQ-CP"]:
        for depth in (1, 2, 3):
            whole = build_map(plans, graph=full, focus=ref, depth=depth, **options)
            alone = build_map(plans, focus=ref, depth=depth, **options)
            assert shape(alone) == shape(whole), (ref, depth)
            assert alone.total_edges is None and alone.total_nodes >= full.number_of_nodes()
            assert alone.context is not None and set(alone.graph) <= set(alone.context) | {
                n for n, d in alone.graph.nodes(data=True) if d.get("group")}


def test_example_focus_maps_are_those_of_the_whole_graph(examples):
    full = read_graph(examples)
    for ref in ("33/CT-TTg", "chỉ thị 33", "1243/KH-UBND", "30c/NQ-CP", "60/2013/NĐ-CP", "76/NQ-CP"):
        for depth in (1, 2):
            whole = build_map(examples, graph=full, focus=ref, depth=depth)
            alone = build_map(examples, focus=ref, depth=depth)
            assert shape(alone) == shape(whole), ref
            # the details name replacements by their labels, from the graph the focus was cut from
            assert page_data(alone)["nodes"] == page_data(whole, full=full)["nodes"]
    ct33 = build_map(examples, focus="33/CT-TTg")
    assert ct33.notes[0][1]["how"] == "exact" and ct33.graph.nodes[ct33.focus]["label"] == "33/CT-TTg"
    assert ct33.graph.nodes[ct33.focus]["cited_by"] == full.nodes[ct33.focus]["cited_by"] >= 2


UNITS = ("Sở Ngoại vụ", "so ngoai vu", "UBND", "Hà Nội", "Cao Bằng", "Gia Lai", "Đak Đoa", "xã", "Phường", "zzz")


@pytest.mark.parametrize("options", [{}, {"stale_only": True}, {"max_nodes": 60}])
def test_unit_maps_are_those_of_the_whole_graph(plans, examples, options):
    for store in (plans, examples):
        full = read_graph(store)
        for unit in UNITS:
            whole = build_map(store, graph=full, unit=unit, **options)
            alone = build_map(store, unit=unit, **options)
            assert shape(alone) == shape(whole), unit
    read_alone = [u for u in UNITS if build_map(plans, unit=u).total_edges is None]
    assert {"Sở Ngoại vụ", "Hà Nội", "Đak Đoa", "zzz"} <= set(read_alone)


def test_unit_maps_fall_back_to_the_whole_graph(plans):
    """Across a unit's name and its place, or a unit that wrote much of the store: read whole."""
    full = read_graph(plans)
    for unit in ("Sở Ngoại vụ (Hà", "Sở"):
        m = build_map(plans, unit=unit)
        assert m.total_edges == full.number_of_edges() and shape(m) == shape(build_map(plans, graph=full, unit=unit))


def test_unknown_focus_is_refused(examples):
    with pytest.raises(RefError, match="no instrument on the map matches '99/CT-XYZ'"):
        build_map(examples, focus="99/CT-XYZ")


def test_map_command_focus_or_unit_reads_only_that_part(examples, tmp_path, monkeypatch):
    def whole_graph(store):
        raise AssertionError("kg map --focus / --unit read the whole graph")

    monkeypatch.setattr(viz.graph, "read_graph", whole_graph)
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(main, ["map", "--focus", "33/CT-TTg", "--depth", "1", "--store", examples.location,
                                       "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "Lineage of 33/CT-TTg" in page and "the graph holds" in page
    result = CliRunner().invoke(main, ["map", "--focus", "99/CT-XYZ", "--store", examples.location, "--out", str(out)])
    assert result.exit_code != 0 and "99/CT-XYZ" in result.output
    result = CliRunner().invoke(main, ["map", "--unit", "Sở Ngoại vụ", "--store", examples.location, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Văn bản của đơn vị khớp “Sở Ngoại vụ”" in out.read_text("utf-8")


def test_a_map_does_not_depend_on_string_hashing(plans):
    """`g.subgraph(nodes)` iterates a node set under half the graph's size in the set's order, which
    each process hashes differently: the aggregated maps of these much-cited instruments (units and
    provinces folded into groups named after their first member) changed from one run to the next."""
    script = (
        "import json, sys\n"
        "from kg.store import open_store\n"
        "from viz.graph import build_map, read_graph\n"
        "s = open_store(sys.argv[1], read_only=True)\n"
        "full = read_graph(s)\n"
        "maps = [build_map(s, graph=full, focus=ref, depth=1, max_nodes=50).graph for ref in sys.argv[2:]]\n"
        "print(json.dumps([sorted([n, sorted(map(str, d.items()))] for n, d in g.nodes(data=True)) for g in maps]))\n"
    )
    cited = plans.select(K + "SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s kg:cites ?o } GROUP BY ?o ORDER BY DESC(?n) ?o")
    refs = [r["o"] for r in cited[3:8]]
    outputs = set()
    for seed in ("1", "2", "3"):
        run = subprocess.run([sys.executable, "-c", script, plans.location, *refs], capture_output=True, text=True,
                             env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, cwd=ROOT, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert all(0 < len(g) <= 50 for g in json.loads(outputs.pop()))
