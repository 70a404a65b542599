"""The map page as a file (viz/render.py, viz/layout.py) and the `kg map` command, without a browser."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import viz.layout
import viz.render
from kg.cli import main
from viz.graph import MapGraph
from viz.layout import row_width, tiered_layout
from viz.render import CSP, page_data, render_html, script_json, write_html

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & </style>'


def test_doctests():
    assert doctest.testmod(viz.render).failed == 0
    assert doctest.testmod(viz.layout).failed == 0


def small() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("ct", label="33/CT-TTg", symbol="33/CT-TTg", kind="Chỉ thị", tier=0, cited_by=2, status="in_force",
               title=HOSTILE, document=False, stale=0)
    g.add_node("kh", label="1243/KH-UBND", symbol="1243/KH-UBND", kind="Kế hoạch", tier=1, cited_by=1,
               status="unknown", document=True, unit="UBND tỉnh Tây Ninh", stale=0)
    g.add_node("so", label="Kế hoạch Sở Nội vụ (2023)", kind="Kế hoạch", tier=2, cited_by=0, status="unknown",
               document=True, unit="Sở Nội vụ (Tây Ninh)", stale=1)
    g.add_node("old", label="16/CT-TTg", kind="Chỉ thị", tier=0, cited_by=1, status="superseded", since="2021-11-26",
               replaced_by=[("replaced_by", "ct")], document=False, stale=0)
    g.add_edge("kh", "ct", relation="implements", stale=False)
    g.add_edge("so", "kh", relation="implements", stale=False)
    g.add_edge("so", "ct", relation="cites", stale=False)
    g.add_edge("so", "old", relation="cites", stale=True)
    g.add_edge("old", "ct", relation="replacedBy", kind="replaced_by")
    return g


def test_layout_tiers_and_plans_under_what_they_implement():
    g = small()
    pos = tiered_layout(g)
    assert pos["ct"][1] == pos["old"][1] < pos["kh"][1] < pos["so"][1]
    assert pos["kh"][0] == pos["ct"][0]  # the plan right under the directive it carries out
    assert pos["old"][0] > pos["ct"][0]  # only cited: beside the chain
    assert len(set(pos.values())) == len(pos)


def test_layout_wraps_wide_tiers():
    g = nx.DiGraph()
    for k in range(500):
        g.add_node(k, tier=0, label=f"{k}/CT-TTg", cited_by=k % 7)
    pos = tiered_layout(g)
    rows = {y for _, y in pos.values()}
    assert len(rows) == -(-500 // row_width(500)) == 19
    assert max(x for x, _ in pos.values()) < 40 * 200


def test_script_json_escapes_markup():
    text = script_json({"t": HOSTILE, "u": "\u2028"})
    assert not re.search(r"[<>&\u2028]", text)
    assert json.loads(text) == {"t": HOSTILE, "u": "\u2028"}


def test_page_is_self_contained_and_escaped(tmp_path):
    m = MapGraph(small(), total_nodes=4, total_edges=5)
    page = render_html(m)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"vi\">")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page.replace("&#x27;", "'")
    assert "default-src 'none'" in CSP and "connect-src 'none'" in CSP
    # no external resource of any kind
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)|@import", page, re.I)
    assert "bootstrap" not in page.lower()
    # the data block holds the hostile title only in escaped form, and parses back to it exactly
    assert HOSTILE not in page and "<script>window" not in page and "<img src=x" not in page
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert next(n for n in data["nodes"] if n["label"] == "33/CT-TTg")["title"] == HOSTILE
    # exactly our four script/style blocks: JSON, vis-network, map.js; vis CSS, map.css
    assert len(re.findall(r"^<script", page, re.M)) == 3 and page.count("</script>") == 3
    assert page.count("<style>") == 2 and page.count("</style>") == 2
    assert "sourceMappingURL" not in page
    # written in UTF-8 whatever the locale
    out = tmp_path / "m.html"
    size = write_html(m, out)
    assert size == out.stat().st_size and "Bản đồ".encode() in out.read_bytes()


def test_page_data_nodes_edges_and_words():
    g = small()
    data = page_data(MapGraph(g, focus="kh", total_nodes=4, total_edges=5), lang="en")
    by_label = {n["label"]: n for n in data["nodes"]}
    assert data["focus"] == by_label["1243/KH-UBND"]["id"]
    assert by_label["16/CT-TTg"]["replaced_by"] == [["replaced_by", "33/CT-TTg"]]
    assert by_label["16/CT-TTg"]["color"] == viz.render.STATUS_COLOURS["superseded"]
    assert (by_label["33/CT-TTg"]["shape"], by_label["1243/KH-UBND"]["shape"]) == ("triangle", "dot")
    assert by_label["33/CT-TTg"]["size"] > by_label["16/CT-TTg"]["size"] > by_label["Kế hoạch Sở Nội vụ (2023)"]["size"]
    assert {n["label"] for n in data["nodes"] if n["in_stale"]} == {"Kế hoạch Sở Nội vụ (2023)", "16/CT-TTg",
                                                                     "33/CT-TTg"}
    assert sorted(e["relation"] for e in data["edges"]) == ["cites", "cites", "implements", "implements",
                                                            "replacedBy"]
    assert data["units"] == ["Sở Nội vụ (Tây Ninh)", "UBND tỉnh Tây Ninh"]
    assert data["words"]["map_status_in_force"] == "In force"
    assert data["notes"] == ["4 nodes, 5 edges drawn; the whole graph: 4 nodes, 5 edges."]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from kg.ingest import ingest
    from kg.store import EmbeddedStore

    folder = tmp_path_factory.mktemp("map-cli") / "kg-store"
    store = EmbeddedStore(folder)
    ingest(sorted(str(p) for p in CORPUS.glob("*.txt")), store)
    store.close()
    return folder


def test_cli_map(store_dir, tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", "--store", str(store_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"Đã ghi bản đồ: {re.escape(str(out))} \((\d+) / \1, \d+ bytes\)\n", result.output)
    assert out.read_bytes().startswith(b"<!DOCTYPE html>")


def test_cli_map_focus_unit_stale_english(store_dir, tmp_path):
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(main, ["map", "--store", str(store_dir), "--out", str(out), "--focus", "33/ct-ttg",
                                       "--depth", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Map written: {out} (")
    assert "Lineage of 33/CT-TTg" in out.read_text(encoding="utf-8")
    for args in (["--unit", "Đak Đoa"], ["--stale-only"]):
        result = CliRunner().invoke(main, ["map", "--store", str(store_dir), "--out", str(out), *args])
        assert result.exit_code == 0, result.output


def test_cli_map_unknown_focus_is_bad_input(store_dir, tmp_path):
    result = CliRunner().invoke(main, ["map", "--store", str(store_dir), "--out", str(tmp_path / "x.html"),
                                       "--focus", "999/CT-TTg"])
    assert result.exit_code == 2
    assert "no instrument on the map matches '999/CT-TTg'" in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_map_unwritable_out_is_bad_input(store_dir, tmp_path):
    out = tmp_path / "missing" / "map.html"
    result = CliRunner().invoke(main, ["map", "--store", str(store_dir), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{out}: cannot write the map (No such file or directory)" in result.output


def test_cli_map_help_lists_options():
    result = CliRunner().invoke(main, ["map", "--help"])
    assert result.exit_code == 0
    for option in ("--focus", "--depth", "--unit", "--stale-only", "--out", "--store", "--lang", "--max-nodes"):
        assert option in result.output
    assert "map" in CliRunner().invoke(main, ["--help"]).output
