"""`kg serve` in headless Chromium (Debian's /usr/bin/chromium driven by Playwright), against a live
server on the example corpus: search "30c" → its page (expired, succeeded by 76/NQ-CP, the plan that
still cites it); a draft uploaded → its findings under their lines; the map page draws; a phone-sized
screen needs no sideways scrolling. On every page: no console error, and no request leaves
127.0.0.1 (every other URL is intercepted, aborted and reported)."""

from __future__ import annotations

import urllib.parse

import pytest
from conftest import CHROMIUM
from test_web_app import DRAFT, Server, example_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                                                     "(`make install` installs it)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web-browser")
    s = Server(example_store(folder), "--uploads", str(folder / "uploads"))
    s.uploads = folder / "uploads"
    yield s
    s.stop()


class Tab:
    """A page whose console errors, uncaught exceptions and non-local requests are all recorded."""

    def __init__(self, browser, server: Server, width: int = 1280, height: int = 900):
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def clean(self) -> None:
        assert self.outside == [], f"requests leaving localhost: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server):
    t = Tab(browser, server)
    yield t
    t.close()


def test_search_30c_reaches_its_page_expired_succeeded_and_cited(tab):
    tab.goto("/")
    tab.page.fill(".hero input[name=q]", "30c")
    tab.page.click(".hero button[type=submit]")
    tab.page.wait_for_url("**/instrument?iri=*")
    status = tab.page.inner_text("#status")
    assert "Hết hiệu lực" in status and "hết thời hạn" in status and "2020-12-31" in status
    assert "có văn bản kế tiếp → 76/NQ-CP" in status and "phapluatquanly.vietnamhoinhap.vn" in status
    citers = tab.page.inner_text("#cited-by")
    assert "000_ad4fe33f902addcd.txt" in citers and "Sở Ngoại vụ" in citers
    # the plan that still cites it: its page shows its text, the reference linked back to 30c
    tab.page.click("#cited-by a:has-text('000_ad4fe33f902addcd.txt')")
    tab.page.wait_for_selector("pre.doc a.ref")
    tab.page.click("pre.doc a.ref:has-text('30c/NQ-CP')")
    tab.page.wait_for_selector("#status")
    assert tab.page.inner_text("h1").startswith("30c/NQ-CP")
    tab.clean()


def test_english_page_of_30c(tab):
    tab.goto("/instrument?ref=30c&lang=en")
    status = tab.page.inner_text("#status")
    assert "No longer in force" in status and "term ended" in status and "succeeded → 76/NQ-CP" in status
    tab.goto("/")  # the cookie keeps English
    assert "What the graph holds" in tab.page.inner_text("body")
    tab.clean()


def test_uploading_a_draft_shows_its_findings_next_to_their_lines(tab, server):
    tab.goto("/check")
    tab.page.set_input_files("input[name=draft]", str(DRAFT))
    tab.page.click("form.upload button[type=submit]")
    tab.page.wait_for_selector("#report")
    report = tab.page.inner_text("#report")
    assert "5 vấn đề trong 7 trích dẫn" in report and "Dự thảo không được lưu lại." in report
    # the finding about 60/2013/NĐ-CP sits right under line 10, which quotes it
    line = tab.page.locator("#line-10")
    assert "Nghị định số 60/2013/NĐ-CP" in line.inner_text()
    finding = tab.page.locator("#line-10 + .finding")
    assert "bị thay thế bởi 149/2018/NĐ-CP" in finding.inner_text() and "145/2020/NĐ-CP" in finding.inner_text()
    assert "04/2015/NĐCP" in tab.page.locator("#line-11 + .finding").inner_text()
    assert not server.uploads.exists()
    tab.clean()


def test_map_page_draws_the_focused_instrument(tab):
    tab.goto("/map?focus=30c")
    frame = tab.page.frame_locator("#map-frame")
    frame.locator("#map canvas").wait_for(timeout=60_000)
    inner = tab.page.frames[1]
    inner.wait_for_function("window.kgMap && window.kgMap.ready === true", timeout=60_000)
    labels = inner.evaluate("kgMap.data.nodes.map(n => n.label)")
    assert {"30c/NQ-CP", "76/NQ-CP"} <= set(labels)
    assert "30c/NQ-CP" in inner.evaluate("kgMap.data.notes.join(' ')")
    tab.clean()


def test_whole_map_and_stale_report(tab):
    tab.goto("/map")
    tab.page.frames[1].wait_for_function("window.kgMap && window.kgMap.ready === true", timeout=60_000)
    tab.goto("/stale")
    rows = tab.page.locator("table.stale tbody tr")
    assert rows.count() >= 3
    tab.page.select_option("select[name=certainty]", "possible")
    tab.page.click("form.filters button[type=submit]")
    tab.page.wait_for_url("**certainty=possible*")
    assert all(t.strip() == "có thể" for t in tab.page.locator("table.stale .certainty").all_inner_texts())
    tab.clean()


@pytest.mark.parametrize("path", ["/", "/instrument?ref=30c", "/stale", "/check", "/sparql", "/unit?name=Sở Ngoại vụ",
                                  "/nope"])
def test_phone_sized_screen_needs_no_sideways_scrolling(browser, server, path):
    t = Tab(browser, server, width=375, height=740)
    try:
        t.goto(urllib.parse.quote(path, safe="/?=&"))
        overflow = t.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: {overflow}px wider than the screen"
        if path == "/nope":  # the one error there is the page's own status, 404, which is the point
            assert t.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
            t.errors = []
        t.clean()
    finally:
        t.close()
