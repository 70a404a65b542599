"""`kg map` pages in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): the example
corpus's map loads with no console error and no request but the file itself, shows the graph's nodes
and edges, search, click, filters; a hostile document title runs nothing; a big graph is aggregated.

Screenshots go to each test's tmp_path; with UPDATE_SCREENSHOT=1 the example map's also to docs/map.png.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import CHROMIUM, doc_1243, doc_so_tttt

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                                                     "(`make install` installs it)"),
]


class Page:
    """A page with every request, console error and uncaught exception recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        start = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_function("window.kgMap && window.kgMap.ready === true", timeout=60_000)
        self.load_seconds = time.perf_counter() - start

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def offline_and_clean(self) -> None:
        assert self.requests == [self.url], f"requests besides the page: {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"

    def details(self) -> str:
        return self.page.inner_text("#details")

    def node_id(self, label: str) -> str:
        return self.js("l => kgMap.data.nodes.find(n => n.label === l).id", label)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example corpus (the five plans) in a store, its graph, and its map in Vietnamese."""
    from kg.ingest import ingest
    from kg.store import EmbeddedStore
    from viz.graph import build_map, read_graph
    from viz.render import write_html

    folder = tmp_path_factory.mktemp("map-browser")
    store = EmbeddedStore(folder / "kg-store")
    assert ingest(sorted(str(p) for p in CORPUS.glob("*.txt")), store).added == 5
    graph = read_graph(store)
    store.close()
    out = folder / "map.html"
    write_html(build_map(graph=graph), out, full=graph)
    return graph, out


@pytest.fixture
def example_page(browser, example):
    page = Page(browser, example[1])
    yield page
    page.page.close()


def test_example_map_loads_offline_with_the_graph(example_page, example, tmp_path):
    graph, _ = example
    p = example_page
    p.offline_and_clean()
    # read the data back from the page: the JSON block and what vis-network holds
    data = p.js("JSON.parse(document.getElementById('kg-data').textContent)")
    assert {n["label"] for n in data["nodes"]} == {d["label"] for _, d in graph.nodes(data=True)}
    assert len(data["edges"]) == graph.number_of_edges()
    assert p.js("[kgMap.nodes.length, kgMap.edges.length]") == [len(graph), graph.number_of_edges()]
    label = {n["id"]: n["label"] for n in data["nodes"]}
    edges = {(label[e["from"]], e["relation"], label[e["to"]]) for e in data["edges"]}
    assert {("1243/KH-UBND", "implements", "33/CT-TTg"), ("60/2013/NĐ-CP", "replacedBy", "149/2018/NĐ-CP"),
            ("30c/NQ-CP", "replacedBy", "76/NQ-CP")} <= edges
    stale = {label[e["to"]] for e in data["edges"] if e["stale"]}
    assert stale == {"60/2013/NĐ-CP", "30c/NQ-CP"}
    # positions are fixed and tiered: the directive above the plan that carries it out
    pos = p.js("kgMap.network.getPositions()")
    assert pos[p.node_id("33/CT-TTg")]["y"] < pos[p.node_id("1243/KH-UBND")]["y"]
    assert p.js("kgMap.network.physics.options.enabled") is False
    # Vietnamese by default: legend, filters, notes
    text = p.page.inner_text("body")
    for words in ("Còn hiệu lực", "Đã bị thay thế / hết hiệu lực", "Chưa rõ hiệu lực", "thực hiện", "trích dẫn",
                  "Mọi đơn vị", "Chỉ trích dẫn đã hết hiệu lực", f"{len(graph)} nút"):
        assert words in text
    p.page.screenshot(path=str(tmp_path / "map.png"))
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_search_finds_76_nq_cp(example_page, tmp_path):
    p = example_page
    p.page.fill("#search", "76/nq-cp")
    p.page.press("#search", "Enter")
    p.page.wait_for_function("kgMap.selected !== null")
    wanted = p.node_id("76/NQ-CP")
    assert p.js("kgMap.selected") == wanted
    assert p.js("kgMap.network.getSelectedNodes()") == [wanted]
    assert p.page.inner_text("#details h2") == "76/NQ-CP"
    details = p.details()
    for words in ("Nghị quyết", "2021-07-15", "Chính phủ", "Còn hiệu lực", "Chương trình tổng thể cải cách hành chính"):
        assert words in details
    assert "76/NQ-CP" in p.page.inner_text("#results")
    p.offline_and_clean()
    p.page.screenshot(path=str(tmp_path / "search.png"))
    # the whole map with 76/NQ-CP selected: the README's picture
    p.js("kgMap.network.fit({animation: false})")
    p.page.screenshot(path=str(tmp_path / "overview.png"))
    assert (tmp_path / "overview.png").stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(tmp_path / "overview.png", ROOT / "docs" / "map.png")


def test_click_node_shows_details(example_page):
    p = example_page
    target = p.node_id("60/2013/NĐ-CP")
    x, y = p.js("""id => {
        const net = kgMap.network;
        net.moveTo({position: net.getPositions([id])[id], scale: 2.0, animation: false});
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('map').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""", target)
    p.page.mouse.click(x, y)
    p.page.wait_for_function("id => kgMap.selected === id", arg=target)
    assert p.page.inner_text("#details h2") == "60/2013/NĐ-CP"
    details = p.details()
    for words in ("Nghị định", "2013-06-19", "Đã bị thay thế / hết hiệu lực", "2019-01-01",
                  "Bị thay thế bởi", "149/2018/NĐ-CP", "Được trích dẫn bởi", "Kế hoạch Sở Ngoại vụ (2023)"):
        assert words in details
    # the citing document is a link: following it shows that document
    p.page.get_by_role("button", name="Kế hoạch Sở Ngoại vụ (2023)").first.click()
    assert p.page.inner_text("#details h2") == "Kế hoạch Sở Ngoại vụ (2023)"
    assert "examples/corpus/000_ad4fe33f902addcd.txt" in p.details()
    p.offline_and_clean()


def test_filters_unit_kind_stale(example_page, example):
    from viz.graph import stale_nodes, unit_nodes

    graph, _ = example
    p = example_page
    units = p.js("[...document.querySelectorAll('#unit option')].map(o => o.textContent)")
    assert "Sở Ngoại vụ (Tây Ninh)" in units
    p.page.select_option("#unit", "Sở Ngoại vụ (Tây Ninh)")
    assert p.js("kgMap.visible") == len(unit_nodes(graph, "Sở Ngoại vụ (Tây Ninh)"))
    hidden = p.js("kgMap.nodes.get().filter(n => n.hidden).length")
    assert hidden == len(graph) - p.js("kgMap.visible")
    p.page.click("#reset")
    assert p.js("kgMap.visible") == len(graph)
    p.page.check("#stale")
    assert p.js("kgMap.visible") == len(stale_nodes(graph))
    p.page.uncheck("#stale")
    p.page.select_option("#kind", "Chỉ thị")
    shown = p.js("kgMap.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    kinds = p.js("ids => ids.map(id => kgMap.data.nodes.find(n => n.id === id)).map(n => n.document || n.kind)",
                 shown)
    assert kinds and all(k is True or k == "Chỉ thị" for k in kinds)
    p.offline_and_clean()


def test_hostile_title_runs_nothing(browser, tmp_path):
    """A document whose title and issuer carry markup: nothing runs, the text shows literally."""
    from kg.ingest import ingest
    from kg.store import EmbeddedStore
    from viz.graph import build_map, read_graph
    from viz.render import write_html

    def extract(path: str):
        doc = doc_1243(path) if "1243" in path else doc_so_tttt(path)
        if "1243" in path:
            doc.identity = dataclasses.replace(doc.identity, title=HOSTILE, issuer=f"UBND {HOSTILE}")
        return doc

    (tmp_path / "1243.txt").write_text("kh_1243")
    (tmp_path / "so.txt").write_text("so_tttt")
    store = EmbeddedStore(tmp_path / "kg-store")
    ingest([str(tmp_path / "1243.txt"), str(tmp_path / "so.txt")], store, extract=extract)
    graph = read_graph(store)
    store.close()
    out = tmp_path / "hostile.html"
    write_html(build_map(graph=graph), out, full=graph)
    raw = out.read_text(encoding="utf-8")
    assert "<script>window" not in raw and "<img src=x" not in raw

    p = Page(browser, out)
    p.offline_and_clean()
    assert p.js("typeof window.__pwned") == "undefined"
    assert p.js("document.querySelectorAll('img').length") == 0
    p.page.fill("#search", "1243/KH-UBND")
    p.page.press("#search", "Enter")
    p.page.wait_for_function("kgMap.selected !== null")
    details = p.details()
    assert HOSTILE in details  # shown as text, character for character
    units = p.js("[...document.querySelectorAll('#unit option')].map(o => o.textContent)")
    assert f"UBND {HOSTILE} (Tây Ninh)" in units
    # hovering shows the tooltip, also as text
    x, y = p.js("""id => {
        const net = kgMap.network;
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('map').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""", p.js("kgMap.selected"))
    p.page.mouse.move(x, y)
    p.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert HOSTILE in p.page.inner_text("div.vis-tooltip")
    assert p.js("typeof window.__pwned") == "undefined"
    p.offline_and_clean()
    p.page.screenshot(path=str(tmp_path / "hostile.png"))
    p.page.close()


def test_english_page_and_focus(browser, example, tmp_path):
    from viz.graph import build_map
    from viz.render import write_html

    graph, _ = example
    out = tmp_path / "focus-en.html"
    write_html(build_map(graph=graph, focus="1243/KH-UBND", depth=1), out, lang="en", full=graph)
    p = Page(browser, out)
    p.offline_and_clean()
    assert p.js("document.documentElement.lang") == "en"
    text = p.page.inner_text("body")
    for words in ("In force", "Stale citations only", "Lineage of 1243/KH-UBND", "matched by exact symbol"):
        assert words in text
    # the focus is selected and shown at once
    assert p.page.inner_text("#details h2") == "1243/KH-UBND"
    assert p.js("kgMap.data.nodes.length") < len(graph)
    p.page.close()


def test_big_graph_is_aggregated_and_loads(browser, tmp_path):
    from test_viz_graph import synthetic

    from viz.graph import build_map
    from viz.render import write_html

    graph = synthetic(documents=5000, units=60, instruments=3000, cites=10)
    start = time.perf_counter()
    m = build_map(graph=graph)
    out = tmp_path / "big.html"
    write_html(m, out, full=graph)
    generate = time.perf_counter() - start
    assert len(m.graph) <= 1500
    p = Page(browser, out)
    p.offline_and_clean()
    notes = p.page.inner_text("#notes")
    assert "5000 văn bản được gộp thành 60 nút" in notes and "văn bản được trích dẫn nhiều nhất" in notes
    assert p.js("kgMap.data.nodes.length") == len(m.graph)
    # a unit's group: its details list the documents it holds
    group = p.js("kgMap.data.nodes.find(n => n.group && n.label.startsWith('Unit 7 ')).id")
    p.js("id => kgMap.select(id)", group)
    assert p.page.inner_text("#details h2") == "Unit 7 — 84 văn bản"
    details = p.details()
    assert "Gồm (84)" in details and "và 34 văn bản khác" in details and "Nhóm văn bản đã gộp" in details
    p.page.screenshot(path=str(tmp_path / "big.png"))
    p.page.close()
    assert generate < 30 and p.load_seconds < 30, (generate, p.load_seconds)
