"""`kg serve` over HTTP: a real server process (uvicorn) on the example corpus's store, spoken to
with urllib and SPARQLWrapper: pages, headers, language, errors, the draft check, and the SPARQL
1.1 endpoint (same rows as `kg query`, content negotiation, read-only, time and size limits)."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from example_graph import REPO, SO_NGOAI_VU, load_example

DRAFT = REPO / "tests" / "data" / "drafts" / "draft_2025.txt"
NQ_30C = "https://kg.vn-plans.org/eli/vn/nq-cp/2011/30c"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 303 is an answer to check, not to follow
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kg serve` in a process of its own, run from the repository (relative source paths resolve)."""

    def __init__(self, store: Path | str, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(self.port), *options],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/static/style.css", timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                    pytest.fail(f"kg serve did not start: {out}")
                time.sleep(0.2)

    def get(self, path: str, headers: dict[str, str] | None = None, data: bytes | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.url + path, data=data, headers=headers or {}, method=method)
        try:
            with OPENER.open(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def page(self, path: str, **kw) -> tuple[int, str]:
        status, _, body = self.get(path, {"Accept": "text/html", **kw.pop("headers", {})}, **kw)
        return status, body.decode("utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def example_store(folder: Path) -> Path:
    from kg.store import EmbeddedStore

    store = EmbeddedStore(folder / "kg-store")
    load_example(store)
    store.close()
    return folder / "kg-store"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The example corpus served with a short SPARQL time limit and a small row limit."""
    folder = tmp_path_factory.mktemp("web")
    s = Server(example_store(folder), "--sparql-timeout", "4", "--sparql-max-rows", "500", "--max-upload", "0.2",
               "--uploads", str(folder / "uploads"))
    s.store = folder / "kg-store"
    s.uploads = folder / "uploads"
    yield s
    s.stop()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----kgtestboundary7MA4YWxkTrZu0gW"
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (name, data) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                  f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# ------------------------------------------------------------------ pages

@pytest.mark.parametrize("path", ["/", "/search?q=30c", f"/instrument?iri={NQ_30C}", "/stale", "/map", "/map/view",
                                  "/check", "/sparql", "/unit?name=Sở Ngoại vụ", "/nope", "/static/style.css"])
def test_every_response_has_a_content_security_policy(server, path):
    status, headers, _ = server.get(urllib.parse.quote(path, safe="/?=&"), {"Accept": "text/html"})
    assert status in (200, 303, 404)
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp or "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"


def test_search_30c_redirects_to_its_page(server):
    status, headers, _ = server.get("/search?q=30c")
    assert status == 303 and headers["location"] == "/instrument?" + urllib.parse.urlencode({"iri": NQ_30C})


def test_instrument_page_shows_status_lineage_citers_and_variants(server):
    status, page = server.page("/instrument?" + urllib.parse.urlencode({"iri": NQ_30C}))
    assert status == 200
    assert "Hết hiệu lực" in page and "hết thời hạn" in page and "76/NQ-CP" in page and "2020-12-31" in page
    assert "phapluatquanly.vietnamhoinhap.vn" in page  # the source of the status
    assert "độ tin cậy cao; Ghi nhận từ: sổ hiệu lực kèm theo" in page  # in Vietnamese, not "confidence high"
    assert "000_ad4fe33f902addcd.txt" in page  # the plan that still cites it
    assert "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ" in page  # as written


def test_an_ingested_document_shows_its_text_with_references_linked(server):
    status, page = server.page("/instrument?" + urllib.parse.urlencode({"ref": SO_NGOAI_VU}))
    assert status == 200
    assert 'class="doc"' in page and page.count('class="ref"') > 10
    assert 'href="/instrument?iri=https%3A%2F%2Fkg.vn-plans.org%2Feli%2Fvn%2Fnq-cp%2F2011%2F30c' in page


def test_lineage_tree_of_33_ct_ttg(server):
    status, page = server.page("/instrument?ref=" + urllib.parse.quote("CT 33/2021"))
    assert status == 200 and "1243/KH-UBND" in page and "Văn bản thực hiện nó" in page


def test_english_switch_and_cookie(server):
    status, headers, body = server.get("/?lang=en", {"Accept": "text/html"})
    assert status == 200 and "Stale citations" in body.decode() and "lang=en" in headers["set-cookie"]
    status, page = server.page("/stale", headers={"Cookie": "lang=en"})
    assert "Download CSV" in page and '<html lang="en">' in page


def test_unit_page(server):
    status, page = server.page("/unit?" + urllib.parse.urlencode({"name": "Sở Ngoại vụ"}))
    assert status == 200 and "000_ad4fe33f902addcd.txt" in page and "30c/NQ-CP" in page


def test_stale_report_filters_and_csv(server):
    status, page = server.page("/stale?certainty=bound")
    assert status == 200 and "60/2013/NĐ-CP" in page
    status, headers, body = server.get("/stale?" + urllib.parse.urlencode({"kind": "Nghị quyết", "format": "csv"}))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert rows and {r["kind"] for r in rows} == {"Nghị quyết"} and "30c/NQ-CP" in {r["oldSymbol"] for r in rows}
    assert all(r["province"] == "Tây Ninh" for r in rows)


def test_404_and_unknown_instrument_pages(server):
    status, page = server.page("/nope")
    assert status == 404 and "Không tìm thấy trang" in page and 'href="/"' in page
    status, page = server.page("/instrument?ref=999999/NQ-CP")
    assert status == 404 and "999999/NQ-CP" in page


def test_escapes_what_users_type(server):
    status, page = server.page("/search?q=" + urllib.parse.quote("<script>alert(1)</script>"))
    assert status == 200 and "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_check_a_draft_lists_findings_by_line_and_stores_nothing(server):
    body, ctype = multipart({"as_of": ""}, {"draft": ("draft_2025.txt", DRAFT.read_bytes())})
    status, page = server.page("/check", data=body, headers={"Content-Type": ctype}, method="POST")
    assert status == 200
    assert 'id="line-10"' in page and "60/2013/NĐ-CP" in page and "149/2018/NĐ-CP" in page
    assert "04/2015/NĐCP" in page  # the malformed symbol as written
    assert "5 vấn đề trong 7 trích dẫn" in page
    assert not server.uploads.exists()


def test_check_a_word_draft_and_ingest_it_when_asked(server, tmp_path):
    import docx

    from kg.cli import main

    document = docx.Document()
    for line in DRAFT.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "du thao.docx")
    body, ctype = multipart({"ingest": "1"}, {"draft": ("du thao.docx", (tmp_path / "du thao.docx").read_bytes())})
    status, page = server.page("/check", data=body, headers={"Content-Type": ctype}, method="POST")
    assert status == 200 and "60/2013/NĐ-CP" in page and "5 vấn đề trong 7 trích dẫn" in page
    kept = list(server.uploads.glob("*_du_thao.docx"))
    assert len(kept) == 1 and "Đã nạp vào đồ thị" in page
    try:
        time.sleep(1.2)
        status, page = server.page("/instrument?ref=" + urllib.parse.quote(str(kept[0])))
        assert status == 200 and 'class="doc"' in page  # its text, re-read from the kept copy
    finally:
        CliRunner().invoke(main, ["forget", "--store", str(server.store), str(kept[0])])


def test_check_refuses_a_file_too_big_or_of_another_kind(server):
    body, ctype = multipart({}, {"draft": ("big.txt", b"x" * 300_000)})
    status, page = server.page("/check", data=body, headers={"Content-Type": ctype}, method="POST")
    assert status == 413 and "tối đa 0.2 MB" in page
    body, ctype = multipart({}, {"draft": ("run.exe", b"MZ")})
    status, page = server.page("/check", data=body, headers={"Content-Type": ctype}, method="POST")
    assert status == 400 and "run.exe" in page


# ------------------------------------------------------------------ SPARQL

def kg_query_rows(store: Path, name: str) -> list[dict[str, str]]:
    from kg.cli import main

    result = CliRunner().invoke(main, ["query", name, "--format", "json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("name", ["most-cited", "stale-citations", "unit-profile"])
def test_sparqlwrapper_gets_the_rows_of_kg_query(server, name):
    from SPARQLWrapper import JSON, SPARQLWrapper

    from kg import queries

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(queries.load(name).text)
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    data = client.query().convert()
    got = [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]
    expected = kg_query_rows(server.store, name)
    assert got and [{k: v for k, v in r.items() if v is not None} for r in expected] == got


def test_get_and_content_negotiation(server):
    q = urllib.parse.quote("SELECT ?s WHERE { ?s a <https://kg.vn-plans.org/ns#SourceDocument> } ORDER BY ?s")
    status, headers, body = server.get(f"/sparql?query={q}", {"Accept": "application/sparql-results+xml"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    assert body.count(b"<result>") == 5
    status, headers, body = server.get(f"/sparql?query={q}", {"Accept": "text/csv"})
    assert headers["content-type"].startswith("text/csv") and body.decode().splitlines()[0] == "s"
    status, headers, body = server.get(f"/sparql?query={q}", {"Accept": "text/tab-separated-values"})
    assert body.decode().splitlines()[0] == "?s" and body.decode().splitlines()[1].startswith("<")
    construct = urllib.parse.quote("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3")
    status, headers, body = server.get(f"/sparql?query={construct}", {"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    status, headers, body = server.get(f"/sparql?query={construct}", {"Accept": "application/sparql-results+json"})
    assert status == 406
    ask = urllib.parse.quote("ASK { ?s ?p ?o }")
    assert json.loads(server.get(f"/sparql?query={ask}", {"Accept": "application/json"})[2]) == \
        {"head": {}, "boolean": True}


def test_post_sparql_query_body(server):
    status, _, body = server.get("/sparql", {"Content-Type": "application/sparql-query", "Accept": "text/csv"},
                                 data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", method="POST")
    assert status == 200 and int(body.decode().splitlines()[1]) > 100


def test_updates_are_refused(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # SPARQLWrapper sends it as an update
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote("DROP ALL"))
    assert status == 400 and b"update" in body
    status, _, body = server.get("/sparql", {"Content-Type": "application/sparql-update"}, data=b"DROP ALL",
                                 method="POST")
    assert (status == 403 and b"read-only" in body) or "chỉ đọc".encode() in body
    ask = urllib.parse.quote("ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(server.get(f"/sparql?query={ask}", {"Accept": "application/json"})[2])["boolean"] is False


def test_service_and_malformed_queries_are_refused(server):
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote(
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    assert status == 400 and b"SERVICE" in body
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p }"))
    assert status == 400 and b"malformed" in body


def test_a_runaway_query_is_stopped_at_the_time_limit_and_the_next_one_runs(server):
    status, headers, body = server.get("/sparql?query=" + urllib.parse.quote(RUNAWAY), {"Accept": "text/csv"})
    assert status == 503 and b"time limit of 4 s" in body and headers.get("retry-after")
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                                 {"Accept": "application/json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_too_many_rows_is_refused_with_the_limit(server):
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"))
    assert status == 413 and b"500 rows" in body


def test_the_form_runs_a_named_query_in_the_browser(server):
    status, page = server.page("/sparql")
    assert status == 200 and "stale-citations" in page and "<textarea" in page
    body = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a <https://kg.vn-plans.org/ns#SourceDocument> }"})
    status, page = server.page("/sparql", data=body.encode(), method="POST",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and "5 dòng" in page


def test_the_server_sees_what_kg_ingest_writes_while_it_runs(server, tmp_path):
    """The server holds no lock: `kg ingest` writes the store meanwhile, and the pages show it."""
    from kg.cli import main

    before = server.page("/")[1]
    draft = tmp_path / "draft_2025.txt"
    draft.write_bytes(DRAFT.read_bytes())
    result = CliRunner().invoke(main, ["ingest", "--store", str(server.store), str(draft)])
    assert result.exit_code == 0, result.output
    time.sleep(1.2)  # the server checks the store's fingerprint at most once a second
    after = server.page("/")[1]
    assert before != after
    _status, _, body = server.get("/sparql?query=" + urllib.parse.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://kg.vn-plans.org/ns#SourceDocument> }"), {"Accept": "text/csv"})
    assert body.decode().splitlines()[1] == "6"
    CliRunner().invoke(main, ["forget", "--store", str(server.store), str(draft)])


# ------------------------------------------------------------------ pieces

def test_results_formats_round_trip_through_pyoxigraph():
    import pyoxigraph as ox

    from web.results import write_results

    rows = [[ox.NamedNode("urn:a"), ox.Literal("Sở \"Ngoại\"\tvụ\n", language="vi")],
            [ox.BlankNode("b"), ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))],
            [None, ox.Literal("x")]]
    for fmt, oxfmt in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                       ("tsv", ox.QueryResultsFormat.TSV)):
        parsed = ox.parse_query_results(write_results(["s", "o"], rows, fmt), format=oxfmt)
        back = [[sol["s"], sol["o"]] for sol in parsed]
        assert [str(t) for row in back for t in row if t is not None and not isinstance(t, ox.BlankNode)] == \
            [str(t) for row in rows for t in row if t is not None and not isinstance(t, ox.BlankNode)], fmt


def test_storeview_reopens_when_another_process_writes(tmp_path):
    from kg.store import EmbeddedStore
    from web.storeview import StoreView

    store = EmbeddedStore(tmp_path / "s")
    store.update('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "1" } }')
    store.close()
    view = StoreView(str(tmp_path / "s"), recheck=0)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with view.store() as s:
        assert s.select(count) == [{"n": "1"}]
    writer = EmbeddedStore(tmp_path / "s")  # the read-only handle holds no lock
    writer.update('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "2" } }')
    writer.close()
    with view.store() as s:
        assert s.select(count) == [{"n": "2"}]
    assert view.opened == 2


@pytest.mark.server
def test_pages_and_sparql_on_a_sparql_server(http_store, tmp_path):
    """`kg serve --store http://…`: the same pages and endpoint over a SPARQL 1.1 server."""
    load_example(http_store)
    s = Server(http_store.location)
    try:
        status, headers, _ = s.get("/search?q=30c")
        assert status == 303
        status, page = s.page(headers["location"])
        assert status == 200 and "76/NQ-CP" in page and "000_ad4fe33f902addcd.txt" in page
        status, _, body = s.get("/sparql?query=" + urllib.parse.quote(
            "SELECT ?s WHERE { ?s a <https://kg.vn-plans.org/ns#SourceDocument> }"), {"Accept": "application/json"})
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
        status, _, body = s.get("/sparql?query=" + urllib.parse.quote("CONSTRUCT WHERE { ?s a ?t } LIMIT 2"),
                                {"Accept": "application/n-triples"})
        assert status == 200 and body.decode().count(" .\n") == 2
    finally:
        s.stop()
